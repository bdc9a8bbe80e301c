// Mutations of a JSON document (a Resources bundle): one change at one path, small enough for fast-check to
// shrink towards the minimal input that breaks a property.
import fc from "fast-check";

/** A location in a JSON document: object keys and list indexes from the root. */
export type JsonPath = ReadonlyArray<string | number>;

/** One change to a document: drop the value at a path, or replace it. */
export type Mutation = { readonly path: JsonPath; readonly kind: "remove" } | { readonly path: JsonPath; readonly kind: "set"; readonly value: unknown };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Every path in a document except the root, depth first, in document order. */
export function pathsOf(doc: unknown, limit = 50_000): JsonPath[] {
  const out: JsonPath[] = [];
  const walk = (v: unknown, path: JsonPath): void => {
    if (out.length >= limit) return;
    if (path.length > 0) out.push(path);
    if (Array.isArray(v)) v.forEach((item, i) => walk(item, [...path, i]));
    else if (isRecord(v)) for (const [k, item] of Object.entries(v)) walk(item, [...path, k]);
  };
  walk(doc, []);
  return out;
}

/** The document with one mutation applied; the input is not modified (only the changed spine is copied). */
export function applyMutation(doc: unknown, m: Mutation): unknown {
  const go = (v: unknown, i: number): unknown => {
    const key = m.path[i];
    if (key === undefined) return v;
    const last = i === m.path.length - 1;
    if (Array.isArray(v) && typeof key === "number" && key < v.length) {
      const copy = [...v];
      if (last && m.kind === "remove") copy.splice(key, 1);
      else copy[key] = last && m.kind === "set" ? m.value : go(v[key], i + 1);
      return copy;
    }
    if (isRecord(v) && typeof key === "string" && key in v) {
      const copy = { ...v };
      if (last && m.kind === "remove") delete copy[key];
      else copy[key] = last && m.kind === "set" ? m.value : go(v[key], i + 1);
      return copy;
    }
    return v;
  };
  return go(doc, 0);
}

/** Replacement values: wrong types, empty lists, huge and negative numbers, invalid regexes, long names, unknown references. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>("x", 0, 1, true, false, {}, [], null),
  fc.constantFrom<unknown>(-1, -2147483648, 65536, 70000, 2147483648, 4294967296, 2 ** 53 + 2, 1e300, 0.5, -0.5),
  fc.constantFrom<unknown>("(", "[a", "a{2,1}", "(?<=x)", "\\", "*", "a**", "(?P<n"),
  fc.constantFrom<unknown>("a".repeat(64), "a".repeat(254), "a".repeat(5000), "UPPER_case", "..", "", " ", "*.*", "-1", "1e3", "0x10"),
  fc.constantFrom<unknown>("does-not-exist", "other-namespace", "Service", "Gateway", "gateway.networking.k8s.io"),
  fc.constantFrom<unknown>([{}], [null], ["x"], [-1], { name: "does-not-exist" }),
);

/** Mutations of a document whose paths are `paths`: mostly replacements, some removals. */
export function mutationOf(paths: ReadonlyArray<JsonPath>): fc.Arbitrary<Mutation> {
  if (paths.length === 0) return fc.constant({ path: [], kind: "remove" } as Mutation);
  const path = fc.integer({ min: 0, max: paths.length - 1 }).map((i) => paths[i] as JsonPath);
  return fc.oneof(
    { weight: 1, arbitrary: path.map((p): Mutation => ({ path: p, kind: "remove" })) },
    { weight: 3, arbitrary: fc.tuple(path, hostileValue).map(([p, value]): Mutation => ({ path: p, kind: "set", value })) },
  );
}
