import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { get } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { EnvoyGateway } from "@egts/api";
import { afterEach, describe, expect, it } from "vitest";
import { silentLogger, startController, type RunningController } from "../src/index.js";

// Integration test: the whole controller in this process (mTLS xDS, so the Wasm server speaks HTTPS) over a copy
// of examples/quickstart plus two EnvoyExtensionPolicies whose Wasm modules come from a local HTTP server double.
const quickstart = join(resolve(import.meta.dirname, "../../.."), "examples", "quickstart");
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const sha = (b: Buffer): string => createHash("sha256").update(b).digest("hex");

describe("controller Wasm module cache", () => {
  let dir: string | undefined;
  let controller: RunningController | undefined;
  let host: Server | undefined;
  afterEach(async () => {
    await controller?.close();
    await new Promise((done) => (host ? host.close(done) : done(undefined)));
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it("serves a checked module over HTTPS to the proxy's config; a bad checksum fails only its route", async () => {
    const module = Buffer.concat([Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]), Buffer.from("a test module, not a real filter")]);
    // Test double of a module host.
    host = createServer((req, res) => (req.url === "/filter.wasm" ? res.writeHead(200).end(module) : res.writeHead(404).end()));
    await new Promise<void>((done) => host!.listen(0, "127.0.0.1", done));
    const moduleURL = `http://127.0.0.1:${(host.address() as AddressInfo).port}/filter.wasm`;

    dir = mkdtempSync(join(tmpdir(), "egts-wasm-"));
    const resources = join(dir, "resources");
    cpSync(quickstart, resources, { recursive: true });
    const route = (name: string, hostname: string) => ({
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "HTTPRoute",
      metadata: { name, namespace: "default" },
      spec: { parentRefs: [{ name: "eg" }], hostnames: [hostname], rules: [{ backendRefs: [{ group: "", kind: "Service", name: "backend", port: 3000 }] }] },
    });
    const policy = (name: string, target: string, sha256: string) => ({
      apiVersion: "gateway.envoyproxy.io/v1alpha1",
      kind: "EnvoyExtensionPolicy",
      metadata: { name, namespace: "default" },
      spec: {
        targetRefs: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: target }],
        wasm: [{ name: "filter", code: { type: "HTTP", http: { url: moduleURL, sha256 } } }],
      },
    });
    writeFileSync(
      join(resources, "wasm.yaml"),
      [route("good", "good.example.com"), route("bad", "bad.example.com"), policy("good", "good", sha(module)), policy("bad", "bad", "0".repeat(64))]
        .map((o) => JSON.stringify(o))
        .join("\n---\n"),
    );
    const config: EnvoyGateway = {
      apiVersion: "gateway.envoyproxy.io/v1alpha1",
      kind: "EnvoyGateway",
      gateway: { controllerName: "gateway.envoyproxy.io/gatewayclass-controller" },
      provider: {
        type: "Custom",
        custom: { resource: { type: "File", file: { paths: [resources] } }, infrastructure: { type: "Host", host: { configHome: join(dir, "config") } } },
      },
    };
    controller = await startController({ config, xdsPort: 0, adminPort: 0, envoyPath: join(dir, "none"), logger: silentLogger });
    const { bus } = controller;

    const routes = (): Json[] => [...bus.xdsIR.snapshot().values()].flatMap((x) => x.http ?? []).flatMap((h) => (h.routes ?? []) as unknown as Json[]);
    const goodRoute = (): Json | undefined => routes().find((r) => String(r["name"]).includes("/good/"));
    await new Promise<void>((done) => {
      const check = (): boolean => goodRoute()?.["envoyExtensions"]?.["wasms"] !== undefined;
      if (check()) return done();
      const unsubscribe = bus.xdsIR.subscribe(() => check() && (unsubscribe(), done()));
    });
    const wasm = goodRoute()!["envoyExtensions"]["wasms"][0] as Json;
    const servingURL = new URL(String(wasm["httpWasmCode"]["servingURL"]));
    expect(servingURL.protocol).toBe("https:");
    expect(wasm["httpWasmCode"]["sha256"]).toBe(sha(module));

    // The proxy-facing xDS points the Wasm filter at the cache's URL. (The wasm_cluster itself is only emitted
    // with an Envoy client certificate in the IR, i.e. not in host mode; see the report.)
    await new Promise<void>((done) => {
      // Filter configs are Any-encoded: their bytes are read as text.
      const text = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (x instanceof Uint8Array ? Buffer.from(x).toString("latin1") : x));
      const check = (): boolean => text(bus.xds.get("default/eg")?.resources ?? {}).includes(servingURL.pathname);
      if (check()) return done();
      const unsubscribe = bus.xds.subscribe(() => check() && (unsubscribe(), done()));
    });

    // The module downloads from the cache over HTTPS (trusting the controller's CA) with the right sha256.
    const ca = readFileSync(join(controller.settings.certDirectory, "envoy", "ca.crt"));
    const served = await new Promise<Buffer>((done, fail) =>
      get(servingURL, { ca, servername: "envoy-gateway", checkServerIdentity: () => undefined }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c)).on("end", () => done(Buffer.concat(chunks)));
      }).on("error", fail),
    );
    expect(sha(served)).toBe(sha(module));

    // The bad checksum: a status condition on its policy, a 500 on its route only.
    const statuses = bus.gatewayClasses.get("eg")?.statuses as unknown as Json[];
    const bad = statuses.find((s) => s["kind"] === "EnvoyExtensionPolicy" && s["name"] === "bad");
    expect(JSON.stringify(bad?.["status"])).toContain(`has checksum ${sha(module)}, which does not match: ${"0".repeat(64)}`);
    expect(routes().find((r) => String(r["name"]).includes("/bad/"))?.["directResponse"]).toEqual({ statusCode: 500 });
    expect(routes().find((r) => String(r["name"]).includes("/backend/"))?.["directResponse"]).toBeUndefined();

    // Upstream's wasm_* metrics: two fetches of the one URL (one per checksum), one cached module, lookups both ways.
    const metrics = await (await fetch(`http://127.0.0.1:${controller.metricsPort}/metrics`)).text();
    expect(metrics).toMatch(/^wasm_remote_fetch_total\{status="success"\} 1$/m);
    expect(metrics).toMatch(/^wasm_remote_fetch_total\{status="failure",reason="checksum_mismatched"\} 1$/m);
    expect(metrics).toMatch(/^wasm_cache_entries 1$/m);
    expect(metrics).toMatch(/^wasm_cache_lookup_total\{hit="false"\} [1-9]/m);
    expect(metrics).toMatch(/^wasm_cache_lookup_total\{hit="true"\} [1-9]/m);
  });
});
