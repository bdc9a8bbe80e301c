// The memoising translator's core: each translation of an IR key reuses what the previous one built where
// the IR objects it was built from are the same (===). Three paths, each giving exactly what a full
// translation of the same IR gives (the property test in Incremental.test.ts checks this):
//
// - endpoints: the IR differs from the previous one only in endpoints that feed load assignments (see
//   EndpointChanges.ts). The previous result is kept, with the load assignments (and DNS clusters, which
//   carry theirs inline) of the changed destinations rebuilt.
// - steps: the translation runs, but the steps of IR listeners whose translation cannot have changed are
//   replayed from the previous one's records (ResourceTable's StepRecord), clusters come from a memo keyed
//   by their arguments, and a rebuilt resource equal to the previous one of its name takes that one's place.
// - full: whenever the IR has EnvoyPatchPolicies (they may edit anything), and whenever the steps path
//   reports errors (their order and text are those of a full translation only when it runs).
//
// A step (one IR listener's translation) may be replayed when the group of steps that share Envoy listeners,
// route configurations or listener names with it (union by address and port, route configuration name and
// listener name) consists of the same IR listener objects as before, in the same order, and the IR fields every
// step reads (access log, tracing, metrics, health check log, filter order, global resources, extension
// policies, merged backend cluster names) are the same objects. Anything a step reads besides its listener
// is among those, and a replayed step's requests for shared resources (clusters, secrets added once) are
// asked again, so which step's request wins is decided as in a full translation.
import type { Any } from "@egts/envoy-api";
import type { ClusterLoadAssignment } from "@egts/envoy-api/generated/envoy/config/endpoint/v3/endpoint";
import type { HttpConnectionManager } from "@egts/envoy-api/generated/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager";
import type { DestinationSetting, Xds } from "@egts/ir";
import { buildClusterOutputs, type ClusterArgs, type ClusterMemo, type ClusterOutputs } from "./Cluster.js";
import { newBuilderCaches, type BuilderCaches } from "./Context.js";
import { endpointChanges, type EndpointChanges } from "./EndpointChanges.js";
import { routeConfigName } from "./HttpConnectionManager.js";
import type { XdsTranslateOptions } from "./Options.js";
import { resourceOf, resourcesByName, resultOf, reusingResultOf, type ResourcesByName, type XdsResource, type XdsTranslateResult } from "./Result.js";
import type { ResourceMemory, StepRecord, TableOp } from "./ResourceTable.js";
import { newRouteParts } from "./RouteParts.js";
import { forgetGoneScans } from "./RouteScan.js";
import { sameBytes, sameValue } from "./SameValue.js";
import { translate } from "./Translator.js";
import { encodeResource, validateResource } from "./Validation.js";

/** Resources a translation built anew and took over from earlier ones. */
export interface TranslationWork {
  readonly built: number;
  readonly reused: number;
}

/** Which way a memoising translation went (see the top of this file). */
export type IncrementalPath = "identical" | "endpoints" | "steps" | "full";

/** The IR fields every step may read besides its own listener. */
interface SharedInputs {
  readonly values: readonly unknown[];
  readonly backendClusterNames: string;
}

const sharedInputsOf = (ir: Xds): SharedInputs => ({
  values: [ir.accessLog, ir.tracing, ir.metrics, ir.healthCheckLog, ir.filterOrder, ir.globalResources, ir.extensionServerPolicies],
  backendClusterNames: (ir.backendClusters ?? []).map((bc) => bc.name).join("\n"),
});

const sameSharedInputs = (a: SharedInputs, b: SharedInputs): boolean =>
  a.backendClusterNames === b.backendClusterNames && a.values.every((v, i) => v === b.values[i]);

/** What the translator keeps of its last translation. */
interface Last {
  readonly ir: Xds;
  readonly result: XdsTranslateResult;
  /** The recorded steps, in order (the last one the proxy-wide `global` step); empty after a full translation. */
  readonly steps: readonly StepRecord[];
  readonly shared: SharedInputs;
  /** Whether the steps may be replayed and changes applied to the result (a steps translation without errors). */
  readonly reusable: boolean;
  /** Where each source of a cluster request sits in `steps` (see requestsBySource), once an endpoint edit asked. */
  readonly requests?: RequestsBySource;
}

/** Per source object of cluster requests: the step and op indexes of its requests. */
type RequestsBySource = Map<object, Array<readonly [step: number, op: number]>>;

/** Where the cluster requests of each source sit in `steps` (one pass, made when an endpoint edit first needs it). */
function requestsBySource(steps: readonly StepRecord[]): RequestsBySource {
  const requests: RequestsBySource = new Map();
  steps.forEach((step, s) =>
    step.ops.forEach((op, i) => {
      if (op.kind !== "cluster" || op.source === undefined) return;
      const at = requests.get(op.source);
      if (at === undefined) requests.set(op.source, [[s, i]]);
      else at.push([s, i]);
    }),
  );
  return requests;
}

/** A memoising translator of one IR key (see the top of this file). */
export interface IncrementalXds {
  translate(ir: Xds): { readonly result: XdsTranslateResult; readonly work: TranslationWork; readonly path: IncrementalPath };
}

const count = (r: XdsTranslateResult): number => r.listeners.length + r.routes.length + r.clusters.length + r.endpoints.length + r.secrets.length;

/** Creates a memoising translator for the given options. */
export function createIncrementalXds(options: XdsTranslateOptions): IncrementalXds {
  const nameSchemeV2 = options.runtimeFlags?.enabled?.includes("XDSNameSchemeV2") ?? false;
  const validating = options.skipValidation !== true;
  const clusters: ClusterMemo = { previous: new Map(), current: new Map() };
  const caches: BuilderCaches = {
    ...newBuilderCaches(),
    clusters,
    routes: { units: new WeakMap(), virtualHosts: new WeakMap(), inputs: new Map(), loops: new Map() },
    hcmFilters: new Map(),
    hcmPatches: new Map(),
    readyListeners: new WeakMap(),
    accessLogs: new WeakMap(),
    routeScans: new Map(),
  };
  // Kept across translations; weak, so they hold only messages some result still holds.
  const validated = new WeakSet<object>();
  const encoded = new WeakMap<object, Uint8Array>();
  const resources = new WeakMap<object, XdsResource<object>>();
  const routeParts = newRouteParts();
  const sealedHcms = new Map<string, { readonly hcm: HttpConnectionManager; readonly any: Any }>();
  const byName = new WeakMap<XdsTranslateResult, ResourcesByName>();
  const indexOf = (result: XdsTranslateResult): ResourcesByName => {
    let index = byName.get(result);
    if (index === undefined) byName.set(result, (index = resourcesByName(result)));
    return index;
  };
  let last: Last | undefined;

  const rotate = (): void => {
    clusters.previous = clusters.current;
    clusters.current = new Map();
  };

  const full = (ir: Xds): XdsTranslateResult => {
    // Patch policies edit resources in place and errors must come out as a full translation gives them:
    // a plain translation, whose messages are not kept.
    const output = translate(ir, options);
    const result = resultOf(output.table, output.errors);
    last = { ir, result, steps: [], shared: sharedInputsOf(ir), reusable: false };
    return result;
  };

  const steps = (ir: Xds): { result: XdsTranslateResult; work: TranslationWork } | undefined => {
    const previous = last?.reusable === true ? last : undefined;
    const before = last === undefined ? undefined : indexOf(last.result);
    const messages = <T>(list: readonly XdsResource<T>[] | undefined): Map<string, T> => new Map((list ?? []).map((r) => [r.name, r.message]));
    const memory: ResourceMemory = {
      validated,
      encoded,
      previousClusters: messages(last?.result.clusters),
      previousSecrets: messages(last?.result.secrets),
      previousEndpoints: messages(last?.result.endpoints),
      previousListeners: messages(last?.result.listeners),
      previousRoutes: messages(last?.result.routes),
      routeParts,
      sealedHcms,
    };
    const replay = previous !== undefined ? replayPlan(previous, ir, nameSchemeV2) : new Map<object, StepRecord>();
    const output = translate(ir, options, caches, { memory, replay });
    rotate();
    if (output.errors.length > 0) return undefined;
    const { result, built, reused } = reusingResultOf(output.table, output.errors, before, resources);
    // Keep the packed HCMs of filter chains that still exist, so the memo does not grow with every name ever seen.
    const chains = new Set<string>();
    for (const l of result.listeners) {
      for (const chain of l.message.filterChains) chains.add(chain.name);
      if (l.message.defaultFilterChain !== undefined) chains.add(l.message.defaultFilterChain.name);
    }
    for (const name of sealedHcms.keys()) if (!chains.has(name)) sealedHcms.delete(name);
    const routeConfigs = new Set(result.routes.map((r) => r.name));
    for (const name of routeParts.configs.keys()) if (!routeConfigs.has(name)) routeParts.configs.delete(name);
    forgetGoneListeners(caches, new Set((ir.http ?? []).map((l) => l.name)));
    last = { ir, result, steps: output.table.steps, shared: sharedInputsOf(ir), reusable: true };
    return { result, work: { built, reused } };
  };

  return {
    translate(ir) {
      if (last !== undefined && last.ir === ir) return { result: last.result, work: { built: 0, reused: count(last.result) }, path: "identical" };
      if ((ir.envoyPatchPolicies?.length ?? 0) > 0) {
        const result = full(ir);
        return { result, work: { built: count(result), reused: 0 }, path: "full" };
      }
      if (last?.reusable === true) {
        const changes = endpointChanges(last.ir, ir);
        const applied = changes === undefined ? undefined : applyEndpointChanges(last, ir, changes, clusters, { validating, validated, encoded, resources });
        if (applied !== undefined) {
          last = applied.last;
          return { result: applied.last.result, work: applied.work, path: "endpoints" };
        }
      }
      const done = steps(ir);
      if (done !== undefined) return { ...done, path: "steps" };
      const result = full(ir);
      return { result, work: { built: count(result), reused: 0 }, path: "full" };
    },
  };
}

/**
 * Drops what the caches keep by HTTP listener name (the jwt_authn filter per listener, the recorded HCM patches,
 * the kept route inputs) for listeners the IR no longer has, so they hold the current listeners' only.
 */
function forgetGoneListeners(caches: BuilderCaches, names: ReadonlySet<string>): void {
  // Keys: "<filter>\n<listener>" (and "<filter>\n" for the latest built), "<listener>\n<codec>", "<listener>".
  for (const key of caches.hcmFilters?.keys() ?? []) {
    const listener = key.slice(key.indexOf("\n") + 1);
    if (listener !== "" && !names.has(listener)) caches.hcmFilters?.delete(key);
  }
  for (const key of caches.hcmPatches?.keys() ?? []) if (!names.has(key.slice(0, key.indexOf("\n")))) caches.hcmPatches?.delete(key);
  for (const key of caches.routes?.inputs?.keys() ?? []) if (!names.has(key)) caches.routes?.inputs?.delete(key);
  for (const key of caches.routes?.loops?.keys() ?? []) if (!names.has(key)) caches.routes?.loops?.delete(key);
  if (caches.routeScans !== undefined) forgetGoneScans(caches.routeScans, names);
}

type Group = ReadonlyArray<readonly [kind: string, listener: object]>;

/**
 * The groups of steps of an IR's listeners, by listener: steps that may share an Envoy listener (address and
 * port), a route configuration (its name) or a listener name (TCP steps add one filter chain for routeless
 * listeners per name), in translation order.
 */
function stepGroups(listeners: ReadonlyArray<readonly [kind: string, listener: object]>, nameSchemeV2: boolean): Map<object, Group> | undefined {
  const parent = listeners.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i] as number] as number;
    return i;
  };
  const firstByKey = new Map<string, number>();
  const seen = new Set<object>();
  listeners.forEach(([kind, listener], i) => {
    if (seen.has(listener)) return;
    seen.add(listener);
    if (kind === "udp") return;
    const l = listener as { name: string; address: string; port: number; externalPort?: number; tls?: unknown };
    const keys = [`a:${l.address}|${l.port}`, `n:${nameSchemeV2 ? `tcp-${l.externalPort ?? 0}` : l.name}`];
    if (kind === "http") keys.push(`r:${routeConfigName(listener as Parameters<typeof routeConfigName>[0], nameSchemeV2)}`);
    for (const key of keys) {
      const j = firstByKey.get(key);
      if (j === undefined) firstByKey.set(key, i);
      else parent[find(i)] = find(j);
    }
  });
  // A listener object translated twice cannot be told apart from its other step.
  if (seen.size !== listeners.length) return undefined;
  const members = new Map<number, Array<readonly [string, object]>>();
  listeners.forEach((entry, i) => {
    const root = find(i);
    let list = members.get(root);
    if (list === undefined) members.set(root, (list = []));
    list.push(entry);
  });
  const groups = new Map<object, Group>();
  for (const list of members.values()) for (const [, listener] of list) groups.set(listener, list);
  return groups;
}

const stepsOfIr = (ir: Xds): Array<readonly [string, object]> => [
  ...(ir.http ?? []).map((l) => ["http", l] as const),
  ...(ir.tcp ?? []).map((l) => ["tcp", l] as const),
  ...(ir.udp ?? []).map((l) => ["udp", l] as const),
];

/** The previous translation's steps that the translation of `ir` may replay, by IR listener. */
function replayPlan(previous: Last, ir: Xds, nameSchemeV2: boolean): Map<object, StepRecord> {
  const plan = new Map<object, StepRecord>();
  if (!sameSharedInputs(previous.shared, sharedInputsOf(ir))) return plan;
  const recorded = previous.steps.filter((s) => s.kind !== "global");
  const before = stepGroups(
    recorded.map((s) => [s.kind, s.listener as object] as const),
    nameSchemeV2,
  );
  const now = stepGroups(stepsOfIr(ir), nameSchemeV2);
  if (before === undefined || now === undefined) return plan;
  const records = new Map(recorded.map((s) => [s.listener as object, s] as const));
  for (const [listener, group] of now) {
    const was = before.get(listener);
    if (was === undefined || was.length !== group.length) continue;
    if (!group.every(([kind, l], i) => was[i]?.[0] === kind && was[i]?.[1] === l)) continue;
    const record = records.get(listener);
    if (record !== undefined) plan.set(listener, record);
  }
  return plan;
}

/** What the endpoint path needs beside the last translation. */
interface Stores {
  readonly validating: boolean;
  readonly validated: WeakSet<object>;
  readonly encoded: WeakMap<object, Uint8Array>;
  readonly resources: WeakMap<object, XdsResource<object>>;
}

/** `args` with its settings taken from `settings` (older -> newer). */
function withSettings(args: ClusterArgs, settings: ReadonlyMap<DestinationSetting, DestinationSetting>): ClusterArgs {
  let changed = false;
  const next = args.settings.map((s) => {
    const n = settings.get(s);
    if (n === undefined) return s;
    changed = true;
    return n;
  });
  return changed ? { ...args, settings: next } : args;
}

/**
 * The endpoint path: the last result with the load assignments (and DNS clusters) of changed destinations
 * rebuilt, and the records updated to the new IR objects; undefined when anything else would change (then
 * the steps path runs).
 */
function applyEndpointChanges(
  last: Last,
  ir: Xds,
  changes: EndpointChanges,
  memo: ClusterMemo,
  stores: Stores,
): { last: Last; work: TranslationWork } | undefined {
  // Cluster requests whose source changed take the new settings; those that built a cluster rebuild it.
  const rebuilt = new Map<string, ClusterOutputs>();
  const remap = (op: TableOp): TableOp => {
    if (op.kind !== "cluster" || op.source === undefined) return op;
    const source = changes.replaced.get(op.source);
    if (source === undefined) return op;
    const settings = changes.settingsBySource.get(op.source);
    const args = settings === undefined ? op.args : withSettings(op.args, settings);
    if (op.won && args !== op.args) rebuilt.set(args.name, buildClusterOutputs(args));
    return { kind: "cluster", args, source, won: op.won };
  };
  // Only the requests of replaced sources are looked at; steps none of whose requests changed stay the same objects.
  const requests = last.requests ?? requestsBySource(last.steps);
  const touched = new Map<number, number[]>();
  for (const source of changes.replaced.keys()) {
    for (const [step, op] of requests.get(source) ?? []) {
      const ops = touched.get(step);
      if (ops === undefined) touched.set(step, [op]);
      else ops.push(op);
    }
  }
  const steps = last.steps.map((step, s) => {
    let ops: TableOp[] | undefined;
    for (const i of touched.get(s) ?? []) {
      const op = step.ops[i]!;
      const now = remap(op);
      if (now !== op) (ops ??= step.ops.slice())[i] = now;
    }
    const listener = step.listener === undefined ? undefined : (changes.replaced.get(step.listener) ?? step.listener);
    return ops === undefined && listener === step.listener ? step : { kind: step.kind, listener, ops: ops ?? step.ops };
  });

  // Copied on the first change, so a list nothing in it changed stays the previous result's array.
  let endpoints: Array<XdsTranslateResult["endpoints"][number]> | undefined;
  let clusters: Array<XdsTranslateResult["clusters"][number]> | undefined;
  // Where a message sits in its list: a scan for a few rebuilt clusters, an index for many.
  const finder = (list: readonly XdsResource<object>[]) => {
    let index: Map<object, number> | undefined;
    return (message: object): number | undefined => {
      if (rebuilt.size > 8) return (index ??= new Map(list.map((r, i) => [r.message, i] as const))).get(message);
      // The last one, as the index keeps it.
      for (let at = list.length - 1; at >= 0; at--) if (list[at]!.message === message) return at;
      return undefined;
    };
  };
  const endpointAt = finder(last.result.endpoints);
  const clusterAt = finder(last.result.clusters);
  let built = 0;
  const updates = new Map<string, ClusterOutputs>();
  for (const [name, fresh] of rebuilt) {
    const old = memo.previous.get(name);
    if (old === undefined) return undefined;
    // Only endpoints changed: the cluster's secrets cannot have, nor (but for DNS ones) the cluster.
    if (!sameValue(old.caSecrets, fresh.caSecrets) || !sameValue(old.secrets, fresh.secrets)) return undefined;
    let cluster = old.cluster;
    if (!sameValue(old.cluster, fresh.cluster)) {
      const at = clusterAt(old.cluster);
      if (at === undefined) return undefined;
      const resource = freshResource("clusters", fresh.cluster, last.result.clusters[at], stores);
      if (resource === undefined) return undefined;
      (clusters ??= [...last.result.clusters])[at] = resource;
      cluster = fresh.cluster;
      built++;
    }
    let endpointsMessage: ClusterLoadAssignment = fresh.args.endpointType === "Static" ? old.endpoints : fresh.endpoints;
    if (fresh.args.endpointType === "Static" && !sameValue(old.endpoints, fresh.endpoints)) {
      const at = endpointAt(old.endpoints);
      if (at === undefined) return undefined;
      const resource = freshResource("endpoints", fresh.endpoints, last.result.endpoints[at], stores);
      if (resource === undefined) return undefined;
      (endpoints ??= [...last.result.endpoints])[at] = resource;
      endpointsMessage = fresh.endpoints;
      built++;
    }
    updates.set(name, { ...old, args: fresh.args, cluster, endpoints: endpointsMessage });
  }
  for (const [name, outputs] of updates) memo.previous.set(name, outputs);
  const result: XdsTranslateResult =
    built === 0 ? last.result : { ...last.result, clusters: clusters ?? last.result.clusters, endpoints: endpoints ?? last.result.endpoints };
  // The requests moved to the replacing sources, in the same places. The index is handed on (the last it was made
  // for is replaced by this one), unless a replacing object was already a source: then the next edit makes another.
  let handedOn = true;
  for (const now of changes.replaced.values()) if (requests.has(now) || changes.replaced.has(now)) handedOn = false;
  if (handedOn) {
    for (const [was, now] of changes.replaced) {
      const at = requests.get(was);
      if (at === undefined) continue;
      requests.delete(was);
      requests.set(now, at);
    }
  }
  return {
    last: { ir, result, steps, shared: sharedInputsOf(ir), reusable: true, ...(handedOn ? { requests } : {}) },
    work: { built, reused: count(result) - built },
  };
}

/** A resource for a rebuilt message (checked against Envoy's rules), or undefined when it breaks one. */
function freshResource<T extends object>(
  kind: "clusters" | "endpoints",
  message: T,
  before: XdsResource<object> | undefined,
  stores: Stores,
): XdsResource<T> | undefined {
  if (stores.validating) {
    try {
      validateResource(kind, message);
    } catch {
      return undefined;
    }
    stores.validated.add(message);
  }
  const bytes = encodeResource(kind, message);
  stores.encoded.set(message, bytes);
  const resource = before !== undefined && sameBytes(before.bytes, bytes) ? (before as XdsResource<T>) : resourceOf(message, bytes);
  stores.resources.set(message, resource);
  return resource;
}
