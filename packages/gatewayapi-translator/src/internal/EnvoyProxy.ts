// Resolving the EnvoyProxy that configures each Gateway: Gateway parametersRef over GatewayClass over the
// Envoy Gateway default spec, combined by the proxies' mergeType.
import { bootstrapConfigProblem, type ProxyBootstrapConfig } from "@egts/bootstrap";
import { isIP } from "node:net";
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
    const mt = p?.spec?.mergeType;
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
export function gatewayParametersProxy(gateway: Gateway, proxies: ReadonlyMap<string, EnvoyProxy>, mergeGateways: boolean): EnvoyProxy | undefined {
  const ref = gateway.spec.infrastructure?.parametersRef;
  if (ref === undefined || mergeGateways) return undefined;
  if (ref.group !== "gateway.envoyproxy.io" || ref.kind !== "EnvoyProxy") return undefined;
  return proxies.get(`${gateway.metadata.namespace ?? ""}/${ref.name}`);
}

/** Deprecated EnvoyProxy fields in use, with their replacements. */
export function deprecatedEnvoyProxyFields(ep: EnvoyProxy): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (ep.spec.luaValidation !== undefined) out.push(["spec.luaValidation", "spec.lua.validationType"]);
  return out;
}

type ProviderSpec = NonNullable<EnvoyProxySpec["provider"]>;
type KubernetesProviderSpec = NonNullable<ProviderSpec["kubernetes"]>;
type ResourcePatch = NonNullable<NonNullable<KubernetesProviderSpec["envoyService"]>["patch"]>;

function patchErrors(patch: ResourcePatch | undefined, what: string): string[] {
  if (patch === undefined) return [];
  const errs: string[] = [];
  if (patch.value === undefined) errs.push(`envoy ${what} patch object cannot be empty`);
  if (patch.type !== undefined && patch.type !== "JSONMerge" && patch.type !== "StrategicMerge")
    errs.push(`unsupported envoy ${what} patch type ${patch.type}`);
  return errs;
}

function isCIDR(s: string): boolean {
  const m = /^(.+)\/(\d{1,3})$/.exec(s);
  if (m === null) return false;
  const version = isIP(m[1] ?? "");
  const bits = Number(m[2]);
  return (version === 4 && bits <= 32) || (version === 6 && bits <= 128);
}

function serviceErrors(svc: NonNullable<KubernetesProviderSpec["envoyService"]>): string[] {
  const errs: string[] = [];
  const type = svc.type;
  if (type !== undefined && type !== "LoadBalancer" && type !== "ClusterIP" && type !== "NodePort") errs.push(`unsupported envoy service type ${type}`);
  if (type !== undefined && svc.allocateLoadBalancerNodePorts !== undefined && type !== "LoadBalancer") {
    errs.push("allocateLoadBalancerNodePorts can only be set for LoadBalancer type");
  }
  if (type !== undefined && svc.loadBalancerSourceRanges !== undefined) {
    if (type !== "LoadBalancer") errs.push("loadBalancerSourceRanges can only be set for LoadBalancer type");
    for (const range of svc.loadBalancerSourceRanges) {
      if (!isCIDR(range)) errs.push(`loadBalancerSourceRange:${range} is an invalid IP subnet`);
    }
  }
  if (type !== undefined && svc.loadBalancerIP !== undefined) {
    if (type !== "LoadBalancer") errs.push("loadBalancerIP can only be set for LoadBalancer type");
    if (isIP(svc.loadBalancerIP) !== 4) errs.push(`loadBalancerIP:${svc.loadBalancerIP} is an invalid IP address`);
  }
  errs.push(...patchErrors(svc.patch, "service"));
  return errs;
}

function providerErrors(provider: ProviderSpec | undefined): string[] {
  if (provider === undefined) return [];
  const errs: string[] = [];
  switch (provider.type) {
    case "Kubernetes": {
      const k8s = provider.kubernetes;
      errs.push(...patchErrors(k8s?.envoyDeployment?.patch, "deployment"));
      errs.push(...patchErrors(k8s?.envoyHpa?.patch, "hpa"));
      errs.push(...patchErrors(k8s?.envoyPDB?.patch, "pdb"));
      if (k8s?.envoyService !== undefined) errs.push(...serviceErrors(k8s.envoyService));
      break;
    }
    case "Host":
      if (provider.host === undefined) errs.push("field 'host' should be specified when provider type is 'Host'");
      break;
    default:
      errs.push(`unsupported provider type ${provider.type}`);
  }
  return errs;
}

const clusterStatOperators = new Set(["%ROUTE_NAME%", "%ROUTE_NAMESPACE%", "%ROUTE_KIND%", "%ROUTE_RULE_NAME%", "%ROUTE_RULE_NUMBER%", "%BACKEND_REFS%"]);

function clusterStatNameError(name: string): string | undefined {
  const matches = name.match(/%[^%]*%/g) ?? [];
  if (matches.length === 0 && name.includes("%")) return "unable to configure Cluster Stat Name: unable to configure stat name with invalid operator";
  const unsupported = matches.filter((m) => !clusterStatOperators.has(m));
  return unsupported.length > 0 ? `unable to configure Cluster Stat Name: unsupported operators: [${unsupported.join(" ")}]` : undefined;
}

function filterOrderError(order: ReadonlyArray<{ name: string; before?: string; after?: string }>): string | undefined {
  const edges = new Map<string, Set<string>>();
  const reachable = (from: string, to: string): boolean => {
    const seen = new Set<string>();
    const stack = [from];
    while (stack.length > 0) {
      const n = stack.pop() as string;
      if (n === to) return true;
      if (seen.has(n)) continue;
      seen.add(n);
      for (const m of edges.get(n) ?? []) stack.push(m);
    }
    return false;
  };
  for (const f of order) {
    const [from, to] = f.before !== undefined ? [f.name, f.before] : [f.after ?? "", f.name];
    if (edges.get(from)?.has(to) === true) continue;
    if (reachable(to, from)) return `there is a cycle in the filter order: ${from} -> ${to}`;
    edges.set(from, (edges.get(from) ?? new Set()).add(to));
  }
  return undefined;
}

/** Validates an EnvoyProxy as upstream's api/v1alpha1/validation does; returns the messages (empty: valid). */
export function validateEnvoyProxy(ep: EnvoyProxy): string[] {
  // A spec that skipped schema validation may be missing.
  const spec: EnvoyProxySpec = ep.spec ?? {};
  const errs: string[] = [...providerErrors(spec.provider)];
  const telemetry = spec.telemetry;
  const accessLog = telemetry?.accessLog;
  if (accessLog !== undefined && accessLog.disable !== true) {
    for (const setting of accessLog.settings ?? []) {
      if (setting.format?.type === "Text" && setting.format.text === undefined) {
        errs.push('unable to configure access log when using Text format but "text" field being empty');
      }
      for (const sink of setting.sinks ?? []) {
        if (sink.type === "File" && sink.file === undefined) errs.push('unable to configure access log when using File sink type but "file" field being empty');
        if (sink.type === "OpenTelemetry" && sink.openTelemetry === undefined) {
          errs.push('unable to configure access log when using OpenTelemetry sink type but "openTelemetry" field being empty');
        }
      }
    }
  }
  const metrics = telemetry?.metrics;
  if (metrics !== undefined) {
    for (const sink of metrics.sinks ?? []) {
      if (sink.type === "OpenTelemetry" && sink.openTelemetry === undefined) errs.push("opentelemetry is required if the sink type is OpenTelemetry");
    }
    if (typeof metrics.clusterStatName === "string") {
      const err = clusterStatNameError(metrics.clusterStatName);
      if (err !== undefined) errs.push(err);
    }
  }
  if (Array.isArray(spec.filterOrder)) {
    const err = filterOrderError(spec.filterOrder);
    if (err !== undefined) errs.push(err);
  }
  // Upstream checks the bootstrap customization only once the rest of the spec is valid.
  if (errs.length === 0) {
    // The CRD's patch op enum is open (string & {}); the bootstrap checks report an unknown op themselves.
    const problem = bootstrapConfigProblem(spec.bootstrap as ProxyBootstrapConfig | undefined);
    if (problem !== undefined) errs.push(problem);
  }
  return errs;
}

/** Formats validation errors like Go's aggregated error: one message bare, several in brackets. */
export function aggregateMessage(errs: ReadonlyArray<string>): string {
  return errs.length === 1 ? (errs[0] as string) : `[${errs.join(", ")}]`;
}
