import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Client, credentials } from "@grpc/grpc-js";
import { unpackAnyAs } from "@egts/envoy-api";
import { Cluster, Cluster_LbPolicy } from "@egts/envoy-api/generated/envoy/config/cluster/v3/cluster";
import { Secret } from "@egts/envoy-api/generated/envoy/extensions/transport_sockets/tls/v3/secret";
import { Runtime } from "@egts/envoy-api/generated/envoy/service/runtime/v3/rtds";
import { TypedExtensionConfig } from "@egts/envoy-api/generated/envoy/config/core/v3/extension";
import { DeltaDiscoveryRequest, DeltaDiscoveryResponse } from "@egts/envoy-api/generated/envoy/service/discovery/v3/discovery";
import { createSnapshotCache, createXdsServer, resourceTypeUrls, type AckNackEvent, type SnapshotCache, type XdsServer } from "../src/index.js";
import { apiListener, DeltaClient, edsCluster, loadAssignment, routeTo } from "./support.js";

/** Polls wait for something the server does asynchronously; generous, since CI machines are busy. */
const WAIT = { timeout: 20_000 };

const CDS = resourceTypeUrls.clusters;
const EDS = resourceTypeUrls.endpoints;
const LDS = resourceTypeUrls.listeners;
const RDS = resourceTypeUrls.routes;

const names = (response: DeltaDiscoveryResponse): string[] => response.resources.map((resource) => resource.name);

function baseSnapshot(overrides: { clusters?: Cluster[]; endpoints?: ReturnType<typeof loadAssignment>[] } = {}) {
  return {
    [CDS]: overrides.clusters ?? [edsCluster("a"), edsCluster("b")],
    [EDS]: overrides.endpoints ?? [loadAssignment("a", [1001]), loadAssignment("b", [1002])],
    [LDS]: [apiListener("svc", "svc-routes")],
    [RDS]: [routeTo("svc-routes", "svc", "a")],
  };
}

describe("delta ADS", () => {
  let cache: SnapshotCache;
  let server: XdsServer;
  let address: string;
  const clients: DeltaClient[] = [];
  const events: AckNackEvent[] = [];

  const connect = (): DeltaClient => {
    const client = new DeltaClient(address);
    clients.push(client);
    return client;
  };

  beforeEach(async () => {
    cache = createSnapshotCache();
    server = createXdsServer({ cache, controlPlaneId: "egts-test" });
    server.onAckNack((event) => events.push(event));
    address = `127.0.0.1:${await server.listen("127.0.0.1:0")}`;
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    events.splice(0);
    await server.close();
  });

  it("sends the initial set, then only what changed, then removals", async () => {
    cache.setSnapshot("gateway-1", baseSnapshot());
    const envoy = connect();
    const node = { id: "envoy-1", cluster: "gateway-1" };
    envoy.send({ node, typeUrl: CDS });
    const initial = await envoy.next();
    expect(initial.typeUrl).toBe(CDS);
    expect(names(initial)).toEqual(["a", "b"]);
    expect(initial.removedResources).toEqual([]);
    expect(initial.controlPlane?.identifier).toBe("egts-test");
    expect(unpackAnyAs(Cluster, initial.resources[0]!.resource!).name).toBe("a");
    envoy.ack(initial);

    envoy.send({ typeUrl: EDS, resourceNamesSubscribe: ["a", "b"] });
    const endpoints = await envoy.next();
    expect(endpoints.typeUrl).toBe(EDS);
    expect(names(endpoints)).toEqual(["a", "b"]);
    envoy.ack(endpoints);

    // Only cluster b changes: only b is sent, with a new version; a keeps its version.
    cache.setSnapshot("gateway-1", baseSnapshot({ clusters: [edsCluster("a"), edsCluster("b", Cluster_LbPolicy.RING_HASH)] }));
    const update = await envoy.next();
    expect(update.typeUrl).toBe(CDS);
    expect(names(update)).toEqual(["b"]);
    expect(update.resources[0]!.version).not.toBe(initial.resources[1]!.version);
    expect(update.systemVersionInfo).not.toBe(initial.systemVersionInfo);
    envoy.ack(update);

    // Cluster b and its endpoints go away: both types report the removal, clusters first.
    cache.setSnapshot("gateway-1", baseSnapshot({ clusters: [edsCluster("a")], endpoints: [loadAssignment("a", [1001])] }));
    const clusterRemoval = await envoy.next();
    expect(clusterRemoval.typeUrl).toBe(CDS);
    expect(clusterRemoval.resources).toEqual([]);
    expect(clusterRemoval.removedResources).toEqual(["b"]);
    const endpointRemoval = await envoy.next();
    expect(endpointRemoval.typeUrl).toBe(EDS);
    expect(endpointRemoval.removedResources).toEqual(["b"]);
    envoy.ack(clusterRemoval);
    envoy.ack(endpointRemoval);

    await expect.poll(() => events.filter((event) => event.kind === "ack").length, WAIT).toBe(5);
    expect(server.nacks()).toEqual([]);
  });

  it("pushes an update across types in ADS order: clusters, endpoints, listeners, routes", async () => {
    cache.setSnapshot("gateway-1", baseSnapshot());
    const envoy = connect();
    // Subscribe in reverse order; the push order must not depend on it.
    envoy.send({ node: { id: "envoy-1", cluster: "gateway-1" }, typeUrl: RDS, resourceNamesSubscribe: ["svc-routes"] });
    envoy.ack(await envoy.next());
    envoy.send({ typeUrl: LDS });
    envoy.ack(await envoy.next());
    envoy.send({ typeUrl: EDS, resourceNamesSubscribe: ["a", "b", "c"] });
    const firstEndpoints = await envoy.next();
    expect(names(firstEndpoints)).toEqual(["a", "b"]);
    expect(firstEndpoints.removedResources).toEqual(["c"]); // subscribed but absent: reported once
    envoy.ack(firstEndpoints);
    envoy.send({ typeUrl: CDS });
    envoy.ack(await envoy.next());

    cache.setSnapshot("gateway-1", {
      [CDS]: [edsCluster("a"), edsCluster("b"), edsCluster("c")],
      [EDS]: [loadAssignment("a", [1001]), loadAssignment("b", [1002]), loadAssignment("c", [1003])],
      [LDS]: [apiListener("svc", "svc-routes-2")],
      [RDS]: [routeTo("svc-routes", "svc", "a"), routeTo("svc-routes-2", "svc", "c")],
    });
    const order: string[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await envoy.next();
      order.push(`${response.typeUrl.split(".").pop()}:${names(response).join(",")}`);
      envoy.ack(response);
    }
    // svc-routes-2 is not subscribed yet, so no route response; Envoy subscribes after reading the listener.
    expect(order).toEqual(["Cluster:c", "ClusterLoadAssignment:c", "Listener:svc"]);
    envoy.send({ typeUrl: RDS, resourceNamesSubscribe: ["svc-routes-2"], resourceNamesUnsubscribe: ["svc-routes"] });
    const routes = await envoy.next();
    expect(names(routes)).toEqual(["svc-routes-2"]);
  });

  it("tracks removals and re-additions across successive snapshots on many streams", async () => {
    cache.setSnapshot("gateway-1", baseSnapshot());
    const envoys = [connect(), connect(), connect()];
    for (const [i, envoy] of envoys.entries()) {
      envoy.send({ node: { id: `envoy-${i}`, cluster: "gateway-1" }, typeUrl: EDS, resourceNamesSubscribe: ["a", "b"] });
      envoy.ack(await envoy.next());
    }
    const steps: [ReturnType<typeof loadAssignment>[], string[], string[]][] = [
      [[loadAssignment("a", [1001])], [], ["b"]],
      [[loadAssignment("a", [1001]), loadAssignment("b", [3002])], ["b"], []],
      [[loadAssignment("a", [3001]), loadAssignment("b", [3002]), loadAssignment("c", [3003])], ["a"], []],
      [[loadAssignment("c", [3003])], [], ["a", "b"]],
    ];
    for (const [endpoints, sent, removed] of steps) {
      cache.setSnapshot("gateway-1", baseSnapshot({ endpoints }));
      for (const envoy of envoys) {
        const response = await envoy.next();
        expect([names(response), response.removedResources]).toEqual([sent, removed]);
        envoy.ack(response);
      }
    }
  });

  it("holds listeners back while a cluster update awaits its ACK", async () => {
    cache.setSnapshot("gateway-1", baseSnapshot());
    const envoy = connect();
    envoy.send({ node: { id: "envoy-1", cluster: "gateway-1" }, typeUrl: CDS });
    const clusters = await envoy.next();
    envoy.send({ typeUrl: LDS });
    const listeners = await envoy.next();
    envoy.ack(listeners);
    await expect.poll(() => events.map((event) => `${event.kind}:${event.typeUrl}`), WAIT).toEqual([`ack:${LDS}`]);

    // Clusters and listeners change while the first cluster response is still unanswered: the new
    // listener must not go out before the new clusters, which wait for that answer.
    cache.setSnapshot("gateway-1", {
      ...baseSnapshot({ clusters: [edsCluster("a"), edsCluster("b"), edsCluster("c")] }),
      [LDS]: [apiListener("svc", "svc-routes"), apiListener("svc-2", "svc-routes")],
    });
    envoy.ack(clusters);
    const first = await envoy.next();
    const second = await envoy.next();
    expect([first.typeUrl, names(first)]).toEqual([CDS, ["c"]]);
    expect([second.typeUrl, names(second)]).toEqual([LDS, ["svc-2"]]);
  });

  it("records a NACK by error_detail, exposes it, and clears it on a later ACK", async () => {
    cache.setSnapshot("gateway-1", baseSnapshot());
    const envoy = connect();
    envoy.send({ node: { id: "envoy-7", cluster: "gateway-1" }, typeUrl: CDS });
    const response = await envoy.next();
    envoy.nack(response, "cluster b: unsupported lb_policy");
    await expect.poll(() => server.nacks().length, WAIT).toBe(1);
    const [nack] = server.nacks();
    expect(nack).toMatchObject({
      kind: "nack",
      nodeId: "envoy-7",
      cluster: "gateway-1",
      protocol: "delta",
      typeUrl: CDS,
      rejectedVersion: response.systemVersionInfo,
      nonce: response.nonce,
      resourceNames: ["a", "b"],
      code: 3,
      message: "cluster b: unsupported lb_policy",
    });
    expect(nack!.time).toBeInstanceOf(Date);
    expect(events.map((event) => event.kind)).toEqual(["nack"]);

    // The rejected version is not sent again; the next snapshot is, and its ACK clears the NACK.
    cache.setSnapshot("gateway-1", baseSnapshot({ clusters: [edsCluster("a")] }));
    const next = await envoy.next();
    expect(next.removedResources).toEqual(["b"]);
    envoy.ack(next);
    await expect.poll(() => server.nacks().length, WAIT).toBe(0);
    expect(events.map((event) => event.kind)).toEqual(["nack", "ack"]);
  });

  it("drops a node's standing NACKs when its last stream closes", async () => {
    cache.setSnapshot("gateway-1", baseSnapshot());
    const node = { id: "envoy-7", cluster: "gateway-1" };
    const first = connect();
    const second = connect();
    for (const envoy of [first, second]) {
      envoy.send({ node, typeUrl: CDS });
      envoy.nack(await envoy.next(), "rejected");
    }
    await expect.poll(() => events.length, WAIT).toBe(2);
    first.close();
    await expect.poll(() => server.streams().length, WAIT).toBe(1);
    expect(server.nacks()).toHaveLength(1); // the node still has a stream
    second.close();
    await expect.poll(() => server.nacks().length, WAIT).toBe(0);
  });

  it("ignores a stale nonce for ACK purposes but applies its subscription changes", async () => {
    cache.setSnapshot("gateway-1", baseSnapshot());
    const envoy = connect();
    envoy.send({ node: { id: "envoy-1", cluster: "gateway-1" }, typeUrl: EDS, resourceNamesSubscribe: ["a"] });
    const first = await envoy.next();
    expect(names(first)).toEqual(["a"]);
    envoy.send({ typeUrl: EDS, responseNonce: "stale-nonce", resourceNamesSubscribe: ["b"] });
    // Still awaiting the ACK of `first`, so b is held back until the ACK arrives.
    envoy.ack(first);
    const second = await envoy.next();
    expect(names(second)).toEqual(["b"]);
    await expect.poll(() => events.length, WAIT).toBe(1);
    expect(events[0]).toMatchObject({ kind: "ack", nonce: first.nonce });
  });

  it("stops sending an unsubscribed resource", async () => {
    cache.setSnapshot("gateway-1", baseSnapshot());
    const envoy = connect();
    envoy.send({ node: { id: "envoy-1", cluster: "gateway-1" }, typeUrl: EDS, resourceNamesSubscribe: ["a", "b"] });
    envoy.ack(await envoy.next());
    envoy.send({ typeUrl: EDS, resourceNamesUnsubscribe: ["a"] });
    await expect.poll(() => server.streams()[0]?.subscriptions, WAIT).toEqual([{ typeUrl: EDS, wildcard: false, names: ["b"] }]);
    cache.setSnapshot("gateway-1", baseSnapshot({ endpoints: [loadAssignment("a", [2001]), loadAssignment("b", [2002])] }));
    const update = await envoy.next();
    expect(names(update)).toEqual(["b"]);
  });

  it("adds a subscription mid-stream without resending what the proxy holds", async () => {
    const three = (port: number) => [loadAssignment("a", [port]), loadAssignment("b", [port + 1]), loadAssignment("c", [port + 2])];
    cache.setSnapshot("gateway-1", baseSnapshot({ endpoints: three(1000) }));
    const envoy = connect();
    envoy.send({ node: { id: "envoy-1", cluster: "gateway-1" }, typeUrl: EDS, resourceNamesSubscribe: ["a", "b"] });
    const first = await envoy.next();
    expect(names(first)).toEqual(["a", "b"]);
    envoy.ack(first);
    cache.setSnapshot("gateway-1", baseSnapshot({ endpoints: three(2000) }));
    const update = await envoy.next();
    expect(names(update)).toEqual(["a", "b"]);
    envoy.ack(update);
    envoy.send({ typeUrl: EDS, resourceNamesSubscribe: ["c"], resourceNamesUnsubscribe: ["a"] });
    const added = await envoy.next();
    expect([names(added), added.removedResources]).toEqual([["c"], []]);
    envoy.ack(added);
    cache.setSnapshot("gateway-1", baseSnapshot({ endpoints: [loadAssignment("a", [1]), loadAssignment("c", [3])] }));
    const next = await envoy.next();
    expect([names(next), next.removedResources]).toEqual([["c"], ["b"]]);
  });

  it("resumes from initial_resource_versions without resending what the proxy holds", async () => {
    cache.setSnapshot("gateway-1", baseSnapshot());
    const first = connect();
    first.send({ node: { id: "envoy-1", cluster: "gateway-1" }, typeUrl: CDS });
    const held = await first.next();
    first.close();

    cache.setSnapshot("gateway-1", baseSnapshot({ clusters: [edsCluster("a"), edsCluster("b", Cluster_LbPolicy.RING_HASH)] }));
    const again = connect();
    again.send({
      node: { id: "envoy-1", cluster: "gateway-1" },
      typeUrl: CDS,
      initialResourceVersions: Object.fromEntries(held.resources.map((resource) => [resource.name, resource.version])),
    });
    const resumed = await again.next();
    expect(names(resumed)).toEqual(["b"]);
  });

  it("serves a snapshot stored under the node id before the one under its cluster", async () => {
    cache.setSnapshot("gateway-1", baseSnapshot());
    cache.setSnapshot("envoy-special", baseSnapshot({ clusters: [edsCluster("special")] }));
    const special = connect();
    special.send({ node: { id: "envoy-special", cluster: "gateway-1" }, typeUrl: CDS });
    expect(names(await special.next())).toEqual(["special"]);
    const ordinary = connect();
    ordinary.send({ node: { id: "envoy-2", cluster: "gateway-1" }, typeUrl: CDS });
    expect(names(await ordinary.next())).toEqual(["a", "b"]);
    expect(server.streams().map((stream) => stream.snapshotKey)).toEqual(["envoy-special", "gateway-1"]);
  });

  it("waits for a snapshot that does not exist yet, and removes everything when it is cleared", async () => {
    const envoy = connect();
    envoy.send({ node: { id: "envoy-1", cluster: "gateway-late" }, typeUrl: CDS });
    await expect.poll(() => server.streams().length, WAIT).toBe(1);
    cache.setSnapshot("gateway-late", baseSnapshot());
    const first = await envoy.next();
    expect(names(first)).toEqual(["a", "b"]);
    envoy.ack(first);
    cache.clearSnapshot("gateway-late");
    const cleared = await envoy.next();
    expect(cleared.removedResources).toEqual(["a", "b"]);
  });

  it("fails a stream without a node id and keeps serving the others", async () => {
    cache.setSnapshot("gateway-1", baseSnapshot());
    const healthy = connect();
    healthy.send({ node: { id: "envoy-1", cluster: "gateway-1" }, typeUrl: CDS });
    healthy.ack(await healthy.next());

    const broken = connect();
    broken.send({ typeUrl: CDS });
    const error = await broken.ended;
    expect(error.code).toBe(3);
    expect(error.message).toContain("no node id");

    const vanished = connect();
    vanished.send({ node: { id: "envoy-2", cluster: "gateway-1" }, typeUrl: CDS });
    await vanished.next();
    vanished.close();

    cache.setSnapshot("gateway-1", baseSnapshot({ clusters: [edsCluster("a")] }));
    const update = await healthy.next();
    expect(update.removedResources).toEqual(["b"]);
    await expect.poll(() => server.streams().length, WAIT).toBe(1);
  });

  it("serves secrets, runtime layers and extension configs like any other type", async () => {
    cache.setSnapshot("gateway-1", {
      [resourceTypeUrls.secrets]: [Secret.fromPartial({ name: "default/tls-cert" })],
      [resourceTypeUrls.runtimes]: [Runtime.fromPartial({ name: "rtds-layer" })],
      [resourceTypeUrls.extensionConfigs]: [TypedExtensionConfig.fromPartial({ name: "wasm-filter" })],
    });
    const envoy = connect();
    const node = { id: "envoy-1", cluster: "gateway-1" };
    envoy.send({ node, typeUrl: resourceTypeUrls.secrets, resourceNamesSubscribe: ["default/tls-cert"] });
    expect(names(await envoy.next())).toEqual(["default/tls-cert"]);
    envoy.send({ typeUrl: resourceTypeUrls.runtimes, resourceNamesSubscribe: ["rtds-layer"] });
    expect(names(await envoy.next())).toEqual(["rtds-layer"]);
    envoy.send({ typeUrl: resourceTypeUrls.extensionConfigs, resourceNamesSubscribe: ["wasm-filter"] });
    const extension = await envoy.next();
    expect(names(extension)).toEqual(["wasm-filter"]);
    expect(unpackAnyAs(TypedExtensionConfig, extension.resources[0]!.resource!).name).toBe("wasm-filter");
  });

  it("ends open streams with UNAVAILABLE on close", async () => {
    cache.setSnapshot("gateway-1", baseSnapshot());
    const envoy = connect();
    envoy.send({ node: { id: "envoy-1", cluster: "gateway-1" }, typeUrl: CDS });
    await envoy.next();
    await server.close();
    const error = await envoy.ended;
    expect(error.code).toBe(14);
    expect(server.streams()).toEqual([]);
  });

  it("serves the single-type delta services, refusing other types there", async () => {
    cache.setSnapshot("gateway-1", baseSnapshot());
    const client = new Client(address, credentials.createInsecure());
    const open = () =>
      client.makeBidiStreamRequest(
        "/envoy.service.cluster.v3.ClusterDiscoveryService/DeltaClusters",
        (request: DeltaDiscoveryRequest) => Buffer.from(DeltaDiscoveryRequest.encode(request).finish()),
        (bytes: Buffer) => DeltaDiscoveryResponse.decode(bytes),
      );
    try {
      const clusters = open();
      const response = new Promise<DeltaDiscoveryResponse>((resolve) => clusters.once("data", resolve));
      clusters.on("error", () => {});
      clusters.write(DeltaDiscoveryRequest.fromPartial({ node: { id: "envoy-1", cluster: "gateway-1" } }));
      const first = await response;
      expect([first.typeUrl, names(first)]).toEqual([CDS, ["a", "b"]]);
      clusters.cancel();

      const wrong = open();
      const failure = new Promise<{ code?: number; details?: string }>((resolve) => wrong.on("error", resolve));
      wrong.write(DeltaDiscoveryRequest.fromPartial({ node: { id: "envoy-1", cluster: "gateway-1" }, typeUrl: LDS }));
      expect(await failure).toMatchObject({ code: 3, details: `type_url ${LDS} cannot be requested on the service for ${CDS}` });
    } finally {
      client.close();
    }
  });
});
