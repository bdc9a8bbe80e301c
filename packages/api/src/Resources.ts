import type {
  Backend,
  BackendTLSPolicy,
  BackendTrafficPolicy,
  ClientTrafficPolicy,
  EnvoyExtensionPolicy,
  EnvoyPatchPolicy,
  EnvoyProxy,
  EnvoyProxySpec,
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
import type {
  ClusterTrustBundle,
  ConfigMap,
  EndpointSlice,
  Namespace,
  Secret,
  Service,
  ServiceImport,
} from "./core.js";
import type { KubernetesObject } from "./meta.js";

/** An object of a kind egts does not model (extension filters and policies): kept as plain JSON. */
export interface UnstructuredObject extends KubernetesObject {
  readonly [field: string]: unknown;
}

/**
 * Everything the Gateway API translator reads for one GatewayClass (upstream's resource.Resources).
 * Every list is present (possibly empty); the JSON names are those of upstream's YAML/JSON form.
 */
export interface Resources {
  readonly envoyProxyForGatewayClass?: EnvoyProxy;
  readonly envoyProxiesForGateways: ReadonlyArray<EnvoyProxy>;
  readonly envoyProxyDefaultSpec?: EnvoyProxySpec;
  readonly gatewayClass?: GatewayClass;
  readonly gateways: ReadonlyArray<Gateway>;
  readonly listenerSets: ReadonlyArray<ListenerSet>;
  readonly httpRoutes: ReadonlyArray<HTTPRoute>;
  readonly grpcRoutes: ReadonlyArray<GRPCRoute>;
  readonly tlsRoutes: ReadonlyArray<TLSRoute>;
  readonly tcpRoutes: ReadonlyArray<TCPRoute>;
  readonly udpRoutes: ReadonlyArray<UDPRoute>;
  readonly referenceGrants: ReadonlyArray<ReferenceGrant>;
  readonly namespaces: ReadonlyArray<Namespace>;
  readonly services: ReadonlyArray<Service>;
  readonly serviceImports: ReadonlyArray<ServiceImport>;
  readonly endpointSlices: ReadonlyArray<EndpointSlice>;
  readonly secrets: ReadonlyArray<Secret>;
  readonly configMaps: ReadonlyArray<ConfigMap>;
  readonly extensionRefFilters: ReadonlyArray<UnstructuredObject>;
  readonly envoyPatchPolicies: ReadonlyArray<EnvoyPatchPolicy>;
  readonly clientTrafficPolicies: ReadonlyArray<ClientTrafficPolicy>;
  readonly backendTrafficPolicies: ReadonlyArray<BackendTrafficPolicy>;
  readonly securityPolicies: ReadonlyArray<SecurityPolicy>;
  readonly backendTLSPolicies: ReadonlyArray<BackendTLSPolicy>;
  readonly envoyExtensionPolicies: ReadonlyArray<EnvoyExtensionPolicy>;
  readonly extensionServerPolicies: ReadonlyArray<UnstructuredObject>;
  readonly backends: ReadonlyArray<Backend>;
  readonly httpFilters: ReadonlyArray<HTTPRouteFilter>;
  readonly clusterTrustBundles: ReadonlyArray<ClusterTrustBundle>;
}

/** The list-valued keys of {@link Resources}. */
export type ResourceListKey = {
  [K in keyof Resources]-?: Resources[K] extends ReadonlyArray<unknown> ? K : never;
}[keyof Resources];

/** The list-valued keys of {@link Resources}, in upstream's declaration order. */
export const resourceListKeys: ReadonlyArray<ResourceListKey> = [
  "envoyProxiesForGateways",
  "gateways",
  "listenerSets",
  "httpRoutes",
  "grpcRoutes",
  "tlsRoutes",
  "tcpRoutes",
  "udpRoutes",
  "referenceGrants",
  "namespaces",
  "services",
  "serviceImports",
  "endpointSlices",
  "secrets",
  "configMaps",
  "extensionRefFilters",
  "envoyPatchPolicies",
  "clientTrafficPolicies",
  "backendTrafficPolicies",
  "securityPolicies",
  "backendTLSPolicies",
  "envoyExtensionPolicies",
  "extensionServerPolicies",
  "backends",
  "httpFilters",
  "clusterTrustBundles",
];

/** An empty {@link Resources}: every list empty, no GatewayClass or EnvoyProxy. */
export function emptyResources(): Resources {
  const lists = Object.fromEntries(resourceListKeys.map((k) => [k, []]));
  return lists as unknown as Resources;
}
