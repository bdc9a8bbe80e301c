// Deterministic orderings upstream applies to the IR.
import type { MapEntry } from "./Common.js";
import type { HTTPListener } from "./Listener.js";
import type { StringMatch } from "./Match.js";
import type { HTTPRoute } from "./Route.js";
import type { Xds } from "./Xds.js";

/** Path characters that count towards precedence; a "/" prefix counts as no path match. */
function pathMatchLength(m: StringMatch | undefined): number {
  if (m === undefined) return 0;
  if (m.exact !== undefined) return m.exact.length;
  if (m.safeRegex !== undefined) return m.safeRegex.length;
  if (m.prefix !== undefined) return m.prefix === "/" ? 0 : m.prefix.length;
  return 0;
}

const exactCount = (matches: readonly StringMatch[] | undefined): number => (matches ?? []).reduce((n, m) => (m.exact !== undefined ? n + 1 : n), 0);

/**
 * Upstream's route precedence relation (Gateway API match precedence): true when `a` ranks below
 * `b`. Compares path match type (prefix < regex < exact, when both have a path match), then path
 * length, then the number of header, cookie and query matches and how many of those are exact.
 */
export function httpRouteLess(a: HTTPRoute, b: HTTPRoute): boolean {
  const pa = a.pathMatch;
  const pb = b.pathMatch;
  if (pa !== undefined && pb !== undefined) {
    if (pa.exact !== undefined && (pb.safeRegex !== undefined || pb.prefix !== undefined)) return false;
    if (pa.safeRegex !== undefined) {
      if (pb.exact !== undefined) return true;
      if (pb.prefix !== undefined) return false;
    }
    if (pa.prefix !== undefined && (pb.exact !== undefined || pb.safeRegex !== undefined)) return true;
  }
  const steps: readonly (readonly [number, number])[] = [
    [pathMatchLength(pa), pathMatchLength(pb)],
    [a.headerMatches?.length ?? 0, b.headerMatches?.length ?? 0],
    [exactCount(a.headerMatches), exactCount(b.headerMatches)],
    [a.cookieMatches?.length ?? 0, b.cookieMatches?.length ?? 0],
    [exactCount(a.cookieMatches), exactCount(b.cookieMatches)],
    [a.queryParamMatches?.length ?? 0, b.queryParamMatches?.length ?? 0],
  ];
  for (const [x, y] of steps) if (x !== y) return x < y;
  return exactCount(a.queryParamMatches) < exactCount(b.queryParamMatches);
}

/** Routes in descending precedence (most specific first), stable for equal ones; a new array. */
export function sortHTTPRoutes(routes: readonly HTTPRoute[]): HTTPRoute[] {
  return [...routes].sort((a, b) => (httpRouteLess(b, a) ? -1 : httpRouteLess(a, b) ? 1 : 0));
}

/**
 * Sorts every HTTP listener's routes by precedence unless the listener preserves route order,
 * as upstream does after translating Gateway API resources. Returns a new IR; listeners whose
 * order is unchanged are shared.
 */
export function sortXdsRoutes(ir: Xds): Xds {
  if (ir.http === undefined) return ir;
  const http = ir.http.map((l): HTTPListener => {
    if (l.preserveRouteOrder === true || l.routes === undefined) return l;
    const routes = sortHTTPRoutes(l.routes);
    return routes.every((r, i) => r === l.routes?.[i]) ? l : { ...l, routes };
  });
  return http.every((l, i) => l === ir.http?.[i]) ? ir : { ...ir, http };
}

/** A string map as upstream's sorted key/value list (`MapToSlice`); undefined for an empty map. */
export function mapToEntries(map: Readonly<Record<string, string>> | undefined): MapEntry[] | undefined {
  const keys = Object.keys(map ?? {});
  if (map === undefined || keys.length === 0) return undefined;
  return keys.sort().map((key) => ({ key, value: map[key] ?? "" }));
}

/** A sorted key/value list back as a map (`SliceToMap`); undefined for an empty list. */
export function entriesToMap(entries: readonly MapEntry[] | undefined): Record<string, string> | undefined {
  if (entries === undefined || entries.length === 0) return undefined;
  return Object.fromEntries(entries.map((e) => [e.key, e.value]));
}
