// Backend merging: identical backends of a Gateway share one IR BackendCluster (EnvoyProxy mergeBackends).
// Upstream route.go shouldMergeBackend / getOrCreateBackendCluster / routeDestinationForListener.
import type { Resources } from "@egts/api";
import type * as ir from "@egts/ir";
import type { BackendRefLike } from "./Backends.js";
import type { ResourceIndex } from "./Index.js";
import { selectorMatches, type Selector } from "./Listeners.js";
import type { GatewayContext } from "./Model.js";
import type { Mutable } from "./Mutable.js";

/** A destination setting with the shared cluster it may be merged into. */
export interface BackendDestination {
  readonly ds: ir.DestinationSetting;
  readonly clusterKey?: BackendClusterKey;
}

/** Identity of a merged backend cluster. */
export interface BackendClusterKey {
  readonly gatewayIRKey: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly port: number;
  readonly protocol: string;
}

/** The mergeBackends setting in force for a Gateway (its EnvoyProxy, else the GatewayClass/default). */
export function mergeBackendsConfig(g: GatewayContext | undefined, resources: Resources): { selector?: Selector } | undefined {
  const own = g?.envoyProxy?.spec.mergeBackends as { selector?: Selector } | undefined;
  if (own !== undefined) return own;
  return (resources.envoyProxyForGatewayClass?.spec?.mergeBackends ?? resources.envoyProxyDefaultSpec?.mergeBackends) as { selector?: Selector } | undefined;
}

function refKind(ref: BackendRefLike): string {
  return ref.kind !== undefined && ref.kind !== "" ? ref.kind : "Service";
}

function refNamespace(ref: BackendRefLike, routeNamespace: string): string {
  return ref.namespace !== undefined && ref.namespace !== "" ? ref.namespace : routeNamespace;
}

/** Whether several weighted backends of one rule must stay in one cluster (session persistence, fallback). */
export function mergeIncompatibleForWeightedRule(
  refs: ReadonlyArray<BackendRefLike>,
  routeNamespace: string,
  sessionPersistent: boolean,
  index: ResourceIndex,
  consistentHash: boolean,
): boolean {
  if (refs.length <= 1) return false;
  if (sessionPersistent) return true;
  if (consistentHash) return true;
  return refs.some((r) => refKind(r) === "Backend" && index.backend(refNamespace(r, routeNamespace), r.name)?.spec.fallback === true);
}

/** Whether a backend may be merged into a shared cluster. */
export function shouldMergeBackend(
  g: GatewayContext | undefined,
  resources: Resources,
  index: ResourceIndex,
  mergeUnsafe: boolean,
  ref: BackendRefLike,
  routeNamespace: string,
  ds: ir.DestinationSetting,
  extensionKinds: ReadonlyArray<{ readonly group: string; readonly kind: string }>,
): boolean {
  if (g === undefined) return false;
  const cfg = mergeBackendsConfig(g, resources);
  if (cfg === undefined) return false;
  const kind = refKind(ref);
  const ns = refNamespace(ref, routeNamespace);
  if (extensionKinds.some((gk) => gk.group === (ref.group ?? "") && gk.kind === kind)) return false;
  if (kind === "Backend" && index.backend(ns, ref.name)?.spec.type === "DynamicResolver") return false;
  if (mergeUnsafe || ds.filters !== undefined) return false;
  if (cfg.selector !== undefined) {
    const labels =
      kind === "Service"
        ? index.service(ns, ref.name)?.metadata.labels
        : kind === "ServiceImport"
          ? index.serviceImport(ns, ref.name)?.metadata.labels
          : kind === "Backend"
            ? index.backend(ns, ref.name)?.metadata.labels
            : undefined;
    const exists =
      kind === "Service"
        ? index.service(ns, ref.name) !== undefined
        : kind === "ServiceImport"
          ? index.serviceImport(ns, ref.name) !== undefined
          : kind === "Backend"
            ? index.backend(ns, ref.name) !== undefined
            : false;
    if (!exists || !selectorMatches(cfg.selector, labels ?? {})) return false;
  }
  return true;
}

/** The cluster key of a mergeable backend reference on a Gateway. */
export function backendClusterKey(g: GatewayContext, ref: BackendRefLike, routeNamespace: string, protocol: string | undefined): BackendClusterKey {
  return {
    gatewayIRKey: g.irKey,
    kind: refKind(ref),
    namespace: refNamespace(ref, routeNamespace),
    name: ref.name,
    port: ref.port ?? 0,
    protocol: protocol ?? "",
  };
}

function clusterName(key: BackendClusterKey): string {
  const base = `${key.kind.toLowerCase()}/${key.namespace}/${key.name}/${key.port}`;
  return key.protocol === "" ? base : `${base}/${key.protocol.toLowerCase()}`;
}

/** The translation-wide registry of merged backend clusters. */
export class BackendClusters {
  private readonly byKey = new Map<string, ir.BackendCluster>();

  /** The shared cluster for a key, created (and added to the proxy's IR) on first use. */
  getOrCreate(x: Mutable<ir.Xds> | undefined, key: BackendClusterKey, ds: ir.DestinationSetting): ir.BackendCluster {
    const id = JSON.stringify(key);
    const existing = this.byKey.get(id);
    if (existing !== undefined) return existing;
    const name = clusterName(key);
    const setting: Mutable<ir.DestinationSetting> = { ...ds, name };
    delete setting.weight;
    const cluster: Mutable<ir.BackendCluster> = { name, setting };
    if (ds.metadata !== undefined) cluster.metadata = ds.metadata;
    this.byKey.set(id, cluster);
    if (x !== undefined) x.backendClusters = [...(x.backendClusters ?? []), cluster];
    return cluster;
  }
}

/**
 * Builds a route destination on one listener: merged backends as cluster refs, others as settings. With
 * `settingsOnly` (policies below the Gateway set cluster settings) no backend uses a shared cluster.
 */
export function routeDestination(
  x: Mutable<ir.Xds> | undefined,
  clusters: BackendClusters,
  name: string,
  metadata: ir.ResourceMetadata | undefined,
  statName: string | undefined,
  destinations: ReadonlyArray<BackendDestination>,
  settingsOnly = false,
): ir.RouteDestination {
  const dest: Mutable<ir.RouteDestination> = { name };
  if (metadata !== undefined) dest.metadata = metadata;
  if (statName !== undefined) dest.statName = statName;
  const settings: ir.DestinationSetting[] = [];
  const refs: ir.BackendClusterRef[] = [];
  for (const d of destinations) {
    if (d.clusterKey === undefined || settingsOnly) {
      settings.push(d.ds);
      continue;
    }
    const cluster = clusters.getOrCreate(x, d.clusterKey, d.ds);
    const ref: Mutable<ir.BackendClusterRef> = { name: cluster.name };
    if (d.ds.weight !== undefined) ref.weight = d.ds.weight;
    refs.push(ref);
  }
  if (settings.length > 0) dest.settings = settings;
  if (refs.length > 0) dest.backendClusterRefs = refs;
  return dest;
}
