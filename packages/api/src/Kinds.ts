import type {
  Backend,
  BackendTLSPolicy,
  BackendTrafficPolicy,
  ClientTrafficPolicy,
  EnvoyExtensionPolicy,
  EnvoyPatchPolicy,
  EnvoyProxy,
  Gateway,
  GatewayClass,
  GRPCRoute,
  HTTPRoute,
  HTTPRouteFilter,
  ListenerSet,
  ReferenceGrant,
  SecurityPolicy,
  TCPRoute,
  TLSRoute,
  UDPRoute,
} from "./generated/crdTypes.js";
import type { ClusterTrustBundle, ConfigMap, EndpointSlice, Namespace, Secret, Service, ServiceImport } from "./core.js";
import { crdBundle } from "./internal/generated/crdSchemas.js";
import { clusterScopedCoreKinds, coreSchemas, envoyGatewaySchema, objectMetaSchema } from "./internal/coreSchemas.js";
import type { SchemaNode } from "./internal/schemaTypes.js";

/** Every object kind egts models, discriminated by `kind`. */
export type KnownObject =
  | GatewayClass
  | Gateway
  | ListenerSet
  | HTTPRoute
  | GRPCRoute
  | TLSRoute
  | TCPRoute
  | UDPRoute
  | ReferenceGrant
  | BackendTLSPolicy
  | EnvoyProxy
  | ClientTrafficPolicy
  | BackendTrafficPolicy
  | SecurityPolicy
  | EnvoyExtensionPolicy
  | EnvoyPatchPolicy
  | Backend
  | HTTPRouteFilter
  | Namespace
  | Service
  | EndpointSlice
  | Secret
  | ConfigMap
  | ServiceImport
  | ClusterTrustBundle;

/** The `kind` strings of {@link KnownObject}. */
export type KnownKind = KnownObject["kind"];

/** Where a kind comes from. */
export type KindOrigin = "gateway-api" | "envoy-gateway" | "core";

/** One served group/version/kind and how egts handles it. */
export interface KindInfo {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** `group/version`, or just `version` for the core group. */
  readonly apiVersion: string;
  readonly namespaced: boolean;
  readonly origin: KindOrigin;
  /** True for the CRD version the apiserver stores (the newest, for Gateway API kinds). */
  readonly storage: boolean;
  /** False for EnvoyGateway, a configuration file without metadata. */
  readonly hasMetadata: boolean;
}

interface KindEntry {
  readonly info: KindInfo;
  readonly schema: SchemaNode;
}

let registry: ReadonlyMap<string, KindEntry> | undefined;

function withObjectMeta(schema: SchemaNode): SchemaNode {
  return { ...schema, properties: { ...schema.properties, metadata: objectMetaSchema } };
}

function buildRegistry(): ReadonlyMap<string, KindEntry> {
  const map = new Map<string, KindEntry>();
  const bundle = crdBundle();
  for (const k of bundle.kinds) {
    for (const v of k.versions) {
      const apiVersion = `${k.group}/${v.name}`;
      map.set(`${apiVersion}/${k.kind}`, {
        info: {
          group: k.group,
          version: v.name,
          kind: k.kind,
          apiVersion,
          namespaced: k.scope === "Namespaced",
          origin: k.group === "gateway.envoyproxy.io" ? "envoy-gateway" : "gateway-api",
          storage: v.storage,
          hasMetadata: true,
        },
        schema: withObjectMeta(bundle.schemas[v.schema]!),
      });
    }
  }
  for (const [key, schema] of coreSchemas) {
    const kind = key.slice(key.lastIndexOf("/") + 1);
    const apiVersion = key.slice(0, key.lastIndexOf("/"));
    const slash = apiVersion.indexOf("/");
    map.set(key, {
      info: {
        group: slash < 0 ? "" : apiVersion.slice(0, slash),
        version: slash < 0 ? apiVersion : apiVersion.slice(slash + 1),
        kind,
        apiVersion,
        namespaced: !clusterScopedCoreKinds.has(kind),
        origin: "core",
        storage: true,
        hasMetadata: true,
      },
      schema,
    });
  }
  map.set("gateway.envoyproxy.io/v1alpha1/EnvoyGateway", {
    info: {
      group: "gateway.envoyproxy.io",
      version: "v1alpha1",
      kind: "EnvoyGateway",
      apiVersion: "gateway.envoyproxy.io/v1alpha1",
      namespaced: false,
      origin: "envoy-gateway",
      storage: true,
      hasMetadata: false,
    },
    schema: envoyGatewaySchema,
  });
  return map;
}

function entries(): ReadonlyMap<string, KindEntry> {
  registry ??= buildRegistry();
  return registry;
}

/** Looks up a served apiVersion/kind; undefined when egts does not model it. */
export function lookupKind(apiVersion: string, kind: string): KindInfo | undefined {
  return entries().get(`${apiVersion}/${kind}`)?.info;
}

/** Every served apiVersion/kind egts models (Gateway API, gateway.envoyproxy.io, core, EnvoyGateway). */
export function knownKinds(): ReadonlyArray<KindInfo> {
  return [...entries().values()].map((e) => e.info);
}

/** True for the kind names of {@link KnownObject} whatever the version (EnvoyGateway excluded). */
export function isKnownKindName(kind: string): kind is KnownKind {
  return kind !== "EnvoyGateway" && [...entries().values()].some((e) => e.info.kind === kind);
}

/** @internal The structural schema of an apiVersion/kind (with metav1.ObjectMeta as metadata). */
export function schemaOf(apiVersion: string, kind: string): SchemaNode | undefined {
  return entries().get(`${apiVersion}/${kind}`)?.schema;
}

/** The OpenAPI v3 schema of a served apiVersion/kind, as JSON (descriptions omitted), e.g. to write CRDs. */
export function openAPISchemaOf(apiVersion: string, kind: string): unknown {
  const s = schemaOf(apiVersion, kind);
  return s === undefined ? undefined : (JSON.parse(JSON.stringify(s)) as unknown);
}

/** API groups built into Kubernetes (core "" included). Objects of these groups that egts does not model are
 * ordinary cluster objects (Deployments, ServiceAccounts...), which upstream's loader skips without error. */
const builtinGroups: ReadonlySet<string> = new Set([
  "",
  "admissionregistration.k8s.io",
  "apiextensions.k8s.io",
  "apiregistration.k8s.io",
  "apps",
  "authentication.k8s.io",
  "authorization.k8s.io",
  "autoscaling",
  "batch",
  "certificates.k8s.io",
  "coordination.k8s.io",
  "discovery.k8s.io",
  "events.k8s.io",
  "flowcontrol.apiserver.k8s.io",
  "internal.apiserver.k8s.io",
  "networking.k8s.io",
  "node.k8s.io",
  "policy",
  "rbac.authorization.k8s.io",
  "resource.k8s.io",
  "scheduling.k8s.io",
  "storage.k8s.io",
  "storagemigration.k8s.io",
]);

/** True when an apiVersion belongs to a group built into Kubernetes. */
export function isBuiltinKubernetesApiVersion(apiVersion: string): boolean {
  const slash = apiVersion.indexOf("/");
  return builtinGroups.has(slash < 0 ? "" : apiVersion.slice(0, slash));
}
