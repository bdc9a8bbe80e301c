import type { Filter } from "@egts/envoy-api/generated/envoy/config/listener/v3/listener_components";
import { Action, RBAC_Action } from "@egts/envoy-api/generated/envoy/config/rbac/v3/rbac";
import { SourceIPInput } from "@egts/envoy-api/generated/envoy/extensions/matching/common_inputs/network/v3/network_inputs";
import { RBAC as NetworkRBAC } from "@egts/envoy-api/generated/envoy/extensions/filters/network/rbac/v3/rbac";
import { Ip } from "@egts/envoy-api/generated/envoy/extensions/matching/input_matchers/ip/v3/ip";
import type { Authorization } from "@egts/ir";
import { maskedCidrAddress } from "./filters/Authorization.js";
import { anyOf } from "./Proto.js";

type RbacP = Parameters<typeof NetworkRBAC.fromPartial>[0];
type MatcherP = NonNullable<RbacP["matcher"]>;
type FieldMatcherP = NonNullable<Extract<NonNullable<MatcherP["matcherType"]>, { $case: "matcherList" }>["value"]>["matchers"] & object;

/**
 * The network RBAC filter guarding a TCP route: client CIDR rules (the only principal L4 can see) with
 * allow/deny actions and a default action; undefined when the route has no authorization.
 */
export function buildTcpRbacFilter(statPrefix: string, authz: Authorization | undefined): Filter | undefined {
  if (authz === undefined) return undefined;
  const allow = anyOf(Action, { name: "ALLOW", action: RBAC_Action.ALLOW });
  const deny = anyOf(Action, { name: "DENY", action: RBAC_Action.DENY });
  const matchers: FieldMatcherP = (authz.rules ?? []).map((rule) => {
    const cidrs = rule.principal.clientCIDRs ?? [];
    const predicate =
      cidrs.length === 0
        ? undefined
        : {
            matchType: {
              $case: "singlePredicate" as const,
              value: {
                input: { name: "client_ip", typedConfig: anyOf(SourceIPInput, {}) },
                matcher: {
                  $case: "customMatch" as const,
                  value: {
                    name: "ip_matcher",
                    typedConfig: anyOf(Ip, {
                      statPrefix: "client_ip",
                      cidrRanges: cidrs.map((c) => ({ addressPrefix: maskedCidrAddress(c.cidr), prefixLen: c.maskLen })),
                    }),
                  },
                },
              },
            },
          };
    return {
      ...(predicate !== undefined ? { predicate } : {}),
      onMatch: { onMatch: { $case: "action" as const, value: { name: rule.name, typedConfig: rule.action === "Deny" ? deny : allow } } },
    };
  });
  const matcher: MatcherP = {
    onNoMatch: { onMatch: { $case: "action", value: { name: "default", typedConfig: authz.defaultAction === "Allow" ? allow : deny } } },
    ...(matchers.length > 0 ? { matcherType: { $case: "matcherList", value: { matchers } } } : {}),
  };
  return {
    name: "envoy.filters.network.rbac",
    configType: { $case: "typedConfig", value: anyOf(NetworkRBAC, { statPrefix, matcher }) },
  };
}
