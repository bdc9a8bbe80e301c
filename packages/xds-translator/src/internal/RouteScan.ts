// A listener's routes are read again by several passes of every translation (which routes a filter module adds
// resources for, which carry client certificates or SDS secrets, which use GeoIP); a route edit hands over a
// new list whose routes are the same objects but the edited one's. A memoising translator keeps each pass's
// per-route values by position, so that a later pass computes them for the routes that are not the same objects
// only, without visiting the others.
import type { HTTPRoute } from "@egts/ir";

/**
 * Where `item` was in `previous`, looked for at `at` (where it is expected when nothing moved) and the two
 * places after it (one or two items before it replaced, added or removed); -1 when not there, or no `previous`.
 */
export function positionNear<T>(previous: readonly T[] | undefined, at: number, item: T): number {
  if (previous === undefined) return -1;
  for (let p = at; p < at + 3; p++) if (previous[p] === item) return p;
  return -1;
}

/** The last per-route values of each pass, by pass and listener name (`<pass>\n<listener>`). */
export type RouteScans = Map<string, { readonly routes: readonly HTTPRoute[]; readonly values: readonly unknown[] }>;

/**
 * `routes.map(f)`, where `f` is a pure function of the route object: with `scans`, a route that is the same
 * object as one at about the same position in the last scan under `key` takes that one's value.
 */
export function scanRoutes<T>(scans: RouteScans | undefined, key: string, routes: readonly HTTPRoute[], f: (r: HTTPRoute) => T): readonly T[] {
  if (scans === undefined) return routes.map(f);
  const before = scans.get(key);
  const values: T[] = [];
  // The last scan's position of the next route.
  let at = 0;
  for (const r of routes) {
    const p = positionNear(before?.routes, at, r);
    if (before !== undefined && p >= 0) {
      values.push(before.values[p] as T);
      at = p + 1;
    } else {
      values.push(f(r));
    }
  }
  scans.set(key, { routes, values });
  return values;
}

/** The routes `test` holds for, in order, with `scanRoutes`'s reuse of the answers for unchanged routes. */
export function routesWhere(scans: RouteScans | undefined, key: string, routes: readonly HTTPRoute[], test: (r: HTTPRoute) => boolean): HTTPRoute[] {
  const holds = scanRoutes(scans, key, routes, test);
  return routes.filter((_, i) => holds[i] === true);
}

/** Drops the scans of listeners not in `names`. */
export function forgetGoneScans(scans: RouteScans, names: ReadonlySet<string>): void {
  for (const key of scans.keys()) if (!names.has(key.slice(key.indexOf("\n") + 1))) scans.delete(key);
}
