// Proxy observability from the EnvoyProxy: access logs, tracing and metrics (upstream listener.go).
import { isIP } from "node:net";
import type { EnvoyProxy, EnvoyProxySpec } from "@egts/api";
import type * as ir from "@egts/ir";
import type { Mutable } from "./Mutable.js";
import { authorityFromDestination } from "./Tracing.js";

type Json = Record<string, unknown>;

function mapToSlice(m: Readonly<Record<string, string>> | undefined): ir.MapEntry[] | undefined {
  if (m === undefined) return undefined;
  const out = Object.entries(m)
    .map(([key, value]) => ({ key, value }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return out.length === 0 ? undefined : out;
}

/** Resolves an EnvoyProxy telemetry backendCluster into destination settings, or an error message. */
export type TelemetryBackendResolver = (
  settingName: string,
  backendCluster: Json | undefined,
) => { settings: ir.DestinationSetting[]; traffic?: ir.TrafficFeatures } | string;

const accessLogTypes = new Map<string, ir.ProxyAccessLogType>((["Route", "Listener", "Upstream"] as const).map((t) => [t, t]));

function celValid(expr: string): boolean {
  // A minimal syntax check: balanced brackets and quotes. Upstream parses with cel-go.
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < expr.length; i++) {
    const ch = expr[i] as string;
    if (quote !== undefined) {
      if (ch === "\\") i++;
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === "(" || ch === "[" || ch === "{") depth++;
    else if (ch === ")" || ch === "]" || ch === "}") {
      depth--;
      if (depth < 0) return false;
    }
  }
  if (quote !== undefined || depth !== 0) return false;
  return !/(&&|\|\||==|!=)\s*$/.test(expr.trim()) && expr.trim() !== "";
}

function hostPortSettings(name: string, host: string, port: number): ir.DestinationSetting[] {
  return [
    {
      name,
      weight: 1,
      protocol: "GRPC",
      addressType: isIP(host) !== 0 ? "IP" : "FQDN",
      endpoints: [{ host, port }],
    },
  ];
}

function authorityOf(settings: ReadonlyArray<ir.DestinationSetting>): string | undefined {
  return authorityFromDestination(settings);
}

/** The access log configuration of a proxy; an error message when a sink's backend cannot be resolved. */
export function processAccessLog(ep: EnvoyProxy | undefined, resolve: TelemetryBackendResolver): ir.AccessLog | undefined | string {
  const al = ep?.spec.telemetry?.accessLog as (Json & { disable?: boolean; settings?: Json[] }) | undefined;
  if (ep === undefined || al === undefined || (al.disable !== true && (al.settings ?? []).length === 0)) {
    return { json: [{ path: "/dev/stdout" }] };
  }
  if (al.disable === true) return undefined;
  const text: ir.TextAccessLog[] = [];
  const json: ir.JSONAccessLog[] = [];
  const als: ir.ALSAccessLog[] = [];
  const otel: ir.OpenTelemetryAccessLog[] = [];
  for (const [i, setting] of (al.settings ?? []).entries()) {
    const s = setting as {
      type?: string;
      format?: { type?: string; text?: string; json?: Record<string, string> };
      matches?: string[];
      sinks?: Array<Json & { type?: string; file?: { path: string }; als?: Json; openTelemetry?: Json }>;
    };
    const logType = s.type !== undefined ? accessLogTypes.get(s.type) : undefined;
    const format = s.format ?? { type: "JSON" };
    const invalid = (s.matches ?? []).filter((m) => !celValid(m));
    if (invalid.length > 0) {
      const msgs = invalid.map((m) => `invalid CEL expression: ${m}`);
      return msgs.length === 1 ? (msgs[0] as string) : `[${msgs.join(", ")}]`;
    }
    const cel = s.matches !== undefined && s.matches.length > 0 ? s.matches : undefined;
    const common = <T extends object>(o: T): T => {
      const out = o as Mutable<T> & { celMatches?: string[]; logType?: ir.ProxyAccessLogType };
      if (cel !== undefined) out.celMatches = cel;
      if (logType !== undefined) out.logType = logType;
      return out;
    };
    if ((s.sinks ?? []).length === 0) {
      const entry: Mutable<ir.JSONAccessLog> = { path: "/dev/stdout" };
      const attrs = mapToSlice(format.json);
      if (attrs !== undefined) entry.json = attrs;
      json.push(common(entry));
    }
    for (const [j, sink] of (s.sinks ?? []).entries()) {
      if (sink.type === "File") {
        if (sink.file === undefined) continue;
        if (format.type === "Text") {
          const entry: Mutable<ir.TextAccessLog> = { path: sink.file.path };
          if (format.text !== undefined) entry.format = format.text;
          text.push(common(entry));
        } else {
          const entry: Mutable<ir.JSONAccessLog> = { path: sink.file.path };
          const attrs = mapToSlice(format.json);
          if (attrs !== undefined) entry.json = attrs;
          json.push(common(entry));
        }
      } else if (sink.type === "ALS") {
        const a = sink.als as (Json & { logName?: string; backendRefs?: unknown; type?: string; http?: Json }) | undefined;
        if (a === undefined) continue;
        const destName = `accesslog_als_${i}_${j}`;
        const resolved = resolve(`${destName}/backend/-1`, a);
        if (typeof resolved === "string") return resolved;
        const settings = resolved.settings.map((d) => ({ ...d, protocol: "GRPC" as const }));
        const entry: Mutable<ir.ALSAccessLog> = {
          name: a.logName ?? `${ep.metadata.namespace ?? ""}/${ep.metadata.name}`,
          destination: { name: destName, settings, metadata: { kind: "EnvoyProxy", name: ep.metadata.name, namespace: ep.metadata.namespace ?? "" } },
          type: a.type as ir.ALSAccessLog["type"],
        };
        if (resolved.traffic !== undefined) entry.traffic = resolved.traffic;
        if (a.type === "HTTP" && a.http !== undefined) entry.http = a.http as ir.ALSAccessLogHTTP;
        if (format.type === "Text") {
          if (format.text !== undefined) entry.text = format.text;
        } else {
          const attrs = mapToSlice(format.json);
          if (attrs !== undefined) entry.attributes = attrs;
        }
        als.push(common(entry));
      } else if (sink.type === "OpenTelemetry") {
        const o = sink.openTelemetry as
          | (Json & { host?: string; port?: number; resources?: Record<string, string>; resourceAttributes?: Record<string, string>; headers?: unknown })
          | undefined;
        if (o === undefined) continue;
        const destName = `accesslog_otel_${i}_${j}`;
        const settingName = `${destName}/backend/-1`;
        const resolved = resolve(settingName, o);
        if (typeof resolved === "string") return resolved;
        let settings = resolved.settings.map((d) => ({ ...d, protocol: "GRPC" as const }));
        let authority = authorityOf(settings);
        if (settings.length === 0) {
          settings = hostPortSettings(settingName, o.host ?? "", o.host !== undefined ? (o.port ?? 4317) : 0) as typeof settings;
          authority = o.host ?? "";
        }
        const entry: Mutable<ir.OpenTelemetryAccessLog> = {
          destination: { name: destName, settings, metadata: { kind: "EnvoyProxy", name: ep.metadata.name, namespace: ep.metadata.namespace ?? "" } },
        } as Mutable<ir.OpenTelemetryAccessLog>;
        if (authority !== undefined && authority !== "") (entry as { authority?: string }).authority = authority;
        const resAttrs = mapToSlice(o.resourceAttributes ?? o.resources);
        if (resAttrs !== undefined) (entry as unknown as { resourceAttributes?: ir.MapEntry[] }).resourceAttributes = resAttrs;
        if (o.headers !== undefined) (entry as { headers?: unknown }).headers = o.headers;
        if (resolved.traffic !== undefined) (entry as { traffic?: ir.TrafficFeatures }).traffic = resolved.traffic;
        if (format.type === undefined || format.type === "Text") {
          if (format.text !== undefined) (entry as { text?: string }).text = format.text;
        }
        if (format.type === undefined || format.type === "JSON") {
          const attrs = mapToSlice(format.json);
          if (attrs !== undefined) (entry as unknown as { attributes?: ir.MapEntry[] }).attributes = attrs;
        }
        otel.push(common(entry));
      }
    }
  }
  const out: Mutable<ir.AccessLog> = {};
  if (text.length > 0) out.text = text;
  if (json.length > 0) out.json = json;
  if (als.length > 0) out.als = als;
  if (otel.length > 0) out.openTelemetry = otel;
  return out;
}

/** The health check log settings of an EnvoyProxy (also embedded in active health checks). */
export type HealthCheckLogSpec = NonNullable<NonNullable<EnvoyProxySpec["telemetry"]>["healthCheckLog"]>;

/** Health check logging of a proxy, when enabled on the EnvoyProxy. */
export function processHealthCheckLog(ep: EnvoyProxy | undefined): ir.ProxyHealthCheckLog | undefined {
  return healthCheckLogIR(ep?.spec.telemetry?.healthCheckLog);
}

/** The IR of health check log settings: no matches logs everything, no sinks logs to stdout. */
export function healthCheckLogIR(hc: HealthCheckLogSpec | undefined): ir.ProxyHealthCheckLog | undefined {
  if (hc === undefined) return undefined;
  const out: Mutable<ir.ProxyHealthCheckLog> = {};
  const matches = hc.matches ?? [];
  if (matches.length === 0) {
    out.alwaysLogHealthCheckFailures = true;
    out.alwaysLogHealthCheckSuccess = true;
  } else {
    if (matches.includes("Failure")) out.alwaysLogHealthCheckFailures = true;
    if (matches.includes("Success")) out.alwaysLogHealthCheckSuccess = true;
  }
  const sinks = (hc.sinks ?? []).filter((s) => s.type === "File" && s.file !== undefined).map((s) => ({ path: s.file?.path ?? "" }));
  out.fileSinks = (hc.sinks ?? []).length === 0 ? [{ path: "/dev/stdout" }] : sinks;
  return out;
}

/** Metrics settings of a proxy and its resolved OpenTelemetry sinks; an error message when a sink fails. */
export function processMetrics(
  ep: EnvoyProxy | undefined,
  resolve: TelemetryBackendResolver,
): { metrics?: ir.Metrics; sinks: ir.ResolvedMetricSink[] } | string {
  const m = ep?.spec.telemetry?.metrics as
    | (Json & {
        enableVirtualHostStats?: boolean;
        enablePerEndpointStats?: boolean;
        enableRequestResponseSizesStats?: boolean;
        sinks?: Array<{
          openTelemetry?: Json & {
            host?: string;
            port?: number;
            headers?: unknown;
            resourceAttributes?: Record<string, string>;
            reportCountersAsDeltas?: boolean;
            reportHistogramsAsDeltas?: boolean;
          };
        }>;
      })
    | undefined;
  if (ep === undefined || m === undefined) return { sinks: [] };
  const sinks: ir.ResolvedMetricSink[] = [];
  const seen = new Set<string>();
  for (const [i, sink] of (m.sinks ?? []).entries()) {
    const o = sink.openTelemetry;
    if (o === undefined) continue;
    const destName = `metrics_otel_${i}`;
    const settingName = `${destName}/backend/-1`;
    const resolved = resolve(settingName, o);
    if (typeof resolved === "string") return resolved;
    let settings: ir.DestinationSetting[] = resolved.settings.map((d) => ({ ...d, protocol: "GRPC" as const }));
    let authority = authorityFromDestination(settings);
    if (settings.length === 0 && o.host !== undefined) {
      settings = hostPortSettings(settingName, o.host, o.port ?? 4317);
      authority = o.host;
    }
    const ep0 = settings[0]?.endpoints?.[0];
    if (ep0 === undefined) continue;
    const addr = ep0.host.includes(":") ? `[${ep0.host}]:${ep0.port}` : `${ep0.host}:${ep0.port}`;
    if (seen.has(addr)) continue;
    seen.add(addr);
    const out: Record<string, unknown> = {
      destination: { name: destName, settings, metadata: { kind: "EnvoyProxy", name: ep.metadata.name, namespace: ep.metadata.namespace ?? "" } },
      authority,
    };
    if (o.headers !== undefined) out["headers"] = o.headers;
    if (o.resourceAttributes !== undefined) out["resourceAttributes"] = o.resourceAttributes;
    if (o.reportCountersAsDeltas === true) out["reportCountersAsDeltas"] = true;
    if (o.reportHistogramsAsDeltas === true) out["reportHistogramsAsDeltas"] = true;
    sinks.push(out as unknown as ir.ResolvedMetricSink);
  }
  const out: Mutable<ir.Metrics> = {} as Mutable<ir.Metrics>;
  const o = out as Record<string, unknown>;
  if (m.enableVirtualHostStats === true) o["enableVirtualHostStats"] = true;
  if (m.enablePerEndpointStats === true) o["enablePerEndpointStats"] = true;
  if (m.enableRequestResponseSizesStats === true) o["enableRequestResponseSizesStats"] = true;
  return { metrics: out, sinks };
}
