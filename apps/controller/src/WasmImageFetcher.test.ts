import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DOCKER_MANIFEST, dockerConfig, sha256, startRegistryDouble, tarGz, wasmModule, type RegistryDouble } from "../test/registryDouble.js";
import { makeWasmModuleCache, type WasmModuleCache, type WasmModuleCacheOptions } from "./WasmModuleCache.js";
import { extractPluginWasm, parseImageReference, prepareImageFetch } from "./WasmImageFetcher.js";

const OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";
const WASM_LAYER = "application/vnd.module.wasm.content.layer.v1+wasm";

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0)) await f();
});

async function registry(): Promise<RegistryDouble> {
  const r = await startRegistryDouble();
  cleanup.push(() => r.close());
  return r;
}

function cache(extra: Partial<WasmModuleCacheOptions> = {}): WasmModuleCache {
  const dir = mkdtempSync(join(tmpdir(), "egts-wasm-oci-"));
  const c = makeWasmModuleCache({ dir, secret: Buffer.from("secret"), sweepIntervalMs: 0, ...extra });
  cleanup.push(() => {
    c.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return c;
}

/** Looks up, waits for the background work, looks up again (what the controller's re-translation does). */
async function resolve(c: WasmModuleCache, url: string, options: Parameters<WasmModuleCache["lookup"]>[1]) {
  c.lookup(url, options);
  await c.idle();
  return c.lookup(url, options);
}

describe("image references", () => {
  it("normalizes as go-containerregistry does", () => {
    expect(parseImageReference("oci://ghcr.io/org/filter:v1")).toEqual({ registry: "ghcr.io", repository: "org/filter", reference: "v1" });
    expect(parseImageReference("oci://docker.io/filter:latest")).toEqual({ registry: "index.docker.io", repository: "library/filter", reference: "latest" });
    expect(parseImageReference("127.0.0.1:5000/a/b")).toEqual({ registry: "127.0.0.1:5000", repository: "a/b", reference: "latest" });
    const digest = `sha256:${"a".repeat(64)}`;
    expect(parseImageReference(`oci://localhost:5000/a:v1@${digest}`)).toEqual({ registry: "localhost:5000", repository: "a", reference: digest });
    expect(() => parseImageReference("oci://ghcr.io/Upper/case:v1")).toThrow(/invalid repository/);
  });

  it("finds plugin.wasm in a tar+gzip layer and enforces the size limit", () => {
    const module = wasmModule(3, 2000);
    expect(extractPluginWasm(tarGz({ "README.md": Buffer.from("hi"), "dir/plugin.wasm": module }), 1 << 20).equals(module)).toBe(true);
    expect(() => extractPluginWasm(tarGz({ "other.wasm": module }), 1 << 20)).toThrow("plugin.wasm not found in the archive");
    expect(() => extractPluginWasm(tarGz({ "plugin.wasm": wasmModule(1, 200_000) }), 1000)).toThrow("wasm module size exceeds maximum size 1000");
  });
});

describe("Wasm module cache (OCI image sources, against a registry double)", () => {
  it("pulls a private image with the pull secret through the token flow, checks its digest and serves the module", async () => {
    const r = await registry();
    const module = wasmModule(5);
    const digest = r.push("wasm/private", "v1", [{ mediaType: OCI_LAYER, data: tarGz({ "plugin.wasm": module }) }]);
    r.restrict("wasm/private", { alice: "secret-pw" });
    const c = cache();
    const url = `oci://${r.host}/wasm/private:v1`;
    const alice = { checksum: digest, resourceName: "envoyextensionpolicy/a/alice/wasm/0", pullSecret: dockerConfig(r.host, "alice", "secret-pw") };
    expect(c.lookup(url, alice)).toEqual({ error: `Wasm module ${url} is being downloaded` });
    await c.idle();
    const found = c.lookup(url, alice) as { servingURL: string; checksum: string };
    // The checksum handed to Envoy is the module's; the policy's sha256 named the image.
    expect(found.checksum).toBe(sha256(module));
    expect(c.fileForPath(new URL(found.servingURL).pathname.slice(1))).toBeDefined();
    // The plain-HTTP registry was reached after the HTTPS attempt; the token endpoint was used.
    expect(r.requests).toContain("GET /token");
    expect(r.requests).toContain(`GET /v2/wasm/private/manifests/v1`);

    // Another policy cannot use the cached module without its own access: no secret, or a wrong one.
    const anonymous = { checksum: digest, resourceName: "envoyextensionpolicy/b/mallory/wasm/0" };
    expect(c.lookup(url, anonymous)).toEqual({ error: `checking access to Wasm OCI image ${url} with the policy's pull secret` });
    await c.idle();
    expect(c.lookup(url, anonymous)).toMatchObject({ error: expect.stringMatching(/^failed to login to private registry: .*status code 401/) });
    const wrong = { ...anonymous, pullSecret: dockerConfig(r.host, "alice", "guess") };
    expect(await resolve(c, url, wrong)).toMatchObject({
      error: expect.stringMatching(/^failed to login to private registry: token request .* status code 401/),
    });
    // A different secret that can read the image is let through.
    r.restrict("wasm/private", { alice: "secret-pw", bob: "pw2" });
    expect(await resolve(c, url, { ...anonymous, pullSecret: dockerConfig(r.host, "bob", "pw2") })).toMatchObject({ checksum: sha256(module) });
  });

  it("checks access again in the background sweep once the last check is older than the recheck period", async () => {
    const r = await registry();
    const digest = r.push("wasm/team", "v1", [{ mediaType: OCI_LAYER, data: tarGz({ "plugin.wasm": wasmModule(4) }) }]);
    r.restrict("wasm/team", { alice: "pw", bob: "pw" });
    let clock = 1_000;
    const c = cache({ now: () => clock, permissionRecheckMs: 60_000 });
    const url = `oci://${r.host}/wasm/team:v1`;
    const alice = { checksum: digest, resourceName: "a", pullSecret: dockerConfig(r.host, "alice", "pw") };
    const bob = { checksum: digest, resourceName: "b", pullSecret: dockerConfig(r.host, "bob", "pw") };
    expect(await resolve(c, url, alice)).toMatchObject({ checksum: sha256(wasmModule(4)) });
    expect(await resolve(c, url, bob)).toMatchObject({ checksum: sha256(wasmModule(4)) });
    // Bob loses access at the registry: nothing changes until his check is stale and the sweep runs.
    r.restrict("wasm/team", { alice: "pw" });
    let results = 0;
    c.onResult(() => results++);
    c.sweep();
    await c.idle();
    expect(c.lookup(url, bob)).toMatchObject({ checksum: sha256(wasmModule(4)) });
    clock += 61_000;
    c.sweep();
    await c.idle();
    expect(results).toBe(1);
    expect(c.lookup(url, bob)).toMatchObject({ error: expect.stringMatching(/^failed to login to private registry: /) });
    expect(c.lookup(url, alice)).toMatchObject({ checksum: sha256(wasmModule(4)) });
  });

  it("reports a digest mismatch and images it cannot unpack", async () => {
    const r = await registry();
    const digest = r.push("wasm/filter", "v1", [{ mediaType: OCI_LAYER, data: tarGz({ "plugin.wasm": wasmModule(1) }) }]);
    const noPlugin = r.push("wasm/empty", "v1", [{ mediaType: OCI_LAYER, data: tarGz({ "x.txt": Buffer.from("x") }) }]);
    const c = cache();
    const wrong = "0".repeat(64);
    const url = `oci://${r.host}/wasm/filter:v1`;
    expect(await resolve(c, url, { checksum: wrong, resourceName: "p" })).toEqual({
      error: `module downloaded from ${url} has checksum ${digest}, which does not match: ${wrong}`,
    });
    expect(await resolve(c, `oci://${r.host}/wasm/empty:v1`, { checksum: noPlugin, resourceName: "p" })).toMatchObject({
      error: expect.stringContaining("could not fetch Wasm binary: the given image is in invalid format as an OCI image"),
    });
    expect(await resolve(c, `oci://${r.host}/wasm/missing:v1`, { checksum: "", resourceName: "p" })).toMatchObject({
      error: expect.stringContaining("could not fetch Wasm OCI image: could not fetch manifest"),
    });
    r.push("wasm/big", "v1", [{ mediaType: OCI_LAYER, data: tarGz({ "plugin.wasm": Buffer.concat([wasmModule(1), randomBytes(4096)]) }) }]);
    const small = cache({ maxModuleBytes: 1000 });
    expect(await resolve(small, `oci://${r.host}/wasm/big:v1`, { checksum: "", resourceName: "p" })).toMatchObject({
      error: expect.stringContaining("exceeds maximum size 1000"),
    });
  });

  it("accepts the Docker compat variant, the OCI artifact variant, an index, and an image named by digest", async () => {
    const r = await registry();
    const docker = wasmModule(2);
    r.push("wasm/docker", "v1", [{ mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip", data: tarGz({ "plugin.wasm": docker }) }], DOCKER_MANIFEST);
    const artifact = wasmModule(3);
    const artifactDigest = r.push("wasm/artifact", "v1", [
      { mediaType: "application/vnd.module.wasm.config.v1+json", data: Buffer.from("{}") },
      { mediaType: WASM_LAYER, data: artifact },
    ]);
    r.pushIndex("wasm/artifact", "multi", [{ digest: artifactDigest, os: "linux", architecture: "amd64" }]);
    const c = cache();
    const p = { checksum: "", resourceName: "p" };
    expect(await resolve(c, `oci://${r.host}/wasm/docker:v1`, p)).toMatchObject({ checksum: sha256(docker) });
    expect(await resolve(c, `oci://${r.host}/wasm/artifact:v1`, p)).toMatchObject({ checksum: sha256(artifact) });
    expect(await resolve(c, `oci://${r.host}/wasm/artifact:multi`, p)).toMatchObject({ checksum: sha256(artifact) });
    const byDigest = `oci://${r.host}/wasm/artifact@sha256:${artifactDigest}`;
    expect(await resolve(c, byDigest, p)).toMatchObject({ checksum: sha256(artifact) });
    const prepared = await prepareImageFetch(byDigest, { maxBytes: 1 << 20 });
    expect(prepared.digest).toBe(artifactDigest);
  });

  it("pulls again for pull policy Always when the policy changed, serving the cached module meanwhile", async () => {
    const r = await registry();
    const v1 = wasmModule(1);
    const v2 = wasmModule(2);
    r.push("wasm/moving", "latest", [{ mediaType: OCI_LAYER, data: tarGz({ "plugin.wasm": v1 }) }]);
    const c = cache();
    const url = `oci://${r.host}/wasm/moving:latest`;
    const policy = (resourceVersion: string, pullPolicy?: "Always" | "IfNotPresent") => ({
      checksum: "",
      resourceName: "p",
      resourceVersion,
      ...(pullPolicy !== undefined ? { pullPolicy } : {}),
    });
    expect(await resolve(c, url, policy("1"))).toMatchObject({ checksum: sha256(v1) });
    r.push("wasm/moving", "latest", [{ mediaType: OCI_LAYER, data: tarGz({ "plugin.wasm": v2 }) }]);
    const manifests = () => r.requests.filter((q) => q.includes("/manifests/")).length;
    const before = manifests();
    // Same resourceVersion: no pull. IfNotPresent with a new version: no pull either.
    expect(c.lookup(url, policy("1"))).toMatchObject({ checksum: sha256(v1) });
    expect(c.lookup(url, policy("2", "IfNotPresent"))).toMatchObject({ checksum: sha256(v1) });
    await c.idle();
    expect(manifests()).toBe(before);
    // `:latest` defaults to Always: a new version pulls again; the cached module serves until it arrives.
    expect(c.lookup(url, policy("3"))).toMatchObject({ checksum: sha256(v1) });
    await c.idle();
    expect(manifests()).toBeGreaterThan(before);
    expect(c.lookup(url, policy("3"))).toMatchObject({ checksum: sha256(v2) });
  });
});
