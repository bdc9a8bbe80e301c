import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import type { Resources } from "@egts/api";
import { translate, type TranslateOptions } from "@egts/gatewayapi-translator";
import { parseXdsYaml } from "@egts/ir";
import { translateXds, xdsResultError, xdsResultToJson, type XdsTranslateOptions } from "@egts/xds-translator";
import { caseNames, errorText, readJson, writeJson, writeText, type SuiteReport } from "./Corpus.js";
import { referenceLuaValidator } from "./ReferenceLuaValidator.js";
import { referenceOIDCDiscovery } from "./ReferenceOIDCDiscovery.js";
import { referenceWasmCache } from "./ReferenceWasmCache.js";

/** Bounds on the corpus YAML, as on any untrusted input. */
const yamlOptions = { maxAliasCount: 100 } as const;

/** Runs the Gateway API translator on every gatewayapi case: resources.yaml + options.json -> actual.json. */
export function translateGatewayApiSuite(corpus: string, out: string): SuiteReport {
  let written = 0;
  for (const name of caseNames(corpus, "gatewayapi")) {
    const caseDir = join(corpus, "gatewayapi", name);
    const actualDir = join(out, "gatewayapi", name);
    rmSync(actualDir, { recursive: true, force: true });
    try {
      const resources = (parse(readFileSync(join(caseDir, "resources.yaml"), "utf8"), yamlOptions) ?? {}) as Resources;
      const options = readJson(join(caseDir, "options.json")) as TranslateOptions;
      writeJson(
        join(actualDir, "actual.json"),
        translate(resources, { ...options, wasmCache: referenceWasmCache, luaValidator: referenceLuaValidator, oidcDiscovery: referenceOIDCDiscovery }),
      );
    } catch (e) {
      writeText(join(actualDir, "error.txt"), errorText(e));
    }
    written++;
  }
  return { suite: "gatewayapi", written, skipped: 0 };
}

/** Runs the xDS translator on every xds case: ir.yaml + options.json -> actual/<type>.json (+ error.txt). */
export function translateXdsSuite(corpus: string, out: string): SuiteReport {
  let written = 0;
  for (const name of caseNames(corpus, "xds")) {
    const caseDir = join(corpus, "xds", name);
    const actualDir = join(out, "xds", name);
    rmSync(actualDir, { recursive: true, force: true });
    try {
      const ir = parseXdsYaml(readFileSync(join(caseDir, "ir.yaml"), "utf8"));
      const optionsFile = join(caseDir, "options.json");
      const options = (existsSync(optionsFile) ? readJson(optionsFile) : {}) as XdsTranslateOptions;
      const result = translateXds(ir, options);
      for (const [kind, list] of Object.entries(xdsResultToJson(result))) {
        writeJson(join(actualDir, "actual", `${kind}.json`), list);
      }
      if (result.envoyPatchPolicyStatuses.length > 0) {
        writeJson(join(actualDir, "actual", "envoypatchpolicies.json"), result.envoyPatchPolicyStatuses);
      }
      const error = xdsResultError(result);
      if (error !== undefined) writeText(join(actualDir, "error.txt"), error);
    } catch (e) {
      writeText(join(actualDir, "error.txt"), errorText(e));
    }
    written++;
  }
  return { suite: "xds", written, skipped: 0 };
}
