// Bounded, seeded property runs for CI (a few seconds). Longer local runs:
//   EGTS_FUZZ_RUNS=20000 EGTS_FUZZ_SEED=7 npx vitest run tools/fuzz
import { resolve } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyMutation, mutationOf, type Mutation } from "./Mutate.js";
import { checkBundle, checkRouteIsolation, routeLists } from "./Properties.js";
import { seedLoader, seedNames } from "./Seeds.js";

const corpus = resolve(import.meta.dirname, "../../../../shared/reference");
const names = seedNames(corpus);
const load = seedLoader(corpus);
const runs = Number(process.env["EGTS_FUZZ_RUNS"] ?? 40);
const seed = Number(process.env["EGTS_FUZZ_SEED"] ?? 20260601);
const long = runs > 1000;
const params = { numRuns: runs, seed, endOnFailure: long, timeout: 60_000 } as const;

// A corpus case and up to three mutations of it; shrinking moves to earlier cases and fewer, simpler changes.
// Counterexamples print the case name and the mutations, not the whole bundle.
const mutatedCase = fc.integer({ min: 0, max: Math.max(0, names.length - 1) }).chain((i) => {
  const name = names[i] as string;
  return fc.tuple(fc.constant(name), fc.array(mutationOf(load(name).paths), { minLength: 1, maxLength: 3 }));
});
const describeMutations = (ms: ReadonlyArray<Mutation>): string =>
  ms.map((m) => `${m.kind} ${m.path.join(".")}${m.kind === "set" ? ` = ${JSON.stringify(m.value)?.slice(0, 40)}` : ""}`).join("; ");

describe.skipIf(names.length === 0)("translators on mutated corpus inputs", () => {
  it("accept every corpus case unmutated", { timeout: 600_000 }, () => {
    const sample = long ? names : names.filter((_, i) => i % 40 === 0);
    for (const name of sample) {
      const s = load(name);
      expect(() => checkBundle(s.raw, s.options), name).not.toThrow();
    }
  });

  it("never throw, stay deterministic, emit IR that decodes and Envoy resources that validate", { timeout: 3_600_000 }, () => {
    fc.assert(
      fc.property(mutatedCase, ([name, mutations]) => {
        const s = load(name);
        const raw = mutations.reduce(applyMutation, s.raw);
        try {
          checkBundle(raw, s.options);
        } catch (e) {
          throw new Error(`${s.name} with ${describeMutations(mutations)}: ${(e as Error).message}`);
        }
      }),
      params,
    );
  });

  it("keep a change to one route out of every other route's status", { timeout: 3_600_000 }, () => {
    // Cases with fewer than two routes have nothing to compare; they are skipped (fc.pre) rather than all
    // parsed up front.
    const routeChange = fc.integer({ min: 0, max: names.length - 1 }).chain((i) => {
      const s = load(names[i] as string);
      const raw = s.raw as Record<string, unknown[] | undefined>;
      const targets = routeLists.flatMap((l) => (raw[l] ?? []).map((_, j) => [l, j] as const));
      if (targets.length < 2) return fc.constant(undefined);
      return fc.integer({ min: 0, max: targets.length - 1 }).chain((t) => {
        const [list, j] = targets[t] as readonly [string, number];
        const inRoute = s.paths.filter((p) => p[0] === list && p[1] === j && p.length > 2 && p[2] === "spec");
        return fc.tuple(fc.constant(s.name), fc.constant([list, j] as const), mutationOf(inRoute));
      });
    });
    fc.assert(
      fc.property(routeChange, (change) => {
        fc.pre(change !== undefined);
        const [name, [list, j], mutation] = change!;
        const s = load(name);
        const route = ((s.raw as Record<string, Array<{ metadata?: { name?: string; namespace?: string } }>>)[list] ?? [])[j];
        const before = checkBundle(s.raw, s.options);
        const after = checkBundle(applyMutation(s.raw, mutation), s.options);
        try {
          checkRouteIsolation(before, after, { list, name: route?.metadata?.name ?? "", namespace: route?.metadata?.namespace ?? "default" });
        } catch (e) {
          throw new Error(`${s.name} with ${describeMutations([mutation])}: ${(e as Error).message}`);
        }
      }),
      { ...params, numRuns: Math.max(10, Math.floor(runs / 4)) },
    );
  });
});
