// Input normalization: YAML/JSON nulls mean "unset" in Kubernetes objects, as Go's decoder treats them.

import type { EnvoyProxy, Resources } from "@egts/api";

function withSpec(ep: EnvoyProxy): EnvoyProxy {
  return ep.spec === undefined ? { ...ep, spec: {} } : ep;
}

/** Resources without nulls, and with every EnvoyProxy carrying a (possibly empty) spec. */
export function normalizeResources(resources: Resources): Resources {
  const r = withoutNulls(resources);
  const out: Record<string, unknown> = { ...r };
  if (r.envoyProxyForGatewayClass !== undefined) out["envoyProxyForGatewayClass"] = withSpec(r.envoyProxyForGatewayClass);
  if (r.envoyProxiesForGateways !== undefined) out["envoyProxiesForGateways"] = r.envoyProxiesForGateways.map(withSpec);
  // Go reads a missing listener name as "".
  if (r.gateways !== undefined) {
    out["gateways"] = r.gateways.map((g) =>
      g.spec?.listeners?.some((l) => l.name === undefined) === true
        ? { ...g, spec: { ...g.spec, listeners: g.spec.listeners.map((l) => ({ ...l, name: l.name ?? "" })) } }
        : g,
    );
  }
  return out as unknown as Resources;
}

/** A deep copy of a parsed object with every null-valued field removed (array elements kept). */
export function withoutNulls<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => withoutNulls(v)) as T;
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) out[k] = withoutNulls(v);
    return out as T;
  }
  return value;
}
