// The Wasm module cache (upstream internal/wasm): EnvoyExtensionPolicies name Wasm modules by HTTP(S) URL or OCI
// image, with an optional sha256; the controller downloads each module once, checks it, keeps it on disk, and
// serves it to proxies under an unguessable path (an HMAC of the URL keyed by the controller's secret), so a proxy
// config dump reveals no usable URL of another tenant's module. The translator's lookup is synchronous: a miss
// starts the download in the background and reports the module as being downloaded; when it finishes,
// listeners hear of it and the GatewayClass is translated again (as with OIDC discovery).
//
// As upstream, modules are keyed by name (the URL, or the image without tag or digest) and checksum (the
// module's sha256, or the image's manifest digest), and the last checksum seen per URL answers lookups without
// one, following the pull policy (default Always for `:latest` images, IfNotPresent otherwise; Always pulls
// again when the policy's resourceVersion changed). A module from a private image is handed only to policies
// whose own pull secret can read the image: each (image, pull secret) pair is checked against the registry
// once, then again hourly in the background.
import { createHash, createHmac } from "node:crypto";
import { createReadStream, mkdirSync, rmSync, writeFileSync } from "node:fs";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import https from "node:https";
import { join } from "node:path";
import type { WasmCache, WasmFetchOptions } from "@egts/gatewayapi-translator";
import { parseImageReference, prepareImageFetch, type RegistryTransport } from "./WasmImageFetcher.js";

/** Downloads a module; rejects on transport errors and on bodies over `maxBytes`. */
export type WasmGet = (
  url: string,
  caCert: Uint8Array | undefined,
  maxBytes: number,
  skipVerify?: boolean,
) => Promise<{ readonly status: number; readonly body: Buffer }>;

/** Tuning of the cache; defaults are upstream's. */
export interface WasmModuleCacheOptions {
  /** Directory the modules are written to (created when missing). */
  readonly dir: string;
  /** The secret the serving paths are keyed with (upstream: the envoy-oidc-hmac secret). */
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
  /** Download attempts for transport errors and non-200 answers (HTTP sources). Default 3. */
  readonly attempts?: number;
  /** Registries (`host[:port]`, or `*`) whose TLS certificate is not verified (upstream's insecure registries). Default none. */
  readonly insecureRegistries?: readonly string[];
  /** How old an image access check may get before the background sweep checks again. Default 1 h. */
  readonly permissionRecheckMs?: number;
  /** How often the background sweep runs (access rechecks, expired modules). Default 5 min; 0 disables it. */
  readonly sweepIntervalMs?: number;
  readonly get?: WasmGet;
  readonly registryTransport?: RegistryTransport;
  readonly now?: () => number;
  /** Hears lookups, remote fetches and the number of cached modules (upstream's wasm_* metrics). */
  readonly observer?: WasmCacheObserver;
}

/** Why a remote fetch failed, in upstream's words (the `reason` of wasm_remote_fetch_total). */
export type WasmFetchFailure = "download_error" | "manifest_error" | "checksum_mismatched" | "fetch_error";

/** What the cache reports as it works. */
export interface WasmCacheObserver {
  /** A lookup searched the cache: `hit` when it found a module to serve without pulling. */
  readonly lookup?: (hit: boolean) => void;
  /** A remote fetch ended: undefined when it brought a valid module, else why not. */
  readonly fetched?: (failure: WasmFetchFailure | undefined) => void;
  /** The number of cached modules changed. */
  readonly entries?: (count: number) => void;
}

/** The cache: the translator's lookup, result notifications, and the serving side. */
export interface WasmModuleCache {
  /** The translator's lookup (TranslateOptions.wasmCache). */
  readonly lookup: WasmCache;
  /** Calls the listener when a download or an access check finished. */
  readonly onResult: (listener: () => void) => () => void;
  /** The file on disk served under a path (without the leading slash), if any. */
  readonly fileForPath: (path: string) => string | undefined;
  /** Serves GET /<path> to proxies: the module's bytes, or 404. */
  readonly handleRequest: (req: IncomingMessage, res: ServerResponse) => void;
  /** Drops modules unused past their TTL and access checks unused for a day; checks stale accesses again. */
  readonly sweep: () => void;
  /** Resolves when no download or access check is running. */
  readonly idle: () => Promise<void>;
  /** Stops the background sweep. */
  readonly close: () => void;
}

interface Module {
  readonly key: string;
  readonly file: string;
  /** sha256 of the module's bytes (what Envoy checks). */
  readonly checksum: string;
  readonly size: number;
  /** Fetched from an image with a pull secret. */
  readonly isPrivate: boolean;
  readonly urls: Set<string>;
  lastUsed: number;
}

/** The last checksum a URL resolved to, and the resourceVersion each policy saw it at. */
interface Seen {
  checksum: string;
  readonly versions: Map<string, string>;
}

interface Failure {
  readonly error: string;
  readonly retryAt: number;
}

/** Whether a pull secret (or none) reads an image, as last checked. */
interface Access {
  readonly url: string;
  readonly options: WasmFetchOptions;
  lastCheck: number;
  lastAccess: number;
  checked: boolean;
  error?: string;
  checking?: Promise<void>;
}

const WASM_MAGIC = Buffer.from([0x00, 0x61, 0x73, 0x6d]);
const sha256Hex = (data: Uint8Array | string): string => createHash("sha256").update(data).digest("hex");
const PERMISSION_UNUSED_TTL_MS = 24 * 60 * 60_000;

/** node:http(s) GET with an optional CA bundle (or no verification) and a body cap. */
export const nodeWasmGet: WasmGet = (url, caCert, maxBytes, skipVerify) =>
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
      {
        timeout: 30_000,
        ...(target.protocol === "https:" && caCert !== undefined ? { ca: Buffer.from(caCert) } : {}),
        ...(target.protocol === "https:" && skipVerify === true ? { rejectUnauthorized: false } : {}),
      },
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
  const permissionRecheck = options.permissionRecheckMs ?? 60 * 60_000;
  const insecureRegistries = new Set(options.insecureRegistries ?? []);
  const get = options.get ?? nodeWasmGet;
  const now = options.now ?? Date.now;
  const observer = quietObserver(options.observer ?? {});
  mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  const modules = new Map<string, Module>();
  const seen = new Map<string, Seen>();
  const failures = new Map<string, Failure>();
  const fetches = new Map<string, Promise<void>>();
  const accesses = new Map<string, Access>();
  const paths = new Map<string, string>();
  const listeners = new Set<() => void>();
  const running = new Set<Promise<void>>();
  const notify = (): void => {
    for (const listener of listeners) listener();
  };
  const track = (task: Promise<void>): void => {
    running.add(task);
    void task.finally(() => running.delete(task));
  };

  const servingPath = (url: string): string => `${createHmac("sha256", options.secret).update(url).digest("base64url")}.wasm`;
  const allowInsecure = (url: string): boolean => insecureRegistries.has("*") || insecureRegistries.has(new URL(url).host);
  const imageOptions = (url: string, fetchOptions: WasmFetchOptions) => ({
    maxBytes: maxModuleBytes,
    insecure: allowInsecure(url),
    ...(fetchOptions.pullSecret !== undefined ? { pullSecret: fetchOptions.pullSecret } : {}),
    ...(fetchOptions.caCert !== undefined ? { caCert: fetchOptions.caCert } : {}),
    ...(options.registryTransport !== undefined ? { transport: options.registryTransport } : {}),
  });

  const download = async (url: string, caCert: Uint8Array | undefined): Promise<Buffer> => {
    let lastError = "";
    for (let attempt = 0; attempt < attempts; attempt++) {
      try {
        const response = await get(url, caCert, maxModuleBytes, allowInsecure(url));
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

  const drop = (key: string): void => {
    const module = modules.get(key);
    if (module === undefined) return;
    modules.delete(key);
    rmSync(module.file, { force: true });
    for (const url of module.urls)
      if (seen.get(url) !== undefined && modules.get(`${moduleName(url)}\n${seen.get(url)!.checksum}`) === undefined) seen.delete(url);
    for (const [path, owner] of paths) if (owner === key) paths.delete(path);
    observer.entries?.(modules.size);
  };

  // Unused modules past their TTL go; then least recently used ones until the total fits.
  const evict = (keep: string | undefined): void => {
    const t = now();
    for (const [key, module] of modules) if (key !== keep && t - module.lastUsed > unusedTtl) drop(key);
    let total = [...modules.values()].reduce((n, m) => n + m.size, 0);
    for (const [key, module] of [...modules].sort((a, b) => a[1].lastUsed - b[1].lastUsed)) {
      if (total <= maxCacheBytes) break;
      if (key === keep) continue;
      total -= module.size;
      drop(key);
    }
  };

  const remember = (url: string, checksum: string, fetchOptions: WasmFetchOptions): void => {
    const entry = seen.get(url) ?? { checksum, versions: new Map<string, string>() };
    entry.checksum = checksum;
    entry.versions.set(fetchOptions.resourceName, fetchOptions.resourceVersion ?? "");
    seen.set(url, entry);
  };

  const addModule = (url: string, key: string, body: Buffer, isPrivate: boolean): void => {
    const existing = modules.get(key);
    if (existing !== undefined) {
      existing.lastUsed = now();
      existing.urls.add(url);
      return;
    }
    if (body.length > maxCacheBytes) throw new Error(`wasm cache size exceeded the limit: ${maxCacheBytes}`);
    const file = join(options.dir, `${sha256Hex(key)}.wasm`);
    writeFileSync(file, body, { mode: 0o600 });
    modules.set(key, { key, file, checksum: sha256Hex(body), size: body.length, isPrivate, urls: new Set([url]), lastUsed: now() });
    observer.entries?.(modules.size);
    evict(key);
  };

  const accessKey = (url: string, secret: Uint8Array | undefined): string => `${url}\n${secret !== undefined ? sha256Hex(secret) : ""}`;

  const checkAccess = (access: Access): Promise<void> => {
    access.checking ??= (async () => {
      const before = access.checked ? (access.error ?? "") : undefined;
      try {
        await prepareImageFetch(access.url, imageOptions(access.url, access.options));
        delete access.error;
      } catch (e) {
        access.error = (e as Error).message;
      }
      access.checked = true;
      access.lastCheck = now();
      delete access.checking;
      if (before !== (access.error ?? "")) notify();
    })();
    track(access.checking);
    return access.checking;
  };

  /** Whether this policy's pull secret reads the image: undefined while the first check runs. */
  const accessFor = (url: string, fetchOptions: WasmFetchOptions): { readonly error?: string } | undefined => {
    const key = accessKey(url, fetchOptions.pullSecret);
    let access = accesses.get(key);
    if (access === undefined) {
      access = { url, options: fetchOptions, lastCheck: 0, lastAccess: now(), checked: false };
      accesses.set(key, access);
      void checkAccess(access);
    }
    access.lastAccess = now();
    if (!access.checked) return undefined;
    return access.error !== undefined ? { error: access.error } : {};
  };

  const fetchModule = (url: string, oci: boolean, expected: string, fetchKey: string, fetchOptions: WasmFetchOptions): void => {
    if (fetches.has(fetchKey)) return;
    const task = (async () => {
      // The step under way, named as upstream counts a fetch failing there; undefined once the module is valid.
      let failing: WasmFetchFailure | undefined = oci ? "manifest_error" : "download_error";
      try {
        let body: Buffer | undefined;
        let digest: string;
        let module: (() => Promise<Buffer>) | undefined;
        const isPrivate = oci && (fetchOptions.pullSecret?.length ?? 0) > 0;
        if (oci) {
          let prepared: Awaited<ReturnType<typeof prepareImageFetch>>;
          const access: Access = { url, options: fetchOptions, lastCheck: now(), lastAccess: now(), checked: true };
          try {
            prepared = await prepareImageFetch(url, imageOptions(url, fetchOptions));
          } catch (e) {
            access.error = (e as Error).message;
            throw new Error(`could not fetch Wasm OCI image: ${(e as Error).message}`);
          } finally {
            // The fetch itself tells whether this pull secret reads the image.
            if (isPrivate) accesses.set(accessKey(url, fetchOptions.pullSecret), access);
          }
          digest = prepared.digest;
          module = prepared.fetchModule;
        } else {
          body = await download(url, fetchOptions.caCert);
          digest = sha256Hex(body);
        }
        if (expected !== "" && digest !== expected) {
          failing = "checksum_mismatched";
          throw new Error(`module downloaded from ${url} has checksum ${digest}, which does not match: ${expected}`);
        }
        if (module !== undefined) {
          failing = "download_error";
          try {
            body = await module();
          } catch (e) {
            throw new Error(`could not fetch Wasm binary: ${(e as Error).message}`);
          }
        }
        failing = "fetch_error";
        if (body === undefined || body.length < 8 || !body.subarray(0, 4).equals(WASM_MAGIC)) throw new Error(`fetched Wasm binary from ${url} is invalid`);
        // As upstream, a fetch that brought a valid module succeeded even if the cache cannot keep it.
        failing = undefined;
        observer.fetched?.(undefined);
        addModule(url, `${moduleName(url)}\n${digest}`, body, isPrivate);
        remember(url, digest, fetchOptions);
        failures.delete(fetchKey);
      } catch (e) {
        if (failing !== undefined) observer.fetched?.(failing);
        failures.set(fetchKey, { error: (e as Error).message, retryAt: now() + failureTtl });
      } finally {
        fetches.delete(fetchKey);
      }
      notify();
    })();
    fetches.set(fetchKey, task);
    track(task);
  };

  /** The cached module answering a lookup, or the one to serve while pulling again, as upstream's getEntry. */
  const findModule = (url: string, oci: boolean, expected: string, fetchOptions: WasmFetchOptions): { hit?: Module; stale?: Module } => {
    const name = moduleName(url);
    if (expected !== "") {
      const hit = modules.get(`${name}\n${expected}`);
      if (hit !== undefined) remember(url, expected, fetchOptions);
      return hit !== undefined ? { hit } : {};
    }
    const last = seen.get(url);
    const module = last !== undefined ? modules.get(`${name}\n${last.checksum}`) : undefined;
    if (last === undefined || module === undefined) return {};
    const policy = fetchOptions.pullPolicy ?? (oci && url.endsWith(":latest") ? "Always" : "IfNotPresent");
    if (policy === "Always" && last.versions.get(fetchOptions.resourceName) !== (fetchOptions.resourceVersion ?? "")) return { stale: module };
    last.versions.set(fetchOptions.resourceName, fetchOptions.resourceVersion ?? "");
    return { hit: module };
  };

  const lookup: WasmCache = (url, fetchOptions) => {
    let scheme: string;
    try {
      scheme = new URL(url).protocol;
    } catch (e) {
      return { error: `fail to parse Wasm module fetch url: ${url}, error: ${(e as Error).message}` };
    }
    if (scheme !== "http:" && scheme !== "https:" && scheme !== "oci:")
      return { error: `unsupported Wasm module downloading URL scheme: ${scheme.slice(0, -1)}` };
    const oci = scheme === "oci:";
    let expected = fetchOptions.checksum.toLowerCase();
    if (oci) {
      try {
        const reference = parseImageReference(url).reference;
        // An image named by digest needs no separate checksum.
        if (expected === "" && reference.startsWith("sha256:")) expected = reference.slice("sha256:".length);
      } catch (e) {
        return { error: `could not fetch Wasm OCI image: ${(e as Error).message}` };
      }
    }
    const fetchKey = `${url}\n${expected}`;
    const { hit, stale } = findModule(url, oci, expected, fetchOptions);
    observer.lookup?.(hit !== undefined);
    const serve = hit ?? stale;
    if (serve !== undefined && oci && serve.isPrivate) {
      const access = accessFor(url, fetchOptions);
      if (access === undefined) return { error: `checking access to Wasm OCI image ${url} with the policy's pull secret` };
      if (access.error !== undefined) return { error: `failed to login to private registry: ${access.error}` };
    }
    const failure = failures.get(fetchKey);
    if (hit === undefined) {
      if (failure !== undefined && failure.retryAt > now()) return { error: failure.error };
      fetchModule(url, oci, expected, fetchKey, fetchOptions);
    }
    if (serve === undefined) return { error: failure?.error ?? `Wasm module ${url} is being downloaded` };
    // While a module is pulled again (pull policy Always), the one cached keeps serving.
    serve.lastUsed = now();
    const path = servingPath(url);
    paths.set(path, serve.key);
    return { servingURL: `https://${host}:${port}/${path}`, checksum: serve.checksum };
  };

  const fileForPath = (path: string): string | undefined => {
    const key = paths.get(path);
    return key !== undefined ? modules.get(key)?.file : undefined;
  };

  const sweep = (): void => {
    const t = now();
    evict(undefined);
    for (const [key, access] of accesses) {
      if (t - access.lastAccess > PERMISSION_UNUSED_TTL_MS) accesses.delete(key);
      else if (access.checking === undefined && t - access.lastCheck > permissionRecheck) void checkAccess(access);
    }
  };
  const sweepInterval = options.sweepIntervalMs ?? 5 * 60_000;
  const timer = sweepInterval > 0 ? setInterval(sweep, sweepInterval) : undefined;
  timer?.unref();

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
    sweep,
    idle: async () => {
      while (running.size > 0) await Promise.all([...running]);
    },
    close: () => clearInterval(timer),
  };
}

/** The observer with its failures swallowed: metrics must never change what the cache does. */
function quietObserver(observer: WasmCacheObserver): WasmCacheObserver {
  const quiet =
    <A>(f: ((a: A) => void) | undefined) =>
    (a: A): void => {
      try {
        f?.(a);
      } catch {
        // ignored: see above
      }
    };
  return { lookup: quiet(observer.lookup), fetched: quiet(observer.fetched), entries: quiet(observer.entries) };
}

/** Upstream's module name: the URL, or for images the registry and repository without tag or digest. */
function moduleName(url: string): string {
  if (!url.startsWith("oci://")) return url;
  try {
    const image = parseImageReference(url);
    return `oci://${image.registry}/${image.repository}`;
  } catch {
    return url;
  }
}
