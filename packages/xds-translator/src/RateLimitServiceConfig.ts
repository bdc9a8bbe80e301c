import { binaryToProtoJson } from "@egts/envoy-api";
import type { JsonValue } from "@bufbuild/protobuf";
import { RateLimit as RouteRateLimit } from "@egts/envoy-api/generated/envoy/config/route/v3/route_components";
import {
  RateLimitConfig,
  type RateLimitDescriptor,
  type RateLimitPolicy,
  RateLimitUnit,
} from "@egts/envoy-api/generated/ratelimit/config/ratelimit/v3/rls_conf";
import type { HTTPListener, HTTPRoute, RateLimitRule } from "@egts/ir";
import {
  domainRuleIndex,
  exactCidrValue,
  hasGlobal,
  isMatchSet,
  isShared,
  routeRateLimits,
  ruleDescriptor,
  sharedDomain,
} from "./internal/filters/RateLimit.js";

/** A descriptor while the configuration is assembled: children are appended as routes are visited. */
interface DescriptorNode {
  readonly key: string;
  readonly value: string;
  readonly shadowMode: boolean;
  rateLimit?: RateLimitPolicy;
  readonly descriptors: DescriptorNode[];
}

const unitByName: Readonly<Record<string, RateLimitUnit>> = {
  SECOND: RateLimitUnit.SECOND,
  MINUTE: RateLimitUnit.MINUTE,
  HOUR: RateLimitUnit.HOUR,
  DAY: RateLimitUnit.DAY,
  WEEK: RateLimitUnit.WEEK,
  MONTH: RateLimitUnit.MONTH,
  YEAR: RateLimitUnit.YEAR,
};

/** The rate limit service's unit for an IR unit, case-insensitively (upstream upper-cases it); UNKNOWN otherwise. */
const serviceUnit = (unit: string): RateLimitUnit => unitByName[unit.toUpperCase()] ?? RateLimitUnit.UNKNOWN;

/**
 * The descriptor chain of one rule, in the order the route's actions produce descriptor entries: header
 * matches, method, path, CIDR (masked range, then the client address when distinct), query parameters, or a
 * catch-all key when the rule matches nothing. The limit sits on the chain's last descriptor.
 */
function ruleDescriptorChain(rules: readonly RateLimitRule[], rIdx: number): DescriptorNode {
  const rule = rules[rIdx] as RateLimitRule;
  const idx = domainRuleIndex(rules, rIdx, isShared(rule));
  const shadowMode = rule.shadowMode === true;
  const chain: DescriptorNode[] = [];
  const add = (key: string, value = ""): void => {
    chain.push({ key, value, shadowMode, descriptors: [] });
  };
  (rule.headerMatches ?? []).forEach((m, i) => add(ruleDescriptor(idx, i), m.distinct ? "" : ruleDescriptor(idx, i)));
  if ((rule.methodMatches?.length ?? 0) > 0) add(`rule-${idx}-method`, `rule-${idx}-method`);
  if (rule.pathMatch !== undefined) add(`rule-${idx}-path`, `rule-${idx}-path`);
  if (rule.cidrMatch !== undefined) {
    add("masked_remote_address", exactCidrValue(rule.cidrMatch));
    if (rule.cidrMatch.distinct) add("remote_address");
  }
  const offset = rule.headerMatches?.length ?? 0;
  (rule.queryParamMatches ?? []).forEach((q, i) => add(ruleDescriptor(idx, offset + i), q.distinct ? "" : ruleDescriptor(idx, offset + i)));
  if (!isMatchSet(rule)) add(ruleDescriptor(idx, -1), ruleDescriptor(idx, -1));
  for (let i = 1; i < chain.length; i++) (chain[i - 1] as DescriptorNode).descriptors.push(chain[i] as DescriptorNode);
  (chain[chain.length - 1] as DescriptorNode).rateLimit = {
    unit: serviceUnit(rule.limit.unit),
    requestsPerUnit: rule.limit.requests,
    unlimited: false,
    name: "",
    replaces: [],
  };
  return chain[0] as DescriptorNode;
}

/** Same keys and values all the way down (upstream's duplicate check: limits and modes are not compared). */
function sameShape(a: DescriptorNode, b: DescriptorNode): boolean {
  return (
    a.key === b.key &&
    a.value === b.value &&
    a.descriptors.length === b.descriptors.length &&
    a.descriptors.every((child, i) => sameShape(child, b.descriptors[i] as DescriptorNode))
  );
}

const toMessage = (node: DescriptorNode): RateLimitDescriptor => ({
  key: node.key,
  value: node.value,
  ...(node.rateLimit !== undefined ? { rateLimit: node.rateLimit } : {}),
  descriptors: node.descriptors.map(toMessage),
  shadowMode: node.shadowMode,
  detailedMetric: false,
  quotaMode: false,
});

/**
 * The rate limit service's configuration for the global rate limits of some HTTP listeners (upstream v1.9
 * `BuildRateLimitServiceConfig`): one `RateLimitConfig` per domain, named after it, sorted by domain. A
 * listener's own rules go to the listener's domain under a descriptor keyed by the route name; a shared
 * rule goes to its policy's domain under a descriptor keyed by the rule name, so every route the policy
 * targets counts against one limit. Each rule adds the chain of descriptors its route's actions send,
 * unless an equal chain is already there. Pure: the same listeners give the same configs.
 */
export function buildRateLimitServiceConfigs(listeners: readonly HTTPListener[]): RateLimitConfig[] {
  const byDomain = new Map<string, DescriptorNode[]>();
  for (const listener of listeners) {
    for (const route of listener.routes ?? []) {
      if (!hasGlobal(route)) continue;
      const rules = route.traffic?.rateLimit?.global?.rules ?? [];
      rules.forEach((rule, rIdx) => {
        const shared = isShared(rule);
        const domain = shared ? sharedDomain(rule.name ?? "") : listener.name;
        const key = shared ? (rule.name ?? "") : route.name;
        const top = byDomain.get(domain) ?? [];
        byDomain.set(domain, top);
        let parent = top.find((d) => d.key === key);
        if (parent === undefined) {
          parent = { key, value: key, shadowMode: false, descriptors: [] };
          top.push(parent);
        }
        const chain = ruleDescriptorChain(rules, rIdx);
        if (!parent.descriptors.some((d) => sameShape(d, chain))) parent.descriptors.push(chain);
      });
    }
  }
  return [...byDomain]
    .filter(([, descriptors]) => descriptors.length > 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([domain, descriptors]) => ({ name: domain, domain, descriptors: descriptors.map(toMessage) }));
}

/**
 * The rate limit actions of a route's global rate limit, by rate limit domain (the listener's name, or a
 * shared rule's policy domain), in rule order: what the translator puts in the route's per-filter
 * `RateLimitPerRoute` configs. Undefined when the route has no global rate limit.
 */
export function buildRouteRateLimits(listenerName: string, route: HTTPRoute): ReadonlyMap<string, readonly RouteRateLimit[]> | undefined {
  if (!hasGlobal(route)) return undefined;
  const out = new Map<string, RouteRateLimit[]>();
  for (const [domain, rateLimits] of routeRateLimits(listenerName, route))
    out.set(
      domain,
      rateLimits.map((r) => RouteRateLimit.fromPartial(r)),
    );
  return out;
}

/** A RateLimitConfig in canonical proto3 JSON. */
export const rateLimitConfigToJson = (config: RateLimitConfig): JsonValue => binaryToProtoJson(RateLimitConfig.$type, RateLimitConfig.encode(config).finish());

/** A route rate limit (`envoy.config.route.v3.RateLimit`) in canonical proto3 JSON. */
export const routeRateLimitToJson = (rateLimit: RouteRateLimit): JsonValue =>
  binaryToProtoJson(RouteRateLimit.$type, RouteRateLimit.encode(rateLimit).finish());
