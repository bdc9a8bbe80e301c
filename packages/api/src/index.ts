// @egts/api: Gateway API, gateway.envoyproxy.io/v1alpha1 and core Kubernetes resource types, their runtime
// validation (from the CRDs' structural schemas and CEL rules), YAML/JSON loading and the Resources bundle.

export type {
  Condition,
  GroupVersionKind,
  KubernetesObject,
  LabelSelector,
  ObjectMeta,
  OwnerReference,
} from "./meta.js";
export { groupVersionKind } from "./meta.js";

export type * from "./generated/crdTypes.js";
export * from "./gatewayApi.js";
export type * from "./envoyGateway.js";
export type {
  ClusterTrustBundle,
  ConfigMap,
  Endpoint,
  EndpointPort,
  EndpointSlice,
  LoadBalancerIngress,
  Namespace,
  Secret,
  Service,
  ServiceImport,
  ServicePort,
  ServiceSpec,
} from "./core.js";
export { objectKey } from "./core.js";
export type { ResourceListKey, Resources, UnstructuredObject } from "./Resources.js";
export { emptyResources, resourceListKeys } from "./Resources.js";
