// The attachment frame SecurityPolicy and EnvoyExtensionPolicy share (upstream securitypolicy.go /
// envoyextensionpolicy.go Process*): policies are applied from the most specific target to the least
// (route rules, routes, ListenerSet listeners, ListenerSets, Gateway listeners, Gateways), one policy per
// target, and each ancestor's status says whether the policy was accepted, conflicted or overridden.
import type { ListenerSet, ObjectMeta } from "@egts/api";
import type * as ir from "@egts/ir";
import type { Mutable } from "../Mutable.js";
import { conditionMessage } from "../Conditions.js";
import type { ResourceIndex } from "../Index.js";
import type { GatewayContext, ListenerContext } from "../Model.js";
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
  type PolicyTargetSpec,
  type SelectableObject,
} from "./PolicyTargets.js";

/** A policy object the frame can attach: metadata plus a spec with targets. */
export interface TargetedPolicy {
  readonly metadata: ObjectMeta;
  readonly spec: PolicyTargetSpec & { readonly mergeType?: string };
}

/** What one policy kind contributes to the frame. */
export interface TargetedPolicyHandler<P extends TargetedPolicy> {
  /** The policy kind, as written in conflict messages ("SecurityPolicy"). */
  readonly kind: string;
  /** The plural used in override messages ("securityPolicies"). */
  readonly plural: string;
  /** Deprecated fields the policy uses, each with its replacement. */
  deprecatedFields(policy: P): ReadonlyMap<string, string>;
  /** Whether the deprecated-field warning comes before the Merged/Overridden conditions of Gateway and ListenerSet ancestors. */
  readonly deprecationFirst?: boolean;
  /** A policy-level error that stops it from applying to a route (the bare error text). */
  validateForRoute?(policy: P, route: RouteContext): string | undefined;
  /** What a validation error of an unmerged policy is reported as ("invalid SecurityPolicy"). */
  invalidPrefix?(route: RouteContext): string;
  /**
   * Applies the policy to the IR routes of one route (or one rule of it), only through `listener` when given;
   * `owners` says which of two merged policies owns each feature. Returns the error text, if any.
   */
  translateForRoute(policy: P, route: RouteContext, target: PolicyTarget, listener?: ListenerContext, owners?: PolicyOwners<P>): string | undefined;
  /** Which spec paths are lists merged by a key under strategic merge (path -> key). */
  readonly strategicLists?: ReadonlyMap<string, string>;
  /** The owners of a route policy's features after merging it with a parent policy. */
  owners?(route: P, parent: P): PolicyOwners<P>;
  /** Applies the policy to the IR of the given listeners of one Gateway; returns the error text, if any. */
  translateForListeners(policy: P, gateway: GatewayContext, listeners: ReadonlyArray<ListenerContext>): string | undefined;
}

/** Which of two merged policies owns a feature: the route's when it sets the feature, else the parent's. */
export type PolicyOwners<P> = (feature: string) => P;

/** The owner function for a route policy merged onto a parent: `has(policy)` tells whether a policy sets a feature. */
export function ownerOf<P>(route: P, parent: P, has: (policy: P) => boolean): P {
  return has(route) ? route : parent;
}

/** A JSON object of a policy spec being merged; its values are arbitrary JSON. */
type JsonObject = { [key: string]: unknown };

function isPlainObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** The value of a list item's merge key (undefined for an item that is not an object). */
function keyOf(item: unknown, key: string): unknown {
  return isPlainObject(item) ? item[key] : undefined;
}

/**
 * Merges a route policy's spec onto its parent's (upstream utils.Merge): JSON merge patch semantics, and under
 * StrategicMerge the lists named in `keyed` combine by their key (the route's items, merged onto the parent's
 * items of the same key, then the parent's other items).
 */
export function mergePolicySpecs(parent: object, child: object, mergeType: string, keyed: ReadonlyMap<string, string> = new Map(), path = ""): JsonObject {
  const out: JsonObject = structuredClone(parent) as JsonObject;
  for (const [k, v] of Object.entries(child)) {
    const here = path === "" ? k : `${path}.${k}`;
    const key = keyed.get(here);
    const current = out[k];
    if (v === null) delete out[k];
    else if (isPlainObject(v) && isPlainObject(current)) out[k] = mergePolicySpecs(current, v, mergeType, keyed, here);
    else if (mergeType === "StrategicMerge" && key !== undefined && Array.isArray(v) && Array.isArray(current)) {
      const original: unknown[] = current;
      const merged: unknown[] = v.map((p: unknown) => {
        const base = original.find((o) => keyOf(o, key) === keyOf(p, key));
        return isPlainObject(base) && isPlainObject(p) ? mergePolicySpecs(base, p, mergeType, new Map()) : structuredClone(p);
      });
      for (const o of original) if (!v.some((p: unknown) => keyOf(p, key) === keyOf(o, key))) merged.push(o);
      out[k] = merged;
    } else out[k] = structuredClone(v);
  }
  return out;
}

/** What the frame needs from the translation. */
export interface TargetedPolicyContext {
  readonly gateways: ReadonlyArray<GatewayContext>;
  readonly listenerSets: ReadonlyArray<ListenerSet>;
  readonly routes: ReadonlyArray<RouteContext>;
  readonly index: ResourceIndex;
  readonly controllerName: string;
}

interface Attachment {
  attached: boolean;
  readonly sections: Set<string>;
}

const routeKinds = new Set(["HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute", "UDPRoute"]);

/** The rule names of a route (rules without a name are left out). */
export function routeRuleNames(route: RouteContext): string[] {
  const rules = (route.route as { spec?: { rules?: ReadonlyArray<{ name?: string }> } }).spec?.rules ?? [];
  return rules.map((r) => r.name ?? "").filter((n) => n !== "");
}

/** The IR route name prefix of a route: `<kind>/<namespace>/<name>/`. */
export function irRoutePrefix(route: RouteContext): string {
  return `${route.kind.toLowerCase()}/${route.namespace}/${route.name}/`;
}

/**
 * The IR routes of an HTTP listener grouped by route prefix (`<kind>/<ns>/<name>/`), so applying a policy to
 * one route does not scan every route of the listener. A listener whose route list is replaced is re-indexed.
 */
export class IRRouteLookup {
  private readonly byList = new Map<ReadonlyArray<ir.HTTPRoute>, Map<string, Array<Mutable<ir.HTTPRoute>>>>();

  /** The IR routes of `listener` that belong to the route with this prefix, in IR order. */
  routes(listener: { readonly routes?: ReadonlyArray<ir.HTTPRoute> }, prefix: string): ReadonlyArray<Mutable<ir.HTTPRoute>> {
    const list = listener.routes;
    if (list === undefined) return [];
    let groups = this.byList.get(list);
    if (groups === undefined) {
      groups = new Map();
      for (const r of list as Array<Mutable<ir.HTTPRoute>>) {
        let cut = -1;
        for (let i = 0; i < 3 && (cut = r.name.indexOf("/", cut + 1)) >= 0; i++);
        const key = cut >= 0 ? r.name.slice(0, cut + 1) : r.name;
        const group = groups.get(key);
        if (group === undefined) groups.set(key, [r]);
        else group.push(r);
      }
      this.byList.set(list, groups);
    }
    return groups.get(prefix) ?? [];
  }
}

function routeCandidates(routes: ReadonlyArray<RouteContext>): SelectableObject[] {
  return routes.map((r) => ({ group: "gateway.networking.k8s.io", kind: r.kind, metadata: r.route.metadata as ObjectMeta }));
}

/**
 * Runs one translation step, turning a failure on malformed input (a spec the schema should have rejected)
 * into an error of that policy, so the other policies and the rest of the translation go on.
 */
function guarded(step: () => string | undefined): string | undefined {
  try {
    return step();
  } catch (e) {
    return `malformed policy: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/** Runs every policy of one kind through the frame; returns the handled policies with their status. */
export function processTargetedPolicies<P extends TargetedPolicy>(
  policies: ReadonlyArray<P>,
  handler: TargetedPolicyHandler<P>,
  ctx: TargetedPolicyContext,
): unknown[] {
  const routes = new Map<string, { route: RouteContext; attachment: Attachment }>();
  for (const route of ctx.routes) routes.set(`${route.kind}/${route.namespace}/${route.name}`, { route, attachment: { attached: false, sections: new Set() } });
  const gateways = new Map<string, { gateway: GatewayContext; attachment: Attachment }>();
  for (const gateway of ctx.gateways) gateways.set(`${gateway.namespace}/${gateway.name}`, { gateway, attachment: { attached: false, sections: new Set() } });
  const listenerSets = new Map<string, { listenerSet: ListenerSet; attachment: Attachment }>();
  for (const listenerSet of ctx.listenerSets)
    listenerSets.set(nsName(listenerSet.metadata), { listenerSet, attachment: { attached: false, sections: new Set() } });

  // The first policy attached to each Gateway/ListenerSet (or one of its listeners): the parents route
  // policies with a mergeType merge into.
  const gatewayPolicies = new Map<string, P>();
  const listenerSetPolicies = new Map<string, P>();
  if (policies.some((p) => p.spec.mergeType !== undefined)) {
    const gwCands = gatewayCandidates(ctx.gateways);
    const lsCands = listenerSetCandidates(ctx.listenerSets);
    for (const p of policies) {
      const ref = { group: "gateway.envoyproxy.io", kind: handler.kind, namespace: p.metadata.namespace ?? "" };
      for (const t of resolvePolicyTargets(p.spec, gwCands, ref, ctx.index)) {
        if (t.kind !== "Gateway") continue;
        const g = gateways.get(`${t.namespace}/${t.name}`)?.gateway;
        if (g === undefined) continue;
        if (t.sectionName !== undefined && !g.listeners.some((l) => l.listenerSet === undefined && l.listener.name === t.sectionName)) continue;
        const key = `${t.namespace}/${t.name}/${t.sectionName ?? ""}`;
        if (!gatewayPolicies.has(key)) gatewayPolicies.set(key, p);
      }
      for (const t of resolvePolicyTargets(p.spec, lsCands, ref, ctx.index)) {
        if (t.kind !== "ListenerSet") continue;
        const ls = listenerSets.get(`${t.namespace}/${t.name}`)?.listenerSet;
        if (ls === undefined) continue;
        if (t.sectionName !== undefined && !ls.spec.listeners.some((l) => l.name === t.sectionName)) continue;
        const key = `${t.namespace}/${t.name}/${t.sectionName ?? ""}`;
        if (!listenerSetPolicies.has(key)) listenerSetPolicies.set(key, p);
      }
    }
  }
  const overrides = new PolicyScopeGraph();
  const merged = new PolicyScopeGraph();
  const handled: P[] = [];
  const statuses = new Map<P, PolicyStatus>();
  const statusOf = (p: P): PolicyStatus => {
    let st = statuses.get(p);
    if (st === undefined) {
      st = new PolicyStatus(ctx.controllerName, p.metadata.generation);
      statuses.set(p, st);
      handled.push(p);
    }
    return st;
  };
  const policyRef = (p: P): { group: string; kind: string; namespace: string } => ({
    group: "gateway.envoyproxy.io",
    kind: handler.kind,
    namespace: p.metadata.namespace ?? "",
  });
  const conflict = (what: string): PolicyResolveError => ({
    reason: "Conflicted",
    message: `Unable to target ${what}, another ${handler.kind} has already attached to it`,
  });
  const finishAncestor = (p: P, status: PolicyStatus, ancestor: AncestorRef, scope: PolicyScope, warnDeprecated: boolean): void => {
    status.setAccepted(ancestor);
    if (warnDeprecated && handler.deprecationFirst === true) status.setDeprecatedFields(ancestor, new Map(handler.deprecatedFields(p)));
    const mergedScopes = merged.directChildren(scope);
    const mergedMessage = formatPolicyScopes(mergedScopes);
    const overriddenMessage = formatPolicyScopes(overrides.withDescendants(scope).without(mergedScopes));
    if (mergedMessage !== "") status.set(ancestor, "Merged", "True", "Merged", `This policy is being merged by other ${handler.plural} for ${mergedMessage}`);
    if (overriddenMessage !== "")
      status.set(ancestor, "Overridden", "True", "Overridden", `This policy is being overridden by other ${handler.plural} for ${overriddenMessage}`);
    if (warnDeprecated && handler.deprecationFirst !== true) status.setDeprecatedFields(ancestor, new Map(handler.deprecatedFields(p)));
  };

  const processRoute = (p: P, target: PolicyTarget): void => {
    const status = statusOf(p);
    const entry = routes.get(`${target.kind}/${target.namespace}/${target.name}`);
    if (entry === undefined) return;
    const { route, attachment } = entry;
    let error: PolicyResolveError | undefined;
    if (target.sectionName !== undefined) {
      if (!routeRuleNames(route).includes(target.sectionName)) {
        error = { reason: "TargetNotFound", message: `No section name ${target.sectionName} found for ${target.kind} ${target.namespace}/${target.name}` };
      } else if (attachment.sections.has(target.sectionName)) {
        error = conflict(`RouteRule ${target.name}/${target.sectionName}`);
      } else attachment.sections.add(target.sectionName);
    } else if (attachment.attached) {
      error = conflict(`${target.kind} ${target.name}`);
    } else attachment.attached = true;

    const routeScope: PolicyScope = { kind: "Route", namespace: route.namespace, name: route.name, routeKind: route.kind };
    const ancestors: AncestorRef[] = [];
    for (const parent of route.parentContexts) {
      const ref = parent.ref;
      const parentNs = ref.namespace ?? route.namespace;
      if (ref.kind === undefined || ref.kind === "Gateway") {
        const scope: PolicyScope =
          ref.sectionName !== undefined
            ? { kind: "GatewayListener", namespace: parentNs, name: ref.name, sectionName: ref.sectionName }
            : { kind: "Gateway", namespace: parentNs, name: ref.name };
        overrides.add(scope, routeScope);
        ancestors.push(gatewayAncestorRef(parentNs, ref.name, ref.sectionName));
      } else if (ref.kind === "ListenerSet") {
        const ls = listenerSets.get(`${parentNs}/${ref.name}`)?.listenerSet;
        if (ls === undefined) continue;
        const lsParent = ls.spec.parentRef as { name: string; namespace?: string };
        const lsScope: PolicyScope = { kind: "ListenerSet", namespace: parentNs, name: ref.name };
        overrides.registerListenerSet(lsScope, { kind: "Gateway", namespace: lsParent.namespace ?? ls.metadata.namespace ?? "", name: lsParent.name });
        overrides.add(ref.sectionName !== undefined ? { ...lsScope, kind: "ListenerSetListener", sectionName: ref.sectionName } : lsScope, routeScope);
        ancestors.push(listenerSetAncestorRef(parentNs, ref.name, ref.sectionName));
      }
    }
    if (error !== undefined) {
      for (const a of ancestors) status.setResolveError(a, error);
      return;
    }
    const invalid = handler.validateForRoute?.(p, route);
    if (invalid !== undefined) {
      const prefix = handler.invalidPrefix?.(route);
      const message = conditionMessage(prefix !== undefined ? `${prefix}: ${invalid}` : invalid);
      for (const a of ancestors) status.setTranslationError(a, message);
      return;
    }
    const mergeType = p.spec.mergeType;
    if (mergeType === undefined) {
      const err = guarded(() => handler.translateForRoute(p, route, target));
      if (err !== undefined) for (const a of ancestors) status.setTranslationError(a, conditionMessage(err));
    } else {
      for (const parent of route.parentContexts) {
        const ref = parent.ref;
        if (ref.kind !== undefined && ref.kind !== "Gateway" && ref.kind !== "ListenerSet") continue;
        for (const l of parent.listeners) {
          const gw = l.gateway;
          let ancestor: AncestorRef;
          let parentPolicy: P | undefined;
          let parentScope: PolicyScope | undefined;
          const lsMeta = l.listenerSet?.listenerSet.metadata;
          if (lsMeta !== undefined) {
            const lsNs = lsMeta.namespace ?? "";
            ancestor = listenerSetAncestorRef(lsNs, lsMeta.name, l.listener.name);
            const byListener = listenerSetPolicies.get(`${lsNs}/${lsMeta.name}/${l.listener.name}`);
            const byLs = listenerSetPolicies.get(`${lsNs}/${lsMeta.name}/`);
            const byGw = gatewayPolicies.get(`${gw.namespace}/${gw.name}/`);
            if (byListener !== undefined)
              [parentPolicy, parentScope] = [byListener, { kind: "ListenerSetListener", namespace: lsNs, name: lsMeta.name, sectionName: l.listener.name }];
            else if (byLs !== undefined) [parentPolicy, parentScope] = [byLs, { kind: "ListenerSet", namespace: lsNs, name: lsMeta.name }];
            else if (byGw !== undefined) [parentPolicy, parentScope] = [byGw, { kind: "Gateway", namespace: gw.namespace, name: gw.name }];
          } else {
            ancestor = gatewayAncestorRef(gw.namespace, gw.name, l.listener.name);
            const byListener = gatewayPolicies.get(`${gw.namespace}/${gw.name}/${l.listener.name}`);
            const byGw = gatewayPolicies.get(`${gw.namespace}/${gw.name}/`);
            if (byListener !== undefined)
              [parentPolicy, parentScope] = [byListener, { kind: "GatewayListener", namespace: gw.namespace, name: gw.name, sectionName: l.listener.name }];
            else if (byGw !== undefined) [parentPolicy, parentScope] = [byGw, { kind: "Gateway", namespace: gw.namespace, name: gw.name }];
          }
          if (parentPolicy === undefined || parentScope === undefined) {
            const err = guarded(() => handler.translateForRoute(p, route, target, l));
            if (err !== undefined) status.setTranslationError(ancestor, conditionMessage(err));
            continue;
          }
          // The merge of two specs of one kind is a spec of that kind.
          const mergedSpec = mergePolicySpecs(parentPolicy.spec, p.spec, mergeType, handler.strategicLists) as P["spec"];
          const mergedPolicy: P = { ...p, spec: mergedSpec };
          const invalid = handler.validateForRoute?.(mergedPolicy, route);
          if (invalid !== undefined) {
            status.setTranslationError(ancestor, conditionMessage(invalid));
            continue;
          }
          const owners = handler.owners?.(p, parentPolicy);
          const err = guarded(() => handler.translateForRoute(mergedPolicy, route, target, l, owners));
          if (err !== undefined) {
            status.setTranslationError(ancestor, conditionMessage(err));
            continue;
          }
          merged.add(parentScope, routeScope);
          status.set(ancestor, "Merged", "True", "Merged", `Merged with policy ${parentPolicy.metadata.namespace ?? ""}/${parentPolicy.metadata.name}`);
        }
      }
    }
    for (const a of ancestors) status.setAccepted(a);
    const deprecated = handler.deprecatedFields(p);
    if (deprecated.size > 0) for (const a of ancestors) status.setDeprecatedFields(a, new Map(deprecated));
    if (target.sectionName !== undefined) return;
    const rules = [...attachment.sections].sort();
    if (rules.length > 0) {
      for (const a of ancestors) {
        status.set(
          a,
          "Overridden",
          "True",
          "Overridden",
          `This policy is being overridden by other ${handler.plural} for these route rules: [${rules.join(" ")}]`,
        );
      }
    }
  };

  const processListenerSet = (p: P, target: PolicyTarget): void => {
    const status = statusOf(p);
    const entry = listenerSets.get(`${target.namespace}/${target.name}`);
    if (entry === undefined) return;
    const { listenerSet, attachment } = entry;
    const lsNs = listenerSet.metadata.namespace ?? "";
    let error: PolicyResolveError | undefined;
    if (target.sectionName !== undefined) {
      if (!listenerSet.spec.listeners.some((l) => l.name === target.sectionName)) {
        error = { reason: "TargetNotFound", message: `No section name ${target.sectionName} found for ListenerSet ${lsNs}/${listenerSet.metadata.name}` };
      } else if (attachment.sections.has(target.sectionName)) {
        error = conflict(`Listener ${target.name}/${target.sectionName}`);
      } else attachment.sections.add(target.sectionName);
    } else if (attachment.attached) {
      error = conflict(`ListenerSet ${target.name}`);
    } else attachment.attached = true;
    const parentRef = listenerSet.spec.parentRef as { name: string; namespace?: string };
    const gatewayNs = parentRef.namespace ?? lsNs;
    const gateway = gateways.get(`${gatewayNs}/${parentRef.name}`)?.gateway;
    if (gateway === undefined) return;
    const ancestor = listenerSetAncestorRef(lsNs, listenerSet.metadata.name, target.sectionName);
    if (error !== undefined) {
      status.setResolveError(ancestor, error);
      return;
    }
    const lsScope: PolicyScope = { kind: "ListenerSet", namespace: lsNs, name: listenerSet.metadata.name };
    const gwScope: PolicyScope = { kind: "Gateway", namespace: gatewayNs, name: parentRef.name };
    let ownScope = lsScope;
    if (target.sectionName !== undefined) {
      ownScope = { ...lsScope, kind: "ListenerSetListener", sectionName: target.sectionName };
      overrides.registerListenerSet(lsScope, gwScope);
      overrides.add(lsScope, ownScope);
    } else overrides.add(gwScope, lsScope);
    const listeners = gateway.listeners.filter((l) => {
      const own = l.listenerSet?.listenerSet.metadata;
      if (own === undefined || (own.namespace ?? "") !== lsNs || own.name !== listenerSet.metadata.name) return false;
      return target.sectionName === undefined || l.listener.name === target.sectionName;
    });
    const err = guarded(() => handler.translateForListeners(p, gateway, listeners));
    if (err !== undefined) status.setTranslationError(ancestor, conditionMessage(err));
    finishAncestor(p, status, ancestor, ownScope, true);
  };

  const processGateway = (p: P, target: PolicyTarget): void => {
    const status = statusOf(p);
    const entry = gateways.get(`${target.namespace}/${target.name}`);
    if (entry === undefined) return;
    const { gateway, attachment } = entry;
    let error: PolicyResolveError | undefined;
    if (target.sectionName !== undefined) {
      if (!gateway.listeners.some((l) => l.listenerSet === undefined && l.listener.name === target.sectionName)) {
        error = { reason: "TargetNotFound", message: `No section name ${target.sectionName} found for Gateway ${target.namespace}/${target.name}` };
      } else if (attachment.sections.has(target.sectionName)) {
        error = conflict(`Listener ${target.name}/${target.sectionName}`);
      } else attachment.sections.add(target.sectionName);
    } else if (attachment.attached) {
      error = conflict(`Gateway ${target.name}`);
    } else attachment.attached = true;
    const ancestor = gatewayAncestorRef(gateway.namespace, gateway.name, target.sectionName);
    if (error !== undefined) {
      status.setResolveError(ancestor, error);
      return;
    }
    const gwScope: PolicyScope = { kind: "Gateway", namespace: gateway.namespace, name: gateway.name };
    let ownScope = gwScope;
    if (target.sectionName !== undefined) {
      ownScope = { ...gwScope, kind: "GatewayListener", sectionName: target.sectionName };
      overrides.add(gwScope, ownScope);
    }
    const listeners = gateway.listeners.filter(
      (l) => target.sectionName === undefined || (l.listenerSet === undefined && l.listener.name === target.sectionName),
    );
    const err = guarded(() => handler.translateForListeners(p, gateway, listeners));
    if (err !== undefined) status.setTranslationError(ancestor, conditionMessage(err));
    finishAncestor(p, status, ancestor, ownScope, true);
  };

  const refTargets = policies.map((p) => targetsFromReferences(p.spec, p.metadata.namespace ?? ""));
  const routeCands = routeCandidates(ctx.routes);
  const routeTargets = policies.map((p) => resolvePolicyTargets(p.spec, routeCands, policyRef(p), ctx.index));
  const isGateway = (t: PolicyTarget): boolean => t.kind === "Gateway";
  const isListenerSet = (t: PolicyTarget): boolean => t.kind === "ListenerSet";

  // Route rules, then whole routes ("routes" here is anything not a Gateway, as upstream classifies it).
  policies.forEach((p, i) => {
    for (const t of refTargets[i] ?? []) if (!isGateway(t) && t.sectionName !== undefined) processRoute(p, t);
  });
  policies.forEach((p, i) => {
    for (const t of routeTargets[i] ?? []) if (!isGateway(t) && t.sectionName === undefined) processRoute(p, t);
  });
  if (ctx.listenerSets.length > 0) {
    const lsCandidates = listenerSetCandidates(ctx.listenerSets);
    policies.forEach((p, i) => {
      for (const t of refTargets[i] ?? []) if (isListenerSet(t) && t.sectionName !== undefined) processListenerSet(p, t);
    });
    policies.forEach((p) => {
      for (const t of resolvePolicyTargets(p.spec, lsCandidates, policyRef(p), ctx.index)) {
        if (isListenerSet(t) && t.sectionName === undefined) processListenerSet(p, t);
      }
    });
  }
  policies.forEach((p, i) => {
    for (const t of refTargets[i] ?? []) if (isGateway(t) && t.sectionName !== undefined) processGateway(p, t);
  });
  const gwCandidates = gatewayCandidates(ctx.gateways);
  policies.forEach((p) => {
    for (const t of resolvePolicyTargets(p.spec, gwCandidates, policyRef(p), ctx.index)) {
      if (isGateway(t) && t.sectionName === undefined) processGateway(p, t);
    }
  });

  return handled.map((p) => {
    const st = statuses.get(p) as PolicyStatus;
    st.truncate();
    return { ...p, status: st.json() };
  });
}

/** Whether a target names a route kind. */
export function isRouteKind(kind: string): boolean {
  return routeKinds.has(kind);
}
