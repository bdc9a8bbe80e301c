// The reference corpus (upstream's own test inputs) read through this package's decoders.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import {
  decodeObject,
  isBuiltinKubernetesApiVersion,
  isError,
  loadText,
  parseResources,
  resourceListKeys,
  type Resources,
  type ResourcesDecodeResult,
} from "@egts/api";

const reference = resolve(import.meta.dirname, "../../../../shared/reference");
const present = existsSync(join(reference, "gatewayapi"));

function cases(suite: string): string[] {
  return readdirSync(join(reference, suite)).sort();
}

// Parsing ~600 bundles takes seconds; do it once for the tests that need them.
let bundles: ReadonlyArray<readonly [string, ResourcesDecodeResult]> | undefined;
function decodedBundles(): ReadonlyArray<readonly [string, ResourcesDecodeResult]> {
  bundles ??= cases("gatewayapi").map((c) => [c, parseResources(readFileSync(join(reference, "gatewayapi", c, "resources.yaml"), "utf8"))] as const);
  return bundles;
}

describe.skipIf(!present)("reference corpus", () => {
  it("decodes every gatewayapi/*/resources.yaml as typed objects, without errors", { timeout: 180_000 }, () => {
    const failures: string[] = [];
    let objects = 0;
    let httpRouteRules = 0;
    for (const [c, { resources, problems }] of decodedBundles()) {
      for (const p of problems) if (p.severity === "error") failures.push(`${c}: ${p.at}: ${p.path}: ${p.message}`);
      for (const k of resourceListKeys) objects += (resources[k] as ReadonlyArray<unknown>).length;
      // typed access: the rules of every HTTPRoute
      for (const r of resources.httpRoutes) httpRouteRules += r.spec.rules?.length ?? 0;
    }
    expect(failures).toEqual([]);
    expect(cases("gatewayapi").length).toBeGreaterThan(500);
    expect(objects).toBeGreaterThan(10_000);
    expect(httpRouteRules).toBeGreaterThan(400);
  });

  it("loads every egctl/*/input.yaml; only the case upstream also rejects has invalid objects", { timeout: 60_000 }, () => {
    const rejected = new Map<string, string[]>();
    for (const c of cases("egctl")) {
      const r = loadText(readFileSync(join(reference, "egctl", c, "input.yaml"), "utf8"), "input.yaml");
      const fatal = r.problems.filter((p) => isError(p) && !(p.code === "unknown-kind" && isBuiltinKubernetesApiVersion(p.identity.apiVersion ?? "")));
      if (fatal.length > 0)
        rejected.set(
          c,
          fatal.map((p) => `${p.path}: ${p.message}`),
        );
      expect(r.objects.length).toBeGreaterThan(0);
    }
    // expectSuccess is false for this case upstream: its EnvoyPatchPolicy's targetRef has a namespace field,
    // which the CRD does not declare; upstream's local validator (kubectl-validate) decodes strictly and
    // rejects unknown fields the same way.
    expect([...rejected.keys()]).toEqual(["envoy-patch-policy.all.yaml.xds"]);
    expect(rejected.get("envoy-patch-policy.all.yaml.xds")).toEqual(['spec.targetRef.namespace: unknown field "spec.targetRef.namespace"']);
    const args = JSON.parse(readFileSync(join(reference, "egctl", "envoy-patch-policy.all.yaml.xds", "args.json"), "utf8")) as { expectSuccess: boolean };
    expect(args.expectSuccess).toBe(false);
  });

  it("evaluates every CEL rule the corpus exercises on objects that are otherwise valid", { timeout: 180_000 }, () => {
    const unevaluated: string[] = [];
    let checked = 0;
    for (const [c, { resources }] of decodedBundles()) {
      const all: unknown[] = resourceListKeys.flatMap((k) => resources[k] as ReadonlyArray<unknown>);
      const single = (["gatewayClass", "envoyProxyForGatewayClass"] as Array<keyof Resources>).map((k) => resources[k]).filter((x) => x !== undefined);
      for (const o of [...all, ...single]) {
        const r = decodeObject(o);
        checked++;
        if (!r.ok) continue; // an object already invalid may stop a rule early, as in the apiserver
        for (const w of r.warnings) if (w.message.startsWith("CEL rule not evaluated")) unevaluated.push(`${c}: ${w.path}: ${w.message}`);
      }
    }
    expect(checked).toBeGreaterThan(10_000);
    expect(unevaluated).toEqual([]);
  });
});
