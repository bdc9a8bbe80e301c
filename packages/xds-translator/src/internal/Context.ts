import type { AccessLog } from "@egts/envoy-api/generated/envoy/config/accesslog/v3/accesslog";
import type { BackendCluster, ProxyAccessLogType, Xds } from "@egts/ir";
import type { ExtensionHooks } from "../ExtensionHooks.js";
import type { ClusterMemo } from "./Cluster.js";
import type { HcmPatchMemo } from "./HcmPatchMemo.js";
import type { RouteScans } from "./RouteScan.js";
import type { RouteMemo } from "./Translator.js";
import type { XdsTranslateOptions } from "./Options.js";
import { ResourceTable, type ResourceMemory, type StepRecord } from "./ResourceTable.js";

/** Everything one translation reads besides the IR node at hand, plus the table it writes. */
export interface TranslationContext {
  readonly ir: Xds;
  readonly options: XdsTranslateOptions;
  readonly table: ResourceTable;
  /** `XDSNameSchemeV2` runtime flag: names listeners/route configs by port instead of by IR listener. */
  readonly nameSchemeV2: boolean;
  /** Merged backend clusters by name (`ir.backendClusters`), for `backendClusterRefs`. */
  readonly backendIndex: ReadonlyMap<string, BackendCluster>;
  /** Extension hooks to call, when an extension manager is configured. */
  readonly hooks?: ExtensionHooks;
  /** Results of pure builders keyed by the IR object they read (one translation's, or a memoising translator's). */
  readonly caches: BuilderCaches;
  /**
   * Steps of the previous translation to replay instead of translating again, by the IR listener they
   * translated (a memoising translator's; see Incremental.ts for when a step may be replayed).
   */
  readonly replay?: ReadonlyMap<object, StepRecord>;
}

/**
 * Outputs of pure functions of one IR object, keyed by that object. The messages in them are never changed
 * after they are built, so a memoising translator can keep the caches from one translation to the next.
 */
export interface BuilderCaches {
  /** JWT providers and requirement of a route's `security.jwt` (their names carry content hashes). */
  readonly jwt: WeakMap<object, unknown>;
  /** A memoising translator's clusters by name (see {@link ClusterMemo}). */
  readonly clusters?: ClusterMemo;
  /** A memoising translator's HTTP route translations and virtual hosts (see Translator.ts's RouteMemo). */
  readonly routes?: RouteMemo;
  /**
   * HCM filters that are functions of IR objects compared by identity, by filter and listener name (and the
   * latest built, under the filter name alone): shared between listeners, and between a memoising translator's calls.
   */
  readonly hcmFilters?: Map<string, unknown>;
  /** A memoising translator's recorded HCM filter patches (see HcmPatchMemo.ts). */
  readonly hcmPatches?: HcmPatchMemo;
  /** A memoising translator's access logs, by the IR access log settings and the kind of log (see AccessLog.accessLogsOf). */
  readonly accessLogs?: WeakMap<object, Map<ProxyAccessLogType, AccessLog[]>>;
  /** A memoising translator's per-route values of each listener's passes over its routes (see RouteScan.ts). */
  readonly routeScans?: RouteScans;
  /** A memoising translator's ready listeners, by the IR ready listener they were built from. */
  readonly readyListeners?: WeakMap<object, object>;
}

/** Empty caches (for one translation). */
export const newBuilderCaches = (): BuilderCaches => ({ jwt: new WeakMap(), hcmFilters: new Map() });

/** What a memoising translator hands a translation beside its caches. */
export interface Reuse {
  readonly memory: ResourceMemory;
  readonly replay: ReadonlyMap<object, StepRecord>;
}

/** Starts a translation of `ir`. */
export function newContext(
  ir: Xds,
  options: XdsTranslateOptions,
  hooks?: ExtensionHooks,
  caches: BuilderCaches = newBuilderCaches(),
  reuse?: Reuse,
): TranslationContext {
  const backendIndex = new Map<string, BackendCluster>();
  for (const bc of ir.backendClusters ?? []) backendIndex.set(bc.name, bc);
  return {
    ir,
    options,
    table: new ResourceTable(options.skipValidation !== true, reuse?.memory),
    nameSchemeV2: options.runtimeFlags?.enabled?.includes("XDSNameSchemeV2") ?? false,
    backendIndex,
    ...(hooks !== undefined ? { hooks } : {}),
    caches,
    ...(reuse !== undefined ? { replay: reuse.replay } : {}),
  };
}
