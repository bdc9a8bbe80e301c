// Detection of HTTP/GRPC routes of different resources with identical match conditions on one listener
// (upstream route.go checkRouteOverlaps); reported as RouteRulesOverlap on the affected routes.
import type * as ir from "@egts/ir";
import { hasConnectUpgrade } from "@egts/ir";
import { irListenerName } from "./Model.js";
import { setRouteCondition, type RouteContext } from "./RouteContext.js";

function stringMatchKey(s: ir.StringMatch | undefined, lowercaseName: boolean): string {
  if (s === undefined) return "";
  const name = lowercaseName ? s.name.toLowerCase() : s.name;
  return [
    name,
    s.exact !== undefined ? `e${s.exact}` : "",
    s.prefix !== undefined ? `p${s.prefix}` : "",
    s.suffix !== undefined ? `s${s.suffix}` : "",
    s.safeRegex !== undefined ? `r${s.safeRegex}` : "",
    s.distinct ? "d" : "",
    s.invert === true ? "i" : "",
  ].join("\x00");
}

function sliceKey(s: ReadonlyArray<ir.StringMatch> | undefined, lowercaseName: boolean): string {
  return (s ?? [])
    .map((m) => stringMatchKey(m, lowercaseName))
    .sort()
    .join("\x01");
}

function pathKey(s: ir.StringMatch | undefined): string {
  if (s === undefined) return stringMatchKey({ name: "", distinct: false, prefix: "/" }, false);
  if (s.prefix === undefined || s.prefix === "/") return stringMatchKey(s, false);
  return stringMatchKey({ ...s, prefix: s.prefix.endsWith("/") ? s.prefix.slice(0, -1) : s.prefix }, false);
}

// A CONNECT upgrade replaces the route's path match with Envoy's CONNECT matcher: such a route matches every
// CONNECT request whatever its path, and overlaps only other CONNECT routes. The sentinel has no NUL, so it
// never equals a path key.
/** The match conditions of an IR route as one string: two routes overlap when their keys are equal. */
export function overlapKey(r: ir.HTTPRoute): string {
  return [
    r.hostname,
    hasConnectUpgrade(r.traffic) ? "CONNECT" : pathKey(r.pathMatch),
    sliceKey(r.headerMatches, true),
    sliceKey(r.queryParamMatches, false),
    sliceKey(r.cookieMatches, false),
  ].join("\x02");
}

/** Marks routes whose match conditions duplicate those of another route on the same listener. */
export function checkRouteOverlaps(routes: ReadonlyArray<RouteContext>, xdsIR: ReadonlyMap<string, ir.Xds>): void {
  const overlaps = new Map<string, Map<string, Array<Set<string>>>>();
  for (const x of xdsIR.values()) {
    for (const listener of x.http ?? []) {
      // Only routes of different resources on one hostname can overlap; skip the full keys otherwise.
      const ownersByHost = new Map<string, ir.ResourceMetadata>();
      const sharedHosts = new Set<string>();
      for (const r of listener.routes ?? []) {
        const md = r.metadata;
        if (md === undefined) continue;
        const owner = ownersByHost.get(r.hostname);
        if (owner === undefined) ownersByHost.set(r.hostname, md);
        else if (owner.kind !== md.kind || owner.namespace !== md.namespace || owner.name !== md.name) sharedHosts.add(r.hostname);
      }
      if (sharedHosts.size === 0) continue;
      const buckets = new Map<string, Set<string>>();
      for (const r of listener.routes ?? []) {
        if (r.metadata === undefined || !sharedHosts.has(r.hostname)) continue;
        const rKey = `${r.metadata.kind ?? ""}/${r.metadata.namespace ?? ""}/${r.metadata.name ?? ""}`;
        const k = overlapKey(r);
        const bucket = buckets.get(k) ?? new Set<string>();
        bucket.add(rKey);
        buckets.set(k, bucket);
      }
      for (const bucket of buckets.values()) {
        if (bucket.size < 2) continue;
        const lo = overlaps.get(listener.name) ?? new Map<string, Array<Set<string>>>();
        overlaps.set(listener.name, lo);
        for (const k of bucket) lo.set(k, [...(lo.get(k) ?? []), bucket]);
      }
    }
  }
  if (overlaps.size === 0) return;
  for (const route of routes) {
    const rKey = `${route.kind}/${route.namespace}/${route.name}`;
    for (const parent of route.parentContexts) {
      const conflicts = new Set<string>();
      for (const l of parent.listeners) {
        for (const bucket of overlaps.get(irListenerName(l))?.get(rKey) ?? []) for (const c of bucket) if (c !== rKey) conflicts.add(c);
      }
      if (conflicts.size === 0) continue;
      const names = [...conflicts].map((c) => c.replace("/", " ")).sort();
      setRouteCondition(route, parent, "RouteRulesOverlap", "True", "RouteRulesOverlap", `Overlapping match conditions with route(s): ${names.join(", ")}`);
    }
  }
}
