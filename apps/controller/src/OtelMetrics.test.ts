import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ControlPlaneMetrics, parseDurationMs } from "./OtelMetrics.js";

describe("ControlPlaneMetrics", () => {
  it("renders upstream's counter and histogram names without unit or counter suffixes", async () => {
    const m = new ControlPlaneMetrics(undefined);
    m.resourceApplied("EnvoyProxy", "eg", "default", 0.02, "success");
    m.resourceDeleted("Service", "eg", "default", 0.02, "failure");
    m.statusUpdateCounted("HTTPRoute", "failure", "conflict");
    m.statusUpdateCounted("HTTPRoute", "no_action");
    m.statusUpdateTimed("HTTPRoute", 0.005);
    m.wasmCacheLookup(false);
    m.wasmRemoteFetched("checksum_mismatched");
    m.wasmRemoteFetched(undefined);
    const text = (await m.renderPrometheus())!;
    expect(text).toMatch(/^resource_apply_total\{kind="EnvoyProxy",name="eg",namespace="default",status="success"\} 1$/m);
    expect(text).toMatch(/^resource_apply_duration_seconds_bucket\{kind="EnvoyProxy",name="eg",namespace="default",le="0.1"\} 1$/m);
    // a failure carries upstream's reason label and records no duration
    expect(text).toMatch(/^resource_delete_total\{kind="Service",name="eg",namespace="default",status="failure",reason="error"\} 1$/m);
    expect(text).not.toContain("resource_delete_duration_seconds_bucket");
    expect(text).toMatch(/^status_update_total\{kind="HTTPRoute",status="failure",reason="conflict"\} 1$/m);
    expect(text).toMatch(/^status_update_total\{kind="HTTPRoute",status="no_action"\} 1$/m);
    expect(text).toMatch(/^status_update_duration_seconds_count\{kind="HTTPRoute"\} 1$/m);
    expect(text).toMatch(/^wasm_cache_lookup_total\{hit="false"\} 1$/m);
    expect(text).toMatch(/^wasm_remote_fetch_total\{status="failure",reason="checksum_mismatched"\} 1$/m);
    expect(text).toMatch(/^wasm_remote_fetch_total\{status="success"\} 1$/m);
    // upstream's gauge has no value before its first report
    expect(text).not.toContain("wasm_cache_entries");
    m.wasmCacheEntries(2);
    m.wasmCacheEntries(1);
    expect(await m.renderPrometheus()).toMatch(/^wasm_cache_entries 1$/m);
    expect(text).not.toContain("_total_total");
    await m.shutdown();
  });

  it("has no pull endpoint when prometheus.disable; refuses sinks it cannot serve, naming the field", async () => {
    const off = new ControlPlaneMetrics({ prometheus: { disable: true } });
    expect(off.prometheusEnabled).toBe(false);
    expect(await off.renderPrometheus()).toBeUndefined();
    await off.shutdown();
    expect(() => new ControlPlaneMetrics({ sinks: [{ type: "OpenTelemetry", openTelemetry: { host: "c", protocol: "udp" } }] })).toThrow(
      /sinks\[0\]\.openTelemetry\.protocol: "udp" is not supported \(grpc or http\)/,
    );
    const both = new ControlPlaneMetrics({
      sinks: [
        { type: "OpenTelemetry", openTelemetry: { host: "::1", protocol: "grpc" } },
        { type: "OpenTelemetry", openTelemetry: { host: "c", protocol: "http" } },
      ],
    });
    await both.shutdown();
    expect(
      () => new ControlPlaneMetrics({ sinks: [{ type: "OpenTelemetry", openTelemetry: { host: "c", protocol: "http", exportInterval: "soon" } }] }),
    ).toThrow(/exportInterval: "soon"/);
  });

  it("loads the OTLP exporters only when a sink asks for one", () => {
    // In a child process, so that no other test's exporters are in the module cache.
    const built = resolve(import.meta.dirname, "../dist/OtelMetrics.js");
    const script = `
      import { createRequire } from "node:module";
      const { ControlPlaneMetrics } = await import(${JSON.stringify(built)});
      const loaded = () => Object.keys(createRequire(import.meta.url).cache).filter((path) => /exporter-metrics-otlp-(grpc|http)/.test(path)).length;
      const plain = new ControlPlaneMetrics({});
      const before = loaded();
      const pushing = new ControlPlaneMetrics({ sinks: [{ type: "OpenTelemetry", openTelemetry: { host: "127.0.0.1", protocol: "grpc" } }] });
      console.log(JSON.stringify({ before, after: loaded() }));
      await plain.shutdown();
      await pushing.shutdown();
    `;
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    const { before, after } = JSON.parse(run.stdout) as { before: number; after: number };
    expect(before).toBe(0);
    expect(after).toBeGreaterThan(0);
  });

  it("parses Gateway API durations", () => {
    expect(parseDurationMs("1m30s", "f")).toBe(90_000);
    expect(parseDurationMs("250ms", "f")).toBe(250);
    expect(parseDurationMs(undefined, "f")).toBeUndefined();
    expect(() => parseDurationMs("5x", "f")).toThrow(/^f:/);
  });
});
