// Benchmark: translateXds on synthetic IR with 1k and 10k HTTP routes spread over 10 listeners.
// Build first (`npx tsc -b packages/xds-translator/tsconfig.lib.json`), then run from the repo root:
//   node --expose-gc packages/xds-translator/bench/translate.mjs
// Prints, per size: translation time (median of runs), encoded resource bytes, resource counts, heap growth.
import { performance } from "node:perf_hooks";
import { translateXds, xdsResultError } from "../dist/index.js";

function syntheticIr(routeCount, listenerCount = 10) {
  const perListener = Math.ceil(routeCount / listenerCount);
  const http = [];
  for (let l = 0; l < listenerCount; l++) {
    const routes = [];
    for (let r = 0; r < perListener && l * perListener + r < routeCount; r++) {
      const id = l * perListener + r;
      const dest = `httproute/default/route-${id}/rule/0`;
      routes.push({
        name: `httproute/default/route-${id}/rule/0/match/0/www_example${id % 50}_com`,
        hostname: `www.example${id % 50}.com`,
        isHTTP2: false,
        pathMatch: { name: "", prefix: `/svc-${id}`, distinct: false },
        headerMatches: id % 3 === 0 ? [{ name: "x-tenant", exact: `t${id % 7}`, distinct: false }] : [],
        destination: {
          name: dest,
          settings: [
            {
              name: `${dest}/backend/0`,
              weight: 1,
              protocol: "HTTP",
              addressType: "IP",
              endpoints: [
                { host: `10.${(id >> 8) & 255}.${id & 255}.1`, port: 8080 },
                { host: `10.${(id >> 8) & 255}.${id & 255}.2`, port: 8080 },
              ],
            },
          ],
        },
        timeout: "15s",
      });
    }
    http.push({
      name: `default/gateway-1/http-${l}`,
      address: "0.0.0.0",
      port: 10080 + l,
      externalPort: 80 + l,
      hostnames: ["*"],
      path: { mergeSlashes: true, escapedSlashesAction: "UnescapeAndRedirect" },
      routes,
    });
  }
  return { http };
}

function measure(routeCount, runs, options) {
  const ir = syntheticIr(routeCount);
  const times = [];
  let result;
  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let heapPeak = 0;
  for (let i = 0; i < runs; i++) {
    result = undefined;
    globalThis.gc?.();
    const t0 = performance.now();
    result = translateXds(ir, options);
    times.push(performance.now() - t0);
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed - heapBefore);
  }
  const error = xdsResultError(result);
  if (error !== undefined) throw new Error(error);
  times.sort((a, b) => a - b);
  const bytes = ["listeners", "routes", "clusters", "endpoints", "secrets"].reduce(
    (sum, k) => sum + result[k].reduce((s, r) => s + r.bytes.length, 0),
    0,
  );
  globalThis.gc?.();
  const heapRetained = process.memoryUsage().heapUsed - heapBefore;
  return {
    routes: routeCount,
    validation: options.skipValidation !== true,
    medianMs: Math.round(times[Math.floor(times.length / 2)]),
    minMs: Math.round(times[0]),
    encodedKiB: Math.round(bytes / 1024),
    resources: `${result.listeners.length} listeners, ${result.routes.length} route configs, ${result.clusters.length} clusters, ${result.endpoints.length} endpoints`,
    heapPeakMiB: Math.round(heapPeak / 2 ** 20),
    heapRetainedMiB: Math.round(heapRetained / 2 ** 20),
  };
}

measure(100, 2, {}); // warm up (loads descriptors, compiles validators)
for (const [n, runs] of [
  [1000, 7],
  [10000, 3],
]) {
  for (const options of [{}, { skipValidation: true }]) console.log(JSON.stringify(measure(n, runs, options)));
}
