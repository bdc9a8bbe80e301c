import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { EnvoyGateway, ExtensionManager } from "@egts/api";
import { unpackAnyAs } from "@egts/envoy-api";
import type { Listener } from "@egts/envoy-api/generated/envoy/config/listener/v3/listener";
import { BasicAuth } from "@egts/envoy-api/generated/envoy/extensions/filters/http/basic_auth/v3/basic_auth";
import { HttpConnectionManager } from "@egts/envoy-api/generated/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager";
import { createExtensionServer, type RunningExtensionServer } from "@egts/extension-server";
import { exampleHandlers, EXAMPLE_GROUP } from "@egts/extension-server-app";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { silentLogger, startController, streamLogger, type ControllerBus, type RunningController } from "../src/index.js";

// End to end over real gRPC on loopback: the controller (File provider, plaintext xDS, ephemeral ports) with an
// extension manager pointing at the reference extension server (apps/extension-server's handlers).
const quickstart = join(resolve(import.meta.dirname, "../../.."), "examples", "quickstart");

/**
 * A ListenerContextExample targeting the quickstart's Gateway, as a file the File provider reads: the extension
 * manager declares its kind as a policy resource, so it reaches the IR listener and the HTTPListener hook.
 */
const listenerContextYaml = `apiVersion: ${EXAMPLE_GROUP}/v1alpha1
kind: ListenerContextExample
metadata:
  name: basic-auth
  namespace: default
spec:
  targetRefs:
    - group: gateway.networking.k8s.io
      kind: Gateway
      name: eg
  username: alice
  password: wonderland
`;

function config(resourceDir: string, configHome: string, extensionManager: ExtensionManager): EnvoyGateway {
  return {
    apiVersion: "gateway.envoyproxy.io/v1alpha1",
    kind: "EnvoyGateway",
    gateway: { controllerName: "gateway.envoyproxy.io/gatewayclass-controller" },
    provider: {
      type: "Custom",
      custom: { resource: { type: "File", file: { paths: [resourceDir] } }, infrastructure: { type: "Host", host: { configHome } } },
    },
    extensionManager,
  };
}

const manager = (port: number, failOpen: boolean): ExtensionManager => ({
  policyResources: [{ group: EXAMPLE_GROUP, version: "v1alpha1", kind: "ListenerContextExample" }],
  hooks: { xdsTranslator: { post: ["HTTPListener", "Route", "Cluster"] } },
  service: { fqdn: { hostname: "127.0.0.1", port }, retry: { maxAttempts: 2, initialBackoff: "10ms", maxBackoff: "20ms" } },
  failOpen,
});

/** Resolves once `test` holds for the map's state (checked now and after every update). */
function until<V>(map: ControllerBus[keyof ControllerBus], test: (state: ReadonlyMap<string, V>) => boolean): Promise<ReadonlyMap<string, V>> {
  const m = map as unknown as { snapshot(): ReadonlyMap<string, V>; subscribe(l: (u: { state: ReadonlyMap<string, V> }) => void): () => void };
  return new Promise((done) => {
    if (test(m.snapshot())) return done(m.snapshot());
    const unsubscribe = m.subscribe((update) => {
      if (test(update.state)) {
        unsubscribe();
        done(update.state);
      }
    });
  });
}

/** The htpasswd users of the basic auth filter on the quickstart's HTTP listener (port 8888), if any. */
function basicAuthUsers(bus: ControllerBus): string | undefined {
  const listeners = (bus.xds.get("default/eg")?.resources.listeners ?? []).map((l) => l.message as Listener);
  const http = listeners.find(
    (l) =>
      l.address?.address?.$case === "socketAddress" &&
      l.address.address.value.portSpecifier?.$case === "portValue" &&
      l.address.address.value.portSpecifier.value === 8888,
  );
  const hcmFilter = http?.defaultFilterChain?.filters.find((f) => f.name === "envoy.filters.network.http_connection_manager");
  if (hcmFilter?.configType?.$case !== "typedConfig") return undefined;
  const hcm = unpackAnyAs(HttpConnectionManager, hcmFilter.configType.value);
  const basicAuth = hcm.httpFilters.find((f) => f.name === "envoy.filters.http.basic_auth");
  if (basicAuth?.configType?.$case !== "typedConfig") return undefined;
  const users = unpackAnyAs(BasicAuth, basicAuth.configType.value).users?.specifier;
  return users?.$case === "inlineString" ? users.value : undefined;
}

const domains = (bus: ControllerBus): string[] =>
  (bus.xds.get("default/eg")?.resources.routes ?? []).flatMap((r) =>
    ((r.message as { virtualHosts?: { domains: string[] }[] }).virtualHosts ?? []).flatMap((v) => v.domains),
  );

describe("controller with an extension manager (real gRPC to the reference extension server)", () => {
  let dir: string;
  let resources: string;
  let controller: RunningController | undefined;
  let extension: RunningExtensionServer | undefined;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "egts-extension-"));
    resources = join(dir, "resources");
    cpSync(quickstart, resources, { recursive: true });
    writeFileSync(join(resources, "listener-context.yaml"), listenerContextYaml);
    extension = await createExtensionServer(exampleHandlers(), { host: "127.0.0.1", port: 0 });
  });
  afterEach(async () => {
    await controller?.close();
    controller = undefined;
    await extension?.stop(100);
    extension = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  const start = (failOpen: boolean) =>
    startController({
      config: config(resources, join(dir, "config"), manager(extension!.port, failOpen)),
      xdsPort: 0,
      adminPort: 0,
      xdsPlaintext: true,
      envoyPath: join(dir, "no-envoy-here"),
      logger: process.env["EGTS_TEST_LOG"] ? streamLogger({ level: "debug" }) : silentLogger,
    });

  const editHostname = (to: string) => {
    const file = join(resources, "httproute.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace('"www.example.com"', `"${to}"`));
  };

  it("serves the extension's changes; with failOpen false a stopped extension keeps the last good xDS and reports the error", async () => {
    controller = await start(false);
    const { bus } = controller;
    await until(bus.xds, (s) => s.has("default/eg"));
    expect(basicAuthUsers(bus)).toMatch(/^alice:\{SHA\}[A-Za-z0-9+/=]+\n$/);
    expect(bus.xdsErrors.get("default/eg")).toBeUndefined();

    await extension!.stop(100);
    extension = undefined;
    editHostname("edited.example.com");
    await until<readonly string[]>(bus.xdsErrors, (s) => (s.get("default/eg") ?? []).length > 0);
    expect(bus.xdsErrors.get("default/eg")?.join("\n")).toMatch(/rpc error: code = Unavailable/);
    expect(domains(bus)).toEqual(["www.example.com"]);
    expect(basicAuthUsers(bus)).toMatch(/^alice:/);
    const status = (await (await fetch(`${controller.adminUrl}/api/status`)).json()) as { xds: Record<string, { errors: string[] }> };
    expect(status.xds["default/eg"]?.errors.join("\n")).toMatch(/rpc error: code = Unavailable/);
  });

  it("with failOpen true goes on translating without a stopped extension", async () => {
    controller = await start(true);
    const { bus } = controller;
    await until(bus.xds, (s) => s.has("default/eg"));
    expect(basicAuthUsers(bus)).toMatch(/^alice:/);

    await extension!.stop(100);
    extension = undefined;
    editHostname("edited.example.com");
    await until(bus.xds, () => domains(bus).includes("edited.example.com"));
    expect(basicAuthUsers(bus)).toBeUndefined();
    expect(bus.xdsErrors.get("default/eg")).toBeUndefined();
  });
});
