import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { decodeInfraIRMap, decodeXdsIRMap, encodeInfraIRMap, encodeXdsIRMap } from "@egts/ir";
import { caseNames, errorText, readJson, writeJson, writeText, type SuiteReport } from "./Corpus.js";

/**
 * Round trip of the gatewayapi suite: each expected result is written back with its `xdsIR` and `infraIR`
 * decoded and re-encoded through the IR codec. The resource statuses pass through unchanged: this checks
 * the codec, not the translator.
 */
export function roundTripGatewayApi(corpus: string, out: string): SuiteReport {
  let written = 0;
  let skipped = 0;
  for (const name of caseNames(corpus, "gatewayapi")) {
    const expectedFile = join(corpus, "gatewayapi", name, "expected.json");
    const actualDir = join(out, "gatewayapi", name);
    rmSync(actualDir, { recursive: true, force: true });
    if (!existsSync(expectedFile)) {
      skipped++;
      continue;
    }
    try {
      const expected = readJson(expectedFile) as Record<string, unknown>;
      const result: Record<string, unknown> = { ...expected };
      if (expected["xdsIR"] !== undefined) result["xdsIR"] = encodeXdsIRMap(decodeXdsIRMap(expected["xdsIR"], "xdsIR"));
      if (expected["infraIR"] !== undefined) result["infraIR"] = encodeInfraIRMap(decodeInfraIRMap(expected["infraIR"], "infraIR"));
      writeJson(join(actualDir, "actual.json"), result);
    } catch (e) {
      writeText(join(actualDir, "error.txt"), errorText(e));
    }
    written++;
  }
  return { suite: "gatewayapi", written, skipped };
}
