// Tracing configuration of a proxy from its EnvoyProxy (upstream listener.go processTracing).
import { isIP } from "node:net";
import type { EnvoyProxy } from "@egts/api";
import type * as ir from "@egts/ir";
import type { GatewayContext } from "./Model.js";
import type { Mutable } from "./Mutable.js";
import type { TelemetryBackendResolver } from "./Observability.js";
import { envoyServiceName } from "./Naming.js";

function mapToSlice(m: Readonly<Record<string, string>> | undefined): ir.MapEntry[] | undefined {
  if (m === undefined) return undefined;
  const out = Object.entries(m)
    .map(([key, value]) => ({ key, value }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return out.length === 0 ? undefined : out;
}

function samplingRate(rate: number | undefined, fraction: { numerator: number; denominator?: number } | undefined): number {
  if (rate !== undefined) return rate;
  if (fraction === undefined) return 100;
  const v = (fraction.numerator * 100) / (fraction.denominator ?? 100);
  return Math.min(100, Math.max(0, v));
}

/** Upstream's authority for a telemetry destination: SNI, FQDN host, or the service's DNS name. */
export function authorityFromDestination(settings: ReadonlyArray<ir.DestinationSetting>): string {
  const d = settings[0];
  if (d === undefined) return "";
  const sni = (d.tls as { sni?: string } | undefined)?.sni;
  if (sni !== undefined) return sni;
  const ep = d.endpoints?.[0];
  if (ep === undefined) return "";
  if (isIP(ep.host) === 0) return ep.host;
  const md = d.metadata;
  if (md?.name !== undefined && md.name !== "") {
    if (md.namespace !== undefined && md.namespace !== "") {
      return md.kind === "Service" ? `${md.name}.${md.namespace}.svc` : `${md.name}.${md.namespace}`;
    }
    return md.name;
  }
  return "";
}

/** The tracing IR of a proxy; an error message when the provider's backend cannot be resolved. */
export function processTracing(
  ep: EnvoyProxy | undefined,
  g: GatewayContext,
  resolve: TelemetryBackendResolver,
  mergeGateways: boolean,
): ir.Tracing | undefined | string {
  const tracing = ep?.spec.telemetry?.tracing as
    | {
        provider: Record<string, unknown> & {
          type?: string;
          host?: string;
          port?: number;
          serviceName?: string;
          openTelemetry?: { headers?: unknown; resourceAttributes?: Record<string, string> };
        };
        samplingRate?: number;
        samplingFraction?: { numerator: number; denominator?: number };
        clientSamplingFraction?: { numerator: number; denominator?: number };
        overallSamplingFraction?: { numerator: number; denominator?: number };
        customTags?: Record<string, unknown>;
        tags?: Record<string, string>;
        spanName?: unknown;
      }
    | undefined;
  if (ep === undefined || tracing === undefined) return undefined;
  const settingName = "tracing/backend/-1";
  const resolved = resolve(settingName, tracing.provider);
  if (typeof resolved === "string") return resolved;
  let settings: ir.DestinationSetting[] = resolved.settings;
  if (tracing.provider.type === "OpenTelemetry") settings = settings.map((s) => ({ ...s, protocol: "GRPC" }));
  let authority = authorityFromDestination(settings);
  if (settings.length === 0) {
    const host = tracing.provider.host ?? "";
    const port = tracing.provider.host !== undefined ? (tracing.provider.port ?? 4317) : 0;
    settings = [{ name: settingName, weight: 1, protocol: "GRPC", addressType: isIP(host) !== 0 ? "IP" : "FQDN", endpoints: [{ host, port }] }];
    authority = host;
  }
  let serviceName = mergeGateways ? g.gateway.spec.gatewayClassName : envoyServiceName(g.namespace, g.name);
  if (tracing.provider.serviceName !== undefined) serviceName = tracing.provider.serviceName;
  const out: Mutable<ir.Tracing> = {
    authority,
    serviceName,
    samplingRate: samplingRate(tracing.samplingRate, tracing.samplingFraction),
    destination: { name: "tracing", settings, metadata: { kind: "EnvoyProxy", name: ep.metadata.name, namespace: ep.metadata.namespace ?? "" } },
    provider: tracing.provider as never,
  } as Mutable<ir.Tracing>;
  const o = out as unknown as Record<string, unknown>;
  if (tracing.clientSamplingFraction !== undefined) o["clientSamplingRate"] = samplingRate(undefined, tracing.clientSamplingFraction);
  if (tracing.overallSamplingFraction !== undefined) o["overallSamplingRate"] = samplingRate(undefined, tracing.overallSamplingFraction);
  if (tracing.customTags !== undefined) {
    const tags = Object.entries(tracing.customTags)
      .map(([key, value]) => ({ key, value }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    if (tags.length > 0) o["customTags"] = tags;
  }
  const tags = mapToSlice(tracing.tags);
  if (tags !== undefined) o["tags"] = tags;
  const ra = mapToSlice(tracing.provider.openTelemetry?.resourceAttributes);
  if (ra !== undefined) o["resourceAttributes"] = ra;
  if (tracing.provider.openTelemetry?.headers !== undefined) o["headers"] = tracing.provider.openTelemetry.headers;
  if (tracing.spanName !== undefined) o["spanName"] = tracing.spanName;
  if (resolved.traffic !== undefined) o["traffic"] = resolved.traffic;
  return out;
}
