import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { ExtensionManager } from "@egts/api";
import { connectExtensionManagers } from "@egts/extension-client";
import { parseXdsYaml } from "@egts/ir";
import { translateXdsWithExtensions, xdsResultError, xdsResultToJson, type XdsTranslateOptions } from "@egts/xds-translator";
import { caseNames, errorText, readJson, writeJson, writeText, type SuiteReport } from "./Corpus.js";
import { startTestDoubleExtensionServer } from "./TestExtensionServer.js";

/** An extension case's options.json: the translator's options plus the manager(s) and expected error. */
interface ExtensionCaseOptions extends XdsTranslateOptions {
  readonly extensionManager?: ExtensionManager;
  readonly extensionManagers?: readonly ExtensionManager[];
}

const TYPES = ["listeners", "routes", "clusters", "endpoints", "secrets"] as const;

/**
 * Runs every extension case: ir.yaml through the xDS translator with the case's extension manager(s), each
 * dialled over gRPC on loopback to the test double of upstream's test extension server, -> actual/<type>.json
 * (+ error.txt when translation returned an error).
 */
export async function translateExtensionSuite(corpus: string, out: string): Promise<SuiteReport> {
  const server = await startTestDoubleExtensionServer();
  let written = 0;
  try {
    for (const name of caseNames(corpus, "extension")) {
      const caseDir = join(corpus, "extension", name);
      const actualDir = join(out, "extension", name);
      rmSync(actualDir, { recursive: true, force: true });
      let close: (() => void) | undefined;
      try {
        const ir = parseXdsYaml(readFileSync(join(caseDir, "ir.yaml"), "utf8"));
        const optionsFile = join(caseDir, "options.json");
        const { extensionManager, extensionManagers, ...options } = (existsSync(optionsFile) ? readJson(optionsFile) : {}) as ExtensionCaseOptions;
        const client = await connectExtensionManagers(
          { ...(extensionManager !== undefined ? { extensionManager } : {}), ...(extensionManagers !== undefined ? { extensionManagers } : {}) },
          { addressOverride: (m) => (m.service === undefined ? server.address : undefined) },
        );
        if (client === undefined) throw new Error("the case configures no extension manager");
        close = () => client.close();
        const result = await translateXdsWithExtensions(ir, options, client.hooks);
        const json = xdsResultToJson(result);
        for (const kind of TYPES) writeJson(join(actualDir, "actual", `${kind}.json`), json[kind]);
        const error = xdsResultError(result);
        if (error !== undefined) writeText(join(actualDir, "error.txt"), error);
      } catch (e) {
        writeText(join(actualDir, "error.txt"), errorText(e));
      } finally {
        close?.();
      }
      written++;
    }
  } finally {
    await server.stop(1000);
  }
  return { suite: "extension", written, skipped: 0 };
}
