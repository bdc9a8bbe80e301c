import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { EnvoyGateway } from "@egts/api";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger, startController, type RunningController } from "../src/index.js";
import { nackingProxyDouble } from "./proxyDouble.js";

// The admin console in a real browser: headless Chromium (Debian's package; .ci/run installs it) against the
// whole controller serving the quickstart plus one broken HTTPRoute, with one proxy double that NACKs.
const CHROMIUM = process.env["EGTS_CHROMIUM"] ?? "/usr/bin/chromium";
const repoRoot = resolve(import.meta.dirname, "../../..");

const brokenRoute = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: broken-route, namespace: default }
spec:
  parentRefs: [{ name: eg }]
  hostnames: ["broken.example.com"]
  rules: [{ backendRefs: [{ name: no-such-service, port: 80 }] }]
`;

let dir = "";
let controller: RunningController;
let browser: Browser;
let stopProxy: () => void = () => undefined;

/** Polls until `test` holds (hooks cannot use expect.poll); fails after 20s. */
async function until(test: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (const end = Date.now() + 20_000; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) if (await test()) return;
  throw new Error(`timed out waiting for ${what}`);
}

describe.skipIf(!existsSync(CHROMIUM))("admin console (headless Chromium)", () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "egts-console-"));
    cpSync(join(repoRoot, "examples", "quickstart"), join(dir, "resources"), { recursive: true });
    writeFileSync(join(dir, "resources", "broken-route.yaml"), brokenRoute);
    const config: EnvoyGateway = {
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
    };
    controller = await startController({ config, xdsPort: 0, adminPort: 0, xdsPlaintext: true, envoyPath: join(dir, "no-envoy-here"), logger: silentLogger });
    await until(() => controller.bus.xds.snapshot().has("default/eg"), "the xDS of default/eg");
    stopProxy = await nackingProxyDouble(controller.xdsPort, "default/eg", "envoy-console-double", "cluster rejected by the console test double");
    await until(async () => ((await (await fetch(`${controller.adminUrl}/api/nacks`)).json()) as { nacks: unknown[] }).nacks.length === 1, "the NACK");
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    stopProxy();
    await controller?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function open(path: string): Promise<{ title: string; text: string; failingRows: string[]; rowClasses: string[] }> {
    const tab = await browser.newPage();
    try {
      const response = await tab.goto(`${controller.adminUrl}${path}`);
      expect(response?.status(), path).toBe(200);
      return {
        title: await tab.title(),
        text: await tab.locator("main").innerText(),
        failingRows: await tab.locator("tr.fail").allInnerTexts(),
        rowClasses: await tab.locator("tr").evaluateAll((rows) => rows.map((r) => r.className)),
      };
    } finally {
      await tab.close();
    }
  }

  it("overview: the broken HTTPRoute's failing condition and the standing NACK", async () => {
    const page = await open("/");
    expect(page.title).toContain("Overview");
    const routeRow = page.failingRows.find((r) => r.includes("default/broken-route"));
    expect(routeRow).toBeDefined();
    expect(routeRow).toContain("ResolvedRefs");
    expect(routeRow).toContain("BackendNotFound");
    expect(page.failingRows.some((r) => r.includes("envoy-console-double") && r.includes("cluster rejected by the console test double"))).toBe(true);
    expect(page.text).toMatch(/[1-9]\d* failing conditions?/);
    expect(page.text).toContain("1 standing NACK");
  });

  it("conditions: every resource, failing ones first", async () => {
    const page = await open("/console/status");
    expect(page.text).toContain("default/eg");
    expect(page.failingRows.some((r) => r.includes("default/broken-route") && r.includes("BackendNotFound"))).toBe(true);
    // all failing rows come before every passing one
    const classes = page.rowClasses.filter((c) => c === "fail" || c === "ok");
    expect(classes.lastIndexOf("fail")).toBeLessThan(classes.indexOf("ok"));
    expect(classes).toContain("ok");
  });

  it("xDS: the NACK with the proxy that sent it, and the proxies' last ACKed versions", async () => {
    const page = await open("/console/xds");
    expect(page.failingRows.some((r) => r.includes("envoy-console-double") && r.includes("type.googleapis.com/envoy.config.cluster.v3.Cluster"))).toBe(true);
    expect(page.text).toContain("Last ACKed versions");
  });

  it("server info, configuration, resources by kind, config dump browser and stats", async () => {
    expect((await open("/console/server")).text).toContain("GatewayAPI Translator");
    expect((await open("/console/config")).text).toContain("gateway.envoyproxy.io/gatewayclass-controller");
    const routes = await open("/console/resources?kind=httproute");
    expect(routes.text).toContain("broken-route");
    const dump = await open("/console/config_dump?key=default%2Feg");
    expect(dump.text).toContain("type.googleapis.com/envoy.admin.v3.ListenersConfigDump");
    expect((await open("/console/stats")).text).toContain("egts_xds_standing_nacks");
  });
});
