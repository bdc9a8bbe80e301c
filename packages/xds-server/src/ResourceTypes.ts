import { TYPE_URL_PREFIX, xdsResourceTypeNames, type XdsResourceKind } from "@egts/envoy-api";

/** Type URLs of the resource types this server hands out, keyed by their short name. */
export const resourceTypeUrls: { readonly [K in XdsResourceKind]: string } = Object.fromEntries(
  Object.entries(xdsResourceTypeNames).map(([kind, name]) => [kind, TYPE_URL_PREFIX + name]),
) as { readonly [K in XdsResourceKind]: string };

/**
 * The order in which an update is pushed across types on one ADS stream, as go-control-plane's ADS
 * ordering: clusters before endpoints (Envoy warms a cluster with its endpoints), both before listeners
 * and listeners before routes, so a new reference always points at something already sent. Types not
 * listed (unknown extensions) follow, in type URL order.
 */
export const responseOrder: readonly string[] = [
  resourceTypeUrls.clusters,
  resourceTypeUrls.endpoints,
  resourceTypeUrls.listeners,
  resourceTypeUrls.routes,
  resourceTypeUrls.scopedRoutes,
  resourceTypeUrls.virtualHosts,
  resourceTypeUrls.secrets,
  resourceTypeUrls.runtimes,
  resourceTypeUrls.extensionConfigs,
  resourceTypeUrls.rateLimitConfigs,
];

const orderIndex = new Map(responseOrder.map((typeUrl, index) => [typeUrl, index]));

/** Compares two type URLs by ADS response order. */
export function compareResponseOrder(a: string, b: string): number {
  const ia = orderIndex.get(a) ?? responseOrder.length;
  const ib = orderIndex.get(b) ?? responseOrder.length;
  return ia !== ib ? ia - ib : a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Whether the client must be sent the full set of a type in state-of-the-world xDS even when it names
 * resources (listeners and clusters: absence from a response means deletion there).
 */
export const isFullStateType = (typeUrl: string): boolean => typeUrl === resourceTypeUrls.listeners || typeUrl === resourceTypeUrls.clusters;

/**
 * The name a resource is known by in xDS: `cluster_name` for a ClusterLoadAssignment, `name` for every
 * other type the server hands out. Returns undefined when the message has no usable name.
 */
export function resourceNameOf(typeUrl: string, message: unknown): string | undefined {
  if (typeof message !== "object" || message === null) return undefined;
  const field = typeUrl === resourceTypeUrls.endpoints ? "clusterName" : "name";
  const name = (message as Record<string, unknown>)[field];
  return typeof name === "string" && name.length > 0 ? name : undefined;
}
