// Control-plane metrics under upstream Envoy Gateway's names and labels (watchable_*, xds_*, status_update_*,
// resource_apply_*, resource_delete_*, wasm_*), through the OpenTelemetry SDK: a Prometheus pull endpoint
// (upstream's :19001/metrics) and OTLP push sinks (HTTP or gRPC), as the EnvoyGateway `telemetry.metrics` block asks.
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import type { Attributes, Counter, Histogram, Meter } from "@opentelemetry/api";
import type * as OtlpGrpc from "@opentelemetry/exporter-metrics-otlp-grpc";
import type * as OtlpHttp from "@opentelemetry/exporter-metrics-otlp-http";
import { PrometheusExporter, PrometheusSerializer } from "@opentelemetry/exporter-prometheus";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { MeterProvider, PeriodicExportingMetricReader, type IMetricReader } from "@opentelemetry/sdk-metrics";

/** Upstream's metrics endpoint port (GatewayMetricsPort). */
export const DEFAULT_METRICS_PORT = 19001;

/** The `telemetry.metrics` block of the EnvoyGateway configuration (upstream's EnvoyGatewayMetrics). */
export interface EnvoyGatewayMetricsConfig {
  readonly prometheus?: { readonly disable?: boolean };
  readonly sinks?: ReadonlyArray<{
    readonly type?: string;
    readonly openTelemetry?: {
      readonly host: string;
      readonly port?: number;
      readonly protocol: string;
      readonly exportInterval?: string;
      readonly exportTimeout?: string;
    };
  }>;
}

/** upstream's success/failure values of the `status` label. */
export type MetricStatus = "success" | "failure";

/** upstream's `status` label with the `reason` a failure carries (upstream's reasons: `error`, `conflict`). */
const statusAttributes = (status: MetricStatus, reason: string): Attributes => (status === "success" ? { status } : { status, reason });

const SECONDS_BUCKETS = [0.001, 0.01, 0.1, 1, 5, 10];

/** Parses a Gateway API duration ("1h2m3s", "500ms") into milliseconds; undefined when absent. Throws on bad input. */
export function parseDurationMs(value: string | undefined, field: string): number | undefined {
  if (value === undefined || value === "") return undefined;
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
  let total = 0;
  let consumed = 0;
  for (const m of value.matchAll(re)) {
    if (m.index !== consumed) break;
    consumed += m[0].length;
    total += Number(m[1]) * { h: 3_600_000, m: 60_000, s: 1_000, ms: 1 }[m[2] as "h" | "m" | "s" | "ms"];
  }
  if (consumed !== value.length || consumed === 0) throw new Error(`${field}: "${value}" is not a duration (e.g. 30s, 1m, 500ms)`);
  return total;
}

const requireHere = createRequire(import.meta.url);

/** The OTLP push sinks the configuration asks for: OTLP/HTTP (default port 4318) or OTLP/gRPC (default port 4317). */
function otlpReaders(config: EnvoyGatewayMetricsConfig | undefined): IMetricReader[] {
  const readers: IMetricReader[] = [];
  (config?.sinks ?? []).forEach((sink, i) => {
    const field = `telemetry.metrics.sinks[${i}]`;
    if (sink.type !== undefined && sink.type !== "OpenTelemetry") throw new Error(`${field}.type: "${sink.type}" is not supported (OpenTelemetry)`);
    const otel = sink.openTelemetry;
    if (otel === undefined) throw new Error(`${field}.openTelemetry: required for an OpenTelemetry sink`);
    if (otel.protocol !== "http" && otel.protocol !== "grpc")
      throw new Error(`${field}.openTelemetry.protocol: "${otel.protocol}" is not supported (grpc or http)`);
    const host = otel.host.includes(":") ? `[${otel.host}]` : otel.host;
    const interval = parseDurationMs(otel.exportInterval, `${field}.openTelemetry.exportInterval`);
    const timeout = parseDurationMs(otel.exportTimeout, `${field}.openTelemetry.exportTimeout`);
    // Plaintext, as upstream's sinks (WithInsecure). The exporters (and the OTLP transformer and SDKs under
    // them, a few hundred modules) are loaded only for a configuration that has a sink; both are CommonJS.
    const exporter =
      otel.protocol === "grpc"
        ? new (requireHere("@opentelemetry/exporter-metrics-otlp-grpc") as typeof OtlpGrpc).OTLPMetricExporter({ url: `http://${host}:${otel.port ?? 4317}` })
        : new (requireHere("@opentelemetry/exporter-metrics-otlp-http") as typeof OtlpHttp).OTLPMetricExporter({
            url: `http://${host}:${otel.port ?? 4318}/v1/metrics`,
          });
    readers.push(
      new PeriodicExportingMetricReader({
        exporter,
        ...(interval !== undefined ? { exportIntervalMillis: interval } : {}),
        // the SDK refuses a timeout longer than the interval
        ...(timeout !== undefined ? { exportTimeoutMillis: Math.min(timeout, interval ?? 60_000) } : {}),
      }),
    );
  });
  return readers;
}

/**
 * The controller's OpenTelemetry instruments, named and labelled as upstream's, plus a Prometheus pull reader
 * (unless `prometheus.disable`) and the configured OTLP push sinks. Owns its MeterProvider: {@link shutdown}
 * flushes the sinks.
 */
export class ControlPlaneMetrics {
  private readonly provider: MeterProvider;
  private readonly prometheus: PrometheusExporter | undefined;
  private readonly meter: Meter;
  private readonly counters = new Map<string, Counter>();
  private readonly histograms = new Map<string, Histogram>();
  private wasmEntries: number | undefined;

  constructor(config: EnvoyGatewayMetricsConfig | undefined) {
    this.prometheus =
      config?.prometheus?.disable === true ? undefined : new PrometheusExporter({ preventServerStart: true, withoutScopeInfo: true, withoutTargetInfo: true });
    this.provider = new MeterProvider({
      resource: resourceFromAttributes({ "service.name": "envoy-gateway" }),
      readers: [...(this.prometheus !== undefined ? [this.prometheus] : []), ...otlpReaders(config)],
    });
    this.meter = this.provider.getMeter("envoy-gateway");
  }

  /** Whether the Prometheus pull endpoint is enabled. */
  get prometheusEnabled(): boolean {
    return this.prometheus !== undefined;
  }

  private counter(name: string, description: string): Counter {
    let c = this.counters.get(name);
    if (c === undefined) this.counters.set(name, (c = this.meter.createCounter(name, { description })));
    return c;
  }

  private histogram(name: string, description: string, buckets: number[]): Histogram {
    let h = this.histograms.get(name);
    if (h === undefined) this.histograms.set(name, (h = this.meter.createHistogram(name, { description, advice: { explicitBucketBoundaries: buckets } })));
    return h;
  }

  /** watchable_publish_total: an update published to a watchable map (`message` is the map's name). */
  watchablePublished(runner: string, message: string, by = 1): void {
    this.counter("watchable_publish_total", "Total number of published updates to watchable queue.").add(by, { runner, message, status: "success" });
  }

  /** watchable_subscribe_total and watchable_subscribe_duration_seconds: one update handled by a subscriber. */
  watchableHandled(runner: string, message: string, seconds: number, status: MetricStatus): void {
    this.counter("watchable_subscribe_total", "Total number of subscribed watchable queue.").add(1, { runner, message, ...statusAttributes(status, "error") });
    this.histogram("watchable_subscribe_duration_seconds", "How long in seconds a subscribed watchable queue is handled.", SECONDS_BUCKETS).record(seconds, {
      runner,
      message,
    });
  }

  /** xds_snapshot_create_total / xds_snapshot_update_total: a snapshot set in the xDS cache for a node (IR key). */
  xdsSnapshot(nodeID: string, created: boolean, status: MetricStatus): void {
    if (created) this.counter("xds_snapshot_create_total", "Total number of xds snapshot cache creates.").add(1, statusAttributes(status, "error"));
    this.counter("xds_snapshot_update_total", "Total number of xds snapshot cache updates by node id.").add(1, {
      nodeID,
      ...statusAttributes(status, "error"),
    });
  }

  /** xds_nack_total: a proxy rejected an xDS response. */
  xdsNack(nodeID: string, typeURL: string): void {
    this.counter("xds_nack_total", "Total number of xds updates rejected (NACKed) by Envoy, by node id and resource type.").add(1, { nodeID, typeURL });
  }

  /** xds_stream_duration_seconds: an xDS stream ended after `seconds`. */
  xdsStreamEnded(nodeID: string, streamID: string, isDeltaStream: boolean, seconds: number): void {
    this.histogram("xds_stream_duration_seconds", "How long a xds stream takes to finish.", [0.1, 10, 50, 100, 1000, 10000]).record(seconds, {
      streamID,
      nodeID,
      isDeltaStream: String(isDeltaStream),
    });
  }

  /** resource_apply_total / resource_apply_duration_seconds (on success): infrastructure created, updated or checked unchanged. */
  resourceApplied(kind: string, name: string, namespace: string, seconds: number, status: MetricStatus, reason = "error"): void {
    this.counter("resource_apply_total", "Total number of applied resources.").add(1, { kind, name, namespace, ...statusAttributes(status, reason) });
    if (status === "success")
      this.histogram("resource_apply_duration_seconds", "How long in seconds a resource be applied successfully.", SECONDS_BUCKETS).record(seconds, {
        kind,
        name,
        namespace,
      });
  }

  /** resource_delete_total / resource_delete_duration_seconds (on success): infrastructure removed. */
  resourceDeleted(kind: string, name: string, namespace: string, seconds: number, status: MetricStatus, reason = "error"): void {
    this.counter("resource_delete_total", "Total number of deleted resources.").add(1, { kind, name, namespace, ...statusAttributes(status, reason) });
    if (status === "success")
      this.histogram("resource_delete_duration_seconds", "How long in seconds a resource be deleted successfully.", SECONDS_BUCKETS).record(seconds, {
        kind,
        name,
        namespace,
      });
  }

  /**
   * status_update_total: one count of a status update of an object kind; `no_action` when the status already
   * said the same, a failure carries its reason (`conflict` for each 409, `error`).
   */
  statusUpdateCounted(kind: string, status: MetricStatus | "no_action", reason = "error"): void {
    this.counter("status_update_total", "Total number of status update by object kind.").add(1, {
      kind,
      ...(status === "no_action" ? { status } : statusAttributes(status, reason)),
    });
  }

  /** status_update_duration_seconds: how long one object's status update took, whatever its outcome. */
  statusUpdateTimed(kind: string, seconds: number): void {
    this.histogram("status_update_duration_seconds", "How long a status update takes to finish.", SECONDS_BUCKETS).record(seconds, { kind });
  }

  /** wasm_cache_lookup_total: the Wasm module cache was searched; `hit` when it had the module. */
  wasmCacheLookup(hit: boolean): void {
    this.counter("wasm_cache_lookup_total", "Total number of Wasm remote fetch cache lookups.").add(1, { hit: String(hit) });
  }

  /** wasm_remote_fetch_total: a Wasm module fetch ended; a failure names why (download_error, manifest_error, ...). */
  wasmRemoteFetched(failureReason: string | undefined): void {
    this.counter("wasm_remote_fetch_total", "Total number of Wasm remote fetches and results.").add(
      1,
      failureReason === undefined ? { status: "success" } : { status: "failure", reason: failureReason },
    );
  }

  /** wasm_cache_entries: the number of cached Wasm modules (exported from the first report on, as upstream's gauge). */
  wasmCacheEntries(count: number): void {
    if (this.wasmEntries === undefined)
      this.meter.createObservableGauge("wasm_cache_entries", { description: "Number of Wasm remote fetch cache entries." }).addCallback((result) => {
        if (this.wasmEntries !== undefined) result.observe(this.wasmEntries);
      });
    this.wasmEntries = count;
  }

  /** Registers a gauge read at collection time (e.g. egts_xds_standing_nacks). */
  observeGauge(name: string, description: string, read: () => ReadonlyArray<{ readonly attributes: Attributes; readonly value: number }>): void {
    this.meter.createObservableGauge(name, { description }).addCallback((result) => {
      for (const s of read()) result.observe(s.value, s.attributes);
    });
  }

  /** The Prometheus text exposition of everything recorded; undefined when Prometheus is disabled. */
  async renderPrometheus(): Promise<string | undefined> {
    if (this.prometheus === undefined) return undefined;
    const { resourceMetrics } = await this.prometheus.collect();
    return new PrometheusSerializer(undefined, undefined, undefined, true, true).serialize(resourceMetrics);
  }

  /** Pushes pending data to the OTLP sinks now. */
  async flush(): Promise<void> {
    await this.provider.forceFlush();
  }

  /** Flushes and stops every reader. */
  async shutdown(): Promise<void> {
    await this.provider.shutdown();
  }
}

/**
 * Serves GET /metrics on host:port: the upstream-named OpenTelemetry metrics, then `extra()` (the egts-only
 * metrics, already in Prometheus text). Resolves to the listening server.
 */
export async function serveMetrics(metrics: ControlPlaneMetrics, host: string, port: number, extra: () => string): Promise<Server> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://metrics").pathname;
    if (path !== "/metrics") return void res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
    metrics.renderPrometheus().then(
      (text) => res.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" }).end(`${text ?? ""}${extra()}`),
      (error: unknown) =>
        res.writeHead(500, { "content-type": "text/plain" }).end(`cannot collect metrics: ${error instanceof Error ? error.message : String(error)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (e) => reject(new Error(`metrics server: cannot listen on ${host}:${port}: ${e.message}`)));
    server.listen(port, host, () => resolve());
  });
  return server;
}
