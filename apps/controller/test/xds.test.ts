import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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

  constructor(address: string, private readonly node: { id: string; cluster: string }) {
    this.client = new AggregatedDiscoveryServiceClient(address, credentials.createInsecure());
    this.stream = this.client.deltaAggregatedResources();
    this.stream.on("data", (r: DeltaDiscoveryResponse) => {
      const waiter = this.waiting.shift();
      if (waiter) waiter(r);
      else this.queued.push(r);
    });
    this.stream.on("error", () => undefined);
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
        provider: { type: "Custom", custom: { resource: { type: "File", file: { paths: [resources] } }, infrastructure: { type: "Host", host: { configHome: join(dir, "config") } } } },
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
    const http = listeners.find((l) => l.address?.address?.$case === "socketAddress" && l.address.address.value.portSpecifier?.$case === "portValue" && l.address.address.value.portSpecifier.value === 8888);
    expect(http).toBeDefined();
    client.ack(lds);

    const routeName = "default/eg/http";
    client.subscribe(RDS, [routeName]);
    const rds = await client.next();
    expect(rds.typeUrl).toBe(RDS);
    const domains = (r: DeltaDiscoveryResponse) => r.resources.flatMap((x) => unpackAnyAs(RouteConfiguration, x.resource!).virtualHosts.flatMap((v) => v.domains));
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
