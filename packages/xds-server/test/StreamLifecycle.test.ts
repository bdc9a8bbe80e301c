import { afterEach, describe, expect, it } from "vitest";
import { createSnapshotCache, createXdsServer, resourceTypeUrls, type StreamClosedEvent, type XdsServer } from "../src/index.js";
import { DeltaClient, edsCluster, SotwClient } from "./support.js";

const WAIT = { timeout: 20_000 };
const CDS = resourceTypeUrls.clusters;

describe("stream lifecycle observer", () => {
  let server: XdsServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  /** A server on a clock the test moves, reporting closed streams into `closed`. */
  async function start(closed: StreamClosedEvent[]) {
    let clock = Date.parse("2026-01-01T00:00:00Z");
    const cache = createSnapshotCache();
    cache.setSnapshot("gateway-1", { [CDS]: [edsCluster("a")] });
    server = createXdsServer({ cache, now: () => new Date(clock) });
    server.onStreamClosed((event) => closed.push(event));
    const port = await server.listen("127.0.0.1:0");
    return { address: `127.0.0.1:${port}`, advance: (ms: number) => (clock += ms) };
  }

  it("reports a state-of-the-world stream the client ends, with its node and how long it was open", async () => {
    const closed: StreamClosedEvent[] = [];
    const { address, advance } = await start(closed);
    const client = new SotwClient(address);
    client.send({ node: { id: "envoy-1", cluster: "gateway-1" }, typeUrl: CDS });
    await client.next();
    expect(server!.streams()).toHaveLength(1);
    advance(42_000);
    client.close();
    await expect.poll(() => closed.length, WAIT).toBe(1);
    const [event] = closed;
    expect(event!.stream).toMatchObject({ protocol: "sotw", node: { id: "envoy-1", cluster: "gateway-1" } });
    expect(event!.closedAt.getTime() - event!.stream.openedAt.getTime()).toBe(42_000);
    expect(server!.streams()).toHaveLength(0);
  });

  it("reports delta streams, and the streams the server ends on shutdown, once each", async () => {
    const closed: StreamClosedEvent[] = [];
    const { address } = await start(closed);
    const client = new DeltaClient(address);
    client.send({ node: { id: "envoy-2", cluster: "gateway-1" }, typeUrl: CDS });
    await client.next();
    await server!.close();
    await client.ended;
    client.close();
    expect(closed.map((e) => [e.stream.protocol, e.stream.node?.id, e.reason])).toEqual([["delta", "envoy-2", "server shutting down"]]);
  });

  it("stops reporting after unsubscribing; a throwing listener does not disturb the stream", async () => {
    const closed: StreamClosedEvent[] = [];
    const { address } = await start(closed);
    const unsubscribe = server!.onStreamClosed(() => {
      throw new Error("listener failure");
    });
    const first = new SotwClient(address);
    first.send({ node: { id: "envoy-3", cluster: "gateway-1" }, typeUrl: CDS });
    await first.next();
    first.close();
    await expect.poll(() => closed.length, WAIT).toBe(1);
    unsubscribe();
    const second = new SotwClient(address);
    second.send({ node: { id: "envoy-4", cluster: "gateway-1" }, typeUrl: CDS });
    await second.next();
    second.close();
    await expect.poll(() => closed.length, WAIT).toBe(2);
    expect(closed.map((e) => e.stream.node?.id)).toEqual(["envoy-3", "envoy-4"]);
  });
});
