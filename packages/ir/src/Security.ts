import type * as egv1a1 from "./EnvoyGatewayApi.js";
import type * as gwapiv1 from "./GatewayApi.js";
import type { PrivateBytes } from "./Common.js";
import type { RouteDestination } from "./Destination.js";
import type { DynamicModule, ExtProc, Lua, Wasm } from "./Extension.js";
import type { Duration } from "./Json.js";
import type { CIDRMatch, StringMatch } from "./Match.js";
import type { TrafficFeatures } from "./Traffic.js";

/** Security settings of a route (SecurityPolicy): CORS, CSRF, JWT, OIDC, API key and basic auth, external auth, authorization. */
export interface SecurityFeatures {
  readonly cors?: CORS;
  readonly csrf?: CSRF;
  readonly jwt?: JWT;
  readonly oidc?: OIDC;
  readonly apiKeyAuth?: APIKeyAuth;
  readonly basicAuth?: BasicAuth;
  readonly extAuth?: ExtAuth;
  readonly authorization?: Authorization;
}

/** Extensions on a route (EnvoyExtensionPolicy): external processing, Wasm, Lua and dynamic modules. */
export interface EnvoyExtensionFeatures {
  readonly extProcs?: readonly ExtProc[];
  readonly wasms?: readonly Wasm[];
  readonly luas?: readonly Lua[];
  readonly dynamicModules?: readonly DynamicModule[];
}

/** Cross-origin resource sharing policy. */
export interface CORS {
  readonly allowOrigins?: readonly StringMatch[];
  readonly allowMethods?: readonly string[];
  readonly allowHeaders?: readonly string[];
  readonly exposeHeaders?: readonly string[];
  /** How long preflight results may be cached. */
  readonly maxAge?: Duration;
  readonly allowCredentials?: boolean;
}

/** Cross-site request forgery protection. */
export interface CSRF {
  /** Share of requests checked in shadow mode (logged, not enforced). */
  readonly shadowFraction?: gwapiv1.Fraction;
  readonly additionalOrigins?: readonly StringMatch[];
}

/** JWT authentication with one or more providers. */
export interface JWT {
  /** Let requests without a token through (tokens present must still be valid). */
  readonly allowMissing?: boolean;
  /** Let requests through even when the token is missing or invalid. */
  readonly allowMissingOrFailed?: boolean;
  readonly providers?: readonly JWTProvider[];
}

/** A JWT issuer, its keys and claim handling. */
export interface JWTProvider {
  readonly name: string;
  readonly issuer?: string;
  readonly audiences?: readonly string[];
  readonly remoteJWKS?: RemoteJWKS;
  /** Inline JWKS document. */
  readonly localJWKS?: string;
  readonly claimToHeaders?: readonly egv1a1.ClaimToHeader[];
  /** Re-select the route after claims were copied into headers. */
  readonly recomputeRoute?: boolean;
  readonly extractFrom?: egv1a1.JWTExtractor;
}

/** A JWKS fetched from a URI. */
export interface RemoteJWKS {
  readonly destination?: RouteDestination;
  readonly traffic?: TrafficFeatures;
  readonly uri: string;
  /** How long a fetched JWKS is cached. */
  readonly cacheDuration?: Duration;
  readonly failedRefetchDuration?: Duration;
}

/** OpenID Connect login flow. */
export interface OIDC {
  readonly name: string;
  readonly provider: OIDCProvider;
  /** OAuth client ID. */
  readonly clientID: string;
  /** OAuth client secret; encoded as "[redacted]". */
  readonly clientSecret?: PrivateBytes;
  /** Secret that signs OIDC cookies; encoded as "[redacted]". */
  readonly hmacSecret?: PrivateBytes;
  readonly scopes?: readonly string[];
  readonly resources?: readonly string[];
  /** The OAuth redirect (callback) URL. */
  readonly redirectURL?: string;
  /** Path of the redirect URL, which the filter intercepts. */
  readonly redirectPath?: string;
  /** Path that logs the user out. */
  readonly logoutPath?: string;
  /** Forward the access token to the backend in the Authorization header. */
  readonly forwardAccessToken?: boolean;
  readonly forwardIDTokenHeader?: string;
  readonly defaultTokenTTL?: Duration;
  readonly refreshToken?: boolean;
  readonly defaultRefreshTokenTTL?: Duration;
  readonly csrfTokenTTL?: Duration;
  /** Suffix of the OAuth cookie names, unique per policy. */
  readonly cookieSuffix?: string;
  readonly cookieNameOverrides?: egv1a1.OIDCCookieNames;
  readonly cookieDomain?: string;
  readonly cookieConfig?: egv1a1.OIDCCookieConfig;
  readonly passThroughAuthHeader?: boolean;
  readonly disableTokenEncryption?: boolean;
  readonly denyRedirect?: egv1a1.OIDCDenyRedirect;
}

/** The OpenID provider's endpoints and how to reach them. */
export interface OIDCProvider {
  readonly destination?: RouteDestination;
  readonly traffic?: TrafficFeatures;
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  readonly endSessionEndpoint?: string;
}

/** HTTP basic authentication against an htpasswd user list. */
export interface BasicAuth {
  readonly name: string;
  /** htpasswd-formatted user list; encoded as "[redacted]". */
  readonly users?: PrivateBytes;
  readonly forwardUsernameHeader?: string;
}

/** One client's API key. */
export interface APIKeyCredential {
  readonly client: PrivateBytes;
  /** The API key; encoded as "[redacted]". */
  readonly key: PrivateBytes;
}

/** API key authentication. */
export interface APIKeyAuth {
  readonly credentials?: readonly APIKeyCredential[];
  readonly extractFrom?: readonly ExtractFrom[];
  readonly forwardClientIDHeader?: string;
  readonly sanitize?: boolean;
}

/** Where a credential is read from (headers, query parameters, cookies). */
export interface ExtractFrom {
  readonly headers?: readonly string[];
  readonly params?: readonly string[];
  readonly cookies?: readonly string[];
}

/** External authorization over HTTP or gRPC. */
export interface ExtAuth {
  readonly name: string;
  readonly grpc?: GRPCExtAuthService;
  readonly http?: HTTPExtAuthService;
  readonly traffic?: TrafficFeatures;
  /** Request headers sent to the authorizer. */
  readonly headersToExtAuth?: readonly string[];
  readonly bodyToExtAuth?: BodyToExtAuth;
  readonly timeout?: Duration;
  /** Allow requests when the authorizer is unreachable. */
  readonly failOpen?: boolean;
  readonly recomputeRoute?: boolean;
  readonly includeRouteMetadata?: boolean;
  readonly contextExtensions?: readonly ContextExtention[];
  /** Status returned when the authorizer fails (and failOpen is off). */
  readonly statusOnError?: number;
}

/** How much of the request body is sent to the external authorizer. */
export interface BodyToExtAuth {
  /** Largest body, in bytes, buffered and sent to the authorizer. */
  readonly maxRequestBytes: number;
}

/** A key/value passed to the gRPC external authorizer as context. */
export interface ContextExtention {
  readonly name: string;
  readonly value: PrivateBytes;
}

/** An HTTP external authorization service. */
export interface HTTPExtAuthService {
  readonly destination: RouteDestination;
  readonly authority: string;
  readonly path: string;
  readonly pathOverride?: string;
  readonly headersToBackend?: readonly string[];
}

/** A gRPC external authorization service. */
export interface GRPCExtAuthService {
  readonly destination: RouteDestination;
  readonly authority: string;
}

/** Allow/deny rules evaluated in order, with a default action. */
export interface Authorization {
  readonly rules?: readonly AuthorizationRule[];
  /** Action when no rule matches. */
  readonly defaultAction: egv1a1.AuthorizationAction;
}

/** One authorization rule: who (principal), what (operation) and the action. */
export interface AuthorizationRule {
  readonly name: string;
  readonly action: egv1a1.AuthorizationAction;
  readonly operation?: egv1a1.Operation;
  readonly principal: Principal;
  /** A CEL expression that must also be true. */
  readonly cel?: string;
}

/** Who a rule applies to: client CIDRs, JWT claims/scopes, headers, geolocation. */
export interface Principal {
  /** Client address ranges. */
  readonly clientCIDRs?: readonly CIDRMatch[];
  readonly jwt?: egv1a1.JWTPrincipal;
  readonly headers?: readonly egv1a1.AuthorizationHeaderMatch[];
  readonly clientIPGeoLocations?: readonly egv1a1.ClientIPGeoLocation[];
}
