// A memoising translator's HCM filter patches. Every filter module's `patchHcm` is a function of the HCM's
// filters so far, the IR listener (its routes above all) and the options; a route edit hands over a new listener
// whose routes are the same objects but the edited one's. The first patch of a listener runs with its listener
// and routes behind proxies that record which of their (top-level) properties the modules read; a later patch
// under the same key takes the recorded filters over when every property read then is the same now (identical
// or equal values), so the modules' code would take the same path and build the same filters.
import type { HttpFilter } from "@egts/envoy-api/generated/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager";
import type { HTTPListener, HTTPRoute } from "@egts/ir";
import { sameValue } from "./SameValue.js";

/** Stands for "every property" (the object's keys were listed). */
const ALL = "*";

/** One recorded patch: what it read and the filters it left. */
export interface HcmPatch {
  readonly before: readonly HttpFilter[];
  readonly shared: readonly unknown[];
  readonly listener: HTTPListener;
  readonly listenerReads: readonly PropertyKey[];
  readonly routes: readonly HTTPRoute[];
  /** Properties read of each route (by position). */
  readonly routeReads: readonly (readonly PropertyKey[])[];
  readonly after: readonly HttpFilter[];
}

/** Recorded patches, by listener name and codec. */
export type HcmPatchMemo = Map<string, HcmPatch>;

const sameProperties = (a: object, b: object, keys: readonly PropertyKey[]): boolean => {
  if (keys.includes(ALL)) return sameValue(a, b);
  const ra = a as Record<PropertyKey, unknown>;
  const rb = b as Record<PropertyKey, unknown>;
  for (const k of keys) {
    const x = ra[k];
    const y = rb[k];
    if (x !== y && !sameValue(x, y)) return false;
  }
  return true;
};

/** The recorded filters when a patch of `l` onto `before` would build the same ones, else undefined. */
export function recordedPatch(
  patch: HcmPatch | undefined,
  before: readonly HttpFilter[],
  shared: readonly unknown[],
  l: HTTPListener,
): readonly HttpFilter[] | undefined {
  if (patch === undefined) return undefined;
  if (patch.shared.length !== shared.length || !patch.shared.every((v, i) => v === shared[i])) return undefined;
  const keys = patch.listenerReads.filter((k) => k !== "routes");
  if (patch.listener !== l && !sameProperties(patch.listener, l, keys)) return undefined;
  if (patch.listenerReads.includes("routes") || patch.listenerReads.includes(ALL)) {
    const routes = l.routes ?? [];
    if (routes.length !== patch.routes.length) return undefined;
    for (let i = 0; i < routes.length; i++) {
      const r = routes[i] as HTTPRoute;
      const was = patch.routes[i] as HTTPRoute;
      if (r !== was && !sameProperties(was, r, patch.routeReads[i] ?? [ALL])) return undefined;
    }
  }
  if (before.length !== patch.before.length || !sameValue(before, patch.before)) return undefined;
  return patch.after;
}

/**
 * The routes' reads as lists, one list per distinct list of names (most routes are read alike; a list with
 * symbols is kept as it is).
 */
function readLists(reads: readonly ReadonlySet<PropertyKey>[]): (readonly PropertyKey[])[] {
  const known = new Map<string, readonly PropertyKey[]>();
  return reads.map((set) => {
    const list = [...set];
    if (!list.every((k) => typeof k === "string")) return list;
    const key = list.join("\u0000");
    const same = known.get(key);
    if (same !== undefined && same.length === list.length && same.every((k, i) => k === list[i])) return same;
    if (same === undefined) known.set(key, list);
    return list;
  });
}

/** Runs `patch` on a tracked view of `l` and records what it read and the filters it left. */
export function recordPatch(
  l: HTTPListener,
  before: readonly HttpFilter[],
  shared: readonly unknown[],
  patch: (tracked: HTTPListener) => readonly HttpFilter[],
): HcmPatch {
  const tracker = <T extends object>(target: T, reads: Set<PropertyKey>, override?: (k: PropertyKey) => unknown): T =>
    new Proxy(target, {
      get(t, k) {
        reads.add(k);
        return override !== undefined && k === "routes" ? override(k) : Reflect.get(t, k);
      },
      has(t, k) {
        reads.add(k);
        return Reflect.has(t, k);
      },
      ownKeys(t) {
        reads.add(ALL);
        return Reflect.ownKeys(t);
      },
      getOwnPropertyDescriptor(t, k) {
        reads.add(k);
        return Reflect.getOwnPropertyDescriptor(t, k);
      },
    });
  const routes = l.routes ?? [];
  const routeReads = routes.map(() => new Set<PropertyKey>());
  const trackedRoutes = l.routes === undefined ? undefined : routes.map((r, i) => tracker(r, routeReads[i] as Set<PropertyKey>));
  const listenerReads = new Set<PropertyKey>();
  const tracked = tracker(l, listenerReads, () => trackedRoutes);
  // The modules add to the list in place: keep it as it was.
  const was = [...before];
  const after = patch(tracked);
  return {
    before: was,
    shared,
    listener: l,
    listenerReads: [...listenerReads],
    routes,
    routeReads: readLists(routeReads),
    after: [...after],
  };
}
