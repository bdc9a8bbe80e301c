import { chmodSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  loadPackageDefinition,
  Server as GrpcServer,
  ServerCredentials,
  type ServiceDefinition,
  type sendUnaryData,
  type ServerUnaryCall,
} from "@grpc/grpc-js";
import { loadSync } from "@grpc/proto-loader";
import type { EnvoyGateway } from "@egts/api";
import { hashedName } from "@egts/infra-k8s";
import { TestApiServer, type StoredObject } from "@egts/test-apiserver";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { silentLogger, startController, type RunningController } from "../src/index.js";
import { CDS, nackingProxyDouble } from "./proxyDouble.js";

// Integration: the whole controller on ephemeral ports over a copy of examples/quickstart; a gRPC ADS client
// plays a proxy that rejects the clusters it is sent.
const repoRoot = resolve(import.meta.dirname, "../../..");
const quickstart = join(repoRoot, "examples", "quickstart");
const WAIT = { timeout: 20_000, interval: 100 };
const scrape = async (c: RunningController): Promise<string> => (await fetch(`http://127.0.0.1:${c.metricsPort}/metrics`)).text();

let dir = "";
let controller: RunningController | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "egts-metrics-"));
  cpSync(quickstart, join(dir, "resources"), { recursive: true });
});
afterEach(async () => {
  await controller?.close();
  controller = undefined;
  rmSync(dir, { recursive: true, force: true });
});

function config(telemetry?: EnvoyGateway["telemetry"]): EnvoyGateway {
  return {
    apiVersion: "gateway.envoyproxy.io/v1alpha1",
    kind: "EnvoyGateway",
    gateway: { controllerName: "gateway.envoyproxy.io/gatewayclass-controller" },
    provider: {
      type: "Custom",
      custom: {
        resource: { type: "File", file: { paths: [join(dir, "resources")] } },
        infrastructure: { type: "Host", host: { configHome: join(dir, "config") } },
      },
    },
    ...(telemetry !== undefined ? { telemetry } : {}),
  };
}

const start = (telemetry?: EnvoyGateway["telemetry"]) =>
  startController({ config: config(telemetry), xdsPort: 0, adminPort: 0, xdsPlaintext: true, envoyPath: join(dir, "no-envoy-here"), logger: silentLogger });

describe("control-plane metrics with upstream's names", () => {
  it("counts each Envoy process started on the host as resource_apply_total; /api/proxies gives its admin address", async () => {
    // A FAKE envoy (a Node script, not Envoy): serves a FAKE admin interface and writes its address where
    // --admin-address-path says, as Envoy does.
    const fake = join(dir, "fake-envoy");
    writeFileSync(
      fake,
      `#!${process.execPath}
const args = process.argv.slice(2);
const server = require("node:http").createServer((req, res) => res.end("fake"));
server.listen(0, "127.0.0.1", () => require("node:fs").writeFileSync(args[args.indexOf("--admin-address-path") + 1], "127.0.0.1:" + server.address().port));
process.on("SIGTERM", () => process.exit(0));
`,
    );
    chmodSync(fake, 0o755);
    controller = await startController({ config: config(), xdsPort: 0, adminPort: 0, xdsPlaintext: true, envoyPath: fake, logger: silentLogger });
    const proxies = async () => ((await (await fetch(`${controller!.adminUrl}/api/proxies`)).json()) as { proxies: { adminAddress?: string }[] }).proxies;
    await expect.poll(async () => (await proxies())[0]?.adminAddress ?? "", WAIT).toMatch(/^127\.0\.0\.1:\d+$/);
    const text = await (await fetch(`http://127.0.0.1:${controller.metricsPort}/metrics`)).text();
    expect(text).toMatch(/^resource_apply_total\{kind="Process",name="default-eg-[0-9a-f]{8}",namespace="default",status="success"\} 1$/m);
  });

  it("serves them on the metrics endpoint after a translation, a served proxy and a NACK, beside the egts metrics", async () => {
    controller = await start();
    expect(controller.metricsPort).toBeGreaterThan(0);
    await expect.poll(() => controller!.bus.xds.snapshot().has("default/eg"), WAIT).toBe(true);
    const stop = await nackingProxyDouble(controller.xdsPort, "default/eg", "envoy-double", "rejected by the test double");
    let stopped = false;
    try {
      await expect.poll(async () => ((await (await fetch(`${controller!.adminUrl}/api/nacks`)).json()) as { nacks: unknown[] }).nacks.length, WAIT).toBe(1);
      const text = await (await fetch(`http://127.0.0.1:${controller.metricsPort}/metrics`)).text();
      expect(text).toContain(`xds_nack_total{nodeID="envoy-double",typeURL="${CDS}"} 1`);
      expect(text).toMatch(/^xds_snapshot_update_total\{nodeID="default\/eg",status="success"\} [1-9]/m);
      expect(text).toMatch(/^xds_snapshot_create_total\{status="success"\} 1$/m);
      expect(text).toMatch(/^watchable_publish_total\{runner="gateway-api",message="xds-ir",status="success"\} [1-9]/m);
      expect(text).toMatch(/^watchable_publish_total\{runner="xds-translator",message="xds",status="success"\} [1-9]/m);
      expect(text).toMatch(/^watchable_subscribe_total\{runner="gateway-api",message="provider-resources",status="success"\} [1-9]/m);
      expect(text).toMatch(/^watchable_subscribe_duration_seconds_count\{runner="xds-translator",message="xds-ir"\} [1-9]/m);
      // egts-only metrics, kept alongside upstream's
      expect(text).toContain(`egts_xds_standing_nacks_by_node{nodeID="envoy-double",typeURL="${CDS}"} 1`);
      expect(text).toMatch(/^egts_translation_duration_seconds_count\{stage="gatewayapi"\} [1-9]/m);
      // the admin server's /metrics keeps answering
      expect((await fetch(`${controller.adminUrl}/metrics`)).status).toBe(200);
      // the proxy's stream ends: one sample of its duration
      expect(text).not.toContain("xds_stream_duration_seconds");
      stop();
      stopped = true;
      await expect
        .poll(() => scrape(controller!), WAIT)
        .toMatch(/^xds_stream_duration_seconds_count\{streamID="\d+",nodeID="envoy-double",isDeltaStream="false"\} 1$/m);
    } finally {
      if (!stopped) stop();
    }
  });

  it("pushes them to an OTLP/HTTP sink (a local collector double) and honours prometheus.disable", async () => {
    const received: string[] = [];
    const collectorDouble: Server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString("utf8")));
      req.on("end", () => {
        if (req.method === "POST" && req.url === "/v1/metrics") received.push(body);
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((r) => collectorDouble.listen(0, "127.0.0.1", r));
    try {
      const port = (collectorDouble.address() as AddressInfo).port;
      controller = await start({
        metrics: {
          prometheus: { disable: true },
          sinks: [{ type: "OpenTelemetry", openTelemetry: { host: "127.0.0.1", port, protocol: "http", exportInterval: "1s" } }],
        },
      });
      expect(controller.metricsPort).toBeUndefined();
      await expect.poll(() => controller!.bus.xds.snapshot().has("default/eg"), WAIT).toBe(true);
      await expect.poll(() => received.some((b) => b.includes('"xds_snapshot_update_total"') && b.includes("default/eg")), WAIT).toBe(true);
      const names = new Set(received.flatMap((b) => [...b.matchAll(/"name":"([a-z_]+)"/g)].map((m) => m[1])));
      expect(names).toContain("watchable_publish_total");
    } finally {
      await controller?.close();
      controller = undefined;
      await new Promise<void>((r) => collectorDouble.close(() => r()));
    }
  });

  it("pushes them to an OTLP/gRPC sink (a local collector double serving MetricsService/Export)", async () => {
    // The collector double decodes requests with OpenTelemetry's own .proto files (shipped in node_modules).
    const protos = join(repoRoot, "node_modules", "@opentelemetry", "otlp-grpc-exporter-base", "build", "protos");
    const definition = loadSync("opentelemetry/proto/collector/metrics/v1/metrics_service.proto", { includeDirs: [protos], longs: String, defaults: true });
    const collector = loadPackageDefinition(definition) as unknown as {
      opentelemetry: { proto: { collector: { metrics: { v1: { MetricsService: { service: ServiceDefinition } } } } } };
    };
    type ExportRequest = {
      resourceMetrics: { resource?: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeMetrics: { metrics: { name: string }[] }[] }[];
    };
    const requests: ExportRequest[] = [];
    const collectorDouble = new GrpcServer();
    collectorDouble.addService(collector.opentelemetry.proto.collector.metrics.v1.MetricsService.service, {
      Export: (call: ServerUnaryCall<ExportRequest, unknown>, done: sendUnaryData<unknown>) => {
        requests.push(call.request);
        done(null, {});
      },
    });
    const port = await new Promise<number>((ok, fail) =>
      collectorDouble.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (e, p) => (e !== null ? fail(e) : ok(p))),
    );
    try {
      controller = await start({
        metrics: { sinks: [{ type: "OpenTelemetry", openTelemetry: { host: "127.0.0.1", port, protocol: "grpc", exportInterval: "1s" } }] },
      });
      const names = () => new Set(requests.flatMap((r) => r.resourceMetrics.flatMap((rm) => rm.scopeMetrics.flatMap((sm) => sm.metrics.map((m) => m.name)))));
      await expect.poll(() => names().has("xds_snapshot_update_total") && names().has("watchable_publish_total"), WAIT).toBe(true);
      const service = requests[0]!.resourceMetrics[0]!.resource?.attributes.find((a) => a.key === "service.name")?.value.stringValue;
      expect(service).toBe("envoy-gateway");
      // the pull endpoint stays on beside the push sink
      expect(await scrape(controller)).toMatch(/^xds_snapshot_create_total\{status="success"\} 1$/m);
    } finally {
      await controller?.close();
      controller = undefined;
      collectorDouble.forceShutdown();
    }
  });
});

// Kubernetes mode: the controller against TestApiServer, a Kubernetes API server TEST DOUBLE (real HTTP, the
// real client-node), writing statuses back and the Envoy infrastructure.
describe("control-plane metrics in Kubernetes mode (test API server)", () => {
  const controllerNamespace = "envoy-gateway-system";
  let server: TestApiServer | undefined;
  let k8sController: RunningController | undefined;
  let k8sDir = "";
  afterEach(async () => {
    await k8sController?.close();
    k8sController = undefined;
    await server?.stop();
    rmSync(k8sDir, { recursive: true, force: true });
  });

  it("counts status write-backs (status_update_*) and applied Envoy objects (resource_apply_*) with upstream's labels", async () => {
    server = new TestApiServer({ bookmarkIntervalMs: 200 });
    await server.start(0);
    server.put({ apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } });
    server.put({ apiVersion: "v1", kind: "Namespace", metadata: { name: controllerNamespace } });
    for (const file of readdirSync(quickstart).filter((f) => f.endsWith(".yaml")))
      for (const doc of parseAllDocuments(readFileSync(join(quickstart, file), "utf8"))) server.put(doc.toJS() as StoredObject);
    k8sDir = mkdtempSync(join(tmpdir(), "egts-k8s-metrics-"));
    const kubeconfig = join(k8sDir, "kubeconfig");
    writeFileSync(kubeconfig, server.kubeconfig());
    k8sController = await startController({
      config: {
        apiVersion: "gateway.envoyproxy.io/v1alpha1",
        kind: "EnvoyGateway",
        provider: { type: "Kubernetes", kubernetes: { leaderElection: { leaseDuration: "1s", renewDeadline: "600ms", retryPeriod: "100ms" } } },
      },
      kubeconfig,
      controllerNamespace,
      xdsPort: 0,
      adminPort: 0,
      xdsPlaintext: true,
      logger: silentLogger,
    });
    const envoyName = `envoy-${hashedName("default/eg", 48)}`;
    await expect.poll(() => server!.get("Deployment", controllerNamespace, envoyName) !== undefined, WAIT).toBe(true);
    // Status write-back and the applier run on their own schedules: wait until every count has appeared.
    const expected = [
      /^status_update_total\{kind="HTTPRoute",status="success"\} [1-9]/m,
      /^status_update_total\{kind="Gateway",status="success"\} [1-9]/m,
      /^status_update_duration_seconds_count\{kind="GatewayClass"\} [1-9]/m,
      new RegExp(`^resource_apply_total\\{kind="Deployment",name="${envoyName}",namespace="${controllerNamespace}",status="success"\\} [1-9]`, "m"),
      new RegExp(`^resource_apply_duration_seconds_count\\{kind="Service",name="${envoyName}",namespace="${controllerNamespace}"\\} [1-9]`, "m"),
    ];
    const missing = async () => {
      const text = await scrape(k8sController!);
      return expected.filter((pattern) => !pattern.test(text)).map(String);
    };
    await expect.poll(missing, WAIT).toEqual([]);

    // The Gateway goes: its objects are deleted and counted.
    server.remove("Gateway", "default", "eg");
    await expect.poll(() => server!.get("Deployment", controllerNamespace, envoyName) === undefined, WAIT).toBe(true);
    await expect
      .poll(() => scrape(k8sController!), WAIT)
      .toMatch(new RegExp(`^resource_delete_total\\{kind="Deployment",name="${envoyName}",namespace="${controllerNamespace}",status="success"\\} 1$`, "m"));
  });
});
