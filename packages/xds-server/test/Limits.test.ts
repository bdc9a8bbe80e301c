import { afterEach, describe, expect, it, vi } from "vitest";
import { credentials as grpcCredentials } from "@grpc/grpc-js";
import { AggregatedDiscoveryServiceClient } from "@egts/envoy-api/generated/envoy/service/discovery/v3/ads";
import { DiscoveryRequest } from "@egts/envoy-api/generated/envoy/service/discovery/v3/discovery";
import { createSnapshotCache, createXdsServer, resourceTypeUrls, type Logger, type XdsLimits, type XdsServer } from "../src/index.js";
import { DeltaClient, edsCluster, SotwClient } from "./support.js";

const WAIT = { timeout: 20_000, interval: 20 };
const CDS = resourceTypeUrls.clusters;
const node = { id: "envoy-1", cluster: "gateway-1" };

/** A logger double that keeps the warnings. */
const recordingLogger = (): Logger & { warnings: { message: string; fields: Record<string, unknown> }[] } => {
  const warnings: { message: string; fields: Record<string, unknown> }[] = [];
  return { warnings, debug: () => {}, info: () => {}, error: () => {}, warn: (message, fields = {}) => warnings.push({ message, fields: { ...fields } }) };
};

describe("per-stream limits", () => {
  let server: XdsServer | undefined;
  const closers: (() => void)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) close();
    await server?.close();
    server = undefined;
  });

  const start = async (limits: XdsLimits, logger: Logger = recordingLogger()) => {
    const cache = createSnapshotCache();
    server = createXdsServer({ cache, logger, limits });
    const port = await server.listen("127.0.0.1:0");
    return { cache, address: `127.0.0.1:${port}` };
  };

  it("keeps only the first characters of a huge NACK message", async () => {
    const { cache, address } = await start({ maxNackMessageLength: 100 });
    cache.setSnapshot("gateway-1", { [CDS]: [edsCluster("a")] });
    const client = new SotwClient(address);
    closers.push(() => client.close());
    client.send({ node, typeUrl: CDS });
    const response = await client.next();
    client.send({ typeUrl: CDS, responseNonce: response.nonce, errorDetail: { code: 3, message: "x".repeat(1_000_000), details: [] } });
    await vi.waitFor(() => expect(server!.nacks()).toHaveLength(1), WAIT);
    const message = server!.nacks()[0]!.message;
    expect(message.length).toBeLessThan(200);
    expect(message).toMatch(/^x{100}\.\.\. \(999900 more characters not shown\)$/);
  });

  it("fails a stream that subscribes to more type URLs than allowed", async () => {
    const logger = recordingLogger();
    const { address } = await start({ maxTypesPerStream: 3 }, logger);
    const client = new DeltaClient(address);
    closers.push(() => client.close());
    for (let i = 0; i < 10; i++) client.send({ node, typeUrl: `type.googleapis.com/test.T${i}` });
    const error = await client.ended;
    expect(error.code).toBe(8);
    expect(error.message).toContain("more than 3 type URLs");
    await vi.waitFor(() => expect(server!.streams()).toHaveLength(0), WAIT);
  });

  it("fails a stream whose request names more resources than allowed", async () => {
    const { address } = await start({ maxResourceNamesPerRequest: 10 });
    const client = new DeltaClient(address);
    closers.push(() => client.close());
    client.send({ node, typeUrl: CDS, resourceNamesSubscribe: Array.from({ length: 11 }, (_, i) => `c${i}`) });
    const error = await client.ended;
    expect(error.code).toBe(8);
    expect(error.message).toContain("names 11 resources, more than the limit of 10");
  });

  it("disconnects a client that keeps asking for responses but never reads them", async () => {
    const logger = recordingLogger();
    const { cache, address } = await start({ maxQueuedResponses: 4 }, logger);
    // Two large clusters; asking for one then the other always warrants a new response.
    const big = (name: string) => ({ ...edsCluster(name), altStatName: name.repeat(256 * 1024) });
    cache.setSnapshot("gateway-1", { [CDS]: [big("a"), big("b")] });
    const client = new AggregatedDiscoveryServiceClient(address, grpcCredentials.createInsecure());
    const stream = client.streamAggregatedResources();
    closers.push(() => {
      stream.cancel();
      client.close();
    });
    stream.on("error", () => {});
    // Never reads (no 'data' listener), but answers the nonces the server is known to use: 1, 2, 3...
    for (let nonce = 0; nonce < 200; nonce++) {
      stream.write(
        DiscoveryRequest.fromPartial({ node, typeUrl: CDS, resourceNames: [nonce % 2 === 0 ? "a" : "b"], responseNonce: nonce === 0 ? "" : String(nonce) }),
      );
    }
    await vi.waitFor(() => expect(logger.warnings.map((w) => w.message)).toContain("xds client does not read its responses; disconnecting it"), WAIT);
    await vi.waitFor(() => expect(server!.streams()).toHaveLength(0), WAIT);
    const warning = logger.warnings.find((w) => w.message.startsWith("xds client does not read"))!;
    expect(warning.fields["queuedResponses"]).toBe(5);
  });
});
