import { BasicAuth as BasicAuthConfig, BasicAuthPerRoute } from "@egts/envoy-api/generated/envoy/extensions/filters/http/basic_auth/v3/basic_auth";
import type { BasicAuth } from "@egts/ir";
import { anyOf } from "../Proto.js";
import { enableFilterOnRoute, hcmHasFilter, httpFilter, perRouteFilterName } from "./common.js";
import type { HttpFilterModule } from "./HttpFilter.js";

const TYPE = "envoy.filters.http.basic_auth";

/** One basic_auth filter per policy: `envoy.filters.http.basic_auth/<policy>`. */
export const basicAuthFilterName = (b: BasicAuth): string => perRouteFilterName(TYPE, b.name);

const usersOf = (b: BasicAuth) => ({ specifier: { $case: "inlineBytes" as const, value: Buffer.from(b.users ?? new Uint8Array()) } });

/**
 * Basic auth: a disabled basic_auth filter per policy (deduplicated by name) on the HCM, enabled on each
 * route of the policy by per-route config carrying the policy's users.
 */
export const basicAuthFilter: HttpFilterModule = {
  name: "basic_auth",
  patchHcm(hcm, l) {
    for (const r of l.routes ?? []) {
      const b = r.security?.basicAuth;
      if (b === undefined || hcmHasFilter(hcm, basicAuthFilterName(b))) continue;
      const header = b.forwardUsernameHeader ?? "";
      const config = anyOf(BasicAuthConfig, { users: usersOf(b), ...(header !== "" ? { forwardUsernameHeader: header } : {}) });
      hcm.httpFilters.push(httpFilter(basicAuthFilterName(b), config, true));
    }
  },
  patchRoute(route, r) {
    const b = r.security?.basicAuth;
    if (b === undefined) return;
    enableFilterOnRoute(route, basicAuthFilterName(b), anyOf(BasicAuthPerRoute, { users: usersOf(b) }));
  },
};
