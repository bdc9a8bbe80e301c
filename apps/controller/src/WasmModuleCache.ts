// The Wasm module cache (upstream internal/wasm, HTTP sources): EnvoyExtensionPolicies name Wasm modules by
// URL and sha256; the controller downloads each module once, checks it, keeps it on disk, and serves it to
// proxies under an unguessable path (an HMAC of the URL keyed by the controller's secret), so a proxy config
// dump reveals no usable URL of another tenant's module. The translator's lookup is synchronous: a miss
// starts the download in the background and reports the module as being downloaded; when it finishes,
// listeners hear of it and the GatewayClass is translated again (as with OIDC discovery).
//
// Not here yet: OCI image sources (reported as not supported), pull secrets and pull policy Always.
import { createHash, createHmac } from "node:crypto";
import { createReadStream, mkdirSync, rmSync, writeFileSync } from "node:fs";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import https from "node:https";
import { join } from "node:path";
import type { WasmCache, WasmFetchOptions } from "@egts/gatewayapi-translator";

/** Downloads a module; rejects on transport errors and on bodies over `maxBytes`. */
export type WasmGet = (url: string, caCert: Uint8Array | undefined, maxBytes: number) => Promise<{ readonly status: number; readonly body: Buffer }>;

/** Tuning of the cache; defaults are upstream's. */
export interface WasmModuleCacheOptions {
  /** Directory the modules are written to (created when missing). */
  readonly dir: string;
  /** The secret the serving paths are keyed with (upstream: the envoy-oidc-hmac secret's salt). */
  readonly secret: Uint8Array;
  /** Host and port proxies download from. Default envoy-gateway.envoy-gateway-system.svc.cluster.local:18002. */
  readonly servingHost?: string;
  readonly servingPort?: number;
  /** Largest module accepted. Default 256 MiB. */
  readonly maxModuleBytes?: number;
  /** Total size of the modules kept; least recently used ones are dropped beyond it. Default 1 GiB. */
  readonly maxCacheBytes?: number;
  /** How long an unused module is kept. Default 24 h. */
  readonly unusedTtlMs?: number;
  /** How long a failed download is reported before it is tried again. Default 30 s. */
  readonly failureTtlMs?: number;
  /** Download attempts for transport errors and non-200 answers. Default 3. */
  readonly attempts?: number;
  readonly get?: WasmGet;
  readonly now?: () => number;
}

/** The cache: the translator's lookup, result notifications, and the serving side. */
export interface WasmModuleCache {
  /** The translator's lookup (TranslateOptions.wasmCache). */
  readonly lookup: WasmCache;
  /** Calls the listener when a download finished (module available, or failed). */
  readonly onResult: (listener: () => void) => () => void;
  /** The file on disk served under a path (without the leading slash), if any. */
  readonly fileForPath: (path: string) => string | undefined;
  /** Serves GET /<path> to proxies: the module's bytes, or 404. */
  readonly handleRequest: (req: IncomingMessage, res: ServerResponse) => void;
  /** Resolves when no download is running. */
  readonly idle: () => Promise<void>;
}

interface Module {
  readonly file: string;
  readonly checksum: string;
  readonly size: number;
  lastUsed: number;
}

interface Entry {
  module?: Module;
  error?: string;
  retryAt: number;
  fetching?: Promise<void>;
}

const WASM_MAGIC = Buffer.from([0x00, 0x61, 0x73, 0x6d]);
const sha256Hex = (data: Uint8Array): string => createHash("sha256").update(data).digest("hex");

/** node:http(s) GET with an optional CA bundle and a body cap. */
export const nodeWasmGet: WasmGet = (url, caCert, maxBytes) =>
  new Promise((resolve, reject) => {
    let settled = false;
    const settle = (f: () => void): void => {
      if (!settled) {
        settled = true;
        f();
      }
    };
    const target = new URL(url);
    const request = (target.protocol === "https:" ? https : http).get(
      target,
      { timeout: 30_000, ...(target.protocol === "https:" && caCert !== undefined ? { ca: Buffer.from(caCert) } : {}) },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            settle(() => reject(new Error(`wasm module size exceeds maximum size ${maxBytes}`)));
            request.destroy();
            return;
          }
          chunks.push(chunk);
        });
        response.on("end", () => settle(() => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks) })));
        response.on("error", (e) => settle(() => reject(e)));
      },
    );
    request.on("timeout", () => {
      settle(() => reject(new Error("timeout")));
      request.destroy();
    });
    request.on("error", (e) => settle(() => reject(e)));
  });

/** Creates the cache. */
export function makeWasmModuleCache(options: WasmModuleCacheOptions): WasmModuleCache {
  const host = options.servingHost ?? "envoy-gateway.envoy-gateway-system.svc.cluster.local";
  const port = options.servingPort ?? 18002;
  const maxModuleBytes = options.maxModuleBytes ?? 256 * 1024 * 1024;
  const maxCacheBytes = options.maxCacheBytes ?? 1024 * 1024 * 1024;
  const unusedTtl = options.unusedTtlMs ?? 24 * 60 * 60_000;
  const failureTtl = options.failureTtlMs ?? 30_000;
  const attempts = Math.max(1, options.attempts ?? 3);
  const get = options.get ?? nodeWasmGet;
  const now = options.now ?? Date.now;
  mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  const entries = new Map<string, Entry>();
  const paths = new Map<string, string>();
  const listeners = new Set<() => void>();
  const running = new Set<Promise<void>>();

  const servingPath = (url: string): string => `${createHmac("sha256", options.secret).update(url).digest("base64url")}.wasm`;

  const download = async (url: string, caCert: Uint8Array | undefined): Promise<Buffer> => {
    let lastError = "";
    for (let attempt = 0; attempt < attempts; attempt++) {
      try {
        const response = await get(url, caCert, maxModuleBytes);
        if (response.status === 200) return response.body;
        lastError = `wasm module download request failed: status code ${response.status}`;
      } catch (e) {
        const message = (e as Error).message;
        if (message.startsWith("wasm module size exceeds")) throw e;
        lastError = message;
      }
    }
    throw new Error(`wasm module download failed after ${attempts} attempts, last error: ${lastError}`);
  };

  const drop = (key: string, entry: Entry): void => {
    // Files are named by content: another entry may hold the same bytes.
    const file = entry.module?.file;
    entries.delete(key);
    if (file !== undefined && ![...entries.values()].some((e) => e.module?.file === file)) rmSync(file, { force: true });
    for (const [path, owner] of paths) if (owner === key) paths.delete(path);
  };

  // Unused modules past their TTL go; then least recently used ones until the total fits.
  const evict = (keep: string): void => {
    const t = now();
    for (const [key, entry] of entries) if (key !== keep && entry.module !== undefined && t - entry.module.lastUsed > unusedTtl) drop(key, entry);
    const held = [...entries].filter(([, e]) => e.module !== undefined) as Array<[string, Entry & { module: Module }]>;
    let total = held.reduce((n, [, e]) => n + e.module.size, 0);
    for (const [key, entry] of held.sort((a, b) => a[1].module.lastUsed - b[1].module.lastUsed)) {
      if (total <= maxCacheBytes) break;
      if (key === keep) continue;
      total -= entry.module.size;
      drop(key, entry);
    }
  };

  const fetch = (key: string, url: string, entry: Entry, fetchOptions: WasmFetchOptions): void => {
    if (entry.fetching !== undefined) return;
    entries.set(key, entry);
    const task = (async () => {
      try {
        const body = await download(url, fetchOptions.caCert);
        if (body.length < 8 || !body.subarray(0, 4).equals(WASM_MAGIC)) throw new Error(`fetched Wasm binary from ${url} is invalid`);
        const checksum = sha256Hex(body);
        if (fetchOptions.checksum !== "" && fetchOptions.checksum.toLowerCase() !== checksum) {
          throw new Error(`module downloaded from ${url} has checksum ${checksum}, which does not match: ${fetchOptions.checksum}`);
        }
        const held = [...entries.values()].reduce((n, e) => n + (e.module?.size ?? 0), 0);
        if (body.length > maxCacheBytes) throw new Error(`wasm cache size exceeded the limit: ${maxCacheBytes}`);
        const file = join(options.dir, `${checksum}.wasm`);
        writeFileSync(file, body, { mode: 0o600 });
        entry.module = { file, checksum, size: body.length, lastUsed: now() };
        delete entry.error;
        paths.set(servingPath(url), key);
        if (held + body.length > maxCacheBytes) evict(key);
      } catch (e) {
        entry.error = (e as Error).message;
        entry.retryAt = now() + failureTtl;
      } finally {
        delete entry.fetching;
      }
      for (const listener of listeners) listener();
    })();
    entry.fetching = task;
    running.add(task);
    void task.finally(() => running.delete(task));
  };

  const lookup: WasmCache = (url, fetchOptions) => {
    let scheme: string;
    try {
      scheme = new URL(url).protocol;
    } catch (e) {
      return { error: `fail to parse Wasm module fetch url: ${url}, error: ${(e as Error).message}` };
    }
    if (scheme === "oci:") return { error: `could not fetch Wasm OCI image: OCI image sources are not supported by this controller yet` };
    if (scheme !== "http:" && scheme !== "https:") return { error: `unsupported Wasm module downloading URL scheme: ${scheme.slice(0, -1)}` };
    // Entries are per URL and expected checksum (upstream's module key), so a policy with a wrong checksum
    // never spoils the module for one with the right one.
    const key = `${url}\n${fetchOptions.checksum.toLowerCase()}`;
    const entry = entries.get(key) ?? { retryAt: 0 };
    const module = entry.module;
    if (module !== undefined) {
      module.lastUsed = now();
      if (fetchOptions.checksum !== "" && fetchOptions.checksum.toLowerCase() !== module.checksum) {
        return { error: `module downloaded from ${url} has checksum ${module.checksum}, which does not match: ${fetchOptions.checksum}` };
      }
      return { servingURL: `https://${host}:${port}/${servingPath(url)}`, checksum: module.checksum };
    }
    if (entry.error !== undefined && entry.retryAt > now()) return { error: entry.error };
    fetch(key, url, entry, fetchOptions);
    return { error: entry.error ?? `Wasm module ${url} is being downloaded` };
  };

  const fileForPath = (path: string): string | undefined => {
    const key = paths.get(path);
    return key !== undefined ? entries.get(key)?.module?.file : undefined;
  };

  return {
    lookup,
    onResult: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    fileForPath,
    handleRequest: (req, res) => {
      const file = req.method === "GET" ? fileForPath((req.url ?? "").replace(/^\//, "").split("?")[0] ?? "") : undefined;
      if (file === undefined) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { "content-type": "application/wasm" });
      createReadStream(file)
        .on("error", () => res.destroy())
        .pipe(res);
    },
    idle: async () => {
      while (running.size > 0) await Promise.all([...running]);
    },
  };
}
