// Round trips of upstream's golden IR through the codec: every xds test input and every
// xdsIR/infraIR map a Gateway API translation is expected to produce.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { decodeInfraIRMap, decodeXdsIRMap, encodeInfraIRMap, encodeXds, encodeXdsIRMap, parseXdsYaml } from "@egts/ir";
import { firstDifference } from "./refcheck.js";

const repoRoot = path.resolve(import.meta.dirname, "../../..");
const reference = path.resolve(repoRoot, "../shared/reference");
const haveCorpus = existsSync(reference);
const cases = (suite: string): string[] =>
  haveCorpus
    ? readdirSync(path.join(reference, suite))
        .filter((c) => existsSync(path.join(reference, suite, c)))
        .sort()
    : [];

describe.skipIf(!haveCorpus)("xds/*/ir.yaml", () => {
  const xdsCases = cases("xds").filter((c) => existsSync(path.join(reference, "xds", c, "ir.yaml")));
  it("has the corpus", () => expect(xdsCases.length).toBeGreaterThan(200));
  it.each(xdsCases)("%s decodes and re-encodes unchanged", (name) => {
    const text = readFileSync(path.join(reference, "xds", name, "ir.yaml"), "utf8");
    const ir = parseXdsYaml(text);
    const encoded = encodeXds(ir, { revealPrivateKeys: true });
    expect(firstDifference(parse(text) ?? {}, encoded, { lenientInput: true })).toBeUndefined();
    // Encoding is a fixed point: decoding the output and encoding again changes nothing.
    expect(encodeXds(parseXdsYaml(JSON.stringify(encoded)), { revealPrivateKeys: true })).toEqual(encoded);
  });
});

describe.skipIf(!haveCorpus)("gatewayapi/*/expected.json xdsIR and infraIR", () => {
  const gwCases = cases("gatewayapi");
  it("has the corpus", () => expect(gwCases.length).toBeGreaterThan(500));
  it.each(gwCases)("%s round-trips", (name) => {
    const expected = JSON.parse(readFileSync(path.join(reference, "gatewayapi", name, "expected.json"), "utf8")) as {
      xdsIR?: unknown;
      infraIR?: unknown;
    };
    if (expected.xdsIR !== undefined) {
      const decoded = decodeXdsIRMap(expected.xdsIR, "xdsIR");
      expect(firstDifference(expected.xdsIR, encodeXdsIRMap(decoded))).toBeUndefined();
      // Upstream's output has its keys sorted; with sortKeys the re-encoding is byte for byte the same,
      // so omitempty, null-for-nil and field names all match Go's marshalling exactly.
      expect(JSON.stringify(encodeXdsIRMap(decoded, { sortKeys: true }))).toBe(JSON.stringify(expected.xdsIR));
    }
    if (expected.infraIR !== undefined) {
      const decoded = decodeInfraIRMap(expected.infraIR, "infraIR");
      expect(firstDifference(expected.infraIR, encodeInfraIRMap(decoded))).toBeUndefined();
      expect(JSON.stringify(encodeInfraIRMap(decoded, { sortKeys: true }))).toBe(JSON.stringify(expected.infraIR));
    }
  });
});
