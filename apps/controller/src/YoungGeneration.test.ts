import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { growthFactorTowards } from "./YoungGeneration.js";

const MiB = 1024 * 1024;

describe("growthFactorTowards", () => {
  it("doubles while a doubling stays within the target, and holds after", () => {
    expect(growthFactorTowards(1 * MiB, 8 * MiB)).toBe(2);
    expect(growthFactorTowards(4 * MiB, 8 * MiB)).toBe(2);
    expect(growthFactorTowards(5 * MiB, 8 * MiB)).toBe(1);
    expect(growthFactorTowards(8 * MiB, 8 * MiB)).toBe(1);
    expect(growthFactorTowards(16 * MiB, 8 * MiB)).toBe(1);
  });
});

// V8 flags are per process and the semi-space size only grows, so each case runs in a fresh Node, on the built
// module: it allocates objects that survive a few scavenges (what makes V8 grow the young generation), a little
// at a time as a server does, and reports the largest new space seen.
const built = resolve(import.meta.dirname, "../dist/YoungGeneration.js");
const probe = (limitMiB: number | undefined): number => {
  const script = `
    import { getHeapSpaceStatistics } from "node:v8";
    import { limitYoungGeneration } from ${JSON.stringify(built)};
    ${limitMiB === undefined ? "" : `limitYoungGeneration(${limitMiB});`}
    const newSpace = () => getHeapSpaceStatistics().find((s) => s.space_name === "new_space").space_size;
    let largest = newSpace();
    const kept = [];
    for (let round = 0; round < 600; round++) {
      const batch = [];
      for (let i = 0; i < 5000; i++) batch.push({ i, pair: [i, String(i)] });
      kept.push(batch);
      if (kept.length > 60) kept.shift();
      await new Promise((resolve) => setImmediate(resolve));
      largest = Math.max(largest, newSpace());
    }
    console.log(largest);
  `;
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 60_000 });
  expect(run.stderr).toBe("");
  return Number(run.stdout.trim());
};

describe.skipIf(!existsSync(built))("limitYoungGeneration, in a fresh Node", () => {
  it("keeps each semi-space at the limit, or one doubling past it, where V8 alone grows it further", () => {
    // Past what either limit below allows (V8's own limit is 16 MiB per semi-space on Node 20).
    expect(probe(undefined)).toBeGreaterThan(2 * 2 * 4 * MiB);
    // The new space is both semi-spaces; the factor is steered between collections, so a burst can add a doubling.
    for (const limit of [2, 4]) {
      const seen = probe(limit);
      expect(seen).toBeGreaterThanOrEqual(2 * limit * MiB);
      expect(seen).toBeLessThanOrEqual(2 * 2 * limit * MiB);
    }
  });
});
