import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parseXdsYaml } from "@egts/ir";
import { encodeSnapshot, resourceTypeUrls } from "@egts/xds-server";
import { defaultStages } from "./DefaultStages.js";
import { snapshotInputOf } from "./Runners.js";

const repoRoot = resolve(import.meta.dirname, "../../..");
const corpusIr = (name: string) => parseXdsYaml(readFileSync(resolve(repoRoot, "../shared/reference/xds", name, "ir.yaml"), "utf8"));

describe("snapshot input", () => {
  it("keeps one resource per name when the translator emits a secret twice (as upstream's translator does)", () => {
    // Three routes to one Backend under one BackendTLSPolicy: upstream's translator emits its CA secret three times.
    const translation = defaultStages().translateXds(corpusIr("backend-with-auto-san-sni"), {
      controllerNamespace: "envoy-gateway-system",
      dnsDomain: "cluster.local",
    });
    const names = translation.resources.secrets.map((s) => s.name);
    expect(names.length).toBeGreaterThan(new Set(names).size);
    const snapshot = encodeSnapshot(snapshotInputOf(translation.resources));
    const secrets = snapshot.resourcesOf(resourceTypeUrls.secrets).resources;
    expect([...secrets.keys()].sort()).toEqual([...new Set(names)].sort());
  });
});
