import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TestApiServer } from "@egts/test-apiserver";
import { afterEach, describe, expect, it } from "vitest";
import type { ControllerSettings } from "./Config.js";
import { wasmPathSecret } from "./WasmService.js";

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0)) await f();
});

const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), "egts-wasm-key-"));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
};

describe("Wasm serving path key", () => {
  it("on a host, is the certgen HMAC secret file, written once when missing", async () => {
    const dir = tempDir();
    const settings = { providerType: "Custom", certDirectory: dir } as unknown as ControllerSettings;
    const first = await wasmPathSecret(settings);
    const file = join(dir, "envoy-oidc-hmac", "hmac-secret");
    expect(first.source).toBe(file);
    expect(first.secret.length).toBe(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // A restart reads the same key, so serving paths stay valid.
    expect(Buffer.from((await wasmPathSecret(settings)).secret).equals(Buffer.from(first.secret))).toBe(true);
    writeFileSync(file, "certgen-made");
    expect(Buffer.from((await wasmPathSecret(settings)).secret).toString()).toBe("certgen-made");
  });

  it("in Kubernetes mode, is the envoy-oidc-hmac Secret (created with the certificates when missing)", async () => {
    const server = new TestApiServer({});
    await server.start(0);
    server.put({ apiVersion: "v1", kind: "Namespace", metadata: { name: "envoy-gateway-system" } });
    cleanup.push(() => server.stop());
    const dir = tempDir();
    const kubeconfig = join(dir, "kubeconfig");
    writeFileSync(kubeconfig, server.kubeconfig());
    const settings = {
      providerType: "Kubernetes",
      controllerNamespace: "envoy-gateway-system",
      kubeconfig,
      certDirectory: dir,
    } as unknown as ControllerSettings;
    const first = await wasmPathSecret(settings);
    expect(first.source).toBe("Secret envoy-gateway-system/envoy-oidc-hmac");
    const again = await wasmPathSecret(settings);
    expect(Buffer.from(again.secret).equals(Buffer.from(first.secret))).toBe(true);
  });
});
