import type { Any } from "@egts/envoy-api";
import type { TransportSocket } from "@egts/envoy-api/generated/envoy/config/core/v3/base";
import type { Route } from "@egts/envoy-api/generated/envoy/config/route/v3/route_components";
import type {
  HttpConnectionManager,
  HttpFilter,
} from "@egts/envoy-api/generated/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager";
import type { HTTPListener, HTTPRoute, RouteDestination, TrafficFeatures } from "@egts/ir";
import { addCluster, endpointTypeOf, trafficArgs, type EndpointType } from "../Cluster.js";
import type { TranslationContext } from "../Context.js";
import { buildSystemTrustTlsSocket } from "../Tls.js";

/** An HCM HTTP filter entry with a typed config. */
export const httpFilter = (name: string, typedConfig: Any, disabled = false): HttpFilter => ({
  name,
  configType: { $case: "typedConfig", value: typedConfig },
  isOptional: false,
  disabled,
});

/** Whether the HCM has a filter of this exact name. */
export const hcmHasFilter = (hcm: HttpConnectionManager, name: string): boolean => hcm.httpFilters.some((f) => f.name === name);

/** Whether any route of the listener satisfies `pred`. */
export const listenerHasRoute = (l: HTTPListener, pred: (r: HTTPRoute) => boolean): boolean => (l.routes ?? []).some(pred);

/** Sets a route's per-filter config; a second config for the same filter is an error, as upstream. */
export function enableFilterOnRoute(route: Route, filterName: string, config: Any): void {
  if (filterName in route.typedPerFilterConfig) throw new Error(`route already contains filter config: ${filterName}, ${route.name}`);
  route.typedPerFilterConfig[filterName] = config;
}

/** `<filter type>/<config name>`, the name of one instance of a multi-instance filter. */
export const perRouteFilterName = (filterType: string, configName: string): string => `${filterType}/${configName}`;

/** The cluster name upstream derives from a host and port (`host_with_underscores_port`). */
export const clusterNameOf = (host: string, port: number): string => `${host.replaceAll(".", "_")}_${port}`;

const isIpAddress = (host: string): boolean => /^[0-9.]+$/.test(host) || host.includes(":");

/** Parses a URL into the cluster upstream makes for it (JWKS, OIDC endpoints): name, host, port, TLS. */
export function urlCluster(url: string): { name: string; hostname: string; port: number; endpointType: EndpointType; tls: boolean } {
  const u = new URL(url);
  const https = u.protocol === "https:";
  const port = u.port !== "" ? Number(u.port) : https ? 443 : 80;
  const hostname = u.hostname.replace(/^\[|\]$/g, "");
  return { name: clusterNameOf(hostname, port), hostname, port, endpointType: isIpAddress(hostname) ? "Static" : "DNS", tls: https };
}

/** Adds the cluster for a URL-addressed service (TLS with the system trust store for https). */
export function addClusterFromUrl(ctx: TranslationContext, url: string, traffic: TrafficFeatures | undefined): void {
  const uc = urlCluster(url);
  const tSocket: TransportSocket | undefined = uc.tls ? buildSystemTrustTlsSocket(uc.hostname) : undefined;
  addCluster(ctx, {
    name: uc.name,
    settings: [{ name: `${uc.name}/backend/-1`, weight: 1, endpoints: [{ host: uc.hostname, port: uc.port }] }],
    endpointType: uc.endpointType,
    tSocket,
    ...trafficArgs(traffic),
  });
}

/** Adds the cluster of an external service destination (ext_authz, ext_proc, ...). */
export function addExtServiceCluster(ctx: TranslationContext, d: RouteDestination, traffic: TrafficFeatures | undefined): void {
  const first = d.settings?.[0];
  addCluster(ctx, {
    name: d.name,
    settings: d.settings ?? [],
    endpointType: first?.addressType === "FQDN" ? "DNS" : "Static",
    metadata: d.metadata,
    ...trafficArgs(traffic),
  });
  void endpointTypeOf;
}
