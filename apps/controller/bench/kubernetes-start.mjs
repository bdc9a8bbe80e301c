// Benchmark (not a test): Kubernetes mode start with N HTTPRoutes, each with its own Service and EndpointSlice,
// held by the test API server (a Kubernetes API server TEST DOUBLE) in a child process. Reports the time from
// startController() to the first xDS snapshot holding every route, and the controller process's RSS and heap.
// Run after `npm run build`: node apps/controller/bench/kubernetes-start.mjs [routes=5000]
import { fork } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const routes = Number(process.argv[3] ?? process.argv[2] ?? 5000);

if (process.argv[2] === "apiserver") {
  const { TestApiServer } = await import("@egts/test-apiserver");
  const n = Number(process.argv[3]);
  const server = new TestApiServer({ historyLimit: 100 });
  await server.start(0);
  server.put({ apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } });
  server.put({ apiVersion: "v1", kind: "Namespace", metadata: { name: "envoy-gateway-system" } });
  server.put({
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "GatewayClass",
    metadata: { name: "eg" },
    spec: { controllerName: "gateway.envoyproxy.io/gatewayclass-controller" },
  });
  server.put({
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "Gateway",
    metadata: { name: "eg", namespace: "default" },
    spec: { gatewayClassName: "eg", listeners: [{ name: "http", protocol: "HTTP", port: 8080 }] },
  });
  for (let i = 0; i < n; i++) {
    server.put({
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: `svc-${i}`, namespace: "default" },
      spec: { ports: [{ name: "http", port: 80, targetPort: 8080, protocol: "TCP" }] },
    });
    server.put({
      apiVersion: "discovery.k8s.io/v1",
      kind: "EndpointSlice",
      metadata: { name: `svc-${i}-1`, namespace: "default", labels: { "kubernetes.io/service-name": `svc-${i}` } },
      addressType: "IPv4",
      ports: [{ name: "http", port: 8080, protocol: "TCP" }],
      endpoints: [{ addresses: [`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`], conditions: { ready: true } }],
    });
    server.put({
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "HTTPRoute",
      metadata: { name: `route-${i}`, namespace: "default" },
      spec: {
        parentRefs: [{ name: "eg" }],
        hostnames: [`host-${i}.example.com`],
        rules: [{ matches: [{ path: { type: "PathPrefix", value: "/" } }], backendRefs: [{ name: `svc-${i}`, port: 80 }] }],
      },
    });
  }
  process.send?.({ kubeconfig: server.kubeconfig() });
} else {
  const child = fork(new URL(import.meta.url).pathname, ["apiserver", String(routes)], { stdio: "inherit" });
  const { kubeconfig } = await new Promise((resolve) => child.once("message", resolve));
  const dir = mkdtempSync(join(tmpdir(), "egts-bench-k8s-"));
  writeFileSync(join(dir, "kubeconfig"), kubeconfig);
  const { startController, silentLogger } = await import("@egts/controller");
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  const controller = await startController({
    config: {
      apiVersion: "gateway.envoyproxy.io/v1alpha1",
      kind: "EnvoyGateway",
      provider: { type: "Kubernetes", kubernetes: { leaderElection: { disable: true } } },
    },
    kubeconfig: join(dir, "kubeconfig"),
    xdsPort: 0,
    adminPort: 0,
    xdsPlaintext: true,
    logger: process.env["BENCH_LOG"]
      ? {
          debug: () => {},
          info: (m, f) => console.error(((performance.now() - started) / 1000).toFixed(2), m, JSON.stringify(f ?? {}).slice(0, 200)),
          warn: (m, f) => console.error("warn", m, JSON.stringify(f ?? {}).slice(0, 300)),
          error: (m, f) => console.error("error", m, JSON.stringify(f ?? {}).slice(0, 300)),
        }
      : silentLogger,
  });
  if (process.env["BENCH_LOG"]) console.error("started", ((performance.now() - started) / 1000).toFixed(2));
  const hasAll = () => {
    let hosts = 0;
    for (const t of controller.bus.xds.snapshot().values()) for (const r of t.resources.routes) hosts += r.message.virtualHosts?.length ?? 0;
    return hosts >= routes;
  };
  while (!hasAll()) await new Promise((r) => setTimeout(r, 20));
  const firstXds = performance.now() - started;
  global.gc?.();
  const mem = process.memoryUsage();
  console.log(
    JSON.stringify({
      routes,
      servicesAndEndpointSlices: routes,
      startToFirstXdsSeconds: +(firstXds / 1000).toFixed(2),
      rssMiB: +(mem.rss / 2 ** 20).toFixed(0),
      rssGrowthMiB: +((mem.rss - rssBefore) / 2 ** 20).toFixed(0),
      heapUsedMiB: +(mem.heapUsed / 2 ** 20).toFixed(0),
    }),
  );
  await controller.close();
  child.kill();
}
