// The controller's Wasm module service: the module cache plus the server proxies download modules from
// (HTTPS with the controller's server certificate when xDS uses TLS, as upstream serves on :18002).
import { randomBytes } from "node:crypto";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { ensureCertificates } from "./Certificates.js";
import type { ControllerSettings } from "./Config.js";
import { makeWasmModuleCache, type WasmModuleCache, type WasmModuleCacheOptions } from "./WasmModuleCache.js";

/** A running Wasm service. */
export interface WasmService {
  readonly cache: WasmModuleCache;
  /** The port modules are served on. */
  readonly port: number;
  /** Stops serving (the cached files stay on disk). */
  readonly close: () => Promise<void>;
}

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
  const cache = makeWasmModuleCache({
    dir: join(dirname(settings.certDirectory), "wasm"),
    // Paths are keyed by a per-process secret: a restart moves every module to a new unguessable path.
    secret: randomBytes(32),
    servingHost: settings.hostInfrastructure ? "localhost" : `envoy-gateway.${settings.controllerNamespace}.svc.cluster.local`,
    servingPort: bound,
    ...cacheOptions,
  });
  handler = cache.handleRequest;
  return {
    cache,
    port: bound,
    close: () => {
      cache.close();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
