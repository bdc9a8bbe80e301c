// Ratchet over the reference corpus: every case listed in passing-cases.json must still match its golden
// expected.json. The list is maintained from refcheck output (scripts/run-corpus.mjs + refcheck.mjs).
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { translate } from "@egts/gatewayapi-translator";
import { firstDifference } from "./referenceCompare.js";

const corpus = resolve(import.meta.dirname, "../../../../shared/reference/gatewayapi");
const passing = JSON.parse(readFileSync(join(import.meta.dirname, "passing-cases.json"), "utf8")) as string[];

describe.skipIf(!existsSync(corpus))("reference corpus (gatewayapi)", () => {
  it.each(passing)("%s matches upstream", (name) => {
    const dir = join(corpus, name);
    const resources = parse(readFileSync(join(dir, "resources.yaml"), "utf8")) ?? {};
    const options = JSON.parse(readFileSync(join(dir, "options.json"), "utf8"));
    const expected = JSON.parse(readFileSync(join(dir, "expected.json"), "utf8"));
    expect(firstDifference(expected, translate(resources, options))).toBeUndefined();
  });
});
