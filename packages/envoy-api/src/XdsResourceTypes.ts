/** Full protobuf names of the resource types an xDS server hands out, keyed by their short name. */
export const xdsResourceTypeNames = {
  listeners: "envoy.config.listener.v3.Listener",
  routes: "envoy.config.route.v3.RouteConfiguration",
  clusters: "envoy.config.cluster.v3.Cluster",
  endpoints: "envoy.config.endpoint.v3.ClusterLoadAssignment",
  secrets: "envoy.extensions.transport_sockets.tls.v3.Secret",
  runtimes: "envoy.service.runtime.v3.Runtime",
  extensionConfigs: "envoy.config.core.v3.TypedExtensionConfig",
  virtualHosts: "envoy.config.route.v3.VirtualHost",
  scopedRoutes: "envoy.config.route.v3.ScopedRouteConfiguration",
  /** envoyproxy/ratelimit's per-domain configuration, served to the rate limit service (not to Envoy). */
  rateLimitConfigs: "ratelimit.config.ratelimit.v3.RateLimitConfig",
} as const;

/** A short resource type name (`listeners`, `clusters`, ...). */
export type XdsResourceKind = keyof typeof xdsResourceTypeNames;
