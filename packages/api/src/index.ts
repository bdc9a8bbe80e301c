// @egts/api: Gateway API (v1.6, standard + experimental), gateway.envoyproxy.io/v1alpha1 and core Kubernetes
// resource types; their runtime validation, generated from the CRDs' structural schemas and CEL rules, as
// upstream's local validator does; multi-document YAML/JSON loading; the Resources bundle.

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

export type { KindInfo, KindOrigin, KnownKind, KnownObject } from "./Kinds.js";
export { isBuiltinKubernetesApiVersion, isKnownKindName, knownKinds, lookupKind, openAPISchemaOf } from "./Kinds.js";

export type { DecodeOptions, DecodeResult, Issue, ObjectIdentity } from "./Decode.js";
export { DEFAULT_NAMESPACE, decodeEnvoyGateway, decodeObject, formatInvalid, identityOf } from "./Decode.js";
export { goUrlParseError, validateEnvoyGateway } from "./EnvoyGatewayValidation.js";
export type { UnknownFieldPolicy } from "./internal/structural.js";
export type { Re2Options, Re2Pattern } from "./internal/re2.js";
export { compileRe2, Re2SyntaxError } from "./internal/re2.js";

export type {
  DocumentCache,
  DocumentCacheCounts,
  LoadedObject,
  LoadedUnknown,
  LoadOptions,
  LoadProblem,
  LoadResult,
  ProblemCode,
  SourceDocument,
} from "./Loader.js";
export {
  createDocumentCache,
  firstDuplicateKey,
  formatInvalidDocuments,
  formatProblem,
  isError,
  loadDocuments,
  loadText,
  mergeLoadResults,
  parseDocuments,
} from "./Loader.js";
export { listManifestFiles, loadPaths, readStdin } from "./files.js";

export type {
  BundleOptions,
  ExtensionKind,
  GatewayClassResources,
  LoadedObjects,
  ResourceGrouper,
  ResourceListKey,
  Resources,
  ResourcesDecodeResult,
  ResourcesProblem,
  UnstructuredObject,
} from "./Resources.js";
export {
  createResourceGrouper,
  decodeResources,
  emptyResources,
  groupResources,
  parseResources,
  resourceListKeys,
  resourceListKinds,
  resourcesFromObjects,
  sortObjects,
  sortResources,
} from "./Resources.js";
export type { ResourceTreeOptions } from "./ResourceTree.js";
export { buildResourceTree } from "./ResourceTree.js";
export { customResourceDefinitions, pluralOf } from "./Crds.js";
// The providers' debounce (file watcher and Kubernetes watches share it).
export type { Coalescer, CoalescerOptions } from "./Coalescer.js";
export { createCoalescer } from "./Coalescer.js";
export type { LabelSelectorLike } from "./LabelSelector.js";
export { labelSelectorMatches } from "./LabelSelector.js";
