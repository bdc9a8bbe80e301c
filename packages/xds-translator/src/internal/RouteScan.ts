// A listener's routes are read again by several passes of every translation (which routes a filter module adds
// resources for, which carry client certificates or SDS secrets, which use GeoIP); a route edit hands over a
// new list whose routes are the same objects but the edited one's. A memoising translator keeps each pass's
// per-route values by position, so that a later pass computes them for the routes that are not the same objects
// only, without visiting the others.
import type { HTTPRoute } from "@egts/ir";

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
  // The last scan's position of the next route: a route replaced, added or removed (or two removed) shifts it.
  let at = 0;
  for (const r of routes) {
    const was = before?.routes;
    const shift = was === undefined ? -1 : was[at] === r ? 0 : was[at + 1] === r ? 1 : was[at + 2] === r ? 2 : -1;
    if (before !== undefined && shift >= 0) {
      values.push(before.values[at + shift] as T);
      at += shift + 1;
    } else {
      values.push(f(r));
    }
  }
  scans.set(key, { routes, values });
  return values;
}

/** Drops the scans of listeners not in `names`. */
export function forgetGoneScans(scans: RouteScans, names: ReadonlySet<string>): void {
  for (const key of scans.keys()) if (!names.has(key.slice(key.indexOf("\n") + 1))) scans.delete(key);
}
