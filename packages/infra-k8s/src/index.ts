/**
 * Kubernetes infrastructure as upstream Envoy Gateway renders it (internal/infrastructure/kubernetes): the Envoy
 * proxy's ServiceAccount, SDS ConfigMap, Deployment or DaemonSet, Service, HPA and PDB from the infra IR, the
 * global rate-limit service's objects from the EnvoyGateway configuration, and users' strategic-merge and JSON
 * merge patches. Pure: no I/O, no client.
 *
 * @packageDocumentation
 */
export type { InfraObjectKind, KubeObject, ObjectMeta, OwnerReference, RenderResult } from "./KubeObjects.js";
export type { KubernetesPatchSpec, PatchableKind, PatchResult } from "./Patch.js";
export { applyPatch } from "./Patch.js";
export type { ProxyRenderContext, ProxyRenderer } from "./ProxyResources.js";
export { envoyAppLabels, gatewayNamespaceMode, hashedName, proxyRenderer } from "./ProxyResources.js";
export type { RateLimitRenderContext, RateLimitRenderer } from "./RateLimitResources.js";
export { RATE_LIMIT_GRPC_PORT, RATE_LIMIT_NAME, rateLimitLabels, rateLimitRenderer, rateLimitServiceURL } from "./RateLimitResources.js";
export type { EnvoyGatewayView } from "./internal/Views.js";
export type { ApplyOptions, ApplyReport, DesiredObjects, ObjectOperationEvent, ObjectRef, ObjectStore, StoredObject } from "./Applier.js";
export { applyObjects, containsFields, deleteObjects, desiredObjects, ownedBy } from "./Applier.js";
export { proxyDesiredObjects, proxyObjectRefs, rateLimitDesiredObjects } from "./ProxyObjects.js";
