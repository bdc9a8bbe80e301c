/**
 * Host infrastructure: runs one supervised Envoy process per Gateway (infra IR key) on the local host, with the
 * bootstrap @egts/bootstrap renders.
 *
 * @packageDocumentation
 */
export type { HostProxySettings, ProxyArgsResult } from "./ProxyArgs.js";
export { buildProxyArgs, envoyProxySpecOf, hashedName, hostBootstrapOptions } from "./ProxyArgs.js";
export type { BackoffPolicy, ProcessEvent, SupervisorOptions } from "./ProcessSupervisor.js";
export { ProcessSupervisor, backoffDelay, defaultBackoff } from "./ProcessSupervisor.js";
export type { HostPaths, HostPathSettings } from "./HostPaths.js";
export { certDirectory, hostPaths, writeSdsConfig } from "./HostPaths.js";
export type { HostInfraLogEntry, HostInfraOptions, ProxyResourceEvent, ProxyState } from "./HostInfra.js";
export { HostInfraManager, findEnvoyBinary } from "./HostInfra.js";
export type {
  RateLimitBackendSettings,
  RateLimitServiceHandle,
  RateLimitServiceLogEntry,
  RateLimitServiceOptions,
  RateLimitServiceSettings,
} from "./RateLimitService.js";
export { RATE_LIMIT_SERVICE_NODE_ID, rateLimitHostProblem, rateLimitServiceEnv, startRateLimitService } from "./RateLimitService.js";
