// The route path: an edit confined to existing HTTPRoutes/GRPCRoutes (same names, parents, labels and rule
// names) is translated again on a subset of the input (everything but the other routes and the policies that
// target only those), once with the changed routes as they were and once as they are. What the two subset
// results attribute to the changed routes (their IR routes, statuses, own policies, attachedRoutes counts)
// replaces the same parts of the previous result; everything else the two agree on is kept from it. Any
// difference the splice cannot place (a listener setting, a shared policy's status, an overlap with another
// route) makes the caller run the full path instead.
import type { Resources } from "@egts/api";
import type * as ir from "@egts/ir";
import { normalizeResources } from "../Normalize.js";
import { isRouteKind } from "../policies/TargetedPolicies.js";
import { targetsFromReferences, type PolicyTargetSpec } from "../policies/PolicyTargets.js";
import { overlapKey } from "../RouteOverlaps.js";
import { routeSortSignature, sortHTTPRoutes } from "../Sort.js";
import type { TranslateOptions } from "../Model.js";
import type { TlsSecretFacts } from "../Listeners.js";
import { type EndpointUse, ObservedNow, routeOrderKey, type TranslationObserver } from "../TranslationObserver.js";
import { translateResourcesToIR, type TranslateResultIR } from "../Translator.js";
import { deepEqual, isPlainObject } from "./DeepEqual.js";

/** Route lists whose edits this path takes, with their kinds (the kinds whose rules become IR HTTP routes). */
const httpRouteKeys = { httpRoutes: "HTTPRoute", grpcRoutes: "GRPCRoute" } as const;
type HTTPRouteKey = keyof typeof httpRouteKeys;
const allRouteKeys = ["httpRoutes", "grpcRoutes", "tlsRoutes", "tcpRoutes", "udpRoutes"] as const;
/** Policy lists whose entries can target routes. */
const routePolicyKeys = ["backendTrafficPolicies", "securityPolicies", "envoyExtensionPolicies"] as const;

type J = Record<string, unknown>;
type Meta = { readonly name?: string; readonly namespace?: string; readonly labels?: unknown };
type RouteObject = { readonly kind?: string; readonly apiVersion?: string; readonly metadata?: Meta; readonly spec?: J; readonly status?: unknown };

/** One edited route. */
interface ChangedRoute {
  readonly key: HTTPRouteKey;
  /** `<Kind>/<namespace>/<name>`, as policies name their targets. */
  readonly id: string;
  /** The IR route name prefix, `<kind>/<namespace>/<name>/`. */
  readonly prefix: string;
  readonly index: number;
  readonly before: RouteObject;
  readonly after: RouteObject;
}

/** Endpoints built once, and every array in the result that holds them (as the incremental translator keeps them). */
export interface HeldEndpoints {
  readonly use: EndpointUse;
  readonly held: ReadonlyArray<object>;
}

/** A subset translation kept for the next edit of the same routes. */
export interface SubsetTranslation {
  /** The changed routes' ids, joined. */
  readonly ids: string;
  /** The route objects (as given) it translated, by id. */
  readonly routes: ReadonlyMap<string, unknown>;
  readonly result: TranslateResultIR;
  readonly routeOrder: ReadonlyMap<string, ReadonlyArray<string>>;
  readonly endpointUses: ReadonlyArray<EndpointUse>;
}

/**
 * Lookups the route path derives from objects that stay the same across calls (policies, status lists, the
 * input's route lists), kept by object identity for one incremental translator.
 */
export interface RoutePathMemo {
  /** A policy's targets as `<Kind>/<namespace>/<name>` when all are routes by name, else "shared". */
  readonly targets: WeakMap<object, ReadonlyArray<string> | "shared">;
  /** A status list's positions by namespace/name (undefined: two entries share one). */
  readonly identities: WeakMap<object, Map<string, number> | undefined>;
  /** A normalized input's HTTP-listener route positions by IR name prefix (undefined: two routes share one). */
  readonly positions: WeakMap<object, Map<string, number> | undefined>;
  /** What listeners' TLS Secrets were found to hold (see TranslationObserver), for every translation it makes. */
  readonly tlsSecrets: WeakMap<object, TlsSecretFacts>;
  /** Lookup tables over input lists (see TranslationObserver), for every translation it makes. */
  readonly listIndexes: WeakMap<ReadonlyArray<unknown>, ReadonlyMap<string, unknown>>;
  /** A policy list's policies that target some of the changed routes (their ids joined), by list (see subsetOf). */
  readonly policySubsets: WeakMap<ReadonlyArray<unknown>, { readonly ids: string; readonly policies: ReadonlyArray<unknown> }>;
  /** An HTTP listener's IR routes by name, by routes array (see spliceListener). */
  readonly routesByName: WeakMap<ReadonlyArray<ir.HTTPRoute>, ReadonlyMap<string, ir.HTTPRoute>>;
}

/** An empty memo. */
export function createRoutePathMemo(): RoutePathMemo {
  return {
    targets: new WeakMap(),
    identities: new WeakMap(),
    positions: new WeakMap(),
    tlsSecrets: new WeakMap(),
    listIndexes: new WeakMap(),
    policySubsets: new WeakMap(),
    routesByName: new WeakMap(),
  };
}

/** What the route path needs of the previous call. */
export interface RoutesPathInput {
  readonly input: Resources;
  readonly normalized: Resources;
  readonly options: TranslateOptions;
  readonly now: number;
  readonly timeBoundaries: ReadonlyArray<number>;
  readonly result: TranslateResultIR;
  readonly routeOrder: ReadonlyMap<string, ReadonlyArray<string>>;
  readonly uses: ReadonlyMap<string, ReadonlyArray<HeldEndpoints>>;
  readonly subset: SubsetTranslation | undefined;
}

/** The route path's result and the state the next call starts from. */
export interface RoutesPathOutput {
  readonly result: TranslateResultIR;
  readonly normalized: Resources;
  /** The previous instants `now` was compared with, and those the subset translations compared it with. */
  readonly timeBoundaries: ReadonlyArray<number>;
  readonly routeOrder: ReadonlyMap<string, ReadonlyArray<string>>;
  readonly uses: Map<string, ReadonlyArray<HeldEndpoints>>;
  readonly subset: SubsetTranslation;
}

const metaOf = (o: unknown): Meta | undefined => (o as RouteObject | null | undefined)?.metadata;
const idOf = (kind: string, o: unknown): string => `${kind}/${metaOf(o)?.namespace ?? ""}/${metaOf(o)?.name ?? ""}`;

function ruleNames(route: RouteObject): string[] {
  const rules = route.spec?.["rules"];
  return Array.isArray(rules) ? rules.map((r) => String((r as { name?: unknown } | null)?.name ?? "")) : [];
}

/** Whether an edit keeps everything other objects can see of a route: identity, labels, parents, rule names, status. */
function sameFrame(a: RouteObject, b: RouteObject): boolean {
  if (typeof a !== "object" || a === null || typeof b !== "object" || b === null) return false;
  if (a.kind !== b.kind || a.apiVersion !== b.apiVersion) return false;
  const ma = a.metadata;
  const mb = b.metadata;
  if (ma === undefined || mb === undefined || ma.name !== mb.name || ma.namespace !== mb.namespace || !deepEqual(ma.labels, mb.labels)) return false;
  if (!deepEqual(a.status, b.status) || !deepEqual(a.spec?.["parentRefs"], b.spec?.["parentRefs"])) return false;
  const ra = ruleNames(a);
  const rb = ruleNames(b);
  return ra.length === rb.length && ra.every((n, i) => n === rb[i]);
}

/** The edited routes, or undefined when the change is not an in-place edit of HTTPRoutes/GRPCRoutes only. */
function changedRoutes(prev: Resources, next: Resources, changedKeys: ReadonlySet<string>): ChangedRoute[] | undefined {
  const out: ChangedRoute[] = [];
  for (const key of changedKeys) {
    if (key !== "httpRoutes" && key !== "grpcRoutes") return undefined;
    const kind = httpRouteKeys[key];
    const before = (prev[key] ?? []) as ReadonlyArray<RouteObject>;
    const after = (next[key] ?? []) as ReadonlyArray<RouteObject>;
    if (before.length !== after.length) return undefined;
    for (let i = 0; i < after.length; i++) {
      const a = before[i] as RouteObject;
      const b = after[i] as RouteObject;
      if (a === b || deepEqual(a, b)) continue;
      if (!sameFrame(a, b)) return undefined;
      const id = idOf(kind, b);
      out.push({ key, id, prefix: `${kind.toLowerCase()}/${metaOf(b)?.namespace ?? ""}/${metaOf(b)?.name ?? ""}/`, index: i, before: a, after: b });
    }
  }
  return out.length > 0 ? out : undefined;
}

/** A policy's targets when all are routes named by targetRefs, else "shared" (selectors, Gateways, malformed). */
function routeTargets(policy: unknown): ReadonlyArray<string> | "shared" {
  const p = policy as { metadata?: Meta; spec?: PolicyTargetSpec } | null;
  const spec = p?.spec;
  if (spec === undefined || spec === null || typeof spec !== "object") return "shared";
  if ((spec.targetSelectors ?? []).length > 0) return "shared";
  const out: string[] = [];
  for (const t of targetsFromReferences(spec, p?.metadata?.namespace ?? "")) {
    if (!isRouteKind(t.kind)) return "shared";
    out.push(`${t.kind}/${t.namespace}/${t.name}`);
  }
  return out;
}

/** How a policy relates to the changed routes: it targets only them, none of them, or something else too. */
function policyScope(memo: RoutePathMemo, policy: unknown, changed: ReadonlySet<string>): "own" | "other" | "shared" {
  let targets = typeof policy === "object" && policy !== null ? memo.targets.get(policy) : undefined;
  if (targets === undefined) {
    targets = routeTargets(policy);
    if (typeof policy === "object" && policy !== null) memo.targets.set(policy, targets);
  }
  if (targets === "shared") return "shared";
  let own = 0;
  for (const t of targets) if (changed.has(t)) own++;
  if (own === 0) return "other";
  return own === targets.length ? "own" : "shared";
}

/** Whether any EnvoyProxy merges backends into shared clusters (then routes share IR across each other). */
function mergesBackends(r: Resources): boolean {
  const has = (ep: unknown): boolean => (ep as { spec?: { mergeBackends?: unknown } } | undefined)?.spec?.mergeBackends !== undefined;
  return (
    has(r.envoyProxyForGatewayClass) ||
    (r.envoyProxyDefaultSpec as { mergeBackends?: unknown } | undefined)?.mergeBackends !== undefined ||
    (r.envoyProxiesForGateways ?? []).some(has)
  );
}

/** The input without the routes (but `routes`) and without the policies that target only other routes. */
function subsetOf(memo: RoutePathMemo, normalized: Resources, routes: ReadonlyMap<HTTPRouteKey, unknown[]>, changed: ReadonlySet<string>): Resources {
  const out: J = { ...normalized };
  for (const key of allRouteKeys) if (out[key] !== undefined || routes.has(key as HTTPRouteKey)) out[key] = routes.get(key as HTTPRouteKey) ?? [];
  // The same routes edited again (the usual case) filter the same policy lists the same way.
  const ids = [...changed].join("\n");
  for (const key of routePolicyKeys) {
    const list = out[key] as unknown[] | undefined;
    if (list === undefined) continue;
    const known = memo.policySubsets.get(list);
    if (known !== undefined && known.ids === ids) out[key] = known.policies;
    else {
      const policies = list.filter((p) => policyScope(memo, p, changed) !== "other");
      memo.policySubsets.set(list, { ids, policies });
      out[key] = policies;
    }
  }
  return out as unknown as Resources;
}

interface Subset {
  readonly result: TranslateResultIR;
  readonly observer: Required<TranslationObserver>;
  readonly boundaries: ReadonlyArray<number>;
}

function translateSubset(memo: RoutePathMemo, subset: Resources, options: TranslateOptions, now: number): Subset {
  const observer: Required<TranslationObserver> = { endpointUses: [], routeOrder: new Map(), tlsSecrets: memo.tlsSecrets, listIndexes: memo.listIndexes };
  const observedNow = new ObservedNow(now);
  return { result: translateResourcesToIR(subset, options, observedNow, observer), observer, boundaries: observedNow.boundaries };
}

/** Failure of a splice: the route path does not apply. */
const FAIL: unique symbol = Symbol("fail");
type Fail = typeof FAIL;

/**
 * `prev` with the changes from `old` to `neu` applied, where the two may differ only in `attachedRoutes`
 * counts (each one a sum over routes, so the difference carries over); `prev` itself where they are equal.
 */
function applyCountDelta(prev: unknown, old: unknown, neu: unknown): unknown {
  if (old === neu || deepEqual(old, neu)) return prev;
  if (Array.isArray(old) && Array.isArray(neu) && Array.isArray(prev)) {
    if (old.length !== neu.length || prev.length !== old.length) return FAIL;
    let out: unknown[] | undefined;
    for (let i = 0; i < old.length; i++) {
      const v = applyCountDelta(prev[i], old[i], neu[i]);
      if (v === FAIL) return FAIL;
      if (v !== prev[i]) (out ??= prev.slice())[i] = v;
    }
    return out ?? prev;
  }
  if (!isObject(old) || !isObject(neu) || !isObject(prev)) return FAIL;
  const o = old as J;
  const n = neu as J;
  const p = prev as J;
  if (!sameKeys(o, n)) return FAIL;
  let out: J | undefined;
  for (const k in n) {
    if (!Object.hasOwn(p, k)) return FAIL;
    let v: unknown;
    if (k === "attachedRoutes" && typeof o[k] === "number" && typeof n[k] === "number" && typeof p[k] === "number") {
      v = (p[k] as number) + (n[k] as number) - (o[k] as number);
    } else v = applyCountDelta(p[k], o[k], n[k]);
    if (v === FAIL) return FAIL;
    if (v !== p[k]) (out ??= { ...p })[k] = v;
  }
  return out ?? prev;
}

function isObject(v: unknown): boolean {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v) && isPlainObject(v);
}

function sameKeys(a: J, b: J): boolean {
  let n = 0;
  for (const k in a) {
    if (!Object.hasOwn(b, k)) return false;
    n++;
  }
  for (const _ in b) n--;
  return n === 0;
}

/** Objects of a status list by namespace/name; undefined when two share one. */
/**
 * One status list in the previous result, the old subset result and the new one, each with its positions by
 * namespace/name; undefined when one of them holds an entry twice.
 */
function indexedLists(memo: RoutePathMemo, p: unknown, o: unknown, n: unknown) {
  const pl = (p ?? []) as unknown[];
  const ol = (o ?? []) as unknown[];
  const nl = (n ?? []) as unknown[];
  const prevIndex = byIdentity(memo, pl);
  const oldIndex = byIdentity(memo, ol);
  const newIndex = byIdentity(memo, nl);
  if (prevIndex === undefined || oldIndex === undefined || newIndex === undefined) return undefined;
  return { pl, ol, nl, prevIndex, oldIndex, newIndex };
}

function byIdentity(memo: RoutePathMemo, list: ReadonlyArray<unknown>): Map<string, number> | undefined {
  if (memo.identities.has(list)) return memo.identities.get(list);
  let out: Map<string, number> | undefined = new Map<string, number>();
  for (let i = 0; i < list.length; i++) {
    const id = idOf("", list[i]);
    if (out.has(id)) {
      out = undefined;
      break;
    }
    out.set(id, i);
  }
  memo.identities.set(list, out);
  return out;
}

function hasOverlapCondition(entry: unknown): boolean {
  const parents = (entry as { status?: { parents?: ReadonlyArray<{ conditions?: ReadonlyArray<{ type?: string }> }> } } | undefined)?.status?.parents ?? [];
  return parents.some((p) => (p.conditions ?? []).some((c) => c.type === "RouteRulesOverlap"));
}

/** The status lists of the result: shared parts from `prev` (with count deltas), the changed routes' and their own policies' from `neu`. */
function spliceStatuses(
  memo: RoutePathMemo,
  prev: Record<string, unknown>,
  old: Record<string, unknown>,
  neu: Record<string, unknown>,
  changed: ReadonlyArray<ChangedRoute>,
  changedIds: ReadonlySet<string>,
): Record<string, unknown> | Fail {
  const out: Record<string, unknown> = { ...prev };
  const routeKeySet = new Set<string>(allRouteKeys);
  const policyKeySet = new Set<string>(routePolicyKeys);
  for (const key of new Set([...Object.keys(prev), ...Object.keys(old), ...Object.keys(neu)])) {
    const p = prev[key];
    const o = old[key];
    const n = neu[key];
    if (routeKeySet.has(key)) {
      const kindChanges = changed.filter((c) => c.key === key);
      if (kindChanges.length === 0) continue;
      const lists = indexedLists(memo, p, o, n);
      if (lists === undefined) return FAIL;
      const { pl, nl, prevIndex, oldIndex, newIndex } = lists;
      let list: unknown[] | undefined;
      for (const c of kindChanges) {
        const id = idOf("", c.after);
        const pi = prevIndex.get(id);
        const oi = oldIndex.get(id);
        const ni = newIndex.get(id);
        if (pi === undefined && oi === undefined && ni === undefined) continue;
        if (pi === undefined || oi === undefined || ni === undefined) return FAIL;
        // An overlap with a route the subset does not hold would be missed (or left behind).
        if (hasOverlapCondition(pl[pi]) || hasOverlapCondition(nl[ni])) return FAIL;
        (list ??= pl.slice())[pi] = nl[ni];
      }
      if (list !== undefined) {
        // Same entries by namespace/name at the same positions.
        memo.identities.set(list, prevIndex);
        out[key] = list;
      }
      continue;
    }
    if (policyKeySet.has(key)) {
      const lists = indexedLists(memo, p, o, n);
      if (lists === undefined || lists.oldIndex.size !== lists.newIndex.size) return FAIL;
      const { pl, ol, nl, prevIndex, oldIndex, newIndex } = lists;
      let list: unknown[] | undefined;
      for (const [id, ni] of newIndex) {
        const pi = prevIndex.get(id);
        const oi = oldIndex.get(id);
        if (pi === undefined || oi === undefined) return FAIL;
        const next = nl[ni];
        const value = policyScope(memo, next, changedIds) === "own" ? next : applyCountDelta(pl[pi], ol[oi], next);
        if (value === FAIL) return FAIL;
        if (value !== pl[pi]) (list ??= pl.slice())[pi] = value;
      }
      if (list !== undefined) {
        memo.identities.set(list, prevIndex);
        out[key] = list;
      }
      continue;
    }
    if (o === undefined && n === undefined) continue;
    if (o === undefined || n === undefined || p === undefined) return FAIL;
    const value = applyCountDelta(p, o, n);
    if (value === FAIL) return FAIL;
    out[key] = value;
  }
  // Unchanged statuses keep their object, so the status stage downstream sees at once that nothing changed.
  for (const key in out) if (out[key] !== prev[key]) return out;
  return prev;
}

/** The IR route name prefix (`<kind>/<namespace>/<name>/`) of an IR route name. */
function ownerPrefix(name: string): string {
  let cut = -1;
  for (let i = 0; i < 3; i++) {
    cut = name.indexOf("/", cut + 1);
    if (cut < 0) return name;
  }
  return name.slice(0, cut + 1);
}

/** Every array reachable from a value (the endpoint arrays an IR route holds among them). */
function collectArrays(value: unknown, into: Set<object>): void {
  if (typeof value !== "object" || value === null || ArrayBuffer.isView(value)) return;
  if (Array.isArray(value)) {
    into.add(value);
    for (const v of value) collectArrays(v, into);
    return;
  }
  for (const k in value as J) collectArrays((value as J)[k], into);
}

interface ListenerSplice {
  readonly listener: ir.HTTPListener;
  readonly order: ReadonlyArray<string>;
  /** The changed routes' IR routes on it. */
  readonly changed: ReadonlyArray<ir.HTTPRoute>;
}

/**
 * One HTTP listener with the changed routes' IR routes replaced: the previous translation order without
 * them, theirs inserted where their input position puts them, then sorted as the full translation sorts.
 */
function spliceListener(
  memo: RoutePathMemo,
  prev: ir.HTTPListener,
  neu: ir.HTTPListener,
  prevOrder: ReadonlyArray<string>,
  oldOrder: ReadonlyArray<string>,
  newOrder: ReadonlyArray<string>,
  prefixes: ReadonlySet<string>,
  position: (prefix: string) => number | undefined,
  removed: Set<object>,
): ListenerSplice | Fail {
  const prevRoutes = prev.routes ?? [];
  if (prevOrder.length !== prevRoutes.length) return FAIL;
  const prevByName = routesByName(memo, prevRoutes);
  const newByName = new Map<string, ir.HTTPRoute>();
  for (const r of neu.routes ?? []) newByName.set(r.name, r);
  if (prevByName === undefined || newByName.size !== newOrder.length) return FAIL;
  // The previous order's entries of the changed routes must be exactly what their old subset translation made.
  let k = 0;
  const base: string[] = [];
  const basePositions: Array<number | undefined> = [];
  for (const name of prevOrder) {
    if (!prevByName.has(name)) return FAIL;
    const prefix = ownerPrefix(name);
    if (prefixes.has(prefix)) {
      if (oldOrder[k] !== name) return FAIL;
      k++;
      collectArrays(prevByName.get(name), removed);
    } else {
      base.push(name);
      basePositions.push(position(prefix));
    }
  }
  if (k !== oldOrder.length) return FAIL;
  // The changed routes' names, grouped by route, each group placed by the route's input position.
  const groups: Array<{ at: number; names: string[] }> = [];
  for (const name of newOrder) {
    const prefix = ownerPrefix(name);
    const at = position(prefix);
    if (at === undefined || !newByName.has(name)) return FAIL;
    const last = groups[groups.length - 1];
    if (last !== undefined && last.at === at) last.names.push(name);
    else groups.push({ at, names: [name] });
  }
  for (let i = 1; i < groups.length; i++) if ((groups[i] as { at: number }).at <= (groups[i - 1] as { at: number }).at) return FAIL;
  const order: string[] = [];
  let g = 0;
  let lastAt = -1;
  for (let j = 0; j < base.length; j++) {
    const at = basePositions[j];
    if (at === undefined || at < lastAt) return FAIL;
    lastAt = at;
    while (g < groups.length && (groups[g] as { at: number }).at < at) order.push(...(groups[g++] as { names: string[] }).names);
    order.push(base[j]!);
  }
  while (g < groups.length) order.push(...(groups[g++] as { names: string[] }).names);
  if (order.length === 0) return FAIL;
  // The names in `order` are the unchanged routes' (base) and the changed routes' (newOrder, all in newByName).
  const changed: ir.HTTPRoute[] = [];
  const fromNew = new Set(newOrder);
  const routes = order.map((name) => {
    if (fromNew.has(name)) {
      const fresh = newByName.get(name) as ir.HTTPRoute;
      changed.push(fresh);
      return fresh;
    }
    return prevByName.get(name) as ir.HTTPRoute;
  });
  const sorted =
    neu.preserveRouteOrder === true ? routes : (samePermutation(prevOrder, prevByName, prevRoutes, order, routes, newByName) ?? sortHTTPRoutes(routes));
  // The next edit finds the spliced listener's routes by name without indexing them again.
  const byName = new Map(prevByName);
  for (const name of oldOrder) byName.delete(name);
  for (const route of changed) byName.set(route.name, route);
  if (byName.size === sorted.length) memo.routesByName.set(sorted, byName);
  return { listener: { ...prev, routes: sorted }, order, changed };
}

/** A listener's routes by name (undefined when two share a name), remembered by routes array. */
function routesByName(memo: RoutePathMemo, routes: ReadonlyArray<ir.HTTPRoute>): ReadonlyMap<string, ir.HTTPRoute> | undefined {
  const known = memo.routesByName.get(routes);
  if (known !== undefined) return known;
  const byName = new Map<string, ir.HTTPRoute>();
  for (const r of routes) byName.set(r.name, r);
  if (byName.size !== routes.length) return undefined;
  memo.routesByName.set(routes, byName);
  return byName;
}

/**
 * The sorted routes without sorting, when the new translation order differs from the previous one only in
 * routes that sort alike (same position, same signature): the sort then permutes both the same way.
 */
function samePermutation(
  prevOrder: ReadonlyArray<string>,
  prevByName: ReadonlyMap<string, ir.HTTPRoute>,
  prevSorted: ReadonlyArray<ir.HTTPRoute>,
  order: ReadonlyArray<string>,
  routes: ReadonlyArray<ir.HTTPRoute>,
  newByName: ReadonlyMap<string, ir.HTTPRoute>,
): ir.HTTPRoute[] | undefined {
  if (order.length !== prevOrder.length) return undefined;
  const replaced = new Map<string, ir.HTTPRoute>();
  for (let j = 0; j < order.length; j++) {
    const before = prevOrder[j] as string;
    const after = order[j] as string;
    const route = routes[j] as ir.HTTPRoute;
    if (before === after && !newByName.has(after)) continue;
    if (!newByName.has(after) || routeSortSignature(prevByName.get(before) as ir.HTTPRoute) !== routeSortSignature(route)) return undefined;
    replaced.set(before, route);
  }
  return prevSorted.map((r) => replaced.get(r.name) ?? r);
}

/** Whether a changed route's IR routes have the match conditions of another route's on one of the listeners. */
function overlapsOthers(listeners: ReadonlyArray<ListenerSplice>, prefixes: ReadonlySet<string>): boolean {
  for (const { listener, changed } of listeners) {
    const routes = listener.routes ?? [];
    const hosts = new Set<string>();
    for (const r of changed) hosts.add(r.hostname);
    if (hosts.size === 0) continue;
    const owners = new Map<string, Set<string>>();
    for (const r of routes) {
      if (r.metadata === undefined || !hosts.has(r.hostname)) continue;
      const key = overlapKey(r);
      const owner = `${r.metadata.kind ?? ""}/${r.metadata.namespace ?? ""}/${r.metadata.name ?? ""}`;
      let set = owners.get(key);
      if (set === undefined) owners.set(key, (set = new Set()));
      set.add(owner);
    }
    for (const set of owners.values()) {
      if (set.size < 2) continue;
      // Overlaps among routes that are all unchanged were there before and are reported as before.
      for (const owner of set) {
        const [kind, ns, name] = owner.split("/");
        if (prefixes.has(`${(kind ?? "").toLowerCase()}/${ns ?? ""}/${name ?? ""}/`)) return true;
      }
    }
  }
  return false;
}

function routePositions(memo: RoutePathMemo, normalized: Resources): Map<string, number> | undefined {
  if (memo.positions.has(normalized)) return memo.positions.get(normalized);
  let positions: Map<string, number> | undefined = new Map<string, number>();
  let n = 0;
  for (const key of ["httpRoutes", "grpcRoutes"] as const) {
    const kind = httpRouteKeys[key].toLowerCase();
    for (const r of (normalized[key] ?? []) as unknown[]) {
      const prefix = `${kind}/${metaOf(r)?.namespace ?? ""}/${metaOf(r)?.name ?? ""}/`;
      if (positions?.has(prefix) === true) positions = undefined;
      positions?.set(prefix, n++);
    }
  }
  memo.positions.set(normalized, positions);
  return positions;
}

/**
 * The route path: the result of a full translation of `next`, built from the previous one, or undefined when
 * the change is not one this path can place (the caller then translates in full).
 */
export function translateRouteEdit(
  memo: RoutePathMemo,
  prev: RoutesPathInput,
  next: Resources,
  changedKeys: ReadonlySet<string>,
): RoutesPathOutput | undefined {
  const changed = changedRoutes(prev.input, next, changedKeys);
  if (changed === undefined || mergesBackends(prev.normalized)) return undefined;
  const changedIds = new Set(changed.map((c) => c.id));
  const prefixes = new Set(changed.map((c) => c.prefix));
  if (changedIds.size !== changed.length) return undefined;

  // The normalized input of this call: the previous one with the changed routes normalized again.
  const normalized: J = { ...prev.normalized };
  const oldRoutes = new Map<HTTPRouteKey, unknown[]>();
  const newRoutes = new Map<HTTPRouteKey, unknown[]>();
  for (const c of changed) {
    const list = (normalized[c.key] as unknown[]).slice();
    const before = list[c.index];
    const after = (normalizeResources({ [c.key]: [c.after] } as unknown as Resources)[c.key] as unknown[])[0];
    if (idOf("", before) !== idOf("", after)) return undefined;
    list[c.index] = after;
    normalized[c.key] = list;
    (oldRoutes.get(c.key) ?? oldRoutes.set(c.key, []).get(c.key))?.push(before);
    (newRoutes.get(c.key) ?? newRoutes.set(c.key, []).get(c.key))?.push(after);
  }
  // Input positions of every HTTP-listener route (HTTPRoutes, then GRPCRoutes, as the translator goes); an
  // edit keeps every route's name, so they carry over to the next call.
  const positions = routePositions(memo, prev.normalized);
  if (positions === undefined) return undefined;
  memo.positions.set(normalized, positions);

  // The changed routes translated as they were (kept from the previous route-path call when it made them).
  const ids = [...changedIds].join("\n");
  const reuse =
    prev.subset !== undefined && prev.subset.ids === ids && changed.every((c) => prev.subset?.routes.get(c.id) === c.before) ? prev.subset : undefined;
  const old =
    reuse !== undefined
      ? { result: reuse.result, routeOrder: reuse.routeOrder, boundaries: [] }
      : (() => {
          const t = translateSubset(memo, subsetOf(memo, prev.normalized, oldRoutes, changedIds), prev.options, prev.now);
          return { result: t.result, routeOrder: t.observer.routeOrder, boundaries: t.boundaries };
        })();
  const fresh = translateSubset(memo, subsetOf(memo, normalized as unknown as Resources, newRoutes, changedIds), prev.options, prev.now);
  const neu = fresh.result;

  // infra IR: the changed routes must not show in it.
  if (old.result.infraIR.size !== prev.result.infraIR.size || neu.infraIR.size !== prev.result.infraIR.size) return undefined;
  for (const [key, value] of neu.infraIR) if (!prev.result.infraIR.has(key) || !deepEqual(old.result.infraIR.get(key), value)) return undefined;

  // xds IR: each HTTP listener the changed routes were or are on gets them spliced in; nothing else may differ.
  if (old.result.xdsIR.size !== prev.result.xdsIR.size || neu.xdsIR.size !== prev.result.xdsIR.size) return undefined;
  const xdsIR = new Map<string, ir.Xds>();
  const routeOrder = new Map(prev.routeOrder);
  const removed = new Set<object>();
  const touched: ListenerSplice[] = [];
  for (const [key, prevXds] of prev.result.xdsIR) {
    const o = old.result.xdsIR.get(key) as J | undefined;
    const nx = neu.xdsIR.get(key) as J | undefined;
    if (o === undefined || nx === undefined) return undefined;
    for (const field of new Set([...Object.keys(o), ...Object.keys(nx)])) if (field !== "http" && !deepEqual(o[field], nx[field])) return undefined;
    const ph = prevXds.http ?? [];
    const oh = (o["http"] ?? []) as ReadonlyArray<ir.HTTPListener>;
    const nh = (nx["http"] ?? []) as ReadonlyArray<ir.HTTPListener>;
    if (ph.length !== oh.length || nh.length !== oh.length) return undefined;
    let http: ir.HTTPListener[] | undefined;
    for (let i = 0; i < ph.length; i++) {
      const pl = ph[i] as ir.HTTPListener;
      const ol = oh[i] as ir.HTTPListener;
      const nl = nh[i] as ir.HTTPListener;
      if (pl.name !== ol.name || nl.name !== ol.name) return undefined;
      for (const field of new Set([...Object.keys(ol), ...Object.keys(nl)])) {
        if (field !== "routes" && !deepEqual((ol as unknown as J)[field], (nl as unknown as J)[field])) return undefined;
      }
      const orderKey = routeOrderKey(key, pl.name);
      const oldOrder = old.routeOrder.get(orderKey) ?? [];
      const newOrder = fresh.observer.routeOrder.get(orderKey) ?? [];
      if (oldOrder.length === 0 && newOrder.length === 0) {
        // Neither made IR routes here; a rule-less route still makes the list exist.
        if ((ol.routes === undefined) !== (nl.routes === undefined)) return undefined;
        continue;
      }
      const prevOrder = prev.routeOrder.get(orderKey);
      if (prevOrder === undefined) return undefined;
      const spliced = spliceListener(memo, pl, nl, prevOrder, oldOrder, newOrder, prefixes, (p) => positions.get(p), removed);
      if (spliced === FAIL) return undefined;
      routeOrder.set(orderKey, spliced.order);
      touched.push(spliced);
      (http ??= ph.slice())[i] = spliced.listener;
    }
    xdsIR.set(key, http !== undefined ? { ...prevXds, http } : prevXds);
  }
  if (overlapsOthers(touched, prefixes)) return undefined;

  const resources = spliceStatuses(memo, prev.result.resources, old.result.resources, neu.resources, changed, changedIds);
  if (resources === FAIL) return undefined;

  // Endpoint uses: the changed routes' old ones leave, the new ones the result holds come in. A use is one
  // destination's build, held only in that route's IR routes (and what sharing put in their place).
  const uses = new Map<string, ReadonlyArray<HeldEndpoints>>();
  for (const [owner, entries] of prev.uses) {
    const kept = entries.filter((e) => !e.held.some((a) => removed.has(a)));
    if (kept.length === entries.length) uses.set(owner, entries);
    else if (kept.length > 0) uses.set(owner, kept);
  }
  // Every use counts, also one the result does not hold (a Service without endpoints): the endpoint path must
  // know the owner was read, and falls back to the full path for a use it cannot find in the result.
  for (const use of fresh.observer.endpointUses) uses.set(use.owner, [...(uses.get(use.owner) ?? []), { use, held: [use.endpoints] }]);

  const subset: SubsetTranslation = {
    ids,
    routes: new Map(changed.map((c) => [c.id, c.after])),
    result: neu,
    routeOrder: fresh.observer.routeOrder,
    endpointUses: fresh.observer.endpointUses,
  };
  // A certificate an edited route now reaches (a BackendTLSPolicy's CA) bounds the reuse of this result too.
  const known = new Set(prev.timeBoundaries);
  const newBoundaries = [...old.boundaries, ...fresh.boundaries].filter((t) => !known.has(t));
  const timeBoundaries = newBoundaries.length > 0 ? [...prev.timeBoundaries, ...new Set(newBoundaries)] : prev.timeBoundaries;
  return {
    result: { resources, xdsIR, infraIR: prev.result.infraIR },
    normalized: normalized as unknown as Resources,
    timeBoundaries,
    routeOrder,
    uses,
    subset,
  };
}
