// Input normalization: YAML/JSON nulls mean "unset" in Kubernetes objects, as Go's decoder treats them.
import type { EnvoyProxy, Resources } from "@egts/api";

function withSpec(ep: EnvoyProxy): EnvoyProxy {
  return ep.spec === undefined ? { ...ep, spec: {} } : ep;
}

/** Resources without nulls, and with every EnvoyProxy carrying a (possibly empty) spec and listeners a name. */
export function normalizeResources(resources: Resources): Resources {
  const r = withoutNulls(resources);
  const out: Record<string, unknown> = { ...r };
  if (r.envoyProxyForGatewayClass !== undefined) out["envoyProxyForGatewayClass"] = withSpec(r.envoyProxyForGatewayClass);
  if (r.envoyProxiesForGateways !== undefined) out["envoyProxiesForGateways"] = r.envoyProxiesForGateways.map(withSpec);
  // Go reads absent fields as zero values: a Gateway without spec or listeners has none, a listener without
  // a name is named "", a route without spec has no parents and no rules.
  if (r.gateways !== undefined) {
    out["gateways"] = r.gateways.map((g) => {
      const spec = (g.spec ?? {}) as Partial<typeof g.spec>;
      const listeners = spec.listeners ?? [];
      if (g.spec !== undefined && spec.listeners !== undefined && !listeners.some((l) => l.name === undefined)) return g;
      return { ...g, spec: { ...spec, gatewayClassName: spec.gatewayClassName ?? "", listeners: listeners.map((l) => ({ ...l, name: l.name ?? "" })) } };
    });
  }
  for (const key of ["httpRoutes", "grpcRoutes", "tlsRoutes", "tcpRoutes", "udpRoutes"] as const) {
    const list = r[key] as ReadonlyArray<{ spec?: { rules?: unknown } }> | undefined;
    if (list === undefined) continue;
    if (list.some((x) => x.spec === undefined || ((key === "tlsRoutes" || key === "tcpRoutes" || key === "udpRoutes") && x.spec.rules === undefined))) {
      out[key] = list.map((x) => (x.spec === undefined || x.spec.rules === undefined ? { ...x, spec: { ...(x.spec ?? {}), rules: [] } } : x));
    }
  }
  return out as unknown as Resources;
}

/**
 * The value with every null-valued field removed (array elements kept). Copy-on-write: subtrees without
 * nulls are returned as they are, so the common case allocates nothing.
 */
export function withoutNulls<T>(value: T): T {
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      const n = withoutNulls(v);
      if (n !== v) {
        out ??= value.slice();
        out[i] = n;
      }
    }
    return (out ?? value) as T;
  }
  if (value !== null && typeof value === "object") {
    let out: Record<string, unknown> | undefined;
    const obj = value as Record<string, unknown>;
    for (const k in obj) {
      const v = obj[k];
      if (v === null) {
        out ??= { ...obj };
        delete out[k];
        continue;
      }
      const n = withoutNulls(v);
      if (n !== v) {
        out ??= { ...obj };
        out[k] = n;
      }
    }
    return (out ?? value) as T;
  }
  return value;
}
