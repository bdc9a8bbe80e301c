import { CsrfPolicy } from "@egts/envoy-api/generated/envoy/extensions/filters/http/csrf/v3/csrf";
import type { CSRF, HTTPRoute } from "@egts/ir";
import { fractionFromFraction, fractionFromPercent } from "../FractionalPercent.js";
import { buildStringMatcher } from "../Matchers.js";
import { anyOfUnchecked, msg } from "../Proto.js";
import { enableFilterOnRoute, hcmHasFilter, httpFilter, listenerHasRoute } from "./common.js";
import type { HttpFilterModule } from "./HttpFilter.js";

const NAME = "envoy.filters.http.csrf";

const csrfOf = (r: HTTPRoute): CSRF | undefined => r.security?.csrf;

/**
 * A route's CSRF policy. Envoy enforces `filter_enabled` of the requests and shadow-checks only the rest,
 * so with a shadow fraction the enforced share is its complement and shadow mode covers the remainder.
 */
export function buildCsrfPolicy(c: CSRF): CsrfPolicy {
  const shadow = c.shadowFraction;
  const enforced =
    shadow === undefined
      ? fractionFromPercent(100)
      : fractionFromFraction({ numerator: (shadow.denominator ?? 100) - shadow.numerator, denominator: shadow.denominator ?? 100 });
  return msg(CsrfPolicy, {
    filterEnabled: { defaultValue: enforced },
    ...(shadow !== undefined ? { shadowEnabled: { defaultValue: fractionFromPercent(100) } } : {}),
    additionalOrigins: (c.additionalOrigins ?? []).map(buildStringMatcher),
  });
}

/** CSRF (SecurityPolicy): the csrf filter at 0% on the HCM, each route's policy as per-route config. */
export const csrfFilter: HttpFilterModule = {
  name: "csrf",
  patchHcm(hcm, l) {
    if (!listenerHasRoute(l, (r) => csrfOf(r) !== undefined) || hcmHasFilter(hcm, NAME)) return;
    hcm.httpFilters.unshift(httpFilter(NAME, anyOfUnchecked(CsrfPolicy, { filterEnabled: { defaultValue: fractionFromPercent(0) } })));
  },
  patchRoute(route, r) {
    const c = csrfOf(r);
    if (c === undefined) return;
    enableFilterOnRoute(route, NAME, anyOfUnchecked(CsrfPolicy, buildCsrfPolicy(c)));
  },
};
