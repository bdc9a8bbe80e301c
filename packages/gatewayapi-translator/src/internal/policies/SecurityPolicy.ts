// SecurityPolicy (upstream securitypolicy.go): CORS, CSRF, JWT, basic auth, API key auth, external auth and
// authorization for the IR routes of the targeted routes, listeners and Gateways. A route whose policy
// has errors answers 500 rather than going unprotected (unless only a fail-open ext auth is broken).
import type { SecurityPolicy, SecurityPolicySpec } from "@egts/api";
import type * as ir from "@egts/ir";
import { isIP } from "node:net";
import { translateTrafficFeatures } from "../ClusterSettings.js";
import { parseCIDR } from "./Cidr.js";
import { irListenerName, type GatewayContext, type ListenerContext } from "../Model.js";
import type { Mutable } from "../Mutable.js";
import type { RouteContext } from "../RouteContext.js";
import { backendRefAuthority, translateExtServiceBackendRefs, type ExtServiceBackendRef, type ExtServiceEnv } from "./ExtService.js";
import { processTargetedPolicies, irRoutePrefix, ownerOf, type PolicyOwners, type TargetedPolicyHandler } from "./TargetedPolicies.js";
import { IRRouteLookup } from "./TargetedPolicies.js";
import type { PolicyTarget } from "./PolicyTargets.js";
import { canonicalDuration, goDurationMessage, stringMatch } from "./Values.js";
import { resolveSecretRef, type ResolvedSecret, type SecretObjectRef } from "./PolicyReferences.js";
import type { ListenerSet } from "@egts/api";
import type { ResourceIndex } from "../Index.js";
import type { OIDCDiscovery } from "./OIDCDiscovery.js";

type Spec = SecurityPolicySpec;
type CORSSpec = NonNullable<Spec["cors"]>;
type CSRFSpec = NonNullable<Spec["csrf"]>;
type BasicAuthSpec = NonNullable<Spec["basicAuth"]>;
type APIKeyAuthSpec = NonNullable<Spec["apiKeyAuth"]>;
type AuthorizationSpec = NonNullable<Spec["authorization"]>;
type JWTSpec = NonNullable<Spec["jwt"]>;
type JWTProviderSpec = JWTSpec["providers"][number];
type OIDCSpec = NonNullable<Spec["oidc"]>;
type ExtAuthSpec = NonNullable<Spec["extAuth"]>;
type ContextExtensionRef = NonNullable<ExtAuthSpec["contextExtensions"]>[number]["valueRef"];
type GeoLocationField = keyof ir.egv1a1.ClientIPGeoLocation;

/** What the SecurityPolicy pass needs from the translation. */
export interface SecurityPolicyContext extends ExtServiceEnv {
  readonly gateways: ReadonlyArray<GatewayContext>;
  readonly listenerSets: ReadonlyArray<ListenerSet>;
  readonly routes: ReadonlyArray<RouteContext>;
  readonly xdsIR: ReadonlyMap<string, Mutable<ir.Xds>>;
  readonly index: ResourceIndex;
  readonly controllerName: string;
  /**
   * Looks up an issuer's OpenID configuration (its .well-known document). Without it, providers that leave
   * out authorizationEndpoint or tokenEndpoint fail: translation itself does no network I/O.
   */
  readonly oidcDiscovery?: OIDCDiscovery;
  /** Shared IR route index; one is made per pass when absent. */
  readonly routeLookup?: IRRouteLookup;
}

type Owners = PolicyOwners<SecurityPolicy>;

const joinErrors = (errors: ReadonlyArray<string>): string | undefined => (errors.length === 0 ? undefined : errors.join("\n"));

function configName(policy: SecurityPolicy): string {
  return `securitypolicy/${policy.metadata.namespace ?? ""}/${policy.metadata.name}`;
}

function deprecatedFields(policy: SecurityPolicy): Map<string, string> {
  const spec = policy.spec;
  const out = new Map<string, string>();
  if (spec.targetRef !== undefined) out.set("spec.targetRef", "spec.targetRefs");
  if (spec.extAuth?.grpc?.backendRef !== undefined) out.set("spec.extAuth.grpc.backendRef", "spec.extAuth.grpc.backendRefs");
  if (spec.extAuth?.http?.backendRef !== undefined) out.set("spec.extAuth.http.backendRef", "spec.extAuth.http.backendRefs");
  return out;
}

function validateForHTTP(spec: Spec): string | undefined {
  for (const source of spec.apiKeyAuth?.extractFrom ?? []) {
    const used = [source.headers, source.params, source.cookies].filter((l) => Array.isArray(l) && l.length > 0).length;
    if (used > 1) return "only one of headers, params or cookies must be specified";
  }
  const oidc = spec.oidc;
  const jwt = spec.jwt;
  if (oidc?.passThroughAuthHeader === true) {
    if (jwt === undefined) return "the OIDC.PassThroughAuthHeader setting must be used in conjunction with JWT settings";
    const providers = jwt.providers ?? [];
    if (!providers.some((p) => p.extractFrom === undefined || (p.extractFrom.headers ?? []).length > 0)) {
      return "the OIDC.PassThroughAuthHeader setting must be used in conjunction with a JWT provider that is configured to read from a header";
    }
    const forwardHeader = oidc.forwardIDToken?.header;
    if (forwardHeader !== undefined) {
      for (const p of providers) {
        if (p.extractFrom === undefined) {
          if (forwardHeader.toLowerCase() === "authorization") {
            return `the OIDC.ForwardIDToken header "${forwardHeader}" cannot be the Authorization header when passThroughAuthHeader is enabled and a JWT provider reads from it`;
          }
          continue;
        }
        for (const h of p.extractFrom.headers ?? []) {
          if (String(h.name).toLowerCase() === forwardHeader.toLowerCase()) {
            return `the OIDC.ForwardIDToken header "${forwardHeader}" cannot be the same as a JWT provider extractFrom header when passThroughAuthHeader is enabled`;
          }
        }
      }
    }
  }
  return undefined;
}

const httpOnlyFeatures = ["cors", "csrf", "jwt", "oidc", "apiKeyAuth", "basicAuth", "extAuth"] as const satisfies ReadonlyArray<keyof Spec>;

function validateForTCP(spec: Spec): string | undefined {
  if (httpOnlyFeatures.some((k) => spec[k] !== undefined)) {
    return "only authorization is supported for TCP (routes/listeners)";
  }
  const rules = spec.authorization?.rules ?? [];
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    if (rule === undefined) continue;
    if (rule.cel !== undefined) return `rule ${i}: CEL not supported for TCP`;
    const principal = rule.principal;
    if (principal === undefined) continue;
    if (principal.jwt !== undefined) return `rule ${i}: JWT not supported for TCP`;
    if ((principal.headers ?? []).length > 0) return `rule ${i}: headers not supported for TCP`;
    if ((principal.clientIPGeoLocations ?? []).length > 0) return `rule ${i}: clientIPGeoLocations not supported for TCP`;
    for (const c of principal.clientCIDRs ?? []) {
      if (parseCIDR(c) === undefined) return `rule ${i}: invalid ClientCIDR "${c}": invalid CIDR address: ${c}`;
    }
  }
  return undefined;
}

/** Go's regexp.QuoteMeta, then `*` as `.*`. */
function wildcardToRegex(wildcard: string): string {
  return wildcard.replace(/[\\.+*?()|[\]{}^$]/g, "\\$&").replaceAll("\\*", ".*");
}

function originMatch(origin: string): ir.StringMatch {
  return stringMatch(origin.includes("*") ? { safeRegex: wildcardToRegex(origin) } : { exact: origin });
}

function buildCORS(cors: CORSSpec): ir.CORS {
  const out: Mutable<ir.CORS> = {};
  const origins = (cors.allowOrigins ?? []).map(originMatch);
  if (origins.length > 0) out.allowOrigins = origins;
  if (cors.allowMethods !== undefined) out.allowMethods = cors.allowMethods;
  if (cors.allowHeaders !== undefined) out.allowHeaders = cors.allowHeaders;
  if (cors.exposeHeaders !== undefined) out.exposeHeaders = cors.exposeHeaders;
  if (cors.allowCredentials === true) out.allowCredentials = true;
  if (cors.maxAge !== undefined) {
    const d = canonicalDuration(String(cors.maxAge));
    if (d !== undefined) out.maxAge = d;
  }
  return out;
}

function buildCSRF(csrf: CSRFSpec): ir.CSRF {
  const out: Mutable<ir.CSRF> = {};
  if (csrf.shadowFraction !== undefined) out.shadowFraction = csrf.shadowFraction;
  const origins = (csrf.additionalOrigins ?? []).map((o) => {
    const cut = o.indexOf("://");
    return originMatch(cut >= 0 ? o.slice(cut + 3) : o);
  });
  if (origins.length > 0) out.additionalOrigins = origins;
  return out;
}

function secretRefTarget(policy: SecurityPolicy, ref: SecretObjectRef, ctx: SecurityPolicyContext): { secret?: ResolvedSecret; error?: string } {
  const r = resolveSecretRef(ref, { kind: "SecurityPolicy", namespace: policy.metadata.namespace ?? "" }, ctx.index);
  return typeof r === "string" ? { error: r } : { secret: r };
}

function base64Bytes(value: string): Uint8Array {
  return new Uint8Array(Buffer.from(value, "base64"));
}

function buildBasicAuth(policy: SecurityPolicy, spec: BasicAuthSpec, ctx: SecurityPolicyContext): ir.BasicAuth | string {
  const { secret, error } = secretRefTarget(policy, spec.users, ctx);
  if (secret === undefined) return error ?? "";
  const raw = secret.data[".htpasswd"];
  if (raw === undefined || raw === "") return `secret ${secret.namespace}/${secret.name} must contain a non-empty ".htpasswd" key`;
  const text = Buffer.from(raw, "base64").toString("latin1").replaceAll("\r\n", "\n");
  for (const line of text.split("\n")) {
    const trimmed = line.trim();
    if (trimmed === "") continue;
    const colon = trimmed.indexOf(":");
    if (colon < 0) return "invalid htpasswd format: each line must be in the format 'username:password'";
    const password = trimmed.slice(colon + 1);
    if (!password.startsWith("{SHA}")) return "unsupported htpasswd format: please use {SHA}";
    const hash = password.slice(5);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(hash) || hash.length % 4 !== 0) return "invalid htpasswd format: {SHA} must be base64-encoded SHA1";
    if (Buffer.from(hash, "base64").length !== 20) return "invalid htpasswd format: {SHA} must be SHA1 (20 bytes)";
  }
  const out: Mutable<ir.BasicAuth> = { name: configName(policy), users: new Uint8Array(Buffer.from(text, "latin1")) };
  if (spec.forwardUsernameHeader !== undefined) out.forwardUsernameHeader = spec.forwardUsernameHeader;
  return out;
}

function buildAPIKeyAuth(policy: SecurityPolicy, spec: APIKeyAuthSpec, ctx: SecurityPolicyContext): ir.APIKeyAuth | string {
  const credentials: ir.APIKeyCredential[] = [];
  const seenKeys = new Set<string>();
  const seenClients = new Set<string>();
  for (const ref of spec.credentialRefs ?? []) {
    const { secret, error } = secretRefTarget(policy, ref, ctx);
    if (secret === undefined) return error ?? "";
    for (const client of Object.keys(secret.data).sort()) {
      if (seenClients.has(client)) continue;
      const key = secret.data[client] ?? "";
      if (seenKeys.has(key)) return "duplicated API key";
      seenKeys.add(key);
      seenClients.add(client);
      credentials.push({ client: new Uint8Array(Buffer.from(client)), key: base64Bytes(key) });
    }
  }
  const out: Mutable<ir.APIKeyAuth> = {
    credentials,
    extractFrom: (spec.extractFrom ?? []).map((e) => {
      const x: Mutable<ir.ExtractFrom> = {};
      if (e.headers !== undefined) x.headers = e.headers;
      if (e.cookies !== undefined) x.cookies = e.cookies;
      if (e.params !== undefined) x.params = e.params;
      return x;
    }),
  };
  if (spec.forwardClientIDHeader !== undefined) out.forwardClientIDHeader = spec.forwardClientIDHeader;
  if (spec.sanitize !== undefined) out.sanitize = spec.sanitize;
  return out;
}

function buildAuthorization(policy: SecurityPolicy, spec: AuthorizationSpec): ir.Authorization | string {
  // The action enums are open in the CRD type; the schema admits only Allow and Deny.
  const out: Mutable<ir.Authorization> = { defaultAction: (spec.defaultAction ?? "Deny") as ir.egv1a1.AuthorizationAction };
  const rules = spec.rules ?? [];
  const irRules: ir.AuthorizationRule[] = [];
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    if (rule === undefined) continue;
    const principal: Mutable<ir.Principal> = {};
    const p = rule.principal;
    if (p !== undefined) {
      const cidrs: ir.CIDRMatch[] = [];
      for (const c of p.clientCIDRs ?? []) {
        const m = parseCIDR(c);
        if (m === undefined) return `unable to translate authorization rule: invalid CIDR address: ${c}`;
        cidrs.push(m);
      }
      if (cidrs.length > 0) principal.clientCIDRs = cidrs;
      // The claim value types are an open enum in the CRD type; the schema admits only the IR's values.
      if (p.jwt !== undefined) principal.jwt = p.jwt as ir.egv1a1.JWTPrincipal;
      if (p.headers !== undefined) principal.headers = p.headers;
      if (p.clientIPGeoLocations !== undefined) principal.clientIPGeoLocations = p.clientIPGeoLocations;
    }
    const pathType = rule.operation?.path?.type;
    if (rule.operation?.path !== undefined && pathType !== undefined && pathType !== "PathPrefix" && pathType !== "Exact" && pathType !== "RegularExpression") {
      return "unable to translate authorization rule: invalid path type";
    }
    const name = typeof rule.name === "string" && rule.name !== "" ? rule.name : `${configName(policy)}/authorization/rule/${i}`;
    const irRule: Mutable<ir.AuthorizationRule> = { name, action: rule.action as ir.egv1a1.AuthorizationAction, principal };
    // The method and path type enums are open in the CRD type; the schema admits only the IR's values.
    if (rule.operation !== undefined) irRule.operation = rule.operation as ir.egv1a1.Operation;
    if (rule.cel !== undefined) irRule.cel = rule.cel;
    irRules.push(irRule);
  }
  if (irRules.length > 0) out.rules = irRules;
  return out;
}

function validIssuer(issuer: string): string | undefined {
  if (issuer.includes(":")) {
    try {
      new URL(issuer);
    } catch {
      return "invalid issuer; when issuer contains ':' character, it MUST be a valid URI";
    }
  } else if (issuer.includes("@") && !/^[^@\s]+@[^@\s]+$/.test(issuer)) {
    return "invalid issuer; when issuer contains '@' character, it MUST be a valid Email Address format: mail: missing @ in addr-spec";
  }
  return undefined;
}

function validateJWTProviders(providers: ReadonlyArray<JWTProviderSpec>): string | undefined {
  const errors: string[] = [];
  const names: string[] = [];
  for (const p of providers) {
    const name = String(p.name ?? "");
    if (name === "") errors.push("jwt provider cannot be an empty string");
    if (typeof p.issuer === "string" && p.issuer !== "") {
      const e = validIssuer(p.issuer);
      if (e !== undefined) errors.push(e);
    }
    if ((p.remoteJWKS === undefined) === (p.localJWKS === undefined)) {
      errors.push(`either remoteJWKS or localJWKS must be specified for jwt provider: ${name}`);
    }
    const uri = p.remoteJWKS?.uri;
    if (p.remoteJWKS !== undefined) {
      if (uri === undefined || uri === "") errors.push(`uri must be set for remote JWKS provider: ${name}`);
      else if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(uri) && !uri.startsWith("/")) errors.push(`invalid remote JWKS URI: parse "${uri}": invalid URI for request`);
    }
    const local = p.localJWKS;
    if (local !== undefined) {
      if ((local.type ?? "Inline") === "Inline") {
        if (local.inline === undefined) errors.push(`inline JWKS must be set for local JWKS provider: ${name} if type is Inline`);
      } else if (local.valueRef === undefined) errors.push(`valueRef must be set for local JWKS provider: ${name} if type is ValueRef`);
    }
    if (errors.length === 0) {
      if (names.includes(name)) errors.push(`provider name ${name} must be unique`);
      names.push(name);
    }
    for (const c of p.claimToHeaders ?? []) {
      if (!c.header) errors.push(`header must be set for claimToHeader provider: ${String(c.header ?? "")}`);
      else if (!c.claim) errors.push(`claim must be set for claimToHeader provider: ${String(c.claim ?? "")}`);
    }
  }
  return joinErrors(errors);
}

function buildRemoteJWKS(
  policy: SecurityPolicy,
  remote: NonNullable<JWTProviderSpec["remoteJWKS"]>,
  i: number,
  gateway: GatewayContext,
  ctx: SecurityPolicyContext,
): ir.RemoteJWKS | string {
  const uri = String(remote.uri);
  const r: Mutable<ir.RemoteJWKS> = { uri };
  const refs: ReadonlyArray<ExtServiceBackendRef> = remote.backendRefs ?? [];
  if (refs.length > 0) {
    const protocol: ir.AppProtocol = uri.startsWith("https") ? "HTTPS" : "HTTP";
    const dest = translateExtServiceBackendRefs({ kind: "SecurityPolicy", metadata: policy.metadata }, refs, protocol, gateway, "jwt", i, ctx);
    if (typeof dest === "string") return dest;
    r.destination = dest;
  }
  if (remote.backendSettings !== undefined) {
    const traffic = translateTrafficFeatures(remote.backendSettings);
    if (typeof traffic === "string") return traffic;
    if (traffic !== undefined) r.traffic = traffic;
  }
  for (const k of ["cacheDuration", "failedRefetchDuration"] as const) {
    const v = remote[k];
    if (v === undefined) continue;
    const d = canonicalDuration(String(v));
    if (d === undefined) return goDurationMessage(v);
    r[k] = d;
  }
  return r;
}

function buildJWT(policy: SecurityPolicy, spec: JWTSpec, gateway: GatewayContext, ctx: SecurityPolicyContext): ir.JWT | string {
  const providers = spec.providers ?? [];
  const invalid = validateJWTProviders(providers);
  if (invalid !== undefined) return invalid;
  const out: ir.JWTProvider[] = [];
  for (let i = 0; i < providers.length; i++) {
    const p = providers[i];
    if (p === undefined) continue;
    const provider: Mutable<ir.JWTProvider> = { name: p.name };
    if (p.issuer !== undefined) provider.issuer = p.issuer;
    if (p.audiences !== undefined) provider.audiences = p.audiences;
    if (p.claimToHeaders !== undefined) provider.claimToHeaders = p.claimToHeaders;
    if (p.recomputeRoute !== undefined) provider.recomputeRoute = p.recomputeRoute;
    if (p.extractFrom !== undefined) provider.extractFrom = p.extractFrom;
    // Validated above: each provider has exactly one of remoteJWKS and localJWKS.
    if (p.remoteJWKS !== undefined) {
      const remote = buildRemoteJWKS(policy, p.remoteJWKS, i, gateway, ctx);
      if (typeof remote === "string") return remote;
      provider.remoteJWKS = remote;
    } else if (p.localJWKS !== undefined) {
      const local = p.localJWKS;
      if ((local.type ?? "Inline") === "ValueRef") {
        const ns = policy.metadata.namespace ?? "";
        const cmName = String(local.valueRef?.name ?? "");
        const cm = ctx.index.configMap(ns, cmName);
        if (cm === undefined) return `local JWKS ConfigMap ${ns}/${cmName} not found`;
        const data = (cm.data ?? {}) as Record<string, string>;
        const value = data["jwks"] ?? Object.values(data)[0];
        if (value === undefined) return `JWKS data not found in ConfigMap jwks/${ns}, no "${cm.metadata.name}" key and no other data found`;
        provider.localJWKS = value;
      } else if (local.inline !== undefined) provider.localJWKS = local.inline;
    }
    out.push(provider);
  }
  const jwt: Mutable<ir.JWT> = { providers: out };
  if (spec.optional === true) jwt.allowMissing = true;
  if (spec.failOpen === true) jwt.allowMissingOrFailed = true;
  return jwt;
}

/** FNV-1a 32-bit hash in hex (upstream utils.Digest32), used for OIDC cookie suffixes. */
export function digest32(text: string): string {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(text, "utf8")) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16);
}

function redirectPathOf(redirectURL: string): string | undefined {
  const schemeEnd = redirectURL.indexOf("://");
  if (schemeEnd <= 0) return undefined;
  const scheme = redirectURL.slice(0, schemeEnd);
  if (scheme !== "http" && scheme !== "https" && scheme !== "%REQ(x-forwarded-proto)%") return undefined;
  const rest = redirectURL.slice(schemeEnd + 3);
  const hostEnd = rest.indexOf("/");
  if (hostEnd <= 0) return undefined;
  const path = rest.slice(hostEnd);
  return path === "/" ? undefined : path;
}

function validateTokenEndpoint(endpoint: string): string | undefined {
  let u: URL;
  try {
    u = new URL(endpoint);
  } catch {
    return `error parsing token endpoint URL: parse "${endpoint}": invalid URI`;
  }
  const host = u.hostname.startsWith("[") ? u.hostname.slice(1, -1) : u.hostname;
  if (isIP(host) !== 0) return `token endpoint URL must be a domain name: ${endpoint}`;
  return undefined;
}

function buildOIDCProvider(
  policy: SecurityPolicy,
  provider: OIDCSpec["provider"],
  gateway: GatewayContext,
  ctx: SecurityPolicyContext,
): ir.OIDCProvider | string {
  const base = String(provider.tokenEndpoint ?? provider.issuer ?? "");
  const protocol: ir.AppProtocol = base.startsWith("https") ? "HTTPS" : "HTTP";
  let destination: ir.RouteDestination | undefined;
  const refs: ReadonlyArray<ExtServiceBackendRef> = provider.backendRefs ?? [];
  if (refs.length > 0) {
    const dest = translateExtServiceBackendRefs({ kind: "SecurityPolicy", metadata: policy.metadata }, refs, protocol, gateway, "oidc", 0, ctx);
    if (typeof dest === "string") return dest;
    destination = dest;
  }
  let authorizationEndpoint = provider.authorizationEndpoint ?? "";
  let tokenEndpoint = provider.tokenEndpoint ?? "";
  let endSessionEndpoint = provider.endSessionEndpoint;
  if (authorizationEndpoint === "" || tokenEndpoint === "") {
    const issuer = String(provider.issuer ?? "");
    // Discovery needs the network, which only an injected lookup has.
    if (ctx.oidcDiscovery === undefined) {
      return `failed fetching openid-configuration from issuer URL: ${issuer}: endpoint discovery is not available; set authorizationEndpoint and tokenEndpoint`;
    }
    const tls = destination?.settings?.find((s) => s.tls !== undefined)?.tls;
    const found = ctx.oidcDiscovery(issuer, tls);
    if ("error" in found) return found.error;
    if (authorizationEndpoint === "") authorizationEndpoint = found.authorizationEndpoint;
    if (tokenEndpoint === "") tokenEndpoint = found.tokenEndpoint;
    if (endSessionEndpoint === undefined || endSessionEndpoint === "") endSessionEndpoint = found.endSessionEndpoint;
  }
  const invalid = validateTokenEndpoint(tokenEndpoint);
  if (invalid !== undefined) return invalid;
  const traffic = translateTrafficFeatures(provider.backendSettings);
  if (typeof traffic === "string") return traffic;
  const out: Mutable<ir.OIDCProvider> = {
    ...(destination !== undefined ? { destination } : {}),
    ...(traffic !== undefined ? { traffic } : {}),
    authorizationEndpoint,
    tokenEndpoint,
  };
  if (endSessionEndpoint !== undefined && endSessionEndpoint !== "") out.endSessionEndpoint = endSessionEndpoint;
  return out;
}

function buildOIDC(policy: SecurityPolicy, spec: OIDCSpec, gateway: GatewayContext, ctx: SecurityPolicyContext, own: Owners): ir.OIDC | string {
  const provider = buildOIDCProvider(own("oidcProviderBackendRefs"), spec.provider, gateway, ctx);
  if (typeof provider === "string") return provider;
  let clientID: string;
  if (spec.clientID !== undefined) clientID = String(spec.clientID);
  else if (spec.clientIDRef !== undefined) {
    const { secret, error } = secretRefTarget(own("oidcClientIDRef"), spec.clientIDRef, ctx);
    if (secret === undefined) return error ?? "";
    const raw = secret.data["client-id"];
    if (raw === undefined || raw === "") return `client ID not found in secret ${secret.namespace}/${secret.name}`;
    clientID = Buffer.from(raw, "base64").toString("utf8");
  } else return `client ID must be specified in OIDC policy ${policy.metadata.namespace ?? ""}/${policy.metadata.name}`;
  const { secret, error } = secretRefTarget(own("oidcClientSecret"), spec.clientSecret, ctx);
  if (secret === undefined) return error ?? "";
  const clientSecret = secret.data["client-secret"];
  if (clientSecret === undefined || clientSecret === "") return `client secret not found in secret ${secret.namespace}/${secret.name}`;
  const scopes = [...(spec.scopes ?? [])];
  if (!scopes.includes("openid")) scopes.push("openid");
  let redirectURL = "%REQ(x-forwarded-proto)%://%REQ(:authority)%/oauth2/callback";
  let redirectPath = "/oauth2/callback";
  if (spec.redirectURL !== undefined) {
    const path = redirectPathOf(String(spec.redirectURL));
    if (path === undefined) return `invalid redirect URL ${String(spec.redirectURL)}`;
    redirectURL = String(spec.redirectURL);
    redirectPath = path;
  }
  const controllerNs = ctx.options.controllerNamespace;
  const hmac = ctx.index.secret(controllerNs, "envoy-oidc-hmac");
  if (hmac === undefined) return `HMAC secret ${controllerNs}/envoy-oidc-hmac not found`;
  const hmacData = (hmac.data as Record<string, string> | undefined)?.["hmac-secret"];
  if (hmacData === undefined || hmacData === "") return `HMAC secret not found in secret ${controllerNs}/envoy-oidc-hmac`;
  const out: Mutable<ir.OIDC> = {
    name: configName(own("oidc")),
    provider,
    clientID,
    clientSecret: base64Bytes(clientSecret),
    scopes,
  };
  if (spec.resources !== undefined) out.resources = spec.resources;
  out.redirectURL = redirectURL;
  out.redirectPath = redirectPath;
  out.logoutPath = spec.logoutPath ?? "/logout";
  out.forwardAccessToken = spec.forwardAccessToken ?? false;
  if (spec.forwardIDToken !== undefined) out.forwardIDTokenHeader = spec.forwardIDToken.header;
  for (const k of ["defaultTokenTTL", "defaultRefreshTokenTTL", "csrfTokenTTL"] as const) {
    const v = spec[k];
    if (v === undefined) continue;
    const d = canonicalDuration(String(v));
    if (d === undefined) return `invalid ${k}: ${goDurationMessage(String(v))}`;
    out[k] = d;
  }
  out.refreshToken = spec.refreshToken ?? true;
  out.cookieSuffix = digest32(own("oidc").metadata.uid ?? "");
  if (spec.cookieNames !== undefined) out.cookieNameOverrides = spec.cookieNames;
  if (spec.cookieDomain !== undefined) out.cookieDomain = spec.cookieDomain;
  // The SameSite enum is open in the CRD type; the schema admits only the IR's values.
  if (spec.cookieConfig !== undefined) out.cookieConfig = spec.cookieConfig as ir.egv1a1.OIDCCookieConfig;
  out.hmacSecret = base64Bytes(hmacData);
  out.passThroughAuthHeader = spec.passThroughAuthHeader ?? false;
  out.disableTokenEncryption = spec.disableTokenEncryption ?? false;
  if (spec.denyRedirect !== undefined) out.denyRedirect = spec.denyRedirect as ir.egv1a1.OIDCDenyRedirect;
  return out;
}

function contextExtensionValue(policy: SecurityPolicy, ref: ContextExtensionRef, ctx: SecurityPolicyContext): Uint8Array | string {
  if (ref === undefined) return "unexpected nil reference";
  const ns = policy.metadata.namespace ?? "";
  const name = String(ref.name);
  const key = String(ref.key);
  if (ref.kind === "ConfigMap") {
    const cm = ctx.index.configMap(ns, name);
    if (cm === undefined) return `can't find the referenced configmap "${name}" in namespace "${ns}"`;
    const v = (cm.data as Record<string, string> | undefined)?.[key];
    if (v === undefined) return `can't find the key "${key}" in the referenced configmap "${name}"`;
    return new Uint8Array(Buffer.from(v));
  }
  if (ref.kind === "Secret") {
    const secret = ctx.index.secret(ns, name);
    if (secret === undefined) return `can't find the referenced secret "${name}" in namespace "${ns}"`;
    const v = (secret.data as Record<string, string> | undefined)?.[key];
    if (v === undefined) return `can't find the key "${key}" in the referenced secret "${name}"`;
    // Secret data is base64 already; upstream decodes it once more.
    const decoded = Buffer.from(v, "base64").toString("latin1");
    return new Uint8Array(Buffer.from(decoded, "base64"));
  }
  return `unexpected reference to kind "${String(ref.kind)}"`;
}

function buildExtAuth(policy: SecurityPolicy, spec: ExtAuthSpec, gateway: GatewayContext, ctx: SecurityPolicyContext, own: Owners): ir.ExtAuth | string {
  const http = spec.http;
  const grpc = spec.grpc;
  const service = http ?? grpc;
  if (service === undefined) return "one of grpc or http must be specified";
  if (http !== undefined && grpc !== undefined) return "only one of grpc or http can be specified";
  const protocol: ir.AppProtocol = http !== undefined ? "HTTP" : "GRPC";
  let refs: ReadonlyArray<ExtServiceBackendRef>;
  if ((service.backendRefs ?? []).length > 0) refs = service.backendRefs ?? [];
  else if (service.backendRef !== undefined) refs = [service.backendRef];
  else return `${http !== undefined ? "http" : "grpc"} backend refs must be specified`;
  const refsOwner = own("extAuthBackendRefs");
  const dest = translateExtServiceBackendRefs({ kind: "SecurityPolicy", metadata: refsOwner.metadata }, refs, protocol, gateway, "extauth", 0, ctx);
  if (typeof dest === "string") return dest;
  const authority = refs.length > 0 ? backendRefAuthority(refs[0] as ExtServiceBackendRef, refsOwner.metadata.namespace ?? "", ctx.index) : "";
  const traffic = translateTrafficFeatures(service.backendSettings);
  if (typeof traffic === "string") return traffic;
  const contextExtensions: ir.ContextExtention[] = [];
  for (const ext of spec.contextExtensions ?? []) {
    let value: Uint8Array | undefined;
    if (ext.type === "ValueRef") {
      const v = contextExtensionValue(own(`contextExtension/${String(ext.name)}`), ext.valueRef, ctx);
      if (typeof v === "string") return v;
      value = v;
    } else if (ext.value !== undefined) value = new Uint8Array(Buffer.from(String(ext.value)));
    // A Value extension without its value (the schema requires one) carries none.
    contextExtensions.push(value !== undefined ? { name: ext.name, value } : ({ name: ext.name } as ir.ContextExtention));
  }
  const out: Mutable<ir.ExtAuth> = { name: configName(own("extAuth")) };
  if (spec.headersToExtAuth !== undefined) out.headersToExtAuth = spec.headersToExtAuth;
  if (contextExtensions.length > 0) out.contextExtensions = contextExtensions;
  if (spec.failOpen !== undefined) out.failOpen = spec.failOpen;
  if (traffic !== undefined) out.traffic = traffic;
  if (spec.recomputeRoute !== undefined) out.recomputeRoute = spec.recomputeRoute;
  if (spec.includeRouteMetadata !== undefined) out.includeRouteMetadata = spec.includeRouteMetadata;
  if (spec.statusOnError !== undefined) out.statusOnError = spec.statusOnError;
  if (spec.timeout !== undefined) {
    const d = canonicalDuration(String(spec.timeout));
    if (d !== undefined) out.timeout = d;
  }
  if (http !== undefined) {
    const h: Mutable<ir.HTTPExtAuthService> = { destination: dest, authority, path: http.path ?? "" };
    if (http.pathOverride !== undefined) h.pathOverride = http.pathOverride;
    if (http.headersToBackend !== undefined) h.headersToBackend = http.headersToBackend;
    out.http = h;
  } else out.grpc = { destination: dest, authority };
  if (spec.bodyToExtAuth !== undefined) out.bodyToExtAuth = { maxRequestBytes: spec.bodyToExtAuth.maxRequestBytes };
  return out;
}

/** The features of a policy that do not depend on the Gateway, with their error texts. */
interface CommonFeatures {
  readonly features: ir.SecurityFeatures;
  readonly errors: string[];
}

function buildCommon(policy: SecurityPolicy, ctx: SecurityPolicyContext, prefixAuthorization: boolean, own: Owners): CommonFeatures {
  const spec = policy.spec;
  const features: Mutable<ir.SecurityFeatures> = {};
  const errors: string[] = [];
  if (spec.cors !== undefined) features.cors = buildCORS(spec.cors);
  if (spec.csrf !== undefined) features.csrf = buildCSRF(spec.csrf);
  if (spec.basicAuth !== undefined) {
    const r = buildBasicAuth(own("basicAuth"), spec.basicAuth, ctx);
    if (typeof r === "string") errors.push(`BasicAuth: ${r}`);
    else features.basicAuth = r;
  }
  if (spec.apiKeyAuth !== undefined) {
    const r = buildAPIKeyAuth(own("apiKeyAuthCredentialRefs"), spec.apiKeyAuth, ctx);
    if (typeof r === "string") errors.push(`APIKeyAuth: ${r}`);
    else features.apiKeyAuth = r;
  }
  if (spec.authorization !== undefined) {
    const r = buildAuthorization(own("authorizationRules"), spec.authorization);
    if (typeof r === "string") errors.push(prefixAuthorization ? `Authorization: ${r}` : r);
    else features.authorization = r;
  }
  return { features, errors };
}

function usesGeoLocations(authorization: ir.Authorization | undefined): boolean {
  return (authorization?.rules ?? []).some((r) => (r.principal?.clientIPGeoLocations ?? []).length > 0);
}

const maxMindDatabases = [
  ["cityDbSource", "cityDbPath"],
  ["countryDbSource", "countryDbPath"],
  ["asnDbSource", "asnDbPath"],
  ["ispDbSource", "ispDbPath"],
  ["anonymousIpDbSource", "anonymousIpDbPath"],
] as const;

/**
 * Checks that geolocation rules can work on a listener (one client IP detection mode, no trusted CIDRs, the
 * MaxMind databases the rules need) and returns the listener's GeoIP provider, or the error text.
 */
function geoIPProviderFor(
  authorization: ir.Authorization,
  gateway: GatewayContext,
  detection: ir.ClientIPDetectionSettings | undefined,
): ir.GeoIPProvider | string {
  if (detection === undefined) return "authorization clientIPGeoLocations requires ClientTrafficPolicy.spec.clientIPDetection to be configured";
  const modes = [detection.xForwardedFor, detection.customHeader, detection.directSourceIP].filter((mode) => mode !== undefined).length;
  if (modes !== 1)
    return "authorization clientIPGeoLocations requires exactly one of ClientTrafficPolicy.spec.clientIPDetection.{xForwardedFor,customHeader,directSourceIP}";
  if ((detection.xForwardedFor?.trustedCIDRs ?? []).length > 0) {
    return "authorization clientIPGeoLocations does not support ClientIPDetection.XForwardedFor.TrustedCIDRs";
  }
  const geoIP = gateway.envoyProxy?.spec?.geoIP;
  const maxMindSpec = geoIP?.provider?.maxMind;
  if (geoIP !== undefined && geoIP.provider?.type !== "MaxMind") return `unsupported geoIP provider type "${String(geoIP.provider?.type ?? "")}"`;
  if (geoIP !== undefined && maxMindSpec === undefined) return "geoIP provider MaxMind is missing maxMind configuration";
  if (maxMindSpec === undefined) return "authorization clientIPGeoLocations requires EnvoyProxy.spec.geoIP.provider to be configured";
  const maxMind: Mutable<ir.GeoIPMaxMindProvider> = {};
  for (const [source, path] of maxMindDatabases) {
    const dbPath = maxMindSpec[source]?.local?.path;
    if (dbPath !== undefined) maxMind[path] = dbPath;
  }
  const need = (field: GeoLocationField): boolean =>
    (authorization.rules ?? []).some((r) => (r.principal?.clientIPGeoLocations ?? []).some((g) => g[field] !== undefined));
  if (need("country") && maxMind.countryDbPath === undefined && maxMind.cityDbPath === undefined) {
    return "authorization clientIPGeoLocations.country requires EnvoyProxy.spec.geoIP.provider.maxMind.countryDbSource or cityDbSource";
  }
  if (need("region") && maxMind.cityDbPath === undefined)
    return "authorization clientIPGeoLocations.region requires EnvoyProxy.spec.geoIP.provider.maxMind.cityDbSource";
  if (need("city") && maxMind.cityDbPath === undefined)
    return "authorization clientIPGeoLocations.city requires EnvoyProxy.spec.geoIP.provider.maxMind.cityDbSource";
  if (need("asn") && maxMind.asnDbPath === undefined)
    return "authorization clientIPGeoLocations.asn requires EnvoyProxy.spec.geoIP.provider.maxMind.asnDbSource";
  if (need("isp") && maxMind.ispDbPath === undefined)
    return "authorization clientIPGeoLocations.isp requires EnvoyProxy.spec.geoIP.provider.maxMind.ispDbSource";
  if (need("anonymous") && maxMind.anonymousIpDbPath === undefined) {
    return "authorization clientIPGeoLocations.anonymous requires EnvoyProxy.spec.geoIP.provider.maxMind.anonymousIpDbSource";
  }
  return { maxMind };
}

function findHTTP(x: Mutable<ir.Xds> | undefined, name: string): Mutable<ir.HTTPListener> | undefined {
  return (x?.http ?? []).find((h) => h.name === name) as Mutable<ir.HTTPListener> | undefined;
}

const directResponse500 = (): ir.CustomResponse => ({ statusCode: 500 }) as ir.CustomResponse;

function translateForRoute(
  policy: SecurityPolicy,
  route: RouteContext,
  target: PolicyTarget,
  ctx: SecurityPolicyContext,
  listener?: ListenerContext,
  own: Owners = () => policy,
): string | undefined {
  const spec = policy.spec;
  const { features, errors } = buildCommon(policy, ctx, true, own);
  let nonExtAuthError = errors.length > 0;
  const prefix = irRoutePrefix(route);
  for (const parent of route.parentContexts) {
    const gateway = parent.listeners[0]?.gateway;
    if (gateway === undefined) continue;
    if (listener !== undefined && listener.gateway !== gateway) continue;
    const perGateway: Mutable<ir.SecurityFeatures> = { ...features };
    let extAuthError = false;
    if (spec.extAuth !== undefined) {
      const r = buildExtAuth(policy, spec.extAuth, gateway, ctx, own);
      if (typeof r === "string") {
        errors.push(`ExtAuth: ${r}`);
        extAuthError = true;
      } else perGateway.extAuth = r;
    }
    if (spec.oidc !== undefined) {
      const r = buildOIDC(policy, spec.oidc, gateway, ctx, own);
      if (typeof r === "string") {
        errors.push(`OIDC: ${r}`);
        nonExtAuthError = true;
      } else perGateway.oidc = r;
    }
    if (spec.jwt !== undefined) {
      const r = buildJWT(own("jwtProviders"), spec.jwt, gateway, ctx);
      if (typeof r === "string") {
        errors.push(`JWT: ${r}`);
        nonExtAuthError = true;
      } else perGateway.jwt = r;
    }
    const security = orderedFeatures(perGateway);
    const x = ctx.xdsIR.get(gateway.irKey);
    if (route.kind === "TCPRoute") {
      for (const l of parent.listeners) {
        if (listener !== undefined && irListenerName(listener) !== irListenerName(l)) continue;
        const tcp = (x?.tcp ?? []).find((t) => t.name === irListenerName(l));
        for (const r of (tcp?.routes ?? []) as Array<Mutable<ir.TCPRoute>>) {
          if (target.sectionName !== undefined && target.sectionName !== r.destination?.metadata?.sectionName) continue;
          if (r.authorization !== undefined) continue;
          if (security.authorization !== undefined) r.authorization = { ...security.authorization };
        }
      }
      continue;
    }
    if (route.kind !== "HTTPRoute" && route.kind !== "GRPCRoute") continue;
    const hasErrors = errors.length > 0;
    for (const l of parent.listeners) {
      if (listener !== undefined && irListenerName(listener) !== irListenerName(l)) continue;
      const http = findHTTP(x, irListenerName(l));
      if (http === undefined) continue;
      let geoChecked = false;
      let geoError = false;
      let listenerNonExtAuthError = nonExtAuthError;
      for (const r of (ctx.routeLookup ?? new IRRouteLookup()).routes(http, prefix)) {
        if (target.sectionName !== undefined && target.sectionName !== r.metadata?.sectionName) continue;
        if (r.security !== undefined) continue;
        r.security = security;
        if (!geoChecked && security.authorization !== undefined && usesGeoLocations(security.authorization)) {
          geoChecked = true;
          const provider = geoIPProviderFor(security.authorization, gateway, http.clientIPDetection);
          if (typeof provider === "string") {
            errors.push(`Authorization: ${provider}`);
            geoError = true;
            listenerNonExtAuthError = true;
          } else http.geoIPProvider = provider;
        }
        if (geoError || hasErrors) {
          const failOpen = extAuthError && !listenerNonExtAuthError && spec.extAuth?.failOpen === true;
          if (!failOpen) r.directResponse = directResponse500();
        }
      }
    }
  }
  return joinErrors(errors);
}

const securityFeatureOrder = ["cors", "csrf", "jwt", "oidc", "apiKeyAuth", "basicAuth", "extAuth", "authorization"] as const satisfies ReadonlyArray<
  keyof ir.SecurityFeatures
>;

function copyFeature<K extends keyof ir.SecurityFeatures>(out: Mutable<ir.SecurityFeatures>, from: ir.SecurityFeatures, key: K): void {
  const value = from[key];
  if (value !== undefined) out[key] = value;
}

/** Upstream's SecurityFeatures field order, so the IR prints the same way. */
function orderedFeatures(f: ir.SecurityFeatures): ir.SecurityFeatures {
  const out: Mutable<ir.SecurityFeatures> = {};
  for (const k of securityFeatureOrder) copyFeature(out, f, k);
  return out;
}

function translateForListeners(
  policy: SecurityPolicy,
  gateway: GatewayContext,
  listeners: ReadonlyArray<ListenerContext>,
  ctx: SecurityPolicyContext,
): string | undefined {
  const spec = policy.spec;
  const features: Mutable<ir.SecurityFeatures> = {};
  const errors: string[] = [];
  if (spec.cors !== undefined) features.cors = buildCORS(spec.cors);
  if (spec.csrf !== undefined) features.csrf = buildCSRF(spec.csrf);
  if (spec.jwt !== undefined) {
    const r = buildJWT(policy, spec.jwt, gateway, ctx);
    if (typeof r === "string") errors.push(`JWT: ${r}`);
    else features.jwt = r;
  }
  if (spec.oidc !== undefined) {
    const r = buildOIDC(policy, spec.oidc, gateway, ctx, () => policy);
    if (typeof r === "string") errors.push(`OIDC: ${r}`);
    else features.oidc = r;
  }
  const common = buildCommon(policy, ctx, false, () => policy);
  Object.assign(features, common.features);
  errors.push(...common.errors);
  const nonExtAuthError = errors.length > 0;
  let extAuthError = false;
  if (spec.extAuth !== undefined) {
    const r = buildExtAuth(policy, spec.extAuth, gateway, ctx, () => policy);
    if (typeof r === "string") {
      errors.push(`ExtAuth: ${r}`);
      extAuthError = true;
    } else features.extAuth = r;
  }
  const security = orderedFeatures(features);
  const names = new Set(listeners.map(irListenerName));
  const x = ctx.xdsIR.get(gateway.irKey);
  const failOpen = extAuthError && !nonExtAuthError && spec.extAuth?.failOpen === true;
  const hasErrors = errors.length > 0 && !failOpen;
  for (const h of (x?.http ?? []) as Array<Mutable<ir.HTTPListener>>) {
    if (!names.has(h.name)) continue;
    let errorResponse = hasErrors;
    if (security.authorization !== undefined && usesGeoLocations(security.authorization)) {
      const provider = geoIPProviderFor(security.authorization, gateway, h.clientIPDetection);
      if (typeof provider === "string") {
        errors.push(`Authorization: ${provider}`);
        errorResponse = true;
      } else h.geoIPProvider = provider;
    }
    for (const r of (h.routes ?? []) as Array<Mutable<ir.HTTPRoute>>) {
      if (r.security !== undefined) continue;
      r.security = security;
      if (errorResponse) r.directResponse = directResponse500();
    }
  }
  const authorization = security.authorization;
  if (authorization !== undefined) {
    for (const t of x?.tcp ?? []) {
      if (!names.has(t.name)) continue;
      for (const r of (t.routes ?? []) as Array<Mutable<ir.TCPRoute>>) {
        if (r.authorization === undefined) r.authorization = authorization;
      }
    }
  }
  return joinErrors(errors);
}

/** Runs every SecurityPolicy and returns the handled ones with their status, in upstream's order. */
export function processSecurityPolicies(policies: ReadonlyArray<SecurityPolicy>, context: SecurityPolicyContext): unknown[] {
  const ctx: SecurityPolicyContext = { ...context, routeLookup: context.routeLookup ?? new IRRouteLookup() };
  const handler: TargetedPolicyHandler<SecurityPolicy> = {
    kind: "SecurityPolicy",
    plural: "securityPolicies",
    deprecatedFields,
    validateForRoute: (policy, route) => (route.kind === "TCPRoute" ? validateForTCP(policy.spec) : validateForHTTP(policy.spec)),
    invalidPrefix: (route) => (route.kind === "TCPRoute" ? "invalid SecurityPolicy for TCP route" : "invalid SecurityPolicy"),
    translateForRoute: (policy, route, target, listener, owners) => translateForRoute(policy, route, target, ctx, listener, owners),
    strategicLists: new Map([["extAuth.contextExtensions", "name"]]),
    owners: securityPolicyOwners,
    translateForListeners: (policy, gateway, listeners) => translateForListeners(policy, gateway, listeners, ctx),
  };
  return processTargetedPolicies(policies, handler, ctx);
}

/** Which of a merged route policy and its parent owns each feature (names, namespaces of references). */
function securityPolicyOwners(route: SecurityPolicy, parent: SecurityPolicy): Owners {
  const has: Record<string, (p: SecurityPolicy) => boolean> = {
    basicAuth: (p) => p.spec.basicAuth !== undefined,
    apiKeyAuthCredentialRefs: (p) => (p.spec.apiKeyAuth?.credentialRefs ?? []).length > 0,
    authorizationRules: (p) => (p.spec.authorization?.rules ?? []).length > 0,
    extAuth: (p) => p.spec.extAuth !== undefined,
    extAuthBackendRefs: (p) => {
      const ea = p.spec.extAuth;
      return [ea?.http, ea?.grpc].some((s) => s !== undefined && ((s.backendRefs ?? []).length > 0 || s.backendRef !== undefined));
    },
    oidc: (p) => p.spec.oidc !== undefined,
    oidcProviderBackendRefs: (p) => (p.spec.oidc?.provider?.backendRefs ?? []).length > 0,
    oidcClientIDRef: (p) => p.spec.oidc?.clientIDRef !== undefined,
    oidcClientSecret: (p) => p.spec.oidc !== undefined,
    jwtProviders: (p) => (p.spec.jwt?.providers ?? []).length > 0,
  };
  return (feature) => {
    if (feature.startsWith("contextExtension/")) {
      const name = feature.slice("contextExtension/".length);
      return ownerOf(route, parent, (p) => (p.spec.extAuth?.contextExtensions ?? []).some((e) => e.name === name));
    }
    const check = has[feature];
    return check === undefined ? route : ownerOf(route, parent, check);
  };
}
