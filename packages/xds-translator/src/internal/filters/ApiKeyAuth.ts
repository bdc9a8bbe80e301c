import { ApiKeyAuth, ApiKeyAuthPerRoute } from "@egts/envoy-api/generated/envoy/extensions/filters/http/api_key_auth/v3/api_key_auth";
import type { APIKeyAuth, HTTPRoute } from "@egts/ir";
import { anyOf, msg } from "../Proto.js";
import { enableFilterOnRoute, hcmHasFilter, httpFilter } from "./common.js";
import type { HttpFilterModule } from "./HttpFilter.js";

const NAME = "envoy.filters.http.api_key_auth";

const apiKeyAuthOf = (r: HTTPRoute): APIKeyAuth | undefined => r.security?.apiKeyAuth;
const text = (b: Uint8Array): string => Buffer.from(b).toString("utf8");

/** The api_key_auth config of a policy: its credentials, where keys are read from, and forwarding. */
export function buildApiKeyAuthConfig(a: APIKeyAuth): ApiKeyAuth {
  const keySources = (a.extractFrom ?? []).flatMap((e) => [
    ...(e.headers ?? []).map((header) => ({ header })),
    ...(e.params ?? []).map((query) => ({ query })),
    ...(e.cookies ?? []).map((cookie) => ({ cookie })),
  ]);
  const header = a.forwardClientIDHeader ?? "";
  const hideCredentials = a.sanitize === true;
  return msg(ApiKeyAuth, {
    credentials: (a.credentials ?? []).map((c) => ({ client: text(c.client), key: text(c.key) })),
    keySources,
    ...(header !== "" || hideCredentials ? { forwarding: { header, hideCredentials } } : {}),
  });
}

/**
 * API key auth: one disabled api_key_auth filter on the HCM (configured from the first route that uses it;
 * every route overrides it) and each route's credentials as per-route config.
 */
export const apiKeyAuthFilter: HttpFilterModule = {
  name: "api_key_auth",
  patchHcm(hcm, l) {
    if (hcmHasFilter(hcm, NAME)) return;
    const first = (l.routes ?? []).map(apiKeyAuthOf).find((a) => a !== undefined);
    if (first === undefined) return;
    hcm.httpFilters.push(httpFilter(NAME, anyOf(ApiKeyAuth, buildApiKeyAuthConfig(first)), true));
  },
  patchRoute(route, r) {
    const a = apiKeyAuthOf(r);
    if (a === undefined) return;
    const { credentials, keySources, forwarding } = buildApiKeyAuthConfig(a);
    enableFilterOnRoute(route, NAME, anyOf(ApiKeyAuthPerRoute, { credentials, keySources, ...(forwarding !== undefined ? { forwarding } : {}) }));
  },
};
