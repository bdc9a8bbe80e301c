// Route contexts: the route-kind-independent view of a route, its per-parent status and attachment to
// listeners (upstream contexts.go RouteContext/RouteParentContext, route.go processAllowedListenersForParentRefs).
import type { ParentReference } from "@egts/api";
import { condition, setCondition, type StatusCondition } from "./Conditions.js";
import type { ResourceIndex } from "./Index.js";
import { selectorMatches } from "./Listeners.js";
import { listenerNamespace, type GatewayContext, type ListenerContext } from "./Model.js";

/** Route kinds the translator handles. */
export type RouteKind = "HTTPRoute" | "GRPCRoute" | "TLSRoute" | "TCPRoute" | "UDPRoute";

/** One parent's status entry of a route. */
export interface RouteParentStatusOut {
  parentRef: ParentReference;
  controllerName: string;
  conditions: StatusCondition[];
}

/** A route's parent reference with the listeners it attached to. */
export interface ParentRefContext {
  readonly ref: ParentReference;
  readonly status: RouteParentStatusOut;
  listeners: ListenerContext[];
}

/** A route of any kind during translation. */
export interface RouteContext<R = unknown> {
  readonly kind: RouteKind;
  readonly route: R & { readonly metadata: { readonly name: string; readonly namespace?: string; readonly generation?: number } };
  readonly name: string;
  readonly namespace: string;
  readonly hostnames: ReadonlyArray<string>;
  readonly parentRefs: ReadonlyArray<ParentReference>;
  readonly parents: RouteParentStatusOut[];
  readonly parentContexts: ParentRefContext[];
}

/** The Gateway of a parent ref (through its first listener). */
export function parentGateway(p: ParentRefContext): GatewayContext | undefined {
  return p.listeners[0]?.gateway;
}

/** Sets a condition on one parent's status of a route. */
export function setRouteCondition(
  route: RouteContext,
  parent: ParentRefContext,
  type: string,
  status: "True" | "False",
  reason: string,
  message: string,
): void {
  setCondition(parent.status.conditions, condition(type, status, reason, message, route.route.metadata.generation));
}

/** Whether a parent's status has a condition of that type and status. */
export function parentHasCondition(parent: ParentRefContext, type: string, status: string): boolean {
  return parent.status.conditions.some((c) => c.type === type && c.status === status);
}

function isParentRefEqual(a: ParentReference, b: ParentReference, routeNamespace: string): boolean {
  if ((a.group ?? "gateway.networking.k8s.io") !== (b.group ?? "gateway.networking.k8s.io")) return false;
  if ((a.kind ?? "Gateway") !== (b.kind ?? "Gateway")) return false;
  if (a.name !== b.name) return false;
  if ((a.namespace ?? routeNamespace) !== (b.namespace ?? routeNamespace)) return false;
  if ((a.sectionName ?? "") !== (b.sectionName ?? "")) return false;
  return (a.port ?? 0) === (b.port ?? 0);
}

/** Creates a route context, carrying over any status parents already on the input. */
export function newRouteContext<R extends { readonly metadata: { readonly name: string; readonly namespace?: string; readonly generation?: number } }>(
  kind: RouteKind,
  route: R,
  spec: { readonly hostnames?: ReadonlyArray<string>; readonly parentRefs?: ReadonlyArray<ParentReference> },
  existingParents:
    | ReadonlyArray<{ readonly parentRef: ParentReference; readonly controllerName: string; readonly conditions?: ReadonlyArray<StatusCondition> }>
    | undefined,
): RouteContext<R> {
  return {
    kind,
    route,
    name: route.metadata.name,
    namespace: route.metadata.namespace ?? "",
    hostnames: spec.hostnames ?? [],
    parentRefs: spec.parentRefs ?? [],
    parents: (existingParents ?? []).map((p) => ({
      parentRef: p.parentRef,
      controllerName: p.controllerName,
      conditions: (p.conditions ?? []).map((c) => ({ ...c })),
    })),
    parentContexts: [],
  };
}

function parentContext(route: RouteContext, ref: ParentReference, controllerName: string): ParentRefContext {
  let status = route.parents.find((p) => isParentRefEqual(p.parentRef, ref, route.namespace));
  if (status === undefined) {
    status = { parentRef: ref, controllerName, conditions: [] };
    route.parents.push(status);
  }
  const ctx: ParentRefContext = { ref, status, listeners: [] };
  route.parentContexts.push(ctx);
  return ctx;
}

function isRefToListenerSet(ref: ParentReference): boolean {
  return ref.kind === "ListenerSet" && ref.group === "gateway.networking.k8s.io";
}

/** Whether a parent ref names this Gateway (defaulting group, kind and namespace). */
export function isRefToGateway(routeNamespace: string, ref: ParentReference, gateway: GatewayContext): boolean {
  if (ref.group !== undefined && ref.group !== "gateway.networking.k8s.io") return false;
  if (ref.kind !== undefined && ref.kind !== "Gateway") return false;
  return (ref.namespace ?? routeNamespace) === gateway.namespace && ref.name === gateway.name;
}

/** The listeners a parent ref selects, and whether the ref concerns this translation at all. */
export function referencedListeners(
  routeNamespace: string,
  ref: ParentReference,
  gateways: ReadonlyArray<GatewayContext>,
): { relevant: boolean; listeners: ListenerContext[] } {
  const selects = (l: ListenerContext): boolean =>
    (ref.sectionName === undefined || ref.sectionName === l.listener.name) && (ref.port === undefined || ref.port === l.listener.port);
  if (isRefToListenerSet(ref)) {
    const ns = ref.namespace ?? routeNamespace;
    let matched = false;
    const listeners: ListenerContext[] = [];
    for (const g of gateways) {
      for (const l of g.listeners) {
        const ls = l.listenerSet?.listenerSet.metadata;
        if (ls === undefined || (ls.namespace ?? "") !== ns || ls.name !== ref.name) continue;
        matched = true;
        if (selects(l)) listeners.push(l);
      }
    }
    return { relevant: matched, listeners };
  }
  for (const g of gateways) {
    if (isRefToGateway(routeNamespace, ref, g)) {
      return { relevant: true, listeners: g.listeners.filter((l) => l.listenerSet === undefined && selects(l)) };
    }
  }
  return { relevant: false, listeners: [] };
}

function listenerAllowsKind(l: ListenerContext, kind: string): boolean {
  return l.status.supportedKinds.some((k) => (k.group ?? "gateway.networking.k8s.io") === "gateway.networking.k8s.io" && k.kind === kind);
}

function listenerAllowsNamespace(l: ListenerContext, namespace: string, index: ResourceIndex): boolean {
  // A route in a namespace missing from the resources is not allowed, as upstream; but when the resources
  // carry no namespaces at all (callers without namespace information), namespaces are not checked.
  const ns = index.namespace(namespace);
  if (ns === undefined && index.hasNamespaces) return false;
  const labels = ns?.metadata.labels ?? {};
  const from = l.listener.allowedRoutes?.namespaces;
  if (from?.from === "All") return true;
  if (from?.from === "Selector") return from.selector !== undefined && selectorMatches(from.selector, labels);
  return listenerNamespace(l) === namespace;
}

/**
 * Resolves a route's parent refs to allowed listeners, creating parent statuses. Returns false when no parent
 * ref concerns the translated GatewayClass (the route is then not reported at all).
 */
export function attachRouteToParents(route: RouteContext, gateways: ReadonlyArray<GatewayContext>, index: ResourceIndex, controllerName: string): boolean {
  let relevant = false;
  for (const ref of route.parentRefs) {
    const { relevant: isRelevant, listeners } = referencedListeners(route.namespace, ref, gateways);
    if (!isRelevant) continue;
    relevant = true;
    const parent = parentContext(route, ref, controllerName);
    parent.status.conditions = [];
    if (listeners.length === 0) {
      setRouteCondition(route, parent, "Accepted", "False", "NoMatchingParent", "No listeners match this parent ref");
      continue;
    }
    const allowed = listeners.filter((l) => listenerAllowsKind(l, route.kind) && listenerAllowsNamespace(l, route.namespace, index));
    if (allowed.length === 0) {
      setRouteCondition(route, parent, "Accepted", "False", "NotAllowedByListeners", "No listeners included by this parent ref allowed this attachment.");
      continue;
    }
    parent.listeners.push(...allowed);
    setRouteCondition(route, parent, "Accepted", "True", "Accepted", "Route is accepted");
  }
  return relevant;
}

function wildcardMatches(wildcard: string, hostname: string): boolean {
  const suffix = wildcard.startsWith("*") ? wildcard.slice(1) : wildcard;
  if (!hostname.startsWith("*")) {
    if (!hostname.endsWith(suffix)) return false;
    return hostname.length - suffix.length > 0;
  }
  const hostSuffix = hostname.slice(1);
  if (!hostSuffix.endsWith(suffix)) return false;
  const remaining = hostSuffix.slice(0, hostSuffix.length - suffix.length);
  return remaining.length > 0 && remaining.startsWith(".");
}

/**
 * The hostnames a route serves on a listener: the intersection of route and listener hostnames, minus
 * hostnames owned by more specific listeners on the same port; sorted.
 */
export function computeHosts(routeHostnames: ReadonlyArray<string>, l: ListenerContext): string[] {
  const listenerHost = l.listener.hostname ?? "";
  if (routeHostnames.length === 0) return [listenerHost !== "" ? listenerHost : "*"];
  const hosts = new Set<string>();
  for (const rh of routeHostnames) {
    if (listenerHost === "" || listenerHost === rh) hosts.add(rh);
    else if (listenerHost.startsWith("*") && rh.startsWith("*")) {
      if (wildcardMatches(rh, listenerHost)) hosts.add(listenerHost);
      if (wildcardMatches(listenerHost, rh)) hosts.add(rh);
    } else if (listenerHost.startsWith("*")) {
      if (wildcardMatches(listenerHost, rh)) hosts.add(rh);
    } else if (rh.startsWith("*")) {
      if (wildcardMatches(rh, listenerHost)) hosts.add(listenerHost);
    }
  }
  for (const other of l.gateway.listeners) {
    if (other === l || other.listener.port !== l.listener.port || other.listener.hostname === undefined) continue;
    hosts.delete(other.listener.hostname);
  }
  return [...hosts].sort();
}
