import type { Filter } from "@egts/envoy-api/generated/envoy/config/listener/v3/listener_components";
import { RBAC_Action } from "@egts/envoy-api/generated/envoy/config/rbac/v3/rbac";
import { RBAC as NetworkRBAC } from "@egts/envoy-api/generated/envoy/extensions/filters/network/rbac/v3/rbac";
import { FilterConfig as SniDfpConfig } from "@egts/envoy-api/generated/envoy/extensions/filters/network/sni_dynamic_forward_proxy/v3/sni_dynamic_forward_proxy";
import type { TCPRoute } from "@egts/ir";
import { dfpCacheName, dnsLookupFamily } from "./Cluster.js";
import { anyOf, duration, nanosOf, seconds } from "./Proto.js";

/** Upstream connections of SNI-forwarded TLS go to port 443 of the host the SNI names. */
const SNI_UPSTREAM_PORT = 443;
/** SNI values naming the proxy itself, refused so clients cannot reach Envoy's own loopback services. */
const LOOPBACK_SNI = String.raw`(?i)^(localhost|localhost\.localdomain|ip6-localhost|ip6-loopback|127\.0\.0\.1|::1|\[::1\])\.?$`;

/** Whether a TCP route forwards TLS to whatever host its SNI names (TLS passthrough to a dynamic resolver). */
export function isSniDynamicForwardProxyRoute(route: TCPRoute): boolean {
  const settings = route.destination?.settings ?? [];
  return settings.length === 1 && settings[0]?.isDynamicResolver === true && route.tls?.inspector !== undefined && route.tls.terminate === undefined;
}

/** The network filters such a route needs before its TCP proxy: loopback SNI denial, then SNI resolution. */
export function sniDynamicForwardProxyFilters(route: TCPRoute, statPrefix: string): Filter[] {
  const loopbackDeny = anyOf(NetworkRBAC, {
    statPrefix,
    rules: {
      action: RBAC_Action.DENY,
      policies: {
        "deny-loopback-sni": {
          permissions: [{ rule: { $case: "requestedServerName", value: { matchPattern: { $case: "safeRegex", value: { regex: LOOPBACK_SNI } } } } }],
          principals: [{ identifier: { $case: "any", value: true } }],
        },
      },
    },
  });
  const dns = route.dns;
  const refresh = dns?.dnsRefreshRate !== undefined && nanosOf(dns.dnsRefreshRate) > 0 ? duration(dns.dnsRefreshRate) : seconds(30);
  const dfp = anyOf(SniDfpConfig, {
    dnsCacheConfig: { name: dfpCacheName(undefined, dns), dnsLookupFamily: dnsLookupFamily(undefined, dns), dnsRefreshRate: refresh },
    portSpecifier: { $case: "portValue", value: SNI_UPSTREAM_PORT },
  });
  return [
    { name: "envoy.filters.network.rbac", configType: { $case: "typedConfig", value: loopbackDeny } },
    { name: "envoy.filters.network.sni_dynamic_forward_proxy", configType: { $case: "typedConfig", value: dfp } },
  ];
}
