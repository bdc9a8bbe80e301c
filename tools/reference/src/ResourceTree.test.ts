import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import { buildResourceTree, emptyResources, type Resources } from "@egts/api";
import { translate, type TranslateOptions } from "@egts/gatewayapi-translator";
import { describe, expect, it } from "vitest";
import { caseNames, readJson } from "./Corpus.js";
import { referenceWasmCache } from "./ReferenceWasmCache.js";

const fixedNow = new Date("2026-01-01T00:00:00Z");
const corpus = resolve(import.meta.dirname, "../../../../shared/reference");

/** The statuses of a translation by object, for the objects both results report on. */
function statusesByObject(result: Record<string, unknown>): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, value] of Object.entries(result)) {
    if (!Array.isArray(value)) continue;
    for (const o of value as Array<{ kind?: string; metadata?: { namespace?: string; name?: string }; status?: unknown }>) {
      if (o?.metadata?.name !== undefined) out.set(`${key}/${o.metadata.namespace ?? ""}/${o.metadata.name}`, o.status);
    }
  }
  return out;
}

// The resource tree leaves out only what the class's objects do not refer to (or may not refer to), so translating
// the tree must give the same IR and statuses as translating everything: checked on every gatewayapi reference case.
describe.skipIf(!existsSync(join(corpus, "gatewayapi")))("buildResourceTree on the gatewayapi reference corpus", () => {
  it("translates each case's tree exactly as the whole bundle", () => {
    const differing: string[] = [];
    let compared = 0;
    for (const name of caseNames(corpus, "gatewayapi")) {
      const dir = join(corpus, "gatewayapi", name);
      const raw = (parse(readFileSync(join(dir, "resources.yaml"), "utf8"), { maxAliasCount: 100 }) ?? {}) as Partial<Resources>;
      const resources = { ...emptyResources() } as Record<string, unknown>;
      for (const [k, v] of Object.entries(raw)) if (v !== null && v !== undefined) resources[k] = v;
      const options = readJson(join(dir, "options.json")) as TranslateOptions;
      let whole: Record<string, unknown>;
      try {
        whole = translate(resources as unknown as Resources, { ...options, wasmCache: referenceWasmCache }, fixedNow) as unknown as Record<string, unknown>;
      } catch {
        continue; // cases the translator rejects outright say nothing about the tree
      }
      const tree = translate(
        buildResourceTree(resources as unknown as Resources, options.gatewayClassName, { controllerNamespace: options.controllerNamespace }),
        { ...options, wasmCache: referenceWasmCache },
        fixedNow,
      ) as unknown as Record<string, unknown>;
      compared++;
      const a = statusesByObject(whole);
      const b = statusesByObject(tree);
      const sameStatuses = [...b].every(([k, v]) => JSON.stringify(a.get(k)) === JSON.stringify(v));
      if (
        JSON.stringify(whole["xdsIR"]) !== JSON.stringify(tree["xdsIR"]) ||
        JSON.stringify(whole["infraIR"]) !== JSON.stringify(tree["infraIR"]) ||
        !sameStatuses
      )
        differing.push(name);
    }
    expect(compared).toBeGreaterThan(500);
    // Two cases refer across namespaces without a ReferenceGrant: the tree leaves the object out, as upstream's
    // reconciler does, so the policy's message says "not found" where the whole bundle says "not permitted".
    expect(differing).toEqual(["envoyextensionpolicy-with-extproc-invalid-no-reference-grant", "securitypolicy-with-extauth-invalid-no-reference-grant"]);
  }, 300_000);
});
