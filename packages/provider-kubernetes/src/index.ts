/**
 * The Kubernetes provider: lists and watches the API server through `@kubernetes/client-node` (every kind
 * upstream Envoy Gateway's reconciler watches, optional CRDs through discovery, the EnvoyGateway watch scope),
 * writes statuses back to `/status` subresources, and elects a leader on a coordination.k8s.io/v1 Lease.
 * The status computations ({@link aggregateStatuses}, {@link desiredStatus}, {@link withEnvoyWorkloadStatus})
 * are pure; the rest are thin effectful edges over a {@link KubeClient}.
 *
 * @packageDocumentation
 */
export type { DiscoveredKind, KubeClient, KubeObject, Scope, WatchEvent, WatchHandle } from "./KubeClient.js";
export { collectionPath, createKubeClient, isTransportError, KubeApiError, loadKubeConfig } from "./KubeClient.js";
export type {
  ExtensionKindRef,
  KubernetesProvider,
  KubernetesProviderOptions,
  LabelSelector,
  ProviderHealth,
  ProviderSnapshot,
  WatchScope,
} from "./KubernetesProvider.js";
export { selectorMatches, startKubernetesProvider } from "./KubernetesProvider.js";
export type { LeaderElection, LeaderElectionOptions } from "./LeaderElection.js";
export { LEADER_ELECTION_LEASE_NAME, leaseKind, startLeaderElection } from "./LeaderElection.js";
export type { Backoff, ProviderLog, Reflector } from "./Reflector.js";
export { defaultBackoff, objectKeyOf, startReflector } from "./Reflector.js";
export type { ReportedStatus } from "./Status.js";
export {
  aggregateStatuses,
  desiredStatus,
  envoyObjectsForGateway,
  jsonEqual,
  mergeRouteParents,
  ownerLabels,
  statusChanged,
  statusKey,
  withEnvoyWorkloadStatus,
  withoutTransitionTimes,
} from "./Status.js";
export type { StatusUpdateEvent, StatusWriter, StatusWriterOptions, StatusWriteSummary } from "./StatusWriter.js";
export { createStatusWriter, GATEWAY_CLASS_FINALIZER } from "./StatusWriter.js";
export type { WatchedKind } from "./WatchedKinds.js";
export { apiVersionOf, envoyProxyLabelSelector, envoyWorkloadKinds, watchedKindNamed, watchedKinds } from "./WatchedKinds.js";
