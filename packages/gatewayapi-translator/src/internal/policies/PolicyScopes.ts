// Policy attachment scopes and their relations (upstream helpers.go policyScope/policyScopeGraph): which
// more specific attachments override, or merge into, a policy attached to a Gateway, ListenerSet or listener.

/** The kinds of place a policy attaches to. */
export type PolicyScopeKind = "Gateway" | "GatewayListener" | "ListenerSet" | "ListenerSetListener" | "Route" | "RouteRule";

/** One attachment point: a resource, optionally one of its sections. */
export interface PolicyScope {
  readonly kind: PolicyScopeKind;
  readonly namespace: string;
  readonly name: string;
  readonly sectionName?: string;
  /** The route kind, for Route and RouteRule scopes. */
  readonly routeKind?: string;
}

function key(s: PolicyScope): string {
  return `${s.kind}|${s.routeKind ?? ""}|${s.namespace}/${s.name}|${s.sectionName ?? ""}`;
}

function resourceScope(s: PolicyScope): PolicyScope {
  switch (s.kind) {
    case "GatewayListener":
      return { kind: "Gateway", namespace: s.namespace, name: s.name };
    case "ListenerSetListener":
      return { kind: "ListenerSet", namespace: s.namespace, name: s.name };
    case "RouteRule":
      return { kind: "Route", namespace: s.namespace, name: s.name, ...(s.routeKind !== undefined ? { routeKind: s.routeKind } : {}) };
    default:
      return s;
  }
}

/** A set of scopes keyed by identity. */
export class ScopeSet {
  constructor(private readonly items: Map<string, PolicyScope> = new Map()) {}

  /** Adds a scope (once). */
  add(s: PolicyScope): void {
    this.items.set(key(s), s);
  }

  /** Whether the set holds an equal scope. */
  has(s: PolicyScope): boolean {
    return this.items.has(key(s));
  }

  /** The scopes of this set that are not in `other`. */
  without(other: ScopeSet): ScopeSet {
    return new ScopeSet(new Map([...this.items].filter(([, v]) => !other.has(v))));
  }

  get size(): number {
    return this.items.size;
  }

  values(): IterableIterator<PolicyScope> {
    return this.items.values();
  }
}

/**
 * Parent -> child relations between scopes, plus structural containment (listener in Gateway, ListenerSet in
 * Gateway) used only to find relations recorded below a resource.
 */
export class PolicyScopeGraph {
  private readonly children = new Map<string, ScopeSet>();
  private readonly contained = new Map<string, ScopeSet>();

  private static insert(map: Map<string, ScopeSet>, parent: PolicyScope, child: PolicyScope): void {
    let set = map.get(key(parent));
    if (set === undefined) map.set(key(parent), (set = new ScopeSet()));
    set.add(child);
  }

  /** Records that `child` relates to (overrides or merges into) `parent`. */
  add(parent: PolicyScope, child: PolicyScope): void {
    PolicyScopeGraph.insert(this.children, parent, child);
    if (parent.kind === "GatewayListener" || parent.kind === "ListenerSetListener" || parent.kind === "RouteRule") {
      PolicyScopeGraph.insert(this.contained, resourceScope(parent), parent);
    }
  }

  /** Records that a ListenerSet (scope) belongs to a Gateway (scope). */
  registerListenerSet(listenerSet: PolicyScope, gateway: PolicyScope): void {
    PolicyScopeGraph.insert(this.contained, gateway, listenerSet);
  }

  /** The scopes recorded directly under `parent`. */
  directChildren(parent: PolicyScope): ScopeSet {
    const out = new ScopeSet();
    for (const v of this.children.get(key(parent))?.values() ?? []) out.add(v);
    return out;
  }

  /** The scopes under `parent` or under anything it contains; listeners also inherit their resource's routes. */
  withDescendants(parent: PolicyScope): ScopeSet {
    const out = this.directChildren(parent);
    const addAll = (s: PolicyScope): void => {
      for (const v of this.children.get(key(s))?.values() ?? []) out.add(v);
    };
    if (parent.kind === "Gateway" || parent.kind === "ListenerSet" || parent.kind === "Route") {
      for (const desc of this.contained.get(key(parent))?.values() ?? []) {
        addAll(desc);
        if (desc.kind === "ListenerSet") for (const sub of this.contained.get(key(desc))?.values() ?? []) addAll(sub);
      }
    } else if (parent.kind === "GatewayListener" || parent.kind === "ListenerSetListener") {
      for (const v of this.children.get(key(resourceScope(parent)))?.values() ?? []) if (v.kind === "Route") out.add(v);
    }
    return out;
  }
}

const labels: ReadonlyArray<readonly [PolicyScopeKind, string]> = [
  ["GatewayListener", "these gateway listeners"],
  ["ListenerSet", "these listenersets"],
  ["ListenerSetListener", "these listenerset listeners"],
  ["Route", "these routes"],
  ["RouteRule", "these route rules"],
];

/** Describes scopes grouped by kind ("these routes: [ns/a ns/b] and ..."); "" when there are none. */
export function formatPolicyScopes(scopes: ScopeSet): string {
  const byKind = new Map<PolicyScopeKind, string[]>();
  for (const s of scopes.values()) {
    const entry = s.sectionName !== undefined && s.sectionName !== "" ? `${s.namespace}/${s.name}/${s.sectionName}` : `${s.namespace}/${s.name}`;
    const list = byKind.get(s.kind);
    if (list === undefined) byKind.set(s.kind, [entry]);
    else list.push(entry);
  }
  const parts: string[] = [];
  for (const [kind, label] of labels) {
    const list = byKind.get(kind);
    if (list !== undefined) parts.push(`${label}: [${list.sort().join(" ")}]`);
  }
  return parts.join(" and ");
}
