import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fromProtoJson, toProtoJson, xdsResourceCodec, xdsResourceTypeNames, type XdsResourceKind } from "@egts/envoy-api";
import { caseNames, errorText, readJson, writeJson, writeText, type SuiteReport } from "./Corpus.js";

/**
 * Round trip of the xds suite: every expected resource is parsed with envoy-api and written back
 * (JSON -> message -> binary -> message -> JSON). This checks the codecs, not a translator. Files that hold
 * no Envoy resource (envoypatchpolicies.json: statuses) are re-emitted as parsed JSON.
 */
export function roundTripXds(corpus: string, out: string): SuiteReport {
  let written = 0;
  let skipped = 0;
  for (const name of caseNames(corpus, "xds")) {
    const caseDir = join(corpus, "xds", name);
    const expectedDir = join(caseDir, "expected");
    const actualDir = join(out, "xds", name);
    rmSync(actualDir, { recursive: true, force: true });
    if (!existsSync(expectedDir)) {
      skipped++;
      continue;
    }
    try {
      for (const file of readdirSync(expectedDir).sort()) {
        const resources = readJson(join(expectedDir, file)) as unknown[];
        const typeName = xdsResourceTypeNames[file.replace(/\.json$/, "") as XdsResourceKind];
        if (typeName === undefined) {
          writeJson(join(actualDir, "actual", file), resources);
          continue;
        }
        const type = xdsResourceCodec(typeName);
        if (type === undefined) throw new Error(`no codec for ${typeName}`);
        const roundTripped = resources.map((resource) => {
          const bytes = type.encode(fromProtoJson(type, resource as never)).finish();
          return toProtoJson(type, type.decode(bytes));
        });
        writeJson(join(actualDir, "actual", file), roundTripped);
      }
    } catch (e) {
      writeText(join(actualDir, "error.txt"), errorText(e));
    }
    written++;
  }
  return { suite: "xds", written, skipped };
}
