#!/usr/bin/env node
// Soak test: the controller (built packages, in this process) for N minutes on loopback while a child process
// (load.mjs) churns files and xDS streams against it: file edits and write storms, broken, huge, garbage and
// duplicate files, stream churn, slow consumers, NACK storms, type-URL and resource-name floods. Reports RSS,
// heap and event-loop lag (this process = the controller) at the start, along the way and at the end.
//
//   npm run build && node --expose-gc tools/soak/soak.mjs [--minutes 10] [--out soak.json]
//
// Everything binds 127.0.0.1 with ephemeral ports; every loop in load.mjs ends at the deadline.
import { fork } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { startController } from "@egts/controller";

const { values } = parseArgs({ options: { minutes: { type: "string", default: "10" }, out: { type: "string" } } });
const minutes = Number(values.minutes);
if (!(minutes > 0 && minutes <= 24 * 60)) throw new Error(`--minutes: expected 0 < minutes <= 1440, got ${values.minutes}`);
const repoRoot = resolve(import.meta.dirname, "../..");
const dir = mkdtempSync(join(tmpdir(), "egts-soak-"));
const resources = join(dir, "resources");
cpSync(join(repoRoot, "examples", "quickstart"), resources, { recursive: true });

const gc = globalThis.gc ?? (() => {});
const mib = (bytes) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const sample = () => {
  gc();
  const m = process.memoryUsage();
  return {
    rssMiB: mib(m.rss),
    heapTotalMiB: mib(m.heapTotal),
    heapUsedMiB: mib(m.heapUsed),
    externalMiB: mib(m.external),
    arrayBuffersMiB: mib(m.arrayBuffers),
  };
};

// The controller's log goes nowhere but is measured: a flood of log bytes is a finding too.
const logStats = { lines: 0, bytes: 0, longest: 0, byLevel: {} };
const countingLogger = Object.fromEntries(
  ["debug", "info", "warn", "error"].map((level) => [
    level,
    (message, fields = {}) => {
      if (level === "debug") return;
      const line = `${message} ${JSON.stringify(fields)}`;
      logStats.lines += 1;
      logStats.bytes += line.length;
      logStats.longest = Math.max(logStats.longest, line.length);
      logStats.byLevel[level] = (logStats.byLevel[level] ?? 0) + 1;
    },
  ]),
);

const controller = await startController({
  config: {
    apiVersion: "gateway.envoyproxy.io/v1alpha1",
    kind: "EnvoyGateway",
    gateway: { controllerName: "gateway.envoyproxy.io/gatewayclass-controller" },
    provider: {
      type: "Custom",
      custom: { resource: { type: "File", file: { paths: [resources] } }, infrastructure: { type: "Host", host: { configHome: join(dir, "config") } } },
    },
  },
  stateDirectory: join(dir, "state"),
  xdsPort: 0,
  adminPort: 0,
  xdsPlaintext: true,
  envoyPath: join(dir, "no-envoy-here"),
  logger: countingLogger,
});
const atStart = sample();
const loadAtStart = loadavg().map((l) => Math.round(l * 10) / 10);
console.log(`controller up: xDS 127.0.0.1:${controller.xdsPort}, admin ${controller.adminUrl}; ${minutes} min of load; start ${JSON.stringify(atStart)}`);

const lag = monitorEventLoopDelay({ resolution: 10 });
lag.enable();
const timeline = [];
const started = Date.now();
const deadline = started + minutes * 60_000;

const child = fork(join(import.meta.dirname, "load.mjs"), [], {
  env: { ...process.env, SOAK_XDS: `127.0.0.1:${controller.xdsPort}`, SOAK_ADMIN: controller.adminUrl, SOAK_DIR: resources, SOAK_DEADLINE: String(deadline) },
  stdio: ["ignore", "inherit", "inherit", "ipc"],
});
let loadReport;
child.on("message", (m) => (loadReport = m));

// Warm-up ends after the first minute (or a tenth of the run): the baseline is taken under load, once caches,
// JIT and connection pools exist.
const warmupMs = Math.min(60_000, minutes * 6_000);
let baseline;
// The highest RSS seen, read every second without a gc (the 30 s samples gc first and would miss peaks).
let rssPeak = 0;
const peaks = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage.rss())), 1000);
const every = setInterval(() => {
  const t = Math.round((Date.now() - started) / 1000);
  const s = { t, ...sample(), lagP99Ms: Math.round(lag.percentile(99) / 1e4) / 100, lagMaxMs: Math.round(lag.max / 1e4) / 100 };
  timeline.push(s);
  if (baseline === undefined && Date.now() - started >= warmupMs) baseline = s;
  console.log(JSON.stringify(s));
}, 30_000);

await new Promise((resolvePromise) => child.on("exit", resolvePromise));
clearInterval(every);
clearInterval(peaks);
lag.disable();
await new Promise((r) => setTimeout(r, 2000)); // let disconnects settle
const atEnd = sample();
const status = await (await fetch(`${controller.adminUrl}/api/status`)).text();
const ready = (await fetch(`${controller.adminUrl}/readyz`)).status;
const streams = controller.metrics.render().match(/^egts_xds_streams\{?\}? (\d+)/m)?.[1];
await controller.close();
rmSync(dir, { recursive: true, force: true });

const report = {
  minutes,
  node: process.version,
  atStart,
  baseline: baseline ?? atStart,
  atEnd,
  rssEndOverStart: Math.round((atEnd.rssMiB / atStart.rssMiB) * 100) / 100,
  rssEndOverBaseline: Math.round((atEnd.rssMiB / (baseline ?? atStart).rssMiB) * 100) / 100,
  rssPeakMiB: mib(rssPeak),
  eventLoopLagMs: {
    p50: Math.round(lag.percentile(50) / 1e4) / 100,
    p99: Math.round(lag.percentile(99) / 1e4) / 100,
    p999: Math.round(lag.percentile(99.9) / 1e4) / 100,
    max: Math.round(lag.max / 1e4) / 100,
  },
  loadAverage: { atStart: loadAtStart, atEnd: loadavg().map((l) => Math.round(l * 10) / 10) },
  statusBytesAtEnd: status.length,
  readyAtEnd: ready,
  openStreamsAtEnd: streams === undefined ? null : Number(streams),
  log: logStats,
  load: loadReport ?? null,
  timeline,
};
console.log(JSON.stringify(report, null, 2));
if (values.out !== undefined) writeFileSync(values.out, `${JSON.stringify(report, null, 2)}\n`);
process.exit(0);
