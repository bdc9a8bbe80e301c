// Structural sharing between two translation results: wherever a subtree of the new IR is deep-equal to the
// previous one, the previous object takes its place, so consumers that memoize by identity (the xDS
// translator's per-resource memo, the controller's per-IR-key skip) reuse their work. Never mutates either side.
import { isPlainObject, sameBytes } from "./DeepEqual.js";

function nameOf(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const name = (value as { name?: unknown }).name;
  return typeof name === "string" ? name : undefined;
}

/** Elements by `name` when every element has a distinct one (listeners, routes, clusters, settings). */
function byName(list: ReadonlyArray<unknown>): Map<string, unknown> | undefined {
  if (list.length === 0 || nameOf(list[0]) === undefined) return undefined;
  const out = new Map<string, unknown>();
  for (const v of list) {
    const name = nameOf(v);
    if (name === undefined || out.has(name)) return undefined;
    out.set(name, v);
  }
  return out;
}

/**
 * `next` with every subtree deep-equal to its counterpart in `prev` replaced by that counterpart: `prev`
 * itself when the two are deep-equal, `next` itself when nothing in it can be shared, else a copy of `next`
 * along the paths to the shared subtrees. Array elements are paired by `name` when they all have distinct
 * names (so an insertion does not shift every later pairing), else by position.
 */
export function share<T>(prev: T, next: T, onArray?: ArrayWatcher): T {
  return shareValue(prev, next, onArray) as T;
}

/** Told, for each array of `next` the pass reaches, what takes its place in the result. */
export type ArrayWatcher = (next: readonly unknown[], result: readonly unknown[]) => void;

function shareValue(prev: unknown, next: unknown, onArray: ArrayWatcher | undefined): unknown {
  if (prev === next) return prev;
  if (typeof prev !== "object" || typeof next !== "object" || prev === null || next === null) return next;
  if (Array.isArray(next)) {
    const result = shareArray(prev, next, onArray);
    onArray?.(next, result);
    return result;
  }
  if (ArrayBuffer.isView(next)) return ArrayBuffer.isView(prev) && sameBytes(prev, next) ? prev : next;
  return shareObject(prev, next, onArray);
}

function shareArray(prev: unknown, next: unknown[], onArray: ArrayWatcher | undefined): unknown[] {
  if (!Array.isArray(prev)) return next;
  const named = next.length > 0 && nameOf(next[0]) !== undefined ? byName(prev) : undefined;
  let samePrev = prev.length === next.length;
  let out: unknown[] | undefined;
  for (let i = 0; i < next.length; i++) {
    const n: unknown = next[i];
    const p: unknown = named !== undefined ? named.get(nameOf(n) ?? "") : prev[i];
    const s = p === undefined ? n : shareValue(p, n, onArray);
    if (s !== prev[i]) samePrev = false;
    if (s !== n) {
      out ??= next.slice();
      out[i] = s;
    }
  }
  return samePrev ? prev : (out ?? next);
}

function shareObject(prev: object, next: object, onArray: ArrayWatcher | undefined): unknown {
  if (Array.isArray(prev) || ArrayBuffer.isView(prev) || !isPlainObject(next) || !isPlainObject(prev)) return next;
  const p = prev as Record<string, unknown>;
  const n = next as Record<string, unknown>;
  let samePrev = true;
  let count = 0;
  let out: Record<string, unknown> | undefined;
  for (const k in n) {
    count++;
    const v = n[k];
    if (!Object.hasOwn(p, k)) {
      samePrev = false;
      continue;
    }
    const s = shareValue(p[k], v, onArray);
    if (s !== p[k]) samePrev = false;
    if (s !== v) {
      out ??= { ...n };
      out[k] = s;
    }
  }
  if (samePrev) {
    for (const _ in p) count--;
    if (count === 0) return prev;
  }
  return out ?? next;
}

/** Shares each IR key's value with the previous result's value under the same key. */
export function shareIRMap<V>(prev: ReadonlyMap<string, V>, next: ReadonlyMap<string, V>, onArray?: ArrayWatcher): ReadonlyMap<string, V> {
  const out = new Map<string, V>();
  for (const [key, value] of next) {
    const old = prev.get(key);
    out.set(key, old === undefined ? value : share(old, value, onArray));
  }
  return out;
}
