/** A kind the provider lists and watches. */
export interface WatchedKind {
  /** API group; "" for the core group. */
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** The resource's path segment (lower-case plural). */
  readonly plural: string;
  readonly namespaced: boolean;
  /**
   * Whether the kind is an optional CRD: looked up through discovery first; when missing it is disabled with
   * one log line and looked for again with backoff (upstream's reconciler does the same for optional CRDs).
   */
  readonly optional: boolean;
  /** Whether the translator reports a status on it that is written to `/status`. */
  readonly hasStatus: boolean;
}

/** `group/version`, or `version` for the core group. */
export const apiVersionOf = (k: { readonly group: string; readonly version: string }): string => (k.group === "" ? k.version : `${k.group}/${k.version}`);

const gw = "gateway.networking.k8s.io";
const eg = "gateway.envoyproxy.io";

const k = (group: string, version: string, kind: string, plural: string, namespaced: boolean, optional: boolean, hasStatus: boolean): WatchedKind => ({
  group,
  version,
  kind,
  plural,
  namespaced,
  optional,
  hasStatus,
});

/**
 * Every kind upstream v1.9's reconciler watches, at the versions it uses. The Gateway API standard kinds and
 * the core kinds are required; experimental Gateway API kinds, ServiceImport, ClusterTrustBundle and the
 * optional Envoy Gateway kinds are discovered.
 */
export const watchedKinds: ReadonlyArray<WatchedKind> = [
  k(gw, "v1", "GatewayClass", "gatewayclasses", false, false, true),
  k(gw, "v1", "Gateway", "gateways", true, false, true),
  k(gw, "v1", "HTTPRoute", "httproutes", true, false, true),
  k(gw, "v1", "GRPCRoute", "grpcroutes", true, true, true),
  k(gw, "v1", "ListenerSet", "listenersets", true, true, true),
  k(gw, "v1", "TLSRoute", "tlsroutes", true, true, true),
  k(gw, "v1alpha2", "TCPRoute", "tcproutes", true, true, true),
  k(gw, "v1alpha2", "UDPRoute", "udproutes", true, true, true),
  k(gw, "v1beta1", "ReferenceGrant", "referencegrants", true, true, false),
  k(gw, "v1", "BackendTLSPolicy", "backendtlspolicies", true, true, true),
  k("", "v1", "Namespace", "namespaces", false, false, false),
  k("", "v1", "Service", "services", true, false, false),
  k("", "v1", "Secret", "secrets", true, false, false),
  k("", "v1", "ConfigMap", "configmaps", true, false, false),
  k("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", true, false, false),
  k("multicluster.x-k8s.io", "v1alpha1", "ServiceImport", "serviceimports", true, true, false),
  k("certificates.k8s.io", "v1beta1", "ClusterTrustBundle", "clustertrustbundles", false, true, false),
  k(eg, "v1alpha1", "EnvoyProxy", "envoyproxies", true, true, false),
  k(eg, "v1alpha1", "ClientTrafficPolicy", "clienttrafficpolicies", true, true, true),
  k(eg, "v1alpha1", "BackendTrafficPolicy", "backendtrafficpolicies", true, true, true),
  k(eg, "v1alpha1", "SecurityPolicy", "securitypolicies", true, true, true),
  k(eg, "v1alpha1", "EnvoyExtensionPolicy", "envoyextensionpolicies", true, true, true),
  k(eg, "v1alpha1", "EnvoyPatchPolicy", "envoypatchpolicies", true, true, true),
  k(eg, "v1alpha1", "Backend", "backends", true, true, true),
  k(eg, "v1alpha1", "HTTPRouteFilter", "httproutefilters", true, true, false),
];

/** The Envoy proxy workloads the controller owns: read for Gateway addresses and `Programmed`. */
export const envoyWorkloadKinds: ReadonlyArray<WatchedKind> = [
  k("apps", "v1", "Deployment", "deployments", true, false, false),
  k("apps", "v1", "DaemonSet", "daemonsets", true, false, false),
];

/** The label selector of the Envoy proxies' Deployments, DaemonSets and Services upstream's infrastructure creates. */
export const envoyProxyLabelSelector = "app.kubernetes.io/managed-by=envoy-gateway,app.kubernetes.io/component=proxy";

/** A kind found by name. */
export function watchedKindNamed(kind: string): WatchedKind | undefined {
  return watchedKinds.find((w) => w.kind === kind);
}
