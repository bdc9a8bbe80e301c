import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError, defaultEnvoyGatewayConfig, loadEnvoyGatewayConfig, resolveSettings } from "./Config.js";

describe("EnvoyGateway configuration", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "egts-config-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("defaults to the File provider on ./examples/quickstart and Host infrastructure", () => {
    const settings = resolveSettings(defaultEnvoyGatewayConfig, {}, "/srv/egts");
    expect(settings.filePaths).toEqual(["/srv/egts/examples/quickstart"]);
    expect(settings.controllerName).toBe("gateway.envoyproxy.io/gatewayclass-controller");
    expect(settings.xds).toEqual({ host: "0.0.0.0", port: 18000, tls: true });
    expect(settings.admin).toEqual({ host: "127.0.0.1", port: 19000 });
    expect(settings.certDirectory).toBe(join(settings.paths.configHome, "certs"));
    expect(resolveSettings(defaultEnvoyGatewayConfig, { xdsPlaintext: true, xdsPort: 0 }, "/").xds).toEqual({ host: "127.0.0.1", port: 0, tls: false });
  });

  it("reads upstream's standalone configuration file", async () => {
    const file = join(dir, "envoy-gateway.yaml");
    writeFileSync(
      file,
      `apiVersion: gateway.envoyproxy.io/v1alpha1
kind: EnvoyGateway
gateway:
  controllerName: example.com/gateway
provider:
  type: Custom
  custom:
    resource:
      type: File
      file:
        paths: ["/tmp/envoy-gateway-test", "relative/dir"]
    infrastructure:
      type: Host
      host:
        configHome: /var/lib/egts
admin:
  address: {host: 127.0.0.1, port: 19555}
logging:
  level:
    default: info
extensionApis:
  enableBackend: true
`,
    );
    const config = await loadEnvoyGatewayConfig(file);
    const settings = resolveSettings(config, {}, "/work");
    expect(settings.controllerName).toBe("example.com/gateway");
    expect(settings.filePaths).toEqual(["/tmp/envoy-gateway-test", "/work/relative/dir"]);
    expect(settings.certDirectory).toBe("/var/lib/egts/certs");
    expect(settings.admin).toEqual({ host: "127.0.0.1", port: 19555 });
    expect(settings.envoyGateway.extensionApis?.enableBackend).toBe(true);
  });

  it("names the file and field of a configuration it cannot use", async () => {
    const file = join(dir, "bad.yaml");
    writeFileSync(
      file,
      "apiVersion: gateway.envoyproxy.io/v1alpha1\nkind: EnvoyGateway\nprovider:\n  type: Custom\n  custom:\n    resource:\n      type: File\n      file: {paths: [a]}\n  kubernetes: {}\nbogus: 1\n",
    );
    const error = await loadEnvoyGatewayConfig(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain(file);
    expect((error as ConfigError).problems.join("\n")).toMatch(/bogus/);
    expect(() =>
      resolveSettings({ ...defaultEnvoyGatewayConfig, provider: { type: "Custom", custom: { resource: { type: "Kubernetes" } } } }, {}, "/"),
    ).toThrow(/provider\.custom\.resource\.type: only "File"/);
  });

  it("accepts the Kubernetes provider: no host proxies, the namespace from the flags", () => {
    const settings = resolveSettings({ ...defaultEnvoyGatewayConfig, provider: { type: "Kubernetes" } }, { controllerNamespace: "eg" }, "/");
    expect(settings.providerType).toBe("Kubernetes");
    expect(settings.hostInfrastructure).toBe(false);
    expect(settings.controllerNamespace).toBe("eg");
  });
});
