// BackendTrafficPolicy (upstream backendtrafficpolicy.go): how traffic reaches backends (rate limits, load
// balancing, retries, timeouts, circuit breakers, health checks, fault injection, response overrides...).
// Policies are applied from the most specific target to the least: route rules, routes, ListenerSet
// listeners, ListenerSets, Gateway listeners, Gateways; a less specific policy never replaces settings a
// more specific one already put on a route.
import type { BackendTrafficPolicy, BackendTrafficPolicySpec, ListenerSet } from "@egts/api";
import type * as ir from "@egts/ir";
import { formatGoDuration, parseGoDuration } from "@egts/ir";
import { translateTrafficFeatures, type ClusterSettings } from "../ClusterSettings.js";
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
import { irStringMatch, quantityAsInteger, quantityText, stringMatch } from "./Values.js";
import { customResponseBody } from "../CustomResponseBody.js";
import { parseCIDR } from "./Cidr.js";

type Spec = BackendTrafficPolicySpec;
type RateLimitSpec = NonNullable<Spec["rateLimit"]>;
type RateLimitRuleSpec = NonNullable<NonNullable<RateLimitSpec["global"]>["rules"]>[number];
type ResponseOverrideSpec = NonNullable<Spec["responseOverride"]>[number];
type CompressionSpec = NonNullable<Spec["compression"]>[number];
type CompressorSpec = NonNullable<Spec["compressor"]>[number];

/** A JSON object of a policy spec being merged; its values are arbitrary JSON. */
type JsonObject = { [key: string]: unknown };

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

function deprecatedFields(spec: Spec): Map<string, string> {
  const out = new Map<string, string>();
  if (spec.targetRef !== undefined) out.set("spec.targetRef", "spec.targetRefs");
  if (Array.isArray(spec.compression) && spec.compression.length > 0) out.set("spec.compression", "spec.compressor");
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
type IRRouteSlot = {
  readonly irKey: string;
  readonly listenerName: string;
  /** The route's name, or for TCP and UDP routes its destination's name. */
  readonly name: string;
} & (
  | { readonly protocol: "tcp"; readonly route: Mutable<ir.TCPRoute> }
  | { readonly protocol: "udp"; readonly route: Mutable<ir.UDPRoute> }
  | { readonly protocol: "http"; readonly route: Mutable<ir.HTTPRoute> }
);

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
  readonly gatewayPolicies = new Map<string, BackendTrafficPolicy>();
  readonly listenerSetPolicies = new Map<string, BackendTrafficPolicy>();
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
      // The pass sets the routes' traffic settings in place.
      for (const tcp of x.tcp ?? []) {
        for (const r of (tcp.routes ?? []) as Array<Mutable<ir.TCPRoute>>) {
          out.push({ irKey, listenerName: tcp.name, protocol: "tcp", route: r, name: String(r.destination?.name ?? "") });
        }
      }
      for (const udp of x.udp ?? []) {
        const r = udp.route as Mutable<ir.UDPRoute> | undefined;
        if (r === undefined) continue;
        out.push({ irKey, listenerName: udp.name, protocol: "udp", route: r, name: String(r.destination?.name ?? "") });
      }
      for (const http of x.http ?? []) {
        for (const r of (http.routes ?? []) as Array<Mutable<ir.HTTPRoute>>) {
          out.push({ irKey, listenerName: http.name, protocol: "http", route: r, name: String(r.name) });
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
  const retry = policy.spec.retry;
  type PerRetry = NonNullable<NonNullable<Spec["retry"]>["perRetry"]>;
  // The input may spell the field `backoff`, which the CRD type does not have.
  const perRetry = retry?.perRetry as (PerRetry & { readonly backoff?: PerRetry["backOff"] }) | undefined;
  if (retry === undefined || perRetry === undefined || perRetry.backoff === undefined || perRetry.backOff !== undefined) return policy;
  const { backoff, ...rest } = perRetry;
  return { ...policy, spec: { ...policy.spec, retry: { ...retry, perRetry: { ...rest, backOff: backoff } } } };
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
  const gatewayTargets = policies.map((p) => resolvePolicyTargets(p.spec, gatewayCandidates(ctx.gateways), owner(p), ctx.index));
  const listenerSetTargets = policies.map((p) => resolvePolicyTargets(p.spec, listenerSetCandidates(ctx.listenerSets), owner(p), ctx.index));

  // The first policy per Gateway/listener and per ListenerSet/listener, for merging route policies.
  policies.forEach((p, i) => {
    for (const t of gatewayTargets[i] ?? []) {
      if (t.kind !== "Gateway") continue;
      const g = pass.gateways.get(`${t.namespace}/${t.name}`);
      if (g === undefined) continue;
      if (t.sectionName !== undefined && !g.gateway.listeners.some((l) => l.listenerSet === undefined && l.listener.name === t.sectionName)) continue;
      const key = `${t.namespace}/${t.name}/${t.sectionName ?? ""}`;
      if (!pass.gatewayPolicies.has(key)) pass.gatewayPolicies.set(key, p);
    }
    for (const t of listenerSetTargets[i] ?? []) {
      if (t.kind !== "ListenerSet") continue;
      const ls = pass.listenerSets.get(`${t.namespace}/${t.name}`);
      if (ls === undefined) continue;
      if (t.sectionName !== undefined && !ls.listenerSet.spec.listeners.some((l) => l.name === t.sectionName)) continue;
      const key = `${t.namespace}/${t.name}/${t.sectionName ?? ""}`;
      if (!pass.listenerSetPolicies.has(key)) pass.listenerSetPolicies.set(key, p);
    }
  });

  const plain = (p: BackendTrafficPolicy): PolicyTarget[] => targetsFromReferences(p.spec, ns(p));
  const isGatewayKind = (t: PolicyTarget): boolean => t.kind === "Gateway";
  const isListenerSetKind = (t: PolicyTarget): boolean => t.kind === "ListenerSet";

  // Route rules, then whole routes.
  for (const p of policies) for (const t of plain(p)) if (!isGatewayKind(t) && t.sectionName !== undefined) processForRoute(pass, p, t);
  for (const p of policies) {
    const targets = resolvePolicyTargets(p.spec, routeCandidates, owner(p), ctx.index);
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
  const spec = policy.spec;
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
  const mergeType = spec.mergeType;
  if (mergeType === undefined) {
    const err = translateForRoute(pass, policy, spec, route, t, undefined);
    if (err !== undefined) for (const a of ancestors) status.setTranslationError(a, conditionMessage(err));
  } else {
    for (const parent of usable) {
      for (const l of parent.listeners) {
        const gw = l.gateway;
        let ancestor: AncestorRef;
        let parentPolicy: BackendTrafficPolicy | undefined;
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
        const mergedSpec = mergeSpecs(parentPolicy.spec ?? {}, spec, mergeType);
        const err = translateForRoute(pass, policy, mergedSpec, route, t, l, { parent: parentPolicy, child: spec });
        if (err !== undefined) {
          status.set(ancestor, "Accepted", "False", "Invalid", conditionMessage(err));
          continue;
        }
        pass.merged.add(parentScope, routeScope);
        const pm = parentPolicy.metadata;
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
  status.setDeprecatedFields(ancestor, deprecatedFields(policy.spec));
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
  status.setDeprecatedFields(ancestor, deprecatedFields(policy.spec));
  reportRelations(pass, status, ancestor, ownScope);
}

// ---- applying traffic features to routes ----

function routeStatNameOf(tf: ir.TrafficFeatures): string {
  return tf.telemetry?.metrics?.routeStatName ?? "";
}

function buildRouteStatName(pattern: string, md: ir.ResourceMetadata | undefined): string | undefined {
  if (pattern === "" || md === undefined) return undefined;
  return pattern
    .replaceAll("%ROUTE_NAME%", md.name ?? "")
    .replaceAll("%ROUTE_NAMESPACE%", md.namespace ?? "")
    .replaceAll("%ROUTE_KIND%", md.kind ?? "")
    .replaceAll("%ROUTE_RULE_NAME%", md.sectionName ? md.sectionName : "-");
}

/**
 * Records the policy on a route's metadata. Upstream gives each HTTP/GRPC/TCP route its own metadata, but a
 * TLSRoute shares one metadata object with its destinations on every listener; the IR here shares metadata
 * more widely, so the object is replaced, except for TLSRoutes, where it is changed in place like upstream's.
 */
function appendPolicyMetadata(r: { metadata?: ir.ResourceMetadata }, policy: BackendTrafficPolicy): void {
  const md = r.metadata;
  if (md === undefined) return;
  const entry: ir.PolicyMetadata = { kind: "BackendTrafficPolicy", name: policy.metadata.name, namespace: policy.metadata.namespace ?? "" };
  const policies = [...(md.policies ?? []), entry];
  if (md.kind === "TLSRoute") (md as Mutable<ir.ResourceMetadata>).policies = policies;
  else r.metadata = { ...md, policies };
}

/** Sets `r[key]` unless the route already has it (a more specific policy set it first). */
function setIfUnset<T, K extends keyof T>(r: T, key: K, value: T[K] | undefined): void {
  if (r[key] === undefined && value !== undefined) r[key] = value;
}

/** The cluster settings a policy puts on TCP routes. */
const tcpRouteFeatures = ["loadBalancer", "proxyProtocol", "healthCheck", "circuitBreaker", "tcpKeepalive", "timeout", "backendConnection", "dns"] as const;
/** The cluster settings a Gateway or listener policy puts on TCP routes (no backend connection settings). */
const tcpListenerRouteFeatures = ["loadBalancer", "proxyProtocol", "healthCheck", "circuitBreaker", "tcpKeepalive", "timeout", "dns"] as const;

function setTCPFeature<K extends (typeof tcpRouteFeatures)[number]>(r: Mutable<ir.TCPRoute>, tf: ir.TrafficFeatures, key: K): void {
  setIfUnset(r, key, clone(tf[key]));
}

function applyToTCPRoute(r: Mutable<ir.TCPRoute>, tf: ir.TrafficFeatures, pattern: string, policy: BackendTrafficPolicy): void {
  for (const k of tcpRouteFeatures) setTCPFeature(r, tf, k);
  setIfUnset(r, "statName", buildRouteStatName(pattern, r.metadata));
  appendPolicyMetadata(r, policy);
}

function applyToUDPRoute(r: Mutable<ir.UDPRoute>, tf: ir.TrafficFeatures): void {
  setIfUnset(r, "loadBalancer", clone(tf.loadBalancer));
  setIfUnset(r, "dns", clone(tf.dns));
}

function clone<T>(v: T): T {
  return v === undefined ? v : structuredClone(v);
}

function routePrefix(route: RouteContext): string {
  return `${route.kind.toLowerCase()}/${route.namespace}/${route.name}/`;
}

/** `takeTraffic` gives the route its own copy of the traffic features (called once, only when they apply). */
function applyToHTTPRoute(
  r: Mutable<ir.HTTPRoute>,
  tf: ir.TrafficFeatures,
  takeTraffic: () => ir.TrafficFeatures,
  errs: string | undefined,
  spec: Spec,
  policy: BackendTrafficPolicy,
): void {
  const statName = buildRouteStatName(routeStatNameOf(tf), r.metadata);
  if (statName === undefined) delete r.statName;
  else r.statName = statName;
  if (errs !== undefined) {
    r.directResponse = { statusCode: 500 };
    return;
  }
  const traffic = takeTraffic();
  r.traffic = traffic;
  const bu = traffic.loadBalancer?.backendUtilization;
  if (bu !== undefined && bu.keepResponseHeaders !== true) {
    const remove = [...(r.removeResponseHeaders ?? [])];
    for (const h of ["endpoint-load-metrics", "endpoint-load-metrics-bin"]) if (!remove.includes(h)) remove.push(h);
    r.removeResponseHeaders = remove;
  }
  if (spec.useClientProtocol !== undefined) r.useClientProtocol = spec.useClientProtocol;
  appendPolicyMetadata(r, policy);
}

function translateForRoute(
  pass: BackendTrafficPolicyPass,
  policy: BackendTrafficPolicy,
  spec: Spec,
  route: RouteContext,
  t: PolicyTarget,
  listener: ListenerContext | undefined,
  mergedFrom?: { parent: BackendTrafficPolicy; child: Spec },
): string | undefined {
  // A merged response override reads its ConfigMaps from the namespace of the policy that set it.
  const parentNs = mergedFrom?.parent.metadata.namespace ?? "";
  const roNamespace = mergedFrom !== undefined && mergedFrom.child.responseOverride === undefined ? parentNs : undefined;
  const built = buildTrafficFeatures(policy, spec, pass.ctx, roNamespace);
  const tf = built.tf;
  if (mergedFrom !== undefined) {
    const parentSpec = mergedFrom.parent.spec ?? {};
    if (mergedFrom.child.rateLimit !== undefined && parentSpec.rateLimit !== undefined) {
      const gwRL = buildTrafficFeatures(mergedFrom.parent, parentSpec, pass.ctx).tf.rateLimit;
      const routeRL = buildTrafficFeatures(policy, mergedFrom.child, pass.ctx).tf.rateLimit;
      if (gwRL !== undefined && routeRL !== undefined) tf.rateLimit = mergeRateLimits(gwRL, routeRL, spec.mergeType ?? "");
    } else if (mergedFrom.child.rateLimit === undefined && parentSpec.rateLimit !== undefined) {
      const gwRL = buildTrafficFeatures(mergedFrom.parent, parentSpec, pass.ctx).tf.rateLimit;
      if (gwRL !== undefined) tf.rateLimit = gwRL;
    }
  }
  const listenerName = listener !== undefined ? irListenerName(listener) : "";
  const prefix = routePrefix(route);
  const pattern = routeStatNameOf(tf);
  // The features were built for this call: the first HTTP route takes them as they are, later ones a copy
  // (routes' traffic may be changed later, so no two routes share one).
  let handedOut = false;
  const takeTraffic = (): ir.TrafficFeatures => {
    if (handedOut) return structuredClone(tf);
    handedOut = true;
    return tf;
  };
  for (const slot of pass.irRoutesWithPrefix(prefix)) {
    if (listener !== undefined && slot.irKey !== listener.gateway.irKey) continue;
    if (listenerName !== "" && listenerName !== slot.listenerName) continue;
    if (slot.protocol === "tcp") {
      const r = slot.route;
      if (t.sectionName !== undefined && t.sectionName !== (r.destination?.metadata?.sectionName ?? "")) continue;
      applyToTCPRoute(r, tf, pattern, policy);
    } else if (slot.protocol === "udp") {
      const r = slot.route;
      if (t.sectionName !== undefined && t.sectionName !== (r.destination?.metadata?.sectionName ?? "")) continue;
      applyToUDPRoute(r, tf);
    } else {
      const r = slot.route;
      if (t.sectionName !== undefined && t.sectionName !== (r.metadata?.sectionName ?? "")) continue;
      if (r.traffic !== undefined || r.useClientProtocol !== undefined) continue;
      applyToHTTPRoute(r, tf, takeTraffic, built.errors, spec, policy);
    }
  }
  return built.errors;
}

/** The traffic features a shared backend cluster takes from a Gateway policy: cluster settings only. */
function backendClusterTraffic(tf: ir.TrafficFeatures): ir.ClusterTrafficFeatures {
  const cluster: Mutable<ir.ClusterTrafficFeatures> = {};
  const copy = <K extends keyof ir.ClusterTrafficFeatures>(k: K): void => {
    const v = tf[k];
    if (v !== undefined) cluster[k] = structuredClone(v);
  };
  copy("loadBalancer");
  copy("proxyProtocol");
  copy("healthCheck");
  copy("admissionControl");
  copy("circuitBreaker");
  copy("timeout");
  copy("tcpKeepalive");
  copy("backendConnection");
  copy("http2");
  copy("dns");
  // A shared cluster keeps only the timeouts that are cluster settings, not the per-route ones.
  const http = cluster.timeout?.http;
  if (cluster.timeout !== undefined && http !== undefined) {
    const clusterHTTP: Mutable<ir.HTTPTimeout> = {};
    if (http.connectionIdleTimeout !== undefined) clusterHTTP.connectionIdleTimeout = http.connectionIdleTimeout;
    if (http.maxConnectionDuration !== undefined) clusterHTTP.maxConnectionDuration = http.maxConnectionDuration;
    if (http.maxStreamDuration !== undefined) clusterHTTP.maxStreamDuration = http.maxStreamDuration;
    (cluster.timeout as Mutable<ir.Timeout>).http = clusterHTTP;
  }
  return cluster;
}

function translateForListeners(
  pass: BackendTrafficPolicyPass,
  policy: BackendTrafficPolicy,
  gateway: GatewayContext,
  listeners: ReadonlyArray<ListenerContext>,
  applyToBackendClusters: boolean,
): string | undefined {
  const spec = policy.spec;
  const { tf, errors } = buildTrafficFeatures(policy, spec, pass.ctx);
  const pattern = routeStatNameOf(tf);
  const x = pass.ctx.xdsIR.get(gateway.irKey);
  if (x === undefined) return errors;
  const names = new Set(listeners.map((l) => irListenerName(l)));
  for (const tcp of x.tcp ?? []) {
    if (!names.has(tcp.name)) continue;
    for (const r of (tcp.routes ?? []) as Array<Mutable<ir.TCPRoute>>) {
      for (const k of tcpListenerRouteFeatures) setTCPFeature(r, tf, k);
      setIfUnset(r, "statName", buildRouteStatName(pattern, r.metadata));
      appendPolicyMetadata(r, policy);
    }
  }
  for (const udp of x.udp ?? []) {
    if (!names.has(udp.name) || udp.route === undefined) continue;
    applyToUDPRoute(udp.route as Mutable<ir.UDPRoute>, tf);
  }
  for (const http of x.http ?? []) {
    if (!names.has(http.name)) continue;
    for (const r of (http.routes ?? []) as Array<Mutable<ir.HTTPRoute>>) {
      if (r.traffic !== undefined || r.useClientProtocol !== undefined) continue;
      setIfUnset(r, "statName", buildRouteStatName(pattern, r.metadata));
      if (errors !== undefined) {
        r.directResponse = { statusCode: 500 };
        continue;
      }
      r.traffic = structuredClone(tf);
      if (spec.useClientProtocol !== undefined) r.useClientProtocol = spec.useClientProtocol;
      appendPolicyMetadata(r, policy);
    }
  }
  if (applyToBackendClusters && errors === undefined) {
    for (const bc of (x.backendClusters ?? []) as Array<Mutable<ir.BackendCluster>>) {
      bc.traffic = backendClusterTraffic(tf);
      if (spec.useClientProtocol !== undefined) bc.useClientProtocol = spec.useClientProtocol;
      else delete bc.useClientProtocol;
    }
  }
  return errors;
}

// ---- merging ----

function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

/** The value of a list item's merge key (undefined for an item that is not an object). */
function keyOf(item: unknown, key: string): unknown {
  return isObject(item) ? item[key] : undefined;
}

// Lists that strategic merge combines by their `type` key (upstream patchStrategy:"merge" tags).
const strategicMergeLists = new Set(["compression", "compressor", "httpUpgrade"]);

/**
 * Kubernetes strategic merge of a list keyed by `key`: patch entries (merged with their originals) keep the
 * patch's order, entries only in the original are woven back in where the original order places them.
 */
function mergeKeyedList(original: ReadonlyArray<unknown>, patch: ReadonlyArray<unknown>, key: string): unknown[] {
  const patched = patch.map((item) => {
    const base = original.find((o) => keyOf(o, key) === keyOf(item, key));
    return isObject(base) && isObject(item) ? mergeObjects(base, item, "StrategicMerge", false) : structuredClone(item);
  });
  const originalOnly = original.filter((o) => !patch.some((p) => keyOf(p, key) === keyOf(o, key))).map((o) => structuredClone(o));
  const position = (item: unknown): number => original.findIndex((o) => keyOf(o, key) === keyOf(item, key));
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < originalOnly.length || j < patched.length) {
    if (i >= originalOnly.length) out.push(patched[j++]);
    else if (j >= patched.length) out.push(originalOnly[i++]);
    else {
      const li = position(originalOnly[i]);
      const ri = position(patched[j]);
      if (li >= 0 && ri >= 0 && li < ri) out.push(originalOnly[i++]);
      else out.push(patched[j++]);
    }
  }
  return out;
}

function mergeObjects(parent: object, child: object, mergeType: string, topLevel: boolean): JsonObject {
  const out = structuredClone(parent) as JsonObject;
  for (const [k, v] of Object.entries(child)) {
    const current = out[k];
    if (v === null) delete out[k];
    else if (isObject(v) && isObject(current)) out[k] = mergeObjects(current, v, mergeType, false);
    else if (topLevel && mergeType === "StrategicMerge" && strategicMergeLists.has(k) && Array.isArray(v) && Array.isArray(current)) {
      out[k] = mergeKeyedList(current, v, "type");
    } else out[k] = structuredClone(v);
  }
  return out;
}

/** Merges a route's IR rate limit onto its parent's; strategic merge keeps both rule lists, keyed by rule name. */
function mergeRateLimits(parent: ir.RateLimit, child: ir.RateLimit, mergeType: string): ir.RateLimit {
  // The JSON merge of two rate limits is a rate limit.
  const out = mergeObjects(parent, child, "JSONMerge", false) as Mutable<ir.RateLimit>;
  if (mergeType !== "StrategicMerge") return out;
  // Merging lists of rules keyed by name gives a list of rules.
  const mergeRules = (p: ir.RateLimitRule[] | undefined, c: ir.RateLimitRule[] | undefined): ir.RateLimitRule[] | undefined =>
    Array.isArray(p) && Array.isArray(c) ? (mergeKeyedList(p, c, "name") as ir.RateLimitRule[]) : undefined;
  const globalRules = mergeRules(parent.global?.rules as ir.RateLimitRule[] | undefined, child.global?.rules as ir.RateLimitRule[] | undefined);
  if (globalRules !== undefined && out.global !== undefined) out.global = { ...out.global, rules: globalRules };
  const localRules = mergeRules(parent.local?.rules as ir.RateLimitRule[] | undefined, child.local?.rules as ir.RateLimitRule[] | undefined);
  if (localRules !== undefined && out.local !== undefined) out.local = { ...out.local, rules: localRules };
  return out;
}

/**
 * Merges a route policy's spec onto its parent's: JSON merge patch, or strategic merge, which also combines
 * the compression/compressor/httpUpgrade lists by type (route entries first, then the parent's others).
 */
export function mergeSpecs(parent: Spec, child: Spec, mergeType: string): Spec {
  // The merge of two specs is a spec (a null in the route's spec removes the parent's field).
  return mergeObjects(parent, child, mergeType, true) as Spec;
}

// ---- building traffic features ----

interface BuiltFeatures {
  readonly tf: Mutable<ir.TrafficFeatures>;
  readonly errors: string | undefined;
}

/** The ClusterSettings fields of a BackendTrafficPolicy, each checked alone for its error label. */
const clusterSettingFields = [
  ["loadBalancer", "LoadBalancer"],
  ["circuitBreaker", "CircuitBreaker"],
  ["tcpKeepalive", "TCPKeepalive"],
  ["retry", "Retry"],
  ["timeout", "Timeout"],
  ["connection", "BackendConnection"],
  ["http2", "HTTP2"],
] as const satisfies ReadonlyArray<readonly [keyof ClusterSettings, string]>;

/** Every ClusterSettings field a BackendTrafficPolicy carries inline. */
const clusterSettingKeys = [
  "loadBalancer",
  "circuitBreaker",
  "tcpKeepalive",
  "retry",
  "timeout",
  "connection",
  "http2",
  "proxyProtocol",
  "healthCheck",
  "dns",
] as const satisfies ReadonlyArray<keyof ClusterSettings & keyof Spec>;

/** The settings with only `key` (a deep copy, so translation never shares input objects). */
// No copies of the spec's values: translateTrafficFeatures only reads its (readonly) input, and its result is
// copied before it goes into the IR.
function onlySetting(settings: ClusterSettings, key: keyof ClusterSettings): ClusterSettings {
  return { [key]: settings[key] };
}

function clusterSettingsOf(spec: Spec): ClusterSettings {
  const settings: Record<string, unknown> = {};
  for (const k of clusterSettingKeys) if (spec[k] !== undefined) settings[k] = spec[k];
  // The policy's inline fields have the ClusterSettings types.
  return settings as ClusterSettings;
}

function buildTrafficFeatures(policy: BackendTrafficPolicy, spec: Spec, ctx: BackendTrafficPolicyContext, responseOverrideNamespace?: string): BuiltFeatures {
  const errors: string[] = [];
  const tf: Mutable<ir.TrafficFeatures> = {};
  const fail = (label: string, message: string): void => {
    errors.push(`${label}: ${message}`);
  };
  const policyNs = policy.metadata.namespace ?? "";
  if (spec.rateLimit !== undefined) {
    const rl = buildRateLimit(spec.rateLimit, policyNs, policy.metadata.name, ctx.globalRateLimitEnabled);
    if (typeof rl === "string") fail("RateLimit", rl);
    else tf.rateLimit = rl;
  }
  if (spec.bandwidthLimit !== undefined) {
    const bl = buildBandwidthLimit(spec.bandwidthLimit);
    if (typeof bl === "string") fail("BandwidthLimit", bl);
    else tf.bandwidthLimit = bl;
  }
  // Cluster settings are shared with EnvoyProxy backend settings; each field is checked alone so its error
  // carries the field's label.
  const settings = clusterSettingsOf(spec);
  let clusterOk = true;
  for (const [key, label] of clusterSettingFields) {
    if (settings[key] === undefined) continue;
    const one = translateTrafficFeatures(onlySetting(settings, key));
    if (typeof one === "string") {
      fail(label, one);
      clusterOk = false;
    }
  }
  const cluster = clusterOk ? translateTrafficFeatures(settings) : translateTrafficFeatures(withoutInvalid(settings));
  if (typeof cluster === "object" && cluster !== null) Object.assign(tf, structuredClone(cluster));
  if (tf.dns !== undefined) tf.dns = { ...tf.dns, name: `${policyNs}/${policy.metadata.name}` };
  if (spec.faultInjection !== undefined) {
    const fi = buildFaultInjection(spec.faultInjection);
    if (fi !== undefined) tf.faultInjection = fi;
  }
  if (spec.admissionControl !== undefined) tf.admissionControl = buildAdmissionControl(spec.admissionControl);
  if (Array.isArray(spec.responseOverride) && spec.responseOverride.length > 0) {
    const ro = buildResponseOverride(policy, spec.responseOverride, ctx.index, responseOverrideNamespace ?? policyNs);
    if (typeof ro === "string") fail("ResponseOverride", ro);
    else tf.responseOverride = ro;
  }
  let requestBuffer: ir.RequestBuffer | undefined;
  if (spec.requestBuffer !== undefined) {
    // An absent limit is Go's zero quantity; the IR carries the quantity in its canonical text, as Go marshals it.
    const limit = spec.requestBuffer.limit ?? 0;
    const bytes = quantityAsInteger(limit);
    if (bytes === undefined) fail("RequestBuffer", "limit must be convertible to an int64");
    else if (bytes < 0n || bytes > 4294967295n) fail("RequestBuffer", `limit value ${quantityText(limit)} is out of range, must be between 0 and 4294967295`);
    else requestBuffer = { limit: quantityText(limit) };
  }
  const telemetry = spec.telemetry;
  const statName = telemetry?.metrics?.routeStatName;
  if (statName !== undefined && statName !== "") {
    const problem = validateRouteStatName(statName);
    if (problem !== undefined) fail("Telemetry", problem);
  }
  const compression = buildCompression(spec.compression, spec.compressor);
  if (compression !== undefined) tf.compression = compression;
  const upgrades = (spec.httpUpgrade ?? []).map((u) => {
    const out: Mutable<ir.HTTPUpgradeConfig> = { type: u.type };
    if (u.connect !== undefined) out.connect = { terminate: u.connect?.terminate ?? false };
    return out;
  });
  if (upgrades.length > 0) tf.httpUpgrade = upgrades;
  if (requestBuffer !== undefined && upgrades.length > 0) fail("RequestBuffer", "requestBuffer cannot be used together with httpUpgrade");
  if (requestBuffer !== undefined) tf.requestBuffer = requestBuffer;
  if (telemetry !== undefined) tf.telemetry = buildTelemetry(telemetry);
  return { tf, errors: errors.length > 0 ? errors.join("\n") : undefined };
}

function withoutInvalid(settings: ClusterSettings): ClusterSettings {
  const out: Record<string, unknown> = {};
  for (const k of clusterSettingKeys) {
    if (settings[k] !== undefined && typeof translateTrafficFeatures(onlySetting(settings, k)) !== "string") out[k] = settings[k];
  }
  // A subset of the settings' own fields.
  return out as ClusterSettings;
}

function validateRouteStatName(name: string): string | undefined {
  const allowed = ["%ROUTE_NAME%", "%ROUTE_NAMESPACE%", "%ROUTE_KIND%", "%ROUTE_RULE_NAME%"];
  const found = name.match(/%[^%]*%/g) ?? [];
  const bad = found.filter((f) => !allowed.includes(f));
  if (bad.length > 0) return `unable to configure Route Stat Name with unsupported operators: ${bad.join(", ")}`;
  return undefined;
}

function buildTelemetry(t: NonNullable<Spec["telemetry"]>): ir.BackendTelemetry {
  const out: Mutable<ir.BackendTelemetry> = {};
  const tracing = t.tracing;
  if (tracing !== undefined) {
    const tr: Mutable<ir.BackendTracing> = {};
    if (tracing.samplingFraction !== undefined) tr.samplingFraction = tracing.samplingFraction;
    if (tracing.clientSamplingFraction !== undefined) tr.clientSamplingFraction = tracing.clientSamplingFraction;
    if (tracing.overallSamplingFraction !== undefined) tr.overallSamplingFraction = tracing.overallSamplingFraction;
    if (tracing.spanName !== undefined) tr.spanName = tracing.spanName;
    const custom = tracing.customTags;
    if (custom !== undefined) {
      // The tag type enum is open in the CRD type; the schema admits only the IR's values.
      tr.customTags = Object.keys(custom)
        .sort()
        .map((key) => ({ key, value: custom[key] as ir.egv1a1.CustomTag }));
    }
    const tags = tracing.tags;
    if (tags !== undefined)
      tr.tags = Object.keys(tags)
        .sort()
        .map((key) => ({ key, value: tags[key] as string }));
    out.tracing = tr;
  }
  const metrics = t.metrics;
  if (metrics !== undefined) out.metrics = metrics.routeStatName !== undefined ? { routeStatName: metrics.routeStatName } : {};
  return out;
}

function buildCompression(
  compression: ReadonlyArray<CompressionSpec> | undefined,
  compressor: ReadonlyArray<CompressorSpec> | undefined,
): ir.Compression[] | undefined {
  const minLength = (c: CompressionSpec | CompressorSpec): { minContentLength?: number } => {
    if (c.minContentLength === undefined) return {};
    const v = quantityAsInteger(c.minContentLength);
    return v === undefined ? {} : { minContentLength: Number(v) };
  };
  // The compressor type enum is open in the CRD type; the schema admits only the IR's values.
  const type = (c: CompressionSpec | CompressorSpec): ir.egv1a1.CompressorType => c.type as ir.egv1a1.CompressorType;
  if (compressor !== undefined && compressor.length > 0) {
    const out: ir.Compression[] = [];
    compressor.forEach((c, i) => {
      const present =
        (c.type === "Gzip" && c.gzip !== undefined) || (c.type === "Brotli" && c.brotli !== undefined) || (c.type === "Zstd" && c.zstd !== undefined);
      if (present) out.push({ type: type(c), chooseFirst: i === 0, ...minLength(c) });
    });
    return out;
  }
  if (compression === undefined) return undefined;
  return compression.map((c, i) => ({ type: type(c), chooseFirst: i === 0, ...minLength(c) }));
}

function buildFaultInjection(f: NonNullable<Spec["faultInjection"]>): ir.FaultInjection | undefined {
  const out: Mutable<ir.FaultInjection> = {};
  const delay = f.delay;
  if (delay !== undefined) {
    let ns = 0;
    if (delay.fixedDelay !== undefined) {
      const parsed = parseGoDuration(delay.fixedDelay);
      if (parsed === undefined) return undefined;
      ns = parsed;
    }
    const d: Mutable<ir.FaultInjectionDelay> = { fixedDelay: formatGoDuration(ns) };
    if (delay.percentage !== undefined) d.percentage = delay.percentage;
    out.delay = d;
  }
  const abort = f.abort;
  if (abort !== undefined) {
    const a: Mutable<ir.FaultInjectionAbort> = {};
    if (abort.percentage !== undefined) a.percentage = abort.percentage;
    if (abort.grpcStatus !== undefined) a.grpcStatus = abort.grpcStatus;
    if (abort.httpStatus !== undefined) a.httpStatus = abort.httpStatus;
    out.abort = a;
  }
  return out;
}

function buildAdmissionControl(a: NonNullable<Spec["admissionControl"]>): ir.AdmissionControl {
  const out: Mutable<ir.AdmissionControl> = {};
  if (a.minSuccessRate !== undefined) out.minSuccessRate = a.minSuccessRate;
  if (a.rejectionAggression !== undefined) out.rejectionAggression = a.rejectionAggression;
  if (a.minRequestRate !== undefined) out.minRequestRate = a.minRequestRate;
  if (a.maxRejectionPercent !== undefined) out.maxRejectionPercent = a.maxRejectionPercent;
  if (a.samplingWindow !== undefined) {
    const ns = parseGoDuration(a.samplingWindow);
    if (ns !== undefined) out.samplingWindow = formatGoDuration(ns);
  }
  const sc = a.successCriteria;
  if (sc !== undefined) {
    const s: Mutable<ir.AdmissionControlSuccessCriteria> = {};
    if (sc.http !== undefined) s.http = { statusCodes: [...(sc.http?.statusCodes ?? [])] };
    if (sc.grpc !== undefined) s.grpc = { statusCodes: [...(sc.grpc?.statusCodes ?? [])] };
    out.successCriteria = s;
  }
  return out;
}

function buildBandwidthLimit(b: NonNullable<Spec["bandwidthLimit"]>): ir.BandwidthLimit | string {
  const out: Mutable<ir.BandwidthLimit> = {};
  const seconds: Record<string, number> = { Minute: 60, Hour: 3600 };
  for (const dir of ["request", "response"] as const) {
    const cfg = b[dir];
    if (cfg === undefined) continue;
    const value = cfg.limit?.value;
    const bytes = quantityAsInteger(value);
    if (bytes === undefined) return `${dir} limit value must be convertible to an int64`;
    if (bytes < 0n) return `${dir} limit value must be positive`;
    const unit = cfg.limit?.unit ?? "Second";
    const kibps = bytes / BigInt((seconds[unit] ?? 1) * 1024);
    if (kibps === 0n) return `${dir}: bandwidth limit of ${bytes} bytes per ${unit} is below the minimum of 1 KiB/s`;
    const c: Mutable<ir.BandwidthLimitConfig> = { limitKibps: Number(kibps) };
    if (dir === "response" && b.response?.responseTrailers !== undefined) c.responseTrailers = responseTrailers(b.response.responseTrailers);
    out[dir] = c;
  }
  return out;
}

function responseTrailers(t: NonNullable<NonNullable<NonNullable<Spec["bandwidthLimit"]>["response"]>["responseTrailers"]>): ir.BandwidthLimitResponseTrailers {
  return t.prefix === undefined ? {} : { prefix: t.prefix };
}

const unitSeconds: Record<string, number> = { Second: 1, Minute: 60, Hour: 3600, Day: 86400, Month: 2592000, Year: 31536000 };

function buildRateLimit(rl: RateLimitSpec, ns: string, name: string, globalEnabled: boolean): ir.RateLimit | string {
  const type = rl.type;
  if (type !== undefined) {
    if (type === "Global") return buildGlobalRateLimit(rl, ns, name, globalEnabled);
    if (type === "Local") return buildLocalRateLimit(rl, ns, name);
    return `invalid rateLimit type: ${type}`;
  }
  const out: Mutable<ir.RateLimit> = {};
  if (rl.local !== undefined) {
    const local = buildLocalRateLimit(rl, ns, name);
    if (typeof local === "string") return local;
    if (local.local !== undefined) out.local = local.local;
  }
  if (rl.global !== undefined) {
    const global = buildGlobalRateLimit(rl, ns, name, globalEnabled);
    if (typeof global === "string") return global;
    if (global.global !== undefined) out.global = global.global;
  }
  return out;
}

// The unit and header option enums are open in the CRD type; the schema admits only the IR's values.
function rateLimitValue(limit: RateLimitRuleSpec["limit"] | undefined): ir.RateLimitValue {
  return { requests: limit?.requests, unit: limit?.unit } as ir.RateLimitValue;
}

function xRateLimitOption(option: RateLimitRuleSpec["xRateLimitHeaders"]): ir.egv1a1.XRateLimitHeadersOption | undefined {
  return option as ir.egv1a1.XRateLimitHeadersOption | undefined;
}

function buildLocalRateLimit(rl: RateLimitSpec, ns: string, name: string): ir.RateLimit | string {
  const local = rl.local;
  if (local === undefined) return "local configuration empty for rateLimit";
  const rules = local.rules ?? [];
  let defaultLimit: ir.RateLimitValue | undefined;
  let defaultOption: ir.egv1a1.XRateLimitHeadersOption | undefined;
  for (const rule of rules) {
    if ((rule.clientSelectors ?? []).length === 0) {
      if (defaultLimit !== undefined) return "local rateLimit can not have more than one rule without clientSelectors";
      defaultLimit = rateLimitValue(rule.limit);
      defaultOption = xRateLimitOption(rule.xRateLimitHeaders);
    }
  }
  defaultLimit ??= { requests: 4294967295, unit: "Second" };
  const defaultUnit = unitSeconds[defaultLimit.unit] ?? 0;
  for (const rule of rules) {
    const u = unitSeconds[rule.limit?.unit] ?? 0;
    if (defaultUnit === 0 || u % defaultUnit !== 0) return "local rateLimit rule limit unit must be a multiple of the default limit unit";
  }
  const irRules: ir.RateLimitRule[] = [];
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    if (rule === undefined || (rule.clientSelectors ?? []).length === 0) continue;
    const built = buildRateLimitRule(rule);
    if (typeof built === "string") return built;
    built.name = `${ns}/${name}/rule/${i}`;
    irRules.push(built);
  }
  const out: Mutable<ir.LocalRateLimit> = { default: defaultLimit, rules: irRules };
  if (defaultOption !== undefined) out.defaultXRateLimitOption = defaultOption;
  return { local: out };
}

function buildGlobalRateLimit(rl: RateLimitSpec, ns: string, name: string, enabled: boolean): ir.RateLimit | string {
  const global = rl.global;
  if (global === undefined) return "global configuration empty for rateLimit";
  if (!enabled) return "enable Ratelimit in the EnvoyGateway config to configure global rateLimit";
  const irRules: ir.RateLimitRule[] = [];
  const rules = global.rules ?? [];
  for (let i = 0; i < rules.length; i++) {
    const built = buildRateLimitRule(rules[i] as RateLimitRuleSpec);
    if (typeof built === "string") return built;
    built.name = `${ns}/${name}/rule/${i}`;
    irRules.push(built);
  }
  return { global: { rules: irRules } };
}

function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, "\\$&");
}

/** A match with `invert` when the selector says (absent otherwise, as upstream's omitempty leaves it). */
function withInvert(m: Partial<ir.StringMatch>, invert: boolean | undefined): ir.StringMatch {
  return stringMatch(invert !== undefined ? { ...m, invert } : m);
}

function rateLimitCost(spec: NonNullable<NonNullable<RateLimitRuleSpec["cost"]>["request"]>): ir.RateLimitCost {
  const o: Mutable<ir.RateLimitCost> = {};
  if (spec.number !== undefined) o.number = spec.number;
  if (spec.metadata !== undefined) o.format = `%DYNAMIC_METADATA(${spec.metadata.namespace}:${spec.metadata.key})%`;
  return o;
}

function buildRateLimitRule(rule: RateLimitRuleSpec): Mutable<ir.RateLimitRule> | string {
  const limit: Mutable<ir.RateLimitValue> = rateLimitValue(rule.limit);
  const fromMetadata = rule.limit?.fromMetadata;
  if (fromMetadata !== undefined) limit.fromMetadata = { namespace: fromMetadata.namespace, key: fromMetadata.key };
  const headerMatches: ir.StringMatch[] = [];
  const methodMatches: ir.StringMatch[] = [];
  const out: Mutable<ir.RateLimitRule> = { limit, headerMatches, methodMatches };
  if (rule.shared !== undefined) out.shared = rule.shared;
  if (rule.shadowMode !== undefined) out.shadowMode = rule.shadowMode;
  const option = xRateLimitOption(rule.xRateLimitHeaders);
  if (option !== undefined) out.xRateLimitOption = option;
  for (const sel of rule.clientSelectors ?? []) {
    const headers = sel.headers ?? [];
    const methods = sel.methods ?? [];
    const queryParams = sel.queryParams ?? [];
    if (headers.length === 0 && methods.length === 0 && sel.path === undefined && sel.sourceCIDR === undefined && queryParams.length === 0) {
      return "unable to translate rateLimit. At least one of the header or method or path or sourceCIDR or queryParameters must be specified";
    }
    for (const h of headers) {
      const type = h.type;
      const value = h.value;
      if ((type === undefined || type === "Exact") && value !== undefined) {
        headerMatches.push(withInvert({ name: h.name, exact: value }, h.invert));
      } else if (type === "RegularExpression" && value !== undefined) {
        const bad = checkRegex(value);
        if (bad !== undefined) return bad;
        headerMatches.push(withInvert({ name: h.name, safeRegex: value }, h.invert));
      } else if (type === "Distinct" && value === undefined) {
        if (h.invert === true) return "unable to translate rateLimit.Invert is not applicable for distinct header match type";
        headerMatches.push(stringMatch({ name: h.name, distinct: true }));
      } else {
        return "unable to translate rateLimit. Either the header.Type is not valid or the header is missing a value";
      }
    }
    for (const m of methods) methodMatches.push(withInvert({ exact: m.value }, m.invert));
    const path = sel.path;
    if (path !== undefined) {
      const value = path.value;
      switch (path.type ?? "PathPrefix") {
        case "PathPrefix":
          out.pathMatch = withInvert(
            value === "/" ? { prefix: value } : { safeRegex: `^${quoteMeta(value.replace(/\/$/, ""))}(/.*|\\?.*|#.*|;.*|$)` },
            path.invert,
          );
          break;
        case "Exact":
          out.pathMatch = withInvert({ exact: value }, path.invert);
          break;
        case "RegularExpression": {
          const bad = checkRegex(value);
          if (bad !== undefined) return bad;
          out.pathMatch = withInvert({ safeRegex: value }, path.invert);
          break;
        }
        default:
          return "unable to translate rateLimit: invalid path type.";
      }
    }
    const src = sel.sourceCIDR;
    if (src !== undefined) {
      const cidr = parseCIDR(src.value);
      if (cidr === undefined) return `unable to translate rateLimit: invalid CIDR address: ${src.value}`;
      out.cidrMatch = { ...cidr, distinct: src.type === "Distinct", invert: src.invert === true };
    }
    for (const q of queryParams) {
      if (q.name === undefined || q.name === "") return "name is required when QueryParamMatch is specified";
      const type = q.type ?? "Exact";
      const value = q.value;
      let m: ir.QueryParamMatch;
      if (type === "Exact") {
        if (value === undefined || value === "") return "value is required for Exact query parameter match";
        m = withInvert({ name: q.name, exact: value }, q.invert);
      } else if (type === "RegularExpression") {
        if (value === undefined || value === "") return "value is required for RegularExpression query parameter match";
        const bad = checkRegex(value);
        if (bad !== undefined) return bad;
        m = withInvert({ name: q.name, safeRegex: value }, q.invert);
      } else if (type === "Distinct") {
        if (q.invert === true) return "unable to translate rateLimit.Invert is not applicable for distinct query parameter match type";
        if (value !== undefined) return "unable to translate rateLimit.Value is not applicable for distinct query parameter match type";
        m = stringMatch({ name: q.name, distinct: true });
      } else return `invalid query parameter match type: ${type}`;
      out.queryParamMatches = [...(out.queryParamMatches ?? []), m];
    }
  }
  const cost = rule.cost;
  if (cost !== undefined) {
    if (cost.request !== undefined) out.requestCost = rateLimitCost(cost.request);
    if (cost.response !== undefined) out.responseCost = rateLimitCost(cost.response);
  }
  return out;
}

/** An IR AddHeader without `addIfAbsent`: absent, it reads as false, which upstream's JSON shows. */
function addHeader(fields: Omit<ir.AddHeader, "addIfAbsent">): ir.AddHeader {
  return fields as ir.AddHeader;
}

function statusCodeMatch(code: NonNullable<ResponseOverrideSpec["match"]["statusCodes"]>[number]): ir.StatusCodeMatch {
  // A Range match without its range (the schema requires one) keeps an empty one.
  if (code.type === "Range") return { range: { start: code.range?.start, end: code.range?.end } as ir.StatusCodeRange };
  return code.value === undefined ? {} : { value: code.value };
}

function buildResponseOverride(
  policy: BackendTrafficPolicy,
  rules: ReadonlyArray<ResponseOverrideSpec>,
  index: ResourceIndex,
  ns: string,
): ir.ResponseOverride | string {
  const configName = `backendtrafficpolicy/${policy.metadata.namespace ?? ""}/${policy.metadata.name}`;
  const out: ir.ResponseOverrideRule[] = [];
  for (let i = 0; i < rules.length; i++) {
    const ro = rules[i] as ResponseOverrideSpec;
    // A spec that skipped schema validation may lack the required match.
    const matchSpec: Partial<ResponseOverrideSpec["match"]> = ro.match ?? {};
    const match: Mutable<ir.CustomResponseMatch> = { statusCodes: (matchSpec.statusCodes ?? []).map(statusCodeMatch) };
    const headers = matchSpec.responseHeaders ?? [];
    if (headers.length > 0) match.responseHeaders = headers.map((h) => irStringMatch(h.name, h.value ?? {}));
    const rule: Mutable<ir.ResponseOverrideRule> = { name: `${configName}/responseoverride/rule/${i}`, match };
    // The source enum is open in the CRD type; the schema admits only the IR's values.
    if (ro.source !== undefined) rule.source = ro.source as ir.egv1a1.ResponseOverrideSource;
    const redirect = ro.redirect;
    if (redirect !== undefined) {
      const r: Mutable<ir.Redirect> = {};
      if (redirect.scheme !== undefined) r.scheme = redirect.scheme;
      if (redirect.path !== undefined) {
        const p: Mutable<ir.HTTPPathModifier> = {};
        if (redirect.path.replaceFullPath !== undefined) p.fullReplace = redirect.path.replaceFullPath;
        if (redirect.path.replacePrefixMatch !== undefined) p.prefixMatchReplace = redirect.path.replacePrefixMatch;
        r.path = p;
      }
      if (redirect.hostname !== undefined) r.hostname = redirect.hostname;
      if (redirect.port !== undefined) r.port = redirect.port;
      if (redirect.statusCode !== undefined) r.statusCode = redirect.statusCode;
      rule.redirect = r;
    } else {
      const resp: NonNullable<ResponseOverrideSpec["response"]> = ro.response ?? {};
      const response: Mutable<ir.CustomResponse> = {};
      if (resp.contentType !== undefined) response.contentType = resp.contentType;
      if (resp.statusCode !== undefined) response.statusCode = resp.statusCode;
      const body = resp.body;
      if (body !== undefined) {
        const bytes = customResponseBody(body, ns, index);
        if (bytes !== undefined && !(bytes instanceof Uint8Array)) return bytes.error;
        if (bytes !== undefined) response.body = Buffer.from(bytes);
      }
      const header = resp.header;
      if (header !== undefined) {
        const add: ir.AddHeader[] = [];
        for (const h of header.add ?? []) add.push(addHeader({ name: h.name, append: true, value: [h.value] }));
        for (const h of header.set ?? []) add.push(addHeader({ name: h.name, append: false, value: [h.value] }));
        if (add.length > 0) response.addResponseHeaders = add;
      }
      rule.response = response;
    }
    out.push(rule);
  }
  return { name: configName, rules: out };
}
