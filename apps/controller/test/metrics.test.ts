import { chmodSync, cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { EnvoyGateway } from "@egts/api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { silentLogger, startController, type RunningController } from "../src/index.js";
import { CDS, nackingProxyDouble } from "./proxyDouble.js";

// Integration: the whole controller on ephemeral ports over a copy of examples/quickstart; a gRPC ADS client
// plays a proxy that rejects the clusters it is sent.
const repoRoot = resolve(import.meta.dirname, "../../..");
const quickstart = join(repoRoot, "examples", "quickstart");
const WAIT = { timeout: 20_000, interval: 100 };

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
    try {
      await expect.poll(async () => ((await (await fetch(`${controller!.adminUrl}/api/nacks`)).json()) as { nacks: unknown[] }).nacks.length, WAIT).toBe(1);
      const text = await (await fetch(`http://127.0.0.1:${controller.metricsPort}/metrics`)).text();
      expect(text).toContain(`xds_nack_total{nodeID="envoy-double",typeURL="${CDS}"} 1`);
      expect(text).toMatch(/^xds_snapshot_update_total\{nodeID="default\/eg",status="success"\} [1-9]/m);
      expect(text).toMatch(/^xds_snapshot_create_total\{status="success"\} 1$/m);
      expect(text).toMatch(/^watchable_publish_total\{runner="gateway-api",message="xds-ir"\} [1-9]/m);
      expect(text).toMatch(/^watchable_publish_total\{runner="xds-translator",message="xds"\} [1-9]/m);
      expect(text).toMatch(/^watchable_subscribe_total\{runner="gateway-api",message="provider-resources",status="success"\} [1-9]/m);
      expect(text).toMatch(/^watchable_subscribe_duration_seconds_count\{runner="xds-translator",message="xds-ir",status="success"\} [1-9]/m);
      // egts-only metrics, kept alongside upstream's
      expect(text).toContain(`egts_xds_standing_nacks_by_node{nodeID="envoy-double",typeURL="${CDS}"} 1`);
      expect(text).toMatch(/^egts_translation_duration_seconds_count\{stage="gatewayapi"\} [1-9]/m);
      // the admin server's /metrics keeps answering
      expect((await fetch(`${controller.adminUrl}/metrics`)).status).toBe(200);
    } finally {
      stop();
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
});
