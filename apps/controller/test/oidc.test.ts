import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { EnvoyGateway } from "@egts/api";
import { afterEach, describe, expect, it } from "vitest";
import { silentLogger, startController, type ControllerBus, type RunningController } from "../src/index.js";

// Integration test: the whole controller in this process over a copy of examples/quickstart plus a
// SecurityPolicy whose OIDC issuer is a local HTTP server double.
const quickstart = join(resolve(import.meta.dirname, "../../.."), "examples", "quickstart");

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function until(bus: ControllerBus, test: (policyStatus: Json | undefined) => boolean): Promise<Json | undefined> {
  const policyStatus = (): Json | undefined =>
    (bus.gatewayClasses.get("eg")?.statuses as Json[] | undefined)?.find((s) => s["kind"] === "SecurityPolicy")?.["status"];
  return new Promise((done) => {
    if (test(policyStatus())) return done(policyStatus());
    const unsubscribe = bus.gatewayClasses.subscribe(() => {
      if (test(policyStatus())) {
        unsubscribe();
        done(policyStatus());
      }
    });
  });
}

const message = (status: Json | undefined): string => String(status?.["ancestors"]?.[0]?.["conditions"]?.[0]?.["message"] ?? "");

describe("controller OIDC discovery", () => {
  let dir: string | undefined;
  let controller: RunningController | undefined;
  let issuer: Server | undefined;
  afterEach(async () => {
    await controller?.close();
    await new Promise((done) => (issuer ? issuer.close(done) : done(undefined)));
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it("fetches the issuer's discovery document in the background and translates the GatewayClass again", async () => {
    let requests = 0;
    // Test double of an OIDC issuer.
    issuer = createServer((req, res) => {
      requests++;
      if (req.url !== "/.well-known/openid-configuration") return void res.writeHead(404).end();
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ authorization_endpoint: "https://idp.example/authorize", token_endpoint: "https://idp.example/token" }));
    });
    await new Promise<void>((done) => issuer!.listen(0, "127.0.0.1", done));
    const issuerURL = `http://127.0.0.1:${(issuer.address() as AddressInfo).port}`;

    dir = mkdtempSync(join(tmpdir(), "egts-oidc-"));
    const resources = join(dir, "resources");
    cpSync(quickstart, resources, { recursive: true });
    const b64 = (text: string): string => Buffer.from(text).toString("base64");
    writeFileSync(
      join(resources, "oidc.yaml"),
      [
        { apiVersion: "v1", kind: "Secret", metadata: { name: "client-secret", namespace: "default" }, data: { "client-secret": b64("s3cret") } },
        { apiVersion: "v1", kind: "Secret", metadata: { name: "envoy-oidc-hmac", namespace: "envoy-gateway-system" }, data: { "hmac-secret": b64("hmac") } },
        {
          apiVersion: "gateway.envoyproxy.io/v1alpha1",
          kind: "SecurityPolicy",
          metadata: { name: "oidc", namespace: "default" },
          spec: {
            targetRefs: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: "backend" }],
            oidc: { provider: { issuer: issuerURL }, clientID: "client", clientSecret: { name: "client-secret" } },
          },
        },
      ]
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
    controller = await startController({ config, xdsPort: 0, adminPort: 0, xdsPlaintext: true, envoyPath: join(dir, "none"), logger: silentLogger });

    const accepted = await until(controller.bus, (s) => message(s) === "Policy has been accepted.");
    expect(accepted?.["ancestors"][0]["conditions"][0]["status"]).toBe("True");
    const oidc = [...controller.bus.xdsIR.snapshot().values()]
      .flatMap((x) => x.http ?? [])
      .flatMap((h) => h.routes ?? [])
      .map((r) => r.security?.oidc)
      .find((o) => o !== undefined);
    expect(oidc?.provider).toMatchObject({ authorizationEndpoint: "https://idp.example/authorize", tokenEndpoint: "https://idp.example/token" });
    expect(requests).toBe(1);
  });
});
