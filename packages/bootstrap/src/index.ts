/**
 * Envoy's bootstrap as upstream Envoy Gateway renders it (internal/xds/bootstrap): rendering, an EnvoyProxy's
 * bootstrap customization, and upstream's checks of it. Pure: used by the translators, the CLI and the
 * infrastructure managers alike.
 *
 * @packageDocumentation
 */
export type { BootstrapOptions, MetricSink, StatsMatcher } from "./Bootstrap.js";
export { metricSinksOf } from "./MetricSinks.js";
export {
  DEFAULT_XDS_SERVER_PORT,
  ENVOY_ADMIN_ADDRESS,
  ENVOY_ADMIN_ADDRESS_V6,
  ENVOY_ADMIN_PORT,
  ENVOY_READINESS_PATH,
  ENVOY_READINESS_PORT,
  ENVOY_STATS_PORT,
  SDS_CERTIFICATE_FILENAME,
  SDS_TRUSTED_CA_FILENAME,
  renderBootstrap,
  renderBootstrapYaml,
} from "./Bootstrap.js";
export type { BootstrapMergeResult } from "./BootstrapMerge.js";
export { mergeBootstrap } from "./BootstrapMerge.js";
export type { BootstrapApplyResult, ProxyBootstrapConfig } from "./BootstrapConfig.js";
export { applyBootstrapConfig, bootstrapConfigProblem, checkedBootstrapJson } from "./BootstrapConfig.js";
export type { ProxyMetrics, ProxyMetricsMatch, ProxyOpenTelemetrySink, RenderBootstrapOptions, ResolvedBootstrapOptions } from "./RenderOptions.js";
export { resolveBootstrapOptions, statsMatcherOf } from "./RenderOptions.js";
export type { JsonPatchOperation } from "./internal/JsonPatch.js";
export { applyJsonPatch } from "./internal/JsonPatch.js";
