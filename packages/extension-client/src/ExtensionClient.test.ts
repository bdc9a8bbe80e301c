import { afterEach, describe, expect, it } from "vitest";
import type { ExtensionManager } from "@egts/api";
import type { Route } from "@egts/envoy-api/generated/envoy/config/route/v3/route_components";
import { createExtensionServer, parseExtensionResources, type RunningExtensionServer } from "@egts/extension-server";
import { generateCertificates } from "@egts/xds-server";
import {
  connectExtensionManager,
  connectExtensionManagers,
  extensionServiceAddress,
  grpcServiceConfig,
  parseQuantity,
  stableJson,
  translationSelectionOf,
  type ExtensionClient,
} from "./index.js";

const running: { server?: RunningExtensionServer; client?: ExtensionClient } = {};
afterEach(async () => {
  running.client?.close();
  await running.server?.stop(100);
  delete running.client;
  delete running.server;
});

const manager = (port: number, over: Partial<ExtensionManager> = {}): ExtensionManager => ({
  name: "test",
  service: { ip: { address: "127.0.0.1", port } },
  hooks: { xdsTranslator: { post: ["Route", "VirtualHost"] } },
  ...over,
});

const routeNamed = (name: string) => ({ name }) as Route;

describe("connectExtensionManager", () => {
  it("calls the subscribed hooks over gRPC with the objects as JSON and renders failures as upstream does", async () => {
    const received: unknown[] = [];
    running.server = await createExtensionServer(
      {
        postRouteModify(req) {
          received.push(...parseExtensionResources(req.postRouteContext?.extensionResources ?? []));
          return { route: { ...req.route!, name: `${req.route?.name}@${req.postRouteContext?.hostnames.join("|")}` } };
        },
        postVirtualHostModify() {
          throw new Error("no virtual hosts today");
        },
      },
      { port: 0 },
    );
    running.client = await connectExtensionManager(manager(running.server.port));
    const hooks = running.client.hooks;
    expect(hooks.postHttpListenerModify).toBeUndefined();
    const out = await hooks.postRouteModify?.(routeNamed("r1"), {
      hostnames: ["a.example", "b.example"],
      extensionResources: [{ kind: "Widget", apiVersion: "foo.example.io/v1", metadata: { name: "w" } }],
      extensionPolicies: [],
    });
    expect(out?.name).toBe("r1@a.example|b.example");
    expect(received).toEqual([{ apiVersion: "foo.example.io/v1", kind: "Widget", metadata: { name: "w" } }]);
    await expect(hooks.postVirtualHostModify?.({ name: "vh" } as never)).rejects.toThrow("rpc error: code = Unknown desc = no virtual hosts today");
  });

  it("speaks mTLS with the certificates its secret references name, and fails without a client certificate", async () => {
    const certs = generateCertificates({ serverIpAddresses: ["127.0.0.1"], keyAlgorithm: "ecdsa-p256" });
    running.server = await createExtensionServer(
      { postRouteModify: (req) => ({ route: { ...req.route!, name: "over-mtls" } }) },
      {
        port: 0,
        tls: {
          certificate: Buffer.from(certs.envoyGatewayCertificate),
          privateKey: Buffer.from(certs.envoyGatewayPrivateKey),
          clientCa: Buffer.from(certs.caCertificate),
        },
      },
    );
    const secrets: Record<string, Record<string, Uint8Array>> = {
      "ns/ca": { "tls.crt": Buffer.from(certs.caCertificate) },
      "ns/client": { "tls.crt": Buffer.from(certs.envoyCertificate), "tls.key": Buffer.from(certs.envoyPrivateKey) },
    };
    const loadSecret = async (ref: { name: string }, namespace: string) => secrets[`${namespace}/${ref.name}`];
    const port = running.server.port;
    const tlsManager = (withClientCert: boolean) =>
      manager(port, {
        service: {
          ip: { address: "127.0.0.1", port },
          tls: { certificateRef: { name: "ca" }, ...(withClientCert ? { clientCertificateRef: { name: "client" } } : {}) },
        },
      });
    running.client = await connectExtensionManager(tlsManager(true), { loadSecret, namespace: "ns" });
    expect((await running.client.hooks.postRouteModify?.(routeNamed("r"), { hostnames: [], extensionResources: [], extensionPolicies: [] }))?.name).toBe(
      "over-mtls",
    );
    const anonymous = await connectExtensionManager(tlsManager(false), { loadSecret, namespace: "ns", callTimeoutMs: 3000 });
    try {
      await expect(anonymous.hooks.postRouteModify?.(routeNamed("r"), { hostnames: [], extensionResources: [], extensionPolicies: [] })).rejects.toThrow(
        /rpc error: code = Unavailable/,
      );
    } finally {
      anonymous.close();
    }
    await expect(connectExtensionManager(tlsManager(true))).rejects.toThrow(/TLS enabled but no secret loader/);
  });

  it("enforces maxMessageSize on what it sends", async () => {
    running.server = await createExtensionServer({}, { port: 0 });
    running.client = await connectExtensionManager(manager(running.server.port, { maxMessageSize: "1Ki" }));
    const big = routeNamed("x".repeat(4096));
    await expect(running.client.hooks.postRouteModify?.(big, { hostnames: [], extensionResources: [], extensionPolicies: [] })).rejects.toThrow(
      /ResourceExhausted/,
    );
    expect((await running.client.hooks.postRouteModify?.(routeNamed("small"), { hostnames: [], extensionResources: [], extensionPolicies: [] }))?.name).toBe(
      "small",
    );
  });

  it("reports an unreachable server as Unavailable after its retries", async () => {
    const probe = await createExtensionServer({}, { port: 0 });
    const port = probe.port;
    await probe.stop(100);
    running.client = await connectExtensionManager(
      manager(port, { service: { ip: { address: "127.0.0.1", port }, retry: { maxAttempts: 2, initialBackoff: "10ms", maxBackoff: "20ms" } } }),
    );
    await expect(running.client.hooks.postRouteModify?.(routeNamed("r"), { hostnames: [], extensionResources: [], extensionPolicies: [] })).rejects.toThrow(
      /code = Unavailable/,
    );
  });
});

describe("connectExtensionManagers", () => {
  it("chains several managers, prefixing a fail-closed member's error with its name", async () => {
    running.server = await createExtensionServer(
      {
        postRouteModify: (req) => {
          if (req.route?.name === "bad") throw new Error("refused");
          return { route: { ...req.route!, name: `${req.route?.name}+` } };
        },
      },
      { port: 0 },
    );
    const port = running.server.port;
    const client = await connectExtensionManagers({ extensionManagers: [manager(port, { name: "ext-a" }), manager(port, { name: "ext-b" })] });
    expect(client).toBeDefined();
    running.client = client as ExtensionClient;
    const ctx = { hostnames: [], extensionResources: [], extensionPolicies: [] };
    expect((await running.client.hooks.postRouteModify?.(routeNamed("r"), ctx))?.name).toBe("r++");
    await expect(running.client.hooks.postRouteModify?.(routeNamed("bad"), ctx)).rejects.toThrow('extension "ext-a": rpc error: code = Unknown desc = refused');
    expect(await connectExtensionManagers({})).toBeUndefined();
  });
});

describe("configuration", () => {
  it("dials the address the service names", () => {
    expect(extensionServiceAddress({ fqdn: { hostname: "ext.example", port: 5005 } })).toBe("ext.example:5005");
    expect(extensionServiceAddress({ ip: { address: "::1", port: 1 } })).toBe("[::1]:1");
    expect(extensionServiceAddress({ unix: { path: "/run/ext.sock" } })).toBe("unix:/run/ext.sock");
    expect(extensionServiceAddress({ host: "legacy", port: 7 })).toBe("legacy:7");
    expect(() => extensionServiceAddress({})).toThrow(/no fqdn, ip, unix or host/);
  });

  it("builds upstream's retry policy, with the manager's settings and checked status codes", () => {
    expect(JSON.parse(grpcServiceConfig("svc", undefined)).methodConfig[0].retryPolicy).toEqual({
      maxAttempts: 4,
      initialBackoff: "0.1s",
      maxBackoff: "1s",
      backoffMultiplier: 2,
      retryableStatusCodes: ["UNAVAILABLE"],
    });
    const custom = JSON.parse(
      grpcServiceConfig("svc", { maxAttempts: 3, backoffMultiplier: { numerator: 3, denominator: 2 }, RetryableStatusCodes: ["INTERNAL"] }),
    );
    expect(custom.methodConfig[0].retryPolicy).toMatchObject({ maxAttempts: 3, backoffMultiplier: 1.5, retryableStatusCodes: ["INTERNAL"] });
    expect(JSON.parse(grpcServiceConfig("svc", { maxAttempts: 1 })).methodConfig[0].retryPolicy).toBeUndefined();
    expect(() => grpcServiceConfig("svc", { maxAttempts: 0 })).toThrow(/maxAttempts 0/);
    expect(() => grpcServiceConfig("svc", { RetryableStatusCodes: ["SOMETIMES"] })).toThrow(/Status code value SOMETIMES/);
    expect(() => grpcServiceConfig("svc", { initialBackoff: "soon" })).toThrow(/Initial Backoff soon/);
  });

  it("reads quantities, translation selections and writes objects with sorted keys", () => {
    expect([parseQuantity("4Mi"), parseQuantity("1M"), parseQuantity(1024), parseQuantity("lots")]).toEqual([4194304, 1000000, 1024, undefined]);
    expect(translationSelectionOf({})).toEqual({ clusters: true, secrets: true, listeners: false, routes: false });
    expect(translationSelectionOf({ hooks: { xdsTranslator: { translation: { listener: { includeAll: true }, cluster: { includeAll: false } } } } })).toEqual({
      clusters: false,
      secrets: true,
      listeners: true,
      routes: false,
    });
    expect(stableJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"e":3,"f":2}]},"b":1}');
  });
});
