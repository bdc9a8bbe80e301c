/**
 * Envoy xDS server: the AggregatedDiscoveryService (state of the world and delta) over @grpc/grpc-js,
 * serving immutable snapshots whose resources are encoded once per version, tracking ACKs and NACKs per
 * proxy, with mutual TLS and a certificate generator.
 *
 * @packageDocumentation
 */
export { createSnapshotCache, type SnapshotCache, type NodeIdentity, type ResolvedSnapshot } from "./SnapshotCache.js";
export {
  encodeSnapshot,
  emptySnapshot,
  makeEncodingMemo,
  preEncodedResource,
  type EncodedResource,
  type EncodingMemo,
  type PreEncodedResource,
  resourceSetChanges,
  type ResourceSet,
  type ResourceSetChanges,
  type Snapshot,
  type SnapshotInput,
} from "./Snapshot.js";
export { resourceTypeUrls, responseOrder, compareResponseOrder, isFullStateType, resourceNameOf } from "./ResourceTypes.js";
export {
  createAckTracker,
  type AckEvent,
  type AckNackEvent,
  type AckTracker,
  type NackEvent,
  type XdsProtocol,
} from "./AckTracker.js";
export {
  createAdsService,
  aggregatedDiscoveryServiceDefinition,
  perTypeDiscoveryServiceDefinition,
  type AdsService,
  type AdsServiceOptions,
  type StreamClosedEvent,
  type StreamInfo,
  type Subscription,
} from "./AdsService.js";
export { createXdsServer, type XdsServer, type XdsServerOptions, type XdsServerTls } from "./XdsServer.js";
export {
  generateCertificates,
  type CertificateKeyAlgorithm,
  type CertificateOptions,
  type Certificates,
} from "./Certificates.js";
export { defaultXdsLimits, resolveXdsLimits, truncateText, type ResolvedXdsLimits, type XdsLimits } from "./Limits.js";
export { silentLogger, type Logger, type LogFields } from "./Logger.js";
