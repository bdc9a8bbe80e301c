/** A kind the test API server serves: where it lives in the API and how it behaves. */
export interface ServedKind {
  /** API group; "" for the core group. */
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** Lower-case plural, the path segment (`httproutes`). */
  readonly plural: string;
  readonly namespaced: boolean;
  /** Whether `/status` is a subresource: status is then written only there, and spec only on the main resource. */
  readonly statusSubresource: boolean;
}

/** `group/version`, or `version` for the core group. */
export const apiVersionOf = (k: { readonly group: string; readonly version: string }): string => (k.group === "" ? k.version : `${k.group}/${k.version}`);

const kind = (group: string, version: string, kindName: string, plural: string, namespaced: boolean, statusSubresource: boolean): ServedKind => ({
  group,
  version,
  kind: kindName,
  plural,
  namespaced,
  statusSubresource,
});

/** Built-in Kubernetes kinds the provider and client-node use (core, discovery, apps, coordination, certificates). */
export const builtinKinds: ReadonlyArray<ServedKind> = [
  kind("", "v1", "Namespace", "namespaces", false, true),
  kind("", "v1", "Service", "services", true, true),
  kind("", "v1", "Secret", "secrets", true, false),
  kind("", "v1", "ConfigMap", "configmaps", true, false),
  kind("", "v1", "ServiceAccount", "serviceaccounts", true, false),
  kind("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", true, false),
  kind("apps", "v1", "Deployment", "deployments", true, true),
  kind("apps", "v1", "DaemonSet", "daemonsets", true, true),
  kind("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers", true, true),
  kind("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", true, true),
  kind("coordination.k8s.io", "v1", "Lease", "leases", true, false),
  kind("certificates.k8s.io", "v1beta1", "ClusterTrustBundle", "clustertrustbundles", false, false),
];

/** Gateway API v1 (standard and experimental) kinds, as CRDs with a status subresource. */
export const gatewayApiKinds: ReadonlyArray<ServedKind> = [
  kind("gateway.networking.k8s.io", "v1", "GatewayClass", "gatewayclasses", false, true),
  kind("gateway.networking.k8s.io", "v1", "Gateway", "gateways", true, true),
  kind("gateway.networking.k8s.io", "v1", "HTTPRoute", "httproutes", true, true),
  kind("gateway.networking.k8s.io", "v1", "GRPCRoute", "grpcroutes", true, true),
  kind("gateway.networking.k8s.io", "v1", "ListenerSet", "listenersets", true, true),
  kind("gateway.networking.k8s.io", "v1", "TLSRoute", "tlsroutes", true, true),
  kind("gateway.networking.k8s.io", "v1", "BackendTLSPolicy", "backendtlspolicies", true, true),
  kind("gateway.networking.k8s.io", "v1beta1", "ReferenceGrant", "referencegrants", true, false),
  kind("gateway.networking.k8s.io", "v1alpha2", "TCPRoute", "tcproutes", true, true),
  kind("gateway.networking.k8s.io", "v1alpha2", "UDPRoute", "udproutes", true, true),
];

/** Envoy Gateway's own kinds (gateway.envoyproxy.io/v1alpha1), as CRDs with a status subresource. */
export const envoyGatewayKinds: ReadonlyArray<ServedKind> = [
  kind("gateway.envoyproxy.io", "v1alpha1", "EnvoyProxy", "envoyproxies", true, true),
  kind("gateway.envoyproxy.io", "v1alpha1", "ClientTrafficPolicy", "clienttrafficpolicies", true, true),
  kind("gateway.envoyproxy.io", "v1alpha1", "BackendTrafficPolicy", "backendtrafficpolicies", true, true),
  kind("gateway.envoyproxy.io", "v1alpha1", "SecurityPolicy", "securitypolicies", true, true),
  kind("gateway.envoyproxy.io", "v1alpha1", "EnvoyExtensionPolicy", "envoyextensionpolicies", true, true),
  kind("gateway.envoyproxy.io", "v1alpha1", "EnvoyPatchPolicy", "envoypatchpolicies", true, true),
  kind("gateway.envoyproxy.io", "v1alpha1", "Backend", "backends", true, true),
  kind("gateway.envoyproxy.io", "v1alpha1", "HTTPRouteFilter", "httproutefilters", true, true),
];

/** Multi-cluster services' ServiceImport (an optional CRD in real clusters). */
export const serviceImportKind: ServedKind = kind("multicluster.x-k8s.io", "v1alpha1", "ServiceImport", "serviceimports", true, false);

/** Every kind above: what a cluster with Envoy Gateway's CRDs installed serves. */
export const allKinds: ReadonlyArray<ServedKind> = [...builtinKinds, ...gatewayApiKinds, ...envoyGatewayKinds, serviceImportKind];
