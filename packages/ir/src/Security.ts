import type * as egv1a1 from "./EnvoyGatewayApi.js";
import type * as gwapiv1 from "./GatewayApi.js";
import type { PrivateBytes } from "./Common.js";
import type { RouteDestination } from "./Destination.js";
import type { DynamicModule, ExtProc, Lua, Wasm } from "./Extension.js";
import type { Duration } from "./Json.js";
import type { CIDRMatch, StringMatch } from "./Match.js";
import type { TrafficFeatures } from "./Traffic.js";

/** SecurityFeatures (xds IR type). */
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

/** EnvoyExtensionFeatures (xds IR type). */
export interface EnvoyExtensionFeatures {
  readonly extProcs?: readonly ExtProc[];
  readonly wasms?: readonly Wasm[];
  readonly luas?: readonly Lua[];
  readonly dynamicModules?: readonly DynamicModule[];
}

/** CORS (xds IR type). */
export interface CORS {
  readonly allowOrigins?: readonly StringMatch[];
  readonly allowMethods?: readonly string[];
  readonly allowHeaders?: readonly string[];
  readonly exposeHeaders?: readonly string[];
  readonly maxAge?: Duration;
  readonly allowCredentials?: boolean;
}

/** CSRF (xds IR type). */
export interface CSRF {
  readonly shadowFraction?: gwapiv1.Fraction;
  readonly additionalOrigins?: readonly StringMatch[];
}

/** JWT (xds IR type). */
export interface JWT {
  readonly allowMissing?: boolean;
  readonly allowMissingOrFailed?: boolean;
  readonly providers?: readonly JWTProvider[];
}

/** JWTProvider (xds IR type). */
export interface JWTProvider {
  readonly name: string;
  readonly issuer?: string;
  readonly audiences?: readonly string[];
  readonly remoteJWKS?: RemoteJWKS;
  readonly localJWKS?: string;
  readonly claimToHeaders?: readonly egv1a1.ClaimToHeader[];
  readonly recomputeRoute?: boolean;
  readonly extractFrom?: egv1a1.JWTExtractor;
}

/** RemoteJWKS (xds IR type). */
export interface RemoteJWKS {
  readonly destination?: RouteDestination;
  readonly traffic?: TrafficFeatures;
  readonly uri: string;
  readonly cacheDuration?: Duration;
  readonly failedRefetchDuration?: Duration;
}

/** OIDC (xds IR type). */
export interface OIDC {
  readonly name: string;
  readonly provider: OIDCProvider;
  readonly clientID: string;
  readonly clientSecret?: PrivateBytes;
  readonly hmacSecret?: PrivateBytes;
  readonly scopes?: readonly string[];
  readonly resources?: readonly string[];
  readonly redirectURL?: string;
  readonly redirectPath?: string;
  readonly logoutPath?: string;
  readonly forwardAccessToken?: boolean;
  readonly forwardIDTokenHeader?: string;
  readonly defaultTokenTTL?: Duration;
  readonly refreshToken?: boolean;
  readonly defaultRefreshTokenTTL?: Duration;
  readonly csrfTokenTTL?: Duration;
  readonly cookieSuffix?: string;
  readonly cookieNameOverrides?: egv1a1.OIDCCookieNames;
  readonly cookieDomain?: string;
  readonly cookieConfig?: egv1a1.OIDCCookieConfig;
  readonly passThroughAuthHeader?: boolean;
  readonly disableTokenEncryption?: boolean;
  readonly denyRedirect?: egv1a1.OIDCDenyRedirect;
}

/** OIDCProvider (xds IR type). */
export interface OIDCProvider {
  readonly destination?: RouteDestination;
  readonly traffic?: TrafficFeatures;
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  readonly endSessionEndpoint?: string;
}

/** BasicAuth (xds IR type). */
export interface BasicAuth {
  readonly name: string;
  readonly users?: PrivateBytes;
  readonly forwardUsernameHeader?: string;
}

/** APIKeyCredential (xds IR type). */
export interface APIKeyCredential {
  readonly client: PrivateBytes;
  readonly key: PrivateBytes;
}

/** APIKeyAuth (xds IR type). */
export interface APIKeyAuth {
  readonly credentials?: readonly APIKeyCredential[];
  readonly extractFrom?: readonly ExtractFrom[];
  readonly forwardClientIDHeader?: string;
  readonly sanitize?: boolean;
}

/** ExtractFrom (xds IR type). */
export interface ExtractFrom {
  readonly headers?: readonly string[];
  readonly params?: readonly string[];
  readonly cookies?: readonly string[];
}

/** ExtAuth (xds IR type). */
export interface ExtAuth {
  readonly name: string;
  readonly grpc?: GRPCExtAuthService;
  readonly http?: HTTPExtAuthService;
  readonly traffic?: TrafficFeatures;
  readonly headersToExtAuth?: readonly string[];
  readonly bodyToExtAuth?: BodyToExtAuth;
  readonly timeout?: Duration;
  readonly failOpen?: boolean;
  readonly recomputeRoute?: boolean;
  readonly includeRouteMetadata?: boolean;
  readonly contextExtensions?: readonly ContextExtention[];
  readonly statusOnError?: number;
}

/** BodyToExtAuth (xds IR type). */
export interface BodyToExtAuth {
  readonly maxRequestBytes: number;
}

/** ContextExtention (xds IR type). */
export interface ContextExtention {
  readonly name: string;
  readonly value: PrivateBytes;
}

/** HTTPExtAuthService (xds IR type). */
export interface HTTPExtAuthService {
  readonly destination: RouteDestination;
  readonly authority: string;
  readonly path: string;
  readonly pathOverride?: string;
  readonly headersToBackend?: readonly string[];
}

/** GRPCExtAuthService (xds IR type). */
export interface GRPCExtAuthService {
  readonly destination: RouteDestination;
  readonly authority: string;
}

/** Authorization (xds IR type). */
export interface Authorization {
  readonly rules?: readonly AuthorizationRule[];
  readonly defaultAction: egv1a1.AuthorizationAction;
}

/** AuthorizationRule (xds IR type). */
export interface AuthorizationRule {
  readonly name: string;
  readonly action: egv1a1.AuthorizationAction;
  readonly operation?: egv1a1.Operation;
  readonly principal: Principal;
  readonly cel?: string;
}

/** Principal (xds IR type). */
export interface Principal {
  readonly clientCIDRs?: readonly CIDRMatch[];
  readonly jwt?: egv1a1.JWTPrincipal;
  readonly headers?: readonly egv1a1.AuthorizationHeaderMatch[];
  readonly clientIPGeoLocations?: readonly egv1a1.ClientIPGeoLocation[];
}
