// @egts/bench: upstream's benchmark workloads, rebuilt, for egts' own benchmarks.
export { gobenchYaml, type GobenchSize } from "./GobenchWorkload.js";
export { formatTable, median, percentile } from "./Stats.js";
