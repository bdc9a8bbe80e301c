// Registers the upstream (cluster) admission control filter builder; it has no HCM part.
import { apiKeyAuthFilter } from "./ApiKeyAuth.js";
import { authorizationFilter } from "./Authorization.js";
import { bandwidthLimitFilter } from "./BandwidthLimit.js";
import { basicAuthFilter } from "./BasicAuth.js";
import { compressorFilter } from "./Compressor.js";
import { corsFilter } from "./Cors.js";
import { credentialInjectorFilter } from "./CredentialInjector.js";
import { csrfFilter } from "./Csrf.js";
import { customResponseFilter } from "./CustomResponse.js";
import { dynamicForwardProxyFilter } from "./DynamicForwardProxy.js";
import { dynamicModuleFilter } from "./DynamicModule.js";
import { extAuthFilter } from "./ExtAuth.js";
import { extProcFilter } from "./ExtProc.js";
import { faultFilter } from "./Fault.js";
import { geoIpFilter } from "./GeoIp.js";
import { headerMutationFilter } from "./HeaderMutation.js";
import { healthCheckFilter } from "./HealthCheck.js";
import type { HttpFilterModule } from "./HttpFilter.js";
import { jwtFilter } from "./Jwt.js";
import { luaFilter } from "./Lua.js";
import { oidcFilter } from "./Oidc.js";
import { globalRateLimitFilter, localRateLimitFilter } from "./RateLimit.js";
import { requestBufferFilter } from "./RequestBuffer.js";
import { sessionPersistenceFilter } from "./SessionPersistence.js";
import { wasmFilter } from "./Wasm.js";

export type { HttpFilterModule } from "./HttpFilter.js";
export { sortHttpFilters, filterPosition, isFilterType, hasHttpFilter } from "./HttpFilter.js";

/**
 * Every HTTP filter module, in upstream's registration order (its source files' alphabetical order:
 * api_key_auth, authorization, bandwidth_limit, basicauth, compressor, cors, credentialInjector, csrf,
 * custom_response, dynamic_forward_proxy, dynamicmodule, extauth, extproc, fault, geoip, header_mutation,
 * healthcheck, jwt, local_ratelimit, lua, oidc, request_buffer, session_persistence, wasm). The order decides
 * the order of the clusters and secrets the modules add. Add a module by importing it and listing it here.
 */
export const httpFilterModules: readonly HttpFilterModule[] = [
  apiKeyAuthFilter,
  authorizationFilter,
  bandwidthLimitFilter,
  basicAuthFilter,
  compressorFilter,
  corsFilter,
  credentialInjectorFilter,
  csrfFilter,
  customResponseFilter,
  dynamicForwardProxyFilter,
  dynamicModuleFilter,
  extAuthFilter,
  extProcFilter,
  faultFilter,
  geoIpFilter,
  headerMutationFilter,
  healthCheckFilter,
  jwtFilter,
  localRateLimitFilter,
  luaFilter,
  oidcFilter,
  requestBufferFilter,
  sessionPersistenceFilter,
  wasmFilter,
  // Upstream adds the global rate limit filter outside its registry, after every registered module.
  globalRateLimitFilter,
];
