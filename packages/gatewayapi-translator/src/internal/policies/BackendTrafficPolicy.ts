// BackendTrafficPolicy (upstream backendtrafficpolicy.go): how traffic reaches backends (rate limits, load
// balancing, retries, timeouts, circuit breakers, health checks, fault injection, response overrides...).
// Policies are applied from the most specific target to the least: route rules, routes, ListenerSet
// listeners, ListenerSets, Gateway listeners, Gateways; a less specific policy never replaces settings a
// more specific one already put on a route.
import type { BackendTrafficPolicy, ListenerSet } from "@egts/api";
import type * as ir from "@egts/ir";
import { formatGoDuration, parseGoDuration } from "@egts/ir";
import { translateTrafficFeatures } from "../ClusterSettings.js";
import { conditionMessage } from "../Conditions.js";
import type { ResourceIndex } from "../Index.js";
import { irListenerName, type GatewayContext, type ListenerContext } from "../Model.js";
import type { Mutable } from "../Mutable.js";
import { checkRegex } from "../Regex.js";
import type { RouteContext } from "../RouteContext.js";
import { formatPolicyScopes, PolicyScopeGraph, type PolicyScope } from "./PolicyScopes.js";
import { gatewayAncestorRef, listenerSetAncestorRef, PolicyStatus, type AncestorRef, type PolicyResolveError } from "./PolicyStatus.js";
import {
  gatewayCandidates,
  listenerSetCandidates,
  nsName,
  resolvePolicyTargets,
  targetsFromReferences,
  type PolicyTarget,
  type SelectableObject,
} from "./PolicyTargets.js";
import { irStringMatch, quantityAsInteger, quantityText } from "./Values.js";
import { customResponseBody, type CustomResponseBodySpec } from "../CustomResponseBody.js";
import { parseCIDR } from "./Cidr.js";

// Policy specs are read loosely: many optional, nested shapes that become IR one to one.
type J = Record<string, any>;

/** What the BackendTrafficPolicy pass needs from the translation. */
export interface BackendTrafficPolicyContext {
  readonly gateways: ReadonlyArray<GatewayContext>;
  readonly listenerSets: ReadonlyArray<ListenerSet>;
  readonly routes: ReadonlyArray<RouteContext>;
  readonly xdsIR: ReadonlyMap<string, Mutable<ir.Xds>>;
  readonly index: ResourceIndex;
  readonly controllerName: string;
  readonly globalRateLimitEnabled: boolean;
}

interface RouteTarget {
  readonly route: RouteContext;
  attached: boolean;
  readonly attachedRules: Set<string>;
}

interface GatewayTarget {
  readonly gateway: GatewayContext;
  attached: boolean;
  readonly attachedListeners: Set<string>;
}

interface ListenerSetTarget {
  readonly listenerSet: ListenerSet;
  attached: boolean;
  readonly attachedListeners: Set<string>;
}

const gatewayGroup = "gateway.networking.k8s.io";

function deprecatedFields(spec: J): Map<string, string> {
  const out = new Map<string, string>();
  if (spec["targetRef"] !== undefined) out.set("spec.targetRef", "spec.targetRefs");
  if (Array.isArray(spec["compression"]) && spec["compression"].length > 0) out.set("spec.compression", "spec.compressor");
  return out;
}

function ruleNames(route: RouteContext): string[] {
  const rules = ((route.route as { spec?: { rules?: Array<{ name?: string }> } }).spec?.rules ?? []) as Array<{ name?: string }>;
  return rules.map((r) => r.name ?? "").filter((n) => n !== "");
}

function routeScopeOf(route: RouteContext): PolicyScope {
  return { kind: "Route", namespace: route.namespace, name: route.name, routeKind: route.kind };
}

/** One route of the xds IR, where it sits. */
interface IRRouteSlot {
  readonly irKey: string;
  readonly listenerName: string;
  readonly protocol: "tcp" | "udp" | "http";
  readonly route: J;
  /** The route's name, or for TCP and UDP routes its destination's name. */
  readonly name: string;
}

/**
 * `kind/namespace/name/`: the start of an IR route name up to its third slash (route names are
 * `<kind>/<namespace>/<name>/rule/...`, and Kubernetes names hold no slash), or undefined if it has fewer.
 */
function routeNameKey(name: string): string | undefined {
  const a = name.indexOf("/");
  const b = a < 0 ? -1 : name.indexOf("/", a + 1);
  const c = b < 0 ? -1 : name.indexOf("/", b + 1);
  return c < 0 ? undefined : name.slice(0, c + 1);
}

/** The translation state of one BackendTrafficPolicy pass. */
class BackendTrafficPolicyPass {
  readonly routes = new Map<string, RouteTarget>();
  readonly gateways = new Map<string, GatewayTarget>();
  readonly listenerSets = new Map<string, ListenerSetTarget>();
  readonly gatewayPolicies = new Map<string, J>();
  readonly listenerSetPolicies = new Map<string, J>();
  readonly overrides = new PolicyScopeGraph();
  readonly merged = new PolicyScopeGraph();
  readonly statuses = new Map<BackendTrafficPolicy, PolicyStatus>();
  readonly handled: BackendTrafficPolicy[] = [];
  // Policies are identified by namespace/name: a later object with the same name stands for the first.
  private readonly byName = new Map<string, BackendTrafficPolicy>();
  private irRoutes: IRRouteSlot[] | undefined;
  private irRoutesByKey: Map<string, IRRouteSlot[]> | undefined;

  constructor(readonly ctx: BackendTrafficPolicyContext) {
    for (const route of ctx.routes) this.routes.set(`${route.kind}/${route.namespace}/${route.name}`, { route, attached: false, attachedRules: new Set() });
    for (const g of ctx.gateways) this.gateways.set(`${g.namespace}/${g.name}`, { gateway: g, attached: false, attachedListeners: new Set() });
    for (const ls of ctx.listenerSets) this.listenerSets.set(nsName(ls.metadata), { listenerSet: ls, attached: false, attachedListeners: new Set() });
  }

  /** The policy object that represents this policy's namespace/name in the result. */
  canonical(policy: BackendTrafficPolicy): BackendTrafficPolicy {
    const key = nsName(policy.metadata);
    const first = this.byName.get(key);
    if (first !== undefined) return first;
    this.byName.set(key, policy);
    return policy;
  }

  /**
   * The IR routes whose name (for TCP and UDP routes, whose destination's name) starts with `prefix`, in the
   * order of a scan over the IR (by IR key, then TCP, UDP and HTTP listeners). Route policies look routes up
   * here rather than scanning every route of every listener per policy; the routes themselves do not change
   * during the pass, only their settings do, so the index is built once, when first needed.
   */
  irRoutesWithPrefix(prefix: string): ReadonlyArray<IRRouteSlot> {
    const key = routeNameKey(prefix);
    if (key !== prefix) return this.allIRRoutes().filter((slot) => slot.name.startsWith(prefix));
    if (this.irRoutesByKey === undefined) {
      this.irRoutesByKey = new Map();
      for (const slot of this.allIRRoutes()) {
        const k = routeNameKey(slot.name);
        if (k === undefined) continue;
        const list = this.irRoutesByKey.get(k);
        if (list === undefined) this.irRoutesByKey.set(k, [slot]);
        else list.push(slot);
      }
    }
    return this.irRoutesByKey.get(key) ?? [];
  }

  private allIRRoutes(): IRRouteSlot[] {
    if (this.irRoutes !== undefined) return this.irRoutes;
    const out: IRRouteSlot[] = [];
    for (const [irKey, x] of this.ctx.xdsIR) {
      for (const tcp of x.tcp ?? []) {
        for (const r of (tcp.routes ?? []) as unknown as J[]) {
          out.push({ irKey, listenerName: tcp.name, protocol: "tcp", route: r, name: String((r["destination"] as J | undefined)?.["name"] ?? "") });
        }
      }
      for (const udp of x.udp ?? []) {
        const r = udp.route as J | undefined;
        if (r === undefined) continue;
        out.push({ irKey, listenerName: udp.name, protocol: "udp", route: r, name: String((r["destination"] as J | undefined)?.["name"] ?? "") });
      }
      for (const http of x.http ?? []) {
        for (const r of (http.routes ?? []) as unknown as J[]) {
          out.push({ irKey, listenerName: http.name, protocol: "http", route: r, name: String(r["name"]) });
        }
      }
    }
    this.irRoutes = out;
    return out;
  }

  status(policy: BackendTrafficPolicy): PolicyStatus {
    let st = this.statuses.get(policy);
    if (st === undefined) {
      st = new PolicyStatus(this.ctx.controllerName, policy.metadata.generation);
      this.statuses.set(policy, st);
      this.handled.push(policy);
    }
    return st;
  }
}

/**
 * Go decodes JSON field names case-insensitively, so upstream accepts `retry.perRetry.backoff` for `backOff`
 * and writes it back under its canonical name; the same spelling is accepted here.
 */
function canonicalSpelling(policy: BackendTrafficPolicy): BackendTrafficPolicy {
  const perRetry = (policy.spec as J)["retry"]?.perRetry as J | undefined;
  if (perRetry === undefined || perRetry["backoff"] === undefined || perRetry["backOff"] !== undefined) return policy;
  const { backoff, ...rest } = perRetry;
  const retry = { ...(policy.spec as J)["retry"], perRetry: { ...rest, backOff: backoff } };
  return { ...policy, spec: { ...policy.spec, retry } as BackendTrafficPolicy["spec"] };
}

/** Runs every BackendTrafficPolicy and returns the handled ones with their status, in upstream's order. */
export function processBackendTrafficPolicies(inputs: ReadonlyArray<BackendTrafficPolicy>, ctx: BackendTrafficPolicyContext): unknown[] {
  const policies = inputs.map(canonicalSpelling);
  const pass = new BackendTrafficPolicyPass(ctx);
  const ns = (p: BackendTrafficPolicy): string => p.metadata.namespace ?? "";
  const owner = (p: BackendTrafficPolicy): { group: string; kind: string; namespace: string } => ({
    group: "gateway.envoyproxy.io",
    kind: "BackendTrafficPolicy",
    namespace: ns(p),
  });
  const routeCandidates: SelectableObject[] = ctx.routes.map((r) => ({
    group: gatewayGroup,
    kind: r.kind,
    metadata: r.route.metadata as SelectableObject["metadata"],
  }));
  const gatewayTargets = policies.map((p) => resolvePolicyTargets(p.spec as J, gatewayCandidates(ctx.gateways), owner(p), ctx.index));
  const listenerSetTargets = policies.map((p) => resolvePolicyTargets(p.spec as J, listenerSetCandidates(ctx.listenerSets), owner(p), ctx.index));

  // The first policy per Gateway/listener and per ListenerSet/listener, for merging route policies.
  policies.forEach((p, i) => {
    for (const t of gatewayTargets[i] ?? []) {
      if (t.kind !== "Gateway") continue;
      const g = pass.gateways.get(`${t.namespace}/${t.name}`);
      if (g === undefined) continue;
      if (t.sectionName !== undefined && !g.gateway.listeners.some((l) => l.listenerSet === undefined && l.listener.name === t.sectionName)) continue;
      const key = `${t.namespace}/${t.name}/${t.sectionName ?? ""}`;
      if (!pass.gatewayPolicies.has(key)) pass.gatewayPolicies.set(key, p as unknown as J);
    }
    for (const t of listenerSetTargets[i] ?? []) {
      if (t.kind !== "ListenerSet") continue;
      const ls = pass.listenerSets.get(`${t.namespace}/${t.name}`);
      if (ls === undefined) continue;
      if (t.sectionName !== undefined && !ls.listenerSet.spec.listeners.some((l) => l.name === t.sectionName)) continue;
      const key = `${t.namespace}/${t.name}/${t.sectionName ?? ""}`;
      if (!pass.listenerSetPolicies.has(key)) pass.listenerSetPolicies.set(key, p as unknown as J);
    }
  });

  const plain = (p: BackendTrafficPolicy): PolicyTarget[] => targetsFromReferences(p.spec as J, ns(p));
  const isGatewayKind = (t: PolicyTarget): boolean => t.kind === "Gateway";
  const isListenerSetKind = (t: PolicyTarget): boolean => t.kind === "ListenerSet";

  // Route rules, then whole routes.
  for (const p of policies) for (const t of plain(p)) if (!isGatewayKind(t) && t.sectionName !== undefined) processForRoute(pass, p, t);
  for (const p of policies) {
    const targets = resolvePolicyTargets(p.spec as J, routeCandidates, owner(p), ctx.index);
    for (const t of targets) if (!isGatewayKind(t) && t.sectionName === undefined) processForRoute(pass, p, t);
  }
  if (ctx.listenerSets.length > 0) {
    for (const p of policies) for (const t of plain(p)) if (isListenerSetKind(t) && t.sectionName !== undefined) processForListenerSet(pass, p, t);
    policies.forEach((p, i) => {
      for (const t of listenerSetTargets[i] ?? []) if (isListenerSetKind(t) && t.sectionName === undefined) processForListenerSet(pass, p, t);
    });
  }
  for (const p of policies) for (const t of plain(p)) if (isGatewayKind(t) && t.sectionName !== undefined) processForGateway(pass, p, t);
  policies.forEach((p, i) => {
    for (const t of gatewayTargets[i] ?? []) if (isGatewayKind(t) && t.sectionName === undefined) processForGateway(pass, p, t);
  });

  return pass.handled.map((p) => {
    const st = pass.statuses.get(p) as PolicyStatus;
    st.truncate();
    return { ...p, status: st.json() };
  });
}

function resolveRoute(pass: BackendTrafficPolicyPass, t: PolicyTarget): { route?: RouteContext; error?: PolicyResolveError } {
  const target = pass.routes.get(`${t.kind}/${t.namespace}/${t.name}`);
  if (target === undefined) return {};
  const route = target.route;
  if (t.sectionName !== undefined) {
    if (!ruleNames(route).includes(t.sectionName)) {
      return { route, error: { reason: "TargetNotFound", message: `No section name ${t.sectionName} found for ${t.kind} ${t.namespace}/${t.name}` } };
    }
    if (target.attachedRules.has(t.sectionName)) {
      return {
        route,
        error: {
          reason: "Conflicted",
          message: `Unable to target RouteRule ${t.name}/${t.sectionName}, another BackendTrafficPolicy has already attached to it`,
        },
      };
    }
    target.attachedRules.add(t.sectionName);
    return { route };
  }
  if (target.attached) {
    return { route, error: { reason: "Conflicted", message: `Unable to target ${t.kind} ${t.name}, another BackendTrafficPolicy has already attached to it` } };
  }
  target.attached = true;
  return { route };
}

function processForRoute(pass: BackendTrafficPolicyPass, input: BackendTrafficPolicy, t: PolicyTarget): void {
  const policy = pass.canonical(input);
  const status = pass.status(policy);
  const { route, error } = resolveRoute(pass, t);
  if (route === undefined) return;
  const spec = policy.spec as J;
  const ancestors: AncestorRef[] = [];
  const routeScope = routeScopeOf(route);
  const parents = route.parentContexts;
  const usable: typeof parents = [];
  for (const parent of parents) {
    const ref = parent.ref;
    const parentNs = ref.namespace ?? route.namespace;
    if (ref.kind === undefined || ref.kind === "Gateway") {
      const parentScope: PolicyScope =
        ref.sectionName !== undefined
          ? { kind: "GatewayListener", namespace: parentNs, name: ref.name, sectionName: ref.sectionName }
          : { kind: "Gateway", namespace: parentNs, name: ref.name };
      pass.overrides.add(parentScope, routeScope);
      ancestors.push(gatewayAncestorRef(parentNs, ref.name, ref.sectionName));
      usable.push(parent);
    } else if (ref.kind === "ListenerSet") {
      const ls = pass.listenerSets.get(`${parentNs}/${ref.name}`);
      if (ls === undefined) continue;
      const lsRef = ls.listenerSet.spec.parentRef as { name: string; namespace?: string };
      pass.overrides.registerListenerSet(
        { kind: "ListenerSet", namespace: parentNs, name: ref.name },
        { kind: "Gateway", namespace: lsRef.namespace ?? ls.listenerSet.metadata.namespace ?? "", name: lsRef.name },
      );
      const parentScope: PolicyScope =
        ref.sectionName !== undefined
          ? { kind: "ListenerSetListener", namespace: parentNs, name: ref.name, sectionName: ref.sectionName }
          : { kind: "ListenerSet", namespace: parentNs, name: ref.name };
      pass.overrides.add(parentScope, routeScope);
      ancestors.push(listenerSetAncestorRef(parentNs, ref.name, ref.sectionName));
      usable.push(parent);
    }
  }
  if (error !== undefined) {
    for (const a of ancestors) status.setResolveError(a, error);
    return;
  }
  const mergeType = spec["mergeType"] as string | undefined;
  if (mergeType === undefined) {
    const err = translateForRoute(pass, policy, spec, route, t, undefined);
    if (err !== undefined) for (const a of ancestors) status.setTranslationError(a, conditionMessage(err));
  } else {
    for (const parent of usable) {
      for (const l of parent.listeners) {
        const gw = l.gateway;
        let ancestor: AncestorRef;
        let parentPolicy: J | undefined;
        let parentScope: PolicyScope | undefined;
        const lsMeta = l.listenerSet?.listenerSet.metadata;
        if (lsMeta !== undefined) {
          const lsNs = lsMeta.namespace ?? "";
          ancestor = listenerSetAncestorRef(lsNs, lsMeta.name, l.listener.name);
          const byListener = pass.listenerSetPolicies.get(`${lsNs}/${lsMeta.name}/${l.listener.name}`);
          const byLs = pass.listenerSetPolicies.get(`${lsNs}/${lsMeta.name}/`);
          const byGw = pass.gatewayPolicies.get(`${gw.namespace}/${gw.name}/`);
          if (byListener !== undefined)
            [parentPolicy, parentScope] = [byListener, { kind: "ListenerSetListener", namespace: lsNs, name: lsMeta.name, sectionName: l.listener.name }];
          else if (byLs !== undefined) [parentPolicy, parentScope] = [byLs, { kind: "ListenerSet", namespace: lsNs, name: lsMeta.name }];
          else if (byGw !== undefined) [parentPolicy, parentScope] = [byGw, { kind: "Gateway", namespace: gw.namespace, name: gw.name }];
        } else {
          ancestor = gatewayAncestorRef(gw.namespace, gw.name, l.listener.name);
          const byListener = pass.gatewayPolicies.get(`${gw.namespace}/${gw.name}/${l.listener.name}`);
          const byGw = pass.gatewayPolicies.get(`${gw.namespace}/${gw.name}/`);
          if (byListener !== undefined)
            [parentPolicy, parentScope] = [byListener, { kind: "GatewayListener", namespace: gw.namespace, name: gw.name, sectionName: l.listener.name }];
          else if (byGw !== undefined) [parentPolicy, parentScope] = [byGw, { kind: "Gateway", namespace: gw.namespace, name: gw.name }];
        }
        if (parentPolicy === undefined || parentScope === undefined) {
          const err = translateForRoute(pass, policy, spec, route, t, l);
          if (err !== undefined) status.set(ancestor, "Accepted", "False", "Invalid", conditionMessage(err));
          continue;
        }
        const mergedSpec = mergeSpecs((parentPolicy["spec"] ?? {}) as J, spec, mergeType);
        const err = translateForRoute(pass, policy, mergedSpec, route, t, l, { parent: parentPolicy, child: spec });
        if (err !== undefined) {
          status.set(ancestor, "Accepted", "False", "Invalid", conditionMessage(err));
          continue;
        }
        pass.merged.add(parentScope, routeScope);
        const pm = parentPolicy["metadata"] as { namespace?: string; name: string };
        status.set(ancestor, "Merged", "True", "Merged", `Merged with policy ${pm.namespace ?? ""}/${pm.name}`);
      }
    }
  }
  for (const a of ancestors) status.setAccepted(a);
  const deprecated = deprecatedFields(spec);
  for (const a of ancestors) status.setDeprecatedFields(a, deprecated);
  if (t.sectionName !== undefined) return;
  const rules = [...(pass.routes.get(`${t.kind}/${t.namespace}/${t.name}`)?.attachedRules ?? [])];
  if (rules.length > 0) {
    rules.sort();
    for (const a of ancestors) {
      status.set(
        a,
        "Overridden",
        "True",
        "Overridden",
        `This policy is being overridden by other backendTrafficPolicy for these route rules: [${rules.join(" ")}]`,
      );
    }
  }
}

function processForListenerSet(pass: BackendTrafficPolicyPass, input: BackendTrafficPolicy, t: PolicyTarget): void {
  const policy = pass.canonical(input);
  const status = pass.status(policy);
  const target = pass.listenerSets.get(`${t.namespace}/${t.name}`);
  if (target === undefined) return;
  const ls = target.listenerSet;
  const lsRef = ls.spec.parentRef as { name: string; namespace?: string };
  const gwNs = lsRef.namespace ?? ls.metadata.namespace ?? "";
  const gateway = pass.gateways.get(`${gwNs}/${lsRef.name}`);
  if (gateway === undefined) return;
  const lsNs = ls.metadata.namespace ?? "";
  const ancestor = listenerSetAncestorRef(lsNs, ls.metadata.name, t.sectionName);
  let error: PolicyResolveError | undefined;
  if (t.sectionName !== undefined && !ls.spec.listeners.some((l) => l.name === t.sectionName)) {
    error = { reason: "TargetNotFound", message: `No section name ${t.sectionName} found for ListenerSet ${t.namespace}/${t.name}` };
  } else if (t.sectionName === undefined) {
    if (target.attached)
      error = { reason: "Conflicted", message: `Unable to target ListenerSet ${t.name}, another BackendTrafficPolicy has already attached to it` };
    else target.attached = true;
  } else if (target.attachedListeners.has(t.sectionName)) {
    error = { reason: "Conflicted", message: `Unable to target Listener ${t.name}/${t.sectionName}, another BackendTrafficPolicy has already attached to it` };
  } else target.attachedListeners.add(t.sectionName);
  if (error !== undefined) {
    status.setResolveError(ancestor, error);
    return;
  }
  const lsScope: PolicyScope = { kind: "ListenerSet", namespace: lsNs, name: ls.metadata.name };
  const gwScope: PolicyScope = { kind: "Gateway", namespace: gwNs, name: lsRef.name };
  let ownScope: PolicyScope = lsScope;
  if (t.sectionName !== undefined) {
    ownScope = { kind: "ListenerSetListener", namespace: lsNs, name: ls.metadata.name, sectionName: t.sectionName };
    pass.overrides.registerListenerSet(lsScope, gwScope);
    pass.overrides.add(lsScope, ownScope);
  } else pass.overrides.add(gwScope, lsScope);
  const listeners = gateway.gateway.listeners.filter((l) => {
    const meta = l.listenerSet?.listenerSet.metadata;
    if (meta === undefined || meta.name !== ls.metadata.name || (meta.namespace ?? "") !== lsNs) return false;
    return t.sectionName === undefined || l.listener.name === t.sectionName;
  });
  const err = translateForListeners(pass, policy, gateway.gateway, listeners, false);
  if (err !== undefined) status.setTranslationError(ancestor, conditionMessage(err));
  status.setAccepted(ancestor);
  reportRelations(pass, status, ancestor, ownScope);
  status.setDeprecatedFields(ancestor, deprecatedFields(policy.spec as J));
}

function reportRelations(pass: BackendTrafficPolicyPass, status: PolicyStatus, ancestor: AncestorRef, scope: PolicyScope): void {
  const mergedScopes = pass.merged.directChildren(scope);
  const mergedMessage = formatPolicyScopes(mergedScopes);
  const overriddenMessage = formatPolicyScopes(pass.overrides.withDescendants(scope).without(mergedScopes));
  if (mergedMessage !== "")
    status.set(ancestor, "Merged", "True", "Merged", `This policy is being merged by other backendTrafficPolicies for ${mergedMessage}`);
  if (overriddenMessage !== "") {
    status.set(ancestor, "Overridden", "True", "Overridden", `This policy is being overridden by other backendTrafficPolicies for ${overriddenMessage}`);
  }
}

function processForGateway(pass: BackendTrafficPolicyPass, input: BackendTrafficPolicy, t: PolicyTarget): void {
  const policy = pass.canonical(input);
  const status = pass.status(policy);
  const key = `${t.namespace}/${t.name}`;
  const target = pass.gateways.get(key);
  if (target === undefined) return;
  const gw = target.gateway;
  const ancestor = gatewayAncestorRef(gw.namespace, gw.name, t.sectionName);
  let error: PolicyResolveError | undefined;
  if (t.sectionName !== undefined && !gw.listeners.some((l) => l.listenerSet === undefined && l.listener.name === t.sectionName)) {
    error = { reason: "TargetNotFound", message: `No section name ${t.sectionName} found for Gateway ${key}` };
  } else if (t.sectionName === undefined) {
    if (target.attached)
      error = { reason: "Conflicted", message: `Unable to target Gateway ${t.name}, another BackendTrafficPolicy has already attached to it` };
    else target.attached = true;
  } else if (target.attachedListeners.has(t.sectionName)) {
    error = { reason: "Conflicted", message: `Unable to target Listener ${key}/${t.sectionName}, another BackendTrafficPolicy has already attached to it` };
  } else target.attachedListeners.add(t.sectionName);
  if (error !== undefined) {
    status.setResolveError(ancestor, error);
    return;
  }
  const gwScope: PolicyScope = { kind: "Gateway", namespace: gw.namespace, name: gw.name };
  let ownScope = gwScope;
  if (t.sectionName !== undefined) {
    ownScope = { kind: "GatewayListener", namespace: gw.namespace, name: gw.name, sectionName: t.sectionName };
    pass.overrides.add(gwScope, ownScope);
  }
  const listeners = gw.listeners.filter((l) => t.sectionName === undefined || (l.listenerSet === undefined && l.listener.name === t.sectionName));
  const err = translateForListeners(pass, policy, gw, listeners, t.sectionName === undefined);
  if (err !== undefined) status.setTranslationError(ancestor, conditionMessage(err));
  status.setAccepted(ancestor);
  status.setDeprecatedFields(ancestor, deprecatedFields(policy.spec as J));
  reportRelations(pass, status, ancestor, ownScope);
}

// ---- applying traffic features to routes ----

function routeStatNameOf(tf: J): string {
  return (tf["telemetry"]?.metrics?.routeStatName as string | undefined) ?? "";
}

function buildRouteStatName(pattern: string, md: J | undefined): string | undefined {
  if (pattern === "" || md === undefined) return undefined;
  return pattern
    .replaceAll("%ROUTE_NAME%", md["name"] ?? "")
    .replaceAll("%ROUTE_NAMESPACE%", md["namespace"] ?? "")
    .replaceAll("%ROUTE_KIND%", md["kind"] ?? "")
    .replaceAll("%ROUTE_RULE_NAME%", md["sectionName"] ? md["sectionName"] : "-");
}

/**
 * Records the policy on a route's metadata. Upstream gives each HTTP/GRPC/TCP route its own metadata, but a
 * TLSRoute shares one metadata object with its destinations on every listener; the IR here shares metadata
 * more widely, so the object is replaced, except for TLSRoutes, where it is changed in place like upstream's.
 */
function appendPolicyMetadata(r: J, policy: BackendTrafficPolicy): void {
  const md = r["metadata"] as J | undefined;
  if (md === undefined) return;
  const entry = { kind: "BackendTrafficPolicy", name: policy.metadata.name, namespace: policy.metadata.namespace ?? "" };
  const policies = [...(md["policies"] ?? []), entry];
  if (md["kind"] === "TLSRoute") md["policies"] = policies;
  else r["metadata"] = { ...md, policies };
}

function setIfUnset(r: J, key: string, value: unknown): void {
  if (r[key] === undefined && value !== undefined) r[key] = value;
}

function applyToTCPRoute(r: J, tf: J, pattern: string, policy: BackendTrafficPolicy): void {
  for (const k of ["loadBalancer", "proxyProtocol", "healthCheck", "circuitBreaker", "tcpKeepalive", "timeout", "backendConnection", "dns"]) {
    setIfUnset(r, k, clone(tf[k]));
  }
  setIfUnset(r, "statName", buildRouteStatName(pattern, r["metadata"]));
  appendPolicyMetadata(r, policy);
}

function clone<T>(v: T): T {
  return v === undefined ? v : structuredClone(v);
}

function routePrefix(route: RouteContext): string {
  return `${route.kind.toLowerCase()}/${route.namespace}/${route.name}/`;
}

function applyToHTTPRoute(
  r: J,
  tf: J,
  errs: string | undefined,
  spec: J,
  policy: BackendTrafficPolicy,
  setStatName: (r: J, name: string | undefined) => void,
): void {
  setStatName(r, buildRouteStatName(routeStatNameOf(tf), r["metadata"]));
  if (errs !== undefined) {
    r["directResponse"] = { statusCode: 500 };
    return;
  }
  const traffic = structuredClone(tf);
  r["traffic"] = traffic;
  const bu = traffic["loadBalancer"]?.backendUtilization;
  if (bu !== undefined && bu.keepResponseHeaders !== true) {
    const remove: string[] = r["removeResponseHeaders"] ?? [];
    for (const h of ["endpoint-load-metrics", "endpoint-load-metrics-bin"]) if (!remove.includes(h)) remove.push(h);
    r["removeResponseHeaders"] = remove;
  }
  if (spec["useClientProtocol"] !== undefined) r["useClientProtocol"] = spec["useClientProtocol"];
  appendPolicyMetadata(r, policy);
}

function translateForRoute(
  pass: BackendTrafficPolicyPass,
  policy: BackendTrafficPolicy,
  spec: J,
  route: RouteContext,
  t: PolicyTarget,
  listener: ListenerContext | undefined,
  mergedFrom?: { parent: J; child: J },
): string | undefined {
  // A merged response override reads its ConfigMaps from the namespace of the policy that set it.
  const parentNs = (mergedFrom?.parent["metadata"] as { namespace?: string } | undefined)?.namespace ?? "";
  const roNamespace = mergedFrom !== undefined && mergedFrom.child["responseOverride"] === undefined ? parentNs : undefined;
  const built = buildTrafficFeatures(policy, spec, pass.ctx, roNamespace);
  const tf = built.tf;
  if (mergedFrom !== undefined) {
    const parentSpec = (mergedFrom.parent["spec"] ?? {}) as J;
    if (mergedFrom.child["rateLimit"] !== undefined && parentSpec["rateLimit"] !== undefined) {
      const gwRL = buildTrafficFeatures(mergedFrom.parent as unknown as BackendTrafficPolicy, parentSpec, pass.ctx).tf["rateLimit"];
      const routeRL = buildTrafficFeatures(policy, mergedFrom.child, pass.ctx).tf["rateLimit"];
      if (gwRL !== undefined && routeRL !== undefined) tf["rateLimit"] = mergeRateLimits(gwRL as J, routeRL as J, spec["mergeType"] as string);
    } else if (mergedFrom.child["rateLimit"] === undefined && parentSpec["rateLimit"] !== undefined) {
      const gwRL = buildTrafficFeatures(mergedFrom.parent as unknown as BackendTrafficPolicy, parentSpec, pass.ctx).tf["rateLimit"];
      if (gwRL !== undefined) tf["rateLimit"] = gwRL;
    }
  }
  const listenerName = listener !== undefined ? irListenerName(listener) : "";
  const prefix = routePrefix(route);
  const pattern = routeStatNameOf(tf);
  for (const slot of pass.irRoutesWithPrefix(prefix)) {
    if (listener !== undefined && slot.irKey !== listener.gateway.irKey) continue;
    if (listenerName !== "" && listenerName !== slot.listenerName) continue;
    const r = slot.route;
    if (slot.protocol === "tcp") {
      const dest = r["destination"] as J | undefined;
      if (t.sectionName !== undefined && t.sectionName !== (dest?.["metadata"]?.sectionName ?? "")) continue;
      applyToTCPRoute(r, tf, pattern, policy);
    } else if (slot.protocol === "udp") {
      const dest = r["destination"] as J | undefined;
      if (t.sectionName !== undefined && t.sectionName !== (dest?.["metadata"]?.sectionName ?? "")) continue;
      setIfUnset(r, "loadBalancer", clone(tf["loadBalancer"]));
      setIfUnset(r, "dns", clone(tf["dns"]));
    } else {
      if (t.sectionName !== undefined && t.sectionName !== (r["metadata"]?.sectionName ?? "")) continue;
      if (r["traffic"] !== undefined || r["useClientProtocol"] !== undefined) continue;
      applyToHTTPRoute(r, tf, built.errors, spec, policy, (route, name) => {
        if (name === undefined) delete route["statName"];
        else route["statName"] = name;
      });
    }
  }
  return built.errors;
}

function translateForListeners(
  pass: BackendTrafficPolicyPass,
  policy: BackendTrafficPolicy,
  gateway: GatewayContext,
  listeners: ReadonlyArray<ListenerContext>,
  applyToBackendClusters: boolean,
): string | undefined {
  const spec = policy.spec as J;
  const { tf, errors } = buildTrafficFeatures(policy, spec, pass.ctx);
  const pattern = routeStatNameOf(tf);
  const x = pass.ctx.xdsIR.get(gateway.irKey);
  if (x === undefined) return errors;
  const names = new Set(listeners.map((l) => irListenerName(l)));
  for (const tcp of x.tcp ?? []) {
    if (!names.has(tcp.name)) continue;
    for (const r of (tcp.routes ?? []) as unknown as J[]) {
      for (const k of ["loadBalancer", "proxyProtocol", "healthCheck", "circuitBreaker", "tcpKeepalive", "timeout", "dns"]) setIfUnset(r, k, clone(tf[k]));
      setIfUnset(r, "statName", buildRouteStatName(pattern, r["metadata"]));
      appendPolicyMetadata(r, policy);
    }
  }
  for (const udp of x.udp ?? []) {
    if (!names.has(udp.name) || udp.route === undefined) continue;
    const r = udp.route as J;
    setIfUnset(r, "loadBalancer", clone(tf["loadBalancer"]));
    setIfUnset(r, "dns", clone(tf["dns"]));
  }
  for (const http of x.http ?? []) {
    if (!names.has(http.name)) continue;
    for (const r of (http.routes ?? []) as unknown as J[]) {
      if (r["traffic"] !== undefined || r["useClientProtocol"] !== undefined) continue;
      setIfUnset(r, "statName", buildRouteStatName(pattern, r["metadata"]));
      if (errors !== undefined) {
        r["directResponse"] = { statusCode: 500 };
        continue;
      }
      r["traffic"] = structuredClone(tf);
      if (spec["useClientProtocol"] !== undefined) r["useClientProtocol"] = spec["useClientProtocol"];
      appendPolicyMetadata(r, policy);
    }
  }
  if (applyToBackendClusters && errors === undefined) {
    for (const bc of ((x as J)["backendClusters"] ?? []) as J[]) {
      const cluster: J = {};
      for (const k of [
        "loadBalancer",
        "proxyProtocol",
        "healthCheck",
        "admissionControl",
        "circuitBreaker",
        "timeout",
        "tcpKeepalive",
        "backendConnection",
        "http2",
        "dns",
      ]) {
        if (tf[k] !== undefined) cluster[k] = structuredClone(tf[k]);
      }
      // A shared cluster keeps only the timeouts that are cluster settings, not the per-route ones.
      const http = (cluster["timeout"] as J | undefined)?.["http"] as J | undefined;
      if (http !== undefined) {
        const clusterHTTP: J = {};
        for (const k of ["connectionIdleTimeout", "maxConnectionDuration", "maxStreamDuration"]) if (http[k] !== undefined) clusterHTTP[k] = http[k];
        (cluster["timeout"] as J)["http"] = clusterHTTP;
      }
      bc["traffic"] = cluster;
      if (spec["useClientProtocol"] !== undefined) bc["useClientProtocol"] = spec["useClientProtocol"];
      else delete bc["useClientProtocol"];
    }
  }
  return errors;
}

// ---- merging ----

function isObject(v: unknown): v is J {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

// Lists that strategic merge combines by their `type` key (upstream patchStrategy:"merge" tags).
const strategicMergeLists = new Set(["compression", "compressor", "httpUpgrade"]);

/**
 * Kubernetes strategic merge of a list keyed by `key`: patch entries (merged with their originals) keep the
 * patch's order, entries only in the original are woven back in where the original order places them.
 */
function mergeKeyedList(original: J[], patch: J[], key: string): J[] {
  const patched = patch.map((item) => {
    const base = original.find((o) => o[key] === item[key]);
    return base !== undefined ? mergeObjects(base, item, "StrategicMerge", false) : structuredClone(item);
  });
  const originalOnly = original.filter((o) => !patch.some((p) => p[key] === o[key])).map((o) => structuredClone(o));
  const position = (item: J): number => original.findIndex((o) => o[key] === item[key]);
  const out: J[] = [];
  let i = 0;
  let j = 0;
  while (i < originalOnly.length || j < patched.length) {
    const left = originalOnly[i];
    const right = patched[j];
    if (left === undefined) out.push(patched[j++] as J);
    else if (right === undefined) out.push(originalOnly[i++] as J);
    else {
      const li = position(left);
      const ri = position(right);
      if (li >= 0 && ri >= 0 && li < ri) out.push(originalOnly[i++] as J);
      else out.push(patched[j++] as J);
    }
  }
  return out;
}

function mergeObjects(parent: J, child: J, mergeType: string, topLevel: boolean): J {
  const out: J = structuredClone(parent);
  for (const [k, v] of Object.entries(child)) {
    if (v === null) delete out[k];
    else if (isObject(v) && isObject(out[k])) out[k] = mergeObjects(out[k] as J, v, mergeType, false);
    else if (topLevel && mergeType === "StrategicMerge" && strategicMergeLists.has(k) && Array.isArray(v) && Array.isArray(out[k])) {
      out[k] = mergeKeyedList(out[k] as J[], v as J[], "type");
    } else out[k] = structuredClone(v);
  }
  return out;
}

/** Merges a route's IR rate limit onto its parent's; strategic merge keeps both rule lists, keyed by rule name. */
function mergeRateLimits(parent: J, child: J, mergeType: string): J {
  const out = mergeObjects(parent, child, "JSONMerge", false);
  if (mergeType !== "StrategicMerge") return out;
  for (const k of ["global", "local"]) {
    const p = parent[k]?.rules as J[] | undefined;
    const c = child[k]?.rules as J[] | undefined;
    if (Array.isArray(p) && Array.isArray(c) && out[k] !== undefined) out[k] = { ...out[k], rules: mergeKeyedList(p, c, "name") };
  }
  return out;
}

/**
 * Merges a route policy's spec onto its parent's: JSON merge patch, or strategic merge, which also combines
 * the compression/compressor/httpUpgrade lists by type (route entries first, then the parent's others).
 */
export function mergeSpecs(parent: J, child: J, mergeType: string): J {
  return mergeObjects(parent, child, mergeType, true);
}

// ---- building traffic features ----

interface BuiltFeatures {
  readonly tf: J;
  readonly errors: string | undefined;
}

const clusterSettingFields: ReadonlyArray<[string, string]> = [
  ["loadBalancer", "LoadBalancer"],
  ["circuitBreaker", "CircuitBreaker"],
  ["tcpKeepalive", "TCPKeepalive"],
  ["retry", "Retry"],
  ["timeout", "Timeout"],
  ["connection", "BackendConnection"],
  ["http2", "HTTP2"],
];

function buildTrafficFeatures(policy: BackendTrafficPolicy, spec: J, ctx: BackendTrafficPolicyContext, responseOverrideNamespace?: string): BuiltFeatures {
  const errors: string[] = [];
  const tf: J = {};
  const fail = (label: string, message: string): void => {
    errors.push(`${label}: ${message}`);
  };
  const policyNs = policy.metadata.namespace ?? "";
  if (spec["rateLimit"] !== undefined) {
    const rl = buildRateLimit(spec["rateLimit"] as J, policyNs, policy.metadata.name, ctx.globalRateLimitEnabled);
    if (typeof rl === "string") fail("RateLimit", rl);
    else tf["rateLimit"] = rl;
  }
  if (spec["bandwidthLimit"] !== undefined) {
    const bl = buildBandwidthLimit(spec["bandwidthLimit"] as J);
    if (typeof bl === "string") fail("BandwidthLimit", bl);
    else tf["bandwidthLimit"] = bl;
  }
  // Cluster settings are shared with EnvoyProxy backend settings; each field is checked alone so its error
  // carries the field's label.
  const settings: J = {};
  for (const k of ["loadBalancer", "circuitBreaker", "tcpKeepalive", "retry", "timeout", "connection", "http2", "proxyProtocol", "healthCheck", "dns"]) {
    if (spec[k] !== undefined) settings[k] = structuredClone(spec[k]);
  }
  let clusterOk = true;
  for (const [key, label] of clusterSettingFields) {
    if (settings[key] === undefined) continue;
    const one = translateTrafficFeatures(structuredClone({ [key]: settings[key] }));
    if (typeof one === "string") {
      fail(label, one);
      clusterOk = false;
    }
  }
  const cluster = clusterOk ? translateTrafficFeatures(settings) : translateTrafficFeatures(withoutInvalid(settings));
  if (typeof cluster === "object" && cluster !== null) Object.assign(tf, structuredClone(cluster));
  if (tf["dns"] !== undefined) tf["dns"] = { ...tf["dns"], name: `${policyNs}/${policy.metadata.name}` };
  if (spec["faultInjection"] !== undefined) {
    const fi = buildFaultInjection(spec["faultInjection"] as J);
    if (fi !== undefined) tf["faultInjection"] = fi;
  }
  if (spec["admissionControl"] !== undefined) tf["admissionControl"] = buildAdmissionControl(spec["admissionControl"] as J);
  if (Array.isArray(spec["responseOverride"]) && spec["responseOverride"].length > 0) {
    const ro = buildResponseOverride(policy, spec["responseOverride"] as J[], ctx.index, responseOverrideNamespace ?? policyNs);
    if (typeof ro === "string") fail("ResponseOverride", ro);
    else tf["responseOverride"] = ro;
  }
  let requestBuffer: J | undefined;
  if (spec["requestBuffer"] !== undefined) {
    // An absent limit is Go's zero quantity; the IR carries the quantity in its canonical text, as Go marshals it.
    const limit = ((spec["requestBuffer"] as J)["limit"] ?? 0) as number | string;
    const bytes = quantityAsInteger(limit);
    if (bytes === undefined) fail("RequestBuffer", "limit must be convertible to an int64");
    else if (bytes < 0n || bytes > 4294967295n) fail("RequestBuffer", `limit value ${quantityText(limit)} is out of range, must be between 0 and 4294967295`);
    else requestBuffer = { limit: quantityText(limit) };
  }
  const telemetry = spec["telemetry"] as J | undefined;
  const statName = telemetry?.["metrics"]?.routeStatName as string | undefined;
  if (statName !== undefined && statName !== "") {
    const problem = validateRouteStatName(statName);
    if (problem !== undefined) fail("Telemetry", problem);
  }
  const compression = buildCompression(spec["compression"] as J[] | undefined, spec["compressor"] as J[] | undefined);
  if (compression !== undefined) tf["compression"] = compression;
  const upgrades = ((spec["httpUpgrade"] ?? []) as J[]).map((u) => {
    const out: J = { type: u["type"] };
    if (u["connect"] !== undefined) out["connect"] = { terminate: u["connect"]?.terminate ?? false };
    return out;
  });
  if (upgrades.length > 0) tf["httpUpgrade"] = upgrades;
  if (requestBuffer !== undefined && upgrades.length > 0) fail("RequestBuffer", "requestBuffer cannot be used together with httpUpgrade");
  if (requestBuffer !== undefined) tf["requestBuffer"] = requestBuffer;
  if (telemetry !== undefined) tf["telemetry"] = buildTelemetry(telemetry);
  return { tf, errors: errors.length > 0 ? errors.join("\n") : undefined };
}

function withoutInvalid(settings: J): J {
  const out: J = {};
  for (const [k, v] of Object.entries(settings)) if (typeof translateTrafficFeatures(structuredClone({ [k]: v })) !== "string") out[k] = v;
  return out;
}

function validateRouteStatName(name: string): string | undefined {
  const allowed = ["%ROUTE_NAME%", "%ROUTE_NAMESPACE%", "%ROUTE_KIND%", "%ROUTE_RULE_NAME%"];
  const found = name.match(/%[^%]*%/g) ?? [];
  const bad = found.filter((f) => !allowed.includes(f));
  if (bad.length > 0) return `unable to configure Route Stat Name with unsupported operators: ${bad.join(", ")}`;
  return undefined;
}

function buildTelemetry(t: J): J {
  const out: J = {};
  const tracing = t["tracing"] as J | undefined;
  if (tracing !== undefined) {
    const tr: J = {};
    for (const k of ["samplingFraction", "clientSamplingFraction", "overallSamplingFraction", "spanName"]) if (tracing[k] !== undefined) tr[k] = tracing[k];
    const custom = tracing["customTags"] as J | undefined;
    if (custom !== undefined) {
      tr["customTags"] = Object.keys(custom)
        .sort()
        .map((key) => ({ key, value: custom[key] }));
    }
    const tags = tracing["tags"] as Record<string, string> | undefined;
    if (tags !== undefined)
      tr["tags"] = Object.keys(tags)
        .sort()
        .map((key) => ({ key, value: tags[key] }));
    out["tracing"] = tr;
  }
  const metrics = t["metrics"] as J | undefined;
  if (metrics !== undefined) out["metrics"] = metrics["routeStatName"] !== undefined ? { routeStatName: metrics["routeStatName"] } : {};
  return out;
}

function buildCompression(compression: J[] | undefined, compressor: J[] | undefined): J[] | undefined {
  const minLength = (c: J): J => {
    if (c["minContentLength"] === undefined) return {};
    const v = quantityAsInteger(c["minContentLength"] as number | string);
    return v === undefined ? {} : { minContentLength: Number(v) };
  };
  if (compressor !== undefined && compressor.length > 0) {
    const out: J[] = [];
    compressor.forEach((c, i) => {
      const type = c["type"] as string;
      const present =
        (type === "Gzip" && c["gzip"] !== undefined) || (type === "Brotli" && c["brotli"] !== undefined) || (type === "Zstd" && c["zstd"] !== undefined);
      if (present) out.push({ type, chooseFirst: i === 0, ...minLength(c) });
    });
    return out;
  }
  if (compression === undefined) return undefined;
  return compression.map((c, i) => ({ type: c["type"], chooseFirst: i === 0, ...minLength(c) }));
}

function buildFaultInjection(f: J): J | undefined {
  const out: J = {};
  const delay = f["delay"] as J | undefined;
  if (delay !== undefined) {
    let ns = 0;
    if (delay["fixedDelay"] !== undefined) {
      const parsed = parseGoDuration(delay["fixedDelay"] as string);
      if (parsed === undefined) return undefined;
      ns = parsed;
    }
    const d: J = { fixedDelay: formatGoDuration(ns) };
    if (delay["percentage"] !== undefined) d["percentage"] = delay["percentage"];
    out["delay"] = d;
  }
  const abort = f["abort"] as J | undefined;
  if (abort !== undefined) {
    const a: J = {};
    if (abort["percentage"] !== undefined) a["percentage"] = abort["percentage"];
    if (abort["grpcStatus"] !== undefined) a["grpcStatus"] = abort["grpcStatus"];
    if (abort["httpStatus"] !== undefined) a["httpStatus"] = abort["httpStatus"];
    out["abort"] = a;
  }
  return out;
}

function buildAdmissionControl(a: J): J {
  const out: J = {};
  for (const k of ["minSuccessRate", "rejectionAggression", "minRequestRate", "maxRejectionPercent"]) if (a[k] !== undefined) out[k] = a[k];
  if (a["samplingWindow"] !== undefined) {
    const ns = parseGoDuration(a["samplingWindow"] as string);
    if (ns !== undefined) out["samplingWindow"] = formatGoDuration(ns);
  }
  const sc = a["successCriteria"] as J | undefined;
  if (sc !== undefined) {
    const s: J = {};
    if (sc["http"] !== undefined) s["http"] = { statusCodes: [...((sc["http"]?.statusCodes ?? []) as number[])] };
    if (sc["grpc"] !== undefined) s["grpc"] = { statusCodes: [...((sc["grpc"]?.statusCodes ?? []) as string[])] };
    out["successCriteria"] = s;
  }
  return out;
}

function buildBandwidthLimit(b: J): J | string {
  const out: J = {};
  const seconds: Record<string, number> = { Minute: 60, Hour: 3600 };
  for (const dir of ["request", "response"] as const) {
    const cfg = b[dir] as J | undefined;
    if (cfg === undefined) continue;
    const value = cfg["limit"]?.value as number | string;
    const bytes = quantityAsInteger(value);
    if (bytes === undefined) return `${dir} limit value must be convertible to an int64`;
    if (bytes < 0n) return `${dir} limit value must be positive`;
    const unit = (cfg["limit"]?.unit as string | undefined) ?? "Second";
    const kibps = bytes / BigInt((seconds[unit] ?? 1) * 1024);
    if (kibps === 0n) return `${dir}: bandwidth limit of ${bytes} bytes per ${unit} is below the minimum of 1 KiB/s`;
    const c: J = { limitKibps: Number(kibps) };
    if (dir === "response" && cfg["responseTrailers"] !== undefined) c["responseTrailers"] = { prefix: cfg["responseTrailers"]?.prefix };
    out[dir] = c;
  }
  return out;
}

const unitSeconds: Record<string, number> = { Second: 1, Minute: 60, Hour: 3600, Day: 86400, Month: 2592000, Year: 31536000 };

function buildRateLimit(rl: J, ns: string, name: string, globalEnabled: boolean): J | string {
  const type = rl["type"] as string | undefined;
  if (type !== undefined) {
    if (type === "Global") return buildGlobalRateLimit(rl, ns, name, globalEnabled);
    if (type === "Local") return buildLocalRateLimit(rl, ns, name);
    return `invalid rateLimit type: ${type}`;
  }
  const out: J = {};
  if (rl["local"] !== undefined) {
    const local = buildLocalRateLimit(rl, ns, name);
    if (typeof local === "string") return local;
    out["local"] = local["local"];
  }
  if (rl["global"] !== undefined) {
    const global = buildGlobalRateLimit(rl, ns, name, globalEnabled);
    if (typeof global === "string") return global;
    out["global"] = global["global"];
  }
  return out;
}

function buildLocalRateLimit(rl: J, ns: string, name: string): J | string {
  const local = rl["local"] as J | undefined;
  if (local === undefined) return "local configuration empty for rateLimit";
  const rules = (local["rules"] ?? []) as J[];
  let defaultLimit: J | undefined;
  let defaultOption: unknown;
  for (const rule of rules) {
    if ((rule["clientSelectors"] ?? []).length === 0) {
      if (defaultLimit !== undefined) return "local rateLimit can not have more than one rule without clientSelectors";
      defaultLimit = { requests: rule["limit"]?.requests, unit: rule["limit"]?.unit };
      defaultOption = rule["xRateLimitHeaders"];
    }
  }
  defaultLimit ??= { requests: 4294967295, unit: "Second" };
  const defaultUnit = unitSeconds[defaultLimit["unit"] as string] ?? 0;
  for (const rule of rules) {
    const u = unitSeconds[rule["limit"]?.unit as string] ?? 0;
    if (defaultUnit === 0 || u % defaultUnit !== 0) return "local rateLimit rule limit unit must be a multiple of the default limit unit";
  }
  const irRules: J[] = [];
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i] as J;
    if ((rule["clientSelectors"] ?? []).length === 0) continue;
    const built = buildRateLimitRule(rule);
    if (typeof built === "string") return built;
    built["name"] = `${ns}/${name}/rule/${i}`;
    irRules.push(built);
  }
  const out: J = { default: defaultLimit, rules: irRules };
  if (defaultOption !== undefined) out["defaultXRateLimitOption"] = defaultOption;
  return { local: out };
}

function buildGlobalRateLimit(rl: J, ns: string, name: string, enabled: boolean): J | string {
  const global = rl["global"] as J | undefined;
  if (global === undefined) return "global configuration empty for rateLimit";
  if (!enabled) return "enable Ratelimit in the EnvoyGateway config to configure global rateLimit";
  const irRules: J[] = [];
  const rules = (global["rules"] ?? []) as J[];
  for (let i = 0; i < rules.length; i++) {
    const built = buildRateLimitRule(rules[i] as J);
    if (typeof built === "string") return built;
    built["name"] = `${ns}/${name}/rule/${i}`;
    irRules.push(built);
  }
  return { global: { rules: irRules } };
}

function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, "\\$&");
}

function buildRateLimitRule(rule: J): J | string {
  const limit: J = { requests: rule["limit"]?.requests, unit: rule["limit"]?.unit };
  const fromMetadata = rule["limit"]?.fromMetadata as J | undefined;
  if (fromMetadata !== undefined) limit["fromMetadata"] = { namespace: fromMetadata["namespace"], key: fromMetadata["key"] };
  const out: J = { limit, headerMatches: [], methodMatches: [] };
  if (rule["shared"] !== undefined) out["shared"] = rule["shared"];
  if (rule["shadowMode"] !== undefined) out["shadowMode"] = rule["shadowMode"];
  if (rule["xRateLimitHeaders"] !== undefined) out["xRateLimitOption"] = rule["xRateLimitHeaders"];
  const withInvert = (m: J, invert: unknown): J => (invert !== undefined ? { ...m, invert } : m);
  for (const sel of (rule["clientSelectors"] ?? []) as J[]) {
    const headers = (sel["headers"] ?? []) as J[];
    const methods = (sel["methods"] ?? []) as J[];
    const queryParams = (sel["queryParams"] ?? []) as J[];
    if (headers.length === 0 && methods.length === 0 && sel["path"] === undefined && sel["sourceCIDR"] === undefined && queryParams.length === 0) {
      return "unable to translate rateLimit. At least one of the header or method or path or sourceCIDR or queryParameters must be specified";
    }
    for (const h of headers) {
      const type = h["type"] as string | undefined;
      const value = h["value"] as string | undefined;
      if ((type === undefined || type === "Exact") && value !== undefined) {
        out["headerMatches"].push(withInvert({ name: h["name"], exact: value }, h["invert"]));
      } else if (type === "RegularExpression" && value !== undefined) {
        const bad = checkRegex(value);
        if (bad !== undefined) return bad;
        out["headerMatches"].push(withInvert({ name: h["name"], safeRegex: value }, h["invert"]));
      } else if (type === "Distinct" && value === undefined) {
        if (h["invert"] === true) return "unable to translate rateLimit.Invert is not applicable for distinct header match type";
        out["headerMatches"].push({ name: h["name"], distinct: true });
      } else {
        return "unable to translate rateLimit. Either the header.Type is not valid or the header is missing a value";
      }
    }
    for (const m of methods) out["methodMatches"].push(withInvert({ exact: m["value"] }, m["invert"]));
    const path = sel["path"] as J | undefined;
    if (path !== undefined) {
      const value = path["value"] as string;
      switch ((path["type"] as string | undefined) ?? "PathPrefix") {
        case "PathPrefix":
          out["pathMatch"] = withInvert(
            value === "/" ? { prefix: value } : { safeRegex: `^${quoteMeta(value.replace(/\/$/, ""))}(/.*|\\?.*|#.*|;.*|$)` },
            path["invert"],
          );
          break;
        case "Exact":
          out["pathMatch"] = withInvert({ exact: value }, path["invert"]);
          break;
        case "RegularExpression": {
          const bad = checkRegex(value);
          if (bad !== undefined) return bad;
          out["pathMatch"] = withInvert({ safeRegex: value }, path["invert"]);
          break;
        }
        default:
          return "unable to translate rateLimit: invalid path type.";
      }
    }
    const src = sel["sourceCIDR"] as J | undefined;
    if (src !== undefined) {
      const cidr = parseCIDR(src["value"] as string);
      if (cidr === undefined) return `unable to translate rateLimit: invalid CIDR address: ${src["value"]}`;
      out["cidrMatch"] = { ...cidr, distinct: src["type"] === "Distinct", invert: src["invert"] === true };
    }
    for (const q of queryParams) {
      if (q["name"] === undefined || q["name"] === "") return "name is required when QueryParamMatch is specified";
      const type = (q["type"] as string | undefined) ?? "Exact";
      const value = q["value"] as string | undefined;
      let m: J;
      if (type === "Exact") {
        if (value === undefined || value === "") return "value is required for Exact query parameter match";
        m = withInvert({ name: q["name"], exact: value }, q["invert"]);
      } else if (type === "RegularExpression") {
        if (value === undefined || value === "") return "value is required for RegularExpression query parameter match";
        const bad = checkRegex(value);
        if (bad !== undefined) return bad;
        m = withInvert({ name: q["name"], safeRegex: value }, q["invert"]);
      } else if (type === "Distinct") {
        if (q["invert"] === true) return "unable to translate rateLimit.Invert is not applicable for distinct query parameter match type";
        if (value !== undefined) return "unable to translate rateLimit.Value is not applicable for distinct query parameter match type";
        m = { name: q["name"], distinct: true };
      } else return `invalid query parameter match type: ${type}`;
      out["queryParamMatches"] = [...(out["queryParamMatches"] ?? []), m];
    }
  }
  const cost = rule["cost"] as J | undefined;
  if (cost !== undefined) {
    const c = (spec: J): J => {
      const o: J = {};
      if (spec["number"] !== undefined) o["number"] = spec["number"];
      if (spec["metadata"] !== undefined) o["format"] = `%DYNAMIC_METADATA(${spec["metadata"].namespace}:${spec["metadata"].key})%`;
      return o;
    };
    if (cost["request"] !== undefined) out["requestCost"] = c(cost["request"] as J);
    if (cost["response"] !== undefined) out["responseCost"] = c(cost["response"] as J);
  }
  return out;
}

function buildResponseOverride(policy: BackendTrafficPolicy, rules: J[], index: ResourceIndex, ns: string): J | string {
  const configName = `backendtrafficpolicy/${policy.metadata.namespace ?? ""}/${policy.metadata.name}`;
  const out: J[] = [];
  for (let i = 0; i < rules.length; i++) {
    const ro = rules[i] as J;
    const matchSpec = (ro["match"] ?? {}) as J;
    const match: J = {
      statusCodes: ((matchSpec["statusCodes"] ?? []) as J[]).map((code) =>
        code["type"] === "Range" ? { range: { start: code["range"]?.start, end: code["range"]?.end } } : { value: code["value"] },
      ),
    };
    const headers = (matchSpec["responseHeaders"] ?? []) as J[];
    if (headers.length > 0)
      match["responseHeaders"] = headers.map((h) => irStringMatch(h["name"] as string, (h["value"] ?? {}) as { type?: string; value: string }));
    const rule: J = { name: `${configName}/responseoverride/rule/${i}`, match };
    if (ro["source"] !== undefined) rule["source"] = ro["source"];
    const redirect = ro["redirect"] as J | undefined;
    if (redirect !== undefined) {
      const r: J = {};
      if (redirect["scheme"] !== undefined) r["scheme"] = redirect["scheme"];
      if (redirect["path"] !== undefined) {
        const p: J = {};
        if (redirect["path"].replaceFullPath !== undefined) p["fullReplace"] = redirect["path"].replaceFullPath;
        if (redirect["path"].replacePrefixMatch !== undefined) p["prefixMatchReplace"] = redirect["path"].replacePrefixMatch;
        r["path"] = p;
      }
      if (redirect["hostname"] !== undefined) r["hostname"] = redirect["hostname"];
      if (redirect["port"] !== undefined) r["port"] = redirect["port"];
      if (redirect["statusCode"] !== undefined) r["statusCode"] = redirect["statusCode"];
      rule["redirect"] = r;
    } else {
      const resp = (ro["response"] ?? {}) as J;
      const response: J = {};
      if (resp["contentType"] !== undefined) response["contentType"] = resp["contentType"];
      if (resp["statusCode"] !== undefined) response["statusCode"] = resp["statusCode"];
      const body = resp["body"] as J | undefined;
      if (body !== undefined) {
        const bytes = customResponseBody(body as CustomResponseBodySpec, ns, index);
        if (bytes !== undefined && !(bytes instanceof Uint8Array)) return bytes.error;
        if (bytes !== undefined) response["body"] = Buffer.from(bytes);
      }
      const header = resp["header"] as J | undefined;
      if (header !== undefined) {
        const add: J[] = [];
        for (const h of (header["add"] ?? []) as J[]) add.push({ name: h["name"], append: true, value: [h["value"]] });
        for (const h of (header["set"] ?? []) as J[]) add.push({ name: h["name"], append: false, value: [h["value"]] });
        if (add.length > 0) response["addResponseHeaders"] = add;
      }
      rule["response"] = response;
    }
    out.push(rule);
  }
  return { name: configName, rules: out };
}
