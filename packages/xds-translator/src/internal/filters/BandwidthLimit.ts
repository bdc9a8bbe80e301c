import {
  BandwidthLimit as BandwidthLimitConfigProto,
  BandwidthLimit_EnableMode,
} from "@egts/envoy-api/generated/envoy/extensions/filters/http/bandwidth_limit/v3/bandwidth_limit";
import type { BandwidthLimitConfig, HTTPListener, HTTPRoute } from "@egts/ir";
import { anyOfUnchecked, msg } from "../Proto.js";
import { enableFilterOnRoute, hcmHasFilter, httpFilter, perRouteFilterName } from "./common.js";
import type { HttpFilterModule } from "./HttpFilter.js";

const TYPE = "envoy.filters.http.bandwidth_limit";
const STAT_PREFIX = "http_bandwidth_limiter";
/** The filter instance limiting request bodies (Envoy takes one direction per instance for per-route limits). */
export const BANDWIDTH_LIMIT_REQUEST_FILTER = perRouteFilterName(TYPE, "request");
/** The filter instance limiting response bodies. */
export const BANDWIDTH_LIMIT_RESPONSE_FILTER = perRouteFilterName(TYPE, "response");

const limitOf = (r: HTTPRoute) => r.traffic?.bandwidthLimit;
const anyRoute = (l: HTTPListener, pick: "request" | "response") => (l.routes ?? []).some((r) => limitOf(r)?.[pick] !== undefined);

/** A route's limit for one direction (KiB/s), with the response trailers when asked for. */
export function buildBandwidthLimit(cfg: BandwidthLimitConfig, direction: "request" | "response"): BandwidthLimitConfigProto {
  const trailers = direction === "response" ? cfg.responseTrailers : undefined;
  return msg(BandwidthLimitConfigProto, {
    statPrefix: STAT_PREFIX,
    enableMode: direction === "request" ? BandwidthLimit_EnableMode.REQUEST : BandwidthLimit_EnableMode.RESPONSE,
    limitKbps: String(cfg.limitKibps),
    ...(trailers !== undefined ? { enableResponseTrailers: true, responseTrailerPrefix: trailers.prefix ?? "" } : {}),
  });
}

/**
 * Bandwidth limits (BackendTrafficPolicy): disabled request and response bandwidth_limit instances on the
 * HCM as needed, each route's limits as per-route config of the matching instance.
 */
export const bandwidthLimitFilter: HttpFilterModule = {
  name: "bandwidth_limit",
  patchHcm(hcm, l) {
    const needsRequest = anyRoute(l, "request");
    const needsResponse = anyRoute(l, "response");
    if (!needsRequest && !needsResponse) return;
    const disabled = anyOfUnchecked(BandwidthLimitConfigProto, { statPrefix: STAT_PREFIX, enableMode: BandwidthLimit_EnableMode.DISABLED });
    if (needsRequest && !hcmHasFilter(hcm, BANDWIDTH_LIMIT_REQUEST_FILTER)) hcm.httpFilters.push(httpFilter(BANDWIDTH_LIMIT_REQUEST_FILTER, disabled, true));
    if (needsResponse && !hcmHasFilter(hcm, BANDWIDTH_LIMIT_RESPONSE_FILTER)) hcm.httpFilters.push(httpFilter(BANDWIDTH_LIMIT_RESPONSE_FILTER, disabled, true));
  },
  patchRoute(route, r) {
    const bl = limitOf(r);
    if (bl?.request !== undefined)
      enableFilterOnRoute(route, BANDWIDTH_LIMIT_REQUEST_FILTER, anyOfUnchecked(BandwidthLimitConfigProto, buildBandwidthLimit(bl.request, "request")));
    if (bl?.response !== undefined)
      enableFilterOnRoute(route, BANDWIDTH_LIMIT_RESPONSE_FILTER, anyOfUnchecked(BandwidthLimitConfigProto, buildBandwidthLimit(bl.response, "response")));
  },
};
