import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parseXdsYaml, type HTTPRoute, type Xds } from "@egts/ir";
import { createSnapshotCache, encodeSnapshot, resourceTypeUrls } from "@egts/xds-server";
import { defaultStages } from "./DefaultStages.js";
import { changedResources, snapshotInputOf, snapshotItemMemo } from "./Runners.js";
import type { XdsResourceEntry, XdsResources } from "./Stages.js";

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
    const memo = snapshotItemMemo();
    const first = snapshotInputOf(translation.resources, memo);
    const second = snapshotInputOf(translation.resources, memo);
    const clusters = resourceTypeUrls.clusters;
    expect(first[clusters]!.length).toBeGreaterThan(0);
    first[clusters]!.forEach((item, i) => expect(second[clusters]![i]).toBe(item));
    // Without the memo every call makes new items.
    expect(snapshotInputOf(translation.resources)[clusters]![0]).not.toBe(first[clusters]![0]);
  });

  it("hands back a type's whole item list while its resources are the same, and a fresh one when one changes", () => {
    const translation = translate();
    const memo = snapshotItemMemo();
    const clusters = resourceTypeUrls.clusters;
    const listeners = resourceTypeUrls.listeners;
    const first = snapshotInputOf(translation.resources, memo);
    // New entry objects around the same bytes (as every translation makes them): the same lists.
    const rewrapped = Object.fromEntries(
      Object.entries(translation.resources).map(([type, list]) => [type, list.map((e: XdsResourceEntry) => ({ ...e }))]),
    ) as unknown as XdsResources;
    const second = snapshotInputOf(rewrapped, memo);
    expect(second[clusters]).toBe(first[clusters]);
    expect(second[listeners]).toBe(first[listeners]);
    // One cluster renamed: a new cluster list, equal to what a memo-less call makes; other types unchanged.
    const renamed = { ...rewrapped, clusters: [...rewrapped.clusters.slice(0, -1), { ...rewrapped.clusters.at(-1)!, name: "renamed" }] };
    const third = snapshotInputOf(renamed, memo);
    expect(third[clusters]).not.toBe(first[clusters]);
    expect(changedResources(encodeSnapshot(snapshotInputOf(renamed)), encodeSnapshot(third))).toEqual({});
    expect(third[clusters]!.length).toBe(new Set(renamed.clusters.map((c) => c.name)).size);
    expect(third[listeners]).toBe(first[listeners]);
  });

  it("keeps the items of unchanged places when only contents changed, and matches a memo-less call", () => {
    const translation = translate();
    const memo = snapshotItemMemo();
    const clusters = resourceTypeUrls.clusters;
    const first = snapshotInputOf(translation.resources, memo);
    const list = translation.resources.clusters;
    expect(list.length).toBeGreaterThan(1);
    // The first cluster's bytes change (a new array), its name stays.
    const edited = { ...translation.resources, clusters: [{ ...list[0]!, bytes: new Uint8Array(list[0]!.bytes ?? []) }, ...list.slice(1)] };
    const second = snapshotInputOf(edited, memo);
    expect(second[clusters]![0]).not.toBe(first[clusters]![0]);
    second[clusters]!.slice(1).forEach((item, i) => expect(item).toBe(first[clusters]![i + 1]));
    expect(changedResources(encodeSnapshot(snapshotInputOf(edited)), encodeSnapshot(second))).toEqual({});
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

describe("snapshots of successive translations", () => {
  const settings = { controllerNamespace: "envoy-gateway-system", dnsDomain: "cluster.local" };
  const route = (name: string, host: string): HTTPRoute => ({
    name,
    hostname: `${name}.example.com`,
    isHTTP2: false,
    destination: { name: `${name}-dest`, settings: [{ name: `${name}-dest/backend/0`, weight: 1, endpoints: [{ host, port: 8080 }] }] },
  });
  const irOf = (routes: HTTPRoute[]): Xds => ({
    http: [
      {
        name: "default/gw/http",
        address: "0.0.0.0",
        port: 10080,
        hostnames: ["*"],
        path: { mergeSlashes: true, escapedSlashesAction: "UnescapeAndRedirect" },
        routes,
      },
    ],
  });

  it("change only the resources an endpoint edit changed: other types keep their resource set, so nothing else is sent", () => {
    const stages = defaultStages();
    const cache = createSnapshotCache();
    const items = snapshotItemMemo();
    const [a, b] = [route("a", "10.0.0.1"), route("b", "10.0.0.2")];
    const first = cache.setSnapshot("gw", snapshotInputOf(stages.translateXds(irOf([a, b]), settings, "gw").resources, items));
    const edited = irOf([
      a,
      { ...b, destination: { ...b.destination!, settings: [{ ...b.destination!.settings![0]!, endpoints: [{ host: "10.0.0.3", port: 8080 }] }] } },
    ]);
    const translation = stages.translateXds(edited, settings, "gw");
    expect(translation.work).toMatchObject({ built: 1, path: "endpoints" });
    const second = cache.setSnapshot("gw", snapshotInputOf(translation.resources, items));
    expect(changedResources(first, second)).toEqual({ ClusterLoadAssignment: 1 });
    for (const type of [resourceTypeUrls.listeners, resourceTypeUrls.routes, resourceTypeUrls.clusters])
      expect(second.resourcesOf(type)).toBe(first.resourcesOf(type));
    const endpoints = resourceTypeUrls.endpoints;
    expect(second.resourcesOf(endpoints).resources.get("a-dest")).toBe(first.resourcesOf(endpoints).resources.get("a-dest"));
    expect(second.resourcesOf(endpoints).version).not.toBe(first.resourcesOf(endpoints).version);
  });
});
