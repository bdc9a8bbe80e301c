import { describe, expect, it } from "vitest";
import { toProtoJson } from "@egts/envoy-api";
import { OAuth2PerRoute } from "@egts/envoy-api/generated/envoy/extensions/filters/http/oauth2/v3/oauth";
import { HttpConnectionManager } from "@egts/envoy-api/generated/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager";
import type { HTTPListener, HTTPRoute, OIDC } from "@egts/ir";
import { newContext } from "../Context.js";
import { buildOAuth2PerRoute, oidcFilter } from "./Oidc.js";

const oidc: OIDC = {
  name: "securitypolicy/ns/p",
  clientID: "client-1",
  clientSecret: new TextEncoder().encode("s3cret"),
  hmacSecret: new TextEncoder().encode("hmac"),
  provider: { authorizationEndpoint: "https://idp.example.com/auth", tokenEndpoint: "https://idp.example.com/token" },
  redirectURL: "https://app.example.com/cb",
  redirectPath: "/cb",
  logoutPath: "/logout",
  cookieSuffix: "abc",
  forwardAccessToken: true,
  scopes: ["openid"],
};
const route = (o: OIDC | undefined, name = "r"): HTTPRoute => ({ name, hostname: "*", isHTTP2: false, ...(o !== undefined ? { security: { oidc: o } } : {}) });
const listener = (routes: HTTPRoute[]): HTTPListener => ({
  name: "l",
  address: "::",
  port: 80,
  path: { mergeSlashes: false, escapedSlashesAction: "KeepUnchanged" },
  routes,
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const config = (o: OIDC, jwt?: NonNullable<HTTPRoute["security"]>["jwt"]): any =>
  (toProtoJson(OAuth2PerRoute, buildOAuth2PerRoute({ oidc: o, ...(jwt !== undefined ? { jwt } : {}) })) as { config: unknown }).config;

describe("oidc (oauth2)", () => {
  it("points the token endpoint at the URL's cluster and names cookies and SDS secrets after the policy", () => {
    const c = config(oidc);
    expect(c.tokenEndpoint).toEqual({ uri: "https://idp.example.com/token", cluster: "idp_example_com_443", timeout: "10s" });
    expect(c.credentials.tokenSecret.name).toBe("oauth2/client_secret/securitypolicy/ns/p");
    expect(c.credentials.hmacSecret.name).toBe("oauth2/hmac_secret/securitypolicy/ns/p");
    expect(c.credentials.cookieNames.bearerToken).toBe("AccessToken-abc");
    expect(c.forwardBearerToken).toBe(true);
    expect(c.preserveAuthorizationHeader).toBeUndefined();
    expect(c.authType).toBe("BASIC_AUTH");
    expect(c.redirectPathMatcher).toEqual({ path: { exact: "/cb" } });
  });

  it("keeps the Authorization header unless a token is forwarded in it, and skips login for JWT bearers", () => {
    const c = config(
      { ...oidc, forwardAccessToken: false, passThroughAuthHeader: true },
      { providers: [{ name: "p", remoteJWKS: { uri: "https://x/jwks" } }] },
    );
    expect(c.preserveAuthorizationHeader).toBe(true);
    expect(c.passThroughMatcher).toEqual([{ name: "Authorization", stringMatch: { prefix: "Bearer " } }]);
    expect(config({ ...oidc, forwardAccessToken: false, forwardIDTokenHeader: "authorization" }).preserveAuthorizationHeader).toBeUndefined();
  });

  it("rejects a token endpoint on a bare IP address", () => {
    expect(() => buildOAuth2PerRoute({ oidc: { ...oidc, provider: { ...oidc.provider, tokenEndpoint: "https://10.0.0.1/token" } } })).toThrow(
      "static IP cluster is not allowed: https://10.0.0.1/token",
    );
  });

  it("adds one oauth2 filter, the token endpoint cluster once, and both secrets of every policy", () => {
    const routes = [route(oidc, "a"), route({ ...oidc, name: "securitypolicy/ns/q" }, "b"), route(undefined, "c")];
    const hcm = HttpConnectionManager.fromPartial({});
    const ctx = newContext({}, {});
    oidcFilter.patchHcm?.(hcm, listener(routes), ctx);
    oidcFilter.patchHcm?.(hcm, listener(routes), ctx);
    expect(hcm.httpFilters.map((f) => f.name)).toEqual(["envoy.filters.http.oauth2"]);
    oidcFilter.patchResources?.(routes, ctx);
    expect(ctx.table.findCluster("idp_example_com_443")).toBeDefined();
    const secret = ctx.table.findSecret("oauth2/client_secret/securitypolicy/ns/q");
    expect(secret?.type?.$case === "genericSecret" && Buffer.from(secret.type.value.secret?.specifier?.value as Uint8Array).toString()).toBe("s3cret");
    expect(ctx.table.findSecret("oauth2/hmac_secret/securitypolicy/ns/p")).toBeDefined();
  });
});
