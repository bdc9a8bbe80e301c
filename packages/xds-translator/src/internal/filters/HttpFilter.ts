import type { Route } from "@egts/envoy-api/generated/envoy/config/route/v3/route_components";
import type {
  HttpConnectionManager,
  HttpFilter as EnvoyHttpFilter,
} from "@egts/envoy-api/generated/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager";
import type { HTTPListener, HTTPRoute, egv1a1 } from "@egts/ir";
import type { TranslationContext } from "../Context.js";

/**
 * One HTTP filter family (CORS, JWT, ext_authz, ...), as upstream's `httpFilter` interface: every module in
 * the registry (./index.ts) is asked, for every HTTP listener and route, to contribute its part. A module
 * throws an Error to report a problem; the translator records it and moves on to the next listener/route.
 *
 * Pack configs with `anyOf` (checks Envoy's validation rules, as upstream's ToAnyWithValidation) or, where
 * upstream uses plain `anypb.New`, `anyOfUnchecked`: resource-level validation does not descend into Anys.
 */
export interface HttpFilterModule {
  /** The module's name, for error messages. */
  readonly name: string;
  /**
   * Adds this family's filter(s) to the HCM built for `listener` when any route of the listener needs it.
   * HCMs are shared by IR listeners on one address/port, so a module must not add a filter (by name) twice.
   * Filters are sorted afterwards; append in any order.
   */
  patchHcm?(hcm: HttpConnectionManager, listener: HTTPListener, ctx: TranslationContext): void;
  /** Sets per-route config (`typedPerFilterConfig`) or other route fields for `irRoute`. */
  patchRoute?(route: Route, irRoute: HTTPRoute, listener: HTTPListener, ctx: TranslationContext): void;
  /** Request headers every route of `listener` must strip before routing (GeoIP strips the headers it sets). */
  requestHeadersToRemove?(listener: HTTPListener, ctx: TranslationContext): readonly string[];
  /** Adds the clusters, secrets, ... the family's config refers to (`ctx.table`; clusters via Cluster.addCluster). */
  patchResources?(routes: readonly HTTPRoute[], ctx: TranslationContext): void;
  /**
   * Whether `patchResources` may do anything for the route (a pure function of it): it does nothing for the
   * others, so it is handed the routes this holds for only. Without it, every route is handed over.
   */
  patchesResourcesFor?(route: HTTPRoute): boolean;
}

/** Upstream's base position of each filter type; filters of equal position are ordered by name. */
const BASE_ORDER: ReadonlyArray<readonly [egv1a1.EnvoyFilter, number, boolean]> = [
  ["envoy.filters.http.custom_response", 0, false],
  ["envoy.filters.http.health_check", 1, false],
  ["envoy.filters.http.fault", 2, false],
  ["envoy.filters.http.cors", 3, false],
  ["envoy.filters.http.csrf", 4, false],
  ["envoy.filters.http.header_mutation", 5, false],
  ["envoy.filters.http.ext_authz", 6, false],
  ["envoy.filters.http.api_key_auth", 7, false],
  ["envoy.filters.http.basic_auth", 8, false],
  ["envoy.filters.http.oauth2", 9, false],
  ["envoy.filters.http.jwt_authn", 10, false],
  ["envoy.filters.http.stateful_session", 11, false],
  ["envoy.filters.http.buffer", 12, false],
  // Indexed families: the filter name ends in "/<index>", added to the base.
  ["envoy.filters.http.lua", 13, true],
  ["envoy.filters.http.ext_proc", 100, true],
  ["envoy.filters.http.wasm", 200, true],
  ["envoy.filters.http.dynamic_modules", 250, true],
  ["envoy.filters.http.geoip", 300, false],
  ["envoy.filters.http.rbac", 301, false],
  ["envoy.filters.http.local_ratelimit", 302, false],
  ["envoy.filters.http.ratelimit", 303, false],
  ["envoy.filters.http.bandwidth_limit", 304, false],
  ["envoy.filters.http.grpc_web", 305, false],
  ["envoy.filters.http.grpc_stats", 306, false],
  ["envoy.filters.http.credential_injector", 307, false],
  ["envoy.filters.http.compressor", 308, false],
  ["envoy.filters.http.dynamic_forward_proxy", 309, false],
  ["envoy.filters.http.router", 310, false],
];

/** Whether a filter belongs to a filter type (its name starts with the type's name, as upstream checks). */
export const isFilterType = (filter: { readonly name: string }, type: string): boolean => filter.name.startsWith(type);

/** The position upstream gives a filter before `filterOrder` is applied. */
export function filterPosition(filter: { readonly name: string }): number {
  for (const [type, base, indexed] of BASE_ORDER) {
    if (!isFilterType(filter, type)) continue;
    if (!indexed) return base;
    const index = Number(filter.name.slice(filter.name.lastIndexOf("/") + 1));
    if (!Number.isInteger(index)) throw new Error(`cannot get filter index from ${filter.name}`);
    return base + index;
  }
  return 50;
}

/**
 * Sorts HCM filters by upstream's default order, then applies the user's `filterOrder`: each entry moves
 * every filter of its type directly before the first filter of `before`, or after the last one of `after`.
 */
export function sortHttpFilters(filters: readonly EnvoyHttpFilter[], filterOrder: readonly egv1a1.FilterPosition[] = []): EnvoyHttpFilter[] {
  const ranked = filters.map((filter) => ({ filter, position: filterPosition(filter) }));
  ranked.sort((a, b) => (a.position !== b.position ? a.position - b.position : a.filter.name < b.filter.name ? -1 : a.filter.name > b.filter.name ? 1 : 0));
  let list = ranked.map((r) => r.filter);
  for (const position of filterOrder) {
    const moving = list.filter((f) => isFilterType(f, position.name));
    if (moving.length === 0) continue;
    if (position.before !== undefined) {
      const anchorIndex = list.findIndex((f) => isFilterType(f, position.before as string));
      if (anchorIndex < 0) continue;
      const anchor = list[anchorIndex] as EnvoyHttpFilter;
      if (moving.includes(anchor)) continue;
      const rest = list.filter((f) => !moving.includes(f));
      const at = rest.indexOf(anchor);
      list = [...rest.slice(0, at), ...moving, ...rest.slice(at)];
    } else if (position.after !== undefined) {
      let anchor: EnvoyHttpFilter | undefined;
      for (const f of list) if (isFilterType(f, position.after)) anchor = f;
      if (anchor === undefined || moving.includes(anchor)) continue;
      const rest = list.filter((f) => !moving.includes(f));
      const at = rest.indexOf(anchor) + 1;
      list = [...rest.slice(0, at), ...moving, ...rest.slice(at)];
    }
  }
  return list;
}

/** Whether the HCM already has a filter of this exact name. */
export const hasHttpFilter = (hcm: HttpConnectionManager, name: string): boolean => hcm.httpFilters.some((f) => f.name === name);
