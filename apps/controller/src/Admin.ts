import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { renderBootstrap } from "@egts/bootstrap";
import { hostBootstrapOptions } from "@egts/infra-host";
import { formatFileProblem } from "@egts/provider-file";
import * as Effect from "effect/Effect";
import * as Layer from "effect/Layer";
import { join } from "node:path";
import { configDumpOf } from "@egts/xds-translator";
import { bootstrapJson } from "./ConfigDump.js";
import { ConsoleState, isConsolePath, serveConsole } from "./console/Console.js";
import { dumpResources, resourceFilters } from "./ResourceDump.js";
import { AdminServing, Bus, HostInfra, Log, Metrics, Readiness, Settings, XdsServing } from "./Services.js";

const json = (res: ServerResponse, status: number, body: unknown): void => {
  const text = `${JSON.stringify(body, null, 2)}\n`;
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) });
  res.end(text);
};

const text = (res: ServerResponse, status: number, body: string, type = "text/plain; charset=utf-8"): void => {
  res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(body) });
  res.end(body);
};

/**
 * The admin HTTP server (upstream's admin port, 127.0.0.1:19000 by default):
 * - `/healthz`: the process is up; `/readyz`: resources were loaded, the xDS server listens, a snapshot is
 *   set (there is something to serve) and the xDS certificates are usable;
 * - `/api/config_dump[?key=<irKey>]`: per IR key, the xDS that key's proxies receive, as Envoy's config dump;
 *   `?resource=all|<kind>`: the provider's resources, as upstream's console (Secret values redacted);
 * - `/api/status`: every resource's status as the translator wrote it, every error of every stage, and the
 *   xDS certificates' validity;
 * - `/api/nacks`: standing xDS rejections; `/api/proxies`: Envoy processes run on this host;
 * - `/api/info`, `/api/server_info`: process and component information (as upstream's console API);
 * - `/metrics`: Prometheus metrics.
 */
export const AdminServerLive = Layer.effect(
  AdminServing,
  Effect.gen(function* () {
    const settings = yield* Settings;
    const bus = yield* Bus;
    const metrics = yield* Metrics;
    const log = yield* Log;
    const readiness = yield* Readiness;
    const xds = yield* XdsServing;
    const infra = yield* HostInfra;
    const consoleState = yield* ConsoleState;

    metrics.addGauge({
      name: "egts_resources",
      help: "Objects the provider currently holds, per kind.",
      read: () =>
        Object.entries(bus.resourceCounts.get("file") ?? {})
          .sort()
          .map(([kind, value]) => ({ labels: { kind }, value })),
    });
    metrics.addGauge({
      name: "egts_xds_connected_proxies",
      help: "Proxies with an open xDS stream.",
      read: () => [{ labels: {}, value: new Set(xds.server.streams().flatMap((s) => (s.node === undefined ? [] : [s.node.id]))).size }],
    });
    metrics.addGauge({ name: "egts_xds_streams", help: "Open xDS streams.", read: () => [{ labels: {}, value: xds.server.streams().length }] });
    metrics.addGauge({
      name: "egts_xds_standing_nacks",
      help: "xDS rejections not yet followed by an ACK, per node and type.",
      read: () => [{ labels: {}, value: xds.server.nacks().length }],
    });
    metrics.addGauge({ name: "egts_xds_snapshots", help: "IR keys with an xDS snapshot.", read: () => [{ labels: {}, value: xds.cache.keys().length }] });
    metrics.addGauge({
      name: "egts_provider_problems",
      help: "Problems the provider reports in its inputs.",
      read: () => [{ labels: {}, value: (bus.providerProblems.get("file") ?? []).length }],
    });
    metrics.addGauge({
      name: "egts_proxy_processes",
      help: "Envoy processes run on this host, by state.",
      read: () => {
        const proxies = infra.proxies();
        return [
          { labels: { state: "running" }, value: proxies.filter((p) => p.running).length },
          { labels: { state: "not_running" }, value: proxies.filter((p) => !p.running).length },
        ];
      },
    });

    // Ready once something is served: resources loaded, xDS listening, a snapshot set, certificates usable.
    const isReady = () => readiness.provider && readiness.xds && readiness.served && readiness.certificates;

    const sdsDirectory = join(settings.certDirectory, "envoy");
    const configDump = (onlyKey: string | null) => {
      const out: Record<string, unknown> = {};
      for (const [key, translation] of bus.xds.snapshot()) {
        if (onlyKey !== null && key !== onlyKey) continue;
        const proxy = bus.infraIR.get(key)?.proxy;
        const bootstrap =
          proxy === undefined
            ? undefined
            : bootstrapJson(
                renderBootstrap(
                  hostBootstrapOptions(proxy, { xdsServerHost: xds.tls ? "0.0.0.0" : "127.0.0.1", xdsServerPort: xds.port, xdsTls: xds.tls, sdsDirectory }),
                ),
              );
        out[key] = configDumpOf(translation.resources, bootstrap);
      }
      return { xds: out };
    };

    const status = () => {
      const gatewayClasses: Record<string, unknown> = {};
      for (const [name, result] of bus.gatewayClasses.snapshot()) gatewayClasses[name] = { resources: result.statuses, errors: result.errors };
      const problems = bus.providerProblems.get("file") ?? [];
      return {
        ready: isReady(),
        gatewayClasses,
        provider:
          settings.providerType === "Kubernetes"
            ? { type: "Kubernetes", ...(bus.providerHealth.get("kubernetes") ?? { synced: false, connected: false }) }
            : {
                type: "File",
                paths: settings.filePaths,
                problems: problems.map((p) => ({ ...p, text: formatFileProblem(p) })),
                staleFiles: bus.staleFiles.get("file") ?? [],
              },
        xds: Object.fromEntries([...bus.xdsErrors.snapshot()].map(([key, errors]) => [key, { errors }])),
        nacks: xds.server.nacks(),
        proxies: infra.proxies(),
        ...(settings.providerType === "Kubernetes"
          ? { infrastructure: bus.kubernetesInfra.get("kubernetes") ?? { leader: false, objects: 0, notOwned: [], errors: [] } }
          : {}),
        certificates: xds.certificates(),
      };
    };

    const startedAt = new Date();
    const uptime = () => `${((Date.now() - startedAt.getTime()) / 1000).toFixed(3)}s`;
    // Upstream's console API: /api/info (process) and /api/server_info (components and configuration).
    const info = () => ({
      version: "egts",
      startTime: startedAt.toISOString(),
      uptime: uptime(),
      nodeVersion: process.version,
      platform: `${process.platform}/${process.arch}`,
      timestamp: new Date().toISOString(),
    });
    const serverInfo = () => ({
      state: readiness.provider && readiness.xds ? "Running" : "Starting",
      version: "egts",
      uptime: uptime(),
      components: [
        {
          name: "Provider Service",
          status: readiness.provider ? "Running" : "Starting",
          message: "Fetches resources from configured provider and publishes them",
        },
        { name: "GatewayAPI Translator", status: "Running", message: "Translates provider resources to xDS IR and infra IR" },
        { name: "XDS Translator", status: "Running", message: "Translates xDS IR into xDS resources and computes policy statuses" },
        { name: "Infrastructure Manager", status: "Running", message: "Translates infra IR into Envoy Proxy infrastructure resources" },
      ],
      envoyGatewayConfig: settings.envoyGateway,
      lastUpdated: new Date().toISOString(),
    });

    const handle = (req: IncomingMessage, res: ServerResponse): void => {
      const url = new URL(req.url ?? "/", "http://admin");
      if (req.method !== "GET" && req.method !== "HEAD") return text(res, 405, "method not allowed\n");
      switch (url.pathname) {
        case "/healthz":
          return text(res, 200, "ok\n");
        case "/readyz":
          return isReady()
            ? text(res, 200, "ok\n")
            : text(
                res,
                503,
                `not ready: provider=${readiness.provider} xds=${readiness.xds} served=${readiness.served} certificates=${readiness.certificates}\n`,
              );
        case "/api/config_dump": {
          const filter = url.searchParams.get("resource");
          if (filter === null || filter === "") return json(res, 200, configDump(url.searchParams.get("key")));
          // Upstream's console: the provider's resources, all or of one kind.
          const dump = dumpResources([...bus.resources.snapshot().values()], filter);
          if (dump === undefined) return text(res, 400, `Invalid resource filter. Supported values: ${resourceFilters.join(", ")}\n`);
          return json(res, 200, { ...dump, timestamp: new Date().toISOString() });
        }
        case "/api/status":
          return json(res, 200, status());
        case "/api/info":
          return json(res, 200, info());
        case "/api/server_info":
          return json(res, 200, serverInfo());
        case "/api/nacks":
          return json(res, 200, { nacks: xds.server.nacks() });
        case "/api/proxies":
          return json(res, 200, { envoyPath: infra.envoyPath ?? null, proxies: infra.proxies() });
        case "/metrics":
          return text(res, 200, metrics.render(), "text/plain; version=0.0.4; charset=utf-8");
        default:
          if (isConsolePath(url.pathname)) return serveConsole(req, res, url, consoleState);
          return text(res, 404, "not found\n");
      }
    };

    const server = createServer((req, res) => {
      try {
        handle(req, res);
      } catch (error) {
        log.error("admin request failed", { component: "admin", path: req.url, error: (error as Error).message });
        if (!res.headersSent) text(res, 500, "internal error\n");
      }
    });
    const port = yield* Effect.acquireRelease(
      Effect.callback<number, Error>((resume) => {
        server.once("error", (error) =>
          resume(Effect.fail(new Error(`admin server: cannot listen on ${settings.admin.host}:${settings.admin.port}: ${error.message}`))),
        );
        server.listen(settings.admin.port, settings.admin.host, () => {
          const address = server.address();
          resume(Effect.succeed(typeof address === "object" && address !== null ? address.port : settings.admin.port));
        });
      }),
      () =>
        Effect.callback<void>((resume) => {
          server.close(() => resume(Effect.void));
          server.closeAllConnections();
        }),
    );
    log.info("admin server listening", { component: "admin", address: settings.admin.host, port });
    return { port, host: settings.admin.host };
  }),
);
