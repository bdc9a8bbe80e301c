// What changed between two calls' inputs: per object, by identity first and by content when a provider
// rebuilt an object without changing it.
import type { EndpointSlice, Resources } from "@egts/api";
import { endpointSliceOwnerKey, slicesByOwner } from "../Index.js";
import { withoutNulls } from "../Normalize.js";
import { deepEqual } from "./DeepEqual.js";

/** The difference between two inputs. */
export interface ResourceChanges {
  /** Objects added, removed or modified (a reordering of a list counts as one). */
  readonly changedObjects: number;
  /** Whether anything other than EndpointSlices changed. */
  readonly othersChanged: boolean;
  /** Owners (`Service/<ns>/<name>`, `ServiceImport/<ns>/<name>`) whose EndpointSlices changed. */
  readonly changedSliceOwners: ReadonlySet<string>;
  /** The keys of the bundle (`httpRoutes`, `endpointSlices`, ...) whose value changed. */
  readonly changedKeys: ReadonlySet<string>;
}

function same(a: unknown, b: unknown): boolean {
  return a === b || deepEqual(a, b);
}

function identity(o: unknown): string {
  const m = (o as { metadata?: { namespace?: string | null; name?: string | null } } | null)?.metadata;
  return `${m?.namespace ?? ""}/${m?.name ?? ""}`;
}

/** Changed objects between two lists (pairwise when the lengths match, else matched by namespace/name). */
function listChanges(prev: ReadonlyArray<unknown>, next: ReadonlyArray<unknown>): number {
  if (prev.length === next.length) {
    // Pairwise while every differing position keeps its object's identity: an edit in place, counted without
    // indexing the whole list.
    let n = 0;
    let i = 0;
    for (; i < prev.length; i++) {
      if (same(prev[i], next[i])) continue;
      if (identity(prev[i]) !== identity(next[i])) break;
      n++;
    }
    if (i === prev.length) return n;
  }
  const before = new Map<string, unknown>();
  for (const o of prev) before.set(identity(o), o);
  let n = 0;
  for (const o of next) {
    const id = identity(o);
    if (!before.has(id)) n++;
    else if (!same(before.get(id), o)) n++;
    before.delete(id);
  }
  n += before.size;
  // Same objects, another order: order can decide conflicts, so it is a change.
  return n === 0 ? 1 : n;
}

/**
 * Owners whose slices differ (an owner's endpoints depend on its slices and their order only; slices without
 * an owner label are never read). May name an owner whose slices only moved among equal ones: it is then
 * worked out again, to the same result.
 */
function changedSliceOwners(prev: ReadonlyArray<EndpointSlice>, next: ReadonlyArray<EndpointSlice>): Set<string> {
  const changed = new Set<string>();
  if (prev.length === next.length) {
    // Same length: an owner none of whose slices sits at a differing position has the same slices in the
    // same order, so only the owners at those positions (before and after) can have changed.
    for (let i = 0; i < prev.length; i++) {
      if (same(prev[i], next[i])) continue;
      for (const slice of [prev[i]!, next[i]!]) {
        const key = endpointSliceOwnerKey(withoutNulls(slice));
        if (key !== undefined) changed.add(key);
      }
    }
    return changed;
  }
  // Owners read from the normalized slices; the raw ones are compared.
  const ownerOf = (raw: EndpointSlice) => endpointSliceOwnerKey(withoutNulls(raw));
  const before = slicesByOwner(prev, undefined, ownerOf);
  const after = slicesByOwner(next, undefined, ownerOf);
  for (const [key, list] of after) {
    const old = before.get(key);
    if (old === undefined || old.length !== list.length || old.some((s, i) => !same(s, list[i]))) changed.add(key);
    before.delete(key);
  }
  for (const key of before.keys()) changed.add(key);
  return changed;
}

/** Compares two inputs key by key (every key of the bundle, so fields added to Resources later count too). */
export function resourceChanges(prev: Resources, next: Resources): ResourceChanges {
  const p = prev as unknown as Record<string, unknown>;
  const n = next as unknown as Record<string, unknown>;
  let changedObjects = 0;
  let othersChanged = false;
  let owners: Set<string> = new Set();
  const changedKeys = new Set<string>();
  for (const key of new Set([...Object.keys(p), ...Object.keys(n)])) {
    const a = p[key];
    const b = n[key];
    if (a === b) continue;
    if (Array.isArray(a) && Array.isArray(b)) {
      const count = listChanges(a, b);
      if (count === 0) continue;
      changedObjects += count;
      changedKeys.add(key);
      if (key === "endpointSlices") owners = changedSliceOwners(a as EndpointSlice[], b as EndpointSlice[]);
      else othersChanged = true;
      continue;
    }
    if (!deepEqual(a, b)) {
      changedObjects++;
      changedKeys.add(key);
      othersChanged = true;
    }
  }
  return { changedObjects, othersChanged, changedSliceOwners: owners, changedKeys };
}
