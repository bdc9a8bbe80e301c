#!/usr/bin/env node
// `npm run bench`: upstream's gobench workloads (small, medium, large) through egts end to end, each figure
// printed beside upstream's published one. Figures, not assertions: nothing here passes or fails.
import { loadText, resourcesFromObjects } from "@egts/api";
import { translateToIR } from "@egts/gatewayapi-translator";
import { generateCertificates } from "@egts/xds-server";
import { translateXds } from "@egts/xds-translator";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { runEndToEnd, type EndToEndOptions } from "./EndToEnd.js";
import { gobenchTranslateOptions, gobenchXdsOptions, gobenchYaml, type GobenchSize } from "./GobenchWorkload.js";
import { formatTable, median, percentile } from "./Stats.js";

/** Upstream's published figures for the same workloads (Go benchmark on CI machines), for the side column. */
const upstreamFigures: Record<GobenchSize, string> = {
  small: "-",
  medium: "-",
  large: "170-400 ms, 80-150 MB allocated per run",
};

interface CaseFigures {
  readonly size: GobenchSize;
  readonly objects: number;
  readonly loadMs: number[];
  readonly gatewayApiMs: number[];
  readonly xdsMs: number[];
  readonly endToEndMs: number[];
  readonly heapGrowthMiB: number;
}

/** Loads, validates and translates one workload `runs` times; returns the per-stage times. */
function runCase(size: GobenchSize, yaml: string, runs: number): CaseFigures {
  const loadMs: number[] = [];
  const gatewayApiMs: number[] = [];
  const xdsMs: number[] = [];
  const endToEndMs: number[] = [];
  let objects = 0;
  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  for (let run = 0; run < runs; run++) {
    const t0 = performance.now();
    const loaded = loadText(yaml, `gobench-${size}.yaml`, { applyDefaults: true, validate: true, defaultNamespace: "envoy-gateway-system" });
    const errors = loaded.problems.filter((p) => p.code !== "warning");
    if (errors.length > 0) throw new Error(`gobench ${size}: the workload does not load: ${JSON.stringify(errors[0])}`);
    objects = loaded.objects.length;
    const resources = resourcesFromObjects({ objects: loaded.objects.map((o) => ({ object: o.object })) });
    const t1 = performance.now();
    // translateToIR is the controller's path: the IR goes to the xDS translator as values, with no JSON between.
    const result = translateToIR(resources, gobenchTranslateOptions);
    const t2 = performance.now();
    for (const ir of result.xdsIR.values()) translateXds(ir, gobenchXdsOptions);
    const t3 = performance.now();
    loadMs.push(t1 - t0);
    gatewayApiMs.push(t2 - t1);
    xdsMs.push(t3 - t2);
    endToEndMs.push(t3 - t1);
  }
  globalThis.gc?.();
  const heapGrowthMiB = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
  return { size, objects, loadMs, gatewayApiMs, xdsMs, endToEndMs, heapGrowthMiB };
}

const usage = `Usage: npm run bench -- [options]

Upstream's gobench workloads through egts, one table, each figure beside upstream's published one.

Options:
  --sizes <list>     gobench sizes for the in-process rows (default small,medium,large)
  --runs <n>         in-process runs per size (default 10; the median and p90 are shown)
  --rows <list>      rows to measure: translate (in-process Gateway API -> xDS, load + validate), and the
                     end-to-end rows of the real controller (apps/controller/dist/main.js, on gobench large):
                     ready, route, endpoint, rss, fanout, or e2e for all five
                     (default translate,e2e)
  --e2e-size <size>  gobench size the controller serves for the end-to-end rows (default large)
  --edits <n>        edits per end-to-end edit row (default 20; the fan-out row makes at most 10)
  --warm-up-edits <n>
                     edits made before each edit row's measured ones, reported apart (default 5): the
                     first edits of a kind run code V8 has not optimized yet
  --streams <n>      delta streams of the fan-out row (default 200)
  -h, --help         show this help
`;

/** Upstream's and peers' published figures for the end-to-end rows. */
const upstreamEndToEnd = {
  ready: "-",
  route: "EG ~600 ms (2 s under load); Istio 100-300 ms; agentgateway 10-30 ms",
  endpoint: "EG re-translates everything on an endpoint change",
  rss: "EG 263 MiB at 1,000 HTTPRoutes",
  fanout: "-",
};

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      runs: { type: "string", default: "10" },
      sizes: { type: "string", default: "small,medium,large" },
      rows: { type: "string", default: "translate,e2e" },
      "e2e-size": { type: "string", default: "large" },
      edits: { type: "string", default: "20" },
      "warm-up-edits": { type: "string", default: "5" },
      streams: { type: "string", default: "200" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help === true) {
    process.stdout.write(usage);
    return;
  }
  const whole = (flag: string, value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${flag}: not a positive whole number: ${value}`);
    return n;
  };
  const runs = whole("runs", values.runs);
  const edits = whole("edits", values.edits);
  const warmUpEdits = values["warm-up-edits"] === "0" ? 0 : whole("warm-up-edits", values["warm-up-edits"]);
  const streams = whole("streams", values.streams);
  const sizes = values.sizes.split(",").filter(Boolean) as GobenchSize[];
  for (const size of [...sizes, values["e2e-size"]]) if (!["small", "medium", "large"].includes(size)) throw new Error(`unknown gobench size ${size}`);
  const known = ["translate", "e2e", "ready", "route", "endpoint", "rss", "fanout"];
  const selected = new Set(values.rows.split(",").filter(Boolean));
  for (const row of selected) if (!known.includes(row)) throw new Error(`--rows: unknown row ${row} (${known.join(", ")})`);
  const e2eRows = new Set(
    (["ready", "route", "endpoint", "rss", "fanout"] as const).filter((row) => selected.has("e2e") || selected.has(row)),
  ) as EndToEndOptions["rows"];
  const tls = generateCertificates({ serverDnsNames: ["www.example.com"] });
  const tlsPems = { certificate: tls.envoyGatewayCertificate, privateKey: tls.envoyGatewayPrivateKey };
  const rows: string[][] = [];
  const ms = (xs: number[]) => `${median(xs).toFixed(0)} ms (p90 ${percentile(xs, 0.9).toFixed(0)})`;
  if (selected.has("translate")) {
    for (const size of sizes) {
      const yaml = gobenchYaml(size, tlsPems);
      runCase(size, yaml, 1); // warm-up: JIT and lazy registries, as Go's benchmark discards its first iterations
      const f = runCase(size, yaml, runs);
      rows.push([`gobench ${size} (${f.objects} objects): Gateway API -> xDS (median of ${runs})`, ms(f.endToEndMs), upstreamFigures[size]]);
      rows.push([`  of which Gateway API translation`, ms(f.gatewayApiMs), ""]);
      rows.push([`  of which xDS translation`, ms(f.xdsMs), ""]);
      rows.push([`gobench ${size}: load + validate`, ms(f.loadMs), ""]);
      rows.push([`gobench ${size}: heap growth over ${runs} runs`, `${f.heapGrowthMiB.toFixed(1)} MiB`, ""]);
    }
  }
  if (e2eRows.size > 0) {
    const size = values["e2e-size"] as GobenchSize;
    const f = await runEndToEnd({
      yaml: gobenchYaml(size, tlsPems),
      edits,
      warmUpEdits,
      fanOutStreams: streams,
      rows: e2eRows,
      log: (line) => process.stderr.write(`e2e: ${line}\n`),
    });
    const p50p99 = (xs: number[], warmUp: number[]) =>
      `p50 ${percentile(xs, 0.5).toFixed(1)} ms, p99 ${percentile(xs, 0.99).toFixed(1)} ms (${xs.length} edits` +
      (warmUp.length > 0 ? ` after ${warmUp.length} warm-up edits, median ${median(warmUp).toFixed(1)} ms)` : ")");
    const what = `controller on gobench ${size}`;
    if (e2eRows.has("ready")) rows.push([`${what}: start to /readyz`, `${f.startToReadyMs.toFixed(0)} ms`, upstreamEndToEnd.ready]);
    if (e2eRows.has("route")) rows.push([`${what}: HTTPRoute edit -> RDS at a delta client`, p50p99(f.routeEditMs, f.routeWarmUpMs), upstreamEndToEnd.route]);
    if (e2eRows.has("endpoint"))
      rows.push([`${what}: EndpointSlice edit -> EDS at a delta client`, p50p99(f.endpointEditMs, f.endpointWarmUpMs), upstreamEndToEnd.endpoint]);
    if (e2eRows.has("endpoint")) rows.push([`  stages run for those edits`, f.endpointEditStages || "-", ""]);
    if (e2eRows.has("rss")) rows.push([`${what}: controller RSS after the edits`, `${f.rssMiB.toFixed(0)} MiB`, upstreamEndToEnd.rss]);
    if (e2eRows.has("fanout"))
      rows.push([`${what}: endpoint change -> EDS on all ${f.fanOutStreams} delta streams`, p50p99(f.fanOutMs, []), upstreamEndToEnd.fanout]);
  }
  const [l1, l5] = loadavg();
  console.log(formatTable(["what", "egts", "upstream / peers"], rows));
  console.log(`\n${new Date().toISOString().slice(0, 10)}, Node ${process.version}, load average ${l1?.toFixed(1)} / ${l5?.toFixed(1)}`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
