import { binaryToProtoJson, messageType, protoJsonToBinary, toProtoJson, TYPE_URL_PREFIX, xdsResourceTypeNames } from "@egts/envoy-api";
import type { XdsResourceEntry, XdsResources } from "./Stages.js";

type Json = unknown;

const ADMIN = "envoy.admin.v3.";

function withType(typeName: string, json: Json): Record<string, unknown> {
  return { "@type": TYPE_URL_PREFIX + typeName, ...(json as Record<string, unknown>) };
}

/** Canonical proto3 JSON of a generated Envoy message; a message that cannot be encoded is reported in place. */
function messageJson(typeName: string, entry: XdsResourceEntry): Record<string, unknown> {
  try {
    return withType(typeName, entry.bytes !== undefined ? binaryToProtoJson(typeName, entry.bytes) : toProtoJson(messageType(typeName), entry.message as never));
  } catch (error) {
    return { "@type": TYPE_URL_PREFIX + typeName, error: `cannot encode: ${(error as Error).message}` };
  }
}

/** Canonical proto3 JSON of Envoy's bootstrap given in Envoy's YAML field names; the input itself if it does not parse. */
export function bootstrapJson(bootstrap: Record<string, unknown>): Json {
  try {
    const name = "envoy.config.bootstrap.v3.Bootstrap";
    return binaryToProtoJson(name, protoJsonToBinary(name, bootstrap as never));
  } catch {
    return bootstrap;
  }
}

const redactPrivateKeys = (secret: Record<string, unknown>): Record<string, unknown> =>
  JSON.parse(JSON.stringify(secret), (key, value: unknown) => (key === "privateKey" && typeof value === "object" && value !== null ? { inlineBytes: "W3JlZGFjdGVkXQ==" } : value)) as Record<
    string,
    unknown
  >;

/**
 * The xDS one IR key receives, in the shape of Envoy's admin config dump as `egctl x translate --to xds` prints
 * it: a list of `envoy.admin.v3.*ConfigDump` messages (bootstrap, endpoints, clusters, listeners, routes, and
 * secrets when there are any, with private keys redacted).
 */
export function configDumpOf(bootstrap: Json | undefined, resources: XdsResources): { readonly configs: ReadonlyArray<Record<string, unknown>> } {
  const configs: Record<string, unknown>[] = [];
  if (bootstrap !== undefined) configs.push({ "@type": `${TYPE_URL_PREFIX}${ADMIN}BootstrapConfigDump`, bootstrap });
  configs.push({
    "@type": `${TYPE_URL_PREFIX}${ADMIN}EndpointsConfigDump`,
    dynamicEndpointConfigs: resources.endpoints.map((e) => ({ endpointConfig: messageJson(xdsResourceTypeNames.endpoints, e) })),
  });
  configs.push({
    "@type": `${TYPE_URL_PREFIX}${ADMIN}ClustersConfigDump`,
    dynamicActiveClusters: resources.clusters.map((c) => ({ cluster: messageJson(xdsResourceTypeNames.clusters, c) })),
  });
  configs.push({
    "@type": `${TYPE_URL_PREFIX}${ADMIN}ListenersConfigDump`,
    dynamicListeners: resources.listeners.map((l) => ({ activeState: { listener: messageJson(xdsResourceTypeNames.listeners, l) } })),
  });
  configs.push({
    "@type": `${TYPE_URL_PREFIX}${ADMIN}RoutesConfigDump`,
    dynamicRouteConfigs: resources.routes.map((r) => ({ routeConfig: messageJson(xdsResourceTypeNames.routes, r) })),
  });
  if (resources.secrets.length > 0) {
    configs.push({
      "@type": `${TYPE_URL_PREFIX}${ADMIN}SecretsConfigDump`,
      dynamicActiveSecrets: resources.secrets.map((s) => {
        const json = redactPrivateKeys(messageJson(xdsResourceTypeNames.secrets, s));
        return { name: json["name"], secret: json };
      }),
    });
  }
  return { configs };
}
