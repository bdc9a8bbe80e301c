// The properties every input the loader accepts must keep, checked end to end: loader -> Gateway API
// translator -> IR codec -> xDS translator -> Envoy's validation rules.
import { decodeResources, type Resources } from "@egts/api";
import { validate } from "@egts/envoy-api";
import { translate, type TranslateOptions, type TranslateResult } from "@egts/gatewayapi-translator";
import { safeDecodeInfraIRMap, safeDecodeXdsIRMap } from "@egts/ir";
import { translateXds } from "@egts/xds-translator";

/** A property that did not hold, with the stage it failed in. */
export class PropertyViolation extends Error {
  constructor(
    readonly stage: "loader" | "gatewayapi" | "determinism" | "ir" | "xds" | "envoy-validation" | "isolation",
    message: string,
  ) {
    super(`${stage}: ${message}`);
  }
}

/** Decodes a raw bundle as the controller's loader does: CRD and API server validation, defaults applied. */
export function loadBundle(raw: unknown): Resources {
  return decodeResources(raw, { validate: true, applyDefaults: true, goDecoding: false, unknownFields: "error", anyServedVersion: true }).resources;
}

// Certificate validity is judged against a fixed instant, so runs repeat exactly.
const now = new Date("2026-06-01T00:00:00Z");
const xdsTypes = {
  listeners: "envoy.config.listener.v3.Listener",
  routes: "envoy.config.route.v3.RouteConfiguration",
  clusters: "envoy.config.cluster.v3.Cluster",
  endpoints: "envoy.config.endpoint.v3.ClusterLoadAssignment",
  secrets: "envoy.extensions.transport_sockets.tls.v3.Secret",
} as const;

function run<T>(stage: PropertyViolation["stage"], f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof PropertyViolation) throw e;
    throw new PropertyViolation(stage, e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ""}` : String(e));
  }
}

const stable = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (x instanceof Uint8Array ? Buffer.from(x).toString("base64") : x));

/**
 * Checks one raw bundle: the loader never throws; on what it accepts the Gateway API translator never throws
 * and is deterministic; its IR decodes; the xDS translator never throws on that IR; every Envoy resource it
 * emits passes Envoy's validation rules. Returns the translation; throws a {@link PropertyViolation}.
 */
export function checkBundle(raw: unknown, options: TranslateOptions): TranslateResult {
  const resources = run("loader", () => loadBundle(raw));
  const first = run("gatewayapi", () => translate(resources, options, now));
  const second = run("gatewayapi", () => translate(resources, options, now));
  if (stable(first) !== stable(second)) throw new PropertyViolation("determinism", "two translations of one input differ");
  const xds = safeDecodeXdsIRMap(first.xdsIR, "xdsIR");
  if (!xds.ok) throw new PropertyViolation("ir", `xds IR does not decode: ${xds.issues.slice(0, 3).join("; ")}`);
  const infra = safeDecodeInfraIRMap(first.infraIR, "infraIR");
  if (!infra.ok) throw new PropertyViolation("ir", `infra IR does not decode: ${infra.issues.slice(0, 3).join("; ")}`);
  for (const [key, ir] of xds.value) {
    const result = run("xds", () =>
      translateXds(ir, { controllerNamespace: options.controllerNamespace ?? "envoy-gateway-system", dnsDomain: "cluster.local" }),
    );
    for (const [kind, typeName] of Object.entries(xdsTypes)) {
      for (const r of result[kind as keyof typeof xdsTypes]) {
        const violations = run("envoy-validation", () => validate(typeName, r.bytes));
        if (violations.length > 0) {
          throw new PropertyViolation(
            "envoy-validation",
            `${key}: ${kind} ${r.name}: ${violations
              .slice(0, 3)
              .map((v) => `${v.path} ${v.message}`)
              .join("; ")}`,
          );
        }
      }
    }
  }
  return first;
}

/** The Resources lists that hold routes. */
export const routeLists = ["httpRoutes", "grpcRoutes", "tlsRoutes", "tcpRoutes", "udpRoutes"] as const;

type Obj = { metadata?: { namespace?: string; name?: string }; status?: { parents?: Array<{ conditions?: Array<{ type: string }> }> } };

// A route's status without the conditions that compare it with other routes (overlaps are about both).
function ownStatus(route: Obj): string {
  const parents = (route.status?.parents ?? []).map((p) => ({
    ...p,
    conditions: (p.conditions ?? []).filter((c) => c.type !== "RouteRulesOverlap").map((c) => ({ ...c, lastTransitionTime: undefined })),
  }));
  return stable(parents);
}

/**
 * Isolation: after a change to the route at `changed` (list and index in the bundle), every other route keeps
 * its status (overlap warnings aside, which are about pairs of routes).
 */
export function checkRouteIsolation(before: TranslateResult, after: TranslateResult, changed: { list: string; name: string; namespace: string }): void {
  const byKey = (result: TranslateResult): Map<string, string> => {
    const out = new Map<string, string>();
    for (const list of routeLists) {
      for (const r of (result as unknown as Record<string, Obj[] | undefined>)[list] ?? []) {
        out.set(`${list}/${r.metadata?.namespace ?? ""}/${r.metadata?.name ?? ""}`, ownStatus(r));
      }
    }
    return out;
  };
  const a = byKey(before);
  const b = byKey(after);
  const changedKey = `${changed.list}/${changed.namespace}/${changed.name}`;
  for (const [key, status] of a) {
    if (key === changedKey || !b.has(key)) continue;
    if (b.get(key) !== status) throw new PropertyViolation("isolation", `changing ${changedKey} changed the status of ${key}`);
  }
}
