import type { Resources } from "@egts/api";
import type { Infra, Xds } from "@egts/ir";
import type { FileProblem } from "@egts/provider-file";
import { WatchableMap } from "./MessageBus.js";
import type { ResourceStatus, XdsResourceEntry, XdsTranslation } from "./Stages.js";

/** What the Gateway API runner keeps per GatewayClass: the statuses of the last translation, and its errors. */
export interface GatewayClassResult {
  readonly statuses: ReadonlyArray<ResourceStatus>;
  /** Errors of the latest attempt (the statuses and IR of the last good translation are kept). */
  readonly errors: ReadonlyArray<string>;
}

/** What the Kubernetes provider reports about itself (shown by /api/status). */
export interface KubernetesProviderState {
  readonly synced: boolean;
  readonly connected: boolean;
  /** Why the API server cannot be reached, while it cannot. */
  readonly error?: string;
  readonly leader: boolean;
  readonly disabledKinds: ReadonlyArray<string>;
  /** Errors of the latest status write-back pass. */
  readonly statusErrors: ReadonlyArray<string>;
}

/** What the Kubernetes infrastructure runner reports of its latest pass (shown by /api/status). */
export interface KubernetesInfraState {
  readonly leader: boolean;
  /** Objects egts renders and keeps applied. */
  readonly objects: number;
  /** Objects with a name egts wants that egts does not own: left alone. */
  readonly notOwned: ReadonlyArray<string>;
  readonly errors: ReadonlyArray<string>;
}

/**
 * The maps the runners talk through (upstream's message.ProviderResources / XdsIR / InfraIR / Xds):
 * the provider publishes `resources` (per GatewayClass) and `providerProblems`; the Gateway API runner
 * publishes `xdsIR`, `infraIR` and `gatewayClasses`; the xDS runner publishes `xds` and `xdsErrors`.
 */
export interface ControllerBus {
  readonly resources: WatchableMap<Resources>;
  /** Key "file": the File provider's current problems. */
  readonly providerProblems: WatchableMap<ReadonlyArray<FileProblem>>;
  /** Key "file": the files serving their last good objects because their current text is broken. */
  readonly staleFiles: WatchableMap<ReadonlyArray<string>>;
  /** Key "file": objects per kind the provider currently holds. */
  readonly resourceCounts: WatchableMap<Readonly<Record<string, number>>>;
  /** Key "kubernetes": the Kubernetes provider's connection, sync and leadership state. */
  readonly providerHealth: WatchableMap<KubernetesProviderState>;
  readonly gatewayClasses: WatchableMap<GatewayClassResult>;
  readonly xdsIR: WatchableMap<Xds>;
  readonly infraIR: WatchableMap<Infra>;
  /** Key "kubernetes": the Kubernetes infrastructure runner's latest pass. */
  readonly kubernetesInfra: WatchableMap<KubernetesInfraState>;
  readonly xds: WatchableMap<XdsTranslation>;
  /** Per IR key: errors of the latest xDS translation or snapshot encoding. */
  readonly xdsErrors: WatchableMap<ReadonlyArray<string>>;
}

/**
 * Two translations are the same when they hold the same resources, by identity of each resource's bytes (or
 * message) and name: comparing every encoded byte of a large translation costs more than the snapshot cache
 * spends finding that nothing changed, and an incremental translator hands unchanged resources over as the
 * same objects.
 */
export function sameTranslation(a: XdsTranslation, b: XdsTranslation): boolean {
  if (a.resources !== b.resources) {
    for (const type of ["listeners", "routes", "clusters", "endpoints", "secrets"] as const)
      if (!sameEntries(a.resources[type], b.resources[type])) return false;
  }
  return a.errors.length === b.errors.length && a.errors.every((e, i) => e === b.errors[i]);
}

/** Whether two entries are the same resource: the same name, and the same bytes (or message object). */
export const sameEntry = (x: XdsResourceEntry, y: XdsResourceEntry): boolean =>
  // The very entry first: an incremental translator hands most entries over again, and names compare by content.
  x === y || (x.name === y.name && (x.bytes ?? x.message) === (y.bytes ?? y.message));

/** Whether two lists hold the same resources ({@link sameEntry}), in the same order. */
export function sameEntries(a: ReadonlyArray<XdsResourceEntry>, b: ReadonlyArray<XdsResourceEntry>): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!sameEntry(a[i]!, b[i]!)) return false;
  return true;
}

/** Creates an empty bus. */
export function makeBus(): ControllerBus {
  return {
    resources: new WatchableMap("provider-resources"),
    providerProblems: new WatchableMap("provider-problems"),
    staleFiles: new WatchableMap("provider-stale-files"),
    resourceCounts: new WatchableMap("provider-resource-counts"),
    providerHealth: new WatchableMap("provider-health"),
    gatewayClasses: new WatchableMap("gatewayclass-results"),
    xdsIR: new WatchableMap("xds-ir"),
    infraIR: new WatchableMap("infra-ir"),
    kubernetesInfra: new WatchableMap("kubernetes-infra"),
    xds: new WatchableMap("xds", sameTranslation),
    xdsErrors: new WatchableMap("xds-errors"),
  };
}
