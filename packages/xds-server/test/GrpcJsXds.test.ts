// A real xDS client, @grpc/grpc-js-xds (state of the world over ADS), configured by this server. grpc-js-xds
// registers the xds: resolver process-wide, so it lives alone in this file (vitest runs files in separate
// processes).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { credentials, makeGenericClientConstructor, Server, ServerCredentials, type Client, type ServiceDefinition } from "@grpc/grpc-js";
import * as grpcXds from "@grpc/grpc-js-xds";
import { Cluster_LbPolicy } from "@egts/envoy-api/generated/envoy/config/cluster/v3/cluster";
import { createSnapshotCache, createXdsServer, resourceTypeUrls, type AckNackEvent, type SnapshotCache, type XdsServer } from "../src/index.js";
import { apiListener, edsCluster, loadAssignment, routeTo } from "./support.js";

/** Polls wait for something the server does asynchronously; generous, since CI machines are busy. */
const WAIT = { timeout: 20_000 };

const identity = (value: Buffer): Buffer => value;
const whoService: ServiceDefinition = {
  who: {
    path: "/egts.test.Echo/Who",
    requestStream: false,
    responseStream: false,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
  },
};
const WhoClient = makeGenericClientConstructor(whoService, "Echo");

async function startBackend(name: string): Promise<{ server: Server; port: number }> {
  const server = new Server();
  server.addService(whoService, {
    who: (_call: unknown, callback: (error: null, value: Buffer) => void) => callback(null, Buffer.from(name)),
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (error, bound) => (error === null ? resolve(bound) : reject(error))),
  );
  return { server, port };
}

function who(client: Client): Promise<string> {
  return new Promise((resolve, reject) =>
    (client as unknown as { who: (req: Buffer, cb: (e: Error | null, v?: Buffer) => void) => void }).who(Buffer.alloc(0), (error, value) =>
      error === null ? resolve(value!.toString()) : reject(error),
    ),
  );
}

const CDS = resourceTypeUrls.clusters;
const EDS = resourceTypeUrls.endpoints;
const LDS = resourceTypeUrls.listeners;
const RDS = resourceTypeUrls.routes;

describe("grpc-js-xds routed by the served configuration", () => {
  let cache: SnapshotCache;
  let xds: XdsServer;
  let backendA: { server: Server; port: number };
  let backendB: { server: Server; port: number };
  let client: Client;
  const events: AckNackEvent[] = [];

  const snapshot = (cluster: string, bLbPolicy = Cluster_LbPolicy.ROUND_ROBIN) => ({
    [LDS]: [apiListener("echo", "echo-routes")],
    [RDS]: [routeTo("echo-routes", "echo", cluster)],
    [CDS]: [edsCluster("backend-a"), edsCluster("backend-b", bLbPolicy)],
    [EDS]: [loadAssignment("backend-a", [backendA.port]), loadAssignment("backend-b", [backendB.port])],
  });

  beforeAll(async () => {
    grpcXds.register();
    backendA = await startBackend("A");
    backendB = await startBackend("B");
    cache = createSnapshotCache();
    xds = createXdsServer({ cache });
    xds.onAckNack((event) => events.push(event));
    const port = await xds.listen("127.0.0.1:0");
    cache.setSnapshot("gateway-1", snapshot("backend-a"));
    const bootstrap = {
      xds_servers: [{ server_uri: `127.0.0.1:${port}`, channel_creds: [{ type: "insecure" }], server_features: ["xds_v3"] }],
      node: { id: "grpc-client-1", cluster: "gateway-1", locality: {} },
    };
    client = new WhoClient("xds:///echo", credentials.createInsecure(), {
      "grpc.TEST_ONLY_DO_NOT_USE_IN_PROD.xds_bootstrap_config": JSON.stringify(bootstrap),
    });
  });

  afterAll(async () => {
    client?.close();
    await xds?.close();
    backendA?.server.forceShutdown();
    backendB?.server.forceShutdown();
  });

  it("routes a call through listener, route, cluster and endpoints to the backend", async () => {
    expect(await who(client)).toBe("A");
    // Every type was accepted, on one state-of-the-world stream of node grpc-client-1.
    const acked = new Set(events.filter((event) => event.kind === "ack").map((event) => event.typeUrl));
    expect([...acked].sort()).toEqual([CDS, EDS, LDS, RDS].sort());
    expect(xds.streams()).toEqual([
      expect.objectContaining({ protocol: "sotw", node: { id: "grpc-client-1", cluster: "gateway-1" }, snapshotKey: "gateway-1" }),
    ]);
  });

  it("follows a route update to the other cluster", async () => {
    cache.setSnapshot("gateway-1", snapshot("backend-b"));
    await expect.poll(() => who(client), WAIT).toBe("B");
  });

  it("NACKs a cluster it cannot use, which the server records, and keeps the last good config", async () => {
    cache.setSnapshot("gateway-1", snapshot("backend-b", Cluster_LbPolicy.MAGLEV));
    await expect.poll(() => xds.nacks().length, WAIT).toBe(1);
    const [nack] = xds.nacks();
    expect(nack).toMatchObject({ nodeId: "grpc-client-1", cluster: "gateway-1", protocol: "sotw", typeUrl: CDS });
    expect(nack!.message).toContain("lb_policy");
    // grpc-js-xds names only the clusters its routes use: the rejected response carried just backend-b.
    expect(nack!.resourceNames).toEqual(["backend-b"]);
    expect(await who(client)).toBe("B");

    // A fixed snapshot is accepted and clears the standing NACK.
    cache.setSnapshot("gateway-1", snapshot("backend-a"));
    await expect.poll(() => xds.nacks().length, WAIT).toBe(0);
    await expect.poll(() => who(client), WAIT).toBe("A");
  });
});
