/**
 * Host infrastructure: renders Envoy's bootstrap as upstream Envoy Gateway does and runs one supervised Envoy
 * process per Gateway (infra IR key) on the local host.
 *
 * @packageDocumentation
 */
// Bootstrap rendering lives in @egts/bootstrap (pure, shared with the translators and egctl); re-exported here
// for existing users of this package.
export type { BootstrapOptions, MetricSink, StatsMatcher } from "@egts/bootstrap";
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
} from "@egts/bootstrap";
export type { BootstrapMergeResult } from "@egts/bootstrap";
export { mergeBootstrap } from "@egts/bootstrap";
export type { HostProxySettings, ProxyArgsResult } from "./ProxyArgs.js";
export { buildProxyArgs, envoyProxySpecOf, hashedName, hostBootstrapOptions, metricSinksOf } from "./ProxyArgs.js";
export type { BackoffPolicy, ProcessEvent, SupervisorOptions } from "./ProcessSupervisor.js";
export { ProcessSupervisor, backoffDelay, defaultBackoff } from "./ProcessSupervisor.js";
export type { HostPaths, HostPathSettings } from "./HostPaths.js";
export { certDirectory, hostPaths, writeSdsConfig } from "./HostPaths.js";
export type { HostInfraLogEntry, HostInfraOptions, ProxyState } from "./HostInfra.js";
export { HostInfraManager, findEnvoyBinary } from "./HostInfra.js";
