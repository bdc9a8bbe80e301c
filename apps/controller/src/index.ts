/**
 * The egts controller: Envoy Gateway run standalone. Reads an EnvoyGateway configuration, then runs the
 * pipeline as Effect layers connected by a message bus: File provider -> Gateway API translation -> xDS
 * translation -> xDS server, Host infrastructure (Envoy processes), and the admin server.
 *
 * @packageDocumentation
 */
export type { ControllerFlags, ControllerSettings } from "./Config.js";
export {
  ConfigError,
  DEFAULT_ADMIN_HOST,
  DEFAULT_ADMIN_PORT,
  DEFAULT_CONTROLLER_NAME,
  DEFAULT_CONTROLLER_NAMESPACE,
  DEFAULT_XDS_PORT,
  defaultEnvoyGatewayConfig,
  loadEnvoyGatewayConfig,
  resolveSettings,
} from "./Config.js";
export type { ControllerBus, GatewayClassResult } from "./Bus.js";
export { makeBus } from "./Bus.js";
export type { MapUpdate } from "./MessageBus.js";
export { WatchableMap } from "./MessageBus.js";
export type { GaugeSource } from "./Metrics.js";
export { ControllerMetrics } from "./Metrics.js";
export type { LogFields, Logger } from "./Logger.js";
export { silentLogger, streamLogger } from "./Logger.js";
export type {
  GatewayApiSettings,
  GatewayApiTranslation,
  PipelineStages,
  ResourceStatus,
  XdsResourceEntry,
  XdsResources,
  XdsSettings,
  XdsTranslation,
} from "./Stages.js";
export { defaultStages, statusesOf, type DefaultStagesOptions } from "./DefaultStages.js";
export { withProviderConditions } from "./ProviderStatus.js";
export { ensureCertificates, type ServerCredentials } from "./Certificates.js";
export { AdminServing, Bus, HostInfra, Log, Metrics, Readiness, Settings, Stages, UpstreamMetrics, XdsServing } from "./Services.js";
export { GatewayApiRunner, HostInfraLive, ProviderRunner, XdsServerLive, XdsTranslationRunner, snapshotInputOf } from "./Runners.js";
export { AdminServerLive } from "./Admin.js";
export {
  DEFAULT_RATE_LIMIT_XDS_PORT,
  RATE_LIMIT_NODE_ID,
  RATE_LIMIT_UNENFORCED_CONDITION,
  RateLimitHost,
  RateLimitHostLive,
  RateLimitRunner,
  RateLimitXdsServing,
  makeRateLimitConfigTracker,
  mergeRateLimitConfigs,
  withRateLimitUnenforced,
} from "./RateLimitRunner.js";
export { ExtensionXdsTranslationRunner, hasExtensionManagers, secretFromResources } from "./ExtensionManager.js";
export type { RunningController, StartOptions } from "./Controller.js";
export { controllerLayer, startController } from "./Controller.js";
export { ControlPlaneMetrics, DEFAULT_METRICS_PORT, parseDurationMs, serveMetrics, type EnvoyGatewayMetricsConfig, type MetricStatus } from "./OtelMetrics.js";
export { objectOperationFeed, statusUpdateFeed, wasmCacheFeed, xdsStreamFeed } from "./OtelMetricsFeeds.js";
export { controlPlaneMetricsLayer, controlPlaneMetricsResource, MetricsServing, upstreamMetricsLayer, type MetricsEndpoint } from "./OtelMetricsLive.js";
