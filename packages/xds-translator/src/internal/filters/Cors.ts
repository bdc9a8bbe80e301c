import { Cors, CorsPolicy } from "@egts/envoy-api/generated/envoy/extensions/filters/http/cors/v3/cors";
import type { CORS, HTTPRoute } from "@egts/ir";
import { buildStringMatcher } from "../Matchers.js";
import { anyOfUnchecked, nanosOf } from "../Proto.js";
import { enableFilterOnRoute, hcmHasFilter, httpFilter, listenerHasRoute } from "./common.js";
import type { HttpFilterModule } from "./HttpFilter.js";

const NAME = "envoy.filters.http.cors";

const corsOf = (r: HTTPRoute): CORS | undefined => r.cors ?? r.security?.cors;

const joinOrWildcard = (list: readonly string[] | undefined): string => ((list ?? []).includes("*") ? "*" : (list ?? []).join(", "));

/** CORS: the cors filter first in the chain, and a CorsPolicy on every route that has one. */
export const corsFilter: HttpFilterModule = {
  name: "cors",
  patchHcm(hcm, l) {
    if (!listenerHasRoute(l, (r) => corsOf(r) !== undefined) || hcmHasFilter(hcm, NAME)) return;
    hcm.httpFilters.unshift(httpFilter(NAME, anyOfUnchecked(Cors, {})));
  },
  patchRoute(route, r) {
    const c = corsOf(r);
    if (c === undefined) return;
    const policy = anyOfUnchecked(CorsPolicy, {
      allowOriginStringMatch: (c.allowOrigins ?? []).map(buildStringMatcher),
      allowMethods: joinOrWildcard(c.allowMethods),
      allowHeaders: joinOrWildcard(c.allowHeaders),
      exposeHeaders: (c.exposeHeaders ?? []).join(", "),
      maxAge: c.maxAge !== undefined ? String(Math.trunc(nanosOf(c.maxAge) / 1e9)) : "",
      allowCredentials: c.allowCredentials === true,
      forwardNotMatchingPreflights: false,
    });
    enableFilterOnRoute(route, NAME, policy);
  },
};
