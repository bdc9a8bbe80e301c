import type { JsonValue } from "@bufbuild/protobuf";
import { binaryToProtoJson, TYPE_URL_PREFIX, xdsResourceCodec, xdsResourceTypeNames } from "@egts/envoy-api";

/** One `envoy.admin.v3.*ConfigDump` message in proto3 JSON, `@type` first. */
export type ConfigDumpEntry = { readonly "@type": string } & { readonly [field: string]: JsonValue };

/** Envoy's admin `ConfigDump` in proto3 JSON: the list of per-type dumps. */
export interface ConfigDump {
  readonly configs: readonly ConfigDumpEntry[];
}

/** The admin dump types, by the short names `egctl x translate --type` takes. */
export const configDumpTypeNames = {
  bootstrap: "envoy.admin.v3.BootstrapConfigDump",
  endpoint: "envoy.admin.v3.EndpointsConfigDump",
  cluster: "envoy.admin.v3.ClustersConfigDump",
  listener: "envoy.admin.v3.ListenersConfigDump",
  route: "envoy.admin.v3.RoutesConfigDump",
  secret: "envoy.admin.v3.SecretsConfigDump",
} as const;

const typed = (typeName: string, body: Record<string, JsonValue>): ConfigDumpEntry => ({ "@type": TYPE_URL_PREFIX + typeName, ...body }) as ConfigDumpEntry;

/** One resource to dump: its encoding, or else the message to encode. */
export interface ConfigDumpSource {
  readonly name: string;
  readonly bytes?: Uint8Array;
  readonly message?: unknown;
}

/** The resources one proxy receives, per type: a translate result, or anything shaped like one. */
export interface ConfigDumpResources {
  readonly listeners: readonly ConfigDumpSource[];
  readonly routes: readonly ConfigDumpSource[];
  readonly clusters: readonly ConfigDumpSource[];
  readonly endpoints: readonly ConfigDumpSource[];
  readonly secrets: readonly ConfigDumpSource[];
}

function resourceJson(typeName: string, source: ConfigDumpSource): Record<string, JsonValue> {
  return { "@type": TYPE_URL_PREFIX + typeName, ...(binaryToProtoJson(typeName, bytesOf(typeName, source)) as Record<string, JsonValue>) };
}

function bytesOf(typeName: string, source: ConfigDumpSource): Uint8Array {
  if (source.bytes !== undefined) return source.bytes;
  const codec = xdsResourceCodec(typeName);
  if (codec === undefined) throw new Error(`config dump: ${typeName} is not an xDS resource type`);
  return codec.encode(source.message).finish();
}

/** Private key material never leaves the process: a secret's key is replaced by the bytes of "[redacted]". */
const REDACTED = Buffer.from("[redacted]").toString("base64");
function redactSecret(secret: Record<string, JsonValue>): Record<string, JsonValue> {
  return JSON.parse(JSON.stringify(secret), (key, value: unknown) =>
    key === "privateKey" && typeof value === "object" && value !== null ? { inlineBytes: REDACTED } : value,
  ) as Record<string, JsonValue>;
}

/**
 * What one proxy receives, in the shape of Envoy's admin config dump as upstream's `egctl x translate --to xds`
 * and config dumps print it: bootstrap (when given, already in proto3 JSON), endpoints, clusters, listeners,
 * routes, and secrets when there are any (private keys redacted).
 */
export function configDumpOf(result: ConfigDumpResources, bootstrap?: JsonValue): ConfigDump {
  const configs: ConfigDumpEntry[] = [];
  if (bootstrap !== undefined) configs.push(typed(configDumpTypeNames.bootstrap, { bootstrap }));
  configs.push(
    typed(configDumpTypeNames.endpoint, {
      dynamicEndpointConfigs: result.endpoints.map((r) => ({ endpointConfig: resourceJson(xdsResourceTypeNames.endpoints, r) })),
    }),
    typed(configDumpTypeNames.cluster, {
      dynamicActiveClusters: result.clusters.map((r) => ({ cluster: resourceJson(xdsResourceTypeNames.clusters, r) })),
    }),
    typed(configDumpTypeNames.listener, {
      dynamicListeners: result.listeners.map((r) => ({ activeState: { listener: resourceJson(xdsResourceTypeNames.listeners, r) } })),
    }),
    typed(configDumpTypeNames.route, {
      dynamicRouteConfigs: result.routes.map((r) => ({ routeConfig: resourceJson(xdsResourceTypeNames.routes, r) })),
    }),
  );
  if (result.secrets.length > 0) {
    configs.push(
      typed(configDumpTypeNames.secret, {
        dynamicActiveSecrets: result.secrets.map((r) => ({ name: r.name, secret: redactSecret(resourceJson(xdsResourceTypeNames.secrets, r)) })),
      }),
    );
  }
  return { configs };
}
