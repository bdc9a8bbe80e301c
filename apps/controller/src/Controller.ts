import type { EnvoyGateway } from "@egts/api";
import * as Context from "effect/Context";
import * as Effect from "effect/Effect";
import * as Exit from "effect/Exit";
import * as Layer from "effect/Layer";
import * as Scope from "effect/Scope";
import { AdminServerLive } from "./Admin.js";
import { ConsoleStateLive } from "./console/Console.js";
import { makeBus, type ControllerBus } from "./Bus.js";
import { ExtensionXdsTranslationRunner, hasExtensionManagers } from "./ExtensionManager.js";
import { defaultEnvoyGatewayConfig, loadEnvoyGatewayConfig, resolveSettings, type ControllerFlags, type ControllerSettings } from "./Config.js";
import { componentLogger } from "./ComponentLogger.js";
import type { Logger } from "./Logger.js";
import { ControllerMetrics } from "./Metrics.js";
import { type ControlPlaneMetrics, DEFAULT_METRICS_PORT } from "./OtelMetrics.js";
import { wasmCacheFeed } from "./OtelMetricsFeeds.js";
import { controlPlaneMetricsLayer, controlPlaneMetricsResource, MetricsServing, upstreamMetricsLayer, type MetricsEndpoint } from "./OtelMetricsLive.js";
import { RateLimitHostLive, RateLimitRunner, RateLimitXdsServing } from "./RateLimitRunner.js";
import { makeOidcDiscoveryService } from "./OidcDiscovery.js";
import { GatewayApiRunner, HostInfraLive, ProviderRunner, XdsServerLive, XdsTranslationRunner } from "./Runners.js";
import { AdminServing, Bus, type HostInfra, Log, Metrics, Readiness, Settings, Stages, UpstreamMetrics, XdsServing } from "./Services.js";
import type { PipelineStages } from "./Stages.js";
import { type WasmService, wasmServiceResource } from "./WasmService.js";

/**
 * The whole controller as one layer: the runners of the pipeline (provider -> Gateway API translation -> xDS
 * translation -> xDS server, infrastructure) and the admin server, over the bus, settings, logger, metrics and
 * stages it is given. Building it starts everything; closing its scope stops everything in reverse order
 * (admin, proxies, xDS server, runners, provider). `upstreamMetrics`, when given, is the caller's (who shuts it
 * down); otherwise the layer makes one from the settings and flushes it on close.
 */
export function controllerLayer(
  settings: ControllerSettings,
  stages: PipelineStages,
  logger: Logger,
  bus: ControllerBus = makeBus(),
  metricsEndpoint: MetricsEndpoint = { host: "0.0.0.0", port: DEFAULT_METRICS_PORT },
  upstreamMetrics?: ControlPlaneMetrics,
) {
  const given = Layer.mergeAll(
    Layer.succeed(Settings, settings),
    Layer.succeed(Log, logger),
    Layer.succeed(Bus, bus),
    Layer.succeed(Stages, stages),
    Layer.sync(Metrics, () => new ControllerMetrics()),
    Layer.sync(Readiness, () => ({ provider: false, xds: false, served: false, certificates: true })),
  );
  const base = (upstreamMetrics !== undefined ? Layer.succeed(UpstreamMetrics, upstreamMetrics) : upstreamMetricsLayer).pipe(Layer.provideMerge(given));
  // Consumers subscribe before producers start, so the first publication reaches everybody.
  const xdsServer = RateLimitRunner.pipe(Layer.provideMerge(XdsServerLive));
  // The Kubernetes runners are imported only in Kubernetes mode: their client library alone takes most of a
  // second to load, which would delay every start on a host.
  const kubernetes = settings.providerType === "Kubernetes";
  const kubernetesInfra = kubernetes
    ? Layer.unwrap(Effect.promise(() => import("./KubernetesInfraRunner.js")).pipe(Effect.map((m) => m.KubernetesInfraRunner)))
    : Layer.empty;
  const infra = Layer.mergeAll(HostInfraLive, RateLimitHostLive, kubernetesInfra).pipe(Layer.provideMerge(xdsServer));
  const admin = Layer.mergeAll(AdminServerLive, controlPlaneMetricsLayer(metricsEndpoint)).pipe(
    Layer.provideMerge(ConsoleStateLive),
    Layer.provideMerge(infra),
  );
  const xdsTranslation = hasExtensionManagers(settings.envoyGateway) ? ExtensionXdsTranslationRunner : XdsTranslationRunner;
  const translators = Layer.mergeAll(GatewayApiRunner, xdsTranslation);
  const provider = kubernetes
    ? Layer.unwrap(Effect.promise(() => import("./KubernetesProviderRunner.js")).pipe(Effect.map((m) => m.KubernetesProviderRunner)))
    : ProviderRunner;
  const pipeline = provider.pipe(Layer.provideMerge(translators), Layer.provideMerge(admin));
  return pipeline.pipe(Layer.provideMerge(base));
}

/** Options of {@link startController}. */
export interface StartOptions extends ControllerFlags {
  /** An EnvoyGateway configuration file; default {@link defaultEnvoyGatewayConfig}. */
  readonly configPath?: string;
  /** An already loaded configuration (wins over `configPath`). */
  readonly config?: EnvoyGateway;
  /** Directory relative File provider paths are resolved from. Default the working directory. */
  readonly cwd?: string;
  /** The translation stages; default the @egts translator packages. */
  readonly stages?: PipelineStages;
  readonly logger?: Logger;
  /** Port the Wasm module server listens on with the default stages. Default 18002, or any free port when xDS takes any free port. */
  readonly wasmPort?: number;
  /** Port of the metrics endpoint (upstream's 19001, on all interfaces); default 19001, or 0 (a free port) when adminPort is 0. */
  readonly metricsPort?: number;
}

/** A running controller. */
export interface RunningController {
  readonly settings: ControllerSettings;
  /** The port the xDS server is bound to. */
  readonly xdsPort: number;
  /** The port the rate limit xDS server is bound to; undefined without `rateLimit` in the configuration. */
  readonly rateLimitXdsPort: number | undefined;
  /** The port the admin server is bound to. */
  readonly adminPort: number;
  /** `http://host:port` of the admin server. */
  readonly adminUrl: string;
  /** The port of the metrics endpoint (GET /metrics); undefined when telemetry.metrics.prometheus.disable. */
  readonly metricsPort: number | undefined;
  readonly bus: ControllerBus;
  readonly metrics: ControllerMetrics;
  /** Stops everything: proxies, servers (ports released), watchers. Safe to call twice. */
  close(): Promise<void>;
}

/** Starts the controller in this process: loads the configuration, builds {@link controllerLayer}, returns a handle. */
export async function startController(options: StartOptions = {}): Promise<RunningController> {
  const config = options.config ?? (options.configPath !== undefined ? await loadEnvoyGatewayConfig(options.configPath) : defaultEnvoyGatewayConfig);
  const settings = resolveSettings(config, options, options.cwd ?? process.cwd(), options.configPath ?? "<default config>");
  const logger =
    options.logger ?? componentLogger({ levels: (config.logging?.level ?? {}) as Record<string, string>, encoder: config.logging?.encoder ?? "Text" });
  if (config.admin?.enableDumpConfig === true) logger.info("configuration", { settings });
  // The upstream-named metrics and the Wasm service live in the controller's scope (closed after the runners
  // that use them; the metrics last, so their final values are flushed).
  const scope = Effect.runSync(Scope.make());
  let upstreamMetrics: ControlPlaneMetrics;
  let wasm: WasmService | undefined;
  try {
    upstreamMetrics = await Effect.runPromise(Scope.provide(scope)(controlPlaneMetricsResource(settings, logger)));
    wasm =
      options.stages === undefined
        ? await Effect.runPromise(
            Scope.provide(scope)(
              wasmServiceResource(settings, options.wasmPort ?? (settings.xds.port === 0 ? 0 : 18002), { observer: wasmCacheFeed(upstreamMetrics) }),
            ),
          )
        : undefined;
  } catch (error) {
    await Effect.runPromise(Scope.close(scope, Exit.void));
    throw error;
  }
  if (wasm?.secretSource.startsWith("random:") === true)
    logger.warn("Wasm serving paths are keyed by a per-process key; they change on restart", { component: "wasm-cache", reason: wasm.secretSource });
  const stages =
    options.stages ??
    (await import("./DefaultStages.js")).defaultStages({
      loadLuaValidator: () =>
        import("@egts/lua-validator")
          .then((lua) => lua.createLuaValidator())
          .then(
            (vm) => {
              logger.info("Lua VM loaded", { component: "gateway-api" });
              return vm;
            },
            (error: unknown) => {
              logger.error("cannot load the Lua VM; Lua scripts get the entry-point check only", {
                component: "gateway-api",
                error: error instanceof Error ? error.message : String(error),
              });
              throw error;
            },
          ),
      oidcDiscovery: makeOidcDiscoveryService(),
      ...(wasm !== undefined ? { wasmCache: wasm.cache } : {}),
    });
  const bus = makeBus();
  let context: Context.Context<AdminServing | XdsServing | HostInfra | Metrics | RateLimitXdsServing | MetricsServing>;
  try {
    context = await Effect.runPromise(
      Layer.buildWithScope(
        controllerLayer(
          settings,
          stages,
          logger,
          bus,
          { host: "0.0.0.0", port: options.metricsPort ?? (options.adminPort === 0 ? 0 : DEFAULT_METRICS_PORT) },
          upstreamMetrics,
        ),
        scope,
      ),
    );
  } catch (error) {
    await Effect.runPromise(Scope.close(scope, Exit.void));
    throw error;
  }
  const admin = Context.get(context, AdminServing);
  const xds = Context.get(context, XdsServing);
  let closing: Promise<void> | undefined;
  return {
    settings,
    xdsPort: xds.port,
    rateLimitXdsPort: Context.get(context, RateLimitXdsServing)?.port,
    adminPort: admin.port,
    adminUrl: `http://${admin.host.includes(":") ? `[${admin.host}]` : admin.host}:${admin.port}`,
    bus,
    metricsPort: Context.get(context, MetricsServing).port,
    metrics: Context.get(context, Metrics),
    close: () => (closing ??= Effect.runPromise(Scope.close(scope, Exit.void))),
  };
}
