import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { makeWasmModuleCache, type WasmFetchFailure, type WasmModuleCacheOptions } from "./WasmModuleCache.js";

const sha = (b: Buffer): string => createHash("sha256").update(b).digest("hex");
/** A minimal valid-looking module: the Wasm magic and version, then padding. */
const moduleBytes = (fill: number, size = 64): Buffer => Buffer.concat([Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]), Buffer.alloc(size - 8, fill)]);

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0)) await f();
});

/** A test double of a module host: serves the given bytes per path and counts requests. */
async function fakeModuleHost(files: Record<string, Buffer | number>): Promise<{ url: (path: string) => string; hits: Map<string, number> }> {
  const hits = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    hits.set(req.url ?? "", (hits.get(req.url ?? "") ?? 0) + 1);
    const file = files[req.url ?? ""];
    if (file === undefined) res.writeHead(404).end();
    else if (typeof file === "number") res.writeHead(file).end();
    else res.writeHead(200).end(file);
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  cleanup.push(() => new Promise((done) => server.close(() => done())));
  const port = (server.address() as AddressInfo).port;
  return { url: (path) => `http://127.0.0.1:${port}${path}`, hits };
}

function cache(extra: Partial<WasmModuleCacheOptions> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "egts-wasm-"));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return { dir, cache: makeWasmModuleCache({ dir, secret: Buffer.from("secret"), attempts: 1, ...extra }) };
}

const opts = (checksum: string) => ({ checksum, resourceName: "policy" });

describe("Wasm module cache (HTTP sources)", () => {
  it("downloads in the background, checks the sha256, and serves the module under a secret-keyed path", async () => {
    const bytes = moduleBytes(7);
    const host = await fakeModuleHost({ "/filter.wasm": bytes });
    const { cache: c } = cache();
    let results = 0;
    c.onResult(() => results++);
    expect(c.lookup(host.url("/filter.wasm"), opts(sha(bytes)))).toEqual({ error: `Wasm module ${host.url("/filter.wasm")} is being downloaded` });
    await c.idle();
    expect(results).toBe(1);
    const found = c.lookup(host.url("/filter.wasm"), opts(sha(bytes)));
    expect(found).toMatchObject({ checksum: sha(bytes) });
    const servingURL = (found as { servingURL: string }).servingURL;
    expect(servingURL).toMatch(/^https:\/\/envoy-gateway\.envoy-gateway-system\.svc\.cluster\.local:18002\/[A-Za-z0-9_-]{43}\.wasm$/);
    expect(servingURL).not.toContain("filter");
    // Another secret gives another path.
    const other = cache({ secret: Buffer.from("other") }).cache;
    other.lookup(host.url("/filter.wasm"), opts(""));
    await other.idle();
    expect((other.lookup(host.url("/filter.wasm"), opts("")) as { servingURL: string }).servingURL).not.toBe(servingURL);

    // The serving side hands out the same bytes.
    const server = createServer(c.handleRequest);
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    cleanup.push(() => new Promise((done) => server.close(() => done())));
    const port = (server.address() as AddressInfo).port;
    const served = Buffer.from(await (await fetch(`http://127.0.0.1:${port}${new URL(servingURL).pathname}`)).arrayBuffer());
    expect(sha(served)).toBe(sha(bytes));
    expect((await fetch(`http://127.0.0.1:${port}/guess.wasm`)).status).toBe(404);
    expect(host.hits.get("/filter.wasm")).toBe(2);
  });

  it("reports a checksum mismatch in upstream's words", async () => {
    const bytes = moduleBytes(1);
    const host = await fakeModuleHost({ "/m.wasm": bytes });
    const { cache: c } = cache();
    const wrong = "0".repeat(64);
    c.lookup(host.url("/m.wasm"), opts(wrong));
    await c.idle();
    expect(c.lookup(host.url("/m.wasm"), opts(wrong))).toEqual({
      error: `module downloaded from ${host.url("/m.wasm")} has checksum ${sha(bytes)}, which does not match: ${wrong}`,
    });
  });

  it("refuses oversized, invalid and missing modules, and unsupported sources", async () => {
    const host = await fakeModuleHost({ "/big.wasm": moduleBytes(2, 4096), "/text.wasm": Buffer.from("not wasm at all"), "/gone.wasm": 404 });
    const { cache: c } = cache({ maxModuleBytes: 1024 });
    for (const path of ["/big.wasm", "/text.wasm", "/gone.wasm"]) c.lookup(host.url(path), opts(""));
    await c.idle();
    expect(c.lookup(host.url("/big.wasm"), opts(""))).toEqual({ error: "wasm module size exceeds maximum size 1024" });
    expect(c.lookup(host.url("/text.wasm"), opts(""))).toEqual({ error: `fetched Wasm binary from ${host.url("/text.wasm")} is invalid` });
    expect(c.lookup(host.url("/gone.wasm"), opts(""))).toEqual({
      error: "wasm module download failed after 1 attempts, last error: wasm module download request failed: status code 404",
    });
    expect(c.lookup("oci://registry.example/Bad Name:v1", opts(""))).toMatchObject({ error: expect.stringContaining("could not fetch Wasm OCI image") });
    expect(c.lookup("ftp://example/filter.wasm", opts(""))).toEqual({ error: "unsupported Wasm module downloading URL scheme: ftp" });
  });

  it("keeps the cache within its size, dropping the least recently used module", async () => {
    const a = moduleBytes(1, 600);
    const b = moduleBytes(2, 600);
    const host = await fakeModuleHost({ "/a.wasm": a, "/b.wasm": b });
    let clock = 0;
    const { cache: c } = cache({ maxCacheBytes: 1000, now: () => clock });
    c.lookup(host.url("/a.wasm"), opts(""));
    await c.idle();
    const first = c.lookup(host.url("/a.wasm"), opts("")) as { servingURL: string };
    clock = 10;
    c.lookup(host.url("/b.wasm"), opts(""));
    await c.idle();
    expect(c.lookup(host.url("/b.wasm"), opts(""))).toMatchObject({ checksum: sha(b) });
    expect(c.fileForPath(new URL(first.servingURL).pathname.slice(1))).toBeUndefined();
    expect(
      existsSync(join(c.fileForPath(new URL((c.lookup(host.url("/b.wasm"), opts("")) as { servingURL: string }).servingURL).pathname.slice(1)) ?? "none")),
    ).toBe(true);
    // /a.wasm was dropped: asking again downloads it again.
    expect(c.lookup(host.url("/a.wasm"), opts(""))).toMatchObject({ error: expect.stringContaining("is being downloaded") });
    await c.idle();
    expect(host.hits.get("/a.wasm")).toBe(2);
  });

  it("tells its observer each lookup (hit or not), each remote fetch's outcome in upstream's reasons, and the module count", async () => {
    const good = moduleBytes(3);
    const host = await fakeModuleHost({ "/good.wasm": good, "/text.wasm": Buffer.from("not wasm at all"), "/gone.wasm": 404 });
    const lookups: boolean[] = [];
    const fetches: Array<WasmFetchFailure | "success"> = [];
    const entries: number[] = [];
    let clock = 0;
    const { cache: c } = cache({
      now: () => clock,
      unusedTtlMs: 1_000,
      observer: { lookup: (hit) => lookups.push(hit), fetched: (failure) => fetches.push(failure ?? "success"), entries: (n) => entries.push(n) },
    });
    c.lookup(host.url("/good.wasm"), opts(sha(good)));
    await c.idle();
    c.lookup(host.url("/good.wasm"), opts(sha(good)));
    expect(lookups).toEqual([false, true]);
    expect(fetches).toEqual(["success"]);
    expect(entries).toEqual([1]);
    c.lookup(host.url("/good.wasm"), opts("0".repeat(64)));
    c.lookup(host.url("/text.wasm"), opts(""));
    c.lookup(host.url("/gone.wasm"), opts(""));
    // Nothing listens on port 1: the image's manifest cannot be read.
    c.lookup("oci://127.0.0.1:1/filters/none:v1", opts(""));
    await c.idle();
    expect(lookups).toEqual([false, true, false, false, false, false]);
    expect([...fetches].sort()).toEqual(["checksum_mismatched", "download_error", "fetch_error", "manifest_error", "success"]);
    clock = 5_000;
    c.sweep();
    expect(entries).toEqual([1, 0]);
  });
});
