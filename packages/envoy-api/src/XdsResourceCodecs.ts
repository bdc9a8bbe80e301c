import { Cluster } from "./generated/envoy/config/cluster/v3/cluster.js";
import { TypedExtensionConfig } from "./generated/envoy/config/core/v3/extension.js";
import { ClusterLoadAssignment } from "./generated/envoy/config/endpoint/v3/endpoint.js";
import { Listener } from "./generated/envoy/config/listener/v3/listener.js";
import { RouteConfiguration } from "./generated/envoy/config/route/v3/route.js";
import { VirtualHost } from "./generated/envoy/config/route/v3/route_components.js";
import { ScopedRouteConfiguration } from "./generated/envoy/config/route/v3/scoped_route.js";
import { Secret } from "./generated/envoy/extensions/transport_sockets/tls/v3/secret.js";
import { Runtime } from "./generated/envoy/service/runtime/v3/rtds.js";
import type { MessageType } from "./generated/registry.js";
import { RateLimitConfig } from "./generated/ratelimit/config/ratelimit/v3/rls_conf.js";
import { typeNameOfUrl } from "./Any.js";
import type { xdsResourceTypeNames } from "./XdsResourceTypes.js";

// Only the resource types' own modules (and what they import) are loaded here: the registry of every message
// type (./Registry.ts) costs a server about 20 MiB of memory it never uses.
const codecs: ReadonlyMap<string, MessageType> = new Map(
  [
    Listener,
    RouteConfiguration,
    Cluster,
    ClusterLoadAssignment,
    Secret,
    Runtime,
    TypedExtensionConfig,
    VirtualHost,
    ScopedRouteConfiguration,
    RateLimitConfig,
  ].map((type) => [type.$type, type as MessageType] as const),
);

/**
 * The generated codec of an xDS resource type ({@link xdsResourceTypeNames}), by type URL or full name;
 * undefined for any other type (look those up in `@egts/envoy-api/registry`).
 */
export function xdsResourceCodec(typeUrlOrName: string): MessageType | undefined {
  return codecs.get(typeNameOfUrl(typeUrlOrName));
}
