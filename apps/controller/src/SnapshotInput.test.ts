import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parseXdsYaml } from "@egts/ir";
import { encodeSnapshot, resourceTypeUrls } from "@egts/xds-server";
import { defaultStages } from "./DefaultStages.js";
import { changedResources, snapshotInputOf, type SnapshotItemMemo } from "./Runners.js";

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

describe("snapshot input reuse", () => {
  const translate = () =>
    defaultStages().translateXds(corpusIr("backend-with-auto-san-sni"), { controllerNamespace: "envoy-gateway-system", dnsDomain: "cluster.local" });

  it("hands the cache the same item for the same bytes, so unchanged resources keep their encoding", () => {
    const translation = translate();
    const memo: SnapshotItemMemo = new WeakMap();
    const first = snapshotInputOf(translation.resources, memo);
    const second = snapshotInputOf(translation.resources, memo);
    const clusters = resourceTypeUrls.clusters;
    expect(first[clusters]!.length).toBeGreaterThan(0);
    first[clusters]!.forEach((item, i) => expect(second[clusters]![i]).toBe(item));
    // Without the memo every call makes new items.
    expect(snapshotInputOf(translation.resources)[clusters]![0]).not.toBe(first[clusters]![0]);
  });

  it("counts the resources a new snapshot adds, changes or removes, per type", () => {
    const translation = translate();
    const before = encodeSnapshot(snapshotInputOf(translation.resources));
    expect(changedResources(before, encodeSnapshot(snapshotInputOf(translation.resources)))).toEqual({});
    const clusters = translation.resources.clusters;
    const changed = {
      ...translation.resources,
      // One cluster dropped, one renamed (a removal and an addition).
      clusters: [...clusters.slice(0, -2), { ...clusters.at(-2)!, name: "renamed" }],
    };
    expect(changedResources(before, encodeSnapshot(snapshotInputOf(changed)))).toEqual({ Cluster: 3 });
    const fresh = changedResources(undefined, before);
    expect(fresh["Cluster"]).toBe(new Set(clusters.map((c) => c.name)).size);
  });
});
