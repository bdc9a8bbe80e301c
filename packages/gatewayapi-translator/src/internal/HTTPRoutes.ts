// HTTPRoute and GRPCRoute -> xds IR HTTP routes, with per-parent status (upstream route.go, HTTP part).
import { goDurationMessage } from "./policies/Values.js";
import type { GRPCRoute, GRPCRouteRule, HTTPRoute, HTTPRouteRule, HTTPRouteRuleFilter } from "@egts/api";
import type * as ir from "@egts/ir";
import { formatGoDuration, parseGoDuration } from "@egts/ir";
import { conditionMessage, RouteErrorCollector, RouteStatusError, toAcceptedReason } from "./Conditions.js";
import {
  appProtocolForRouteKind,
  destinationSettingFor,
  isServiceRouting,
  validateBackendNamespace,
  validateBackendRef,
  type BackendRefLike,
} from "./Backends.js";
import { processFilters, type FilterContext, type FilterResult } from "./HttpFilters.js";
import type { ResourceIndex } from "./Index.js";
import { resourceMetadata } from "./Metadata.js";
import { listenerIsReady, type GatewayContext, type ListenerContext, type TranslateOptions } from "./Model.js";
import type { Mutable } from "./Mutable.js";
import {
  attachRouteToParents,
  computeHosts,
  newRouteContext,
  parentGateway,
  parentHasCondition,
  setRouteCondition,
  type ParentRefContext,
  type RouteContext,
} from "./RouteContext.js";
import { checkRegex } from "./Regex.js";
import {
  backendClusterKey,
  mergeBackendsConfig,
  mergeIncompatibleForWeightedRule,
  routeDestination,
  shouldMergeBackend,
  type BackendClusters,
  type BackendDestination,
} from "./MergeBackends.js";

/**
 * Answers route translation needs from BackendTrafficPolicy/ClientTrafficPolicy (upstream's BTP routing type,
 * cluster settings and load balancer indexes). Every hook is optional; without policies all answer "none".
 */
export interface RoutePolicyHooks {
  /** The routing type ("Service" | "Endpoint") a BackendTrafficPolicy sets for a route rule on a parent. */
  readonly routingType?: (gateway: GatewayContext, route: RouteContext, parent: ParentRefContext, ruleName: string | undefined) => string | undefined;
  /** The routing type a BackendTrafficPolicy sets on the Gateway itself. */
  readonly gatewayRoutingType?: (gateway: GatewayContext) => string | undefined;
  /** Whether a policy below the Gateway sets cluster settings for this route (rule) on this listener. */
  readonly hasClusterSettingsBelowGateway?: (gateway: GatewayContext, route: RouteContext, listener: ListenerContext, ruleName: string | undefined) => boolean;
  /** Whether a Gateway-level BackendTrafficPolicy hashes consistently (weighted backends must then share a cluster). */
  readonly isConsistentHash?: (gateway: GatewayContext) => boolean;
}

/** Shared inputs of route translation. */
export interface RouteTranslation {
  readonly index: ResourceIndex;
  readonly options: TranslateOptions;
  readonly gateways: ReadonlyArray<GatewayContext>;
  readonly xdsIR: Map<string, Mutable<ir.Xds>>;
  /** Shared backend clusters of merged backends. */
  readonly backendClusters: BackendClusters;
  /** Resolves backend TLS (BackendTLSPolicy / Backend TLS) for a destination; seam for the BackendTLSPolicy module. */
  readonly backendTLS: (
    ref: BackendRefLike,
    namespace: string,
    parent: ParentRefContext,
    gateway: GatewayContext | undefined,
  ) => ir.TLSUpstreamConfig | RouteStatusError | undefined;
  /** Policy answers route translation needs (see RoutePolicyHooks). */
  readonly policyHooks: RoutePolicyHooks;
  /** Hook for ExtensionRef filters (HTTPRouteFilter, extension kinds). */
  readonly extensionRefFilter: (route: RouteContext, ref: { group: string; kind: string; name: string }, result: FilterResult) => RouteStatusError | undefined;
}

/** An IR route of a rule before it is specialized per listener host. */
interface RuleRoute {
  route: Mutable<ir.HTTPRoute>;
  destinations?: BackendDestination[];
  destName?: string;
  ruleMetadata?: ir.ResourceMetadata;
  ruleName?: string;
  statName?: string;
}

function stringMatch(fields: Partial<ir.StringMatch>): ir.StringMatch {
  return { name: "", distinct: false, ...fields };
}

function irRoutePrefix(route: RouteContext): string {
  return `${route.kind.toLowerCase()}/${route.namespace}/${route.name}/`;
}

/** Name of the IR destination of a route rule. */
export function irRouteDestinationName(route: RouteContext, ruleIdx: number): string {
  return `${irRoutePrefix(route)}rule/${ruleIdx}`;
}

function hostnameError(hostname: string): string | undefined {
  const re = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
  if (hostname.length > 253 || !re.test(hostname)) {
    return `hostname "${hostname}" is invalid: [a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')]`;
  }
  if (/^\d+\.\d+\.\d+\.\d+$/.test(hostname)) return `hostname: "${hostname}" cannot be an ip address`;
  for (const label of hostname.split(".")) {
    if (label.length > 63) return `label: "${label}" in hostname "${hostname}" cannot exceed 63 characters`;
  }
  return undefined;
}

function statPattern(gateway: GatewayContext | undefined): string {
  return gateway?.envoyProxy?.spec.telemetry?.metrics?.clusterStatName ?? "";
}

function buildStatName(pattern: string, route: RouteContext, ruleName: string | undefined, idx: number, refs: ReadonlyArray<string>): string {
  return pattern
    .replaceAll("%ROUTE_NAME%", route.name)
    .replaceAll("%ROUTE_NAMESPACE%", route.namespace)
    .replaceAll("%ROUTE_KIND%", route.kind.toLowerCase())
    .replaceAll("%ROUTE_RULE_NAME%", ruleName ?? "-")
    .replaceAll("%ROUTE_RULE_NUMBER%", String(idx))
    .replaceAll("%BACKEND_REFS%", refs.join("|"));
}

/** A backend reference of any route kind with its own filters (HTTP/GRPC only). */
export interface RouteBackendRef extends BackendRefLike {
  readonly filters?: ReadonlyArray<HTTPRouteRuleFilter>;
}

/**
 * Resolves one backend reference into a destination setting, validating it first (upstream processDestination).
 * Returns the setting (with weight) or a status error plus an empty setting carrying the weight.
 */
export function processDestination(
  t: RouteTranslation,
  name: string,
  ref: RouteBackendRef,
  parent: ParentRefContext,
  route: RouteContext,
  ruleName?: string,
): { ds: Mutable<ir.DestinationSetting>; error?: RouteStatusError; extensionRef?: ir.UnstructuredRef } {
  const weight = ref.weight ?? 1;
  const empty: Mutable<ir.DestinationSetting> = { name, weight };
  const kind = ref.kind !== undefined && ref.kind !== "" ? ref.kind : "Service";
  const custom = (t.options.extensionGroupKinds ?? []).some((gk) => gk.group === (ref.group ?? "") && gk.kind === kind);
  const namespace = ref.namespace !== undefined && ref.namespace !== "" ? ref.namespace : route.namespace;
  if (!custom) {
    const err = validateBackendRef(ref, route.kind, route.namespace, t.index, t.options);
    if (err !== undefined) return { ds: empty, error: err };
    if (route.kind === "HTTPRoute" || route.kind === "GRPCRoute") {
      const filterErr = validateBackendRefFilters(ref.filters ?? [], route.kind, t.options);
      if (filterErr !== undefined) return { ds: empty, error: filterErr };
    }
  } else {
    const err = validateBackendNamespace(ref, route.kind, route.namespace, t.index);
    if (err !== undefined) return { ds: empty, error: err };
  }
  if (weight === 0) return { ds: empty };
  const gateway = parentGateway(parent);
  const serviceRouting = isServiceRouting(gateway?.envoyProxy, t.options, routingTypeFor(t, gateway, route, parent, ruleName));
  const protocol = appProtocolForRouteKind(route.kind);
  const tls = t.backendTLS(ref, namespace, parent, gateway);
  if (tls instanceof RouteStatusError) return { ds: empty, error: new RouteStatusError(tls.message, "InvalidBackendTLS") };
  if (custom) {
    const found = (t.index.resources.extensionRefFilters ?? []).find(
      (o) => o.kind === kind && o.metadata.name === ref.name && (o.metadata.namespace ?? "") === namespace && o.apiVersion.split("/")[0] === (ref.group ?? ""),
    );
    if (found === undefined) {
      return { ds: empty, error: new RouteStatusError(`custom backend ${kind} ${namespace}/${ref.name} not found`, "BackendNotFound") };
    }
    return { ds: { name, weight, isCustomBackend: true }, extensionRef: { object: found as never } };
  }
  const ds = destinationSettingFor(name, ref, route.namespace, protocol, serviceRouting, t.index);
  if (ds instanceof RouteStatusError) return { ds: empty, error: ds };
  if (tls !== undefined) ds.tls = tls;
  const filters = ref.filters ?? [];
  if (filters.length > 0 && (route.kind === "HTTPRoute" || route.kind === "GRPCRoute")) {
    const { result, errors } = processFilters(filters, filterContext(t, route, parent, name));
    if (errors.length > 0) {
      return { ds: empty, error: new RouteStatusError(errors.map((e) => e.message).join("\n"), "InvalidBackendFilters") };
    }
    const f: Mutable<ir.DestinationFilters> = {};
    if (result.addRequestHeaders.length > 0) f.addRequestHeaders = result.addRequestHeaders;
    if (result.removeRequestHeaders.length > 0) f.removeRequestHeaders = result.removeRequestHeaders;
    if (result.addResponseHeaders.length > 0) f.addResponseHeaders = result.addResponseHeaders;
    if (result.removeResponseHeaders.length > 0) f.removeResponseHeaders = result.removeResponseHeaders;
    if (result.credentialInjection !== undefined) f.credentialInjection = result.credentialInjection;
    if (result.urlRewrite !== undefined) f.urlRewrite = result.urlRewrite;
    ds.filters = f;
  }
  if (ds.addressType === "Mixed") {
    if (kind === "Backend") {
      return {
        ds: empty,
        error: new RouteStatusError("mixed FQDN and IP or Unix address type for the same backendRef is not supported", "UnsupportedAddressType"),
      };
    }
    if (!serviceRouting) {
      return { ds: empty, error: new RouteStatusError("mixed endpointslice address type for the same backendRef is not supported", "UnsupportedAddressType") };
    }
  }
  ds.weight = weight;
  return { ds };
}

/** The BackendTrafficPolicy routing type for a route rule on a parent, if any. */
export function routingTypeFor(
  t: RouteTranslation,
  gateway: GatewayContext | undefined,
  route: RouteContext,
  parent: ParentRefContext,
  ruleName: string | undefined,
): string | undefined {
  return gateway === undefined ? undefined : t.policyHooks.routingType?.(gateway, route, parent, ruleName);
}

/** Whether a rule's routing type differs from its Gateway's, which keeps its backends out of shared clusters. */
export function routingTypeDiverges(t: RouteTranslation, gateway: GatewayContext, ruleRoutingType: string | undefined): boolean {
  const baseline = isServiceRouting(gateway.envoyProxy, t.options, t.policyHooks.gatewayRoutingType?.(gateway));
  return baseline !== isServiceRouting(gateway.envoyProxy, t.options, ruleRoutingType);
}

function validateBackendRefFilters(filters: ReadonlyArray<HTTPRouteRuleFilter>, routeKind: string, options: TranslateOptions): RouteStatusError | undefined {
  if (filters.length === 0) return undefined;
  let unsupported = false;
  for (const f of filters) {
    if (routeKind === "HTTPRoute") {
      const ext = f.type === "ExtensionRef" ? f.extensionRef : undefined;
      const knownExt =
        ext !== undefined &&
        ((ext.group === "gateway.envoyproxy.io" && ext.kind === "HTTPRouteFilter") ||
          (options.extensionGroupKinds ?? []).some((gk) => gk.group === ext.group && gk.kind === ext.kind));
      const known = ["RequestMirror", "URLRewrite", "RequestRedirect", "RequestHeaderModifier", "ResponseHeaderModifier", "CORS"].includes(f.type) || knownExt;
      if (!known) {
        unsupported = true;
        continue;
      }
      if (f.type === "URLRewrite" && f.urlRewrite?.path !== undefined) {
        return new RouteStatusError("URLRewrite path modifier is not supported within BackendRef", "UnsupportedRefValue");
      }
      if (!["RequestHeaderModifier", "ResponseHeaderModifier", "ExtensionRef", "URLRewrite"].includes(f.type)) unsupported = true;
    } else if (f.type !== "RequestHeaderModifier" && f.type !== "ResponseHeaderModifier") unsupported = true;
  }
  if (!unsupported) return undefined;
  return new RouteStatusError(
    routeKind === "GRPCRoute"
      ? "Specific filter is not supported within BackendRef, only RequestHeaderModifier and ResponseHeaderModifier are supported"
      : "Specific filter is not supported within BackendRef, only RequestHeaderModifier, ResponseHeaderModifier, URLRewrite and gateway.envoyproxy.io/HTTPRouteFilter are supported",
    "UnsupportedRefValue",
  );
}

function filterContext(t: RouteTranslation, route: RouteContext, parent: ParentRefContext, destName: string): FilterContext {
  return {
    routeKind: route.kind === "GRPCRoute" ? "GRPCRoute" : "HTTPRoute",
    destName,
    extensionGroupKinds: t.options.extensionGroupKinds ?? [],
    validateHostname: hostnameError,
    resolveExtensionRef: (ref, result) => t.extensionRefFilter(route, ref, result),
    resolveMirror: (backendRef, mirrorDestName) => {
      const ref: RouteBackendRef = { ...backendRef, weight: 1 };
      const err = validateBackendRef(ref, route.kind, route.namespace, t.index, t.options);
      if (err !== undefined) return new RouteStatusError(`failed to validate the RequestMirror filter: ${err.message}`, err.reason, "ResolvedRefs");
      const { ds, error } = processDestination(t, `${mirrorDestName}/backend/-1`, ref, parent, route);
      if (error !== undefined) {
        if (error.reason === "EndpointsNotFound") {
          return new RouteStatusError(`failed to validate the RequestMirror filter: ${error.message}`, error.reason, "BackendsAvailable");
        }
        return error;
      }
      return { name: mirrorDestName, settings: [ds] };
    },
  };
}

function applyFilters(result: FilterResult, route: Mutable<ir.HTTPRoute>): void {
  if (result.redirect !== undefined) route.redirect = { ...result.redirect };
  if (result.directResponse !== undefined) route.directResponse = result.directResponse;
  if (result.urlRewrite !== undefined) route.urlRewrite = result.urlRewrite;
  if (result.credentialInjection !== undefined) route.credentialInjection = result.credentialInjection;
  if (result.addRequestHeaders.length > 0) route.addRequestHeaders = result.addRequestHeaders;
  if (result.removeRequestHeaders.length > 0) route.removeRequestHeaders = result.removeRequestHeaders;
  if (result.addResponseHeaders.length > 0) route.addResponseHeaders = result.addResponseHeaders;
  if (result.removeResponseHeaders.length > 0) route.removeResponseHeaders = result.removeResponseHeaders;
  if (result.mirrors !== undefined) route.mirrors = result.mirrors;
  if (result.cors !== undefined) route.cors = result.cors;
  if (result.extensionRefs !== undefined && result.extensionRefs.length > 0) route.extensionRefs = result.extensionRefs;
}

function goDuration(text: string, fallback: string): string {
  const ns = parseGoDuration(text) ?? parseGoDuration(fallback) ?? 0;
  return formatGoDuration(ns);
}

function applyTimeoutAndRetry(route: Mutable<ir.HTTPRoute>, rule: HTTPRouteRule): void {
  const timeouts = rule.timeouts;
  if (timeouts !== undefined) {
    if (timeouts.request !== undefined) route.timeout = goDuration(timeouts.request, "15s");
    if (timeouts.backendRequest !== undefined && rule.retry === undefined) route.timeout = goDuration(timeouts.backendRequest, "15s");
  }
  const retry = rule.retry;
  if (retry === undefined) return;
  const out: Mutable<ir.Retry> = {};
  if (retry.attempts !== undefined) out.numRetries = retry.attempts;
  const perRetry: Mutable<ir.PerRetryPolicy> = {};
  let hasPerRetry = false;
  if (retry.backoff !== undefined) {
    const ns = parseGoDuration(retry.backoff);
    if (ns !== undefined) {
      perRetry.backOff = { baseInterval: formatGoDuration(ns) };
      hasPerRetry = true;
    }
  }
  if (timeouts?.backendRequest !== undefined) {
    const ns = parseGoDuration(timeouts.backendRequest);
    if (ns !== undefined) {
      perRetry.timeout = formatGoDuration(ns);
      hasPerRetry = true;
    }
  }
  if (hasPerRetry) out.perRetry = perRetry;
  if ((retry.codes ?? []).length > 0) out.retryOn = { httpStatusCodes: [...(retry.codes ?? [])] };
  route.retry = out;
}

function sessionPersistence(route: RouteContext, ruleIdx: number, rule: HTTPRouteRule): ir.SessionPersistence | RouteStatusError | undefined {
  const sp = rule.sessionPersistence;
  if (sp === undefined) return undefined;
  const name = sp.sessionName ?? irRouteDestinationName(route, ruleIdx).replaceAll("/", "-");
  if (sp.type === undefined || sp.type === "Cookie") {
    const cookie: Mutable<ir.CookieBasedSessionPersistence> = { name };
    if (sp.absoluteTimeout !== undefined && sp.cookieConfig?.lifetimeType === "Permanent") {
      const ns = parseGoDuration(sp.absoluteTimeout);
      if (ns === undefined) return new RouteStatusError(goDurationMessage(sp.absoluteTimeout), "UnsupportedValue");
      cookie.ttl = formatGoDuration(ns);
    }
    return { cookie };
  }
  if (sp.type === "Header") return { header: { name } };
  return new RouteStatusError(`unknown session persistence type ${String(sp.type)}`, "UnsupportedValue");
}

function httpRuleRoutes(
  route: RouteContext,
  ruleIdx: number,
  rule: HTTPRouteRule,
  filters: FilterResult,
  metadata: ir.ResourceMetadata,
): Array<Mutable<ir.HTTPRoute>> | RouteStatusError {
  const sp = sessionPersistence(route, ruleIdx, rule);
  if (sp instanceof RouteStatusError) return sp;
  const base = (name: string): Mutable<ir.HTTPRoute> => ({ name, hostname: "", isHTTP2: false, metadata });
  const matches = matchCombinations(rule.matches ?? [], filters);
  if (matches.length === 0) {
    const r = base(`${irRoutePrefix(route)}rule/${ruleIdx}/match/-1`);
    applyTimeoutAndRetry(r, rule);
    applyFilters(filters, r);
    return [r];
  }
  const out: Array<Mutable<ir.HTTPRoute>> = [];
  for (const [matchIdx, { match, cookies }] of matches.entries()) {
    const r = base(`${irRoutePrefix(route)}rule/${ruleIdx}/match/${matchIdx}`);
    if (sp !== undefined) r.sessionPersistence = sp;
    applyTimeoutAndRetry(r, rule);
    if (match.path !== undefined) {
      const value = match.path.value ?? "/";
      switch (match.path.type ?? "PathPrefix") {
        case "PathPrefix":
          r.pathMatch = stringMatch({ prefix: value });
          break;
        case "Exact":
          r.pathMatch = stringMatch({ exact: value });
          break;
        case "RegularExpression": {
          const err = checkRegex(value);
          if (err !== undefined) return new RouteStatusError(err, "UnsupportedValue");
          r.pathMatch = stringMatch({ safeRegex: value });
          break;
        }
      }
    }
    const headers: ir.StringMatch[] = [];
    for (const h of match.headers ?? []) {
      if ((h.type ?? "Exact") === "Exact") headers.push(stringMatch({ name: h.name, exact: h.value }));
      else {
        const err = checkRegex(h.value);
        if (err !== undefined) return new RouteStatusError(err, "UnsupportedValue");
        headers.push(stringMatch({ name: h.name, safeRegex: h.value }));
      }
    }
    const query: ir.StringMatch[] = [];
    for (const q of match.queryParams ?? []) {
      if ((q.type ?? "Exact") === "Exact") query.push(stringMatch({ name: q.name, exact: q.value }));
      else {
        const err = checkRegex(q.value);
        if (err !== undefined) return new RouteStatusError(err, "UnsupportedValue");
        query.push(stringMatch({ name: q.name, safeRegex: q.value }));
      }
    }
    if (match.method !== undefined) headers.push(stringMatch({ name: ":method", exact: match.method }));
    if (headers.length > 0) r.headerMatches = headers;
    if (query.length > 0) r.queryParamMatches = query;
    const cm = cookieMatches(cookies);
    if (cm instanceof RouteStatusError) return cm;
    if (cm.length > 0) r.cookieMatches = cm;
    applyFilters(filters, r);
    out.push(r);
    if (filters.cors !== undefined && match.method !== undefined && match.method !== "OPTIONS" && cm.length === 0) {
      const preflight: Mutable<ir.HTTPRoute> = {
        name: `${irRoutePrefix(route)}rule/${ruleIdx}/match/${matchIdx}/cors-preflight`,
        hostname: "",
        isHTTP2: false,
        metadata,
        cors: filters.cors,
        headerMatches: [
          ...headers.filter((h) => h.name !== ":method"),
          stringMatch({ name: ":method", exact: "OPTIONS" }),
          stringMatch({ name: "origin", safeRegex: ".*" }),
          stringMatch({ name: "access-control-request-method", safeRegex: ".*" }),
        ],
      };
      if (r.pathMatch !== undefined) preflight.pathMatch = r.pathMatch;
      if (query.length > 0) preflight.queryParamMatches = query;
      out.push(preflight);
    }
  }
  return out;
}

type CookieMatch = { readonly name: string; readonly type?: string; readonly value: string };

/** Rule matches crossed with an HTTPRouteFilter's cookie matches (upstream buildRouteMatchCombinations). */
function matchCombinations<M extends object>(ruleMatches: ReadonlyArray<M>, filters: FilterResult): Array<{ match: M; cookies: ReadonlyArray<CookieMatch> }> {
  const filterMatches = filters.matches ?? [];
  if (filterMatches.length === 0) return ruleMatches.map((match) => ({ match, cookies: [] }));
  const base = ruleMatches.length > 0 ? ruleMatches : [{} as M];
  return base.flatMap((match) => filterMatches.map((fm) => ({ match, cookies: fm.cookies ?? [] })));
}

function cookieMatches(cookies: ReadonlyArray<CookieMatch>): ir.StringMatch[] | RouteStatusError {
  const out: ir.StringMatch[] = [];
  for (const c of cookies) {
    const type = c.type ?? "Exact";
    if (type === "Exact") out.push(stringMatch({ name: c.name, exact: c.value }));
    else if (type === "RegularExpression") {
      const err = checkRegex(c.value);
      if (err !== undefined) return new RouteStatusError(err, "UnsupportedValue");
      out.push(stringMatch({ name: c.name, safeRegex: c.value }));
    } else return new RouteStatusError(`unsupported cookie match type "${type}"`, "UnsupportedValue");
  }
  return out;
}

const validServiceName = "(?i)\\.?[a-z_][a-z_0-9]*(\\.[a-z_][a-z_0-9]*)*";
const validMethodName = "[A-Za-z_][A-Za-z_0-9]*";

function grpcRuleRoutes(
  route: RouteContext,
  ruleIdx: number,
  rule: GRPCRouteRule,
  filters: FilterResult,
  metadata: ir.ResourceMetadata,
): Array<Mutable<ir.HTTPRoute>> | RouteStatusError {
  const base = (name: string): Mutable<ir.HTTPRoute> => ({ name, hostname: "", isHTTP2: false, metadata });
  const matches = matchCombinations(rule.matches ?? [], filters);
  if (matches.length === 0) {
    const r = base(`${irRoutePrefix(route)}rule/${ruleIdx}/match/-1`);
    applyFilters(filters, r);
    return [r];
  }
  const out: Array<Mutable<ir.HTTPRoute>> = [];
  for (const [matchIdx, { match, cookies }] of matches.entries()) {
    const r = base(`${irRoutePrefix(route)}rule/${ruleIdx}/match/${matchIdx}`);
    const headers: ir.StringMatch[] = [];
    for (const h of match.headers ?? []) {
      if ((h.type ?? "Exact") === "Exact") headers.push(stringMatch({ name: h.name, exact: h.value }));
      else {
        const err = checkRegex(h.value);
        if (err !== undefined) return new RouteStatusError(err, "UnsupportedValue");
        headers.push(stringMatch({ name: h.name, safeRegex: h.value }));
      }
    }
    const m = match.method;
    if (m !== undefined) {
      if ((m.type ?? "Exact") === "Exact") {
        if (m.service !== undefined && m.method !== undefined) r.pathMatch = stringMatch({ exact: `/${m.service}/${m.method}` });
        else if (m.method !== undefined) headers.push(stringMatch({ name: ":path", suffix: `/${m.method}` }));
        else if (m.service !== undefined) r.pathMatch = stringMatch({ prefix: `/${m.service}` });
      } else {
        for (const v of [m.service, m.method]) {
          if (v === undefined) continue;
          const err = checkRegex(v);
          if (err !== undefined) return new RouteStatusError(err, "UnsupportedValue");
        }
        if (m.service !== undefined && m.method !== undefined) r.pathMatch = stringMatch({ safeRegex: `/${m.service}/${m.method}` });
        else if (m.method !== undefined) r.pathMatch = stringMatch({ safeRegex: `/${validServiceName}/${m.method}` });
        else if (m.service !== undefined) r.pathMatch = stringMatch({ safeRegex: `/${m.service}/${validMethodName}` });
      }
    }
    if (headers.length > 0) r.headerMatches = headers;
    const cm = cookieMatches(cookies);
    if (cm instanceof RouteStatusError) return cm;
    if (cm.length > 0) r.cookieMatches = cm;
    out.push(r);
    applyFilters(filters, r);
  }
  return out;
}

type AnyRule = HTTPRouteRule | GRPCRouteRule;

function processRules(
  t: RouteTranslation,
  route: RouteContext,
  rules: ReadonlyArray<AnyRule>,
  parent: ParentRefContext,
): { ruleRoutes: RuleRoute[]; errors: RouteStatusError[]; unaccepted: number[] } {
  const errors = new RouteErrorCollector();
  const unaccepted = new Set<number>();
  const out: RuleRoute[] = [];
  const gateway = parentGateway(parent);
  const pattern = statPattern(gateway);
  const isGRPC = route.kind === "GRPCRoute";
  rules.forEach((rule, ruleIdx) => {
    const destName = irRouteDestinationName(route, ruleIdx);
    const { result: filters, errors: filterErrors } = processFilters(rule.filters ?? [], filterContext(t, route, parent, destName));
    let filterFailed = false;
    for (const err of filterErrors) {
      errors.add(err);
      if (err.conditionType !== "BackendsAvailable") filterFailed = true;
      if (err.conditionType === "Accepted") unaccepted.add(ruleIdx);
    }
    const metadata = resourceMetadata(route.kind, route.route.metadata, rule.name);
    const routes = isGRPC
      ? grpcRuleRoutes(route, ruleIdx, rule as GRPCRouteRule, filters, metadata)
      : httpRuleRoutes(route, ruleIdx, rule as HTTPRouteRule, filters, metadata);
    if (routes instanceof RouteStatusError) {
      errors.add(new RouteStatusError(`failed to process route rule ${ruleIdx}: ${routes.message}`, toAcceptedReason(routes.reason), "Accepted"));
      unaccepted.add(ruleIdx);
      return;
    }
    const backendRefs = (rule.backendRefs ?? []) as ReadonlyArray<RouteBackendRef>;
    const destinations: BackendDestination[] = [];
    const mergeUnsafe =
      mergeBackendsConfig(gateway, t.index.resources) !== undefined &&
      mergeIncompatibleForWeightedRule(
        backendRefs,
        route.namespace,
        !isGRPC && (rule as HTTPRouteRule).sessionPersistence !== undefined,
        t.index,
        gateway !== undefined && t.policyHooks.isConsistentHash?.(gateway) === true,
      );
    const ruleRoutingType = routingTypeFor(t, gateway, route, parent, rule.name);
    const refNames: string[] = backendRefs.map(() => "");
    let validWeight = 0;
    let destinationError: RouteStatusError | undefined;
    let noReadyEndpoints = false;
    let hasDynamicResolver = false;
    const customRefs: ir.UnstructuredRef[] = [];
    backendRefs.forEach((ref, i) => {
      const { ds, error, extensionRef } = processDestination(t, `${destName}/backend/${i}`, ref, parent, route, rule.name);
      if (extensionRef !== undefined) customRefs.push(extensionRef);
      if (error !== undefined) {
        if (error.reason === "EndpointsNotFound") {
          errors.add(new RouteStatusError(`failed to find endpoints: ${error.message}`, error.reason, "BackendsAvailable"));
          noReadyEndpoints = true;
        } else {
          errors.add(new RouteStatusError(`failed to process route rule ${ruleIdx} backendRef ${i}: ${error.message}`, error.reason, error.conditionType));
          if (!isGRPC) ds.invalid = true;
          destinationError = error;
        }
      }
      if (ds.weight === 0) return;
      if (ds.isDynamicResolver === true) hasDynamicResolver = true;
      refNames[i] = `${ref.namespace !== undefined && ref.namespace !== "" ? ref.namespace : route.namespace}/${ref.name}`;
      if (error === undefined) validWeight += ds.weight ?? 0;
      const merge =
        error === undefined &&
        gateway !== undefined &&
        t.xdsIR.has(gateway.irKey) &&
        !routingTypeDiverges(t, gateway, ruleRoutingType) &&
        shouldMergeBackend(gateway, t.index.resources, t.index, mergeUnsafe, ref, route.namespace, ds, t.options.extensionGroupKinds ?? []);
      destinations.push(merge && gateway !== undefined ? { ds, clusterKey: backendClusterKey(gateway, ref, route.namespace, ds.protocol) } : { ds });
    });
    const setDirect = (code: number, skipExisting: boolean): void => {
      for (const r of routes) {
        if (skipExisting && (r.directResponse !== undefined || r.redirect !== undefined)) continue;
        r.directResponse = { statusCode: code };
      }
    };
    if (filterFailed) setDirect(500, isGRPC);
    else if (destinationError !== undefined && validWeight === 0) setDirect(500, true);
    else if (noReadyEndpoints && validWeight === 0) setDirect(503, true);
    else if (validWeight === 0) setDirect(500, true);
    // A host derived from the request path would bypass the dynamic forward proxy's loopback protection.
    else if (hasDynamicResolver && routes.some((r) => r.urlRewrite?.host?.pathRegex !== undefined)) {
      setDirect(500, true);
      errors.add(
        new RouteStatusError(
          `failed to process route rule ${ruleIdx}: host rewrite from path (PathRegex) is not supported with a dynamic resolver backend`,
          "UnsupportedValue",
        ),
      );
    } else if (!isGRPC && hasDynamicResolver && backendRefs.length > 1) {
      setDirect(500, true);
      errors.add(
        new RouteStatusError(`failed to process route rule ${ruleIdx}: dynamic resolver is not supported for multiple backendRefs`, "InvalidBackendRef"),
      );
    }
    for (const r of routes) {
      if (isGRPC) r.isHTTP2 = true;
      if (!isGRPC && customRefs.length > 0) r.extensionRefs = [...(r.extensionRefs ?? []), ...customRefs];
      const rr: RuleRoute = { route: r };
      if (r.directResponse === undefined && r.redirect === undefined) {
        rr.destinations = destinations;
        rr.destName = destName;
        rr.ruleMetadata = metadata;
        if (rule.name !== undefined) rr.ruleName = rule.name;
        if (pattern !== "") rr.statName = buildStatName(pattern, route, rule.name, ruleIdx, refNames);
      }
      out.push(rr);
    }
  });
  return { ruleRoutes: out, errors: errors.all(), unaccepted: [...unaccepted].sort((a, b) => a - b) };
}

function attachToListeners(t: RouteTranslation, route: RouteContext, ruleRoutes: ReadonlyArray<RuleRoute>, parent: ParentRefContext): boolean {
  let intersects = parent.listeners.length === 0;
  for (const l of parent.listeners) {
    const hosts = computeHosts(route.hostnames, l);
    if (hosts.length === 0) continue;
    intersects = true;
    l.status.attachedRoutes++;
    if (!listenerIsReady(l)) continue;
    const perHost: ir.HTTPRoute[] = [];
    for (const host of hosts) {
      for (const rr of ruleRoutes) {
        const r: Mutable<ir.HTTPRoute> = { ...rr.route };
        if (r.redirect !== undefined && r.redirect.port === undefined) {
          let port = l.listener.port;
          const scheme = r.redirect.scheme?.toLowerCase();
          if (scheme === "http") port = 80;
          else if (scheme === "https") port = 443;
          r.redirect = { ...r.redirect, port };
        }
        r.name = `${r.name}/${host.replaceAll(".", "_")}`;
        r.hostname = host;
        if (rr.destinations !== undefined) {
          const settingsOnly = t.policyHooks.hasClusterSettingsBelowGateway?.(l.gateway, route, l, rr.ruleName) === true;
          r.destination = routeDestination(
            t.xdsIR.get(l.gateway.irKey),
            t.backendClusters,
            rr.destName ?? "",
            rr.ruleMetadata,
            rr.statName,
            rr.destinations,
            settingsOnly,
          );
        }
        perHost.push(r);
      }
    }
    const httpIR = l.httpIR;
    if (httpIR !== undefined) {
      if (route.kind === "GRPCRoute") {
        httpIR.grpc = { ...(httpIR.grpc ?? {}), enableGRPCWeb: true, enableGRPCStats: httpIR.grpc?.enableGRPCStats ?? true };
      }
      if (httpIR.routes === undefined) httpIR.routes = perHost;
      else (httpIR.routes as ir.HTTPRoute[]).push(...perHost);
    }
  }
  return intersects;
}

function processParentRefs(t: RouteTranslation, route: RouteContext, rules: ReadonlyArray<AnyRule>): void {
  for (const parent of route.parentContexts) {
    const { ruleRoutes, errors, unaccepted } = processRules(t, route, rules, parent);
    for (const err of errors) {
      if (err.conditionType === "Accepted") {
        if (unaccepted.length === rules.length) {
          setRouteCondition(route, parent, "Accepted", "False", err.reason, conditionMessage(err.message));
        } else {
          setRouteCondition(
            route,
            parent,
            "PartiallyInvalid",
            "True",
            err.reason,
            `Dropped Rule(s) [${unaccepted.join(" ")}]: ${conditionMessage(err.message)}`,
          );
          setRouteCondition(route, parent, "Accepted", "True", "Accepted", "Route is accepted");
        }
      } else setRouteCondition(route, parent, err.conditionType, "False", err.reason, conditionMessage(err.message));
    }
    if (!parentHasCondition(parent, "ResolvedRefs", "False")) {
      setRouteCondition(route, parent, "ResolvedRefs", "True", "ResolvedRefs", "Resolved all the Object references for the Route");
    }
    // Upstream attaches a GRPCRoute only to parents that accepted it (no attachedRoutes count, no IR routes);
    // an HTTPRoute attaches before that check.
    if (route.kind === "GRPCRoute" && parentHasCondition(parent, "Accepted", "False")) continue;
    if (!attachToListeners(t, route, ruleRoutes, parent)) {
      setRouteCondition(
        route,
        parent,
        "Accepted",
        "False",
        "NoMatchingListenerHostname",
        `There were no hostname intersections between the ${route.kind} and this parent ref's Listener(s).`,
      );
    }
  }
}

/** An HTTPRoute or a GRPCRoute: the two kinds whose rules become xds IR HTTP routes. */
type HTTPLikeRoute = HTTPRoute | GRPCRoute;

/** Translates the routes of one kind that attach to the translated Gateways; returns their contexts (for status). */
function processHTTPLikeRoutes<R extends HTTPLikeRoute>(
  t: RouteTranslation,
  kind: "HTTPRoute" | "GRPCRoute",
  routes: ReadonlyArray<R>,
): Array<RouteContext<R>> {
  const out: Array<RouteContext<R>> = [];
  for (const r of routes) {
    const ctx = newRouteContext(kind, r, r.spec, r.status?.parents as never);
    if (!attachRouteToParents(ctx, t.gateways, t.index, t.options.gatewayControllerName)) continue;
    out.push(ctx);
    processParentRefs(t, ctx, r.spec.rules ?? []);
  }
  return out;
}

/** Translates the HTTPRoutes that attach to the translated Gateways; returns their contexts (for status). */
export const processHTTPRoutes = (t: RouteTranslation, routes: ReadonlyArray<HTTPRoute>): Array<RouteContext<HTTPRoute>> =>
  processHTTPLikeRoutes(t, "HTTPRoute", routes);

/** Translates the GRPCRoutes that attach to the translated Gateways; returns their contexts (for status). */
export const processGRPCRoutes = (t: RouteTranslation, routes: ReadonlyArray<GRPCRoute>): Array<RouteContext<GRPCRoute>> =>
  processHTTPLikeRoutes(t, "GRPCRoute", routes);
