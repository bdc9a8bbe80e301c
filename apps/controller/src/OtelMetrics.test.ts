import { describe, expect, it } from "vitest";
import { ControlPlaneMetrics, parseDurationMs } from "./OtelMetrics.js";

describe("ControlPlaneMetrics", () => {
  it("renders upstream's counter and histogram names without unit or counter suffixes", async () => {
    const m = new ControlPlaneMetrics(undefined);
    m.resourceApplied("EnvoyProxy", "eg", "default", 0.02, "success");
    m.statusUpdated("HTTPRoute", 0.005, "failure");
    const text = (await m.renderPrometheus())!;
    expect(text).toMatch(/^resource_apply_total\{kind="EnvoyProxy",name="eg",namespace="default",status="success"\} 1$/m);
    expect(text).toMatch(/^resource_apply_duration_seconds_bucket\{kind="EnvoyProxy",name="eg",namespace="default",le="0.1"\} 1$/m);
    expect(text).toMatch(/^status_update_total\{kind="HTTPRoute",status="failure"\} 1$/m);
    expect(text).not.toContain("_total_total");
    await m.shutdown();
  });

  it("has no pull endpoint when prometheus.disable; refuses sinks it cannot serve, naming the field", async () => {
    const off = new ControlPlaneMetrics({ prometheus: { disable: true } });
    expect(off.prometheusEnabled).toBe(false);
    expect(await off.renderPrometheus()).toBeUndefined();
    await off.shutdown();
    expect(() => new ControlPlaneMetrics({ sinks: [{ type: "OpenTelemetry", openTelemetry: { host: "c", protocol: "grpc" } }] })).toThrow(
      /sinks\[0\]\.openTelemetry\.protocol/,
    );
    expect(
      () => new ControlPlaneMetrics({ sinks: [{ type: "OpenTelemetry", openTelemetry: { host: "c", protocol: "http", exportInterval: "soon" } }] }),
    ).toThrow(/exportInterval: "soon"/);
  });

  it("parses Gateway API durations", () => {
    expect(parseDurationMs("1m30s", "f")).toBe(90_000);
    expect(parseDurationMs("250ms", "f")).toBe(250);
    expect(parseDurationMs(undefined, "f")).toBeUndefined();
    expect(() => parseDurationMs("5x", "f")).toThrow(/^f:/);
  });
});
