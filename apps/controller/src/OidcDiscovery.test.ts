import { createServer as createHttpsServer } from "node:https";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { generateCertificates } from "@egts/xds-server";
import { makeOidcDiscoveryService } from "./OidcDiscovery.js";

/** A test double of an OIDC issuer: serves whatever the handler answers, and counts requests per path. */
async function fakeIssuer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  tls?: { key: string; cert: string },
): Promise<{ url: string; hits: Map<string, number>; server: Server }> {
  const hits = new Map<string, number>();
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    hits.set(req.url ?? "", (hits.get(req.url ?? "") ?? 0) + 1);
    handler(req, res);
  };
  const server = tls !== undefined ? createHttpsServer(tls, listener) : createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  servers.push(server);
  return { url: `${tls !== undefined ? "https" : "http"}://${tls !== undefined ? "localhost" : "127.0.0.1"}:${port}`, hits, server };
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

const document = (issuer: string): string => JSON.stringify({ issuer, authorization_endpoint: `${issuer}/authorize`, token_endpoint: `${issuer}/token` });

describe("OIDC discovery service", () => {
  it("answers in progress, fetches in the background, notifies, then serves the cached endpoints", async () => {
    const issuer = await fakeIssuer((req, res) => {
      res.writeHead(200, { "content-type": "application/json" }).end(document(`http://${req.headers.host}`));
    });
    const service = makeOidcDiscoveryService();
    let notified = 0;
    service.onResult(() => notified++);
    expect(service.lookup(issuer.url)).toEqual({ error: `failed fetching openid-configuration from issuer URL: ${issuer.url}: discovery is in progress` });
    await service.idle();
    expect(notified).toBe(1);
    expect(service.lookup(issuer.url)).toEqual({ authorizationEndpoint: `${issuer.url}/authorize`, tokenEndpoint: `${issuer.url}/token` });
    expect(service.lookup(issuer.url)).toMatchObject({ tokenEndpoint: `${issuer.url}/token` });
    await service.idle();
    expect(issuer.hits.get("/.well-known/openid-configuration")).toBe(1);
  });

  it("caches failures in upstream's words, and tries again after their TTL", async () => {
    let status = 404;
    const issuer = await fakeIssuer((req, res) => {
      if (status === 200) res.writeHead(200).end(document(`http://${req.headers.host}`));
      else res.writeHead(status).end("not here");
    });
    let clock = 0;
    const service = makeOidcDiscoveryService({ failureTtlMs: 1000, now: () => clock });
    service.lookup(issuer.url);
    await service.idle();
    expect(service.lookup(issuer.url)).toEqual({ error: `failed fetching openid-configuration from issuer URL: ${issuer.url}, status code: 404` });
    await service.idle();
    expect(issuer.hits.get("/.well-known/openid-configuration")).toBe(1);
    status = 200;
    clock = 1001;
    // Past the TTL the last answer is still served while it is fetched again.
    expect(service.lookup(issuer.url)).toMatchObject({ error: expect.stringContaining("status code: 404") });
    await service.idle();
    expect(service.lookup(issuer.url)).toMatchObject({ tokenEndpoint: `${issuer.url}/token` });
  });

  it("retries transient statuses and reports the last one", async () => {
    const issuer = await fakeIssuer((_req, res) => res.writeHead(503).end());
    const service = makeOidcDiscoveryService({ attempts: 2 });
    service.lookup(issuer.url);
    await service.idle();
    expect(service.lookup(issuer.url)).toEqual({ error: `transient error fetching openid-configuration from issuer URL: ${issuer.url}, status code: 503` });
    expect(issuer.hits.get("/.well-known/openid-configuration")).toBe(2);
  });

  it("fetches over HTTPS trusting the provider's CA only", async () => {
    const certs = generateCertificates({ serverDnsNames: ["localhost"], keyAlgorithm: "ecdsa-p256" });
    const issuer = await fakeIssuer((_req, res) => res.writeHead(200).end(document("https://idp")), {
      key: certs.envoyGatewayPrivateKey,
      cert: certs.envoyGatewayCertificate,
    });
    const trusted = makeOidcDiscoveryService({ attempts: 1 });
    const tls = { caCertificate: { certificate: new Uint8Array(Buffer.from(certs.caCertificate)) } };
    trusted.lookup(issuer.url, tls);
    await trusted.idle();
    expect(trusted.lookup(issuer.url, tls)).toEqual({ authorizationEndpoint: "https://idp/authorize", tokenEndpoint: "https://idp/token" });
    // Without the CA the same server is not trusted.
    trusted.lookup(issuer.url);
    await trusted.idle();
    expect(trusted.lookup(issuer.url)).toMatchObject({ error: expect.stringMatching(/^Get "https:\/\/localhost:\d+\/\.well-known\/openid-configuration": /) });
  });

  it("refuses documents over the size limit", async () => {
    const issuer = await fakeIssuer((_req, res) => res.writeHead(200).end("x".repeat(4096)));
    const service = makeOidcDiscoveryService({ maxBytes: 1024, attempts: 1 });
    service.lookup(issuer.url);
    await service.idle();
    expect(service.lookup(issuer.url)).toMatchObject({ error: expect.stringContaining("larger than 1024 bytes") });
  });
});
