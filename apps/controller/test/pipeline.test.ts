import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { EnvoyGateway } from "@egts/api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultStages, silentLogger, startController, type GatewayApiTranslation, type PipelineStages, type RunningController } from "../src/index.js";

// The runners' accounting and work skipping, with stage doubles wrapping the real translators.
const quickstart = resolve(import.meta.dirname, "../../../examples/quickstart");

function config(resourceDir: string, configHome: string): EnvoyGateway {
  return {
    apiVersion: "gateway.envoyproxy.io/v1alpha1",
    kind: "EnvoyGateway",
    gateway: { controllerName: "gateway.envoyproxy.io/gatewayclass-controller" },
    provider: {
      type: "Custom",
      custom: { resource: { type: "File", file: { paths: [resourceDir] } }, infrastructure: { type: "Host", host: { configHome } } },
    },
  };
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(test: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (test()) return;
    await settle(10);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("pipeline accounting (in-process controller, stage doubles)", () => {
  let dir: string;
  let resources: string;
  let controller: RunningController | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "egts-pipeline-"));
    resources = join(dir, "resources");
    cpSync(quickstart, resources, { recursive: true });
  });
  afterEach(async () => {
    await controller?.close();
    controller = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  const start = (stages: PipelineStages) =>
    startController({
      config: config(resources, join(dir, "config")),
      xdsPort: 0,
      adminPort: 0,
      xdsPlaintext: true,
      envoyPath: join(dir, "none"),
      logger: silentLogger,
      stages,
    });

  it("records the path a translation took and runs no xDS translation when the IR objects are the previous ones", async () => {
    const real = defaultStages();
    let previous: GatewayApiTranslation | undefined;
    // A stage double answering every run after the first from its previous result, as an incremental
    // translator does when nothing relevant changed.
    const stages: PipelineStages = {
      ...real,
      translateGatewayApi: (input, settings) => {
        if (previous !== undefined) return { ...previous, path: "unchanged" };
        previous = real.translateGatewayApi(input, settings);
        return previous;
      },
    };
    controller = await start(stages);
    const { metrics, bus } = controller;
    await until(() => bus.xds.get("default/eg") !== undefined && metrics.stageRunCount("xds-snapshot", "set") === 1, "the first snapshot");
    expect(metrics.stageRunCount("gateway-api", "full")).toBe(1);
    expect(metrics.stageRunCount("xds-translation", "translated")).toBe(1);
    expect(metrics.stageRunCount("xds-snapshot", "set")).toBe(1);

    const routeFile = join(resources, "httproute.yaml");
    writeFileSync(routeFile, readFileSync(routeFile, "utf8").replace("name: backend\n", 'name: backend\n  labels: { edited: "yes" }\n'));
    await until(() => metrics.stageRunCount("gateway-api", "unchanged") === 1, "the second Gateway API run");
    await settle(50);
    expect(metrics.stageRunCount("xds-translation", "translated")).toBe(1);
    expect(metrics.stageRunCount("xds-snapshot", "set")).toBe(1);
    const text = await (await fetch(`${controller.adminUrl}/metrics`)).text();
    expect(text).toMatch(/^egts_pipeline_stage_duration_seconds_count\{path="unchanged",stage="gateway-api"\} 1$/m);
    expect(text).toMatch(/^egts_xds_snapshot_resources_changed_total\{type="Listener"\} [1-9]/m);
  });

  it("invalidates incremental stages before the re-translation an external result causes", async () => {
    const real = defaultStages();
    const calls: string[] = [];
    let notify: (() => void) | undefined;
    const stages: PipelineStages = {
      ...real,
      translateGatewayApi: (input, settings) => {
        calls.push("translate");
        return real.translateGatewayApi(input, settings);
      },
      onExternalResult: (listener) => {
        notify = listener;
        return () => (notify = undefined);
      },
      invalidate: () => calls.push("invalidate"),
    };
    controller = await start(stages);
    await until(() => calls.length === 1, "the first translation");
    notify?.();
    expect(calls).toEqual(["translate", "invalidate", "translate"]);
  });

  it("holds a GatewayClass's translation until the stages' preparation is done, then translates the resources current then", async () => {
    const real = defaultStages();
    let finishPreparing: (() => void) | undefined;
    const prepared: number[] = [];
    const translated: string[] = [];
    const stages: PipelineStages = {
      ...real,
      // The first resources need preparing (as resources carrying Lua need the VM); later ones wait with them.
      prepareGatewayApi: (input) => {
        prepared.push(input.httpRoutes.length);
        if (finishPreparing === undefined && prepared.length === 1) return new Promise<void>((done) => (finishPreparing = done));
        return undefined;
      },
      translateGatewayApi: (input, settings) => {
        translated.push(input.httpRoutes.map((route) => route.metadata.labels?.["edited"] ?? "-").join(","));
        return real.translateGatewayApi(input, settings);
      },
    };
    controller = await start(stages);
    await until(() => finishPreparing !== undefined, "the preparation to start");
    const routeFile = join(resources, "httproute.yaml");
    writeFileSync(routeFile, readFileSync(routeFile, "utf8").replace("name: backend\n", 'name: backend\n  labels: { edited: "yes" }\n'));
    await settle(400);
    expect(translated).toEqual([]);
    expect(prepared).toEqual([1]);
    finishPreparing?.();
    await until(() => controller?.bus.xds.get("default/eg") !== undefined, "the first snapshot");
    expect(translated).toEqual(["yes"]);
  });
});
