/**
 * Envoy Gateway's intermediate representation (upstream v1.9 `internal/ir`): the xds IR a
 * Gateway API translation produces for each proxy and the infra IR describing the proxy fleet,
 * with a codec that reads and writes upstream's JSON/YAML form, validation and ordering helpers.
 *
 * @packageDocumentation
 */
export type * from "./Common.js";
export type * from "./Destination.js";
export type * from "./Extension.js";
export type * from "./HealthCheck.js";
export type * from "./Infra.js";
export type * from "./IRTypeMap.js";
export type * from "./Json.js";
export type * from "./L4Route.js";
export type * from "./Listener.js";
export type * from "./LoadBalancer.js";
export type * from "./Match.js";
export type * from "./Observability.js";
export type * from "./PatchPolicy.js";
export type * from "./RateLimit.js";
export type * from "./ResponseOverride.js";
export type * from "./Route.js";
export type * from "./Security.js";
export type * from "./Tls.js";
export type * from "./Traffic.js";
export type * from "./Xds.js";
/** Envoy Gateway API (gateway.envoyproxy.io/v1alpha1) types that the IR embeds. */
export type * as egv1a1 from "./EnvoyGatewayApi.js";
/** Gateway API (gateway.networking.k8s.io/v1) types that the IR embeds. */
export type * as gwapiv1 from "./GatewayApi.js";

export {
  decodeInfra,
  decodeInfraIRMap,
  decodeIRValue,
  decodeXds,
  decodeXdsIRMap,
  encodeInfra,
  encodeInfraIRMap,
  encodeIRValue,
  encodeXds,
  encodeXdsIRMap,
  IRDecodeError,
  parseInfraYaml,
  parseXdsYaml,
  safeDecodeInfra,
  safeDecodeInfraIRMap,
  safeDecodeIRValue,
  safeDecodeXds,
  safeDecodeXdsIRMap,
  stringifyInfraYaml,
  stringifyXdsYaml,
  zeroIRValue,
} from "./IRCodec.js";
export type { DecodeResult, EncodeOptions, InfraIRMap, IRTypeName, ParseOptions, XdsIRMap } from "./IRCodec.js";
export { formatGoDuration, parseGoDuration } from "./GoDuration.js";
export {
  formatIRValidationError,
  IRValidationMessages,
  validateInfra,
  validateJSONPatchOperation,
  validateXds,
} from "./Validate.js";
export type { IRValidationCode, IRValidationError } from "./Validate.js";
export { irEqual } from "./Equality.js";
export { applyJsonPatchOperation, jsonPathToPointers, parseJsonPointer, type MutableJson } from "./JsonPatch.js";
export { entriesToMap, httpRouteLess, mapToEntries, sortHTTPRoutes, sortXdsRoutes } from "./Order.js";
export {
  backendWeights,
  cidrAddressPrefix,
  clusterFeatures,
  clusterTimeoutAsTimeout,
  DEFAULT_PROXY_NAME,
  destinationNeedsClusterPerSetting,
  findHTTPListener,
  findTCPListener,
  findUDPListener,
  geoIPRequirements,
  hasConnectUpgrade,
  hasMixedEndpoints,
  isDynamicResolverRoute,
  MAX_PORT,
  newInfra,
  proxyObjectName,
  rateLimitRuleHasMatch,
  routeNeedsClusterPerSetting,
  routeRetry,
  SYSTEM_TRUST_STORE_SECRET_NAME,
  sdsURL,
  timeoutClusterOnly,
  translateJSONPatchOp,
  unavailableWeight,
  usesClientIPGeoLocations,
} from "./IRQueries.js";
export type { GeoIPRequirements } from "./IRQueries.js";

/** The upstream Envoy Gateway version whose IR this package mirrors. */
export const IR_VERSION = "v1.9";
