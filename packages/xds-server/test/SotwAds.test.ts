import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Cluster_LbPolicy } from "@egts/envoy-api/generated/envoy/config/cluster/v3/cluster";
import type { DiscoveryResponse } from "@egts/envoy-api/generated/envoy/service/discovery/v3/discovery";
import type { Any } from "@egts/envoy-api/generated/google/protobuf/any";
import { Cluster } from "@egts/envoy-api/generated/envoy/config/cluster/v3/cluster";
import { ClusterLoadAssignment } from "@egts/envoy-api/generated/envoy/config/endpoint/v3/endpoint";
import { createSnapshotCache, createXdsServer, resourceTypeUrls, type SnapshotCache, type XdsServer } from "../src/index.js";
import { edsCluster, loadAssignment, SotwClient } from "./support.js";

/** Polls wait for something the server does asynchronously; generous, since CI machines are busy. */
const WAIT = { timeout: 20_000 };

const CDS = resourceTypeUrls.clusters;
const EDS = resourceTypeUrls.endpoints;
const node = { id: "envoy-1", cluster: "gateway-1" };

const clusterNames = (response: DiscoveryResponse): string[] => response.resources.map((any: Any) => Cluster.decode(any.value).name);
const endpointNames = (response: DiscoveryResponse): string[] => response.resources.map((any: Any) => ClusterLoadAssignment.decode(any.value).clusterName);

describe("state-of-the-world ADS", () => {
  let cache: SnapshotCache;
  let server: XdsServer;
  let client: SotwClient;

  beforeEach(async () => {
    cache = createSnapshotCache();
    server = createXdsServer({ cache });
    const port = await server.listen("127.0.0.1:0");
    client = new SotwClient(`127.0.0.1:${port}`);
  });

  afterEach(async () => {
    client.close();
    await server.close();
  });

  const ack = (response: DiscoveryResponse, resourceNames: string[] = []): void =>
    client.send({ typeUrl: response.typeUrl, versionInfo: response.versionInfo, responseNonce: response.nonce, resourceNames });

  it("sends the full set of a wildcard type on every change; a removal is an absence", async () => {
    cache.setSnapshot("gateway-1", { [CDS]: [edsCluster("a"), edsCluster("b")] });
    client.send({ node, typeUrl: CDS });
    const first = await client.next();
    expect(clusterNames(first)).toEqual(["a", "b"]);
    expect(first.typeUrl).toBe(CDS);
    ack(first);
    cache.setSnapshot("gateway-1", { [CDS]: [edsCluster("a")] });
    const second = await client.next();
    expect(clusterNames(second)).toEqual(["a"]);
    expect(second.versionInfo).not.toBe(first.versionInfo);
    expect(second.nonce).not.toBe(first.nonce);
  });

  it("ignores a request carrying a stale nonce", async () => {
    cache.setSnapshot("gateway-1", {
      [CDS]: [edsCluster("a")],
      [EDS]: [loadAssignment("a", [1]), loadAssignment("b", [2])],
    });
    client.send({ node, typeUrl: EDS, resourceNames: ["a"] });
    const first = await client.next();
    expect(endpointNames(first)).toEqual(["a"]);
    ack(first, ["a"]);
    // A request with a nonce the server never sent for this type changes nothing: no response to it, and the
    // subscription stays. The cluster request after it is answered, so the server has read both.
    client.send({ typeUrl: EDS, responseNonce: "not-a-nonce", resourceNames: ["b"] });
    client.send({ typeUrl: CDS });
    const clusters = await client.next();
    expect(clusters.typeUrl).toBe(CDS);
    expect(server.streams()[0]!.subscriptions).toEqual([
      { typeUrl: CDS, wildcard: true, names: [] },
      { typeUrl: EDS, wildcard: false, names: ["a"] },
    ]);
    expect(server.tracker.nacks()).toEqual([]);
  });

  it("records a NACK, does not resend the rejected version, and sends the next one", async () => {
    cache.setSnapshot("gateway-1", { [CDS]: [edsCluster("a", Cluster_LbPolicy.MAGLEV)] });
    client.send({ node, typeUrl: CDS });
    const rejected = await client.next();
    client.send({
      typeUrl: CDS,
      versionInfo: "",
      responseNonce: rejected.nonce,
      errorDetail: { code: 3, message: "unsupported lb_policy", details: [] },
    });
    await expect.poll(() => server.nacks().length, WAIT).toBe(1);
    expect(server.nacks()[0]).toMatchObject({ protocol: "sotw", rejectedVersion: rejected.versionInfo, resourceNames: ["a"] });
    cache.setSnapshot("gateway-1", { [CDS]: [edsCluster("a")] });
    const next = await client.next();
    expect(next.versionInfo).not.toBe(rejected.versionInfo);
    ack(next);
    await expect.poll(() => server.nacks().length, WAIT).toBe(0);
  });

  it("holds named endpoints until the snapshot has all of them (ADS mode), answers named clusters at once", async () => {
    cache.setSnapshot("gateway-1", { [CDS]: [edsCluster("a")], [EDS]: [loadAssignment("a", [1])] });
    client.send({ node, typeUrl: EDS, resourceNames: ["a", "b"] });
    client.send({ typeUrl: CDS, resourceNames: ["a", "b"] });
    const clusters = await client.next();
    expect(clusters.typeUrl).toBe(CDS);
    expect(clusterNames(clusters)).toEqual(["a"]);
    ack(clusters, ["a", "b"]);
    cache.setSnapshot("gateway-1", {
      [CDS]: [edsCluster("a"), edsCluster("b")],
      [EDS]: [loadAssignment("a", [1]), loadAssignment("b", [2])],
    });
    const updatedClusters = await client.next();
    expect(clusterNames(updatedClusters)).toEqual(["a", "b"]);
    const endpoints = await client.next();
    expect(endpoints.typeUrl).toBe(EDS);
    expect(endpointNames(endpoints)).toEqual(["a", "b"]);
  });

  it("fails a request without a type URL", async () => {
    client.send({ node });
    await expect(client.next()).rejects.toMatchObject({ code: 3, details: "discovery request on an aggregated stream has no type_url" });
  });
});
