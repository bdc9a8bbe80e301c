// Cold start: a fresh process importing the translator and translating once, as a controller's first xDS
// translation does. From the repo root, after building: node packages/xds-translator/bench/cold.mjs [routes]
import { performance } from "node:perf_hooks";
import { syntheticIr } from "./synthetic.mjs";

const routes = Number(process.argv[2] ?? 1000);
const t0 = performance.now();
const { translateXds, xdsResultError } = await import("../dist/index.js");
const t1 = performance.now();
const result = translateXds(syntheticIr(routes), {});
const t2 = performance.now();
const error = xdsResultError(result);
if (error !== undefined) throw new Error(error);
const warm = performance.now();
translateXds(syntheticIr(routes), {});
const t3 = performance.now();
console.log(JSON.stringify({ routes, importMs: Math.round(t1 - t0), firstTranslateMs: Math.round(t2 - t1), secondTranslateMs: Math.round(t3 - warm) }));
