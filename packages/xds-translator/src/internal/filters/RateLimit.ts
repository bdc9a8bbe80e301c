import { type RateLimit as RouteRateLimit, RateLimit_XRateLimitOption } from "@egts/envoy-api/generated/envoy/config/route/v3/route_components";
import { ApiVersion } from "@egts/envoy-api/generated/envoy/config/core/v3/config_source";
import { LocalRateLimit } from "@egts/envoy-api/generated/envoy/extensions/filters/http/local_ratelimit/v3/local_rate_limit";
import {
  RateLimit as RateLimitFilterConfig,
  RateLimit_XRateLimitHeadersRFCVersion,
  RateLimitPerRoute,
} from "@egts/envoy-api/generated/envoy/extensions/filters/http/ratelimit/v3/rate_limit";
import { XRateLimitHeadersRFCVersion } from "@egts/envoy-api/generated/envoy/extensions/common/ratelimit/v3/ratelimit";
import { FractionalPercent_DenominatorType } from "@egts/envoy-api/generated/envoy/type/v3/percent";
import type { CIDRMatch, HTTPListener, HTTPRoute, QueryParamMatch, RateLimitCost, RateLimitRule, RateLimitUnit, StringMatch, egv1a1 } from "@egts/ir";
import { addCluster } from "../Cluster.js";
import type { TranslationContext } from "../Context.js";
import { buildStringMatcher } from "../Matchers.js";
import { adsConfigSource, anyOfUnchecked, duration as msgDuration, seconds } from "../Proto.js";
import { hcmHasFilter, httpFilter, listenerHasRoute } from "./common.js";
import type { HttpFilterModule } from "./HttpFilter.js";
import { UpstreamTlsContext } from "@egts/envoy-api/generated/envoy/extensions/transport_sockets/tls/v3/tls";
import { TlsParameters_TlsProtocol } from "@egts/envoy-api/generated/envoy/extensions/transport_sockets/tls/v3/common";

/** A route rate limit (descriptor actions) as built, before `RateLimit.fromPartial`. */
export type RouteRateLimitP = Parameters<typeof RouteRateLimit.fromPartial>[0];
type ActionP = NonNullable<RouteRateLimitP["actions"]>[number];

const GLOBAL_NAME = "envoy.filters.http.ratelimit";
const LOCAL_NAME = "envoy.filters.http.local_ratelimit";
const LOCAL_STAT_PREFIX = "http_local_rate_limiter";
/** The cluster of the global rate limit service. */
export const RATE_LIMIT_CLUSTER = "ratelimit_cluster";
const RATE_LIMIT_CA_FILE = "/certs/ca.crt";

const UNIT_SECONDS: Readonly<Record<RateLimitUnit, number>> = {
  Second: 1,
  Minute: 60,
  Hour: 3600,
  Day: 86400,
  Week: 604800,
  Month: 2592000,
  Year: 31536000,
};

/** The descriptor key (and value) of a rule's header or query match: `rule-<rule>-match-<match>`. */
export const ruleDescriptor = (rule: number, match: number) => `rule-${rule}-match-${match}`;
const expectMatch = (m: { readonly invert?: boolean }) => m.invert !== true;

function headerValueMatch(key: string, header: string, m: StringMatch): ActionP {
  return {
    actionSpecifier: {
      $case: "headerValueMatch",
      value: {
        descriptorKey: key,
        descriptorValue: key,
        expectMatch: expectMatch(m),
        headers: [{ name: header, headerMatchSpecifier: { $case: "stringMatch", value: buildStringMatcher(m) } }],
      },
    },
  };
}

function headerActions(rule: number, matches: readonly StringMatch[] | undefined): ActionP[] {
  return (matches ?? []).map((m, i) => {
    const key = ruleDescriptor(rule, i);
    if (m.distinct) return { actionSpecifier: { $case: "requestHeaders", value: { headerName: m.name, descriptorKey: key } } };
    return headerValueMatch(key, m.name, m);
  });
}

function queryActions(rule: number, offset: number, matches: readonly QueryParamMatch[] | undefined): ActionP[] {
  return (matches ?? []).map((q, i) => {
    const key = ruleDescriptor(rule, offset + i);
    if (q.distinct) return { actionSpecifier: { $case: "queryParameters", value: { descriptorKey: key, queryParameterName: q.name } } };
    return {
      actionSpecifier: {
        $case: "queryParameterValueMatch",
        value: {
          descriptorKey: key,
          descriptorValue: key,
          expectMatch: expectMatch(q),
          queryParameters: [{ name: q.name, queryParameterMatchSpecifier: { $case: "stringMatch", value: buildStringMatcher(q) } }],
        },
      },
    };
  });
}

/** The masked network address of a CIDR (`10.0.1.7/24` -> `10.0.1.0`). */
function maskedAddress(cidr: string): string {
  const [addr = "", lenText = "0"] = cidr.split("/");
  const len = Number(lenText);
  if (!addr.includes(":")) {
    const parts = addr.split(".").map(Number);
    if (parts.length !== 4 || parts.some((p) => !(p >= 0 && p <= 255))) return "";
    const n = parts.reduce((a, p) => (a << 8) | p, 0) >>> 0;
    const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
    const m = (n & mask) >>> 0;
    return [24, 16, 8, 0].map((s) => (m >>> s) & 255).join(".");
  }
  return addr.toLowerCase();
}

function cidrAction(c: CIDRMatch, key: string, value: string): ActionP {
  return {
    actionSpecifier: {
      $case: "remoteAddressMatch",
      value: {
        descriptorKey: key,
        descriptorValue: value,
        addressMatcher: { ranges: [{ addressPrefix: maskedAddress(c.cidr), prefixLen: c.maskLen }], invertMatch: c.invert },
      },
    },
  };
}

/** The descriptor value of a CIDR match shared by its whole range (`invert:` marks an inverted match). */
export const exactCidrValue = (c: CIDRMatch) => (c.invert ? `invert:${c.cidr}` : c.cidr);

const xRateLimitOption = (o: egv1a1.XRateLimitHeadersOption | undefined): RateLimit_XRateLimitOption =>
  o === "Off" ? RateLimit_XRateLimitOption.OFF : o === "DraftVersion03" ? RateLimit_XRateLimitOption.DRAFT_VERSION_03 : RateLimit_XRateLimitOption.UNSPECIFIED;

/** Whether a rule matches on anything (else it applies to all traffic of the route). */
export const isMatchSet = (r: RateLimitRule) =>
  (r.headerMatches?.length ?? 0) > 0 ||
  r.pathMatch !== undefined ||
  (r.methodMatches?.length ?? 0) > 0 ||
  r.cidrMatch !== undefined ||
  (r.queryParamMatches?.length ?? 0) > 0;

const hitsAddend = (c: RateLimitCost) => ({
  ...(c.number !== undefined ? { number: String(c.number) } : {}),
  ...(c.format !== undefined ? { format: c.format } : {}),
});

/** The rate limit domain a shared rule belongs to (its name without the rule index). */
export function sharedDomain(name: string): string {
  const i = name.lastIndexOf("/rule/");
  return i !== -1 ? name.slice(0, i) : name.replace("/", "-");
}

/** Whether a rule's limit is shared by every route its policy applies to. */
export const isShared = (r: RateLimitRule) => r.shared === true;
/** Whether a route has a global rate limit. */
export const hasGlobal = (r: HTTPRoute) => r.traffic?.rateLimit?.global !== undefined;
const hasLocal = (r: HTTPRoute) => r.traffic?.rateLimit?.local !== undefined;

/** A rule's index among the rules of its domain (shared rules and listener rules count separately). */
export function domainRuleIndex(rules: readonly RateLimitRule[], index: number, shared: boolean): number {
  let count = 0;
  for (let i = 0; i < index; i++) if (isShared(rules[i] as RateLimitRule) === shared) count++;
  return count;
}

/** The route's global rate limit descriptors actions, grouped by rate limit domain. */
export function routeRateLimits(listenerName: string, route: HTTPRoute): Map<string, RouteRateLimitP[]> {
  const out = new Map<string, RouteRateLimitP[]>();
  const rules = route.traffic?.rateLimit?.global?.rules ?? [];
  rules.forEach((rule, rIdx) => {
    const shared = isShared(rule);
    const domain = shared ? sharedDomain(rule.name ?? "") : listenerName;
    const idx = domainRuleIndex(rules, rIdx, shared);
    const methods: (StringMatch | undefined)[] = (rule.methodMatches?.length ?? 0) > 0 ? [...(rule.methodMatches ?? [])] : [undefined];
    for (const method of methods) {
      const key = shared ? (rule.name ?? "") : route.name;
      const actions: ActionP[] = [{ actionSpecifier: { $case: "genericKey", value: { descriptorKey: key, descriptorValue: key } } }];
      actions.push(...headerActions(idx, rule.headerMatches));
      if (method !== undefined) actions.push(headerValueMatch(`rule-${idx}-method`, ":method", method));
      if (rule.pathMatch !== undefined) actions.push(headerValueMatch(`rule-${idx}-path`, ":path", rule.pathMatch));
      if (rule.cidrMatch !== undefined) {
        actions.push(cidrAction(rule.cidrMatch, "masked_remote_address", exactCidrValue(rule.cidrMatch)));
        if (rule.cidrMatch.distinct) actions.push(cidrAction(rule.cidrMatch, "remote_address", "%DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%"));
      }
      actions.push(...queryActions(idx, rule.headerMatches?.length ?? 0, rule.queryParamMatches));
      if (!isMatchSet(rule)) {
        const k = ruleDescriptor(idx, -1);
        actions.push({ actionSpecifier: { $case: "genericKey", value: { descriptorKey: k, descriptorValue: k } } });
      }
      const rl: RouteRateLimitP = { actions, xRatelimitOption: xRateLimitOption(rule.xRateLimitOption) };
      const md = rule.limit.fromMetadata;
      if (md !== undefined) {
        rl.limit = {
          overrideSpecifier: { $case: "dynamicMetadata", value: { metadataKey: { key: md.namespace, path: [{ segment: { $case: "key", value: md.key } }] } } },
        };
      }
      if (rule.requestCost !== undefined) rl.hitsAddend = hitsAddend(rule.requestCost);
      const list = out.get(domain) ?? [];
      list.push(rl);
      if (rule.responseCost !== undefined) {
        list.push({ ...rl, applyOnStreamDone: true, hitsAddend: hitsAddend(rule.responseCost) });
      }
      out.set(domain, list);
    }
  });
  return out;
}

function buildGlobalRateLimitHttpFilter(ctx: TranslationContext, l: HTTPListener, domain: string, name: string) {
  const timeout = ctx.options.globalRateLimitTimeout;
  return httpFilter(
    name,
    anyOfUnchecked(RateLimitFilterConfig, {
      domain,
      rateLimitService: {
        grpcService: { targetSpecifier: { $case: "envoyGrpc", value: { clusterName: RATE_LIMIT_CLUSTER } } },
        transportApiVersion: ApiVersion.V3,
      },
      ...(timeout !== undefined && timeout !== "" && timeout !== "0s" ? { timeout: msgDuration(timeout) } : {}),
      disableXEnvoyRatelimitedHeader: l.headers?.enableEnvoyHeaders !== true,
      enableXRatelimitHeaders:
        l.headers?.disableRateLimitHeaders === true ? RateLimit_XRateLimitHeadersRFCVersion.OFF : RateLimit_XRateLimitHeadersRFCVersion.DRAFT_VERSION_03,
      ...(ctx.options.globalRateLimitFailClosed === true ? { failureModeDeny: true } : {}),
    }),
  );
}

/** Global rate limiting: one ratelimit filter per domain (the listener, and each shared rule's policy). */
export const globalRateLimitFilter: HttpFilterModule = {
  name: "ratelimit",
  patchHcm(hcm, l, ctx) {
    if (ctx.options.globalRateLimitServiceURL === undefined || !listenerHasRoute(l, hasGlobal) || hcmHasFilter(hcm, GLOBAL_NAME)) return;
    const domains = new Set<string>();
    for (const r of l.routes ?? []) {
      if (!hasGlobal(r)) continue;
      for (const rule of r.traffic?.rateLimit?.global?.rules ?? []) if (isShared(rule)) domains.add(sharedDomain(rule.name ?? ""));
    }
    domains.add(l.name);
    const filters = [...domains].sort().map((d) => buildGlobalRateLimitHttpFilter(ctx, l, d, d === l.name ? GLOBAL_NAME : `${GLOBAL_NAME}/${d}`));
    hcm.httpFilters.unshift(...filters);
  },
  patchRoute(route, r, l) {
    if (!hasGlobal(r) || route.action?.$case !== "route") return;
    for (const [domain, rateLimits] of routeRateLimits(l.name, r)) {
      const name = domain === l.name ? GLOBAL_NAME : `${GLOBAL_NAME}/${domain}`;
      if (name in route.typedPerFilterConfig) throw new Error(`route already contains global rate limit filter config: ${route.name}`);
      route.typedPerFilterConfig[name] = anyOfUnchecked(RateLimitPerRoute, { domain, rateLimits });
    }
  },
};

function localDescriptors(rules: readonly RateLimitRule[]) {
  const rateLimits: RouteRateLimitP[] = [];
  const descriptors: NonNullable<Parameters<typeof LocalRateLimit.fromPartial>[0]["descriptors"]> = [];
  rules.forEach((rule, rIdx) => {
    const methods: (StringMatch | undefined)[] = (rule.methodMatches?.length ?? 0) > 0 ? [...(rule.methodMatches ?? [])] : [undefined];
    for (const method of methods) {
      const actions: ActionP[] = [];
      const entries: { key: string; value?: string }[] = [];
      (rule.headerMatches ?? []).forEach((m, i) => {
        const key = ruleDescriptor(rIdx, i);
        if (m.distinct) {
          actions.push({ actionSpecifier: { $case: "requestHeaders", value: { headerName: m.name, descriptorKey: key } } });
          entries.push({ key });
        } else {
          actions.push(headerValueMatch(key, m.name, m));
          entries.push({ key, value: key });
        }
      });
      if (method !== undefined) {
        const key = `rule-${rIdx}-method`;
        actions.push(headerValueMatch(key, ":method", method));
        entries.push({ key, value: key });
      }
      if (rule.pathMatch !== undefined) {
        const key = `rule-${rIdx}-path`;
        actions.push(headerValueMatch(key, ":path", rule.pathMatch));
        entries.push({ key, value: key });
      }
      if (rule.cidrMatch !== undefined) {
        const masked = `rule-${rIdx}-masked-remote-address`;
        actions.push(cidrAction(rule.cidrMatch, masked, exactCidrValue(rule.cidrMatch)));
        entries.push({ key: masked, value: exactCidrValue(rule.cidrMatch) });
        if (rule.cidrMatch.distinct) {
          const remote = `rule-${rIdx}-remote-address`;
          actions.push(cidrAction(rule.cidrMatch, remote, "%DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%"));
          entries.push({ key: remote });
        }
      }
      const offset = rule.headerMatches?.length ?? 0;
      (rule.queryParamMatches ?? []).forEach((q, i) => {
        const key = ruleDescriptor(rIdx, offset + i);
        entries.push(q.distinct ? { key } : { key, value: key });
      });
      actions.push(...queryActions(rIdx, offset, rule.queryParamMatches));
      rateLimits.push({ actions, xRatelimitOption: xRateLimitOption(rule.xRateLimitOption) });
      descriptors.push({
        entries,
        tokenBucket: { maxTokens: rule.limit.requests, tokensPerFill: rule.limit.requests, fillInterval: seconds(UNIT_SECONDS[rule.limit.unit] ?? 0) },
        shadowMode: rule.shadowMode === true,
      } as (typeof descriptors)[number]);
    }
  });
  return { rateLimits, descriptors };
}

const hundredPercent = { defaultValue: { numerator: 100, denominator: FractionalPercent_DenominatorType.HUNDRED } };

/** Local rate limiting: a token bucket per route, with descriptors for rules. */
export const localRateLimitFilter: HttpFilterModule = {
  name: "local_ratelimit",
  patchHcm(hcm, l) {
    if (!listenerHasRoute(l, hasLocal) || hcmHasFilter(hcm, LOCAL_NAME)) return;
    hcm.httpFilters.push(httpFilter(LOCAL_NAME, anyOfUnchecked(LocalRateLimit, { statPrefix: LOCAL_STAT_PREFIX, maxDynamicDescriptors: 10000 })));
  },
  patchRoute(route, r, l) {
    const local = r.traffic?.rateLimit?.local;
    if (local === undefined || route.action?.$case !== "route") return;
    if (route.action.value.rateLimits.length > 0) throw new Error(`route already contains rate limit config:  ${route.name}`);
    if (LOCAL_NAME in route.typedPerFilterConfig) throw new Error(`route already contains local rate limit filter config:  ${route.name}`);
    const { rateLimits, descriptors } = localDescriptors(local.rules ?? []);
    let headers =
      (local.defaultXRateLimitOption ?? "DraftVersion03") === "Off" ? XRateLimitHeadersRFCVersion.OFF : XRateLimitHeadersRFCVersion.DRAFT_VERSION_03;
    if (l.headers?.disableRateLimitHeaders === true) headers = XRateLimitHeadersRFCVersion.OFF;
    route.typedPerFilterConfig[LOCAL_NAME] = anyOfUnchecked(LocalRateLimit, {
      statPrefix: LOCAL_STAT_PREFIX,
      tokenBucket: {
        maxTokens: local.default.requests,
        tokensPerFill: local.default.requests,
        fillInterval: seconds(UNIT_SECONDS[local.default.unit] ?? 0),
      },
      filterEnabled: hundredPercent,
      filterEnforced: hundredPercent,
      enableXRatelimitHeaders: headers,
      descriptors,
      alwaysConsumeDefaultTokenBucket: false,
      rateLimits,
    });
  },
};

/** The rate limit service cluster (mTLS with Envoy's client certificate) when any listener has global rate limits. */
export function addRateLimitServiceCluster(ctx: TranslationContext): void {
  const cert = ctx.ir.globalResources?.envoyClientCertificate;
  const url = ctx.options.globalRateLimitServiceURL;
  if (cert === undefined || url === undefined) return;
  if (!(ctx.ir.http ?? []).some((l) => listenerHasRoute(l, hasGlobal))) return;
  const u = new URL(url);
  const tSocket = {
    name: "envoy.transport_sockets.tls",
    configType: {
      $case: "typedConfig" as const,
      value: anyOfUnchecked(UpstreamTlsContext, {
        commonTlsContext: {
          tlsParams: { tlsMaximumProtocolVersion: TlsParameters_TlsProtocol.TLSv1_3 },
          validationContextType: { $case: "validationContext", value: { trustedCa: { specifier: { $case: "filename", value: RATE_LIMIT_CA_FILE } } } },
          tlsCertificateSdsSecretConfigs: [{ name: cert.name, sdsConfig: adsConfigSource() }],
        },
      }),
    },
  };
  addCluster(ctx, {
    name: RATE_LIMIT_CLUSTER,
    settings: [{ name: `${RATE_LIMIT_CLUSTER}/backend/-1`, weight: 1, protocol: "GRPC", endpoints: [{ host: u.hostname, port: Number(u.port) }] }],
    tSocket,
    endpointType: "DNS",
    metrics: ctx.ir.metrics,
  });
}
