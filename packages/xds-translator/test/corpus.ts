import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseXdsYaml } from "@egts/ir";
import { translateXds, xdsResultError, xdsResultToJson, type XdsTranslateOptions } from "../src/index.js";

/** The repository root (packages/xds-translator/test -> ../../..). */
export const repoRoot = resolve(import.meta.dirname, "../../..");
/** The shared reference corpus beside the repository. */
export const corpusRoot = resolve(repoRoot, "../shared/reference");
export const xdsCorpus = join(corpusRoot, "xds");

/** Case names of the xds suite, sorted. */
export const xdsCases = (): string[] => (existsSync(xdsCorpus) ? readdirSync(xdsCorpus).sort() : []);

/** Runs one corpus case and writes `<out>/xds/<case>/actual/<type>.json` (and error.txt on error). */
export function runCase(name: string, outRoot: string): void {
  const dir = join(xdsCorpus, name);
  const raw = JSON.parse(readFileSync(join(dir, "options.json"), "utf8")) as Record<string, unknown>;
  const options: XdsTranslateOptions = {
    ...(typeof raw["controllerNamespace"] === "string" ? { controllerNamespace: raw["controllerNamespace"] } : {}),
    ...(typeof raw["dnsDomain"] === "string" ? { dnsDomain: raw["dnsDomain"] } : {}),
    ...(typeof raw["globalRateLimitServiceURL"] === "string" ? { globalRateLimitServiceURL: raw["globalRateLimitServiceURL"] } : {}),
    ...(raw["runtimeFlags"] !== undefined ? { runtimeFlags: raw["runtimeFlags"] as XdsTranslateOptions["runtimeFlags"] & object } : {}),
  };
  const out = join(outRoot, "xds", name);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, "actual"), { recursive: true });
  let error: string | undefined;
  try {
    const ir = parseXdsYaml(readFileSync(join(dir, "ir.yaml"), "utf8"));
    const result = translateXds(ir, options);
    const json = xdsResultToJson(result);
    for (const [type, list] of Object.entries(json)) writeFileSync(join(out, "actual", `${type}.json`), JSON.stringify(list, null, 1));
    writeFileSync(join(out, "actual", "envoypatchpolicies.json"), JSON.stringify(result.envoyPatchPolicyStatuses, null, 1));
    error = xdsResultError(result);
  } catch (e) {
    error = e instanceof Error ? `${e.message}\n${e.stack ?? ""}` : String(e);
  }
  if (error !== undefined) writeFileSync(join(out, "error.txt"), error);
}
