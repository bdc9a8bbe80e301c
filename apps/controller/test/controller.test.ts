import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, watch, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import type { EnvoyGateway } from "@egts/api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultStages, silentLogger, startController, streamLogger, type ControllerBus, type PipelineStages, type RunningController } from "../src/index.js";

// Integration tests: the whole controller in this process, on ephemeral ports, over a copy of examples/quickstart.
const repoRoot = resolve(import.meta.dirname, "../../..");
const quickstart = join(repoRoot, "examples", "quickstart");

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

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

/** Resolves once `test` holds for the map's state (checked now and after every update). */
function until<V>(
  m: { snapshot(): ReadonlyMap<string, V>; subscribe(l: (u: { state: ReadonlyMap<string, V> }) => void): () => void },
  test: (state: ReadonlyMap<string, V>) => boolean,
): Promise<ReadonlyMap<string, V>> {
  return new Promise((resolvePromise) => {
    const now = m.snapshot();
    if (test(now)) return resolvePromise(now);
    const unsubscribe = m.subscribe((update) => {
      if (test(update.state)) {
        unsubscribe();
        resolvePromise(update.state);
      }
    });
  });
}

async function getJson(controller: RunningController, path: string): Promise<Json> {
  const response = await fetch(`${controller.adminUrl}${path}`);
  expect(response.status).toBe(200);
  return (await response.json()) as Json;
}

const configOf = (dump: Json, key: string, type: string): Json =>
  (dump["xds"][key]["configs"] as Json[]).find((c) => c["@type"] === `type.googleapis.com/envoy.admin.v3.${type}`)!;
const domainsOf = (dump: Json, key: string): string[] =>
  (configOf(dump, key, "RoutesConfigDump")["dynamicRouteConfigs"] as Json[]).flatMap((r) =>
    (r["routeConfig"]["virtualHosts"] ?? []).flatMap((v: Json) => v["domains"] ?? []),
  );
const routeDomains = (bus: ControllerBus, key: string): string[] =>
  (bus.xds.get(key)?.resources.routes ?? []).flatMap((r) => ((r.message as Json)["virtualHosts"] ?? []).flatMap((v: Json) => v["domains"] ?? []));

/** Resolves once `file` exists and its text satisfies `test` (checked now and on every change in its directory). */
function untilFile(file: string, test: (text: string) => boolean): Promise<string> {
  return new Promise((resolvePromise) => {
    const check = (): boolean => {
      if (!existsSync(file)) return false;
      const text = readFileSync(file, "utf8");
      if (!test(text)) return false;
      watcher.close();
      resolvePromise(text);
      return true;
    };
    const watcher = watch(dirname(file), () => void check());
    check();
  });
}

const portIsFree = (port: number) =>
  new Promise<boolean>((resolvePromise) => {
    const server = createServer();
    server.once("error", () => resolvePromise(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolvePromise(true)));
  });

describe("controller (in-process, plaintext xDS, ephemeral ports)", () => {
  let dir: string;
  let resources: string;
  let controller: RunningController | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "egts-controller-"));
    resources = join(dir, "resources");
    cpSync(quickstart, resources, { recursive: true });
  });
  afterEach(async () => {
    await controller?.close();
    controller = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it("serves the quickstart, follows edits, keeps the last good config when a file breaks, and releases its ports", async () => {
    controller = await startController({
      config: config(resources, join(dir, "config")),
      xdsPort: 0,
      adminPort: 0,
      xdsPlaintext: true,
      envoyPath: join(dir, "no-envoy-here"),
      logger: process.env["EGTS_TEST_LOG"] ? streamLogger({ level: "debug" }) : silentLogger,
    });
    const { bus } = controller;
    await until(bus.xds, (s) => s.has("default/eg"));

    expect((await fetch(`${controller.adminUrl}/healthz`)).status).toBe(200);
    expect((await fetch(`${controller.adminUrl}/readyz`)).status).toBe(200);

    // The quickstart's listener and route, in the shape of Envoy's config dump.
    const dump = await getJson(controller, "/api/config_dump");
    expect(Object.keys(dump["xds"])).toEqual(["default/eg"]);
    const listeners = (configOf(dump, "default/eg", "ListenersConfigDump")["dynamicListeners"] as Json[]).map((l) => l["activeState"]["listener"]);
    const http = listeners.find((l) => l["address"]?.["socketAddress"]?.["portValue"] === 8888);
    expect(http).toBeDefined();
    expect(http!["@type"]).toBe("type.googleapis.com/envoy.config.listener.v3.Listener");
    expect(domainsOf(dump, "default/eg")).toContain("www.example.com");
    const endpoints = JSON.stringify(configOf(dump, "default/eg", "EndpointsConfigDump"));
    expect(endpoints).toContain("127.0.0.1");
    const bootstrap = configOf(dump, "default/eg", "BootstrapConfigDump")["bootstrap"] as Json;
    expect(JSON.stringify(bootstrap["staticResources"])).toContain(`"portValue":${controller.xdsPort}`);

    // Statuses as the translator wrote them.
    const status = await getJson(controller, "/api/status");
    const eg = status["gatewayClasses"]["eg"];
    expect(eg["errors"]).toEqual([]);
    const route = (eg["resources"] as Json[]).find((r) => r["kind"] === "HTTPRoute" && r["name"] === "backend");
    expect(JSON.stringify(route?.["status"])).toContain('"Accepted"');
    const gateway = (eg["resources"] as Json[]).find((r) => r["kind"] === "Gateway");
    expect((gateway!["status"]["conditions"] as Json[]).map((c) => [c["type"], c["status"], c["reason"]])).toEqual([
      ["Accepted", "True", "Accepted"],
      ["Programmed", "False", "AddressNotAssigned"],
    ]);
    expect(status["provider"]["problems"]).toEqual([]);

    // An edit reaches the served configuration quickly.
    const routeFile = join(resources, "httproute.yaml");
    const original = readFileSync(routeFile, "utf8");
    const edited = original.replace('"www.example.com"', '"edited.example.com"');
    const editedAt = performance.now();
    writeFileSync(routeFile, edited);
    await until(bus.xds, () => routeDomains(bus, "default/eg").includes("edited.example.com"));
    const latencyMs = performance.now() - editedAt;
    expect(latencyMs).toBeLessThan(1000);
    expect(domainsOf(await getJson(controller, "/api/config_dump"), "default/eg")).toEqual(["edited.example.com"]);

    // A change that does not alter the IR re-translates the resources but publishes no new xDS.
    const xdsTranslations = controller.metrics.translationCount("xds");
    const xdsPublished = bus.xds.publishCount;
    const gatewayApiTranslations = controller.metrics.translationCount("gatewayapi");
    writeFileSync(join(resources, "extra-namespace.yaml"), "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: unrelated\n");
    await until(bus.resourceCounts, (s) => (s.get("file")?.["Namespace"] ?? 0) === 1);
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(controller.metrics.translationCount("gatewayapi")).toBe(gatewayApiTranslations + 1);
    expect(controller.metrics.translationCount("xds")).toBe(xdsTranslations);
    expect(bus.xds.publishCount).toBe(xdsPublished);

    // A broken file: the error shows in /api/status, the last good configuration keeps being served.
    writeFileSync(routeFile, edited.replace("port: 3000", "port: not-a-number"));
    await until(bus.providerProblems, (s) => (s.get("file") ?? []).length > 0);
    const broken = await getJson(controller, "/api/status");
    expect(broken["provider"]["staleFiles"]).toEqual([routeFile]);
    const problem = broken["provider"]["problems"][0] as Json;
    expect(problem).toMatchObject({ file: routeFile, document: 1, object: "HTTPRoute default/backend" });
    expect(problem["path"]).toMatch(/^spec\.rules\[0\]\.backendRefs\[0\]\.port/);
    expect(domainsOf(await getJson(controller, "/api/config_dump"), "default/eg")).toEqual(["edited.example.com"]);

    // Metrics and NACKs.
    const metrics = await (await fetch(`${controller.adminUrl}/metrics`)).text();
    expect(metrics).toMatch(/^egts_translations_total\{stage="gatewayapi"\} \d+$/m);
    expect(metrics).toMatch(/^egts_translation_duration_seconds_count\{stage="xds"\} \d+$/m);
    expect(metrics).toMatch(/^egts_resources\{kind="HTTPRoute"\} 1$/m);
    expect(metrics).toMatch(/^egts_xds_connected_proxies 0$/m);
    expect(metrics).toMatch(/^egts_provider_problems 1$/m);
    expect(await getJson(controller, "/api/nacks")).toEqual({ nacks: [] });
    const serverInfo = await getJson(controller, "/api/server_info");
    expect(serverInfo["state"]).toBe("Running");
    expect(serverInfo["envoyGatewayConfig"]["provider"]["custom"]["resource"]["type"]).toBe("File");
    expect((await fetch(`${controller.adminUrl}/nope`)).status).toBe(404);
    const routes = await getJson(controller, "/api/config_dump?resource=httproute");
    expect(routes["totalCount"]).toBe(1);
    expect(routes["resources"][0]["spec"]["hostnames"]).toEqual(["edited.example.com"]);
    expect((await getJson(controller, "/api/config_dump?resource=all"))["resources"][0]["gatewayClass"]["metadata"]["name"]).toBe("eg");
    expect((await fetch(`${controller.adminUrl}/api/config_dump?resource=pods`)).status).toBe(400);

    // Shutdown releases both ports.
    const { adminPort, xdsPort } = controller;
    await controller.close();
    controller = undefined;
    expect(await portIsFree(adminPort)).toBe(true);
    expect(await portIsFree(xdsPort)).toBe(true);
  });

  it("keeps serving the last good translation when a stage throws, and reports the error in /api/status", async () => {
    const real = defaultStages();
    // A stage that fails on one input, standing in for a translator bug.
    const stages: PipelineStages = {
      ...real,
      translateGatewayApi: (resources, settings) => {
        if (JSON.stringify(resources.httpRoutes).includes("boom.example.com")) throw new Error("translator exploded");
        return real.translateGatewayApi(resources, settings);
      },
    };
    controller = await startController({
      config: config(resources, join(dir, "config")),
      xdsPort: 0,
      adminPort: 0,
      xdsPlaintext: true,
      envoyPath: join(dir, "none"),
      logger: silentLogger,
      stages,
    });
    const { bus } = controller;
    await until(bus.xds, (s) => s.has("default/eg"));
    const routeFile = join(resources, "httproute.yaml");
    writeFileSync(routeFile, readFileSync(routeFile, "utf8").replace('"www.example.com"', '"boom.example.com"'));
    await until(bus.gatewayClasses, (s) => (s.get("eg")?.errors.length ?? 0) > 0);
    const status = await getJson(controller, "/api/status");
    expect(status["gatewayClasses"]["eg"]["errors"]).toEqual(["translator exploded"]);
    expect(status["provider"]["problems"]).toEqual([]);
    expect(domainsOf(await getJson(controller, "/api/config_dump"), "default/eg")).toEqual(["www.example.com"]);
    expect(await (await fetch(`${controller.adminUrl}/metrics`)).text()).toMatch(/^egts_translation_errors_total\{stage="gatewayapi"\} 1$/m);
  });

  it("keeps translating the other GatewayClasses when one class's translation throws", async () => {
    writeFileSync(
      join(resources, "second-class.yaml"),
      [
        "apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: { name: eg2 }\nspec: { controllerName: gateway.envoyproxy.io/gatewayclass-controller }",
        "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: { name: eg2, namespace: default }\nspec: { gatewayClassName: eg2, listeners: [{ name: http, protocol: HTTP, port: 8889 }] }",
      ].join("\n---\n"),
    );
    const real = defaultStages();
    // A stage that fails for one class only, standing in for a translator bug.
    const stages: PipelineStages = {
      ...real,
      translateGatewayApi: (res, settings) => {
        if (settings.gatewayClassName === "eg") throw new Error("translator exploded");
        return real.translateGatewayApi(res, settings);
      },
    };
    controller = await startController({
      config: config(resources, join(dir, "config")),
      xdsPort: 0,
      adminPort: 0,
      xdsPlaintext: true,
      envoyPath: join(dir, "none"),
      logger: silentLogger,
      stages,
    });
    const { bus } = controller;
    await until(bus.xds, (s) => s.has("default/eg2"));
    await until(bus.gatewayClasses, (s) => (s.get("eg")?.errors.length ?? 0) > 0 && s.has("eg2"));
    expect(bus.gatewayClasses.get("eg")?.errors).toEqual(["translator exploded"]);
    expect(bus.gatewayClasses.get("eg2")?.errors).toEqual([]);
    expect(bus.xds.get("default/eg")).toBeUndefined();
  });

  it("generates mTLS certificates on first start, runs a (fake) envoy per Gateway and stops it on shutdown", async () => {
    // A FAKE envoy: a Node script recording its arguments and SIGTERM, not Envoy.
    const log = join(dir, "fake-envoy.log");
    const fake = join(dir, "fake-envoy");
    writeFileSync(
      fake,
      `#!${process.execPath}
const fs = require("node:fs");
fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify(process.argv.slice(2)) + "\\n");
process.on("SIGTERM", () => { fs.appendFileSync(${JSON.stringify(log)}, "SIGTERM\\n"); process.exit(0); });
process.stdout.write("fake-envoy ready\\n");
setInterval(() => {}, 1 << 30);
`,
    );
    chmodSync(fake, 0o755);
    const configHome = join(dir, "config");
    controller = await startController({ config: config(resources, configHome), xdsPort: 0, adminPort: 0, envoyPath: fake, logger: silentLogger });
    for (const component of ["envoy-gateway", "envoy"]) {
      for (const file of ["ca.crt", "tls.crt", "tls.key"]) expect(existsSync(join(configHome, "certs", component, file))).toBe(true);
    }
    const sds = JSON.parse(readFileSync(join(configHome, "certs", "envoy", "xds-certificate.json"), "utf8")) as Json;
    expect(sds["resources"][0]["tls_certificate"]["certificate_chain"]["filename"]).toBe(join(configHome, "certs", "envoy", "tls.crt"));

    await until(controller.bus.infraIR, (s) => s.has("default/eg"));
    await untilFile(log, (text) => text.includes("--service-cluster"));
    const proxies = await getJson(controller, "/api/proxies");
    expect(proxies["envoyPath"]).toBe(fake);
    expect(proxies["proxies"]).toMatchObject([{ irKey: "default/eg", running: true, starts: 1 }]);
    const args = JSON.parse(readFileSync(log, "utf8").split("\n")[0]!) as string[];
    expect(args[args.indexOf("--service-cluster") + 1]).toBe("default/eg");
    const bootstrap = args[args.indexOf("--config-yaml") + 1]!;
    expect(bootstrap).toContain(`port_value: ${controller.xdsPort}`);
    expect(bootstrap).toContain(join(configHome, "certs", "envoy", "xds-trusted-ca.json"));

    await controller.close();
    controller = undefined;
    expect(readFileSync(log, "utf8").split("\n")).toContain("SIGTERM");
  });
});
