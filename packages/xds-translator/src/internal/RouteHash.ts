import { RouteAction_HashPolicy } from "@egts/envoy-api/generated/envoy/config/route/v3/route_components";
import type { ConsistentHash } from "@egts/ir";
import { duration, msg } from "./Proto.js";

/** Hash policies for consistent-hash load balancing: by headers, a cookie, the source IP or query parameters. */
export function buildConsistentHashPolicy(ch: ConsistentHash | undefined): RouteAction_HashPolicy[] {
  if (ch === undefined) return [];
  if (ch.headers !== undefined) {
    return ch.headers.map((h) => msg(RouteAction_HashPolicy, { policySpecifier: { $case: "header", value: { headerName: h.name } } }));
  }
  if (ch.cookie !== undefined) {
    const cookie = ch.cookie;
    let ttl;
    if (cookie.ttl !== undefined) {
      try {
        ttl = duration(cookie.ttl);
      } catch {
        return [];
      }
    }
    const attributes = Object.entries(cookie.attributes ?? {}).map(([name, value]) => ({ name, value }));
    return [
      msg(RouteAction_HashPolicy, {
        policySpecifier: {
          $case: "cookie",
          value: { name: cookie.name, ...(ttl !== undefined ? { ttl } : {}), ...(attributes.length > 0 ? { attributes } : {}) },
        },
      }),
    ];
  }
  if (ch.sourceIP !== undefined) {
    if (!ch.sourceIP) return [];
    return [msg(RouteAction_HashPolicy, { policySpecifier: { $case: "connectionProperties", value: { sourceIp: true } } })];
  }
  if (ch.queryParams !== undefined) {
    return ch.queryParams.map((q) => msg(RouteAction_HashPolicy, { policySpecifier: { $case: "queryParameter", value: { name: q.name } } }));
  }
  return [];
}
