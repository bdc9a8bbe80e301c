import type { RetryPolicy } from "@egts/envoy-api/generated/envoy/config/core/v3/base";
import { ApiVersion } from "@egts/envoy-api/generated/envoy/config/core/v3/config_source";
import { ExtAuthz, ExtAuthzPerRoute } from "@egts/envoy-api/generated/envoy/extensions/filters/http/ext_authz/v3/ext_authz";
import type { ExtAuth, HTTPExtAuthService, HTTPRoute, Retry } from "@egts/ir";
import type { TranslationContext } from "../Context.js";
import { anyOfUnchecked, duration, msg, seconds } from "../Proto.js";
import { buildTlsCertSecret } from "../Tls.js";
import { addExtServiceCluster, enableFilterOnRoute, hcmHasFilter, httpFilter, perRouteFilterName } from "./common.js";
import type { HttpFilterModule } from "./HttpFilter.js";

type ExtAuthzP = Parameters<typeof ExtAuthz.fromPartial>[0];

const RETRY_DEFAULT_ON = "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes";

const filterName = (e: ExtAuth) => perRouteFilterName("envoy.filters.http.ext_authz", e.name);
const extAuthOf = (r: HTTPRoute): ExtAuth | undefined => r.security?.extAuth;

/** A retry policy for calls Envoy makes on its own (ext_authz, ext_proc, OIDC token requests). */
export function buildNonRouteRetryPolicy(rr: Retry): RetryPolicy {
  const bo = rr.perRetry?.backOff;
  return msgRetry({
    retryOn: (rr.retryOn?.triggers?.length ?? 0) > 0 ? (rr.retryOn?.triggers ?? []).join(",") : RETRY_DEFAULT_ON,
    ...(bo !== undefined ? { retryBackOff: { baseInterval: duration(bo.baseInterval ?? "0s"), maxInterval: duration(bo.maxInterval ?? "0s") } } : {}),
    ...(rr.numRetries !== undefined ? { numRetries: rr.numRetries } : {}),
  });
}

import { RetryPolicy as RetryPolicyCodec } from "@egts/envoy-api/generated/envoy/config/core/v3/base";
const msgRetry = (p: Parameters<typeof RetryPolicyCodec.fromPartial>[0]) => msg(RetryPolicyCodec, p);

const exactIgnoreCase = (h: string) => ({ matchPattern: { $case: "exact" as const, value: h }, ignoreCase: true });

function httpService(http: HTTPExtAuthService, timeout: ReturnType<typeof seconds>) {
  const path = http.pathOverride !== undefined && http.pathOverride !== "" ? http.pathOverride : http.path;
  const uri = `http://${http.authority}${path === "" || path.startsWith("/") ? path : `/${path}`}`;
  const headers = (http.headersToBackend ?? []).map(exactIgnoreCase);
  return {
    pathPrefix: http.path,
    pathOverride: http.pathOverride ?? "",
    serverUri: { uri, httpUpstreamType: { $case: "cluster" as const, value: http.destination.name }, timeout },
    ...(headers.length > 0 ? { authorizationResponse: { allowedUpstreamHeaders: { patterns: headers } } } : {}),
  };
}

function extAuthConfig(e: ExtAuth): ExtAuthzP {
  const c: ExtAuthzP = { transportApiVersion: ApiVersion.V3 };
  if (e.failOpen !== undefined) c.failureModeAllow = e.failOpen;
  if (e.recomputeRoute !== undefined) c.clearRouteCache = e.recomputeRoute;
  if (e.includeRouteMetadata === true) c.routeMetadataContextNamespaces = ["envoy-gateway"];
  if (e.bodyToExtAuth !== undefined) c.withRequestBody = { maxRequestBytes: e.bodyToExtAuth.maxRequestBytes };
  const headers = (e.headersToExtAuth ?? []).map(exactIgnoreCase);
  if (headers.length > 0) c.allowedHeaders = { patterns: headers };
  const timeout = e.timeout !== undefined ? duration(e.timeout) : seconds(10);
  const retry = e.traffic?.retry !== undefined ? buildNonRouteRetryPolicy(e.traffic.retry) : undefined;
  if (e.http !== undefined) {
    c.services = { $case: "httpService", value: { ...httpService(e.http, timeout), ...(retry !== undefined ? { retryPolicy: retry } : {}) } };
  } else if (e.grpc !== undefined) {
    c.services = {
      $case: "grpcService",
      value: {
        targetSpecifier: { $case: "envoyGrpc", value: { clusterName: e.grpc.destination.name, authority: e.grpc.authority } },
        timeout,
        ...(retry !== undefined ? { retryPolicy: retry } : {}),
      },
    };
  }
  if (e.statusOnError !== undefined) c.statusOnError = { code: e.statusOnError };
  return c;
}

/** External authorization: one disabled ext_authz filter per policy, enabled per route. */
export const extAuthFilter: HttpFilterModule = {
  name: "ext_authz",
  patchHcm(hcm, l) {
    for (const r of l.routes ?? []) {
      const e = extAuthOf(r);
      if (e === undefined || hcmHasFilter(hcm, filterName(e))) continue;
      hcm.httpFilters.push(httpFilter(filterName(e), anyOfUnchecked(ExtAuthz, extAuthConfig(e)), true));
    }
  },
  patchRoute(route, r) {
    const e = extAuthOf(r);
    if (e === undefined) return;
    const contextExtensions: Record<string, string> = {};
    // A value the input left out is empty, as upstream's nil bytes are.
    for (const x of e.contextExtensions ?? []) contextExtensions[x.name] = x.value === undefined ? "" : Buffer.from(x.value).toString();
    enableFilterOnRoute(route, filterName(e), anyOfUnchecked(ExtAuthzPerRoute, { override: { $case: "checkSettings", value: { contextExtensions } } }));
  },
  patchesResourcesFor: (r) => extAuthOf(r) !== undefined,
  patchResources(routes, ctx: TranslationContext) {
    for (const r of routes) {
      const e = extAuthOf(r);
      if (e === undefined) continue;
      const d = e.http?.destination ?? e.grpc?.destination;
      if (d === undefined) continue;
      addExtServiceCluster(ctx, d, e.traffic);
      for (const s of d.settings ?? []) {
        for (const c of s.tls?.clientCertificates ?? []) {
          const secret = buildTlsCertSecret(c);
          if (secret !== undefined) ctx.table.addSecretOnce(secret);
        }
      }
    }
  },
};
