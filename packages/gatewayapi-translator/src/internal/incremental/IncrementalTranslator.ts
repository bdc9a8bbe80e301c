// The incremental translator: the same result as a full translation, reusing the previous one where the
// input allows (see README "Incremental translation").
import type { EndpointSlice, Resources } from "@egts/api";
import { endpointsFromSlices } from "../Backends.js";
import { endpointSliceOwnerKey, slicesByOwner } from "../Index.js";
import type { TranslateOptions } from "../Model.js";
import { normalizeResources, withoutNulls } from "../Normalize.js";
import { type EndpointUse, ObservedNow, type TranslationObserver } from "../TranslationObserver.js";
import { translateResourcesToIR, type TranslateResultIR } from "../Translator.js";
import { deepEqual } from "./DeepEqual.js";
import { buildIRGraph, type IRGraph, replaceEndpoints } from "./EndpointsPath.js";
import { resourceChanges } from "./ResourceChanges.js";
import { createRoutePathMemo, type HeldEndpoints, type SubsetTranslation, translateRouteEdit } from "./RoutesPath.js";
import { shareIRMap } from "./StructuralSharing.js";

/** What one call of {@link IncrementalGatewayApiTranslator.translate} did. */
export interface IncrementalRun {
  /**
   * `unchanged`: the input equals the previous one, the previous result is returned as is; `endpoints`: only
   * EndpointSlices changed, the previous IR with new endpoints (statuses and infra IR reused); `full`: a full
   * translation, structurally shared with the previous result; `routes`: only HTTPRoutes/GRPCRoutes were
   * edited in place, their new translation spliced into the previous result (see RoutesPath.ts).
   */
  readonly path: "unchanged" | "endpoints" | "routes" | "full";
  /** Input objects added, removed or modified since the previous call (all of them on the first call). */
  readonly changedObjects: number;
  /** Wall time of the call, in milliseconds. */
  readonly ms: number;
}

/** A translator for one GatewayClass that is called again on every change and reuses what it can. */
export interface IncrementalGatewayApiTranslator {
  /**
   * The same result as `translateToIR(resources, options, now)`, deep-equal, always. Objects of the result
   * may be shared with earlier results: treat them as immutable.
   */
  translate(resources: Resources, options: TranslateOptions, now?: Date): TranslateResultIR;
  /** What the last `translate` call did (for the controller's stage metric and log). */
  readonly lastRun: IncrementalRun | undefined;
  /**
   * Forget reuse: the next `translate` runs the full path. For changes the input does not show, such as
   * results arriving behind `options.oidcDiscovery` or `options.wasmCache`.
   */
  invalidate(): void;
}

interface State {
  /** The last call's input as given (before normalization): what the next input is compared with. */
  readonly input: Resources;
  /** `input` normalized, as the last translation (full or spliced) read it. */
  readonly normalized: Resources;
  readonly options: TranslateOptions;
  readonly result: TranslateResultIR;
  /** The `now` of the last full translation and the instants its certificate checks compared it with. */
  readonly now: number;
  readonly timeBoundaries: ReadonlyArray<number>;
  /**
   * Endpoints the last translation built, by owner (`Service/<ns>/<name>`), with the arrays the result holds.
   * Owned by the current state alone (each path that makes a state makes it or takes it over), so the endpoint
   * path updates the changed owners' entries in place when it commits instead of copying every owner's.
   */
  readonly uses: Map<string, ReadonlyArray<HeldEndpoints>>;
  /** Owners whose endpoint arrays the result shares with another owner's: their changes take the full path. */
  readonly unsafeOwners: ReadonlySet<string>;
  /** Each HTTP listener's IR route names in translation order, before sorting (see TranslationObserver). */
  readonly routeOrder: ReadonlyMap<string, ReadonlyArray<string>>;
  /** The last route path's subset translation, reused when the same routes are edited again. */
  readonly subset: SubsetTranslation | undefined;
  /** Parent graph of `result.xdsIR`, built on the first endpoint event. */
  graph?: IRGraph;
}

function sameOptions(a: TranslateOptions, b: TranslateOptions): boolean {
  if (a === b) return true;
  const x = a as unknown as Record<string, unknown>;
  const y = b as unknown as Record<string, unknown>;
  for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) if (x[k] !== y[k] && !deepEqual(x[k], y[k])) return false;
  return true;
}

/** Whether `now` is on the same side as `before` of every instant the translation compared `before` with. */
function sameTimeSide(before: number, boundaries: ReadonlyArray<number>, now: number): boolean {
  if (now === before) return true;
  for (const t of boundaries) if (Math.sign(before - t) !== Math.sign(now - t)) return false;
  return true;
}

function countObjects(resources: Resources): number {
  let n = 0;
  for (const v of Object.values(resources as unknown as Record<string, unknown>)) n += Array.isArray(v) ? v.length : v === undefined || v === null ? 0 : 1;
  return n;
}

/**
 * `withoutNulls(next)`, taking the element normalized last time for each position that holds the same object
 * as `previous` did (`cleaned` is `withoutNulls(previous)`), so an edit of one object normalizes that one.
 */
function withoutNullsReusing<T extends object>(
  previous: ReadonlyArray<T> | undefined,
  cleaned: ReadonlyArray<T> | undefined,
  next: ReadonlyArray<T> | undefined,
): ReadonlyArray<T> | undefined {
  if (next === undefined || previous === undefined || cleaned === undefined || previous.length !== next.length) return next && withoutNulls(next);
  let out: T[] | undefined;
  for (let i = 0; i < next.length; i++) {
    const item = next[i]!;
    const clean = item === previous[i] ? cleaned[i]! : withoutNulls(item);
    if (clean !== item) {
      out ??= next.slice();
      out[i] = clean;
    }
  }
  return out ?? next;
}

/** Every endpoint array the uses hold. */
function* heldArrays(uses: ReadonlyMap<string, ReadonlyArray<HeldEndpoints>>): Iterable<object> {
  for (const entries of uses.values()) for (const entry of entries) yield* entry.held;
}

/** Creates an incremental translator; each instance keeps the state of its own GatewayClass. */
export function createIncrementalTranslator(): IncrementalGatewayApiTranslator {
  let state: State | undefined;
  /** The last result, kept across `invalidate` for structural sharing. */
  let previous: TranslateResultIR | undefined;
  let lastRun: IncrementalRun | undefined;
  const memo = createRoutePathMemo();
  // Each slice's owner, by slice object ("" for none): an endpoint edit looks up hundreds of slices' owners,
  // and all but the edited ones are the objects seen before.
  const sliceOwners = new WeakMap<EndpointSlice, string>();
  const ownerOf = (slice: EndpointSlice): string | undefined => {
    let owner = sliceOwners.get(slice);
    if (owner === undefined) sliceOwners.set(slice, (owner = endpointSliceOwnerKey(slice) ?? ""));
    return owner === "" ? undefined : owner;
  };

  const full = (resources: Resources, options: TranslateOptions, now: Date): TranslateResultIR => {
    const routeOrder = new Map<string, ReadonlyArray<string>>();
    const observer: TranslationObserver = { endpointUses: [], routeOrder, tlsSecrets: memo.tlsSecrets, listIndexes: memo.listIndexes };
    const observedNow = new ObservedNow(now.getTime());
    const normalized = normalizeResources(resources);
    const fresh = translateResourcesToIR(normalized, options, observedNow, observer);
    // Sharing may put an equal array of the previous result in place of a built one: remember them all.
    const held = new Map<object, Set<object>>();
    for (const use of observer.endpointUses) held.set(use.endpoints, new Set([use.endpoints]));
    const watch = (next: readonly unknown[], shared: readonly unknown[]): void => {
      held.get(next)?.add(shared);
    };
    const result: TranslateResultIR =
      previous === undefined
        ? fresh
        : { resources: fresh.resources, xdsIR: shareIRMap(previous.xdsIR, fresh.xdsIR, watch), infraIR: shareIRMap(previous.infraIR, fresh.infraIR) };
    const uses = new Map<string, HeldEndpoints[]>();
    const holders = new Map<object, EndpointUse>();
    const unsafeOwners = new Set<string>();
    const signature = (u: EndpointUse): string => `${u.owner}\n${u.portName}\n${u.protocol}`;
    for (const use of observer.endpointUses) {
      const arrays = [...(held.get(use.endpoints) ?? [])];
      for (const a of arrays) {
        const other = holders.get(a);
        if (other !== undefined && signature(other) !== signature(use)) {
          unsafeOwners.add(other.owner);
          unsafeOwners.add(use.owner);
        }
        holders.set(a, use);
      }
      const list = uses.get(use.owner);
      if (list === undefined) uses.set(use.owner, [{ use, held: arrays }]);
      else list.push({ use, held: arrays });
    }
    state = {
      input: resources,
      normalized,
      options,
      result,
      now: now.getTime(),
      timeBoundaries: observedNow.boundaries,
      uses,
      unsafeOwners,
      routeOrder,
      subset: undefined,
    };
    previous = result;
    return result;
  };

  /** The endpoint path, or undefined when it does not apply (then the full path runs). */
  const endpoints = (s: State, resources: Resources, owners: ReadonlySet<string>): TranslateResultIR | undefined => {
    const slices = withoutNullsReusing(s.input.endpointSlices, s.normalized.endpointSlices, resources.endpointSlices);
    // The slices of the changed owners only, in input order (as the index of a full translation lists them).
    const slicesOf = slicesByOwner(slices ?? [], owners, ownerOf);
    const replacements = new Map<object, object>();
    const updates = new Map<string, HeldEndpoints[]>();
    let graph = s.graph;
    for (const owner of owners) {
      const ownerUses = s.uses.get(owner);
      if (ownerUses === undefined) continue; // slices nobody translated
      if (s.unsafeOwners.has(owner)) return undefined;
      const updated: HeldEndpoints[] = [];
      for (const entry of ownerUses) {
        const { use } = entry;
        const built = endpointsFromSlices(slicesOf.get(`${use.kind}/${use.namespace}/${use.name}`) ?? [], use.portName, use.protocol);
        // Having endpoints or not decides statuses and direct responses; the address type decides validation.
        if (use.endpoints.length === 0 || built.endpoints.length === 0 || built.addressType !== use.addressType) return undefined;
        if (deepEqual(use.endpoints, built.endpoints)) {
          updated.push(entry);
          continue;
        }
        // Kept for the endpoint arrays of every use (and their ancestors): what later endpoint edits replace.
        graph ??= buildIRGraph(s.result.xdsIR, heldArrays(s.uses));
        const inResult = entry.held.filter((a) => graph?.firstParent.has(a) === true);
        // Endpoints the result does not hold were used some other way (or dropped): only a full run knows.
        if (inResult.length === 0) return undefined;
        for (const a of inResult) replacements.set(a, built.endpoints);
        updated.push({ use: { ...use, endpoints: built.endpoints }, held: [built.endpoints] });
      }
      updates.set(owner, updated);
    }
    let result = s.result;
    if (replacements.size > 0 && graph !== undefined) {
      const xdsIR = replaceEndpoints(s.result.xdsIR, graph, replacements);
      if (xdsIR === undefined) return undefined;
      result = { resources: s.result.resources, xdsIR, infraIR: s.result.infraIR };
    }
    // Nothing can fail from here: the new state takes the uses over.
    const uses = s.uses;
    for (const [owner, updated] of updates) uses.set(owner, updated);
    // The subset translation kept for the route path read the old slices: drop it.
    const normalized: Record<string, unknown> = { ...s.normalized };
    if (slices !== undefined) normalized["endpointSlices"] = slices;
    else delete normalized["endpointSlices"];
    state = {
      ...s,
      input: resources,
      normalized: normalized as unknown as Resources,
      result,
      uses,
      subset: undefined,
      ...(graph !== undefined ? { graph } : {}),
    };
    previous = result;
    return result;
  };

  return {
    translate(resources, options, now = new Date()) {
      const started = performance.now();
      const s = state;
      let path: IncrementalRun["path"] = "full";
      let changedObjects: number;
      let result: TranslateResultIR | undefined;
      if (s !== undefined && sameOptions(s.options, options) && sameTimeSide(s.now, s.timeBoundaries, now.getTime())) {
        const changes = resourceChanges(s.input, resources);
        changedObjects = changes.changedObjects;
        if (changedObjects === 0) {
          path = "unchanged";
          state = { ...s, input: resources };
          result = s.result;
        } else if (!changes.othersChanged) {
          result = endpoints(s, resources, changes.changedSliceOwners);
          if (result !== undefined) path = "endpoints";
        } else if (!changes.changedKeys.has("endpointSlices")) {
          const spliced = translateRouteEdit(memo, s, resources, changes.changedKeys);
          if (spliced !== undefined) {
            path = "routes";
            result = spliced.result;
            const { graph: _stale, ...rest } = s;
            state = { ...rest, input: resources, ...spliced };
            previous = result;
          }
        }
      } else changedObjects = s === undefined ? countObjects(resources) : resourceChanges(s.input, resources).changedObjects;
      result ??= full(resources, options, now);
      lastRun = { path, changedObjects, ms: performance.now() - started };
      return result;
    },
    get lastRun() {
      return lastRun;
    },
    invalidate() {
      state = undefined;
    },
  };
}
