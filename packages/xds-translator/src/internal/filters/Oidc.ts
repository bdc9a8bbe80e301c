import type { HeaderMatcher } from "@egts/envoy-api/generated/envoy/config/route/v3/route_components";
import {
  CookieConfig_SameSite,
  OAuth2,
  OAuth2Config_AuthType,
  OAuth2PerRoute,
  type CookieConfigs,
} from "@egts/envoy-api/generated/envoy/extensions/filters/http/oauth2/v3/oauth";
import { Secret } from "@egts/envoy-api/generated/envoy/extensions/transport_sockets/tls/v3/secret";
import type { StringMatcher } from "@egts/envoy-api/generated/envoy/type/matcher/v3/string";
import type { HTTPRoute, JWT, OIDC, SecurityFeatures } from "@egts/ir";
import { adsConfigSource, anyOf, duration, msg, seconds } from "../Proto.js";
import { buildTlsCertSecret } from "../Tls.js";
import { addClusterFromUrl, addExtServiceCluster, hcmHasFilter, httpFilter, urlCluster } from "./common.js";
import { buildNonRouteRetryPolicy } from "./ExtAuth.js";
import type { HttpFilterModule } from "./HttpFilter.js";

const NAME = "envoy.filters.http.oauth2";

const oidcOf = (r: HTTPRoute): OIDC | undefined => r.security?.oidc;

/** The SDS name of the OAuth2 client secret of a policy. */
export const oauth2ClientSecretName = (o: OIDC): string => `oauth2/client_secret/${o.name}`;
/** The SDS name of the HMAC secret that signs a policy's OAuth2 cookies. */
export const oauth2HmacSecretName = (o: OIDC): string => `oauth2/hmac_secret/${o.name}`;

const usesProviderDestination = (o: OIDC): boolean => (o.provider.destination?.settings?.length ?? 0) > 0;

/** The token endpoint's cluster: the provider's backend, or one made from the URL (never a bare IP). */
function tokenEndpointCluster(o: OIDC): string {
  if (usesProviderDestination(o)) return o.provider.destination?.name ?? "";
  const c = urlCluster(o.provider.tokenEndpoint);
  if (c.endpointType === "Static") throw new Error(`static IP cluster is not allowed: ${o.provider.tokenEndpoint}`);
  return c.name;
}

const SAME_SITE: Readonly<Record<string, CookieConfig_SameSite>> = {
  Strict: CookieConfig_SameSite.STRICT,
  Lax: CookieConfig_SameSite.LAX,
  None: CookieConfig_SameSite.NONE,
};

/** The same SameSite policy on every OAuth2 cookie, or Envoy's defaults when none is configured. */
function cookieConfigs(o: OIDC): CookieConfigs | undefined {
  const sameSiteName = o.cookieConfig?.sameSite;
  if (sameSiteName === undefined) return undefined;
  const c = { sameSite: SAME_SITE[sameSiteName] ?? CookieConfig_SameSite.DISABLED, path: "", partitioned: false };
  return {
    bearerTokenCookieConfig: c,
    oauthHmacCookieConfig: c,
    oauthExpiresCookieConfig: c,
    idTokenCookieConfig: c,
    refreshTokenCookieConfig: c,
    oauthNonceCookieConfig: c,
    codeVerifierCookieConfig: c,
  };
}

function denyRedirectMatchers(o: OIDC): HeaderMatcher[] {
  return (o.denyRedirect?.headers ?? []).map((h) => {
    let m: StringMatcher["matchPattern"];
    switch (h.type) {
      case "Prefix":
        m = { $case: "prefix", value: h.value };
        break;
      case "Suffix":
        m = { $case: "suffix", value: h.value };
        break;
      case "RegularExpression":
        m = { $case: "safeRegex", value: { regex: h.value, engineType: undefined } };
        break;
      default:
        m = { $case: "exact", value: h.value };
    }
    return { name: h.name, headerMatchSpecifier: { $case: "stringMatch", value: { matchPattern: m, ignoreCase: false } } } as HeaderMatcher;
  });
}

/** Requests carrying a token the JWT filter will check skip the OIDC login flow. */
function passThroughMatchers(jwt: JWT | undefined): HeaderMatcher[] {
  const out: HeaderMatcher[] = [];
  const prefix = (name: string, value: string) =>
    ({ name, headerMatchSpecifier: { $case: "stringMatch", value: { matchPattern: { $case: "prefix", value }, ignoreCase: false } } }) as HeaderMatcher;
  for (const p of jwt?.providers ?? []) {
    if (p.extractFrom === undefined) {
      out.push(prefix("Authorization", "Bearer "));
      continue;
    }
    for (const h of p.extractFrom.headers ?? []) out.push(h.valuePrefix === undefined ? ({ name: h.name } as HeaderMatcher) : prefix(h.name, h.valuePrefix));
  }
  return out;
}

/** The oauth2 per-route config of a route's OIDC policy. */
export function buildOAuth2PerRoute(security: SecurityFeatures): OAuth2PerRoute {
  const o = security.oidc;
  if (o === undefined) throw new Error("route has no OIDC configuration");
  const rt = o.provider.traffic?.timeout?.http?.requestTimeout;
  const suffix = o.cookieSuffix ?? "";
  const exactPath = (path: string | undefined) => ({
    rule: { $case: "path" as const, value: { matchPattern: { $case: "exact" as const, value: path ?? "" } } },
  });
  // Envoy drops the Authorization header by default; keep it unless the filter itself fills it.
  let preserveAuthorizationHeader = o.forwardAccessToken !== true;
  if (o.forwardIDTokenHeader !== undefined && o.forwardIDTokenHeader.toLowerCase() === "authorization") preserveAuthorizationHeader = false;
  const cookies = cookieConfigs(o);
  return msg(OAuth2PerRoute, {
    config: {
      statPrefix: o.name,
      tokenEndpoint: {
        uri: o.provider.tokenEndpoint,
        httpUpstreamType: { $case: "cluster", value: tokenEndpointCluster(o) },
        timeout: rt !== undefined ? duration(rt) : seconds(10),
      },
      authorizationEndpoint: o.provider.authorizationEndpoint,
      redirectUri: o.redirectURL ?? "",
      ...(cookies !== undefined ? { cookieConfigs: cookies } : {}),
      redirectPathMatcher: exactPath(o.redirectPath),
      signoutPath: exactPath(o.logoutPath),
      useRefreshToken: o.refreshToken === true,
      forwardBearerToken: o.forwardAccessToken === true,
      credentials: {
        clientId: o.clientID,
        tokenSecret: { name: oauth2ClientSecretName(o), sdsConfig: adsConfigSource() },
        tokenFormation: { $case: "hmacSecret", value: { name: oauth2HmacSecretName(o), sdsConfig: adsConfigSource() } },
        cookieNames: {
          bearerToken: o.cookieNameOverrides?.accessToken ?? `AccessToken-${suffix}`,
          oauthHmac: `OauthHMAC-${suffix}`,
          oauthExpires: `OauthExpires-${suffix}`,
          idToken: o.cookieNameOverrides?.idToken ?? `IdToken-${suffix}`,
          refreshToken: `RefreshToken-${suffix}`,
          oauthNonce: `OauthNonce-${suffix}`,
        },
        cookieDomain: o.cookieDomain ?? "",
      },
      authType: OAuth2Config_AuthType.BASIC_AUTH,
      authScopes: [...(o.scopes ?? [])],
      resources: [...(o.resources ?? [])],
      preserveAuthorizationHeader,
      disableTokenEncryption: o.disableTokenEncryption === true,
      ...(o.defaultTokenTTL !== undefined ? { defaultExpiresIn: duration(o.defaultTokenTTL) } : {}),
      ...(o.defaultRefreshTokenTTL !== undefined ? { defaultRefreshTokenExpiresIn: duration(o.defaultRefreshTokenTTL) } : {}),
      ...(o.provider.traffic?.retry !== undefined ? { retryPolicy: buildNonRouteRetryPolicy(o.provider.traffic.retry) } : {}),
      ...(o.passThroughAuthHeader === true ? { passThroughMatcher: passThroughMatchers(security.jwt) } : {}),
      ...(o.denyRedirect !== undefined ? { denyRedirectMatcher: denyRedirectMatchers(o) } : {}),
      ...(o.provider.endSessionEndpoint !== undefined ? { endSessionEndpoint: o.provider.endSessionEndpoint } : {}),
      ...(o.csrfTokenTTL !== undefined ? { csrfTokenExpiresIn: duration(o.csrfTokenTTL) } : {}),
      ...(o.forwardIDTokenHeader !== undefined ? { forwardIdToken: { header: o.forwardIDTokenHeader } } : {}),
    },
  });
}

const genericSecret = (name: string, bytes: Uint8Array | undefined): Secret =>
  msg(Secret, {
    name,
    type: { $case: "genericSecret", value: { secret: { specifier: { $case: "inlineBytes", value: Buffer.from(bytes ?? new Uint8Array()) } } } },
  });

/**
 * OIDC: an empty oauth2 filter on the HCM, each route's OAuth2 config as per-route config, the token
 * endpoint's cluster, and the client and HMAC secrets of every policy.
 */
export const oidcFilter: HttpFilterModule = {
  name: "oauth2",
  patchHcm(hcm, l) {
    if (hcmHasFilter(hcm, NAME) || !(l.routes ?? []).some((r) => oidcOf(r) !== undefined)) return;
    hcm.httpFilters.push(httpFilter(NAME, anyOf(OAuth2, {})));
  },
  patchRoute(route, r) {
    if (r.security?.oidc === undefined) return;
    route.typedPerFilterConfig[NAME] = anyOf(OAuth2PerRoute, buildOAuth2PerRoute(r.security));
  },
  patchesResourcesFor: (r) => oidcOf(r) !== undefined,
  patchResources(routes, ctx) {
    const errors: string[] = [];
    for (const r of routes) {
      const o = oidcOf(r);
      if (o === undefined) continue;
      try {
        const dest = o.provider.destination;
        if (dest !== undefined && usesProviderDestination(o)) {
          addExtServiceCluster(ctx, dest, o.provider.traffic);
          for (const s of dest.settings ?? []) {
            for (const c of s.tls?.clientCertificates ?? []) {
              const secret = buildTlsCertSecret(c);
              if (secret !== undefined) ctx.table.addSecretOnce(secret);
            }
          }
        } else {
          tokenEndpointCluster(o);
          addClusterFromUrl(ctx, o.provider.tokenEndpoint, o.provider.traffic);
        }
      } catch (e) {
        errors.push(e instanceof Error ? e.message : String(e));
      }
    }
    if (errors.length > 0) throw new Error(errors.join("\n"));
    // Secrets are added per route after every cluster, as upstream does, even when policies share them.
    for (const r of routes) {
      const o = oidcOf(r);
      if (o === undefined) continue;
      ctx.table.addSecretOnce(genericSecret(oauth2ClientSecretName(o), o.clientSecret));
      ctx.table.addSecretOnce(genericSecret(oauth2HmacSecretName(o), o.hmacSecret));
    }
  },
};
