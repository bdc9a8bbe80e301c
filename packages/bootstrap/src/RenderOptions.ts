import type { BootstrapOptions, MetricSink, StatsMatcher } from "./Bootstrap.js";

/** A string match of an EnvoyProxy's `spec.telemetry.metrics.matches`. */
export interface ProxyMetricsMatch {
  readonly type?: string;
  readonly value: string;
}

/** An OpenTelemetry metrics sink as written in an EnvoyProxy (`spec.telemetry.metrics.sinks[].openTelemetry`). */
export interface ProxyOpenTelemetrySink {
  readonly host?: string;
  readonly port?: number;
  readonly backendRefs?: ReadonlyArray<{ readonly name: string; readonly namespace?: string; readonly port?: number }>;
  readonly reportCountersAsDeltas?: boolean;
  readonly reportHistogramsAsDeltas?: boolean;
  readonly headers?: ReadonlyArray<{ readonly name: string; readonly value: string }>;
}

/** An EnvoyProxy's `spec.telemetry.metrics` (the parts the bootstrap uses). */
export interface ProxyMetrics {
  readonly prometheus?: { readonly disable?: boolean; readonly compression?: { readonly type?: string } };
  readonly sinks?: ReadonlyArray<{ readonly type?: string; readonly openTelemetry?: ProxyOpenTelemetrySink }>;
  readonly matches?: ReadonlyArray<ProxyMetricsMatch>;
}

/**
 * Upstream's RenderBootstrapConfigOptions: what the infrastructure managers know about a proxy, before it is
 * resolved into {@link BootstrapOptions} (Prometheus switch, sinks and stats matcher from the EnvoyProxy's metrics).
 */
export interface RenderBootstrapOptions {
  readonly ipFamily?: "IPv4" | "IPv6" | "DualStack";
  readonly proxyMetrics?: ProxyMetrics;
  /** Sinks already resolved from backend references; when present, `proxyMetrics.sinks` is not used. */
  readonly resolvedMetricSinks?: ReadonlyArray<MetricSink>;
  readonly sdsConfig?: { readonly certificate?: string; readonly trustedCA?: string; readonly serviceAccountToken?: string };
  readonly xdsServerHost?: string;
  readonly xdsServerPort?: number;
  readonly adminServerPort?: number;
  readonly statsServerPort?: number;
  readonly serviceClusterName?: string;
  readonly maxHeapSizeBytes?: number;
  /** The proxy authenticates with its service account token (upstream GatewayNamespaceMode). */
  readonly gatewayNamespaceMode?: boolean;
  readonly topologyInjectorDisabled?: boolean;
}

/** Resolved bootstrap options, or why the proxy's settings cannot be rendered. */
export type ResolvedBootstrapOptions = { readonly ok: true; readonly options: BootstrapOptions } | { readonly ok: false; readonly error: string };

const DEFAULT_SERVICE_ACCOUNT_TOKEN_PATH = "/sds/xds-service-account-token.json";

/** Sinks written in the EnvoyProxy: host/port or the first backend reference, duplicates (same host:port) skipped. */
function declaredSinks(metrics: ProxyMetrics): { readonly ok: true; readonly sinks: MetricSink[] } | { readonly ok: false; readonly error: string } {
  const sinks: MetricSink[] = [];
  const seen = new Set<string>();
  for (const sink of metrics.sinks ?? []) {
    const otel = sink.openTelemetry;
    if (otel === undefined) continue;
    let host = otel.host ?? "";
    let port = otel.host !== undefined ? (otel.port ?? 0) : 0;
    const ref = otel.backendRefs?.[0];
    if (ref !== undefined) {
      if (ref.port === undefined) return { ok: false, error: `metrics sink backendRef ${ref.name} has no port` };
      host = ref.namespace ? `${ref.name}.${ref.namespace}.svc` : ref.name;
      port = ref.port;
    }
    const address = host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
    if (seen.has(address)) continue;
    seen.add(address);
    sinks.push({
      address: host,
      port,
      ...(otel.reportCountersAsDeltas === true ? { reportCountersAsDeltas: true } : {}),
      ...(otel.reportHistogramsAsDeltas === true ? { reportHistogramsAsDeltas: true } : {}),
      ...(otel.headers !== undefined ? { headers: otel.headers } : {}),
    });
  }
  return { ok: true, sinks };
}

/** An EnvoyProxy's `spec.telemetry.metrics.matches` as the bootstrap's stats matcher (inclusion lists by match type). */
export function statsMatcherOf(matches: ReadonlyArray<ProxyMetricsMatch>): StatsMatcher {
  const exacts: string[] = [];
  const prefixes: string[] = [];
  const suffixes: string[] = [];
  const regularExpressions: string[] = [];
  for (const match of matches) {
    const type = match.type ?? "Exact";
    if (type === "Exact") exacts.push(match.value);
    else if (type === "Prefix") prefixes.push(match.value);
    else if (type === "Suffix") suffixes.push(match.value);
    else if (type === "RegularExpression") regularExpressions.push(match.value);
  }
  return { exacts, prefixes, suffixes, regularExpressions };
}

/**
 * Resolves upstream-shaped render options as upstream's GetRenderedBootstrapConfig does: Prometheus is on unless
 * disabled, compression when configured, resolved sinks win over declared ones, a stats matcher when `matches` is
 * set, the service account token's SDS file only in gateway-namespace mode.
 */
export function resolveBootstrapOptions(options: RenderBootstrapOptions = {}): ResolvedBootstrapOptions {
  const metrics = options.proxyMetrics;
  let metricSinks: ReadonlyArray<MetricSink> = [];
  if (metrics !== undefined) {
    if (options.resolvedMetricSinks !== undefined && options.resolvedMetricSinks.length > 0) metricSinks = options.resolvedMetricSinks;
    else {
      const declared = declaredSinks(metrics);
      if (!declared.ok) return declared;
      metricSinks = declared.sinks;
    }
  }
  const compression = metrics?.prometheus?.compression;
  const sds = options.sdsConfig ?? {};
  const resolved: BootstrapOptions = {
    enablePrometheus: metrics?.prometheus?.disable !== true,
    ...(compression !== undefined ? { prometheusCompression: (compression.type ?? "Gzip") as "Gzip" | "Brotli" | "Zstd" } : {}),
    metricSinks,
    ...(metrics?.matches !== undefined ? { statsMatcher: statsMatcherOf(metrics.matches) } : {}),
    ...(sds.certificate ? { sdsCertificatePath: sds.certificate } : {}),
    ...(sds.trustedCA ? { sdsTrustedCAPath: sds.trustedCA } : {}),
    ...(options.gatewayNamespaceMode === true ? { sdsServiceAccountTokenPath: sds.serviceAccountToken || DEFAULT_SERVICE_ACCOUNT_TOKEN_PATH } : {}),
    ...(options.xdsServerHost !== undefined ? { xdsServerHost: options.xdsServerHost } : {}),
    ...(options.xdsServerPort !== undefined ? { xdsServerPort: options.xdsServerPort } : {}),
    ...(options.adminServerPort !== undefined ? { adminServerPort: options.adminServerPort } : {}),
    ...(options.statsServerPort !== undefined ? { statsServerPort: options.statsServerPort } : {}),
    ...(options.ipFamily !== undefined ? { ipFamily: options.ipFamily } : {}),
    ...(options.serviceClusterName !== undefined ? { serviceClusterName: options.serviceClusterName } : {}),
    ...(options.maxHeapSizeBytes !== undefined ? { maxHeapSizeBytes: options.maxHeapSizeBytes } : {}),
    ...(options.topologyInjectorDisabled === true ? { topologyInjectorDisabled: true } : {}),
  };
  return { ok: true, options: resolved };
}
