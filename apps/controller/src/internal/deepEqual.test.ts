import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { deepEqual } from "./deepEqual.js";

/** The definition, written plainly: the same keys with a defined value (ignored ones aside), each value equal. */
function reference(a: unknown, b: unknown, ignored: ReadonlySet<string>): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => reference(x, b[i], ignored));
  }
  const keys = (o: object) =>
    Object.keys(o)
      .filter((k) => (o as Record<string, unknown>)[k] !== undefined && !ignored.has(k))
      .sort();
  const [ka, kb] = [keys(a), keys(b)];
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && reference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], ignored));
}

describe("deepEqual", () => {
  it("agrees with the plain definition on objects with absent, undefined and ignored keys", () => {
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: "small" },
        fc.constantFrom(undefined, null, 0, 1, "x", true),
        fc.array(tie("node"), { maxLength: 3 }),
        fc.dictionary(fc.constantFrom("a", "b", "c", "lastTransitionTime"), tie("node"), { maxKeys: 4 }),
      ),
    })).node;
    const ignored = new Set(["lastTransitionTime"]);
    fc.assert(
      fc.property(value, value, (a, b) => {
        expect(deepEqual(a, b)).toBe(reference(a, b, new Set()));
        expect(deepEqual(a, b, ignored)).toBe(reference(a, b, ignored));
        expect(deepEqual(a, structuredClone(a), ignored)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
