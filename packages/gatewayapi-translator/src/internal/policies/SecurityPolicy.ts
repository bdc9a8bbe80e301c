// SecurityPolicy (upstream securitypolicy.go): CORS, CSRF, JWT, basic auth, API key auth, external auth and
// authorization for the IR routes of the targeted routes, listeners and Gateways. A route whose policy
// has errors answers 500 rather than going unprotected (unless only a fail-open ext auth is broken).
import type { SecurityPolicy } from "@egts/api";
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
import { canonicalDuration, goDurationMessage } from "./Values.js";
import { resolveSecretRef, type ResolvedSecret, type SecretObjectRef } from "./PolicyReferences.js";
import type { ListenerSet } from "@egts/api";
import type { ResourceIndex } from "../Index.js";
import type { OIDCDiscovery } from "./OIDCDiscovery.js";

// The spec is read through this loose view: the generated CRD types are deep and mostly passed through.
type J = Record<string, any>;

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
  const spec = policy.spec as J;
  const out = new Map<string, string>();
  if (spec["targetRef"] !== undefined) out.set("spec.targetRef", "spec.targetRefs");
  if (spec["extAuth"]?.grpc?.backendRef !== undefined) out.set("spec.extAuth.grpc.backendRef", "spec.extAuth.grpc.backendRefs");
  if (spec["extAuth"]?.http?.backendRef !== undefined) out.set("spec.extAuth.http.backendRef", "spec.extAuth.http.backendRefs");
  return out;
}

function validateForHTTP(spec: J): string | undefined {
  for (const source of (spec["apiKeyAuth"]?.extractFrom ?? []) as J[]) {
    const used = [source["headers"], source["params"], source["cookies"]].filter((l) => Array.isArray(l) && l.length > 0).length;
    if (used > 1) return "only one of headers, params or cookies must be specified";
  }
  const oidc = spec["oidc"] as J | undefined;
  const jwt = spec["jwt"] as J | undefined;
  if (oidc?.["passThroughAuthHeader"] === true) {
    if (jwt === undefined) return "the OIDC.PassThroughAuthHeader setting must be used in conjunction with JWT settings";
    const providers = (jwt["providers"] ?? []) as J[];
    if (!providers.some((p) => p["extractFrom"] === undefined || (p["extractFrom"]["headers"] ?? []).length > 0)) {
      return "the OIDC.PassThroughAuthHeader setting must be used in conjunction with a JWT provider that is configured to read from a header";
    }
    const forwardHeader = oidc["forwardIDToken"]?.header as string | undefined;
    if (forwardHeader !== undefined) {
      for (const p of providers) {
        if (p["extractFrom"] === undefined) {
          if (forwardHeader.toLowerCase() === "authorization") {
            return `the OIDC.ForwardIDToken header "${forwardHeader}" cannot be the Authorization header when passThroughAuthHeader is enabled and a JWT provider reads from it`;
          }
          continue;
        }
        for (const h of (p["extractFrom"]["headers"] ?? []) as J[]) {
          if (String(h["name"]).toLowerCase() === forwardHeader.toLowerCase()) {
            return `the OIDC.ForwardIDToken header "${forwardHeader}" cannot be the same as a JWT provider extractFrom header when passThroughAuthHeader is enabled`;
          }
        }
      }
    }
  }
  return undefined;
}

function validateForTCP(spec: J): string | undefined {
  if (["cors", "csrf", "jwt", "oidc", "apiKeyAuth", "basicAuth", "extAuth"].some((k) => spec[k] !== undefined)) {
    return "only authorization is supported for TCP (routes/listeners)";
  }
  const rules = (spec["authorization"]?.rules ?? []) as J[];
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i] as J;
    if (rule["cel"] !== undefined) return `rule ${i}: CEL not supported for TCP`;
    const principal = rule["principal"] as J | undefined;
    if (principal === undefined) continue;
    if (principal["jwt"] !== undefined) return `rule ${i}: JWT not supported for TCP`;
    if ((principal["headers"] ?? []).length > 0) return `rule ${i}: headers not supported for TCP`;
    if ((principal["clientIPGeoLocations"] ?? []).length > 0) return `rule ${i}: clientIPGeoLocations not supported for TCP`;
    for (const c of (principal["clientCIDRs"] ?? []) as string[]) {
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
  return (origin.includes("*") ? { safeRegex: wildcardToRegex(origin) } : { exact: origin }) as unknown as ir.StringMatch;
}

function buildCORS(cors: J): ir.CORS {
  const out: J = {};
  const origins = ((cors["allowOrigins"] ?? []) as string[]).map(originMatch);
  if (origins.length > 0) out["allowOrigins"] = origins;
  for (const k of ["allowMethods", "allowHeaders", "exposeHeaders"]) if (cors[k] !== undefined) out[k] = cors[k];
  if (cors["allowCredentials"] === true) out["allowCredentials"] = true;
  if (cors["maxAge"] !== undefined) {
    const d = canonicalDuration(String(cors["maxAge"]));
    if (d !== undefined) out["maxAge"] = d;
  }
  return out as ir.CORS;
}

function buildCSRF(csrf: J): ir.CSRF {
  const out: J = {};
  if (csrf["shadowFraction"] !== undefined) out["shadowFraction"] = csrf["shadowFraction"];
  const origins = ((csrf["additionalOrigins"] ?? []) as string[]).map((o) => {
    const cut = o.indexOf("://");
    return originMatch(cut >= 0 ? o.slice(cut + 3) : o);
  });
  if (origins.length > 0) out["additionalOrigins"] = origins;
  return out as ir.CSRF;
}

function secretRefTarget(policy: SecurityPolicy, ref: J, ctx: SecurityPolicyContext): { secret?: ResolvedSecret; error?: string } {
  const r = resolveSecretRef(ref as SecretObjectRef, { kind: "SecurityPolicy", namespace: policy.metadata.namespace ?? "" }, ctx.index);
  return typeof r === "string" ? { error: r } : { secret: r };
}

function base64Bytes(value: string): Uint8Array {
  return new Uint8Array(Buffer.from(value, "base64"));
}

function buildBasicAuth(policy: SecurityPolicy, spec: J, ctx: SecurityPolicyContext): ir.BasicAuth | string {
  const { secret, error } = secretRefTarget(policy, spec["users"] as J, ctx);
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
  const out: J = { name: configName(policy), users: new Uint8Array(Buffer.from(text, "latin1")) };
  if (spec["forwardUsernameHeader"] !== undefined) out["forwardUsernameHeader"] = spec["forwardUsernameHeader"];
  return out as ir.BasicAuth;
}

function buildAPIKeyAuth(policy: SecurityPolicy, spec: J, ctx: SecurityPolicyContext): ir.APIKeyAuth | string {
  const credentials: J[] = [];
  const seenKeys = new Set<string>();
  const seenClients = new Set<string>();
  for (const ref of (spec["credentialRefs"] ?? []) as J[]) {
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
  const out: J = {
    credentials,
    extractFrom: ((spec["extractFrom"] ?? []) as J[]).map((e) => {
      const x: J = {};
      for (const k of ["headers", "cookies", "params"]) if (e[k] !== undefined) x[k] = e[k];
      return x;
    }),
  };
  if (spec["forwardClientIDHeader"] !== undefined) out["forwardClientIDHeader"] = spec["forwardClientIDHeader"];
  if (spec["sanitize"] !== undefined) out["sanitize"] = spec["sanitize"];
  return out as ir.APIKeyAuth;
}

function buildAuthorization(policy: SecurityPolicy, spec: J): ir.Authorization | string {
  const out: J = { defaultAction: spec["defaultAction"] ?? "Deny" };
  const rules: J[] = [];
  ((spec["rules"] ?? []) as J[]).forEach((rule, i) => {
    rules.push(rule);
    void i;
  });
  const irRules: J[] = [];
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i] as J;
    const principal: J = {};
    const p = rule["principal"] as J | undefined;
    if (p !== undefined) {
      const cidrs: ir.CIDRMatch[] = [];
      for (const c of (p["clientCIDRs"] ?? []) as string[]) {
        const m = parseCIDR(c);
        if (m === undefined) return `unable to translate authorization rule: invalid CIDR address: ${c}`;
        cidrs.push(m);
      }
      if (cidrs.length > 0) principal["clientCIDRs"] = cidrs;
      for (const k of ["jwt", "headers", "clientIPGeoLocations"]) if (p[k] !== undefined) principal[k] = p[k];
    }
    const path = rule["operation"]?.path as J | undefined;
    if (path !== undefined && !["PathPrefix", "Exact", "RegularExpression", undefined].includes(path["type"])) {
      return "unable to translate authorization rule: invalid path type";
    }
    const name = typeof rule["name"] === "string" && rule["name"] !== "" ? rule["name"] : `${configName(policy)}/authorization/rule/${i}`;
    const irRule: J = { name, action: rule["action"], principal };
    if (rule["operation"] !== undefined) irRule["operation"] = rule["operation"];
    if (rule["cel"] !== undefined) irRule["cel"] = rule["cel"];
    irRules.push(irRule);
  }
  if (irRules.length > 0) out["rules"] = irRules;
  return out as ir.Authorization;
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

function validateJWTProviders(providers: ReadonlyArray<J>): string | undefined {
  const errors: string[] = [];
  const names: string[] = [];
  for (const p of providers) {
    const name = String(p["name"] ?? "");
    if (name === "") errors.push("jwt provider cannot be an empty string");
    if (typeof p["issuer"] === "string" && p["issuer"] !== "") {
      const e = validIssuer(p["issuer"]);
      if (e !== undefined) errors.push(e);
    }
    if ((p["remoteJWKS"] === undefined) === (p["localJWKS"] === undefined)) {
      errors.push(`either remoteJWKS or localJWKS must be specified for jwt provider: ${name}`);
    }
    const uri = p["remoteJWKS"]?.uri as string | undefined;
    if (p["remoteJWKS"] !== undefined) {
      if (uri === undefined || uri === "") errors.push(`uri must be set for remote JWKS provider: ${name}`);
      else if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(uri) && !uri.startsWith("/")) errors.push(`invalid remote JWKS URI: parse "${uri}": invalid URI for request`);
    }
    const local = p["localJWKS"] as J | undefined;
    if (local !== undefined) {
      if ((local["type"] ?? "Inline") === "Inline") {
        if (local["inline"] === undefined) errors.push(`inline JWKS must be set for local JWKS provider: ${name} if type is Inline`);
      } else if (local["valueRef"] === undefined) errors.push(`valueRef must be set for local JWKS provider: ${name} if type is ValueRef`);
    }
    if (errors.length === 0) {
      if (names.includes(name)) errors.push(`provider name ${name} must be unique`);
      names.push(name);
    }
    for (const c of (p["claimToHeaders"] ?? []) as J[]) {
      if (!c["header"]) errors.push(`header must be set for claimToHeader provider: ${String(c["header"] ?? "")}`);
      else if (!c["claim"]) errors.push(`claim must be set for claimToHeader provider: ${String(c["claim"] ?? "")}`);
    }
  }
  return joinErrors(errors);
}

function buildJWT(policy: SecurityPolicy, spec: J, gateway: GatewayContext, ctx: SecurityPolicyContext): ir.JWT | string {
  const providers = (spec["providers"] ?? []) as J[];
  const invalid = validateJWTProviders(providers);
  if (invalid !== undefined) return invalid;
  const out: J[] = [];
  for (let i = 0; i < providers.length; i++) {
    const p = providers[i] as J;
    const provider: J = { name: p["name"] };
    for (const k of ["issuer", "audiences", "claimToHeaders", "recomputeRoute", "extractFrom"]) if (p[k] !== undefined) provider[k] = p[k];
    const remote = p["remoteJWKS"] as J | undefined;
    if (remote !== undefined) {
      const uri = String(remote["uri"]);
      const r: J = { uri };
      if ((remote["backendRefs"] ?? []).length > 0) {
        const protocol = uri.startsWith("https") ? "HTTPS" : "HTTP";
        const dest = translateExtServiceBackendRefs(
          { kind: "SecurityPolicy", metadata: policy.metadata },
          remote["backendRefs"] as ExtServiceBackendRef[],
          protocol as ir.AppProtocol,
          gateway,
          "jwt",
          i,
          ctx,
        );
        if (typeof dest === "string") return dest;
        r["destination"] = dest;
      }
      if (remote["backendSettings"] !== undefined) {
        const traffic = translateTrafficFeatures(remote["backendSettings"]);
        if (typeof traffic === "string") return traffic;
        if (traffic !== undefined) r["traffic"] = traffic;
      }
      for (const k of ["cacheDuration", "failedRefetchDuration"]) {
        if (remote[k] === undefined) continue;
        const d = canonicalDuration(String(remote[k]));
        if (d === undefined) return goDurationMessage(remote[k]);
        r[k] = d;
      }
      provider["remoteJWKS"] = r;
    } else {
      const local = p["localJWKS"] as J;
      if ((local["type"] ?? "Inline") === "ValueRef") {
        const ns = policy.metadata.namespace ?? "";
        const cmName = String(local["valueRef"]?.name ?? "");
        const cm = ctx.index.configMap(ns, cmName);
        if (cm === undefined) return `local JWKS ConfigMap ${ns}/${cmName} not found`;
        const data = (cm.data ?? {}) as Record<string, string>;
        const value = data["jwks"] ?? Object.values(data)[0];
        if (value === undefined) return `JWKS data not found in ConfigMap jwks/${ns}, no "${cm.metadata.name}" key and no other data found`;
        provider["localJWKS"] = value;
      } else provider["localJWKS"] = local["inline"];
    }
    out.push(provider);
  }
  const jwt: J = { providers: out };
  if (spec["optional"] === true) jwt["allowMissing"] = true;
  if (spec["failOpen"] === true) jwt["allowMissingOrFailed"] = true;
  return jwt as ir.JWT;
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

function buildOIDCProvider(policy: SecurityPolicy, provider: J, gateway: GatewayContext, ctx: SecurityPolicyContext): J | string {
  const base = String(provider["tokenEndpoint"] ?? provider["issuer"] ?? "");
  const protocol = base.startsWith("https") ? "HTTPS" : "HTTP";
  let destination: ir.RouteDestination | undefined;
  if ((provider["backendRefs"] ?? []).length > 0) {
    const dest = translateExtServiceBackendRefs(
      { kind: "SecurityPolicy", metadata: policy.metadata },
      provider["backendRefs"] as ExtServiceBackendRef[],
      protocol as ir.AppProtocol,
      gateway,
      "oidc",
      0,
      ctx,
    );
    if (typeof dest === "string") return dest;
    destination = dest;
  }
  let authorizationEndpoint = (provider["authorizationEndpoint"] as string | undefined) ?? "";
  let tokenEndpoint = (provider["tokenEndpoint"] as string | undefined) ?? "";
  let endSessionEndpoint = provider["endSessionEndpoint"] as string | undefined;
  if (authorizationEndpoint === "" || tokenEndpoint === "") {
    const issuer = String(provider["issuer"] ?? "");
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
  const traffic = translateTrafficFeatures(provider["backendSettings"]);
  if (typeof traffic === "string") return traffic;
  const out: J = {};
  if (destination !== undefined) out["destination"] = destination;
  if (traffic !== undefined) out["traffic"] = traffic;
  out["authorizationEndpoint"] = authorizationEndpoint;
  out["tokenEndpoint"] = tokenEndpoint;
  if (endSessionEndpoint !== undefined && endSessionEndpoint !== "") out["endSessionEndpoint"] = endSessionEndpoint;
  return out;
}

function buildOIDC(policy: SecurityPolicy, spec: J, gateway: GatewayContext, ctx: SecurityPolicyContext, own: Owners): ir.OIDC | string {
  const provider = buildOIDCProvider(own("oidcProviderBackendRefs"), spec["provider"] as J, gateway, ctx);
  if (typeof provider === "string") return provider;
  let clientID: string;
  if (spec["clientID"] !== undefined) clientID = String(spec["clientID"]);
  else if (spec["clientIDRef"] !== undefined) {
    const { secret, error } = secretRefTarget(own("oidcClientIDRef"), spec["clientIDRef"] as J, ctx);
    if (secret === undefined) return error ?? "";
    const raw = secret.data["client-id"];
    if (raw === undefined || raw === "") return `client ID not found in secret ${secret.namespace}/${secret.name}`;
    clientID = Buffer.from(raw, "base64").toString("utf8");
  } else return `client ID must be specified in OIDC policy ${policy.metadata.namespace ?? ""}/${policy.metadata.name}`;
  const { secret, error } = secretRefTarget(own("oidcClientSecret"), spec["clientSecret"] as J, ctx);
  if (secret === undefined) return error ?? "";
  const clientSecret = secret.data["client-secret"];
  if (clientSecret === undefined || clientSecret === "") return `client secret not found in secret ${secret.namespace}/${secret.name}`;
  const scopes = [...((spec["scopes"] ?? []) as string[])];
  if (!scopes.includes("openid")) scopes.push("openid");
  let redirectURL = "%REQ(x-forwarded-proto)%://%REQ(:authority)%/oauth2/callback";
  let redirectPath = "/oauth2/callback";
  if (spec["redirectURL"] !== undefined) {
    const path = redirectPathOf(String(spec["redirectURL"]));
    if (path === undefined) return `invalid redirect URL ${String(spec["redirectURL"])}`;
    redirectURL = String(spec["redirectURL"]);
    redirectPath = path;
  }
  const controllerNs = ctx.options.controllerNamespace;
  const hmac = ctx.index.secret(controllerNs, "envoy-oidc-hmac");
  if (hmac === undefined) return `HMAC secret ${controllerNs}/envoy-oidc-hmac not found`;
  const hmacData = (hmac.data as Record<string, string> | undefined)?.["hmac-secret"];
  if (hmacData === undefined || hmacData === "") return `HMAC secret not found in secret ${controllerNs}/envoy-oidc-hmac`;
  const out: J = {
    name: configName(own("oidc")),
    provider,
    clientID,
    clientSecret: base64Bytes(clientSecret),
    scopes,
  };
  if (spec["resources"] !== undefined) out["resources"] = spec["resources"];
  Object.assign(out, {
    redirectURL,
    redirectPath,
    logoutPath: spec["logoutPath"] ?? "/logout",
    forwardAccessToken: spec["forwardAccessToken"] ?? false,
  });
  if (spec["forwardIDToken"] !== undefined) out["forwardIDTokenHeader"] = spec["forwardIDToken"]["header"];
  for (const [k, name] of [
    ["defaultTokenTTL", "defaultTokenTTL"],
    ["defaultRefreshTokenTTL", "defaultRefreshTokenTTL"],
    ["csrfTokenTTL", "csrfTokenTTL"],
  ] as const) {
    if (spec[k] === undefined) continue;
    const d = canonicalDuration(String(spec[k]));
    if (d === undefined) return `invalid ${k}: ${goDurationMessage(String(spec[k]))}`;
    out[name] = d;
  }
  out["refreshToken"] = spec["refreshToken"] ?? true;
  out["cookieSuffix"] = digest32(own("oidc").metadata.uid ?? "");
  if (spec["cookieNames"] !== undefined) out["cookieNameOverrides"] = spec["cookieNames"];
  if (spec["cookieDomain"] !== undefined) out["cookieDomain"] = spec["cookieDomain"];
  if (spec["cookieConfig"] !== undefined) out["cookieConfig"] = spec["cookieConfig"];
  out["hmacSecret"] = base64Bytes(hmacData);
  out["passThroughAuthHeader"] = spec["passThroughAuthHeader"] ?? false;
  out["disableTokenEncryption"] = spec["disableTokenEncryption"] ?? false;
  if (spec["denyRedirect"] !== undefined) out["denyRedirect"] = spec["denyRedirect"];
  return out as ir.OIDC;
}

function contextExtensionValue(policy: SecurityPolicy, ref: J | undefined, ctx: SecurityPolicyContext): Uint8Array | string {
  if (ref === undefined) return "unexpected nil reference";
  const ns = policy.metadata.namespace ?? "";
  const name = String(ref["name"]);
  const key = String(ref["key"]);
  if (ref["kind"] === "ConfigMap") {
    const cm = ctx.index.configMap(ns, name);
    if (cm === undefined) return `can't find the referenced configmap "${name}" in namespace "${ns}"`;
    const v = (cm.data as Record<string, string> | undefined)?.[key];
    if (v === undefined) return `can't find the key "${key}" in the referenced configmap "${name}"`;
    return new Uint8Array(Buffer.from(v));
  }
  if (ref["kind"] === "Secret") {
    const secret = ctx.index.secret(ns, name);
    if (secret === undefined) return `can't find the referenced secret "${name}" in namespace "${ns}"`;
    const v = (secret.data as Record<string, string> | undefined)?.[key];
    if (v === undefined) return `can't find the key "${key}" in the referenced secret "${name}"`;
    // Secret data is base64 already; upstream decodes it once more.
    const decoded = Buffer.from(v, "base64").toString("latin1");
    return new Uint8Array(Buffer.from(decoded, "base64"));
  }
  return `unexpected reference to kind "${String(ref["kind"])}"`;
}

function buildExtAuth(policy: SecurityPolicy, spec: J, gateway: GatewayContext, ctx: SecurityPolicyContext, own: Owners): ir.ExtAuth | string {
  const http = spec["http"] as J | undefined;
  const grpc = spec["grpc"] as J | undefined;
  if (http === undefined && grpc === undefined) return "one of grpc or http must be specified";
  if (http !== undefined && grpc !== undefined) return "only one of grpc or http can be specified";
  const service = (http ?? grpc) as J;
  const protocol = http !== undefined ? "HTTP" : "GRPC";
  let refs: ExtServiceBackendRef[];
  if ((service["backendRefs"] ?? []).length > 0) refs = service["backendRefs"];
  else if (service["backendRef"] !== undefined) refs = [service["backendRef"]];
  else return `${http !== undefined ? "http" : "grpc"} backend refs must be specified`;
  const refsOwner = own("extAuthBackendRefs");
  const dest = translateExtServiceBackendRefs(
    { kind: "SecurityPolicy", metadata: refsOwner.metadata },
    refs,
    protocol as ir.AppProtocol,
    gateway,
    "extauth",
    0,
    ctx,
  );
  if (typeof dest === "string") return dest;
  const authority = refs.length > 0 ? backendRefAuthority(refs[0] as ExtServiceBackendRef, refsOwner.metadata.namespace ?? "", ctx.index) : "";
  const traffic = translateTrafficFeatures(service["backendSettings"]);
  if (typeof traffic === "string") return traffic;
  const contextExtensions: J[] = [];
  for (const ext of (spec["contextExtensions"] ?? []) as J[]) {
    let value: Uint8Array | undefined;
    if (ext["type"] === "ValueRef") {
      const v = contextExtensionValue(own(`contextExtension/${String(ext["name"])}`), ext["valueRef"], ctx);
      if (typeof v === "string") return v;
      value = v;
    } else if (ext["value"] !== undefined) value = new Uint8Array(Buffer.from(String(ext["value"])));
    contextExtensions.push(value !== undefined ? { name: ext["name"], value } : { name: ext["name"] });
  }
  const out: J = { name: configName(own("extAuth")) };
  if (spec["headersToExtAuth"] !== undefined) out["headersToExtAuth"] = spec["headersToExtAuth"];
  if (contextExtensions.length > 0) out["contextExtensions"] = contextExtensions;
  if (spec["failOpen"] !== undefined) out["failOpen"] = spec["failOpen"];
  if (traffic !== undefined) out["traffic"] = traffic;
  for (const k of ["recomputeRoute", "includeRouteMetadata", "statusOnError"]) if (spec[k] !== undefined) out[k] = spec[k];
  if (spec["timeout"] !== undefined) {
    const d = canonicalDuration(String(spec["timeout"]));
    if (d !== undefined) out["timeout"] = d;
  }
  if (http !== undefined) {
    const h: J = { destination: dest, authority, path: http["path"] ?? "" };
    if (http["pathOverride"] !== undefined) h["pathOverride"] = http["pathOverride"];
    if (http["headersToBackend"] !== undefined) h["headersToBackend"] = http["headersToBackend"];
    out["http"] = h;
  } else out["grpc"] = { destination: dest, authority };
  if (spec["bodyToExtAuth"] !== undefined) out["bodyToExtAuth"] = { maxRequestBytes: spec["bodyToExtAuth"]["maxRequestBytes"] };
  return out as ir.ExtAuth;
}

/** The features of a policy that do not depend on the Gateway, with their error texts. */
interface CommonFeatures {
  readonly features: J;
  readonly errors: string[];
}

function buildCommon(policy: SecurityPolicy, ctx: SecurityPolicyContext, prefixAuthorization: boolean, own: Owners): CommonFeatures {
  const spec = policy.spec as J;
  const features: J = {};
  const errors: string[] = [];
  if (spec["cors"] !== undefined) features["cors"] = buildCORS(spec["cors"]);
  if (spec["csrf"] !== undefined) features["csrf"] = buildCSRF(spec["csrf"]);
  if (spec["basicAuth"] !== undefined) {
    const r = buildBasicAuth(own("basicAuth"), spec["basicAuth"], ctx);
    if (typeof r === "string") errors.push(`BasicAuth: ${r}`);
    else features["basicAuth"] = r;
  }
  if (spec["apiKeyAuth"] !== undefined) {
    const r = buildAPIKeyAuth(own("apiKeyAuthCredentialRefs"), spec["apiKeyAuth"], ctx);
    if (typeof r === "string") errors.push(`APIKeyAuth: ${r}`);
    else features["apiKeyAuth"] = r;
  }
  if (spec["authorization"] !== undefined) {
    const r = buildAuthorization(own("authorizationRules"), spec["authorization"]);
    if (typeof r === "string") errors.push(prefixAuthorization ? `Authorization: ${r}` : r);
    else features["authorization"] = r;
  }
  return { features, errors };
}

function usesGeoLocations(authorization: J | undefined): boolean {
  return ((authorization?.["rules"] ?? []) as J[]).some((r) => (r["principal"]?.clientIPGeoLocations ?? []).length > 0);
}

/**
 * Checks that geolocation rules can work on a listener (one client IP detection mode, no trusted CIDRs, the
 * MaxMind databases the rules need) and returns the listener's GeoIP provider, or the error text.
 */
function geoIPProviderFor(authorization: J, gateway: GatewayContext, detection: J | undefined): J | string {
  if (detection === undefined) return "authorization clientIPGeoLocations requires ClientTrafficPolicy.spec.clientIPDetection to be configured";
  const modes = ["xForwardedFor", "customHeader", "directSourceIP"].filter((k) => detection[k] !== undefined).length;
  if (modes !== 1)
    return "authorization clientIPGeoLocations requires exactly one of ClientTrafficPolicy.spec.clientIPDetection.{xForwardedFor,customHeader,directSourceIP}";
  if ((detection["xForwardedFor"]?.trustedCIDRs ?? []).length > 0) {
    return "authorization clientIPGeoLocations does not support ClientIPDetection.XForwardedFor.TrustedCIDRs";
  }
  const geoIP = (gateway.envoyProxy?.spec as J | undefined)?.["geoIP"] as J | undefined;
  const maxMindSpec = geoIP?.["provider"]?.maxMind as J | undefined;
  if (geoIP !== undefined && geoIP["provider"]?.type !== "MaxMind") return `unsupported geoIP provider type "${String(geoIP["provider"]?.type ?? "")}"`;
  if (geoIP !== undefined && maxMindSpec === undefined) return "geoIP provider MaxMind is missing maxMind configuration";
  if (maxMindSpec === undefined) return "authorization clientIPGeoLocations requires EnvoyProxy.spec.geoIP.provider to be configured";
  const maxMind: J = {};
  const paths: ReadonlyArray<readonly [string, string]> = [
    ["cityDbSource", "cityDbPath"],
    ["countryDbSource", "countryDbPath"],
    ["asnDbSource", "asnDbPath"],
    ["ispDbSource", "ispDbPath"],
    ["anonymousIpDbSource", "anonymousIpDbPath"],
  ];
  for (const [source, path] of paths) if (maxMindSpec[source] !== undefined) maxMind[path] = maxMindSpec[source]["local"]?.path;
  const need = (field: string): boolean =>
    ((authorization["rules"] ?? []) as J[]).some((r) => ((r["principal"]?.clientIPGeoLocations ?? []) as J[]).some((g) => g[field] !== undefined));
  if (need("country") && maxMind["countryDbPath"] === undefined && maxMind["cityDbPath"] === undefined) {
    return "authorization clientIPGeoLocations.country requires EnvoyProxy.spec.geoIP.provider.maxMind.countryDbSource or cityDbSource";
  }
  if (need("region") && maxMind["cityDbPath"] === undefined)
    return "authorization clientIPGeoLocations.region requires EnvoyProxy.spec.geoIP.provider.maxMind.cityDbSource";
  if (need("city") && maxMind["cityDbPath"] === undefined)
    return "authorization clientIPGeoLocations.city requires EnvoyProxy.spec.geoIP.provider.maxMind.cityDbSource";
  if (need("asn") && maxMind["asnDbPath"] === undefined)
    return "authorization clientIPGeoLocations.asn requires EnvoyProxy.spec.geoIP.provider.maxMind.asnDbSource";
  if (need("isp") && maxMind["ispDbPath"] === undefined)
    return "authorization clientIPGeoLocations.isp requires EnvoyProxy.spec.geoIP.provider.maxMind.ispDbSource";
  if (need("anonymous") && maxMind["anonymousIpDbPath"] === undefined) {
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
  const spec = policy.spec as J;
  const { features, errors } = buildCommon(policy, ctx, true, own);
  let nonExtAuthError = errors.length > 0;
  const prefix = irRoutePrefix(route);
  for (const parent of route.parentContexts) {
    const gateway = parent.listeners[0]?.gateway;
    if (gateway === undefined) continue;
    if (listener !== undefined && listener.gateway !== gateway) continue;
    const perGateway: J = { ...features };
    let extAuthError = false;
    if (spec["extAuth"] !== undefined) {
      const r = buildExtAuth(policy, spec["extAuth"], gateway, ctx, own);
      if (typeof r === "string") {
        errors.push(`ExtAuth: ${r}`);
        extAuthError = true;
      } else perGateway["extAuth"] = r;
    }
    if (spec["oidc"] !== undefined) {
      const r = buildOIDC(policy, spec["oidc"], gateway, ctx, own);
      if (typeof r === "string") {
        errors.push(`OIDC: ${r}`);
        nonExtAuthError = true;
      } else perGateway["oidc"] = r;
    }
    if (spec["jwt"] !== undefined) {
      const r = buildJWT(own("jwtProviders"), spec["jwt"], gateway, ctx);
      if (typeof r === "string") {
        errors.push(`JWT: ${r}`);
        nonExtAuthError = true;
      } else perGateway["jwt"] = r;
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
          if (security["authorization"] !== undefined) r.authorization = { ...security["authorization"] };
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
        r.security = security as ir.SecurityFeatures;
        if (!geoChecked && security["authorization"] !== undefined && usesGeoLocations(security["authorization"])) {
          geoChecked = true;
          const provider = geoIPProviderFor(security["authorization"], gateway, http.clientIPDetection as J | undefined);
          if (typeof provider === "string") {
            errors.push(`Authorization: ${provider}`);
            geoError = true;
            listenerNonExtAuthError = true;
          } else http.geoIPProvider = provider as ir.HTTPListener["geoIPProvider"] & object;
        }
        if (geoError || hasErrors) {
          const failOpen = extAuthError && !listenerNonExtAuthError && spec["extAuth"]?.failOpen === true;
          if (!failOpen) r.directResponse = directResponse500();
        }
      }
    }
  }
  return joinErrors(errors);
}

/** Upstream's SecurityFeatures field order, so the IR prints the same way. */
function orderedFeatures(f: J): J {
  const out: J = {};
  for (const k of ["cors", "csrf", "jwt", "oidc", "apiKeyAuth", "basicAuth", "extAuth", "authorization"]) if (f[k] !== undefined) out[k] = f[k];
  return out;
}

function translateForListeners(
  policy: SecurityPolicy,
  gateway: GatewayContext,
  listeners: ReadonlyArray<ListenerContext>,
  ctx: SecurityPolicyContext,
): string | undefined {
  const spec = policy.spec as J;
  const features: J = {};
  const errors: string[] = [];
  if (spec["cors"] !== undefined) features["cors"] = buildCORS(spec["cors"]);
  if (spec["csrf"] !== undefined) features["csrf"] = buildCSRF(spec["csrf"]);
  if (spec["jwt"] !== undefined) {
    const r = buildJWT(policy, spec["jwt"], gateway, ctx);
    if (typeof r === "string") errors.push(`JWT: ${r}`);
    else features["jwt"] = r;
  }
  if (spec["oidc"] !== undefined) {
    const r = buildOIDC(policy, spec["oidc"], gateway, ctx, () => policy);
    if (typeof r === "string") errors.push(`OIDC: ${r}`);
    else features["oidc"] = r;
  }
  const common = buildCommon(policy, ctx, false, () => policy);
  Object.assign(features, common.features);
  errors.push(...common.errors);
  const nonExtAuthError = errors.length > 0;
  let extAuthError = false;
  if (spec["extAuth"] !== undefined) {
    const r = buildExtAuth(policy, spec["extAuth"], gateway, ctx, () => policy);
    if (typeof r === "string") {
      errors.push(`ExtAuth: ${r}`);
      extAuthError = true;
    } else features["extAuth"] = r;
  }
  const security = orderedFeatures(features);
  const names = new Set(listeners.map(irListenerName));
  const x = ctx.xdsIR.get(gateway.irKey);
  const failOpen = extAuthError && !nonExtAuthError && spec["extAuth"]?.failOpen === true;
  const hasErrors = errors.length > 0 && !failOpen;
  for (const h of (x?.http ?? []) as Array<Mutable<ir.HTTPListener>>) {
    if (!names.has(h.name)) continue;
    let errorResponse = hasErrors;
    if (security["authorization"] !== undefined && usesGeoLocations(security["authorization"])) {
      const provider = geoIPProviderFor(security["authorization"], gateway, h.clientIPDetection as J | undefined);
      if (typeof provider === "string") {
        errors.push(`Authorization: ${provider}`);
        errorResponse = true;
      } else h.geoIPProvider = provider as ir.HTTPListener["geoIPProvider"] & object;
    }
    for (const r of (h.routes ?? []) as Array<Mutable<ir.HTTPRoute>>) {
      if (r.security !== undefined) continue;
      r.security = security as ir.SecurityFeatures;
      if (errorResponse) r.directResponse = directResponse500();
    }
  }
  if (security["authorization"] !== undefined) {
    for (const t of x?.tcp ?? []) {
      if (!names.has(t.name)) continue;
      for (const r of (t.routes ?? []) as Array<Mutable<ir.TCPRoute>>) {
        if (r.authorization === undefined) r.authorization = security["authorization"];
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
    validateForRoute: (policy, route) => (route.kind === "TCPRoute" ? validateForTCP(policy.spec as J) : validateForHTTP(policy.spec as J)),
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
  const spec = (p: SecurityPolicy): J => p.spec as J;
  const has: Record<string, (p: SecurityPolicy) => boolean> = {
    basicAuth: (p) => spec(p)["basicAuth"] !== undefined,
    apiKeyAuthCredentialRefs: (p) => (spec(p)["apiKeyAuth"]?.credentialRefs ?? []).length > 0,
    authorizationRules: (p) => (spec(p)["authorization"]?.rules ?? []).length > 0,
    extAuth: (p) => spec(p)["extAuth"] !== undefined,
    extAuthBackendRefs: (p) => {
      const ea = spec(p)["extAuth"] as J | undefined;
      return [ea?.["http"], ea?.["grpc"]].some((s) => s !== undefined && ((s["backendRefs"] ?? []).length > 0 || s["backendRef"] !== undefined));
    },
    oidc: (p) => spec(p)["oidc"] !== undefined,
    oidcProviderBackendRefs: (p) => (spec(p)["oidc"]?.provider?.backendRefs ?? []).length > 0,
    oidcClientIDRef: (p) => spec(p)["oidc"]?.clientIDRef !== undefined,
    oidcClientSecret: (p) => spec(p)["oidc"] !== undefined,
    jwtProviders: (p) => (spec(p)["jwt"]?.providers ?? []).length > 0,
  };
  return (feature) => {
    if (feature.startsWith("contextExtension/")) {
      const name = feature.slice("contextExtension/".length);
      return ownerOf(route, parent, (p) => ((spec(p)["extAuth"]?.contextExtensions ?? []) as J[]).some((e) => e["name"] === name));
    }
    const check = has[feature];
    return check === undefined ? route : ownerOf(route, parent, check);
  };
}
