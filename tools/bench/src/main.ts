#!/usr/bin/env node
// `npm run bench`: upstream's gobench workloads (small, medium, large) through egts end to end, each figure
// printed beside upstream's published one. Figures, not assertions: nothing here passes or fails.
import { loadText, resourcesFromObjects } from "@egts/api";
import { translate } from "@egts/gatewayapi-translator";
import { decodeXdsIRMap } from "@egts/ir";
import { generateCertificates } from "@egts/xds-server";
import { translateXds } from "@egts/xds-translator";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { gobenchYaml, type GobenchSize } from "./GobenchWorkload.js";
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
    // egctl's options for TranslateGatewayAPIToXds, as the Go benchmark sets them.
    const result = translate(resources, {
      gatewayControllerName: "gateway.envoyproxy.io/gatewayclass-controller",
      gatewayClassName: "eg",
      controllerNamespace: "default",
      globalRateLimitEnabled: true,
      endpointRoutingDisabled: false,
      envoyPatchPolicyEnabled: true,
      backendEnabled: true,
    });
    const t2 = performance.now();
    const irs = decodeXdsIRMap(result.xdsIR ?? {}, "xdsIR");
    for (const ir of irs.values()) translateXds(ir, { globalRateLimitServiceURL: "grpc://envoy-ratelimit.default.svc.cluster.local:8081" });
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

function main(argv: string[]): void {
  const { values } = parseArgs({
    args: argv,
    options: { runs: { type: "string", default: "10" }, sizes: { type: "string", default: "small,medium,large" } },
  });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs: not a positive whole number: ${values.runs}`);
  const sizes = values.sizes.split(",").filter(Boolean) as GobenchSize[];
  const tls = generateCertificates({ serverDnsNames: ["www.example.com"] });
  const rows: string[][] = [];
  for (const size of sizes) {
    if (!["small", "medium", "large"].includes(size)) throw new Error(`--sizes: unknown size ${size}`);
    const yaml = gobenchYaml(size, { certificate: tls.envoyGatewayCertificate, privateKey: tls.envoyGatewayPrivateKey });
    runCase(size, yaml, 1); // warm-up: JIT and lazy registries, as Go's benchmark discards its first iterations
    const f = runCase(size, yaml, runs);
    const ms = (xs: number[]) => `${median(xs).toFixed(0)} ms (p90 ${percentile(xs, 0.9).toFixed(0)})`;
    rows.push([`gobench ${size} (${f.objects} objects): Gateway API -> xDS`, ms(f.endToEndMs), upstreamFigures[size]]);
    rows.push([`  of which Gateway API translation`, ms(f.gatewayApiMs), ""]);
    rows.push([`  of which xDS translation`, ms(f.xdsMs), ""]);
    rows.push([`gobench ${size}: load + validate`, ms(f.loadMs), ""]);
    rows.push([`gobench ${size}: heap growth over ${runs} runs`, `${f.heapGrowthMiB.toFixed(1)} MiB`, ""]);
  }
  const [l1, l5] = loadavg();
  console.log(formatTable(["what", `egts (median of ${runs})`, "upstream"], rows));
  console.log(`\n${new Date().toISOString().slice(0, 10)}, Node ${process.version}, load average ${l1?.toFixed(1)} / ${l5?.toFixed(1)}`);
}

main(process.argv.slice(2));
