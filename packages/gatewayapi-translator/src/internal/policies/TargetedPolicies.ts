// The attachment frame SecurityPolicy and EnvoyExtensionPolicy share (upstream securitypolicy.go /
// envoyextensionpolicy.go Process*): policies are applied from the most specific target to the least
// (route rules, routes, ListenerSet listeners, ListenerSets, Gateway listeners, Gateways), one policy per
// target, and each ancestor's status says whether the policy was accepted, conflicted or overridden.
import type { ListenerSet, ObjectMeta } from "@egts/api";
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
  readonly spec: PolicyTargetSpec;
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
  /** A policy-level error that stops it from applying to a route, as a condition message. */
  validateForRoute?(policy: P, route: RouteContext): string | undefined;
  /** Applies the policy to the IR routes of one route (or one rule of it); returns the error text, if any. */
  translateForRoute(policy: P, route: RouteContext, target: PolicyTarget): string | undefined;
  /** Applies the policy to the IR of the given listeners of one Gateway; returns the error text, if any. */
  translateForListeners(policy: P, gateway: GatewayContext, listeners: ReadonlyArray<ListenerContext>): string | undefined;
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

function routeCandidates(routes: ReadonlyArray<RouteContext>): SelectableObject[] {
  return routes.map((r) => ({ group: "gateway.networking.k8s.io", kind: r.kind, metadata: r.route.metadata as ObjectMeta }));
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
  for (const listenerSet of ctx.listenerSets) listenerSets.set(nsName(listenerSet.metadata), { listenerSet, attachment: { attached: false, sections: new Set() } });

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
    if (overriddenMessage !== "") status.set(ancestor, "Overridden", "True", "Overridden", `This policy is being overridden by other ${handler.plural} for ${overriddenMessage}`);
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
      for (const a of ancestors) status.setTranslationError(a, invalid);
      return;
    }
    const err = handler.translateForRoute(p, route, target);
    if (err !== undefined) for (const a of ancestors) status.setTranslationError(a, conditionMessage(err));
    for (const a of ancestors) status.setAccepted(a);
    const deprecated = handler.deprecatedFields(p);
    if (deprecated.size > 0) for (const a of ancestors) status.setDeprecatedFields(a, new Map(deprecated));
    if (target.sectionName !== undefined) return;
    const rules = [...attachment.sections].sort();
    if (rules.length > 0) {
      for (const a of ancestors) {
        status.set(a, "Overridden", "True", "Overridden", `This policy is being overridden by other ${handler.plural} for these route rules: [${rules.join(" ")}]`);
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
    const err = handler.translateForListeners(p, gateway, listeners);
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
    const err = handler.translateForListeners(p, gateway, listeners);
    if (err !== undefined) status.setTranslationError(ancestor, conditionMessage(err));
    finishAncestor(p, status, ancestor, ownScope, true);
  };

  const refTargets = policies.map((p) => targetsFromReferences(p.spec, p.metadata.namespace ?? ""));
  const routeTargets = policies.map((p) => resolvePolicyTargets(p.spec, routeCandidates(ctx.routes), policyRef(p), ctx.index));
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
