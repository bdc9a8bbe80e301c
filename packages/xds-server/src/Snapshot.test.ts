import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Cluster } from "@egts/envoy-api/generated/envoy/config/cluster/v3/cluster";
import { Any } from "@egts/envoy-api/generated/google/protobuf/any";
import { DeltaDiscoveryResponse, DiscoveryResponse, Resource } from "@egts/envoy-api/generated/envoy/service/discovery/v3/discovery";
import { ClusterLoadAssignment } from "@egts/envoy-api/generated/envoy/config/endpoint/v3/endpoint";
import { deltaFieldChunks, encodeSnapshot, makeEncodingMemo, preEncodedResource, replacementsSince, resourceSetChanges, sotwFieldChunks } from "./Snapshot.js";
import { createSnapshotCache } from "./SnapshotCache.js";
import { SharedParts } from "./internal/SharedParts.js";
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

  it("writes a type's version as the 128-bit sum of a SHA-256 of each resource's name and version", () => {
    // The reference form: per resource, the first 16 bytes of SHA-256 over its UTF-8 name, NUL and version, read
    // as a little-endian number; the sum modulo 2^128, written little-endian in base64url.
    const names = ["b", "a", "é-ü", "a/b", "Z"];
    const set = encodeSnapshot({ [CDS]: names.map((name) => cluster(name)) }).resourcesOf(CDS);
    let sum = 0n;
    for (const name of names) {
      const digest = createHash("sha256").update(Buffer.from(name, "utf8")).update("\0").update(set.resources.get(name)!.version).digest();
      sum += digest.subarray(0, 16).reduceRight((n, byte) => (n << 8n) | BigInt(byte), 0n);
    }
    sum %= 1n << 128n;
    const bytes = Buffer.alloc(16);
    for (let i = 0; i < 16; i++) bytes[i] = Number((sum >> BigInt(8 * i)) & 0xffn);
    expect(set.version).toBe(bytes.toString("base64url"));
    // Two resources that swap contents change it.
    const swapped = encodeSnapshot({ [CDS]: [cluster("a", 1), cluster("b", 2)] }).resourcesOf(CDS);
    expect(encodeSnapshot({ [CDS]: [cluster("a", 2), cluster("b", 1)] }).resourcesOf(CDS).version).not.toBe(swapped.version);
  });

  it("after any sequence of edits, encodes each snapshot from the previous one as a fresh encoding would", () => {
    let editedInPlace = 0;
    fc.assert(
      fc.property(
        fc.array(
          fc.array(fc.tuple(fc.nat({ max: 7 }), fc.oneof(fc.constant("edit"), fc.constant("rename"), fc.constant("drop"), fc.constant("add"))), {
            maxLength: 4,
          }),
          {
            maxLength: 8,
          },
        ),
        (edits) => {
          const memo = makeEncodingMemo();
          let list = Array.from({ length: 8 }, (_, i) => ClusterLoadAssignment.fromPartial({ clusterName: `c${i}` }));
          let previous = encodeSnapshot({ [EDS]: list }, memo);
          let step = 0;
          for (const batch of edits) {
            list = [...list];
            for (const [at, kind] of batch) {
              step++;
              const i = at % Math.max(list.length, 1);
              if (kind === "add" || list.length === 0) list.push(ClusterLoadAssignment.fromPartial({ clusterName: `n${step}` }));
              else if (kind === "drop") list.splice(i, 1);
              else {
                const clusterName = kind === "rename" ? `r${step}` : list[i]!.clusterName;
                if (list.some((e, j) => j !== i && e.clusterName === clusterName)) continue;
                list[i] = ClusterLoadAssignment.fromPartial({ clusterName, policy: { overprovisioningFactor: step } });
              }
            }
            const next = encodeSnapshot({ [EDS]: list }, memo, previous);
            const fresh = encodeSnapshot({ [EDS]: list });
            const [got, want] = [next.resourcesOf(EDS), fresh.resourcesOf(EDS)];
            expect(got.version).toBe(want.version);
            expect([...got.resources.keys()]).toEqual([...want.resources.keys()]);
            expect([...got.resources.values()].map((r) => Buffer.from(r.deltaResourceField))).toEqual(
              [...want.resources.values()].map((r) => Buffer.from(r.deltaResourceField)),
            );
            // What a delta stream in line with the previous set is sent: as found by comparing every resource.
            const was = previous.resourcesOf(EDS);
            if (replacementsSince(was, got) !== undefined) editedInPlace++;
            const changes = resourceSetChanges(was, got);
            expect(changes.changed.map((r) => r.name).sort()).toEqual(
              [...got.resources.values()]
                .filter((r) => was.resources.get(r.name)?.version !== r.version)
                .map((r) => r.name)
                .sort(),
            );
            expect(changes.removed.sort()).toEqual([...was.resources.keys()].filter((name) => !got.resources.has(name)).sort());
            const difference = new SharedParts().difference(was, got);
            expect(difference.changed.map((r) => r.name)).toEqual(
              [...got.resources.values()]
                .filter((r) => was.resources.get(r.name)?.version !== r.version)
                .map((r) => r.name)
                .sort(),
            );
            expect(difference.removed).toEqual([...was.resources.keys()].filter((name) => !got.resources.has(name)).sort());
            previous = next;
          }
        },
      ),
      { numRuns: 200 },
    );
    // The in-place path was taken (and so checked) often.
    expect(editedInPlace).toBeGreaterThan(50);
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
