import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { credentials } from "@grpc/grpc-js";
import { createSnapshotCache, createXdsServer, generateCertificates, resourceTypeUrls, type XdsServer } from "../src/index.js";
import { DeltaClient, edsCluster } from "./support.js";

// The client connects to 127.0.0.1 but checks the server certificate against upstream's service name.
const channelOptions = { "grpc.ssl_target_name_override": "envoy-gateway", "grpc.default_authority": "envoy-gateway" };

describe("mutual TLS with generated certificates", () => {
  const certs = generateCertificates();
  const foreign = generateCertificates();
  let server: XdsServer;
  let address: string;
  const clients: DeltaClient[] = [];

  beforeAll(async () => {
    const cache = createSnapshotCache();
    cache.setSnapshot("gateway-1", { [resourceTypeUrls.clusters]: [edsCluster("a")] });
    server = createXdsServer({
      cache,
      tls: { caCertificate: certs.caCertificate, certificate: certs.envoyGatewayCertificate, privateKey: certs.envoyGatewayPrivateKey },
    });
    address = `127.0.0.1:${await server.listen("127.0.0.1:0")}`;
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    await server.close();
  });

  const connect = (creds: ReturnType<typeof credentials.createSsl>): DeltaClient => {
    const client = new DeltaClient(address, { credentials: creds, channelOptions });
    clients.push(client);
    client.send({ node: { id: "envoy-1", cluster: "gateway-1" }, typeUrl: resourceTypeUrls.clusters });
    return client;
  };

  it("serves a client presenting a certificate issued by the CA", async () => {
    const client = connect(credentials.createSsl(Buffer.from(certs.caCertificate), Buffer.from(certs.envoyPrivateKey), Buffer.from(certs.envoyCertificate)));
    const response = await client.next();
    expect(response.resources.map((resource) => resource.name)).toEqual(["a"]);
  });

  it("refuses a client without a certificate", async () => {
    const client = connect(credentials.createSsl(Buffer.from(certs.caCertificate)));
    const error = await client.ended;
    expect(error.code).toBe(14); // UNAVAILABLE: the handshake fails
  });

  it("refuses a client whose certificate another CA issued", async () => {
    const client = connect(
      credentials.createSsl(Buffer.from(certs.caCertificate), Buffer.from(foreign.envoyPrivateKey), Buffer.from(foreign.envoyCertificate)),
    );
    const error = await client.ended;
    expect(error.code).toBe(14);
  });

  it("is refused by a client that trusts another CA", async () => {
    const client = connect(credentials.createSsl(Buffer.from(foreign.caCertificate), Buffer.from(certs.envoyPrivateKey), Buffer.from(certs.envoyCertificate)));
    const error = await client.ended;
    expect(error.code).toBe(14);
  });
});
