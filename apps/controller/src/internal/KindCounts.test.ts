import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createKindCounter } from "./KindCounts.js";

const countAll = (lists: ReadonlyArray<ReadonlyArray<{ kind?: string }>>): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const list of lists) for (const o of list) out[o.kind ?? "?"] = (out[o.kind ?? "?"] ?? 0) + 1;
  return out;
};

describe("createKindCounter", () => {
  it("gives the counts a full count gives after every step of random edits, and the same object while nothing changed", () => {
    const kinds = ["Service", "HTTPRoute", "Secret", undefined];
    const objectOf = (k: number) => (kinds[k % kinds.length] === undefined ? {} : { kind: kinds[k % kinds.length]! });
    // An edit: replace an object (same or another kind), add one, remove one, or change nothing.
    const edit = fc.record({ list: fc.nat(1), op: fc.nat(3), at: fc.nat(), kind: fc.nat() });
    fc.assert(
      fc.property(fc.array(fc.array(fc.nat(7), { maxLength: 12 }), { minLength: 2, maxLength: 2 }), fc.array(edit, { maxLength: 30 }), (initial, edits) => {
        const count = createKindCounter();
        let lists = initial.map((list) => list.map(objectOf));
        expect(count(lists)).toEqual(countAll(lists));
        for (const e of edits) {
          const before = count(lists);
          const list = [...lists[e.list]!];
          if (e.op === 0 && list.length > 0) list[e.at % list.length] = objectOf(e.kind);
          else if (e.op === 1) list.splice(e.at % (list.length + 1), 0, objectOf(e.kind));
          else if (e.op === 2 && list.length > 0) list.splice(e.at % list.length, 1);
          const next = e.op === 3 ? lists : lists.map((l, i) => (i === e.list ? list : l));
          const counted = count(next);
          expect(counted).toEqual(countAll(next));
          if (next === lists) expect(counted).toBe(before);
          lists = next;
        }
      }),
    );
  });
});
