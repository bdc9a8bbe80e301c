// Deterministic ordering of IR HTTP routes: most specific match first (upstream sort.go).
import type * as ir from "@egts/ir";

function pathMatchLength(m: ir.StringMatch | undefined): number {
  if (m === undefined) return 0;
  if (m.exact !== undefined) return m.exact.length;
  if (m.safeRegex !== undefined) return m.safeRegex.length;
  if (m.prefix !== undefined) return m.prefix === "/" ? 0 : m.prefix.length;
  return 0;
}

function exactCount(matches: ReadonlyArray<ir.StringMatch> | undefined): number {
  return (matches ?? []).filter((m) => m.exact !== undefined).length;
}

interface SortKey {
  readonly route: ir.HTTPRoute;
  readonly counts: ReadonlyArray<number>;
}

function sortKey(r: ir.HTTPRoute): SortKey {
  return {
    route: r,
    counts: [
      pathMatchLength(r.pathMatch),
      (r.headerMatches ?? []).length,
      exactCount(r.headerMatches),
      (r.cookieMatches ?? []).length,
      exactCount(r.cookieMatches),
      (r.queryParamMatches ?? []).length,
      exactCount(r.queryParamMatches),
    ],
  };
}

/**
 * What the ordering reads of a route: two routes with the same signature compare alike against every route,
 * so replacing one with the other leaves the order of a sort unchanged.
 */
export function routeSortSignature(r: ir.HTTPRoute): string {
  const m = r.pathMatch;
  const type = m === undefined ? "-" : `${m.exact !== undefined ? "e" : ""}${m.safeRegex !== undefined ? "r" : ""}${m.prefix !== undefined ? "p" : ""}`;
  return `${type}:${sortKey(r).counts.join(",")}`;
}

/** Upstream's "less specific than" relation between two routes. */
function lessSpecific(ka: SortKey, kb: SortKey): boolean {
  const pa = ka.route.pathMatch;
  const pb = kb.route.pathMatch;
  if (pa !== undefined) {
    if (pa.exact !== undefined && pb !== undefined && (pb.safeRegex !== undefined || pb.prefix !== undefined)) return false;
    if (pa.safeRegex !== undefined && pb !== undefined) {
      if (pb.exact !== undefined) return true;
      if (pb.prefix !== undefined) return false;
    }
    if (pa.prefix !== undefined && pb !== undefined && (pb.exact !== undefined || pb.safeRegex !== undefined)) return true;
  }
  for (let i = 0; i < ka.counts.length - 1; i++) {
    const a = ka.counts[i] as number;
    const b = kb.counts[i] as number;
    if (a !== b) return a < b;
  }
  return (ka.counts[ka.counts.length - 1] as number) < (kb.counts[kb.counts.length - 1] as number);
}

/** Routes ordered most specific first; ties keep their order (a stable reverse sort, like upstream). */
export function sortHTTPRoutes(routes: ReadonlyArray<ir.HTTPRoute>): ir.HTTPRoute[] {
  return routes
    .map(sortKey)
    .sort((a, b) => (lessSpecific(b, a) ? -1 : lessSpecific(a, b) ? 1 : 0))
    .map((k) => k.route);
}
