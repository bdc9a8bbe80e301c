// Benchmark: translateXds on synthetic IR with 1k and 10k HTTP routes spread over 10 listeners.
// Build first (`npx tsc -b packages/xds-translator/tsconfig.lib.json`), then run from the repo root:
//   node --expose-gc packages/xds-translator/bench/translate.mjs
// Prints, per size: translation time (median and minimum wall clock, median CPU time of runs), encoded resource bytes, resource counts, heap growth.
import { performance } from "node:perf_hooks";
import { translateXds, xdsResultError } from "../dist/index.js";
import { syntheticIr } from "./synthetic.mjs";

function measure(routeCount, runs, options) {
  const ir = syntheticIr(routeCount);
  const times = [];
  const cpuTimes = [];
  let result;
  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let heapPeak = 0;
  for (let i = 0; i < runs; i++) {
    result = undefined;
    globalThis.gc?.();
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    result = translateXds(ir, options);
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpuTimes.push((c.user + c.system) / 1000);
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed - heapBefore);
  }
  const error = xdsResultError(result);
  if (error !== undefined) throw new Error(error);
  times.sort((a, b) => a - b);
  cpuTimes.sort((a, b) => a - b);
  const bytes = ["listeners", "routes", "clusters", "endpoints", "secrets"].reduce((sum, k) => sum + result[k].reduce((s, r) => s + r.bytes.length, 0), 0);
  globalThis.gc?.();
  const heapRetained = process.memoryUsage().heapUsed - heapBefore;
  return {
    routes: routeCount,
    validation: options.skipValidation !== true,
    medianMs: Math.round(times[Math.floor(times.length / 2)]),
    minMs: Math.round(times[0]),
    // CPU time of this process (all its threads, so GC helpers count): steadier than wall time on a busy machine.
    cpuMedianMs: Math.round(cpuTimes[Math.floor(cpuTimes.length / 2)]),
    encodedKiB: Math.round(bytes / 1024),
    resources: `${result.listeners.length} listeners, ${result.routes.length} route configs, ${result.clusters.length} clusters, ${result.endpoints.length} endpoints`,
    heapPeakMiB: Math.round(heapPeak / 2 ** 20),
    heapRetainedMiB: Math.round(heapRetained / 2 ** 20),
  };
}

measure(100, 2, {}); // warm up (loads descriptors, compiles validators)
for (const [n, runs] of [
  [1000, 7],
  [10000, 5],
]) {
  for (const options of [{}, { skipValidation: true }]) console.log(JSON.stringify(measure(n, runs, options)));
}
