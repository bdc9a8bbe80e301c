/**
 * Kubernetes strategic merge patch (k8s.io/apimachinery strategicpatch) over plain JSON, driven by a table of the
 * lists that merge rather than replace (the `patchStrategy:"merge"` / `patchMergeKey` tags of the Go API types).
 */

type Json = unknown;
type JsonMap = Record<string, Json>;

/** How a list field merges: by a key of its elements, or as a set of scalars (no key). */
export interface ListMergeRule {
  readonly mergeKey?: string;
}

/** The merging lists of one object kind, by field path (list indices left out, e.g. `spec.template.spec.containers.env`). */
export type MergeRules = ReadonlyMap<string, ListMergeRule>;

const DIRECTIVE = "$patch";
const SET_ORDER = "$setElementOrder/";
const DELETE_FROM_PRIMITIVE = "$deleteFromPrimitiveList/";
const RETAIN_KEYS = "$retainKeys";

const isMap = (value: Json): value is JsonMap => typeof value === "object" && value !== null && !Array.isArray(value);

/** A patch that cannot be applied: names the field and why. */
export class StrategicMergeError extends Error {}

const join = (path: string, key: string) => (path === "" ? key : `${path}.${key}`);

/** Applies `patch` to `original` with strategic-merge semantics; neither input is modified. */
export function strategicMerge(original: Json, patch: Json, rules: MergeRules): Json {
  if (!isMap(patch)) throw new StrategicMergeError("strategic merge patch must be a JSON object");
  return mergeMap(isMap(original) ? original : {}, patch, "", rules);
}

function mergeMap(original: JsonMap, patch: JsonMap, path: string, rules: MergeRules): JsonMap {
  const directive = patch[DIRECTIVE];
  if (directive === "replace") return stripDirectives(patch) as JsonMap;
  if (directive === "delete") return {};
  if (directive !== undefined && directive !== "merge")
    throw new StrategicMergeError(`${path || "patch"}: unknown $patch directive ${JSON.stringify(directive)}`);

  const result: JsonMap = { ...original };
  const retain = patch[RETAIN_KEYS];
  if (retain !== undefined) {
    if (!Array.isArray(retain)) throw new StrategicMergeError(`${path || "patch"}: $retainKeys must be a list`);
    for (const key of Object.keys(result)) if (!retain.includes(key)) delete result[key];
  }
  const orders: [string, Json[]][] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (key === DIRECTIVE || key === RETAIN_KEYS) continue;
    if (key.startsWith(SET_ORDER)) {
      if (!Array.isArray(value)) throw new StrategicMergeError(`${join(path, key)}: must be a list`);
      orders.push([key.slice(SET_ORDER.length), value]);
      continue;
    }
    if (key.startsWith(DELETE_FROM_PRIMITIVE)) {
      const field = key.slice(DELETE_FROM_PRIMITIVE.length);
      if (!Array.isArray(value)) throw new StrategicMergeError(`${join(path, key)}: must be a list`);
      const current = result[field];
      if (Array.isArray(current)) result[field] = current.filter((item) => !value.some((v) => JSON.stringify(v) === JSON.stringify(item)));
      continue;
    }
    const fieldPath = join(path, key);
    if (value === null) {
      delete result[key];
      continue;
    }
    const current = result[key];
    if (isMap(value)) {
      const merged = mergeMap(isMap(current) ? current : {}, value, fieldPath, rules);
      if (value[DIRECTIVE] === "delete") delete result[key];
      else result[key] = merged;
    } else if (Array.isArray(value)) {
      const rule = rules.get(fieldPath);
      result[key] = rule === undefined ? stripDirectives(value) : mergeList(Array.isArray(current) ? current : [], value, fieldPath, rule, rules);
    } else {
      result[key] = value;
    }
  }
  for (const [field, order] of orders) {
    const list = result[field];
    const before = original[field];
    if (Array.isArray(list)) result[field] = normalizeOrder(list, order, Array.isArray(before) ? before : [], rules.get(join(path, field))?.mergeKey);
  }
  return result;
}

function mergeList(original: Json[], patch: Json[], path: string, rule: ListMergeRule, rules: MergeRules): Json[] {
  const key = rule.mergeKey;
  if (key === undefined || !patch.some(isMap)) {
    // A set of scalars: the union without duplicates.
    const seen = new Set<string>();
    const merged = [...original, ...patch].filter((item) => {
      const id = JSON.stringify(item);
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
    return normalizeOrder(merged, patch, original, undefined);
  }
  const items = patch.filter(isMap);
  const replace = items.find((item) => item[DIRECTIVE] === "replace");
  // A `$patch: replace` element replaces the list with the patch's other elements; directive elements are dropped.
  if (replace !== undefined) return items.filter((item) => item[DIRECTIVE] === undefined).map((item) => stripDirectives(item));
  const merge = items.find((item) => item[DIRECTIVE] === "merge");
  if (merge !== undefined) throw new StrategicMergeError(`${path}: merging lists cannot yet be specified in the patch`);
  let result: Json[] = [...original];
  const kept: Json[] = [];
  for (const item of items) {
    if (!(key in item)) throw new StrategicMergeError(`${path}: map ${JSON.stringify(item)} does not contain declared merge key: ${key}`);
    const id = JSON.stringify(item[key]);
    const at = result.findIndex((existing) => isMap(existing) && JSON.stringify(existing[key]) === id);
    if (item[DIRECTIVE] === "delete") {
      result = result.filter((existing) => !(isMap(existing) && JSON.stringify(existing[key]) === id));
      continue;
    }
    kept.push(item);
    if (at >= 0) result[at] = mergeMap(result[at] as JsonMap, item, path, rules);
    else result.push(mergeMap({}, item, path, rules));
  }
  return normalizeOrder(result, kept, original, key);
}

/**
 * Kubernetes' element order after a list merge: the elements the patch names, in the patch's order, interleaved
 * with the elements only the original has, in their original order; where both kinds of element were in the
 * original, the original's order decides, otherwise the patch's element comes first.
 */
function normalizeOrder(merged: Json[], patchOrder: Json[], originalOrder: Json[], key: string | undefined): Json[] {
  const idOf = (item: Json) => JSON.stringify(key !== undefined && isMap(item) ? item[key] : item);
  const patchIds = patchOrder.map(idOf);
  const originalIds = originalOrder.map(idOf);
  const fromPatch = merged.filter((item) => patchIds.includes(idOf(item))).sort((a, b) => patchIds.indexOf(idOf(a)) - patchIds.indexOf(idOf(b)));
  const serverOnly = merged.filter((item) => !patchIds.includes(idOf(item))).sort((a, b) => rankIn(originalIds, idOf(a)) - rankIn(originalIds, idOf(b)));
  const result: Json[] = [];
  let i = 0;
  let j = 0;
  while (i < serverOnly.length || j < fromPatch.length) {
    if (j >= fromPatch.length) result.push(serverOnly[i++]);
    else if (i >= serverOnly.length) result.push(fromPatch[j++]);
    else {
      const left = originalIds.indexOf(idOf(serverOnly[i]));
      const right = originalIds.indexOf(idOf(fromPatch[j]));
      if (left >= 0 && right >= 0 && left < right) result.push(serverOnly[i++]);
      else result.push(fromPatch[j++]);
    }
  }
  return result;
}
const rankIn = (ids: string[], id: string) => {
  const i = ids.indexOf(id);
  return i < 0 ? ids.length : i;
};

function stripDirectives(value: Json): Json {
  if (Array.isArray(value)) return value.map(stripDirectives);
  if (!isMap(value)) return value;
  const out: JsonMap = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === DIRECTIVE || key === RETAIN_KEYS || key.startsWith(SET_ORDER) || key.startsWith(DELETE_FROM_PRIMITIVE)) continue;
    out[key] = stripDirectives(v);
  }
  return out;
}

/** RFC 7386 JSON merge patch: objects merge recursively, `null` removes a member, anything else replaces. */
export function jsonMergePatch(target: Json, patch: Json): Json {
  if (!isMap(patch)) return patch;
  const result: JsonMap = isMap(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = jsonMergePatch(result[key], value);
  }
  return result;
}
