import type { Route as RouteMsg } from "@egts/envoy-api/generated/envoy/config/route/v3/route_components";
import {
  RedirectAction_RedirectResponseCode,
  Route,
  RouteAction_ClusterNotFoundResponseCode,
  type RouteMatch,
} from "@egts/envoy-api/generated/envoy/config/route/v3/route_components";
import { PreviousHostsPredicate } from "@egts/envoy-api/generated/envoy/extensions/retry/host/previous_hosts/v3/previous_hosts";
import { PreviousPrioritiesConfig } from "@egts/envoy-api/generated/envoy/extensions/retry/priority/previous_priorities/v3/previous_priorities_config";
import type { BackendCluster, HTTPListener, HTTPRoute, MirrorPolicy, RouteDestination, StringMatch, TrafficFeatures, TriggerEnum } from "@egts/ir";
import { fractionFromFloat32, fractionFromFraction, fractionFromFractionOrZero, fractionFromPercent } from "./FractionalPercent.js";
import { buildAddedHeaders, buildStringMatcher } from "./Matchers.js";
import { buildXdsMetadata } from "./Metadata.js";
import { anyOf, duration, durationFromNanos, msg, nanosOf, quoteMeta } from "./Proto.js";
import { buildConsistentHashPolicy } from "./RouteHash.js";
import { buildTracingTags } from "./Tracing.js";

type RouteP = Parameters<typeof Route.fromPartial>[0];
type RouteActionP = Extract<NonNullable<RouteP["action"]>, { $case: "route" }>["value"] & object;
type MatchP = Parameters<typeof RouteMatch.fromPartial>[0];

const RETRY_DEFAULT_ON = "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes";

/** Backend weights of a destination: valid, invalid and without endpoints (upstream's BackendWeights). */
export function backendWeights(d: RouteDestination): { valid: number; invalid: number; noEndpoints: number } {
  const w = { valid: 0, invalid: 0, noEndpoints: 0 };
  for (const s of d.settings ?? []) {
    if (s.weight === undefined) continue;
    if (s.invalid === true) w.invalid += s.weight;
    else if (s.isDynamicResolver === true || s.isCustomBackend === true || (s.endpoints?.length ?? 0) > 0) w.valid += s.weight;
    else w.noEndpoints += s.weight;
  }
  return w;
}

/** Whether a destination needs one cluster per setting (mixed address types, filters, zones, protocols, SNI). */
export function destinationNeedsClusterPerSetting(d: RouteDestination): boolean {
  // One pass without allocating: this runs for every route (twice) on the translation's hot path.
  const settings = d.settings ?? [];
  let fqdn = false;
  let otherType = false;
  let forceHttp1 = false;
  let http2 = false;
  let autoSni = 0;
  for (const s of settings) {
    const type = s.addressType;
    if (type === "Mixed" || s.filters !== undefined) return true;
    if (type === "FQDN") fqdn = true;
    else if (type !== undefined) otherType = true;
    if (settings.length > 1 && s.preferLocal !== undefined) return true;
    if (s.forceHTTP1Upstream === true) forceHttp1 = true;
    if (s.protocol === "HTTP2" || s.protocol === "GRPC") http2 = true;
    if (s.tls?.autoSNIFromEndpointHostname === true) autoSni++;
  }
  return (fqdn && otherType) || (forceHttp1 && http2) || (autoSni > 0 && autoSni !== settings.length);
}

/** Upstream's HTTPRoute.NeedsClusterPerSetting. */
export function routeNeedsClusterPerSetting(r: HTTPRoute): boolean {
  const lb = r.traffic?.loadBalancer;
  if (lb !== undefined && (lb.preferLocal !== undefined || (lb.weightedZones?.length ?? 0) > 0)) return true;
  if (r.destination === undefined) return false;
  const w = backendWeights(r.destination);
  if (w.invalid > 0 || w.noEndpoints > 0) return true;
  return destinationNeedsClusterPerSetting(r.destination);
}

const hasConnectUpgrade = (t: TrafficFeatures | undefined): boolean => (t?.httpUpgrade ?? []).some((u) => u.type.toUpperCase() === "CONNECT");

function pathMatch(m: StringMatch | undefined): MatchP {
  if (m === undefined) return { pathSpecifier: { $case: "prefix", value: "/" } };
  if (m.exact !== undefined) return { pathSpecifier: { $case: "path", value: m.exact } };
  if (m.prefix !== undefined) {
    if (m.prefix === "/") return { pathSpecifier: { $case: "prefix", value: "/" } };
    return { pathSpecifier: { $case: "pathSeparatedPrefix", value: m.prefix.replace(/\/$/, "") } };
  }
  if (m.safeRegex !== undefined) return { pathSpecifier: { $case: "safeRegex", value: { regex: m.safeRegex } } };
  return {};
}

/** The RouteMatch of an IR route: path (or CONNECT), headers, query parameters, cookies. */
export function buildRouteMatch(r: HTTPRoute): MatchP {
  const out: MatchP = hasConnectUpgrade(r.traffic) ? { pathSpecifier: { $case: "connectMatcher", value: {} } } : pathMatch(r.pathMatch);
  const headers = (r.headerMatches ?? []).map((h) => ({
    name: h.name,
    headerMatchSpecifier: { $case: "stringMatch" as const, value: buildStringMatcher(h) },
  }));
  if (headers.length > 0) out.headers = headers;
  const query = (r.queryParamMatches ?? []).map((q) => ({
    name: q.name,
    queryParameterMatchSpecifier: { $case: "stringMatch" as const, value: buildStringMatcher(q) },
  }));
  if (query.length > 0) out.queryParameters = query;
  const cookies = (r.cookieMatches ?? []).map((c) => ({ name: c.name, stringMatch: buildStringMatcher(c), invertMatch: c.invert === true }));
  if (cookies.length > 0) out.cookies = cookies;
  return out;
}

function resolveBackendClusters(d: RouteDestination, index: ReadonlyMap<string, BackendCluster>): BackendCluster[] {
  const out: BackendCluster[] = [];
  for (const ref of d.backendClusterRefs ?? []) {
    const bc = index.get(ref.name);
    if (bc !== undefined) out.push(bc);
  }
  return out;
}

function weightedRouteAction(d: RouteDestination, index: ReadonlyMap<string, BackendCluster>): RouteActionP {
  const clusters: NonNullable<Extract<NonNullable<RouteActionP["clusterSpecifier"]>, { $case: "weightedClusters" }>["value"]>["clusters"] & object = [];
  const w = backendWeights(d);
  if (w.invalid + w.noEndpoints > 0) clusters.push({ name: "invalid-backend-cluster", weight: w.invalid + w.noEndpoints });
  for (const s of d.settings ?? []) {
    if ((s.endpoints?.length ?? 0) === 0 && s.isDynamicResolver !== true) continue;
    const cw: (typeof clusters)[number] = { name: s.name, weight: s.weight ?? 0 };
    const f = s.filters;
    if (f !== undefined) {
      if ((f.addRequestHeaders?.length ?? 0) > 0) cw.requestHeadersToAdd = buildAddedHeaders(f.addRequestHeaders ?? []);
      if ((f.removeRequestHeaders?.length ?? 0) > 0) cw.requestHeadersToRemove = [...(f.removeRequestHeaders ?? [])];
      if ((f.addResponseHeaders?.length ?? 0) > 0) cw.responseHeadersToAdd = buildAddedHeaders(f.addResponseHeaders ?? []);
      if ((f.removeResponseHeaders?.length ?? 0) > 0) cw.responseHeadersToRemove = [...(f.removeResponseHeaders ?? [])];
      if (f.urlRewrite?.host?.name !== undefined) cw.hostRewriteSpecifier = { $case: "hostRewriteLiteral", value: f.urlRewrite.host.name };
    }
    clusters.push(cw);
  }
  for (const ref of d.backendClusterRefs ?? []) {
    const bc = index.get(ref.name);
    if (bc === undefined || ref.weight === undefined) continue;
    clusters.push({ name: bc.name, weight: ref.weight });
  }
  return {
    clusterNotFoundResponseCode:
      w.noEndpoints > 0 ? RouteAction_ClusterNotFoundResponseCode.SERVICE_UNAVAILABLE : RouteAction_ClusterNotFoundResponseCode.INTERNAL_SERVER_ERROR,
    clusterSpecifier: { $case: "weightedClusters", value: { clusters } },
  };
}

function routeAction(r: HTTPRoute, index: ReadonlyMap<string, BackendCluster>): RouteActionP {
  const d = r.destination;
  if (d === undefined) return { clusterSpecifier: { $case: "cluster", value: "" } };
  const bcs = resolveBackendClusters(d, index);
  const count = bcs.length + ((d.settings?.length ?? 0) > 0 ? 1 : 0);
  if (routeNeedsClusterPerSetting(r) || count > 1) return weightedRouteAction(d, index);
  const name = bcs.length === 1 ? (bcs[0]?.name ?? d.name) : d.name;
  return { clusterSpecifier: { $case: "cluster", value: name } };
}

function effectiveRequestTimeout(r: HTTPRoute): string | undefined {
  return r.timeout ?? r.traffic?.timeout?.http?.requestTimeout;
}

function idleTimeout(r: HTTPRoute, l: HTTPListener) {
  const streamIdle = r.traffic?.timeout?.http?.streamIdleTimeout;
  if (streamIdle !== undefined) return duration(streamIdle);
  if (l.timeout?.http?.streamIdleTimeout !== undefined) return undefined;
  const rt = effectiveRequestTimeout(r);
  if (rt === undefined) return undefined;
  const rtNanos = nanosOf(rt);
  let idle = 3600e9;
  if (idle < rtNanos) idle = rtNanos;
  if (rtNanos === 0) idle = 0;
  return durationFromNanos(idle);
}

const useRegexRewrite = (m: StringMatch | undefined, replace: string): boolean => m?.prefix !== undefined && (replace === "" || replace === "/");

const prefixToRegexRewrite = (prefix: string) => ({ pattern: { regex: `^${quoteMeta(prefix)}\\/*` }, substitution: "/" });

function redirectAction(r: HTTPRoute) {
  const rd = r.redirect!;
  const out: Record<string, unknown> = {};
  if (rd.scheme !== undefined) out["schemeRewriteSpecifier"] = { $case: "schemeRedirect", value: rd.scheme };
  if (rd.path !== undefined) {
    if (rd.path.fullReplace !== undefined) out["pathRewriteSpecifier"] = { $case: "pathRedirect", value: rd.path.fullReplace };
    else if (rd.path.prefixMatchReplace !== undefined) {
      out["pathRewriteSpecifier"] = useRegexRewrite(r.pathMatch, rd.path.prefixMatchReplace)
        ? { $case: "regexRewrite", value: prefixToRegexRewrite(r.pathMatch!.prefix!) }
        : { $case: "prefixRewrite", value: rd.path.prefixMatchReplace };
    }
  }
  if (rd.hostname !== undefined) out["hostRedirect"] = rd.hostname;
  if (rd.port !== undefined && rd.port !== 80 && rd.port !== 443) out["portRedirect"] = rd.port;
  const codes: Record<number, RedirectAction_RedirectResponseCode> = {
    302: RedirectAction_RedirectResponseCode.FOUND,
    303: RedirectAction_RedirectResponseCode.SEE_OTHER,
    307: RedirectAction_RedirectResponseCode.TEMPORARY_REDIRECT,
    308: RedirectAction_RedirectResponseCode.PERMANENT_REDIRECT,
  };
  if (rd.statusCode !== undefined && codes[rd.statusCode] !== undefined) out["responseCode"] = codes[rd.statusCode];
  return out;
}

function urlRewriteAction(r: HTTPRoute, index: ReadonlyMap<string, BackendCluster>): RouteActionP {
  const action = routeAction(r, index);
  const rw = r.urlRewrite!;
  if (rw.path !== undefined) {
    if (rw.path.fullReplace !== undefined) action.regexRewrite = { pattern: { regex: "^/.*$" }, substitution: rw.path.fullReplace };
    else if (rw.path.prefixMatchReplace !== undefined) {
      if (useRegexRewrite(r.pathMatch, rw.path.prefixMatchReplace)) action.regexRewrite = prefixToRegexRewrite(r.pathMatch!.prefix!);
      else action.prefixRewrite = rw.path.prefixMatchReplace.replace(/\/$/, "");
    } else if (rw.path.regexMatchReplace !== undefined) {
      action.regexRewrite = { pattern: { regex: rw.path.regexMatchReplace.pattern }, substitution: rw.path.regexMatchReplace.substitution };
    }
  }
  if (rw.host !== undefined) {
    const h = rw.host;
    const dynamicResolver = r.destination?.settings?.length === 1 && r.destination.settings[0]?.isDynamicResolver === true;
    if (h.name !== undefined) action.hostRewriteSpecifier = { $case: "hostRewriteLiteral", value: h.name };
    else if (h.header !== undefined) action.hostRewriteSpecifier = { $case: "hostRewriteHeader", value: h.header };
    else if (h.backend !== undefined && !dynamicResolver) action.hostRewriteSpecifier = { $case: "autoHostRewrite", value: true };
    else if (h.pathRegex !== undefined) {
      action.hostRewriteSpecifier = {
        $case: "hostRewritePathRegex",
        value: { pattern: { regex: h.pathRegex.pattern }, substitution: h.pathRegex.substitution },
      };
    }
    if (rw.appendXForwardedHost === undefined || rw.appendXForwardedHost) action.appendXForwardedHost = true;
  }
  return action;
}

function mirrorPolicies(mirrors: readonly MirrorPolicy[]) {
  const out = [];
  for (const m of mirrors) {
    if (m.destination === undefined) continue;
    let fraction;
    if (m.percentage !== undefined) {
      if (!(m.percentage > 0)) continue;
      fraction = fractionFromFloat32(m.percentage);
    } else fraction = fractionFromPercent(100);
    out.push({ cluster: m.destination.name, runtimeFraction: { defaultValue: fraction }, disableShadowHostSuffixAppend: true });
  }
  return out;
}

function upgradeConfigs(t: TrafficFeatures | undefined) {
  const websocket = [{ upgradeType: "websocket" }];
  if (t === undefined) return websocket;
  if ((t.httpUpgrade?.length ?? 0) === 0) return t.requestBuffer !== undefined ? [] : websocket;
  return (t.httpUpgrade ?? []).map((u) => ({
    upgradeType: u.type,
    ...(u.type === "CONNECT" && u.connect?.terminate === true ? { connectConfig: {} } : {}),
  }));
}

const RETRY_TRIGGERS: ReadonlySet<TriggerEnum> = new Set<TriggerEnum>([
  "5xx",
  "gateway-error",
  "reset",
  "reset-before-request",
  "connect-failure",
  "retriable-4xx",
  "refused-stream",
  "retriable-status-codes",
  "cancelled",
  "deadline-exceeded",
  "internal",
  "resource-exhausted",
  "unavailable",
]);

function retryPolicy(r: HTTPRoute) {
  const rr = r.retry ?? r.traffic?.retry;
  if (rr === undefined) return undefined;
  const rp: Record<string, unknown> = {
    retryOn: RETRY_DEFAULT_ON,
    retriableStatusCodes: [503],
    numRetries: 2,
    retryHostPredicate: [
      { name: "envoy.retry_host_predicates.previous_hosts", configType: { $case: "typedConfig", value: anyOf(PreviousHostsPredicate, {}) } },
    ],
    hostSelectionRetryMaxAttempts: "5",
  };
  if (rr.numRetries !== undefined) rp["numRetries"] = rr.numRetries;
  if (rr.numAttemptsPerPriority !== undefined && rr.numAttemptsPerPriority > 0) {
    rp["retryPriority"] = {
      name: "envoy.retry_priorities.previous_priorities",
      configType: { $case: "typedConfig", value: anyOf(PreviousPrioritiesConfig, { updateFrequency: rr.numAttemptsPerPriority }) },
    };
  }
  if (rr.retryOn !== undefined) {
    const triggers = rr.retryOn.triggers ?? [];
    if (triggers.length > 0) {
      for (const t of triggers) if (!RETRY_TRIGGERS.has(t)) throw new Error("unsupported RetryOn trigger");
      rp["retryOn"] = triggers.join(",");
    }
    rp["retriableStatusCodes"] = [...(rr.retryOn.httpStatusCodes ?? [])];
  }
  if (rr.perRetry !== undefined) {
    if (rr.perRetry.timeout !== undefined) rp["perTryTimeout"] = duration(rr.perRetry.timeout);
    const bo = rr.perRetry.backOff;
    if (bo !== undefined && (bo.baseInterval !== undefined || bo.maxInterval !== undefined)) {
      rp["retryBackOff"] = {
        ...(bo.baseInterval !== undefined ? { baseInterval: duration(bo.baseInterval) } : {}),
        ...(bo.maxInterval !== undefined ? { maxInterval: duration(bo.maxInterval) } : {}),
      };
    }
  }
  return rp;
}

function routeTracing(r: HTTPRoute) {
  const t = r.traffic?.telemetry?.tracing;
  if (t === undefined) return undefined;
  let tags;
  try {
    tags = buildTracingTags(t.customTags, t.tags);
  } catch (e) {
    throw new Error(`failed to build route tracing tags:${e instanceof Error ? e.message : String(e)}`);
  }
  const random = fractionFromFraction(t.samplingFraction);
  const overall = fractionFromFraction(t.overallSamplingFraction);
  return {
    clientSampling: fractionFromFractionOrZero(t.clientSamplingFraction),
    ...(random !== undefined ? { randomSampling: random } : {}),
    ...(overall !== undefined ? { overallSampling: overall } : {}),
    customTags: tags,
    operation: t.spanName?.client ?? "",
    upstreamOperation: t.spanName?.server ?? "",
  };
}

/**
 * The Envoy route of an IR route (without per-filter config, which the filter modules add): match,
 * header edits, then one action (direct response, redirect, or forward with rewrites, mirrors, upgrades,
 * hashing, timeouts, retries), plus tracing and stat prefix.
 */
export function buildRoute(
  r: HTTPRoute,
  l: HTTPListener,
  index: ReadonlyMap<string, BackendCluster>,
  extraRequestHeadersToRemove: readonly string[],
): RouteMsg {
  const out: RouteP = { name: r.name, match: buildRouteMatch(r) };
  const md = buildXdsMetadata(r.metadata);
  if (md !== undefined) out.metadata = md;
  if ((r.addRequestHeaders?.length ?? 0) > 0) out.requestHeadersToAdd = buildAddedHeaders(r.addRequestHeaders ?? []);
  const remove = [...(r.removeRequestHeaders ?? []), ...extraRequestHeadersToRemove];
  if (remove.length > 0) out.requestHeadersToRemove = remove;
  if ((r.addResponseHeaders?.length ?? 0) > 0) out.responseHeadersToAdd = buildAddedHeaders(r.addResponseHeaders ?? []);
  if ((r.removeResponseHeaders?.length ?? 0) > 0) out.responseHeadersToRemove = [...(r.removeResponseHeaders ?? [])];

  if (r.directResponse !== undefined) {
    const dr = r.directResponse;
    out.action = {
      $case: "directResponse",
      value: {
        status: dr.statusCode ?? 0,
        ...(dr.body !== undefined && dr.body.length > 0
          ? { bodyFormat: { format: { $case: "textFormatSource", value: { specifier: { $case: "inlineBytes", value: Buffer.from(dr.body) } } } } }
          : {}),
      },
    };
  } else if (r.redirect !== undefined) {
    out.action = { $case: "redirect", value: redirectAction(r) };
  } else {
    const action = r.urlRewrite !== undefined ? urlRewriteAction(r, index) : routeAction(r, index);
    const idle = idleTimeout(r, l);
    if (idle !== undefined) action.idleTimeout = idle;
    if (r.mirrors !== undefined) action.requestMirrorPolicies = mirrorPolicies(r.mirrors);
    if (!r.isHTTP2) action.upgradeConfigs = upgradeConfigs(r.traffic);
    const hash = buildConsistentHashPolicy(r.traffic?.loadBalancer?.consistentHash);
    if (hash.length > 0) {
      action.hashPolicy = hash;
      if (action.clusterSpecifier?.$case === "weightedClusters" && action.clusterSpecifier.value !== undefined) {
        action.clusterSpecifier.value.randomValueSpecifier = { $case: "useHashPolicy", value: true };
      }
    }
    const rt = effectiveRequestTimeout(r);
    if (rt !== undefined) action.timeout = duration(rt);
    const msd = r.traffic?.timeout?.http?.maxStreamDuration;
    if (msd !== undefined) action.maxStreamDuration = { maxStreamDuration: duration(msd) };
    const rp = retryPolicy(r);
    if (rp !== undefined) action.retryPolicy = rp;
    out.action = { $case: "route", value: action };
  }
  const tracing = routeTracing(r);
  if (tracing !== undefined) out.tracing = tracing;
  out.statPrefix = r.statName ?? "";
  return msg(Route, out);
}
