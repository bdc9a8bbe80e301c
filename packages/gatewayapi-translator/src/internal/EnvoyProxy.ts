// Resolving the EnvoyProxy that configures each Gateway: Gateway parametersRef over GatewayClass over the
// Envoy Gateway default spec, combined by the proxies' mergeType.
import type { EnvoyProxy, EnvoyProxySpec, Gateway, Resources } from "@egts/api";

type Json = unknown;

function isPlainObject(v: Json): v is Record<string, Json> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** RFC 7386 JSON merge of two values; `override` wins, objects merge recursively, null deletes. */
export function jsonMerge(base: Json, override: Json): Json {
  if (!isPlainObject(base) || !isPlainObject(override)) return override;
  const out: Record<string, Json> = { ...base };
  for (const [k, v] of Object.entries(override)) {
    if (v === null) delete out[k];
    else out[k] = k in out ? jsonMerge(out[k], v) : v;
  }
  return out;
}

function mergeTypeOf(...proxies: ReadonlyArray<EnvoyProxy | undefined>): string {
  for (const p of proxies) {
    const mt = (p?.spec as { mergeType?: string } | undefined)?.mergeType;
    if (mt !== undefined) return mt;
  }
  return "Replace";
}

function mergeProxies(base: EnvoyProxy | undefined, override: EnvoyProxy | undefined, mergeType: string): EnvoyProxy | undefined {
  if (override === undefined) return base;
  if (base === undefined) return override;
  if (mergeType === "Replace") return override;
  return jsonMerge(base, override) as EnvoyProxy;
}

/** Combines the default spec, the GatewayClass EnvoyProxy and the Gateway EnvoyProxy into one. */
export function mergeEnvoyProxyConfigs(
  defaultSpec: EnvoyProxySpec | undefined,
  gatewayClassProxy: EnvoyProxy | undefined,
  gatewayProxy: EnvoyProxy | undefined,
): EnvoyProxy | undefined {
  const defaultProxy =
    defaultSpec === undefined
      ? undefined
      : ({ apiVersion: "gateway.envoyproxy.io/v1alpha1", kind: "EnvoyProxy", metadata: { name: "" }, spec: defaultSpec } as EnvoyProxy);
  const gatewayMerged = mergeProxies(gatewayClassProxy, gatewayProxy, mergeTypeOf(gatewayProxy));
  return mergeProxies(defaultProxy, gatewayMerged, mergeTypeOf(gatewayClassProxy, gatewayProxy));
}

/** Whether the GatewayClass (or the default spec) asks for all Gateways to share one proxy fleet. */
export function isMergeGatewaysEnabled(resources: Resources): boolean {
  const classLevel = resources.envoyProxyForGatewayClass?.spec?.mergeGateways;
  if (classLevel !== undefined && classLevel !== null) return classLevel;
  return resources.envoyProxyDefaultSpec?.mergeGateways ?? false;
}

/** The EnvoyProxy a Gateway names through spec.infrastructure.parametersRef, if it exists. */
export function gatewayParametersProxy(
  gateway: Gateway,
  proxies: ReadonlyMap<string, EnvoyProxy>,
  mergeGateways: boolean,
): EnvoyProxy | undefined {
  const ref = gateway.spec.infrastructure?.parametersRef;
  if (ref === undefined || mergeGateways) return undefined;
  if (ref.group !== "gateway.envoyproxy.io" || ref.kind !== "EnvoyProxy") return undefined;
  return proxies.get(`${gateway.metadata.namespace ?? ""}/${ref.name}`);
}

/** Deprecated EnvoyProxy fields in use, with their replacements. */
export function deprecatedEnvoyProxyFields(ep: EnvoyProxy): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if ((ep.spec as { luaValidation?: unknown }).luaValidation !== undefined) out.push(["spec.luaValidation", "spec.lua.validationType"]);
  return out;
}

/**
 * Validates an EnvoyProxy the way upstream's api/v1alpha1/validation does for the parts egts checks.
 * Returns the error messages; an empty list means valid.
 */
export function validateEnvoyProxy(ep: EnvoyProxy): string[] {
  const errs: string[] = [];
  const accessLog = ep.spec?.telemetry?.accessLog as { disable?: boolean } | undefined;
  if (accessLog?.disable === true) return errs;
  const settings = (ep.spec?.telemetry?.accessLog?.settings ?? []) as ReadonlyArray<{
    readonly format?: { readonly type?: string; readonly text?: string };
    readonly sinks?: ReadonlyArray<{ readonly type?: string; readonly file?: unknown; readonly openTelemetry?: unknown }>;
  }>;
  for (const setting of settings) {
    if (setting.format?.type === "Text" && setting.format.text === undefined) {
      errs.push('unable to configure access log when using Text format but "text" field being empty');
    }
    for (const sink of setting.sinks ?? []) {
      if (sink.type === "File" && sink.file === undefined)
        errs.push('unable to configure access log when using File sink type but "file" field being empty');
      if (sink.type === "OpenTelemetry" && sink.openTelemetry === undefined)
        errs.push('unable to configure access log when using OpenTelemetry sink type but "openTelemetry" field being empty');
    }
  }
  return errs;
}

/** Formats validation errors like Go's aggregated error: one message bare, several in brackets. */
export function aggregateMessage(errs: ReadonlyArray<string>): string {
  return errs.length === 1 ? (errs[0] as string) : `[${errs.join(", ")}]`;
}
