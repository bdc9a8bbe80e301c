// Benchmark: translation of a large input (500 HTTPRoutes, 250 GRPCRoutes, 100 UDPRoutes, 500 Services with
// EndpointSlices), shaped like upstream's "large" Go benchmark minus its policies. Not a test.
// Usage (after `npx tsc -b packages/gatewayapi-translator/tsconfig.lib.json`):
//   node --expose-gc packages/gatewayapi-translator/bench/large.mjs [runs]
import { translate } from "../dist/index.js";

const runs = Number(process.argv[2] ?? 10);
const ns = "apps";
const services = [];
const endpointSlices = [];
for (let i = 0; i < 500; i++) {
  services.push({
    apiVersion: "v1",
    kind: "Service",
    metadata: { namespace: ns, name: `svc-${i}` },
    spec: {
      clusterIP: `10.0.${i >> 8}.${i & 255}`,
      ports: [
        { name: "http", port: 8080, protocol: "TCP" },
        { name: "udp", port: 5353, protocol: "UDP" },
      ],
    },
  });
  endpointSlices.push({
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: { namespace: ns, name: `svc-${i}-abc`, labels: { "kubernetes.io/service-name": `svc-${i}` } },
    addressType: "IPv4",
    ports: [
      { name: "http", port: 8080, protocol: "TCP" },
      { name: "udp", port: 5353, protocol: "UDP" },
    ],
    endpoints: [0, 1, 2].map((j) => ({ addresses: [`10.1.${i >> 8}.${(i * 3 + j) & 255}`], conditions: { ready: true }, zone: `zone-${j}` })),
  });
}
const parentRefs = (section) => [{ namespace: "infra", name: "gw", sectionName: section }];
const listeners = [{ name: "http", port: 80, protocol: "HTTP", allowedRoutes: { namespaces: { from: "All" } } }];
for (let i = 0; i < 100; i++) listeners.push({ name: `udp-${i}`, port: 10000 + i, protocol: "UDP", allowedRoutes: { namespaces: { from: "All" } } });
const httpRoutes = [];
for (let i = 0; i < 500; i++) {
  httpRoutes.push({
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "HTTPRoute",
    metadata: { namespace: ns, name: `http-${i}` },
    spec: {
      parentRefs: parentRefs("http"),
      hostnames: [`app-${i}.example.com`],
      rules: [
        {
          matches: [{ path: { type: "PathPrefix", value: `/api/${i}` } }, { headers: [{ name: "x-tenant", value: `t${i}` }] }],
          filters: [{ type: "RequestHeaderModifier", requestHeaderModifier: { set: [{ name: "x-route", value: `r${i}` }] } }],
          backendRefs: [
            { name: `svc-${i}`, port: 8080, weight: 80 },
            { name: `svc-${(i + 1) % 500}`, port: 8080, weight: 20 },
          ],
        },
        { matches: [{ path: { type: "Exact", value: `/health/${i}` } }], backendRefs: [{ name: `svc-${i}`, port: 8080 }] },
      ],
    },
  });
}
const grpcRoutes = [];
for (let i = 0; i < 250; i++) {
  grpcRoutes.push({
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "GRPCRoute",
    metadata: { namespace: ns, name: `grpc-${i}` },
    spec: {
      parentRefs: parentRefs("http"),
      hostnames: [`grpc-${i}.example.com`],
      rules: [{ matches: [{ method: { service: `pkg.Service${i}`, method: "Get" } }], backendRefs: [{ name: `svc-${i}`, port: 8080 }] }],
    },
  });
}
const udpRoutes = [];
for (let i = 0; i < 100; i++) {
  udpRoutes.push({
    apiVersion: "gateway.networking.k8s.io/v1alpha2",
    kind: "UDPRoute",
    metadata: { namespace: ns, name: `udp-${i}` },
    spec: { parentRefs: parentRefs(`udp-${i}`), rules: [{ backendRefs: [{ name: `svc-${i}`, port: 5353 }] }] },
  });
}
const resources = {
  gateways: [
    { apiVersion: "gateway.networking.k8s.io/v1", kind: "Gateway", metadata: { namespace: "infra", name: "gw" }, spec: { gatewayClassName: "eg", listeners } },
  ],
  httpRoutes,
  grpcRoutes,
  udpRoutes,
  services,
  endpointSlices,
  namespaces: [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: "infra" } },
    { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } },
  ],
};
const options = { gatewayControllerName: "gateway.envoyproxy.io/gatewayclass-controller", gatewayClassName: "eg", controllerNamespace: "envoy-gateway-system" };

const gc = globalThis.gc ?? (() => {});
for (let i = 0; i < 3; i++) translate(resources, options);
const times = [];
const cpus = [];
const heaps = [];
let result;
for (let i = 0; i < runs; i++) {
  gc();
  const before = process.memoryUsage().heapUsed;
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  result = translate(resources, options);
  const c1 = process.cpuUsage(c0);
  const t1 = process.hrtime.bigint();
  cpus.push((c1.user + c1.system) / 1000);
  heaps.push(process.memoryUsage().heapUsed - before);
  times.push(Number(t1 - t0) / 1e6);
}
times.sort((a, b) => a - b);
cpus.sort((a, b) => a - b);
heaps.sort((a, b) => a - b);
const x = result.xdsIR["infra/gw"];
const routes = x.http[0].routes.length;
const mb = (n) => (n / 1024 / 1024).toFixed(1);
console.log(
  `translate large: ${routes} IR HTTP routes, ${x.udp.length} UDP listeners; median ${times[Math.floor(runs / 2)].toFixed(1)} ms ` +
    `(min ${times[0].toFixed(1)}, max ${times[runs - 1].toFixed(1)}) over ${runs} runs; CPU time median ${cpus[Math.floor(runs / 2)].toFixed(1)} ms ` +
    `(min ${cpus[0].toFixed(1)}); heap growth per run median ${mb(heaps[Math.floor(runs / 2)])} MB; ` +
    `rss ${mb(process.memoryUsage().rss)} MB`,
);
