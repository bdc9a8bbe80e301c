// One translation of the synthetic IR, for profiling. Build first, then from the repo root:
//   node --cpu-prof --cpu-prof-dir=/tmp/prof packages/xds-translator/bench/profile.mjs 10000 [novalidate] [cold]
// "cold" skips the warm-up, so the profile includes loading descriptors and compiling validators.
import { performance } from "node:perf_hooks";
import { translateXds, xdsResultError } from "../dist/index.js";
import { syntheticIr } from "./synthetic.mjs";

const routes = Number(process.argv[2] ?? 10000);
const options = process.argv.includes("novalidate") ? { skipValidation: true } : {};
if (!process.argv.includes("cold")) translateXds(syntheticIr(100), options);
const ir = syntheticIr(routes);
const t0 = performance.now();
const result = translateXds(ir, options);
const ms = performance.now() - t0;
const error = xdsResultError(result);
if (error !== undefined) throw new Error(error);
console.log(JSON.stringify({ routes, validation: options.skipValidation !== true, ms: Math.round(ms) }));
