// The controller's Wasm module service: the module cache plus the server proxies download modules from
// (HTTPS with the controller's server certificate when xDS uses TLS, as upstream serves on :18002).
import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { readFileSync } from "node:fs";
import * as Effect from "effect/Effect";
import { ensureCertificates } from "./Certificates.js";
import type { ControllerSettings } from "./Config.js";
import { makeWasmModuleCache, type WasmModuleCache, type WasmModuleCacheOptions } from "./WasmModuleCache.js";

/** A running Wasm service. */
export interface WasmService {
  readonly cache: WasmModuleCache;
  /** The port modules are served on. */
  readonly port: number;
  /** Where the key of the serving paths came from (a Secret, a file, or `random: <why>`). */
  readonly secretSource: string;
  /** Stops serving (the cached files stay on disk). */
  readonly close: () => Promise<void>;
}

/** {@link startWasmService} as a scoped resource: stops serving when the scope closes. */
export const wasmServiceResource = (settings: ControllerSettings, port: number, cacheOptions: Partial<WasmModuleCacheOptions> = {}) =>
  Effect.acquireRelease(
    Effect.promise(() => startWasmService(settings, port, cacheOptions)),
    (service) => Effect.promise(() => service.close()),
  );

/** Starts the Wasm module server on `port` (0: any free port) and the cache behind it. */
export async function startWasmService(settings: ControllerSettings, port: number, cacheOptions: Partial<WasmModuleCacheOptions> = {}): Promise<WasmService> {
  let handler: WasmModuleCache["handleRequest"] = (_req, res) => void res.writeHead(503).end();
  let server: Server;
  if (settings.xds.tls) {
    const { credentials } = await ensureCertificates(settings.certDirectory);
    server = createHttpsServer({ cert: credentials.certificate, key: credentials.privateKey }, (req, res) => handler(req, res));
  } else {
    server = createHttpServer((req, res) => handler(req, res));
  }
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, settings.hostInfrastructure ? "127.0.0.1" : "0.0.0.0", () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  const pathSecret = await wasmPathSecret(settings);
  const cache = makeWasmModuleCache({
    dir: join(dirname(settings.certDirectory), "wasm"),
    secret: pathSecret.secret,
    servingHost: settings.hostInfrastructure ? "localhost" : `envoy-gateway.${settings.controllerNamespace}.svc.cluster.local`,
    servingPort: bound,
    ...cacheOptions,
  });
  handler = cache.handleRequest;
  return {
    cache,
    port: bound,
    secretSource: pathSecret.source,
    close: () => {
      cache.close();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The key of the serving paths. As upstream, the OIDC HMAC secret certgen made: the `envoy-oidc-hmac` Secret in
 * Kubernetes mode (created with the other certificate Secrets when missing), `<certDir>/envoy-oidc-hmac/hmac-secret`
 * on a host (written once when missing), so serving paths survive restarts and proxies' configs stay valid.
 * If neither can be had, a per-process random key (paths then change on restart).
 */
export async function wasmPathSecret(settings: ControllerSettings): Promise<{ readonly secret: Uint8Array; readonly source: string }> {
  try {
    if (settings.providerType === "Kubernetes") {
      // imported here: the Kubernetes client is not loaded on a host
      const { createKubeClient, loadKubeConfig } = await import("@egts/provider-kubernetes");
      const { ensureKubernetesCertificates, readOidcHmacSecret } = await import("./KubernetesCertificates.js");
      const client = createKubeClient(loadKubeConfig(settings.kubeconfig !== undefined ? { kubeconfigText: readFileSync(settings.kubeconfig, "utf8") } : {}));
      let secret = await readOidcHmacSecret(client, settings.controllerNamespace);
      if (secret === undefined) {
        await ensureKubernetesCertificates(client, settings.controllerNamespace);
        secret = await readOidcHmacSecret(client, settings.controllerNamespace);
      }
      if (secret === undefined) return { secret: randomBytes(32), source: `random: Secret ${settings.controllerNamespace}/envoy-oidc-hmac has no hmac-secret` };
      return { secret, source: `Secret ${settings.controllerNamespace}/envoy-oidc-hmac` };
    }
    const file = join(settings.certDirectory, "envoy-oidc-hmac", "hmac-secret");
    try {
      const secret = await readFile(file);
      if (secret.length > 0) return { secret, source: file };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    const secret = randomBytes(32);
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    await writeFile(file, secret, { mode: 0o600, flag: "wx" }).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== "EEXIST") throw error;
    });
    return { secret: await readFile(file), source: file };
  } catch (error) {
    return { secret: randomBytes(32), source: `random: ${(error as Error).message}` };
  }
}
