import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { EnvoyGateway } from "@egts/api";
import { generateCertificates } from "@egts/xds-server";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { silentLogger, startController, streamLogger, type RunningController } from "../src/index.js";

// Restarts, readiness and certificates: the whole controller in this process, on ephemeral ports.
const repoRoot = resolve(import.meta.dirname, "../../..");
const quickstart = join(repoRoot, "examples", "quickstart");
const WAIT = { timeout: 20_000, interval: 50 };
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

const routeDomains = (controller: RunningController): string[] =>
  (controller.bus.xds.get("default/eg")?.resources.routes ?? []).flatMap((r) =>
    ((r.message as Json)["virtualHosts"] ?? []).flatMap((v: Json) => v["domains"] ?? []),
  );

describe("controller hardening", () => {
  let dir: string;
  let resources: string;
  let controller: RunningController | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "egts-controller-hardening-"));
    resources = join(dir, "resources");
    cpSync(quickstart, resources, { recursive: true });
  });
  afterEach(async () => {
    await controller?.close();
    controller = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  const start = (options: { plaintext?: boolean; lines?: string[] } = {}) =>
    startController({
      config: config(resources, join(dir, "config")),
      stateDirectory: join(dir, "state"),
      xdsPort: 0,
      adminPort: 0,
      xdsPlaintext: options.plaintext ?? true,
      envoyPath: join(dir, "no-envoy-here"),
      logger: options.lines !== undefined ? streamLogger({ level: "info", write: (line) => options.lines!.push(line) }) : silentLogger,
    });

  it("keeps serving a file's last good routes across a restart with the file broken, and is ready only once something is served", async () => {
    controller = await start();
    await vi.waitFor(() => expect(routeDomains(controller!)).toContain("www.example.com"), WAIT);
    expect((await fetch(`${controller.adminUrl}/readyz`)).status).toBe(200);
    await controller.close();

    // Broken while the controller is down: the route file no longer parses.
    const routeFile = join(resources, "httproute.yaml");
    writeFileSync(routeFile, `${readFileSync(routeFile, "utf8")}\n  hostnames: [unclosed\n`);
    controller = await start();
    await vi.waitFor(() => expect(routeDomains(controller!)).toContain("www.example.com"), WAIT);
    expect((await fetch(`${controller.adminUrl}/readyz`)).status).toBe(200);
    const status = (await (await fetch(`${controller.adminUrl}/api/status`)).json()) as Json;
    expect(status["provider"]["staleFiles"]).toEqual([routeFile]);
    expect((status["provider"]["problems"] as Json[]).map((p) => p["file"])).toContain(routeFile);
  });

  it("says not ready while there is nothing to serve", async () => {
    rmSync(resources, { recursive: true });
    mkdirSync(resources);
    controller = await start();
    const response = await fetch(`${controller.adminUrl}/readyz`);
    expect(response.status).toBe(503);
    expect(await response.text()).toBe("not ready: provider=true xds=true served=false certificates=true\n");

    cpSync(quickstart, resources, { recursive: true });
    await vi.waitFor(async () => expect((await fetch(`${controller!.adminUrl}/readyz`)).status).toBe(200), WAIT);
  });

  it("refuses to start with expired xDS certificates, naming the file", async () => {
    const certs = generateCertificates({ now: new Date(Date.now() - 400 * 86_400_000), lifetimeDays: 30, keyAlgorithm: "ecdsa-p256" });
    const base = join(dir, "config", "certs");
    for (const [component, cert, key] of [
      ["envoy-gateway", certs.envoyGatewayCertificate, certs.envoyGatewayPrivateKey],
      ["envoy", certs.envoyCertificate, certs.envoyPrivateKey],
      // A directory missing one of the sets is regenerated whole; all three must be there to be checked.
      ["envoy-rate-limit", certs.envoyRateLimitCertificate, certs.envoyRateLimitPrivateKey],
    ] as const) {
      mkdirSync(join(base, component), { recursive: true });
      writeFileSync(join(base, component, "ca.crt"), certs.caCertificate);
      writeFileSync(join(base, component, "tls.crt"), cert);
      writeFileSync(join(base, component, "tls.key"), key);
    }
    const error = (await start({ plaintext: false }).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toContain(`server certificate ${join(base, "envoy-gateway", "tls.crt")} expired at`);
    expect(error.message).toContain(`remove ${base}`);
  });

  it("reports certificate validity in /api/status and as a metric", async () => {
    controller = await start({ plaintext: false });
    const status = (await (await fetch(`${controller.adminUrl}/api/status`)).json()) as Json;
    expect((status["certificates"] as Json[]).map((c) => [c["name"], c["state"]])).toEqual([
      ["ca", "valid"],
      ["server", "valid"],
      ["client", "valid"],
    ]);
    const metrics = await (await fetch(`${controller.adminUrl}/metrics`)).text();
    expect(metrics).toMatch(/^egts_xds_certificate_expiry_seconds\{certificate="server"\} \d+$/m);
  });

  it("logs a standing problem once, not again on every reload", async () => {
    const lines: string[] = [];
    writeFileSync(join(resources, "broken.yaml"), "apiVersion: v1\nkind: Service\nmetadata: {}\n");
    controller = await start({ lines });
    await vi.waitFor(() => expect(routeDomains(controller!)).toContain("www.example.com"), WAIT);
    for (let i = 0; i < 3; i++) {
      writeFileSync(join(resources, "other.yaml"), `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c${i}, namespace: default}\n`);
      await vi.waitFor(() => expect(controller!.bus.resourceCounts.get("file")?.["ConfigMap"]).toBe(1), WAIT);
      await vi.waitFor(() => expect(lines.filter((l) => l.includes("resources loaded")).length).toBeGreaterThanOrEqual(i + 2), WAIT);
    }
    expect(lines.filter((l) => l.includes("broken.yaml")).length).toBe(1);
  });
});
