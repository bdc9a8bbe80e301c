import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { generateCertificates } from "@egts/xds-server";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { credentials } from "@grpc/grpc-js";
import { unpackAnyAs } from "@egts/envoy-api";
import { Listener } from "@egts/envoy-api/generated/envoy/config/listener/v3/listener";
import { RouteConfiguration } from "@egts/envoy-api/generated/envoy/config/route/v3/route";
import { AggregatedDiscoveryServiceClient } from "@egts/envoy-api/generated/envoy/service/discovery/v3/ads";
import { DeltaDiscoveryRequest, type DeltaDiscoveryResponse } from "@egts/envoy-api/generated/envoy/service/discovery/v3/discovery";
import { afterEach, describe, expect, it } from "vitest";
import { silentLogger, startController, type RunningController } from "../src/index.js";

const LDS = "type.googleapis.com/envoy.config.listener.v3.Listener";
const RDS = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";

/** A minimal delta ADS client (as Envoy speaks to upstream's xDS server), queueing responses per type. */
class DeltaAdsClient {
  private readonly client: AggregatedDiscoveryServiceClient;
  private readonly stream;
  private readonly queued: DeltaDiscoveryResponse[] = [];
  private readonly waiting: ((r: DeltaDiscoveryResponse) => void)[] = [];
  /** Resolves with the error the stream ended with. */
  readonly failure: Promise<Error & { code?: number }>;

  constructor(
    address: string,
    private readonly node: { id: string; cluster: string },
    channel = credentials.createInsecure(),
    options: Record<string, string> = {},
  ) {
    this.client = new AggregatedDiscoveryServiceClient(address, channel, options);
    this.stream = this.client.deltaAggregatedResources();
    this.stream.on("data", (r: DeltaDiscoveryResponse) => {
      const waiter = this.waiting.shift();
      if (waiter) waiter(r);
      else this.queued.push(r);
    });
    this.failure = new Promise((resolveFailure) => this.stream.on("error", (error: Error & { code?: number }) => resolveFailure(error)));
  }

  subscribe(typeUrl: string, names: string[] = []): void {
    this.stream.write(DeltaDiscoveryRequest.fromPartial({ node: this.node, typeUrl, resourceNamesSubscribe: names }));
  }

  ack(response: DeltaDiscoveryResponse): void {
    this.stream.write(DeltaDiscoveryRequest.fromPartial({ typeUrl: response.typeUrl, responseNonce: response.nonce }));
  }

  next(): Promise<DeltaDiscoveryResponse> {
    const queued = this.queued.shift();
    return queued ? Promise.resolve(queued) : new Promise((r) => this.waiting.push(r));
  }

  close(): void {
    this.stream.cancel();
    this.client.close();
  }
}

describe("controller xDS, end to end over gRPC", () => {
  let controller: RunningController | undefined;
  let client: DeltaAdsClient | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    client?.close();
    await controller?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("serves the quickstart's listener and route to a proxy of default/eg and pushes an edited route", async () => {
    dir = mkdtempSync(join(tmpdir(), "egts-controller-xds-"));
    const resources = join(dir, "resources");
    cpSync(resolve(import.meta.dirname, "../../../examples/quickstart"), resources, { recursive: true });
    controller = await startController({
      config: {
        apiVersion: "gateway.envoyproxy.io/v1alpha1",
        kind: "EnvoyGateway",
        provider: {
          type: "Custom",
          custom: { resource: { type: "File", file: { paths: [resources] } }, infrastructure: { type: "Host", host: { configHome: join(dir, "config") } } },
        },
      },
      xdsPort: 0,
      adminPort: 0,
      xdsPlaintext: true,
      envoyPath: join(dir, "no-envoy"),
      logger: silentLogger,
    });
    // The proxy identifies itself as upstream's host infrastructure starts it: --service-cluster is the IR key.
    client = new DeltaAdsClient(`127.0.0.1:${controller.xdsPort}`, { id: "default-eg-proxy", cluster: "default/eg" });
    client.subscribe(LDS);
    const lds = await client.next();
    expect(lds.typeUrl).toBe(LDS);
    const listeners = lds.resources.map((r) => unpackAnyAs(Listener, r.resource!));
    const http = listeners.find(
      (l) =>
        l.address?.address?.$case === "socketAddress" &&
        l.address.address.value.portSpecifier?.$case === "portValue" &&
        l.address.address.value.portSpecifier.value === 8888,
    );
    expect(http).toBeDefined();
    client.ack(lds);

    const routeName = "default/eg/http";
    client.subscribe(RDS, [routeName]);
    const rds = await client.next();
    expect(rds.typeUrl).toBe(RDS);
    const domains = (r: DeltaDiscoveryResponse) =>
      r.resources.flatMap((x) => unpackAnyAs(RouteConfiguration, x.resource!).virtualHosts.flatMap((v) => v.domains));
    expect(domains(rds)).toEqual(["www.example.com"]);
    client.ack(rds);

    const metrics = await (await fetch(`${controller.adminUrl}/metrics`)).text();
    expect(metrics).toMatch(/^egts_xds_connected_proxies 1$/m);

    const routeFile = join(resources, "httproute.yaml");
    const editedAt = performance.now();
    writeFileSync(routeFile, readFileSync(routeFile, "utf8").replace('"www.example.com"', '"pushed.example.com"'));
    const update = await client.next();
    const latencyMs = performance.now() - editedAt;
    expect(update.typeUrl).toBe(RDS);
    expect(domains(update)).toEqual(["pushed.example.com"]);
    expect(latencyMs).toBeLessThan(1000);
  });
});

describe("controller xDS over mutual TLS", () => {
  it("accepts a proxy presenting the generated client certificate (checking the server's SAN envoy-gateway) and refuses others", async () => {
    const dir = mkdtempSync(join(tmpdir(), "egts-controller-mtls-"));
    const resources = join(dir, "resources");
    cpSync(resolve(import.meta.dirname, "../../../examples/quickstart"), resources, { recursive: true });
    const configHome = join(dir, "config");
    const controller = await startController({
      config: {
        apiVersion: "gateway.envoyproxy.io/v1alpha1",
        kind: "EnvoyGateway",
        provider: {
          type: "Custom",
          custom: { resource: { type: "File", file: { paths: [resources] } }, infrastructure: { type: "Host", host: { configHome } } },
        },
      },
      xdsPort: 0,
      adminPort: 0,
      envoyPath: join(dir, "no-envoy"),
      logger: silentLogger,
    });
    const proxyCerts = join(configHome, "certs", "envoy");
    const read = (f: string) => readFileSync(join(proxyCerts, f));
    // As Envoy's bootstrap does: trust the CA, present tls.crt/tls.key, expect the server name envoy-gateway.
    const good = new DeltaAdsClient(
      `127.0.0.1:${controller.xdsPort}`,
      { id: "p1", cluster: "default/eg" },
      credentials.createSsl(read("ca.crt"), read("tls.key"), read("tls.crt")),
      { "grpc.ssl_target_name_override": "envoy-gateway", "grpc.default_authority": "envoy-gateway" },
    );
    // A client whose certificate another CA issued must be refused.
    const stranger = generateCertificates();
    const bad = new DeltaAdsClient(
      `127.0.0.1:${controller.xdsPort}`,
      { id: "p2", cluster: "default/eg" },
      credentials.createSsl(read("ca.crt"), Buffer.from(stranger.envoyPrivateKey), Buffer.from(stranger.envoyCertificate)),
      { "grpc.ssl_target_name_override": "envoy-gateway", "grpc.default_authority": "envoy-gateway" },
    );
    try {
      good.subscribe(LDS);
      const lds = await good.next();
      expect(lds.resources.map((r) => r.name)).toContain("default/eg/http");
      bad.subscribe(LDS);
      const error = await bad.failure;
      expect(error.code).toBe(14); // UNAVAILABLE: the handshake failed
    } finally {
      good.close();
      bad.close();
      await controller.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
