import type { Condition, KubernetesObject, ObjectMeta } from "./meta.js";

/** A core/v1 Namespace. */
export interface Namespace extends KubernetesObject {
  readonly apiVersion: "v1";
  readonly kind: "Namespace";
  readonly spec?: { readonly finalizers?: ReadonlyArray<string> };
  readonly status?: { readonly phase?: string; readonly conditions?: ReadonlyArray<unknown> };
}

/** A port of a core/v1 Service. */
export interface ServicePort {
  readonly name?: string;
  readonly protocol?: "TCP" | "UDP" | "SCTP";
  readonly appProtocol?: string;
  readonly port: number;
  readonly targetPort?: number | string;
  readonly nodePort?: number;
}

/** The spec of a core/v1 Service (the fields Envoy Gateway reads, plus the common others). */
export interface ServiceSpec {
  readonly type?: "ClusterIP" | "NodePort" | "LoadBalancer" | "ExternalName";
  readonly clusterIP?: string;
  readonly clusterIPs?: ReadonlyArray<string>;
  readonly ports?: ReadonlyArray<ServicePort>;
  readonly selector?: { readonly [key: string]: string };
  readonly externalName?: string;
  readonly externalIPs?: ReadonlyArray<string>;
  readonly ipFamilies?: ReadonlyArray<"IPv4" | "IPv6">;
  readonly ipFamilyPolicy?: "SingleStack" | "PreferDualStack" | "RequireDualStack";
  readonly sessionAffinity?: "ClientIP" | "None";
  readonly externalTrafficPolicy?: "Cluster" | "Local";
  readonly internalTrafficPolicy?: "Cluster" | "Local";
  readonly loadBalancerIP?: string;
  readonly loadBalancerClass?: string;
  readonly loadBalancerSourceRanges?: ReadonlyArray<string>;
  readonly allocateLoadBalancerNodePorts?: boolean;
  readonly publishNotReadyAddresses?: boolean;
  readonly healthCheckNodePort?: number;
  readonly trafficDistribution?: string;
}

/** A load-balancer ingress point reported in a Service's status. */
export interface LoadBalancerIngress {
  readonly ip?: string;
  readonly hostname?: string;
  readonly ipMode?: string;
  readonly ports?: ReadonlyArray<{ readonly port: number; readonly protocol: string; readonly error?: string }>;
}

/** A core/v1 Service. */
export interface Service extends KubernetesObject {
  readonly apiVersion: "v1";
  readonly kind: "Service";
  readonly spec?: ServiceSpec;
  readonly status?: {
    readonly loadBalancer?: { readonly ingress?: ReadonlyArray<LoadBalancerIngress> };
    readonly conditions?: ReadonlyArray<Condition>;
  };
}

/** One endpoint of a discovery.k8s.io/v1 EndpointSlice. */
export interface Endpoint {
  readonly addresses: ReadonlyArray<string>;
  readonly conditions?: { readonly ready?: boolean; readonly serving?: boolean; readonly terminating?: boolean };
  readonly hostname?: string;
  readonly nodeName?: string;
  readonly zone?: string;
  readonly hints?: { readonly forZones?: ReadonlyArray<{ readonly name: string }>; readonly forNodes?: ReadonlyArray<{ readonly name: string }> };
  readonly targetRef?: { readonly kind?: string; readonly namespace?: string; readonly name?: string; readonly uid?: string };
}

/** A port of a discovery.k8s.io/v1 EndpointSlice. */
export interface EndpointPort {
  readonly name?: string;
  readonly protocol?: "TCP" | "UDP" | "SCTP";
  readonly port?: number;
  readonly appProtocol?: string;
}

/** A discovery.k8s.io/v1 EndpointSlice. */
export interface EndpointSlice extends KubernetesObject {
  readonly apiVersion: "discovery.k8s.io/v1";
  readonly kind: "EndpointSlice";
  readonly addressType: "IPv4" | "IPv6" | "FQDN";
  readonly endpoints?: ReadonlyArray<Endpoint>;
  readonly ports?: ReadonlyArray<EndpointPort>;
}

/** A core/v1 Secret. `data` values are base64 text, as in YAML/JSON manifests. */
export interface Secret extends KubernetesObject {
  readonly apiVersion: "v1";
  readonly kind: "Secret";
  readonly type?: string;
  readonly data?: { readonly [key: string]: string };
  readonly stringData?: { readonly [key: string]: string };
  readonly immutable?: boolean;
}

/** A core/v1 ConfigMap. `binaryData` values are base64 text. */
export interface ConfigMap extends KubernetesObject {
  readonly apiVersion: "v1";
  readonly kind: "ConfigMap";
  readonly data?: { readonly [key: string]: string };
  readonly binaryData?: { readonly [key: string]: string };
  readonly immutable?: boolean;
}

/** A multicluster.x-k8s.io/v1alpha1 ServiceImport (Multi-Cluster Services API). */
export interface ServiceImport extends KubernetesObject {
  readonly apiVersion: "multicluster.x-k8s.io/v1alpha1";
  readonly kind: "ServiceImport";
  readonly spec?: {
    readonly ports?: ReadonlyArray<{
      readonly name?: string;
      readonly protocol?: "TCP" | "UDP" | "SCTP";
      readonly appProtocol?: string;
      readonly port: number;
    }>;
    readonly ips?: ReadonlyArray<string>;
    readonly type?: "ClusterSetIP" | "Headless";
    readonly sessionAffinity?: "ClientIP" | "None";
    readonly sessionAffinityConfig?: { readonly clientIP?: { readonly timeoutSeconds?: number } };
  };
  readonly status?: { readonly clusters?: ReadonlyArray<{ readonly cluster: string }> };
}

/** A certificates.k8s.io ClusterTrustBundle (v1beta1 or v1alpha1): PEM CA certificates for a signer. */
export interface ClusterTrustBundle extends KubernetesObject {
  readonly apiVersion: "certificates.k8s.io/v1beta1" | "certificates.k8s.io/v1alpha1";
  readonly kind: "ClusterTrustBundle";
  readonly spec: { readonly signerName?: string; readonly trustBundle: string };
}

/** Metadata-only helper: the namespace/name key of an object. */
export function objectKey(meta: ObjectMeta): string {
  return meta.namespace ? `${meta.namespace}/${meta.name}` : meta.name;
}
