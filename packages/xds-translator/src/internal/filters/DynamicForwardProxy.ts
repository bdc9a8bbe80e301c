import { Action, RBAC_Action } from "@egts/envoy-api/generated/envoy/config/rbac/v3/rbac";
import { RBAC, RBACPerRoute } from "@egts/envoy-api/generated/envoy/extensions/filters/http/rbac/v3/rbac";
import { HttpRequestHeaderMatchInput } from "@egts/envoy-api/generated/envoy/type/matcher/v3/http_inputs";
import type { Matcher_MatcherList_Predicate } from "@egts/envoy-api/generated/xds/type/matcher/v3/matcher";
import { isDynamicResolverRoute, type HTTPRoute } from "@egts/ir";
import { anyOf, anyOfUnchecked, msg } from "../Proto.js";
import { hcmHasFilter, httpFilter } from "./common.js";
import type { HttpFilterModule } from "./HttpFilter.js";

/** The RBAC filter that keeps dynamic forward proxy routes from reaching the proxy's own loopback. */
export const DFP_LOOPBACK_RBAC_FILTER = "envoy.filters.http.rbac.dfp_loopback_deny";

const LOOPBACK_HOST_PATTERNS = [
  String.raw`^127\.0\.0\.1(?::\d+)?$`,
  String.raw`^localhost(?::\d+)?$`,
  String.raw`^localhost\.localdomain(?::\d+)?$`,
  String.raw`^ip6-localhost(?::\d+)?$`,
  String.raw`^ip6-loopback(?::\d+)?$`,
  String.raw`^\[::1\](?::\d+)?$`,
  String.raw`^::1(?::\d+)?$`,
];

/** Denies requests whose target host (`:authority`, or the header the host is rewritten from) is a loopback name. */
export function buildLoopbackDenyPerRoute(r: HTTPRoute): RBACPerRoute {
  const header = r.urlRewrite?.host?.header ?? ":authority";
  const input = anyOf(HttpRequestHeaderMatchInput, { headerName: header });
  const predicates: Matcher_MatcherList_Predicate[] = LOOPBACK_HOST_PATTERNS.map((regex) => ({
    matchType: {
      $case: "singlePredicate",
      value: {
        input: { name: "http_header", typedConfig: input },
        matcher: {
          $case: "valueMatch",
          value: { matchPattern: { $case: "safeRegex", value: { engineType: { $case: "googleRe2", value: {} }, regex } }, ignoreCase: false },
        },
      },
    },
  }));
  return msg(RBACPerRoute, {
    rbac: {
      matcher: {
        matcherType: {
          $case: "matcherList",
          value: {
            matchers: [
              {
                predicate: { matchType: { $case: "orMatcher", value: { predicate: predicates } } },
                onMatch: {
                  onMatch: { $case: "action", value: { name: "deny-loopback-host", typedConfig: anyOf(Action, { name: "DENY", action: RBAC_Action.DENY }) } },
                },
              },
            ],
          },
        },
        onNoMatch: { onMatch: { $case: "action", value: { name: "default", typedConfig: anyOf(Action, { name: "ALLOW" }) } } },
      },
    },
  });
}

/**
 * Dynamic forward proxy routes: an RBAC filter (no policy of its own) on the HCM, and per route a rule
 * denying loopback targets unless the host is rewritten to a fixed name.
 */
export const dynamicForwardProxyFilter: HttpFilterModule = {
  name: "dynamic_forward_proxy",
  patchHcm(hcm, l) {
    if (!(l.routes ?? []).some(isDynamicResolverRoute) || hcmHasFilter(hcm, DFP_LOOPBACK_RBAC_FILTER)) return;
    hcm.httpFilters.unshift(httpFilter(DFP_LOOPBACK_RBAC_FILTER, anyOfUnchecked(RBAC, {})));
  },
  patchRoute(route, r) {
    if (!isDynamicResolverRoute(r) || r.urlRewrite?.host?.name !== undefined) return;
    route.typedPerFilterConfig[DFP_LOOPBACK_RBAC_FILTER] = anyOfUnchecked(RBACPerRoute, buildLoopbackDenyPerRoute(r));
  },
};
