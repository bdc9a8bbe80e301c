import { type Any, unpackAnyAs } from "@egts/envoy-api";
import { JwtAuthentication, JwtProvider, JwtRequirement, PerRouteConfig } from "@egts/envoy-api/generated/envoy/extensions/filters/http/jwt_authn/v3/config";
import type { HTTPRoute, JWT, JWTProvider } from "@egts/ir";
import { protoHash } from "../DeterministicHash.js";
import { sameValue } from "../SameValue.js";
import { anyOf, anyOfMessage, duration, msg, seconds } from "../Proto.js";
import { buildTlsCertSecret } from "../Tls.js";
import type { HttpFilter } from "@egts/envoy-api/generated/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager";
import { addClusterFromUrl, addExtServiceCluster, httpFilter, urlCluster } from "./common.js";
import { buildNonRouteRetryPolicy } from "./ExtAuth.js";
import type { HttpFilterModule } from "./HttpFilter.js";
import type { TranslationContext } from "../Context.js";

const NAME = "envoy.filters.http.jwt_authn";
const MAX_NAME = 256;

const jwtOf = (r: HTTPRoute): JWT | undefined => ((r.security?.jwt?.providers?.length ?? 0) > 0 ? r.security?.jwt : undefined);

function boundedName(prefix: string, hash: string): string {
  const suffix = `_${hash}`;
  const max = MAX_NAME - suffix.length;
  return (prefix.length > max ? prefix.slice(0, max) : prefix) + suffix;
}

const hashOf = <T>(type: { $type: string; encode(m: T): { finish(): Uint8Array } }, m: T) => protoHash(type.$type, type.encode(m).finish());

function buildProvider(p: JWTProvider): JwtProvider {
  const out: Parameters<typeof JwtProvider.fromPartial>[0] = {
    issuer: p.issuer ?? "",
    audiences: [...(p.audiences ?? [])],
    payloadInMetadata: p.name,
    claimToHeaders: (p.claimToHeaders ?? []).map((c) => ({ headerName: c.header, claimName: c.claim })),
    forward: true,
    normalizePayloadInMetadata: { spaceDelimitedClaims: ["scope", "scp"] },
  };
  if (p.localJWKS !== undefined) {
    out.jwksSourceSpecifier = { $case: "localJwks", value: { specifier: { $case: "inlineString", value: p.localJWKS } } };
  } else {
    const jwks = p.remoteJWKS;
    if (jwks === undefined) throw new Error(`jwt provider ${p.name} has neither local nor remote JWKS`);
    const cluster = jwks.destination !== undefined && (jwks.destination.settings?.length ?? 0) > 0 ? jwks.destination.name : urlCluster(jwks.uri).name;
    const rt = jwks.traffic?.timeout?.http?.requestTimeout;
    out.jwksSourceSpecifier = {
      $case: "remoteJwks",
      value: {
        httpUri: { uri: jwks.uri, httpUpstreamType: { $case: "cluster", value: cluster }, timeout: rt !== undefined ? duration(rt) : seconds(10) },
        asyncFetch: jwks.failedRefetchDuration !== undefined ? { failedRefetchDuration: duration(jwks.failedRefetchDuration) } : {},
        ...(jwks.cacheDuration !== undefined ? { cacheDuration: duration(jwks.cacheDuration) } : {}),
        ...(jwks.traffic?.retry !== undefined ? { retryPolicy: buildNonRouteRetryPolicy(jwks.traffic.retry) } : {}),
      },
    };
  }
  if (p.recomputeRoute !== undefined) out.clearRouteCache = p.recomputeRoute;
  if (p.extractFrom !== undefined) {
    out.fromHeaders = (p.extractFrom.headers ?? []).map((h) => ({ name: h.name, valuePrefix: h.valuePrefix ?? "" }));
    out.fromCookies = [...(p.extractFrom.cookies ?? [])];
    out.fromParams = [...(p.extractFrom.params ?? [])];
  }
  return msg(JwtProvider, out);
}

interface Requirements {
  readonly providers: ReadonlyMap<string, JwtProvider>;
  readonly requirement: JwtRequirement;
  readonly requirementName: string;
  /** The per-route config naming the requirement, packed on first use (every route of the JWT object shares it). */
  perRoute?: Any;
}

/** `buildRequirements` once per JWT object (the HCM and every route using it need it; hashing dominates). */
function requirementsOf(jwt: JWT, ctx: TranslationContext): Requirements {
  let built = ctx.caches.jwt.get(jwt) as Requirements | undefined;
  if (built === undefined) {
    built = buildRequirements(jwt);
    ctx.caches.jwt.set(jwt, built);
  }
  return built;
}

/** Providers (keyed by name + content hash) and the requirement (any provider, or allowed missing/failed). */
function buildRequirements(jwt: JWT): Requirements {
  const providers = new Map<string, JwtProvider>();
  const reqs: JwtRequirement[] = [];
  for (const p of jwt.providers ?? []) {
    const provider = buildProvider(p);
    const key = boundedName(p.name, hashOf(JwtProvider, provider));
    providers.set(key, provider);
    reqs.push(msg(JwtRequirement, { requiresType: { $case: "providerName", value: key } }));
  }
  if (jwt.allowMissingOrFailed === true) reqs.push(msg(JwtRequirement, { requiresType: { $case: "allowMissingOrFailed", value: {} } }));
  else if (jwt.allowMissing === true) reqs.push(msg(JwtRequirement, { requiresType: { $case: "allowMissing", value: {} } }));
  const requirement =
    reqs.length === 1 ? (reqs[0] as JwtRequirement) : msg(JwtRequirement, { requiresType: { $case: "requiresAny", value: { requirements: reqs } } });
  const names = (jwt.providers ?? []).map((p) => p.name);
  if (jwt.allowMissingOrFailed === true) names.push("missing-or-failed");
  else if (jwt.allowMissing === true) names.push("missing");
  return { providers, requirement, requirementName: boundedName(names.join("-or-"), hashOf(JwtRequirement, requirement)) };
}

/**
 * Whether two requirements add the same entries to a jwt_authn config: the same object, or (a route rebuilt
 * from an equal JWT object, as a route edit gives) equal names and messages in the same order.
 */
function sameRequirements(a: Requirements, b: Requirements): boolean {
  if (a === b) return true;
  if (a.requirementName !== b.requirementName || a.providers.size !== b.providers.size || !sameValue(a.requirement, b.requirement)) return false;
  const other = b.providers.entries();
  for (const [name, provider] of a.providers) {
    const next = other.next();
    if (next.done === true || next.value[0] !== name || !sameValue(provider, next.value[1])) return false;
  }
  return true;
}

/** JWT authentication: one jwt_authn filter per HCM holding every provider, a requirement per route. */
export const jwtFilter: HttpFilterModule = {
  name: "jwt_authn",
  patchHcm(hcm, l, ctx) {
    const requirements: Requirements[] = [];
    for (const r of l.routes ?? []) {
      const jwt = jwtOf(r);
      if (jwt !== undefined) requirements.push(requirementsOf(jwt, ctx));
    }
    if (requirements.length === 0) return;
    const index = hcm.httpFilters.findIndex((f) => f.name === NAME);
    const existing = index >= 0 ? hcm.httpFilters[index] : undefined;
    // The filter of an HCM's first listener is a function of its routes' requirements (each built once per JWT
    // object): it is kept per listener name (for a memoising translator's next call) and as the latest built
    // (listeners sharing routes, like a Gateway's HTTP and HTTPS ones, have the same requirements).
    const memo = existing === undefined ? ctx.caches.hcmFilters : undefined;
    type Known = { requirements: Requirements[]; filter: HttpFilter };
    const same = (known: Known | undefined): known is Known =>
      known !== undefined &&
      known.requirements.length === requirements.length &&
      known.requirements.every((r, i) => sameRequirements(r, requirements[i] as Requirements));
    const mine = memo?.get(`${NAME}\n${l.name}`) as Known | undefined;
    const latest = memo?.get(`${NAME}\n`) as Known | undefined;
    const known = same(mine) ? mine : same(latest) ? latest : undefined;
    let filter: HttpFilter;
    if (known !== undefined) {
      filter = known.filter;
    } else {
      const authn = existing?.configType?.$case === "typedConfig" ? unpackAnyAs(JwtAuthentication, existing.configType.value) : msg(JwtAuthentication, {});
      for (const { providers, requirement, requirementName } of requirements) {
        for (const [k, v] of providers) authn.providers[k] = v;
        authn.requirementMap[requirementName] = requirement;
      }
      filter = httpFilter(NAME, anyOfMessage(JwtAuthentication, authn));
    }
    // Kept with this call's requirements, so the next call finds them identical.
    const identical = known !== undefined && known.requirements.every((r, i) => r === requirements[i]);
    if (memo !== undefined && (known === undefined || known !== mine || !identical)) {
      const entry = identical ? known : { requirements, filter };
      memo.set(`${NAME}\n${l.name}`, entry);
      memo.set(`${NAME}\n`, entry);
    }
    if (index >= 0) hcm.httpFilters[index] = filter;
    else hcm.httpFilters.unshift(filter);
  },
  patchRoute(route, r, _l, ctx) {
    if (NAME in route.typedPerFilterConfig) return;
    const jwt = jwtOf(r);
    if (jwt === undefined) return;
    const requirements = requirementsOf(jwt, ctx);
    requirements.perRoute ??= anyOf(PerRouteConfig, { requirementSpecifier: { $case: "requirementName", value: requirements.requirementName } });
    route.typedPerFilterConfig[NAME] = requirements.perRoute;
  },
  patchesResourcesFor: (r) => jwtOf(r)?.providers?.some((p) => p.remoteJWKS !== undefined) === true,
  patchResources(routes, ctx) {
    for (const r of routes) {
      const jwt = jwtOf(r);
      if (jwt === undefined) continue;
      for (const p of jwt.providers ?? []) {
        const jwks = p.remoteJWKS;
        if (jwks === undefined) continue;
        if (jwks.destination !== undefined && (jwks.destination.settings?.length ?? 0) > 0) {
          addExtServiceCluster(ctx, jwks.destination, jwks.traffic);
          for (const s of jwks.destination.settings ?? []) {
            for (const c of s.tls?.clientCertificates ?? []) {
              const secret = buildTlsCertSecret(c);
              if (secret !== undefined) ctx.table.addSecretOnce(secret);
            }
          }
        } else {
          addClusterFromUrl(ctx, jwks.uri, jwks.traffic);
        }
      }
    }
  },
};
