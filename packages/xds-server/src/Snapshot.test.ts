import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { Cluster } from "@egts/envoy-api/generated/envoy/config/cluster/v3/cluster";
import { Any } from "@egts/envoy-api/generated/google/protobuf/any";
import { DeltaDiscoveryResponse, DiscoveryResponse, Resource } from "@egts/envoy-api/generated/envoy/service/discovery/v3/discovery";
import { ClusterLoadAssignment } from "@egts/envoy-api/generated/envoy/config/endpoint/v3/endpoint";
import { deltaFieldChunks, encodeSnapshot, makeEncodingMemo, preEncodedResource, sotwFieldChunks } from "./Snapshot.js";
import { createSnapshotCache } from "./SnapshotCache.js";
import { resourceTypeUrls } from "./ResourceTypes.js";

const CDS = resourceTypeUrls.clusters;
const EDS = resourceTypeUrls.endpoints;
const cluster = (name: string, connectTimeoutSeconds = 1): Cluster =>
  Cluster.fromPartial({ name, connectTimeout: { seconds: String(connectTimeoutSeconds), nanos: 0 } });

describe("encodeSnapshot", () => {
  it("encodes each resource as an Any and as a delta Resource that decode with Envoy's codecs", () => {
    const snapshot = encodeSnapshot({ [CDS]: [cluster("a")], [EDS]: [ClusterLoadAssignment.fromPartial({ clusterName: "a" })] });
    const encoded = snapshot.resourcesOf(CDS).resources.get("a")!;
    const any = Any.decode(encoded.any);
    expect(any.typeUrl).toBe(CDS);
    expect(Cluster.decode(any.value).name).toBe("a");
    const resource = Resource.decode(encoded.deltaResource);
    expect(resource).toMatchObject({ name: "a", version: encoded.version });
    expect(Cluster.decode(resource.resource!.value)).toEqual(Cluster.decode(Cluster.encode(cluster("a")).finish()));
    // The framed forms are the resources field of a response.
    expect(DiscoveryResponse.decode(encoded.anyField).resources).toEqual([any]);
    expect(DeltaDiscoveryResponse.decode(encoded.deltaResourceField).resources).toEqual([resource]);
    // Endpoints are named by cluster_name.
    expect([...snapshot.resourcesOf(EDS).resources.keys()]).toEqual(["a"]);
  });

  it("places the Any inside the delta form correctly for long names and large messages (multi-byte lengths)", () => {
    const name = `c-${"x".repeat(300)}`;
    const big = cluster(name);
    big.altStatName = "y".repeat(40_000);
    const encoded = encodeSnapshot({ [CDS]: [big] })
      .resourcesOf(CDS)
      .resources.get(name)!;
    const any = Any.decode(encoded.any);
    expect(any.typeUrl).toBe(CDS);
    expect(Cluster.decode(any.value)).toEqual(Cluster.decode(Cluster.encode(big).finish()));
    expect(Resource.decode(encoded.deltaResource)).toMatchObject({ name, version: encoded.version });
    expect(DeltaDiscoveryResponse.decode(encoded.deltaResourceField).resources[0]?.resource).toEqual(any);
    expect(DiscoveryResponse.decode(encoded.anyField).resources).toEqual([any]);
  });

  it("versions resources by content and types by their resources", () => {
    const one = encodeSnapshot({ [CDS]: [cluster("a"), cluster("b")] });
    const same = encodeSnapshot({ [CDS]: [cluster("b"), cluster("a")] });
    const changed = encodeSnapshot({ [CDS]: [cluster("a"), cluster("b", 2)] });
    expect(same.resourcesOf(CDS).version).toBe(one.resourcesOf(CDS).version);
    expect(changed.resourcesOf(CDS).version).not.toBe(one.resourcesOf(CDS).version);
    expect(changed.resourcesOf(CDS).resources.get("a")!.version).toBe(one.resourcesOf(CDS).resources.get("a")!.version);
    expect(changed.resourcesOf(CDS).resources.get("b")!.version).not.toBe(one.resourcesOf(CDS).resources.get("b")!.version);
    // A type the snapshot lacks is empty, with the same version as an explicitly empty one.
    expect(one.resourcesOf(EDS).resources.size).toBe(0);
    expect(one.resourcesOf(EDS).version).toBe(encodeSnapshot({ [EDS]: [] }).resourcesOf(EDS).version);
  });

  it("encodes a message object once and shares the bytes across snapshots through the memo", () => {
    const memo = makeEncodingMemo();
    const a = cluster("a");
    const first = encodeSnapshot({ [CDS]: [a, cluster("b")] }, memo);
    const second = encodeSnapshot({ [CDS]: [a, cluster("b")] }, memo);
    expect(second.resourcesOf(CDS).resources.get("a")).toBe(first.resourcesOf(CDS).resources.get("a"));
    expect(second.resourcesOf(CDS).resources.get("b")).not.toBe(first.resourcesOf(CDS).resources.get("b"));
    // Given the previous snapshot, a type made of the same encodings keeps its resource set object.
    const third = encodeSnapshot({ [CDS]: [a], [EDS]: [] }, memo, second);
    const fourth = encodeSnapshot({ [CDS]: [a], [EDS]: [] }, memo, third);
    expect(fourth.resourcesOf(CDS)).toBe(third.resourcesOf(CDS));
    expect(fourth.resourcesOf(EDS)).toBe(third.resourcesOf(EDS));
    expect(third.resourcesOf(CDS)).not.toBe(second.resourcesOf(CDS));
  });

  it("hashes a type's version over its resources' names and versions in name order", () => {
    // The reference form: each resource's UTF-8 name, NUL, version and newline, sorted by name.
    const names = ["b", "a", "é-ü", "a/b", "Z"];
    const set = encodeSnapshot({ [CDS]: names.map((name) => cluster(name)) }).resourcesOf(CDS);
    const reference = createHash("sha256");
    for (const name of [...names].sort()) reference.update(Buffer.from(name, "utf8")).update("\0").update(set.resources.get(name)!.version).update("\n");
    expect(set.version).toBe(reference.digest("base64url").slice(0, 22));
  });

  it("keeps a type's set for the very input list it was encoded from, and re-encodes a new list as a fresh snapshot would", () => {
    const memo = makeEncodingMemo();
    const clusters = [cluster("a"), cluster("b")];
    const endpoints = [ClusterLoadAssignment.fromPartial({ clusterName: "a" })];
    const first = encodeSnapshot({ [CDS]: clusters, [EDS]: endpoints }, memo);
    const editedEndpoints = [ClusterLoadAssignment.fromPartial({ clusterName: "a", policy: { overprovisioningFactor: 2 } })];
    const second = encodeSnapshot({ [CDS]: clusters, [EDS]: editedEndpoints }, memo, first);
    expect(second.resourcesOf(CDS)).toBe(first.resourcesOf(CDS));
    const fresh = encodeSnapshot({ [CDS]: clusters, [EDS]: editedEndpoints });
    expect(second.resourcesOf(EDS).version).toBe(fresh.resourcesOf(EDS).version);
    expect(second.resourcesOf(EDS).version).not.toBe(first.resourcesOf(EDS).version);
    expect([...second.resourcesOf(EDS).resources.values()].map((r) => r.version)).toEqual([...fresh.resourcesOf(EDS).resources.values()].map((r) => r.version));
    // A type left out of the next input is gone from it, even when the previous snapshot had it.
    expect(encodeSnapshot({ [EDS]: editedEndpoints }, memo, second).types.has(CDS)).toBe(false);
  });

  it("accepts pre-encoded resources, and frames responses around their bytes without copying them", () => {
    const bytes = Cluster.encode(cluster("raw")).finish();
    const snapshot = encodeSnapshot({ [CDS]: [preEncodedResource("raw", bytes)] });
    const encoded = snapshot.resourcesOf(CDS).resources.get("raw")!;
    expect(Buffer.from(Any.decode(encoded.any).value)).toEqual(Buffer.from(bytes));
    // The response fields are header chunks around the caller's own bytes, whose concatenation is the framed form.
    for (const chunks of [deltaFieldChunks(encoded), sotwFieldChunks(encoded)]) expect(chunks).toContain(bytes);
    expect(Buffer.concat(deltaFieldChunks(encoded))).toEqual(Buffer.from(encoded.deltaResourceField));
    expect(Buffer.concat(sotwFieldChunks(encoded))).toEqual(Buffer.from(encoded.anyField));
  });

  it("rejects unnamed, duplicate and unknown-type resources, naming type and index", () => {
    expect(() => encodeSnapshot({ [CDS]: [cluster("a"), cluster("")] })).toThrow(`snapshot: resource at index 1 of ${CDS} has no name`);
    expect(() => encodeSnapshot({ [CDS]: [cluster("a"), cluster("a", 2)] })).toThrow(`snapshot: duplicate resource name "a" in ${CDS} (index 1)`);
    expect(() => encodeSnapshot({ "type.googleapis.com/example.Unknown": [{ name: "x" }] })).toThrow(
      "snapshot: unknown resource type type.googleapis.com/example.Unknown (index 0)",
    );
  });
});

describe("createSnapshotCache", () => {
  it("resolves a node by id first, then by cluster, and notifies watchers of both keys", () => {
    const cache = createSnapshotCache();
    const heard: string[] = [];
    const stop = cache.watch(["envoy-1", "gateway-1"], (key) => heard.push(key));
    expect(cache.resolve({ id: "envoy-1", cluster: "gateway-1" })).toBeUndefined();
    const byCluster = cache.setSnapshot("gateway-1", { [CDS]: [cluster("a")] });
    expect(cache.resolve({ id: "envoy-1", cluster: "gateway-1" })).toEqual({ key: "gateway-1", snapshot: byCluster });
    const byId = cache.setSnapshot("envoy-1", { [CDS]: [cluster("b")] });
    expect(cache.resolve({ id: "envoy-1", cluster: "gateway-1" })).toEqual({ key: "envoy-1", snapshot: byId });
    expect(cache.clearSnapshot("envoy-1")).toBe(true);
    expect(cache.clearSnapshot("envoy-1")).toBe(false);
    cache.setSnapshot("other", { [CDS]: [] });
    stop();
    cache.setSnapshot("gateway-1", byCluster);
    expect(heard).toEqual(["gateway-1", "envoy-1", "envoy-1"]);
    expect(cache.keys()).toEqual(["gateway-1", "other"]);
  });
});
