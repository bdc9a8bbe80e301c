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

/** Upstream's "less specific than" relation between two routes. */
function lessSpecific(a: ir.HTTPRoute, b: ir.HTTPRoute): boolean {
  const pa = a.pathMatch;
  const pb = b.pathMatch;
  if (pa !== undefined) {
    if (pa.exact !== undefined && pb !== undefined && (pb.safeRegex !== undefined || pb.prefix !== undefined)) return false;
    if (pa.safeRegex !== undefined && pb !== undefined) {
      if (pb.exact !== undefined) return true;
      if (pb.prefix !== undefined) return false;
    }
    if (pa.prefix !== undefined && pb !== undefined && (pb.exact !== undefined || pb.safeRegex !== undefined)) return true;
  }
  const keys: Array<(r: ir.HTTPRoute) => number> = [
    (r) => pathMatchLength(r.pathMatch),
    (r) => (r.headerMatches ?? []).length,
    (r) => exactCount(r.headerMatches),
    (r) => (r.cookieMatches ?? []).length,
    (r) => exactCount(r.cookieMatches),
    (r) => (r.queryParamMatches ?? []).length,
  ];
  for (const key of keys) {
    const ka = key(a);
    const kb = key(b);
    if (ka !== kb) return ka < kb;
  }
  return exactCount(a.queryParamMatches) < exactCount(b.queryParamMatches);
}

/** Routes ordered most specific first; ties keep their order (a stable reverse sort, like upstream). */
export function sortHTTPRoutes(routes: ReadonlyArray<ir.HTTPRoute>): ir.HTTPRoute[] {
  return [...routes].sort((a, b) => (lessSpecific(b, a) ? -1 : lessSpecific(a, b) ? 1 : 0));
}
