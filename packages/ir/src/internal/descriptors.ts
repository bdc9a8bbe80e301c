// Field descriptors for every IR type: one descriptor per type drives decode, encode and zero values.
// Written mechanically from the field lists of upstream's IR structs (JSON names, pointer/omitempty),
// then kept in step with upstream by hand. Field order follows upstream, so encoded JSON does too.
import * as c from "./codec.js";
import type { IRTypeMap } from "../IRTypeMap.js";
import type * as egv1a1 from "../EnvoyGatewayApi.js";
import type * as gwapiv1 from "../GatewayApi.js";
import type { CustomTagMapEntry, MapEntry, PolicyMetadata, PrivateBytes, ResourceMetadata, UnstructuredRef } from "../Common.js";
import type { GeoIPMaxMindProvider, GeoIPProvider, GlobalResources, Xds } from "../Xds.js";
import type {
  ClientIPDetectionSettings,
  ClientTimeout,
  CoreListenerDetails,
  GRPCSettings,
  HTTP10Settings,
  HTTP1Settings,
  HTTP2KeepaliveSettings,
  HTTP2Settings,
  HTTPClientTimeout,
  HTTPListener,
  HeaderSettings,
  HealthCheckSettings,
  HostSettings,
  PathEscapedSlashAction,
  PathSettings,
  ProxyProtocolSettings,
  ReadyListener,
  RequestIDAction,
  RequestIDExtensionAction,
  TCPClientTimeout,
  TCPListener,
  UDPListener,
  WithUnderscoresAction,
  XForwardedClientCert,
} from "../Listener.js";
import type {
  SDSConfig,
  SubjectAltName,
  TLSCACertificate,
  TLSCertificate,
  TLSConfig,
  TLSCrl,
  TLSFingerprintType,
  TLSUpstreamConfig,
  TLSVersion,
} from "../Tls.js";
import type {
  AppProtocol,
  BackendCluster,
  BackendClusterRef,
  BackendWeights,
  DestinationAddressType,
  DestinationEndpoint,
  DestinationFilters,
  DestinationSetting,
  MirrorPolicy,
  ProxyProtocol,
  ProxyProtocolVersion,
  RouteDestination,
} from "../Destination.js";
import type {
  CredentialInjection,
  CustomResponse,
  CustomResponseMatch,
  ResponseOverride,
  ResponseOverrideRule,
  StatusCodeMatch,
  StatusCodeRange,
} from "../ResponseOverride.js";
import type { AddHeader, ExtendedHTTPPathModifier, HTTPHostModifier, HTTPPathModifier, HTTPRoute, Redirect, URLRewrite } from "../Route.js";
import type {
  AdmissionControl,
  AdmissionControlSuccessCriteria,
  BackOffPolicy,
  BackendConnection,
  BackendMetrics,
  BackendTelemetry,
  BackendTracing,
  CircuitBreaker,
  ClientConnection,
  ClusterHTTPTimeout,
  ClusterTimeout,
  ClusterTrafficFeatures,
  Compression,
  ConnectConfig,
  ConnectionLimit,
  CookieBasedSessionPersistence,
  DNS,
  FaultInjection,
  FaultInjectionAbort,
  FaultInjectionDelay,
  GRPCSuccessCriteria,
  HTTPSuccessCriteria,
  HTTPTimeout,
  HTTPUpgradeConfig,
  HeaderBasedSessionPersistence,
  PerEndpointCircuitBreakers,
  PerRetryPolicy,
  Preconnect,
  RequestBuffer,
  Retry,
  RetryBudget,
  RetryOn,
  SessionPersistence,
  TCPKeepalive,
  TCPTimeout,
  Timeout,
  TrafficFeatures,
  TriggerEnum,
} from "../Traffic.js";
import type {
  APIKeyAuth,
  APIKeyCredential,
  Authorization,
  AuthorizationRule,
  BasicAuth,
  BodyToExtAuth,
  CORS,
  CSRF,
  ContextExtention,
  EnvoyExtensionFeatures,
  ExtAuth,
  ExtractFrom,
  GRPCExtAuthService,
  HTTPExtAuthService,
  JWT,
  JWTProvider,
  OIDC,
  OIDCProvider,
  Principal,
  RemoteJWKS,
  SecurityFeatures,
} from "../Security.js";
import type { CIDRMatch, QueryParamMatch, RegexMatchReplace, StringMatch } from "../Match.js";
import type { TCPRoute, TLS, TLSInspectorConfig, UDPRoute } from "../L4Route.js";
import type {
  BandwidthLimit,
  BandwidthLimitConfig,
  BandwidthLimitResponseTrailers,
  GlobalRateLimit,
  LocalRateLimit,
  RateLimit,
  RateLimitCost,
  RateLimitRule,
  RateLimitUnit,
  RateLimitValue,
  RateLimitValueMetadata,
} from "../RateLimit.js";
import type {
  ALSAccessLog,
  ALSAccessLogHTTP,
  AccessLog,
  JSONAccessLog,
  Metrics,
  OpenTelemetryAccessLog,
  ProxyAccessLogType,
  TextAccessLog,
  Tracing,
} from "../Observability.js";
import type { EnvoyPatchPolicy, EnvoyPatchPolicyStatus, JSONPatchConfig, JSONPatchOp, JSONPatchOperation } from "../PatchPolicy.js";
import type {
  BackendUtilization,
  ConsistentHash,
  EndpointOverride,
  EndpointOverrideExtractFrom,
  ForceLocalZone,
  LeastRequest,
  LoadBalancer,
  LoadBalancerType,
  OutOfBandReporting,
  PreferLocalZone,
  Random,
  RoundRobin,
  SlowStart,
  WeightedZoneConfig,
} from "../LoadBalancer.js";
import type {
  ActiveHealthCheck,
  FileEnvoyProxyHealthCheckLog,
  GRPCHealthChecker,
  HTTPHealthChecker,
  HTTPStatus,
  HealthCheck,
  HealthCheckOverrides,
  HealthCheckPayload,
  OutlierDetection,
  ProxyHealthCheckLog,
  TCPHealthChecker,
} from "../HealthCheck.js";
import type { DynamicModule, ExtProc, ExtProcBodyProcessingMode, HTTPWasmCode, Lua, RemoteDynamicModuleSource, Wasm } from "../Extension.js";
import type { HTTP3Settings, Infra, InfraMetadata, ListenerPort, ProtocolType, ProxyInfra, ProxyListener, ResolvedMetricSink } from "../Infra.js";

const gw_HTTPHeader_fields = c.fields<gwapiv1.HTTPHeader>({
  name: c.req(c.str),
  value: c.req(c.str),
});
const gw_HTTPHeader = c.struct<gwapiv1.HTTPHeader>("HTTPHeader", gw_HTTPHeader_fields);

const gw_Fraction_fields = c.fields<gwapiv1.Fraction>({
  numerator: c.req(c.int32),
  denominator: c.ptr(c.int32),
});
const gw_Fraction = c.struct<gwapiv1.Fraction>("Fraction", gw_Fraction_fields);

const gw_BackendObjectReference_fields = c.fields<gwapiv1.BackendObjectReference>({
  group: c.ptr(c.str),
  kind: c.ptr(c.str),
  name: c.req(c.str),
  namespace: c.ptr(c.str),
  port: c.ptr(c.int32),
});
const gw_BackendObjectReference = c.struct<gwapiv1.BackendObjectReference>("BackendObjectReference", gw_BackendObjectReference_fields);

const eg_TriggerEnum = c.literal<egv1a1.TriggerEnum>([
  "5xx",
  "gateway-error",
  "reset",
  "reset-before-request",
  "connect-failure",
  "retriable-4xx",
  "refused-stream",
  "retriable-status-codes",
  "cancelled",
  "deadline-exceeded",
  "internal",
  "resource-exhausted",
  "unavailable",
]);

const eg_QueryParam_fields = c.fields<egv1a1.QueryParam>({
  name: c.req(c.str),
});
const eg_QueryParam = c.struct<egv1a1.QueryParam>("QueryParam", eg_QueryParam_fields);

const eg_Cookie_fields = c.fields<egv1a1.Cookie>({
  name: c.req(c.str),
  ttl: c.ptr(c.str),
  attributes: c.opt(c.record(c.str)),
});
const eg_Cookie = c.struct<egv1a1.Cookie>("Cookie", eg_Cookie_fields);

const eg_Header_fields = c.fields<egv1a1.Header>({
  name: c.req(c.str),
});
const eg_Header = c.struct<egv1a1.Header>("Header", eg_Header_fields);

const eg_TracingSpanName_fields = c.fields<egv1a1.TracingSpanName>({
  client: c.req(c.str),
  server: c.req(c.str),
});
const eg_TracingSpanName = c.struct<egv1a1.TracingSpanName>("TracingSpanName", eg_TracingSpanName_fields);

const eg_BackendRef_fields = c.fields<egv1a1.BackendRef>({
  ...gw_BackendObjectReference_fields,
  weight: c.ptr(c.uint32),
  fallback: c.ptr(c.bool),
});
const eg_BackendRef = c.struct<egv1a1.BackendRef>("BackendRef", eg_BackendRef_fields);

const eg_LoadBalancerType = c.literal<egv1a1.LoadBalancerType>([
  "ConsistentHash",
  "LeastRequest",
  "Random",
  "RoundRobin",
  "BackendUtilization",
  "DynamicModule",
]);

const eg_ConsistentHashType = c.literal<egv1a1.ConsistentHashType>(["SourceIP", "Header", "Headers", "Cookie", "QueryParams"]);

const eg_ConsistentHash_fields = c.fields<egv1a1.ConsistentHash>({
  type: c.req(eg_ConsistentHashType),
  header: c.ptr(eg_Header),
  headers: c.opt(c.array(eg_Header)),
  cookie: c.ptr(eg_Cookie),
  queryParams: c.opt(c.array(eg_QueryParam)),
  tableSize: c.ptr(c.uint64),
});
const eg_ConsistentHash = c.struct<egv1a1.ConsistentHash>("ConsistentHash", eg_ConsistentHash_fields);

const eg_OutOfBandReporting_fields = c.fields<egv1a1.OutOfBandReporting>({
  reportingPeriod: c.ptr(c.str),
  port: c.ptr(c.int32),
  authority: c.ptr(c.str),
});
const eg_OutOfBandReporting = c.struct<egv1a1.OutOfBandReporting>("OutOfBandReporting", eg_OutOfBandReporting_fields);

const eg_BackendUtilization_fields = c.fields<egv1a1.BackendUtilization>({
  blackoutPeriod: c.ptr(c.str),
  weightExpirationPeriod: c.ptr(c.str),
  weightUpdatePeriod: c.ptr(c.str),
  errorUtilizationPenaltyPercent: c.ptr(c.uint32),
  metricNamesForComputingUtilization: c.opt(c.array(c.str)),
  keepResponseHeaders: c.ptr(c.bool),
  outOfBand: c.ptr(eg_OutOfBandReporting),
});
const eg_BackendUtilization = c.struct<egv1a1.BackendUtilization>("BackendUtilization", eg_BackendUtilization_fields);

const eg_DynamicModuleLBPolicy_fields = c.fields<egv1a1.DynamicModuleLBPolicy>({
  name: c.req(c.str),
  lbPolicyName: c.req(c.str),
  config: c.ptr(c.json),
});
const eg_DynamicModuleLBPolicy = c.struct<egv1a1.DynamicModuleLBPolicy>("DynamicModuleLBPolicy", eg_DynamicModuleLBPolicy_fields);

const eg_EndpointOverrideExtractFrom_fields = c.fields<egv1a1.EndpointOverrideExtractFrom>({
  header: c.ptr(c.str),
});
const eg_EndpointOverrideExtractFrom = c.struct<egv1a1.EndpointOverrideExtractFrom>("EndpointOverrideExtractFrom", eg_EndpointOverrideExtractFrom_fields);

const eg_EndpointOverride_fields = c.fields<egv1a1.EndpointOverride>({
  extractFrom: c.nul(c.array(eg_EndpointOverrideExtractFrom)),
});
const eg_EndpointOverride = c.struct<egv1a1.EndpointOverride>("EndpointOverride", eg_EndpointOverride_fields);

const eg_SlowStart_fields = c.fields<egv1a1.SlowStart>({
  window: c.nul(c.str),
});
const eg_SlowStart = c.struct<egv1a1.SlowStart>("SlowStart", eg_SlowStart_fields);

const eg_ForceLocalZone_fields = c.fields<egv1a1.ForceLocalZone>({
  minEndpointsInZoneThreshold: c.ptr(c.uint32),
});
const eg_ForceLocalZone = c.struct<egv1a1.ForceLocalZone>("ForceLocalZone", eg_ForceLocalZone_fields);

const eg_PreferLocalZone_fields = c.fields<egv1a1.PreferLocalZone>({
  force: c.ptr(eg_ForceLocalZone),
  minEndpointsThreshold: c.ptr(c.uint64),
  percentageEnabled: c.ptr(c.uint32),
});
const eg_PreferLocalZone = c.struct<egv1a1.PreferLocalZone>("PreferLocalZone", eg_PreferLocalZone_fields);

const eg_WeightedZoneConfig_fields = c.fields<egv1a1.WeightedZoneConfig>({
  zone: c.req(c.str),
  weight: c.req(c.uint32),
});
const eg_WeightedZoneConfig = c.struct<egv1a1.WeightedZoneConfig>("WeightedZoneConfig", eg_WeightedZoneConfig_fields);

const eg_ZoneAware_fields = c.fields<egv1a1.ZoneAware>({
  preferLocal: c.ptr(eg_PreferLocalZone),
  weightedZones: c.opt(c.array(eg_WeightedZoneConfig)),
});
const eg_ZoneAware = c.struct<egv1a1.ZoneAware>("ZoneAware", eg_ZoneAware_fields);

const eg_LoadBalancer_fields = c.fields<egv1a1.LoadBalancer>({
  type: c.req(eg_LoadBalancerType),
  consistentHash: c.ptr(eg_ConsistentHash),
  backendUtilization: c.ptr(eg_BackendUtilization),
  dynamicModule: c.ptr(eg_DynamicModuleLBPolicy),
  endpointOverride: c.ptr(eg_EndpointOverride),
  slowStart: c.ptr(eg_SlowStart),
  zoneAware: c.ptr(eg_ZoneAware),
});
const eg_LoadBalancer = c.struct<egv1a1.LoadBalancer>("LoadBalancer", eg_LoadBalancer_fields);

const eg_HTTPStatus: c.Codec<egv1a1.HTTPStatus> = c.int64;

const eg_RetryOn_fields = c.fields<egv1a1.RetryOn>({
  triggers: c.opt(c.array(eg_TriggerEnum)),
  httpStatusCodes: c.opt(c.array(eg_HTTPStatus)),
});
const eg_RetryOn = c.struct<egv1a1.RetryOn>("RetryOn", eg_RetryOn_fields);

const eg_BackOffPolicy_fields = c.fields<egv1a1.BackOffPolicy>({
  baseInterval: c.ptr(c.str),
  maxInterval: c.ptr(c.str),
});
const eg_BackOffPolicy = c.struct<egv1a1.BackOffPolicy>("BackOffPolicy", eg_BackOffPolicy_fields);

const eg_PerRetryPolicy_fields = c.fields<egv1a1.PerRetryPolicy>({
  timeout: c.ptr(c.str),
  backOff: c.ptr(eg_BackOffPolicy),
});
const eg_PerRetryPolicy = c.struct<egv1a1.PerRetryPolicy>("PerRetryPolicy", eg_PerRetryPolicy_fields);

const eg_Retry_fields = c.fields<egv1a1.Retry>({
  numRetries: c.ptr(c.int32),
  numAttemptsPerPriority: c.ptr(c.int32),
  retryOn: c.ptr(eg_RetryOn),
  perRetry: c.ptr(eg_PerRetryPolicy),
});
const eg_Retry = c.struct<egv1a1.Retry>("Retry", eg_Retry_fields);

const eg_ProxyProtocolVersion = c.literal<egv1a1.ProxyProtocolVersion>(["V1", "V2"]);

const eg_ProxyProtocol_fields = c.fields<egv1a1.ProxyProtocol>({
  version: c.req(eg_ProxyProtocolVersion),
});
const eg_ProxyProtocol = c.struct<egv1a1.ProxyProtocol>("ProxyProtocol", eg_ProxyProtocol_fields);

const eg_TCPKeepalive_fields = c.fields<egv1a1.TCPKeepalive>({
  probes: c.ptr(c.uint32),
  idleTime: c.ptr(c.str),
  interval: c.ptr(c.str),
});
const eg_TCPKeepalive = c.struct<egv1a1.TCPKeepalive>("TCPKeepalive", eg_TCPKeepalive_fields);

const eg_ActiveHealthCheckerType = c.literal<egv1a1.ActiveHealthCheckerType>(["HTTP", "TCP", "GRPC"]);

const eg_ActiveHealthCheckPayloadType = c.literal<egv1a1.ActiveHealthCheckPayloadType>(["Text", "Binary"]);

const eg_ActiveHealthCheckPayload_fields = c.fields<egv1a1.ActiveHealthCheckPayload>({
  type: c.req(eg_ActiveHealthCheckPayloadType),
  text: c.ptr(c.str),
  binary: c.opt(c.bytes),
});
const eg_ActiveHealthCheckPayload = c.struct<egv1a1.ActiveHealthCheckPayload>("ActiveHealthCheckPayload", eg_ActiveHealthCheckPayload_fields);

const eg_HTTPActiveHealthChecker_fields = c.fields<egv1a1.HTTPActiveHealthChecker>({
  hostname: c.ptr(c.str),
  path: c.req(c.str),
  method: c.ptr(c.str),
  expectedStatuses: c.opt(c.array(eg_HTTPStatus)),
  retriableStatuses: c.opt(c.array(eg_HTTPStatus)),
  expectedResponse: c.ptr(eg_ActiveHealthCheckPayload),
  requestBody: c.ptr(eg_ActiveHealthCheckPayload),
});
const eg_HTTPActiveHealthChecker = c.struct<egv1a1.HTTPActiveHealthChecker>("HTTPActiveHealthChecker", eg_HTTPActiveHealthChecker_fields);

const eg_TCPActiveHealthChecker_fields = c.fields<egv1a1.TCPActiveHealthChecker>({
  send: c.ptr(eg_ActiveHealthCheckPayload),
  receive: c.ptr(eg_ActiveHealthCheckPayload),
});
const eg_TCPActiveHealthChecker = c.struct<egv1a1.TCPActiveHealthChecker>("TCPActiveHealthChecker", eg_TCPActiveHealthChecker_fields);

const eg_GRPCActiveHealthChecker_fields = c.fields<egv1a1.GRPCActiveHealthChecker>({
  service: c.ptr(c.str),
});
const eg_GRPCActiveHealthChecker = c.struct<egv1a1.GRPCActiveHealthChecker>("GRPCActiveHealthChecker", eg_GRPCActiveHealthChecker_fields);

const eg_HealthCheckOverrides_fields = c.fields<egv1a1.HealthCheckOverrides>({
  port: c.opt(c.int32),
});
const eg_HealthCheckOverrides = c.struct<egv1a1.HealthCheckOverrides>("HealthCheckOverrides", eg_HealthCheckOverrides_fields);

const eg_ProxyHealthCheckLogSinkType = c.literal<egv1a1.ProxyHealthCheckLogSinkType>(["File"]);

const eg_FileEnvoyProxyHealthCheckLog_fields = c.fields<egv1a1.FileEnvoyProxyHealthCheckLog>({
  path: c.req(c.str),
});
const eg_FileEnvoyProxyHealthCheckLog = c.struct<egv1a1.FileEnvoyProxyHealthCheckLog>("FileEnvoyProxyHealthCheckLog", eg_FileEnvoyProxyHealthCheckLog_fields);

const eg_ProxyHealthCheckLogSink_fields = c.fields<egv1a1.ProxyHealthCheckLogSink>({
  type: c.req(eg_ProxyHealthCheckLogSinkType),
  file: c.ptr(eg_FileEnvoyProxyHealthCheckLog),
});
const eg_ProxyHealthCheckLogSink = c.struct<egv1a1.ProxyHealthCheckLogSink>("ProxyHealthCheckLogSink", eg_ProxyHealthCheckLogSink_fields);

const eg_ProxyHealthCheckLogEventType = c.literal<egv1a1.ProxyHealthCheckLogEventType>(["Failure", "FailureSeriesStart", "Success", "HealthyTransition"]);

const eg_ProxyHealthCheckLog_fields = c.fields<egv1a1.ProxyHealthCheckLog>({
  sinks: c.opt(c.array(eg_ProxyHealthCheckLogSink)),
  matches: c.opt(c.array(eg_ProxyHealthCheckLogEventType)),
});
const eg_ProxyHealthCheckLog = c.struct<egv1a1.ProxyHealthCheckLog>("ProxyHealthCheckLog", eg_ProxyHealthCheckLog_fields);

const eg_ActiveHealthCheck_fields = c.fields<egv1a1.ActiveHealthCheck>({
  timeout: c.nul(c.str),
  interval: c.nul(c.str),
  initialJitter: c.ptr(c.str),
  unhealthyThreshold: c.nul(c.uint32),
  healthyThreshold: c.nul(c.uint32),
  type: c.req(eg_ActiveHealthCheckerType),
  http: c.ptr(eg_HTTPActiveHealthChecker),
  tcp: c.ptr(eg_TCPActiveHealthChecker),
  grpc: c.ptr(eg_GRPCActiveHealthChecker),
  overrides: c.ptr(eg_HealthCheckOverrides),
  healthCheckLog: c.ptr(eg_ProxyHealthCheckLog),
});
const eg_ActiveHealthCheck = c.struct<egv1a1.ActiveHealthCheck>("ActiveHealthCheck", eg_ActiveHealthCheck_fields);

const eg_PassiveHealthCheck_fields = c.fields<egv1a1.PassiveHealthCheck>({
  splitExternalLocalOriginErrors: c.ptr(c.bool),
  interval: c.ptr(c.str),
  consecutiveLocalOriginFailures: c.ptr(c.uint32),
  consecutiveGatewayErrors: c.ptr(c.uint32),
  consecutive5XxErrors: c.ptr(c.uint32),
  baseEjectionTime: c.ptr(c.str),
  maxEjectionPercent: c.ptr(c.int32),
  failurePercentageThreshold: c.ptr(c.uint32),
  alwaysEjectOneEndpoint: c.ptr(c.bool),
});
const eg_PassiveHealthCheck = c.struct<egv1a1.PassiveHealthCheck>("PassiveHealthCheck", eg_PassiveHealthCheck_fields);

const eg_HealthCheck_fields = c.fields<egv1a1.HealthCheck>({
  active: c.ptr(eg_ActiveHealthCheck),
  passive: c.ptr(eg_PassiveHealthCheck),
  panicThreshold: c.ptr(c.uint32),
});
const eg_HealthCheck = c.struct<egv1a1.HealthCheck>("HealthCheck", eg_HealthCheck_fields);

const eg_PerEndpointCircuitBreakers_fields = c.fields<egv1a1.PerEndpointCircuitBreakers>({
  maxConnections: c.ptr(c.int64),
});
const eg_PerEndpointCircuitBreakers = c.struct<egv1a1.PerEndpointCircuitBreakers>("PerEndpointCircuitBreakers", eg_PerEndpointCircuitBreakers_fields);

const eg_RetryBudget_fields = c.fields<egv1a1.RetryBudget>({
  percent: c.req(gw_Fraction),
  minRetryConcurrency: c.ptr(c.uint32),
});
const eg_RetryBudget = c.struct<egv1a1.RetryBudget>("RetryBudget", eg_RetryBudget_fields);

const eg_CircuitBreaker_fields = c.fields<egv1a1.CircuitBreaker>({
  maxConnections: c.ptr(c.int64),
  maxPendingRequests: c.ptr(c.int64),
  maxParallelRequests: c.ptr(c.int64),
  maxParallelRetries: c.ptr(c.int64),
  maxRequestsPerConnection: c.ptr(c.int64),
  perEndpoint: c.ptr(eg_PerEndpointCircuitBreakers),
  retryBudget: c.ptr(eg_RetryBudget),
});
const eg_CircuitBreaker = c.struct<egv1a1.CircuitBreaker>("CircuitBreaker", eg_CircuitBreaker_fields);

const eg_TCPTimeout_fields = c.fields<egv1a1.TCPTimeout>({
  connectTimeout: c.ptr(c.str),
});
const eg_TCPTimeout = c.struct<egv1a1.TCPTimeout>("TCPTimeout", eg_TCPTimeout_fields);

const eg_HTTPTimeout_fields = c.fields<egv1a1.HTTPTimeout>({
  connectionIdleTimeout: c.ptr(c.str),
  maxConnectionDuration: c.ptr(c.str),
  requestTimeout: c.ptr(c.str),
  maxStreamDuration: c.ptr(c.str),
  streamIdleTimeout: c.ptr(c.str),
});
const eg_HTTPTimeout = c.struct<egv1a1.HTTPTimeout>("HTTPTimeout", eg_HTTPTimeout_fields);

const eg_Timeout_fields = c.fields<egv1a1.Timeout>({
  tcp: c.ptr(eg_TCPTimeout),
  http: c.ptr(eg_HTTPTimeout),
});
const eg_Timeout = c.struct<egv1a1.Timeout>("Timeout", eg_Timeout_fields);

const eg_PreconnectPolicy_fields = c.fields<egv1a1.PreconnectPolicy>({
  perEndpointPercent: c.ptr(c.uint32),
  predictivePercent: c.ptr(c.uint32),
});
const eg_PreconnectPolicy = c.struct<egv1a1.PreconnectPolicy>("PreconnectPolicy", eg_PreconnectPolicy_fields);

const eg_BackendConnection_fields = c.fields<egv1a1.BackendConnection>({
  bufferLimit: c.ptr(c.quantity),
  socketBufferLimit: c.ptr(c.quantity),
  preconnect: c.ptr(eg_PreconnectPolicy),
});
const eg_BackendConnection = c.struct<egv1a1.BackendConnection>("BackendConnection", eg_BackendConnection_fields);

const eg_DNSLookupFamily = c.literal<egv1a1.DNSLookupFamily>(["IPv4", "IPv6", "IPv4Preferred", "IPv6Preferred", "IPv4AndIPv6"]);

const eg_DNS_fields = c.fields<egv1a1.DNS>({
  dnsRefreshRate: c.ptr(c.str),
  respectDnsTtl: c.ptr(c.bool),
  lookupFamily: c.ptr(eg_DNSLookupFamily),
});
const eg_DNS = c.struct<egv1a1.DNS>("DNS", eg_DNS_fields);

const eg_InvalidMessageAction = c.literal<egv1a1.InvalidMessageAction>(["TerminateConnection", "TerminateStream"]);

const eg_HTTP2KeepaliveSettings_fields = c.fields<egv1a1.HTTP2KeepaliveSettings>({
  interval: c.ptr(c.str),
  timeout: c.ptr(c.str),
  intervalJitter: c.ptr(c.uint32),
  idleInterval: c.ptr(c.str),
});
const eg_HTTP2KeepaliveSettings = c.struct<egv1a1.HTTP2KeepaliveSettings>("HTTP2KeepaliveSettings", eg_HTTP2KeepaliveSettings_fields);

const eg_HTTP2Settings_fields = c.fields<egv1a1.HTTP2Settings>({
  initialStreamWindowSize: c.ptr(c.quantity),
  initialConnectionWindowSize: c.ptr(c.quantity),
  maxConcurrentStreams: c.ptr(c.uint32),
  onInvalidMessage: c.ptr(eg_InvalidMessageAction),
  connectionKeepalive: c.ptr(eg_HTTP2KeepaliveSettings),
});
const eg_HTTP2Settings = c.struct<egv1a1.HTTP2Settings>("HTTP2Settings", eg_HTTP2Settings_fields);

const eg_ClusterSettings_fields = c.fields<egv1a1.ClusterSettings>({
  loadBalancer: c.ptr(eg_LoadBalancer),
  retry: c.ptr(eg_Retry),
  proxyProtocol: c.ptr(eg_ProxyProtocol),
  tcpKeepalive: c.ptr(eg_TCPKeepalive),
  healthCheck: c.ptr(eg_HealthCheck),
  circuitBreaker: c.ptr(eg_CircuitBreaker),
  timeout: c.ptr(eg_Timeout),
  connection: c.ptr(eg_BackendConnection),
  dns: c.ptr(eg_DNS),
  http2: c.ptr(eg_HTTP2Settings),
});
const eg_ClusterSettings = c.struct<egv1a1.ClusterSettings>("ClusterSettings", eg_ClusterSettings_fields);

const eg_BackendCluster_fields = c.fields<egv1a1.BackendCluster>({
  backendRef: c.ptr(gw_BackendObjectReference),
  backendRefs: c.opt(c.array(eg_BackendRef)),
  backendSettings: c.ptr(eg_ClusterSettings),
});

const eg_TracingProviderType = c.literal<egv1a1.TracingProviderType>(["OpenTelemetry", "Zipkin", "Datadog"]);

const eg_ZipkinTracingProvider_fields = c.fields<egv1a1.ZipkinTracingProvider>({
  enable128BitTraceId: c.ptr(c.bool),
  disableSharedSpanContext: c.ptr(c.bool),
});
const eg_ZipkinTracingProvider = c.struct<egv1a1.ZipkinTracingProvider>("ZipkinTracingProvider", eg_ZipkinTracingProvider_fields);

const eg_OTelSamplerType = c.literal<egv1a1.OTelSamplerType>([
  "AlwaysOn",
  "AlwaysOff",
  "TraceIdRatio",
  "ParentBasedAlwaysOn",
  "ParentBasedAlwaysOff",
  "ParentBasedTraceIdRatio",
]);

const eg_OTelSampler_fields = c.fields<egv1a1.OTelSampler>({
  type: c.req(eg_OTelSamplerType),
  samplingPercentage: c.ptr(gw_Fraction),
});
const eg_OTelSampler = c.struct<egv1a1.OTelSampler>("OTelSampler", eg_OTelSampler_fields);

const eg_OpenTelemetryTracingProvider_fields = c.fields<egv1a1.OpenTelemetryTracingProvider>({
  headers: c.opt(c.array(gw_HTTPHeader)),
  resourceAttributes: c.opt(c.record(c.str)),
  sampler: c.ptr(eg_OTelSampler),
});
const eg_OpenTelemetryTracingProvider = c.struct<egv1a1.OpenTelemetryTracingProvider>("OpenTelemetryTracingProvider", eg_OpenTelemetryTracingProvider_fields);

const eg_TracingProvider_fields = c.fields<egv1a1.TracingProvider>({
  ...eg_BackendCluster_fields,
  type: c.req(eg_TracingProviderType),
  host: c.ptr(c.str),
  port: c.opt(c.int32),
  serviceName: c.ptr(c.str),
  zipkin: c.ptr(eg_ZipkinTracingProvider),
  openTelemetry: c.ptr(eg_OpenTelemetryTracingProvider),
});
const eg_TracingProvider = c.struct<egv1a1.TracingProvider>("TracingProvider", eg_TracingProvider_fields);

const eg_ALSEnvoyProxyAccessLogType = c.literal<egv1a1.ALSEnvoyProxyAccessLogType>(["HTTP", "TCP"]);

const eg_IPFamily = c.literal<egv1a1.IPFamily>(["IPv4", "IPv6", "DualStack"]);

const eg_XRateLimitHeadersOption = c.literal<egv1a1.XRateLimitHeadersOption>(["Off", "DraftVersion03"]);

const eg_GeoIPAnonymousMatch_fields = c.fields<egv1a1.GeoIPAnonymousMatch>({
  isAnonymous: c.ptr(c.bool),
  isVPN: c.ptr(c.bool),
  isHosting: c.ptr(c.bool),
  isTor: c.ptr(c.bool),
  isProxy: c.ptr(c.bool),
});
const eg_GeoIPAnonymousMatch = c.struct<egv1a1.GeoIPAnonymousMatch>("GeoIPAnonymousMatch", eg_GeoIPAnonymousMatch_fields);

const eg_ClientIPGeoLocation_fields = c.fields<egv1a1.ClientIPGeoLocation>({
  country: c.ptr(c.str),
  region: c.ptr(c.str),
  city: c.ptr(c.str),
  asn: c.ptr(c.uint32),
  isp: c.ptr(c.str),
  anonymous: c.ptr(eg_GeoIPAnonymousMatch),
});
const eg_ClientIPGeoLocation = c.struct<egv1a1.ClientIPGeoLocation>("ClientIPGeoLocation", eg_ClientIPGeoLocation_fields);

const eg_AuthorizationHeaderMatch_fields = c.fields<egv1a1.AuthorizationHeaderMatch>({
  name: c.req(c.str),
  values: c.nul(c.array(c.str)),
});
const eg_AuthorizationHeaderMatch = c.struct<egv1a1.AuthorizationHeaderMatch>("AuthorizationHeaderMatch", eg_AuthorizationHeaderMatch_fields);

const eg_JWTClaimValueType = c.literal<egv1a1.JWTClaimValueType>(["String", "StringArray"]);

const eg_JWTClaim_fields = c.fields<egv1a1.JWTClaim>({
  name: c.req(c.str),
  valueType: c.ptr(eg_JWTClaimValueType),
  values: c.nul(c.array(c.str)),
});
const eg_JWTClaim = c.struct<egv1a1.JWTClaim>("JWTClaim", eg_JWTClaim_fields);

const eg_JWTScope: c.Codec<egv1a1.JWTScope> = c.str;

const eg_JWTPrincipal_fields = c.fields<egv1a1.JWTPrincipal>({
  provider: c.req(c.str),
  claims: c.opt(c.array(eg_JWTClaim)),
  scopes: c.opt(c.array(eg_JWTScope)),
});
const eg_JWTPrincipal = c.struct<egv1a1.JWTPrincipal>("JWTPrincipal", eg_JWTPrincipal_fields);

const eg_PathMatch_fields = c.fields<egv1a1.PathMatch>({
  type: c.ptr(c.literal<gwapiv1.PathMatchType>(["Exact", "PathPrefix", "RegularExpression"])),
  value: c.req(c.str),
  invert: c.ptr(c.bool),
});
const eg_PathMatch = c.struct<egv1a1.PathMatch>("PathMatch", eg_PathMatch_fields);

const eg_Operation_fields = c.fields<egv1a1.Operation>({
  methods: c.opt(c.array(c.str)),
  path: c.ptr(eg_PathMatch),
});
const eg_Operation = c.struct<egv1a1.Operation>("Operation", eg_Operation_fields);

const eg_AuthorizationAction = c.literal<egv1a1.AuthorizationAction>(["Allow", "Deny"]);

const eg_StringMatchType = c.literal<egv1a1.StringMatchType>(["Exact", "Prefix", "Suffix", "RegularExpression"]);

const eg_StringMatch_fields = c.fields<egv1a1.StringMatch>({
  type: c.ptr(eg_StringMatchType),
  value: c.req(c.str),
});

const eg_OIDCDenyRedirectHeader_fields = c.fields<egv1a1.OIDCDenyRedirectHeader>({
  name: c.req(c.str),
  ...eg_StringMatch_fields,
});
const eg_OIDCDenyRedirectHeader = c.struct<egv1a1.OIDCDenyRedirectHeader>("OIDCDenyRedirectHeader", eg_OIDCDenyRedirectHeader_fields);

const eg_OIDCDenyRedirect_fields = c.fields<egv1a1.OIDCDenyRedirect>({
  headers: c.nul(c.array(eg_OIDCDenyRedirectHeader)),
});
const eg_OIDCDenyRedirect = c.struct<egv1a1.OIDCDenyRedirect>("OIDCDenyRedirect", eg_OIDCDenyRedirect_fields);

const eg_OIDCCookieConfig_fields = c.fields<egv1a1.OIDCCookieConfig>({
  sameSite: c.ptr(c.str),
});
const eg_OIDCCookieConfig = c.struct<egv1a1.OIDCCookieConfig>("OIDCCookieConfig", eg_OIDCCookieConfig_fields);

const eg_OIDCCookieNames_fields = c.fields<egv1a1.OIDCCookieNames>({
  accessToken: c.ptr(c.str),
  idToken: c.ptr(c.str),
});
const eg_OIDCCookieNames = c.struct<egv1a1.OIDCCookieNames>("OIDCCookieNames", eg_OIDCCookieNames_fields);

const eg_JWTHeaderExtractor_fields = c.fields<egv1a1.JWTHeaderExtractor>({
  name: c.req(c.str),
  valuePrefix: c.ptr(c.str),
});
const eg_JWTHeaderExtractor = c.struct<egv1a1.JWTHeaderExtractor>("JWTHeaderExtractor", eg_JWTHeaderExtractor_fields);

const eg_JWTExtractor_fields = c.fields<egv1a1.JWTExtractor>({
  headers: c.opt(c.array(eg_JWTHeaderExtractor)),
  cookies: c.opt(c.array(c.str)),
  params: c.opt(c.array(c.str)),
});
const eg_JWTExtractor = c.struct<egv1a1.JWTExtractor>("JWTExtractor", eg_JWTExtractor_fields);

const eg_ClaimToHeader_fields = c.fields<egv1a1.ClaimToHeader>({
  header: c.req(c.str),
  claim: c.req(c.str),
});
const eg_ClaimToHeader = c.struct<egv1a1.ClaimToHeader>("ClaimToHeader", eg_ClaimToHeader_fields);

const eg_CompressorType = c.literal<egv1a1.CompressorType>(["Gzip", "Brotli", "Zstd"]);

const eg_HealthCheckSettings_fields = c.fields<egv1a1.HealthCheckSettings>({
  path: c.req(c.str),
});
const eg_HealthCheckSettings = c.struct<egv1a1.HealthCheckSettings>("HealthCheckSettings", eg_HealthCheckSettings_fields);

const eg_ResponseOverrideSource = c.literal<egv1a1.ResponseOverrideSource>(["All", "Local", "Backend"]);

const eg_CIDR: c.Codec<egv1a1.CIDR> = c.str;

const eg_XForwardedForSettings_fields = c.fields<egv1a1.XForwardedForSettings>({
  numTrustedHops: c.ptr(c.uint32),
  trustedCIDRs: c.opt(c.array(eg_CIDR)),
  disableXForwardedForAppend: c.ptr(c.bool),
});
const eg_XForwardedForSettings = c.struct<egv1a1.XForwardedForSettings>("XForwardedForSettings", eg_XForwardedForSettings_fields);

const eg_CustomHeaderExtensionSettings_fields = c.fields<egv1a1.CustomHeaderExtensionSettings>({
  name: c.req(c.str),
  failClosed: c.ptr(c.bool),
});
const eg_CustomHeaderExtensionSettings = c.struct<egv1a1.CustomHeaderExtensionSettings>(
  "CustomHeaderExtensionSettings",
  eg_CustomHeaderExtensionSettings_fields,
);

const eg_DirectSourceIPSettings_fields = c.fields<egv1a1.DirectSourceIPSettings>({});
const eg_DirectSourceIPSettings = c.struct<egv1a1.DirectSourceIPSettings>("DirectSourceIPSettings", eg_DirectSourceIPSettings_fields);

const eg_ClientIPDetectionSettings_fields = c.fields<egv1a1.ClientIPDetectionSettings>({
  xForwardedFor: c.ptr(eg_XForwardedForSettings),
  customHeader: c.ptr(eg_CustomHeaderExtensionSettings),
  directSourceIP: c.ptr(eg_DirectSourceIPSettings),
});
const eg_ClientIPDetectionSettings = c.struct<egv1a1.ClientIPDetectionSettings>("ClientIPDetectionSettings", eg_ClientIPDetectionSettings_fields);

const eg_XFCCCertData = c.literal<egv1a1.XFCCCertData>(["Subject", "Cert", "Chain", "DNS", "URI"]);

const eg_XFCCForwardMode = c.literal<egv1a1.XFCCForwardMode>(["Sanitize", "ForwardOnly", "AppendForward", "SanitizeSet", "AlwaysForwardOnly"]);

const eg_EnvoyFilter = c.literal<egv1a1.EnvoyFilter>([
  "envoy.filters.http.custom_response",
  "envoy.filters.http.health_check",
  "envoy.filters.http.fault",
  "envoy.filters.http.cors",
  "envoy.filters.http.csrf",
  "envoy.filters.http.header_mutation",
  "envoy.filters.http.ext_authz",
  "envoy.filters.http.api_key_auth",
  "envoy.filters.http.basic_auth",
  "envoy.filters.http.oauth2",
  "envoy.filters.http.jwt_authn",
  "envoy.filters.http.stateful_session",
  "envoy.filters.http.buffer",
  "envoy.filters.http.lua",
  "envoy.filters.http.ext_proc",
  "envoy.filters.http.wasm",
  "envoy.filters.http.dynamic_modules",
  "envoy.filters.http.geoip",
  "envoy.filters.http.rbac",
  "envoy.filters.http.local_ratelimit",
  "envoy.filters.http.ratelimit",
  "envoy.filters.http.bandwidth_limit",
  "envoy.filters.http.grpc_web",
  "envoy.filters.http.grpc_stats",
  "envoy.filters.http.credential_injector",
  "envoy.filters.http.compressor",
  "envoy.filters.http.dynamic_forward_proxy",
  "envoy.filters.http.router",
]);

const eg_FilterPosition_fields = c.fields<egv1a1.FilterPosition>({
  name: c.req(eg_EnvoyFilter),
  before: c.ptr(eg_EnvoyFilter),
  after: c.ptr(eg_EnvoyFilter),
});
const eg_FilterPosition = c.struct<egv1a1.FilterPosition>("FilterPosition", eg_FilterPosition_fields);

const eg_CustomTagType = c.literal<egv1a1.CustomTagType>(["Literal", "Environment", "RequestHeader"]);

const eg_LiteralCustomTag_fields = c.fields<egv1a1.LiteralCustomTag>({
  value: c.req(c.str),
});
const eg_LiteralCustomTag = c.struct<egv1a1.LiteralCustomTag>("LiteralCustomTag", eg_LiteralCustomTag_fields);

const eg_EnvironmentCustomTag_fields = c.fields<egv1a1.EnvironmentCustomTag>({
  name: c.req(c.str),
  defaultValue: c.ptr(c.str),
});
const eg_EnvironmentCustomTag = c.struct<egv1a1.EnvironmentCustomTag>("EnvironmentCustomTag", eg_EnvironmentCustomTag_fields);

const eg_RequestHeaderCustomTag_fields = c.fields<egv1a1.RequestHeaderCustomTag>({
  name: c.req(c.str),
  defaultValue: c.ptr(c.str),
});
const eg_RequestHeaderCustomTag = c.struct<egv1a1.RequestHeaderCustomTag>("RequestHeaderCustomTag", eg_RequestHeaderCustomTag_fields);

const eg_CustomTag_fields = c.fields<egv1a1.CustomTag>({
  type: c.req(eg_CustomTagType),
  literal: c.ptr(eg_LiteralCustomTag),
  environment: c.ptr(eg_EnvironmentCustomTag),
  requestHeader: c.ptr(eg_RequestHeaderCustomTag),
});
const eg_CustomTag = c.struct<egv1a1.CustomTag>("CustomTag", eg_CustomTag_fields);

const ir_PrivateBytes: c.Codec<PrivateBytes> = c.privateBytes;

const ir_MapEntry_fields = c.fields<MapEntry>({
  key: c.req(c.str),
  value: c.req(c.str),
});
const ir_MapEntry = c.struct<MapEntry>("MapEntry", ir_MapEntry_fields);

const ir_CustomTagMapEntry_fields = c.fields<CustomTagMapEntry>({
  key: c.req(c.str),
  value: c.req(eg_CustomTag),
});
const ir_CustomTagMapEntry = c.struct<CustomTagMapEntry>("CustomTagMapEntry", ir_CustomTagMapEntry_fields);

const ir_ReadyListener_fields = c.fields<ReadyListener>({
  ipFamily: c.req(eg_IPFamily),
  address: c.req(c.str),
  port: c.req(c.uint32),
  path: c.req(c.str),
});
const ir_ReadyListener = c.struct<ReadyListener>("ReadyListener", ir_ReadyListener_fields);

const ir_ProxyAccessLogType = c.literal<ProxyAccessLogType>(["Listener", "Route", "Upstream"]);

const ir_TextAccessLog_fields = c.fields<TextAccessLog>({
  celMatches: c.opt(c.array(c.str)),
  format: c.ptr(c.str),
  path: c.req(c.str),
  logType: c.ptr(ir_ProxyAccessLogType),
});
const ir_TextAccessLog = c.struct<TextAccessLog>("TextAccessLog", ir_TextAccessLog_fields);

const ir_JSONAccessLog_fields = c.fields<JSONAccessLog>({
  celMatches: c.opt(c.array(c.str)),
  json: c.opt(c.array(ir_MapEntry)),
  path: c.req(c.str),
  logType: c.ptr(ir_ProxyAccessLogType),
});
const ir_JSONAccessLog = c.struct<JSONAccessLog>("JSONAccessLog", ir_JSONAccessLog_fields);

const ir_AppProtocol = c.literal<AppProtocol>(["GRPC", "GRPC-Web", "HTTP", "HTTP2", "HTTPS", "TCP", "UDP"]);

const ir_DestinationEndpoint_fields = c.fields<DestinationEndpoint>({
  hostname: c.ptr(c.str),
  host: c.req(c.str),
  port: c.req(c.uint32),
  path: c.ptr(c.str),
  draining: c.opt(c.bool),
  zone: c.ptr(c.str),
});
const ir_DestinationEndpoint = c.struct<DestinationEndpoint>("DestinationEndpoint", ir_DestinationEndpoint_fields);

const ir_DestinationAddressType = c.literal<DestinationAddressType>(["IP", "FQDN", "Mixed", "UDS", "STATIC"]);

const ir_SDSConfig_fields = c.fields<SDSConfig>({
  secretName: c.req(c.str),
  scheme: c.req(c.str),
  address: c.req(c.str),
});
const ir_SDSConfig = c.struct<SDSConfig>("SDSConfig", ir_SDSConfig_fields);

const ir_TLSCACertificate_fields = c.fields<TLSCACertificate>({
  name: c.opt(c.str),
  certificate: c.opt(c.bytes),
  sds: c.ptr(ir_SDSConfig),
});
const ir_TLSCACertificate = c.struct<TLSCACertificate>("TLSCACertificate", ir_TLSCACertificate_fields);

const ir_TLSCertificate_fields = c.fields<TLSCertificate>({
  name: c.req(c.str),
  sds: c.ptr(ir_SDSConfig),
  certificate: c.opt(c.bytes),
  privateKey: c.opt(c.privateBytes),
  ocspStaple: c.opt(c.bytes),
});
const ir_TLSCertificate = c.struct<TLSCertificate>("TLSCertificate", ir_TLSCertificate_fields);

const ir_TLSCrl_fields = c.fields<TLSCrl>({
  name: c.req(c.str),
  data: c.opt(c.bytes),
  onlyVerifyLeafCertificate: c.opt(c.bool),
});
const ir_TLSCrl = c.struct<TLSCrl>("TLSCrl", ir_TLSCrl_fields);

const ir_StringMatch_fields = c.fields<StringMatch>({
  name: c.req(c.str),
  exact: c.ptr(c.str),
  prefix: c.ptr(c.str),
  suffix: c.ptr(c.str),
  safeRegex: c.ptr(c.str),
  distinct: c.req(c.bool),
  invert: c.ptr(c.bool),
});
const ir_StringMatch = c.struct<StringMatch>("StringMatch", ir_StringMatch_fields);

const ir_TLSVersion = c.literal<TLSVersion>(["Auto", "1.0", "1.1", "1.2", "1.3"]);

const ir_TLSFingerprintType = c.literal<TLSFingerprintType>(["JA3", "JA4"]);

const ir_TLSConfig_fields = c.fields<TLSConfig>({
  certificates: c.opt(c.array(ir_TLSCertificate)),
  clientCertificates: c.opt(c.array(ir_TLSCertificate)),
  caCertificate: c.ptr(ir_TLSCACertificate),
  requireClientCertificate: c.opt(c.bool),
  clientValidationEnabled: c.opt(c.bool),
  acceptUntrusted: c.opt(c.bool),
  allowExpiredCertificate: c.opt(c.bool),
  verifyCertificateSpki: c.opt(c.array(c.str)),
  verifyCertificateHash: c.opt(c.array(c.str)),
  crl: c.ptr(ir_TLSCrl),
  matchTypedSubjectAltNames: c.opt(c.array(ir_StringMatch)),
  minVersion: c.ptr(ir_TLSVersion),
  maxVersion: c.ptr(ir_TLSVersion),
  ciphers: c.opt(c.array(c.str)),
  ecdhCurves: c.opt(c.array(c.str)),
  signatureAlgorithms: c.opt(c.array(c.str)),
  alpnProtocols: c.nul(c.array(c.str)),
  statelessSessionResumption: c.opt(c.bool),
  statefulSessionResumption: c.opt(c.bool),
  fingerprints: c.opt(c.array(ir_TLSFingerprintType)),
});
const ir_TLSConfig = c.struct<TLSConfig>("TLSConfig", ir_TLSConfig_fields);

const ir_SubjectAltName_fields = c.fields<SubjectAltName>({
  hostname: c.ptr(c.str),
  uri: c.ptr(c.str),
});
const ir_SubjectAltName = c.struct<SubjectAltName>("SubjectAltName", ir_SubjectAltName_fields);

const ir_TLSUpstreamConfig_fields = c.fields<TLSUpstreamConfig>({
  sni: c.ptr(c.str),
  autoSNIFromEndpointHostname: c.opt(c.bool),
  useSystemTrustStore: c.opt(c.bool),
  caCertificate: c.ptr(ir_TLSCACertificate),
  ...c.omit(ir_TLSConfig_fields, ["caCertificate"]),
  subjectAltNames: c.opt(c.array(ir_SubjectAltName)),
  insecureSkipVerify: c.opt(c.bool),
});
const ir_TLSUpstreamConfig = c.struct<TLSUpstreamConfig>("TLSUpstreamConfig", ir_TLSUpstreamConfig_fields);

const ir_AddHeader_fields = c.fields<AddHeader>({
  name: c.req(c.str),
  value: c.nul(c.array(c.str)),
  append: c.req(c.bool),
  addIfAbsent: c.req(c.bool),
});
const ir_AddHeader = c.struct<AddHeader>("AddHeader", ir_AddHeader_fields);

const ir_CredentialInjection_fields = c.fields<CredentialInjection>({
  name: c.req(c.str),
  header: c.ptr(c.str),
  overwrite: c.ptr(c.bool),
  credential: c.req(c.privateBytes),
});
const ir_CredentialInjection = c.struct<CredentialInjection>("CredentialInjection", ir_CredentialInjection_fields);

const ir_HTTPPathModifier_fields = c.fields<HTTPPathModifier>({
  fullReplace: c.nul(c.str),
  prefixMatchReplace: c.nul(c.str),
});
const ir_HTTPPathModifier = c.struct<HTTPPathModifier>("HTTPPathModifier", ir_HTTPPathModifier_fields);

const ir_RegexMatchReplace_fields = c.fields<RegexMatchReplace>({
  pattern: c.req(c.str),
  substitution: c.req(c.str),
});
const ir_RegexMatchReplace = c.struct<RegexMatchReplace>("RegexMatchReplace", ir_RegexMatchReplace_fields);

const ir_ExtendedHTTPPathModifier_fields = c.fields<ExtendedHTTPPathModifier>({
  ...ir_HTTPPathModifier_fields,
  regexMatchReplace: c.ptr(ir_RegexMatchReplace),
});
const ir_ExtendedHTTPPathModifier = c.struct<ExtendedHTTPPathModifier>("ExtendedHTTPPathModifier", ir_ExtendedHTTPPathModifier_fields);

const ir_HTTPHostModifier_fields = c.fields<HTTPHostModifier>({
  name: c.ptr(c.str),
  header: c.ptr(c.str),
  backend: c.ptr(c.bool),
  pathRegex: c.ptr(ir_RegexMatchReplace),
});
const ir_HTTPHostModifier = c.struct<HTTPHostModifier>("HTTPHostModifier", ir_HTTPHostModifier_fields);

const ir_URLRewrite_fields = c.fields<URLRewrite>({
  path: c.ptr(ir_ExtendedHTTPPathModifier),
  host: c.ptr(ir_HTTPHostModifier),
  appendXForwardedHost: c.ptr(c.bool),
});
const ir_URLRewrite = c.struct<URLRewrite>("URLRewrite", ir_URLRewrite_fields);

const ir_DestinationFilters_fields = c.fields<DestinationFilters>({
  addRequestHeaders: c.opt(c.array(ir_AddHeader)),
  removeRequestHeaders: c.opt(c.array(c.str)),
  addResponseHeaders: c.opt(c.array(ir_AddHeader)),
  removeResponseHeaders: c.opt(c.array(c.str)),
  credentialInjection: c.ptr(ir_CredentialInjection),
  urlRewrite: c.ptr(ir_URLRewrite),
});
const ir_DestinationFilters = c.struct<DestinationFilters>("DestinationFilters", ir_DestinationFilters_fields);

const ir_ForceLocalZone_fields = c.fields<ForceLocalZone>({
  minEndpointsInZoneThreshold: c.ptr(c.uint32),
});
const ir_ForceLocalZone = c.struct<ForceLocalZone>("ForceLocalZone", ir_ForceLocalZone_fields);

const ir_PreferLocalZone_fields = c.fields<PreferLocalZone>({
  force: c.ptr(ir_ForceLocalZone),
  minEndpointsThreshold: c.ptr(c.uint64),
  percentageEnabled: c.ptr(c.uint32),
});
const ir_PreferLocalZone = c.struct<PreferLocalZone>("PreferLocalZone", ir_PreferLocalZone_fields);

const ir_PolicyMetadata_fields = c.fields<PolicyMetadata>({
  kind: c.opt(c.str),
  name: c.opt(c.str),
  namespace: c.opt(c.str),
});
const ir_PolicyMetadata = c.struct<PolicyMetadata>("PolicyMetadata", ir_PolicyMetadata_fields);

const ir_ResourceMetadata_fields = c.fields<ResourceMetadata>({
  kind: c.opt(c.str),
  name: c.opt(c.str),
  namespace: c.opt(c.str),
  annotations: c.opt(c.array(ir_MapEntry)),
  sectionName: c.opt(c.str),
  policies: c.opt(c.array(ir_PolicyMetadata)),
});
const ir_ResourceMetadata = c.struct<ResourceMetadata>("ResourceMetadata", ir_ResourceMetadata_fields);

const ir_DestinationSetting_fields = c.fields<DestinationSetting>({
  name: c.req(c.str),
  isDynamicResolver: c.opt(c.bool),
  isCustomBackend: c.opt(c.bool),
  weight: c.ptr(c.uint32),
  priority: c.ptr(c.uint32),
  protocol: c.opt(ir_AppProtocol),
  forceHTTP1Upstream: c.opt(c.bool),
  endpoints: c.opt(c.array(ir_DestinationEndpoint)),
  addressType: c.ptr(ir_DestinationAddressType),
  ipFamily: c.ptr(eg_IPFamily),
  tls: c.ptr(ir_TLSUpstreamConfig),
  filters: c.ptr(ir_DestinationFilters),
  preferLocal: c.ptr(ir_PreferLocalZone),
  metadata: c.ptr(ir_ResourceMetadata),
  invalid: c.opt(c.bool),
});
const ir_DestinationSetting = c.struct<DestinationSetting>("DestinationSetting", ir_DestinationSetting_fields);

const ir_BackendClusterRef_fields = c.fields<BackendClusterRef>({
  name: c.req(c.str),
  weight: c.ptr(c.uint32),
});
const ir_BackendClusterRef = c.struct<BackendClusterRef>("BackendClusterRef", ir_BackendClusterRef_fields);

const ir_RouteDestination_fields = c.fields<RouteDestination>({
  name: c.req(c.str),
  statName: c.ptr(c.str),
  settings: c.opt(c.array(ir_DestinationSetting)),
  backendClusterRefs: c.opt(c.array(ir_BackendClusterRef)),
  metadata: c.ptr(ir_ResourceMetadata),
});
const ir_RouteDestination = c.struct<RouteDestination>("RouteDestination", ir_RouteDestination_fields);

const ir_SlowStart_fields = c.fields<SlowStart>({
  window: c.nul(c.duration),
});
const ir_SlowStart = c.struct<SlowStart>("SlowStart", ir_SlowStart_fields);

const ir_RoundRobin_fields = c.fields<RoundRobin>({
  slowStart: c.ptr(ir_SlowStart),
});
const ir_RoundRobin = c.struct<RoundRobin>("RoundRobin", ir_RoundRobin_fields);

const ir_LeastRequest_fields = c.fields<LeastRequest>({
  slowStart: c.ptr(ir_SlowStart),
});
const ir_LeastRequest = c.struct<LeastRequest>("LeastRequest", ir_LeastRequest_fields);

const ir_Random_fields = c.fields<Random>({});
const ir_Random = c.struct<Random>("Random", ir_Random_fields);

const ir_ConsistentHash_fields = c.fields<ConsistentHash>({
  sourceIP: c.ptr(c.bool),
  headers: c.opt(c.array(eg_Header)),
  cookie: c.ptr(eg_Cookie),
  queryParams: c.opt(c.array(eg_QueryParam)),
  tableSize: c.ptr(c.uint64),
});
const ir_ConsistentHash = c.struct<ConsistentHash>("ConsistentHash", ir_ConsistentHash_fields);

const ir_OutOfBandReporting_fields = c.fields<OutOfBandReporting>({
  reportingPeriod: c.ptr(c.duration),
  port: c.ptr(c.int32),
  authority: c.ptr(c.str),
});
const ir_OutOfBandReporting = c.struct<OutOfBandReporting>("OutOfBandReporting", ir_OutOfBandReporting_fields);

const ir_BackendUtilization_fields = c.fields<BackendUtilization>({
  blackoutPeriod: c.ptr(c.duration),
  weightExpirationPeriod: c.ptr(c.duration),
  weightUpdatePeriod: c.ptr(c.duration),
  errorUtilizationPenaltyPercent: c.ptr(c.uint32),
  metricNamesForComputingUtilization: c.opt(c.array(c.str)),
  slowStart: c.ptr(ir_SlowStart),
  keepResponseHeaders: c.ptr(c.bool),
  outOfBand: c.ptr(ir_OutOfBandReporting),
});
const ir_BackendUtilization = c.struct<BackendUtilization>("BackendUtilization", ir_BackendUtilization_fields);

const ir_WeightedZoneConfig_fields = c.fields<WeightedZoneConfig>({
  zone: c.req(c.str),
  weight: c.req(c.uint32),
});
const ir_WeightedZoneConfig = c.struct<WeightedZoneConfig>("WeightedZoneConfig", ir_WeightedZoneConfig_fields);

const ir_EndpointOverrideExtractFrom_fields = c.fields<EndpointOverrideExtractFrom>({
  header: c.ptr(c.str),
});
const ir_EndpointOverrideExtractFrom = c.struct<EndpointOverrideExtractFrom>("EndpointOverrideExtractFrom", ir_EndpointOverrideExtractFrom_fields);

const ir_EndpointOverride_fields = c.fields<EndpointOverride>({
  extractFrom: c.nul(c.array(ir_EndpointOverrideExtractFrom)),
});
const ir_EndpointOverride = c.struct<EndpointOverride>("EndpointOverride", ir_EndpointOverride_fields);

const ir_LoadBalancer_fields = c.fields<LoadBalancer>({
  roundRobin: c.ptr(ir_RoundRobin),
  leastRequest: c.ptr(ir_LeastRequest),
  random: c.ptr(ir_Random),
  consistentHash: c.ptr(ir_ConsistentHash),
  backendUtilization: c.ptr(ir_BackendUtilization),
  preferLocal: c.ptr(ir_PreferLocalZone),
  weightedZones: c.opt(c.array(ir_WeightedZoneConfig)),
  endpointOverride: c.ptr(ir_EndpointOverride),
});
const ir_LoadBalancer = c.struct<LoadBalancer>("LoadBalancer", ir_LoadBalancer_fields);

const ir_ProxyProtocolVersion = c.literal<ProxyProtocolVersion>(["V1", "V2"]);

const ir_ProxyProtocol_fields = c.fields<ProxyProtocol>({
  version: c.opt(ir_ProxyProtocolVersion),
});
const ir_ProxyProtocol = c.struct<ProxyProtocol>("ProxyProtocol", ir_ProxyProtocol_fields);

const ir_HTTPStatus: c.Codec<HTTPStatus> = c.int64;

const ir_HealthCheckPayload_fields = c.fields<HealthCheckPayload>({
  text: c.ptr(c.str),
  binary: c.opt(c.bytes),
});
const ir_HealthCheckPayload = c.struct<HealthCheckPayload>("HealthCheckPayload", ir_HealthCheckPayload_fields);

const ir_HTTPHealthChecker_fields = c.fields<HTTPHealthChecker>({
  host: c.req(c.str),
  path: c.req(c.str),
  method: c.ptr(c.str),
  expectedStatuses: c.opt(c.array(ir_HTTPStatus)),
  retriableStatuses: c.opt(c.array(ir_HTTPStatus)),
  expectedResponse: c.ptr(ir_HealthCheckPayload),
  requestBody: c.ptr(ir_HealthCheckPayload),
});
const ir_HTTPHealthChecker = c.struct<HTTPHealthChecker>("HTTPHealthChecker", ir_HTTPHealthChecker_fields);

const ir_TCPHealthChecker_fields = c.fields<TCPHealthChecker>({
  send: c.ptr(ir_HealthCheckPayload),
  receive: c.ptr(ir_HealthCheckPayload),
});
const ir_TCPHealthChecker = c.struct<TCPHealthChecker>("TCPHealthChecker", ir_TCPHealthChecker_fields);

const ir_GRPCHealthChecker_fields = c.fields<GRPCHealthChecker>({
  service: c.ptr(c.str),
});
const ir_GRPCHealthChecker = c.struct<GRPCHealthChecker>("GRPCHealthChecker", ir_GRPCHealthChecker_fields);

const ir_HealthCheckOverrides_fields = c.fields<HealthCheckOverrides>({
  port: c.opt(c.uint32),
});
const ir_HealthCheckOverrides = c.struct<HealthCheckOverrides>("HealthCheckOverrides", ir_HealthCheckOverrides_fields);

const ir_FileEnvoyProxyHealthCheckLog_fields = c.fields<FileEnvoyProxyHealthCheckLog>({
  path: c.req(c.str),
});
const ir_FileEnvoyProxyHealthCheckLog = c.struct<FileEnvoyProxyHealthCheckLog>("FileEnvoyProxyHealthCheckLog", ir_FileEnvoyProxyHealthCheckLog_fields);

const ir_ProxyHealthCheckLog_fields = c.fields<ProxyHealthCheckLog>({
  fileSinks: c.opt(c.array(ir_FileEnvoyProxyHealthCheckLog)),
  alwaysLogHealthCheckFailures: c.opt(c.bool),
  alwaysLogHealthCheckSuccess: c.opt(c.bool),
});
const ir_ProxyHealthCheckLog = c.struct<ProxyHealthCheckLog>("ProxyHealthCheckLog", ir_ProxyHealthCheckLog_fields);

const ir_ActiveHealthCheck_fields = c.fields<ActiveHealthCheck>({
  timeout: c.nul(c.duration),
  interval: c.nul(c.duration),
  initialJitter: c.ptr(c.str),
  unhealthyThreshold: c.nul(c.uint32),
  healthyThreshold: c.nul(c.uint32),
  http: c.ptr(ir_HTTPHealthChecker),
  tcp: c.ptr(ir_TCPHealthChecker),
  grpc: c.ptr(ir_GRPCHealthChecker),
  overrides: c.ptr(ir_HealthCheckOverrides),
  backendHealthCheckLog: c.ptr(ir_ProxyHealthCheckLog),
});
const ir_ActiveHealthCheck = c.struct<ActiveHealthCheck>("ActiveHealthCheck", ir_ActiveHealthCheck_fields);

const ir_OutlierDetection_fields = c.fields<OutlierDetection>({
  interval: c.ptr(c.duration),
  splitExternalLocalOriginErrors: c.ptr(c.bool),
  consecutiveLocalOriginFailures: c.ptr(c.uint32),
  consecutiveGatewayErrors: c.ptr(c.uint32),
  consecutive5XxErrors: c.ptr(c.uint32),
  baseEjectionTime: c.ptr(c.duration),
  maxEjectionPercent: c.ptr(c.uint32),
  failurePercentageThreshold: c.ptr(c.uint32),
  alwaysEjectOneEndpoint: c.ptr(c.bool),
});
const ir_OutlierDetection = c.struct<OutlierDetection>("OutlierDetection", ir_OutlierDetection_fields);

const ir_HealthCheck_fields = c.fields<HealthCheck>({
  active: c.ptr(ir_ActiveHealthCheck),
  passive: c.ptr(ir_OutlierDetection),
  panicThreshold: c.ptr(c.uint32),
});
const ir_HealthCheck = c.struct<HealthCheck>("HealthCheck", ir_HealthCheck_fields);

const ir_HTTPSuccessCriteria_fields = c.fields<HTTPSuccessCriteria>({
  statusCodes: c.opt(c.array(c.int32)),
});
const ir_HTTPSuccessCriteria = c.struct<HTTPSuccessCriteria>("HTTPSuccessCriteria", ir_HTTPSuccessCriteria_fields);

const ir_GRPCSuccessCriteria_fields = c.fields<GRPCSuccessCriteria>({
  statusCodes: c.opt(c.array(c.str)),
});
const ir_GRPCSuccessCriteria = c.struct<GRPCSuccessCriteria>("GRPCSuccessCriteria", ir_GRPCSuccessCriteria_fields);

const ir_AdmissionControlSuccessCriteria_fields = c.fields<AdmissionControlSuccessCriteria>({
  http: c.ptr(ir_HTTPSuccessCriteria),
  grpc: c.ptr(ir_GRPCSuccessCriteria),
});
const ir_AdmissionControlSuccessCriteria = c.struct<AdmissionControlSuccessCriteria>(
  "AdmissionControlSuccessCriteria",
  ir_AdmissionControlSuccessCriteria_fields,
);

const ir_AdmissionControl_fields = c.fields<AdmissionControl>({
  samplingWindow: c.ptr(c.duration),
  minSuccessRate: c.ptr(c.uint32),
  rejectionAggression: c.ptr(c.uint32),
  minRequestRate: c.ptr(c.uint32),
  maxRejectionPercent: c.ptr(c.uint32),
  successCriteria: c.ptr(ir_AdmissionControlSuccessCriteria),
});
const ir_AdmissionControl = c.struct<AdmissionControl>("AdmissionControl", ir_AdmissionControl_fields);

const ir_PerEndpointCircuitBreakers_fields = c.fields<PerEndpointCircuitBreakers>({
  maxConnections: c.ptr(c.uint32),
});
const ir_PerEndpointCircuitBreakers = c.struct<PerEndpointCircuitBreakers>("PerEndpointCircuitBreakers", ir_PerEndpointCircuitBreakers_fields);

const ir_RetryBudget_fields = c.fields<RetryBudget>({
  percent: c.req(c.float),
  minRetryConcurrency: c.req(c.uint32),
});
const ir_RetryBudget = c.struct<RetryBudget>("RetryBudget", ir_RetryBudget_fields);

const ir_CircuitBreaker_fields = c.fields<CircuitBreaker>({
  maxConnections: c.ptr(c.uint32),
  maxPendingRequests: c.ptr(c.uint32),
  maxParallelRequests: c.ptr(c.uint32),
  maxRequestsPerConnection: c.ptr(c.uint32),
  maxParallelRetries: c.ptr(c.uint32),
  perEndpoint: c.ptr(ir_PerEndpointCircuitBreakers),
  retryBudget: c.ptr(ir_RetryBudget),
});
const ir_CircuitBreaker = c.struct<CircuitBreaker>("CircuitBreaker", ir_CircuitBreaker_fields);

const ir_TCPTimeout_fields = c.fields<TCPTimeout>({
  connectTimeout: c.ptr(c.duration),
});
const ir_TCPTimeout = c.struct<TCPTimeout>("TCPTimeout", ir_TCPTimeout_fields);

const ir_ClusterHTTPTimeout_fields = c.fields<ClusterHTTPTimeout>({
  connectionIdleTimeout: c.ptr(c.duration),
  maxConnectionDuration: c.ptr(c.duration),
  maxStreamDuration: c.ptr(c.duration),
});
const ir_ClusterHTTPTimeout = c.struct<ClusterHTTPTimeout>("ClusterHTTPTimeout", ir_ClusterHTTPTimeout_fields);

const ir_HTTPTimeout_fields = c.fields<HTTPTimeout>({
  ...ir_ClusterHTTPTimeout_fields,
  requestTimeout: c.ptr(c.duration),
  streamIdleTimeout: c.ptr(c.duration),
});
const ir_HTTPTimeout = c.struct<HTTPTimeout>("HTTPTimeout", ir_HTTPTimeout_fields);

const ir_Timeout_fields = c.fields<Timeout>({
  tcp: c.ptr(ir_TCPTimeout),
  http: c.ptr(ir_HTTPTimeout),
});
const ir_Timeout = c.struct<Timeout>("Timeout", ir_Timeout_fields);

const ir_TCPKeepalive_fields = c.fields<TCPKeepalive>({
  probes: c.ptr(c.uint32),
  idleTime: c.ptr(c.uint32),
  interval: c.ptr(c.uint32),
});
const ir_TCPKeepalive = c.struct<TCPKeepalive>("TCPKeepalive", ir_TCPKeepalive_fields);

const ir_Preconnect_fields = c.fields<Preconnect>({
  perEndpointPercent: c.ptr(c.uint32),
  predictivePercent: c.ptr(c.uint32),
});
const ir_Preconnect = c.struct<Preconnect>("Preconnect", ir_Preconnect_fields);

const ir_BackendConnection_fields = c.fields<BackendConnection>({
  bufferLimit: c.ptr(c.uint32),
  preconnect: c.ptr(ir_Preconnect),
});
const ir_BackendConnection = c.struct<BackendConnection>("BackendConnection", ir_BackendConnection_fields);

const ir_HTTP2KeepaliveSettings_fields = c.fields<HTTP2KeepaliveSettings>({
  interval: c.ptr(c.duration),
  timeout: c.ptr(c.duration),
  intervalJitter: c.ptr(c.uint32),
  idleInterval: c.ptr(c.duration),
});
const ir_HTTP2KeepaliveSettings = c.struct<HTTP2KeepaliveSettings>("HTTP2KeepaliveSettings", ir_HTTP2KeepaliveSettings_fields);

const ir_HTTP2Settings_fields = c.fields<HTTP2Settings>({
  initialConnectionWindowSize: c.ptr(c.uint32),
  initialStreamWindowSize: c.ptr(c.uint32),
  maxConcurrentStreams: c.ptr(c.uint32),
  resetStreamOnError: c.ptr(c.bool),
  connectionKeepalive: c.ptr(ir_HTTP2KeepaliveSettings),
});
const ir_HTTP2Settings = c.struct<HTTP2Settings>("HTTP2Settings", ir_HTTP2Settings_fields);

const ir_DNS_fields = c.fields<DNS>({
  dnsRefreshRate: c.ptr(c.duration),
  respectDnsTtl: c.ptr(c.bool),
  lookupFamily: c.ptr(eg_DNSLookupFamily),
  name: c.opt(c.str),
});
const ir_DNS = c.struct<DNS>("DNS", ir_DNS_fields);

const ir_ClusterTrafficFeatures_fields = c.fields<ClusterTrafficFeatures>({
  loadBalancer: c.ptr(ir_LoadBalancer),
  proxyProtocol: c.ptr(ir_ProxyProtocol),
  healthCheck: c.ptr(ir_HealthCheck),
  admissionControl: c.ptr(ir_AdmissionControl),
  circuitBreaker: c.ptr(ir_CircuitBreaker),
  timeout: c.ptr(ir_Timeout),
  tcpKeepalive: c.ptr(ir_TCPKeepalive),
  backendConnection: c.ptr(ir_BackendConnection),
  http2: c.ptr(ir_HTTP2Settings),
  dns: c.ptr(ir_DNS),
});
const ir_ClusterTrafficFeatures = c.struct<ClusterTrafficFeatures>("ClusterTrafficFeatures", ir_ClusterTrafficFeatures_fields);

const ir_CIDRMatch_fields = c.fields<CIDRMatch>({
  cidr: c.req(c.str),
  maskLen: c.req(c.uint32),
  isIPv6: c.req(c.bool),
  distinct: c.req(c.bool),
  invert: c.req(c.bool),
});
const ir_CIDRMatch = c.struct<CIDRMatch>("CIDRMatch", ir_CIDRMatch_fields);

const ir_QueryParamMatch_fields = c.fields<QueryParamMatch>({
  ...ir_StringMatch_fields,
});
const ir_QueryParamMatch = c.struct<QueryParamMatch>("QueryParamMatch", ir_QueryParamMatch_fields);

const ir_RateLimitUnit = c.literal<RateLimitUnit>(["Second", "Minute", "Hour", "Day", "Week", "Month", "Year"]);

const ir_RateLimitValueMetadata_fields = c.fields<RateLimitValueMetadata>({
  namespace: c.req(c.str),
  key: c.req(c.str),
});
const ir_RateLimitValueMetadata = c.struct<RateLimitValueMetadata>("RateLimitValueMetadata", ir_RateLimitValueMetadata_fields);

const ir_RateLimitValue_fields = c.fields<RateLimitValue>({
  requests: c.req(c.uint32),
  unit: c.req(ir_RateLimitUnit),
  fromMetadata: c.ptr(ir_RateLimitValueMetadata),
});
const ir_RateLimitValue = c.struct<RateLimitValue>("RateLimitValue", ir_RateLimitValue_fields);

const ir_RateLimitCost_fields = c.fields<RateLimitCost>({
  number: c.ptr(c.uint64),
  format: c.ptr(c.str),
});
const ir_RateLimitCost = c.struct<RateLimitCost>("RateLimitCost", ir_RateLimitCost_fields);

const ir_RateLimitRule_fields = c.fields<RateLimitRule>({
  headerMatches: c.nul(c.array(ir_StringMatch)),
  pathMatch: c.ptr(ir_StringMatch),
  methodMatches: c.opt(c.array(ir_StringMatch)),
  cidrMatch: c.ptr(ir_CIDRMatch),
  queryParamMatches: c.opt(c.array(ir_QueryParamMatch)),
  limit: c.req(ir_RateLimitValue),
  requestCost: c.ptr(ir_RateLimitCost),
  responseCost: c.ptr(ir_RateLimitCost),
  shared: c.ptr(c.bool),
  shadowMode: c.ptr(c.bool),
  xRateLimitOption: c.ptr(eg_XRateLimitHeadersOption),
  name: c.opt(c.str),
});
const ir_RateLimitRule = c.struct<RateLimitRule>("RateLimitRule", ir_RateLimitRule_fields);

const ir_GlobalRateLimit_fields = c.fields<GlobalRateLimit>({
  rules: c.opt(c.array(ir_RateLimitRule)),
});
const ir_GlobalRateLimit = c.struct<GlobalRateLimit>("GlobalRateLimit", ir_GlobalRateLimit_fields);

const ir_LocalRateLimit_fields = c.fields<LocalRateLimit>({
  default: c.req(ir_RateLimitValue),
  rules: c.opt(c.array(ir_RateLimitRule)),
  defaultXRateLimitOption: c.ptr(eg_XRateLimitHeadersOption),
});
const ir_LocalRateLimit = c.struct<LocalRateLimit>("LocalRateLimit", ir_LocalRateLimit_fields);

const ir_RateLimit_fields = c.fields<RateLimit>({
  global: c.ptr(ir_GlobalRateLimit),
  local: c.ptr(ir_LocalRateLimit),
});
const ir_RateLimit = c.struct<RateLimit>("RateLimit", ir_RateLimit_fields);

const ir_BandwidthLimitResponseTrailers_fields = c.fields<BandwidthLimitResponseTrailers>({
  prefix: c.ptr(c.str),
});
const ir_BandwidthLimitResponseTrailers = c.struct<BandwidthLimitResponseTrailers>("BandwidthLimitResponseTrailers", ir_BandwidthLimitResponseTrailers_fields);

const ir_BandwidthLimitConfig_fields = c.fields<BandwidthLimitConfig>({
  limitKibps: c.req(c.uint64),
  responseTrailers: c.ptr(ir_BandwidthLimitResponseTrailers),
});
const ir_BandwidthLimitConfig = c.struct<BandwidthLimitConfig>("BandwidthLimitConfig", ir_BandwidthLimitConfig_fields);

const ir_BandwidthLimit_fields = c.fields<BandwidthLimit>({
  request: c.ptr(ir_BandwidthLimitConfig),
  response: c.ptr(ir_BandwidthLimitConfig),
});
const ir_BandwidthLimit = c.struct<BandwidthLimit>("BandwidthLimit", ir_BandwidthLimit_fields);

const ir_FaultInjectionDelay_fields = c.fields<FaultInjectionDelay>({
  fixedDelay: c.ptr(c.duration),
  percentage: c.ptr(c.float),
});
const ir_FaultInjectionDelay = c.struct<FaultInjectionDelay>("FaultInjectionDelay", ir_FaultInjectionDelay_fields);

const ir_FaultInjectionAbort_fields = c.fields<FaultInjectionAbort>({
  httpStatus: c.ptr(c.int32),
  grpcStatus: c.ptr(c.uint32),
  percentage: c.ptr(c.float),
});
const ir_FaultInjectionAbort = c.struct<FaultInjectionAbort>("FaultInjectionAbort", ir_FaultInjectionAbort_fields);

const ir_FaultInjection_fields = c.fields<FaultInjection>({
  delay: c.ptr(ir_FaultInjectionDelay),
  abort: c.ptr(ir_FaultInjectionAbort),
});
const ir_FaultInjection = c.struct<FaultInjection>("FaultInjection", ir_FaultInjection_fields);

const ir_TriggerEnum = c.literal<TriggerEnum>([
  "5xx",
  "gateway-error",
  "reset",
  "reset-before-request",
  "connect-failure",
  "retriable-4xx",
  "refused-stream",
  "retriable-status-codes",
  "cancelled",
  "deadline-exceeded",
  "internal",
  "resource-exhausted",
  "unavailable",
]);

const ir_RetryOn_fields = c.fields<RetryOn>({
  triggers: c.opt(c.array(ir_TriggerEnum)),
  httpStatusCodes: c.opt(c.array(ir_HTTPStatus)),
});
const ir_RetryOn = c.struct<RetryOn>("RetryOn", ir_RetryOn_fields);

const ir_BackOffPolicy_fields = c.fields<BackOffPolicy>({
  baseInterval: c.ptr(c.duration),
  maxInterval: c.ptr(c.duration),
});
const ir_BackOffPolicy = c.struct<BackOffPolicy>("BackOffPolicy", ir_BackOffPolicy_fields);

const ir_PerRetryPolicy_fields = c.fields<PerRetryPolicy>({
  timeout: c.ptr(c.duration),
  backOff: c.ptr(ir_BackOffPolicy),
});
const ir_PerRetryPolicy = c.struct<PerRetryPolicy>("PerRetryPolicy", ir_PerRetryPolicy_fields);

const ir_Retry_fields = c.fields<Retry>({
  numRetries: c.ptr(c.uint32),
  numAttemptsPerPriority: c.ptr(c.int32),
  retryOn: c.ptr(ir_RetryOn),
  perRetry: c.ptr(ir_PerRetryPolicy),
});
const ir_Retry = c.struct<Retry>("Retry", ir_Retry_fields);

const ir_StatusCodeRange_fields = c.fields<StatusCodeRange>({
  start: c.req(c.int64),
  end: c.req(c.int64),
});
const ir_StatusCodeRange = c.struct<StatusCodeRange>("StatusCodeRange", ir_StatusCodeRange_fields);

const ir_StatusCodeMatch_fields = c.fields<StatusCodeMatch>({
  value: c.ptr(c.int64),
  range: c.ptr(ir_StatusCodeRange),
});
const ir_StatusCodeMatch = c.struct<StatusCodeMatch>("StatusCodeMatch", ir_StatusCodeMatch_fields);

const ir_CustomResponseMatch_fields = c.fields<CustomResponseMatch>({
  statusCodes: c.opt(c.array(ir_StatusCodeMatch)),
  responseHeaders: c.opt(c.array(ir_StringMatch)),
});
const ir_CustomResponseMatch = c.struct<CustomResponseMatch>("CustomResponseMatch", ir_CustomResponseMatch_fields);

const ir_CustomResponse_fields = c.fields<CustomResponse>({
  contentType: c.ptr(c.str),
  body: c.opt(c.bytes),
  statusCode: c.ptr(c.uint32),
  addResponseHeaders: c.opt(c.array(ir_AddHeader)),
});
const ir_CustomResponse = c.struct<CustomResponse>("CustomResponse", ir_CustomResponse_fields);

const ir_Redirect_fields = c.fields<Redirect>({
  scheme: c.ptr(c.str),
  hostname: c.ptr(c.str),
  path: c.ptr(ir_HTTPPathModifier),
  port: c.ptr(c.uint32),
  statusCode: c.ptr(c.int32),
});
const ir_Redirect = c.struct<Redirect>("Redirect", ir_Redirect_fields);

const ir_ResponseOverrideRule_fields = c.fields<ResponseOverrideRule>({
  name: c.req(c.str),
  match: c.req(ir_CustomResponseMatch),
  response: c.ptr(ir_CustomResponse),
  redirect: c.ptr(ir_Redirect),
  source: c.opt(eg_ResponseOverrideSource),
});
const ir_ResponseOverrideRule = c.struct<ResponseOverrideRule>("ResponseOverrideRule", ir_ResponseOverrideRule_fields);

const ir_ResponseOverride_fields = c.fields<ResponseOverride>({
  name: c.req(c.str),
  rules: c.opt(c.array(ir_ResponseOverrideRule)),
});
const ir_ResponseOverride = c.struct<ResponseOverride>("ResponseOverride", ir_ResponseOverride_fields);

const ir_Compression_fields = c.fields<Compression>({
  type: c.req(eg_CompressorType),
  chooseFirst: c.opt(c.bool),
  minContentLength: c.ptr(c.uint32),
});
const ir_Compression = c.struct<Compression>("Compression", ir_Compression_fields);

const ir_ConnectConfig_fields = c.fields<ConnectConfig>({
  terminate: c.req(c.bool),
});
const ir_ConnectConfig = c.struct<ConnectConfig>("ConnectConfig", ir_ConnectConfig_fields);

const ir_HTTPUpgradeConfig_fields = c.fields<HTTPUpgradeConfig>({
  type: c.req(c.str),
  connect: c.ptr(ir_ConnectConfig),
});
const ir_HTTPUpgradeConfig = c.struct<HTTPUpgradeConfig>("HTTPUpgradeConfig", ir_HTTPUpgradeConfig_fields);

const ir_BackendTracing_fields = c.fields<BackendTracing>({
  samplingFraction: c.ptr(gw_Fraction),
  clientSamplingFraction: c.ptr(gw_Fraction),
  overallSamplingFraction: c.ptr(gw_Fraction),
  customTags: c.opt(c.array(ir_CustomTagMapEntry)),
  tags: c.opt(c.array(ir_MapEntry)),
  spanName: c.ptr(eg_TracingSpanName),
});
const ir_BackendTracing = c.struct<BackendTracing>("BackendTracing", ir_BackendTracing_fields);

const ir_BackendMetrics_fields = c.fields<BackendMetrics>({
  routeStatName: c.ptr(c.str),
});
const ir_BackendMetrics = c.struct<BackendMetrics>("BackendMetrics", ir_BackendMetrics_fields);

const ir_BackendTelemetry_fields = c.fields<BackendTelemetry>({
  tracing: c.ptr(ir_BackendTracing),
  metrics: c.ptr(ir_BackendMetrics),
});
const ir_BackendTelemetry = c.struct<BackendTelemetry>("BackendTelemetry", ir_BackendTelemetry_fields);

const ir_RequestBuffer_fields = c.fields<RequestBuffer>({
  limit: c.req(c.quantity),
});
const ir_RequestBuffer = c.struct<RequestBuffer>("RequestBuffer", ir_RequestBuffer_fields);

const ir_TrafficFeatures_fields = c.fields<TrafficFeatures>({
  ...ir_ClusterTrafficFeatures_fields,
  rateLimit: c.ptr(ir_RateLimit),
  bandwidthLimit: c.ptr(ir_BandwidthLimit),
  faultInjection: c.ptr(ir_FaultInjection),
  retry: c.ptr(ir_Retry),
  responseOverride: c.ptr(ir_ResponseOverride),
  compression: c.opt(c.array(ir_Compression)),
  httpUpgrade: c.opt(c.array(ir_HTTPUpgradeConfig)),
  telemetry: c.ptr(ir_BackendTelemetry),
  requestBuffer: c.ptr(ir_RequestBuffer),
});
const ir_TrafficFeatures = c.struct<TrafficFeatures>("TrafficFeatures", ir_TrafficFeatures_fields);

const ir_ALSAccessLogHTTP_fields = c.fields<ALSAccessLogHTTP>({
  requestHeaders: c.opt(c.array(c.str)),
  responseHeaders: c.opt(c.array(c.str)),
  responseTrailers: c.opt(c.array(c.str)),
});
const ir_ALSAccessLogHTTP = c.struct<ALSAccessLogHTTP>("ALSAccessLogHTTP", ir_ALSAccessLogHTTP_fields);

const ir_ALSAccessLog_fields = c.fields<ALSAccessLog>({
  celMatches: c.opt(c.array(c.str)),
  name: c.req(c.str),
  destination: c.req(ir_RouteDestination),
  traffic: c.ptr(ir_TrafficFeatures),
  type: c.req(eg_ALSEnvoyProxyAccessLogType),
  text: c.ptr(c.str),
  attributes: c.opt(c.array(ir_MapEntry)),
  http: c.ptr(ir_ALSAccessLogHTTP),
  logType: c.ptr(ir_ProxyAccessLogType),
});
const ir_ALSAccessLog = c.struct<ALSAccessLog>("ALSAccessLog", ir_ALSAccessLog_fields);

const ir_OpenTelemetryAccessLog_fields = c.fields<OpenTelemetryAccessLog>({
  celMatches: c.opt(c.array(c.str)),
  authority: c.opt(c.str),
  text: c.ptr(c.str),
  attributes: c.opt(c.array(ir_MapEntry)),
  resourceAttributes: c.opt(c.array(ir_MapEntry)),
  headers: c.opt(c.array(gw_HTTPHeader)),
  destination: c.req(ir_RouteDestination),
  traffic: c.ptr(ir_TrafficFeatures),
  logType: c.ptr(ir_ProxyAccessLogType),
});
const ir_OpenTelemetryAccessLog = c.struct<OpenTelemetryAccessLog>("OpenTelemetryAccessLog", ir_OpenTelemetryAccessLog_fields);

const ir_AccessLog_fields = c.fields<AccessLog>({
  text: c.opt(c.array(ir_TextAccessLog)),
  json: c.opt(c.array(ir_JSONAccessLog)),
  als: c.opt(c.array(ir_ALSAccessLog)),
  openTelemetry: c.opt(c.array(ir_OpenTelemetryAccessLog)),
});
const ir_AccessLog = c.struct<AccessLog>("AccessLog", ir_AccessLog_fields);

const ir_Tracing_fields = c.fields<Tracing>({
  serviceName: c.req(c.str),
  authority: c.opt(c.str),
  samplingRate: c.opt(c.float),
  clientSamplingRate: c.ptr(c.float),
  overallSamplingRate: c.ptr(c.float),
  customTags: c.opt(c.array(ir_CustomTagMapEntry)),
  tags: c.opt(c.array(ir_MapEntry)),
  resourceAttributes: c.opt(c.array(ir_MapEntry)),
  destination: c.req(ir_RouteDestination),
  traffic: c.ptr(ir_TrafficFeatures),
  provider: c.req(eg_TracingProvider),
  headers: c.opt(c.array(gw_HTTPHeader)),
  spanName: c.ptr(eg_TracingSpanName),
});
const ir_Tracing = c.struct<Tracing>("Tracing", ir_Tracing_fields);

const ir_Metrics_fields = c.fields<Metrics>({
  enableVirtualHostStats: c.req(c.bool),
  enablePerEndpointStats: c.req(c.bool),
  enableRequestResponseSizesStats: c.req(c.bool),
});
const ir_Metrics = c.struct<Metrics>("Metrics", ir_Metrics_fields);

const ir_UnstructuredRef_fields = c.fields<UnstructuredRef>({
  object: c.ptr(c.jsonObject),
});
const ir_UnstructuredRef = c.struct<UnstructuredRef>("UnstructuredRef", ir_UnstructuredRef_fields);

const ir_CoreListenerDetails_fields = c.fields<CoreListenerDetails>({
  name: c.req(c.str),
  address: c.req(c.str),
  port: c.req(c.uint32),
  externalPort: c.opt(c.uint32),
  extensionRefs: c.opt(c.array(ir_UnstructuredRef)),
  metadata: c.ptr(ir_ResourceMetadata),
  ipFamily: c.ptr(eg_IPFamily),
});
const ir_CoreListenerDetails = c.struct<CoreListenerDetails>("CoreListenerDetails", ir_CoreListenerDetails_fields);

const ir_MirrorPolicy_fields = c.fields<MirrorPolicy>({
  destination: c.nul(ir_RouteDestination),
  percentage: c.ptr(c.float),
});
const ir_MirrorPolicy = c.struct<MirrorPolicy>("MirrorPolicy", ir_MirrorPolicy_fields);

const ir_CORS_fields = c.fields<CORS>({
  allowOrigins: c.opt(c.array(ir_StringMatch)),
  allowMethods: c.opt(c.array(c.str)),
  allowHeaders: c.opt(c.array(c.str)),
  exposeHeaders: c.opt(c.array(c.str)),
  maxAge: c.ptr(c.duration),
  allowCredentials: c.opt(c.bool),
});
const ir_CORS = c.struct<CORS>("CORS", ir_CORS_fields);

const ir_CSRF_fields = c.fields<CSRF>({
  shadowFraction: c.ptr(gw_Fraction),
  additionalOrigins: c.opt(c.array(ir_StringMatch)),
});
const ir_CSRF = c.struct<CSRF>("CSRF", ir_CSRF_fields);

const ir_RemoteJWKS_fields = c.fields<RemoteJWKS>({
  destination: c.ptr(ir_RouteDestination),
  traffic: c.ptr(ir_TrafficFeatures),
  uri: c.req(c.str),
  cacheDuration: c.ptr(c.duration),
  failedRefetchDuration: c.ptr(c.duration),
});
const ir_RemoteJWKS = c.struct<RemoteJWKS>("RemoteJWKS", ir_RemoteJWKS_fields);

const ir_JWTProvider_fields = c.fields<JWTProvider>({
  name: c.req(c.str),
  issuer: c.opt(c.str),
  audiences: c.opt(c.array(c.str)),
  remoteJWKS: c.ptr(ir_RemoteJWKS),
  localJWKS: c.ptr(c.str),
  claimToHeaders: c.opt(c.array(eg_ClaimToHeader)),
  recomputeRoute: c.ptr(c.bool),
  extractFrom: c.ptr(eg_JWTExtractor),
});
const ir_JWTProvider = c.struct<JWTProvider>("JWTProvider", ir_JWTProvider_fields);

const ir_JWT_fields = c.fields<JWT>({
  allowMissing: c.opt(c.bool),
  allowMissingOrFailed: c.opt(c.bool),
  providers: c.opt(c.array(ir_JWTProvider)),
});
const ir_JWT = c.struct<JWT>("JWT", ir_JWT_fields);

const ir_OIDCProvider_fields = c.fields<OIDCProvider>({
  destination: c.ptr(ir_RouteDestination),
  traffic: c.ptr(ir_TrafficFeatures),
  authorizationEndpoint: c.req(c.str),
  tokenEndpoint: c.req(c.str),
  endSessionEndpoint: c.ptr(c.str),
});
const ir_OIDCProvider = c.struct<OIDCProvider>("OIDCProvider", ir_OIDCProvider_fields);

const ir_OIDC_fields = c.fields<OIDC>({
  name: c.req(c.str),
  provider: c.req(ir_OIDCProvider),
  clientID: c.req(c.str),
  clientSecret: c.opt(c.privateBytes),
  hmacSecret: c.opt(c.privateBytes),
  scopes: c.opt(c.array(c.str)),
  resources: c.opt(c.array(c.str)),
  redirectURL: c.opt(c.str),
  redirectPath: c.opt(c.str),
  logoutPath: c.opt(c.str),
  forwardAccessToken: c.opt(c.bool),
  forwardIDTokenHeader: c.ptr(c.str),
  defaultTokenTTL: c.ptr(c.duration),
  refreshToken: c.opt(c.bool),
  defaultRefreshTokenTTL: c.ptr(c.duration),
  csrfTokenTTL: c.ptr(c.duration),
  cookieSuffix: c.opt(c.str),
  cookieNameOverrides: c.ptr(eg_OIDCCookieNames),
  cookieDomain: c.ptr(c.str),
  cookieConfig: c.ptr(eg_OIDCCookieConfig),
  passThroughAuthHeader: c.opt(c.bool),
  disableTokenEncryption: c.opt(c.bool),
  denyRedirect: c.ptr(eg_OIDCDenyRedirect),
});
const ir_OIDC = c.struct<OIDC>("OIDC", ir_OIDC_fields);

const ir_APIKeyCredential_fields = c.fields<APIKeyCredential>({
  client: c.req(c.privateBytes),
  key: c.req(c.privateBytes),
});
const ir_APIKeyCredential = c.struct<APIKeyCredential>("APIKeyCredential", ir_APIKeyCredential_fields);

const ir_ExtractFrom_fields = c.fields<ExtractFrom>({
  headers: c.opt(c.array(c.str)),
  params: c.opt(c.array(c.str)),
  cookies: c.opt(c.array(c.str)),
});
const ir_ExtractFrom = c.struct<ExtractFrom>("ExtractFrom", ir_ExtractFrom_fields);

const ir_APIKeyAuth_fields = c.fields<APIKeyAuth>({
  credentials: c.opt(c.array(ir_APIKeyCredential)),
  extractFrom: c.nul(c.array(ir_ExtractFrom)),
  forwardClientIDHeader: c.ptr(c.str),
  sanitize: c.ptr(c.bool),
});
const ir_APIKeyAuth = c.struct<APIKeyAuth>("APIKeyAuth", ir_APIKeyAuth_fields);

const ir_BasicAuth_fields = c.fields<BasicAuth>({
  name: c.req(c.str),
  users: c.opt(c.privateBytes),
  forwardUsernameHeader: c.ptr(c.str),
});
const ir_BasicAuth = c.struct<BasicAuth>("BasicAuth", ir_BasicAuth_fields);

const ir_GRPCExtAuthService_fields = c.fields<GRPCExtAuthService>({
  destination: c.req(ir_RouteDestination),
  authority: c.req(c.str),
});
const ir_GRPCExtAuthService = c.struct<GRPCExtAuthService>("GRPCExtAuthService", ir_GRPCExtAuthService_fields);

const ir_HTTPExtAuthService_fields = c.fields<HTTPExtAuthService>({
  destination: c.req(ir_RouteDestination),
  authority: c.req(c.str),
  path: c.req(c.str),
  pathOverride: c.opt(c.str),
  headersToBackend: c.opt(c.array(c.str)),
});
const ir_HTTPExtAuthService = c.struct<HTTPExtAuthService>("HTTPExtAuthService", ir_HTTPExtAuthService_fields);

const ir_BodyToExtAuth_fields = c.fields<BodyToExtAuth>({
  maxRequestBytes: c.req(c.uint32),
});
const ir_BodyToExtAuth = c.struct<BodyToExtAuth>("BodyToExtAuth", ir_BodyToExtAuth_fields);

const ir_ContextExtention_fields = c.fields<ContextExtention>({
  name: c.req(c.str),
  value: c.req(c.privateBytes),
});
const ir_ContextExtention = c.struct<ContextExtention>("ContextExtention", ir_ContextExtention_fields);

const ir_ExtAuth_fields = c.fields<ExtAuth>({
  name: c.req(c.str),
  grpc: c.ptr(ir_GRPCExtAuthService),
  http: c.ptr(ir_HTTPExtAuthService),
  traffic: c.ptr(ir_TrafficFeatures),
  headersToExtAuth: c.opt(c.array(c.str)),
  bodyToExtAuth: c.ptr(ir_BodyToExtAuth),
  timeout: c.ptr(c.duration),
  failOpen: c.ptr(c.bool),
  recomputeRoute: c.ptr(c.bool),
  includeRouteMetadata: c.ptr(c.bool),
  contextExtensions: c.opt(c.array(ir_ContextExtention)),
  statusOnError: c.ptr(c.int32),
});
const ir_ExtAuth = c.struct<ExtAuth>("ExtAuth", ir_ExtAuth_fields);

const ir_Principal_fields = c.fields<Principal>({
  clientCIDRs: c.opt(c.array(ir_CIDRMatch)),
  jwt: c.ptr(eg_JWTPrincipal),
  headers: c.opt(c.array(eg_AuthorizationHeaderMatch)),
  clientIPGeoLocations: c.opt(c.array(eg_ClientIPGeoLocation)),
});
const ir_Principal = c.struct<Principal>("Principal", ir_Principal_fields);

const ir_AuthorizationRule_fields = c.fields<AuthorizationRule>({
  name: c.req(c.str),
  action: c.req(eg_AuthorizationAction),
  operation: c.ptr(eg_Operation),
  principal: c.req(ir_Principal),
  cel: c.ptr(c.str),
});
const ir_AuthorizationRule = c.struct<AuthorizationRule>("AuthorizationRule", ir_AuthorizationRule_fields);

const ir_Authorization_fields = c.fields<Authorization>({
  rules: c.opt(c.array(ir_AuthorizationRule)),
  defaultAction: c.req(eg_AuthorizationAction),
});
const ir_Authorization = c.struct<Authorization>("Authorization", ir_Authorization_fields);

const ir_SecurityFeatures_fields = c.fields<SecurityFeatures>({
  cors: c.ptr(ir_CORS),
  csrf: c.ptr(ir_CSRF),
  jwt: c.ptr(ir_JWT),
  oidc: c.ptr(ir_OIDC),
  apiKeyAuth: c.ptr(ir_APIKeyAuth),
  basicAuth: c.ptr(ir_BasicAuth),
  extAuth: c.ptr(ir_ExtAuth),
  authorization: c.ptr(ir_Authorization),
});
const ir_SecurityFeatures = c.struct<SecurityFeatures>("SecurityFeatures", ir_SecurityFeatures_fields);

const ir_ExtProcBodyProcessingMode = c.literal<ExtProcBodyProcessingMode>(["Streamed", "Buffered", "FullDuplexStreamed", "BufferedPartial"]);

const ir_ExtProc_fields = c.fields<ExtProc>({
  name: c.req(c.str),
  destination: c.req(ir_RouteDestination),
  traffic: c.ptr(ir_TrafficFeatures),
  authority: c.req(c.str),
  messageTimeout: c.ptr(c.duration),
  shadowMode: c.ptr(c.bool),
  failOpen: c.ptr(c.bool),
  requestHeaderProcessing: c.opt(c.bool),
  requestBodyProcessingMode: c.ptr(ir_ExtProcBodyProcessingMode),
  responseHeaderProcessing: c.opt(c.bool),
  responseBodyProcessingMode: c.ptr(ir_ExtProcBodyProcessingMode),
  requestAttributes: c.opt(c.array(c.str)),
  responseAttributes: c.opt(c.array(c.str)),
  forwardingMetadataNamespaces: c.opt(c.array(c.str)),
  receivingMetadataNamespaces: c.opt(c.array(c.str)),
  allowModeOverride: c.opt(c.bool),
  statusOnError: c.ptr(c.int32),
});
const ir_ExtProc = c.struct<ExtProc>("ExtProc", ir_ExtProc_fields);

const ir_HTTPWasmCode_fields = c.fields<HTTPWasmCode>({
  servingURL: c.req(c.str),
  sha256: c.req(c.str),
  originalDownloadingURL: c.req(c.str),
});
const ir_HTTPWasmCode = c.struct<HTTPWasmCode>("HTTPWasmCode", ir_HTTPWasmCode_fields);

const ir_Wasm_fields = c.fields<Wasm>({
  name: c.req(c.str),
  rootID: c.ptr(c.str),
  wasmName: c.req(c.str),
  config: c.nul(c.json),
  failOpen: c.req(c.bool),
  httpWasmCode: c.ptr(ir_HTTPWasmCode),
  hostKeys: c.opt(c.array(c.str)),
});
const ir_Wasm = c.struct<Wasm>("Wasm", ir_Wasm_fields);

const ir_Lua_fields = c.fields<Lua>({
  name: c.req(c.str, "Name"),
  code: c.nul(c.str, "Code"),
  filterContext: c.nul(c.json, "FilterContext"),
});
const ir_Lua = c.struct<Lua>("Lua", ir_Lua_fields);

const ir_RemoteDynamicModuleSource_fields = c.fields<RemoteDynamicModuleSource>({
  url: c.req(c.str),
  sha256: c.req(c.str),
});
const ir_RemoteDynamicModuleSource = c.struct<RemoteDynamicModuleSource>("RemoteDynamicModuleSource", ir_RemoteDynamicModuleSource_fields);

const ir_DynamicModule_fields = c.fields<DynamicModule>({
  name: c.req(c.str),
  path: c.opt(c.str),
  remote: c.ptr(ir_RemoteDynamicModuleSource),
  filterName: c.opt(c.str),
  config: c.ptr(c.json),
  doNotClose: c.req(c.bool),
  loadGlobally: c.req(c.bool),
  terminalFilter: c.req(c.bool),
});
const ir_DynamicModule = c.struct<DynamicModule>("DynamicModule", ir_DynamicModule_fields);

const ir_EnvoyExtensionFeatures_fields = c.fields<EnvoyExtensionFeatures>({
  extProcs: c.opt(c.array(ir_ExtProc)),
  wasms: c.opt(c.array(ir_Wasm)),
  luas: c.opt(c.array(ir_Lua)),
  dynamicModules: c.opt(c.array(ir_DynamicModule)),
});
const ir_EnvoyExtensionFeatures = c.struct<EnvoyExtensionFeatures>("EnvoyExtensionFeatures", ir_EnvoyExtensionFeatures_fields);

const ir_CookieBasedSessionPersistence_fields = c.fields<CookieBasedSessionPersistence>({
  name: c.req(c.str),
  ttl: c.ptr(c.duration),
});
const ir_CookieBasedSessionPersistence = c.struct<CookieBasedSessionPersistence>("CookieBasedSessionPersistence", ir_CookieBasedSessionPersistence_fields);

const ir_HeaderBasedSessionPersistence_fields = c.fields<HeaderBasedSessionPersistence>({
  name: c.req(c.str),
});
const ir_HeaderBasedSessionPersistence = c.struct<HeaderBasedSessionPersistence>("HeaderBasedSessionPersistence", ir_HeaderBasedSessionPersistence_fields);

const ir_SessionPersistence_fields = c.fields<SessionPersistence>({
  cookie: c.ptr(ir_CookieBasedSessionPersistence),
  header: c.ptr(ir_HeaderBasedSessionPersistence),
});
const ir_SessionPersistence = c.struct<SessionPersistence>("SessionPersistence", ir_SessionPersistence_fields);

const ir_HTTPRoute_fields = c.fields<HTTPRoute>({
  name: c.req(c.str),
  statName: c.ptr(c.str),
  hostname: c.req(c.str),
  isHTTP2: c.req(c.bool),
  pathMatch: c.ptr(ir_StringMatch),
  headerMatches: c.opt(c.array(ir_StringMatch)),
  queryParamMatches: c.opt(c.array(ir_StringMatch)),
  cookieMatches: c.opt(c.array(ir_StringMatch)),
  addRequestHeaders: c.opt(c.array(ir_AddHeader)),
  removeRequestHeaders: c.opt(c.array(c.str)),
  addResponseHeaders: c.opt(c.array(ir_AddHeader)),
  removeResponseHeaders: c.opt(c.array(c.str)),
  directResponse: c.ptr(ir_CustomResponse),
  redirect: c.ptr(ir_Redirect),
  mirrors: c.opt(c.array(ir_MirrorPolicy)),
  destination: c.ptr(ir_RouteDestination),
  urlRewrite: c.ptr(ir_URLRewrite),
  credentialInjection: c.ptr(ir_CredentialInjection),
  extensionRefs: c.opt(c.array(ir_UnstructuredRef)),
  extensionServerPolicies: c.opt(c.array(ir_UnstructuredRef)),
  traffic: c.ptr(ir_TrafficFeatures),
  security: c.ptr(ir_SecurityFeatures),
  envoyExtensions: c.ptr(ir_EnvoyExtensionFeatures),
  useClientProtocol: c.ptr(c.bool),
  metadata: c.ptr(ir_ResourceMetadata),
  sessionPersistence: c.ptr(ir_SessionPersistence),
  timeout: c.ptr(c.duration),
  retry: c.ptr(ir_Retry),
  cors: c.ptr(ir_CORS),
});
const ir_HTTPRoute = c.struct<HTTPRoute>("HTTPRoute", ir_HTTPRoute_fields);

const ir_XForwardedClientCert_fields = c.fields<XForwardedClientCert>({
  mode: c.opt(eg_XFCCForwardMode),
  certDetailsToAdd: c.opt(c.array(eg_XFCCCertData)),
});
const ir_XForwardedClientCert = c.struct<XForwardedClientCert>("XForwardedClientCert", ir_XForwardedClientCert_fields);

const ir_WithUnderscoresAction = c.literal<WithUnderscoresAction>(["Allow", "RejectRequest", "DropHeader"]);

const ir_RequestIDAction = c.literal<RequestIDAction>(["PreserveOrGenerate", "Preserve", "Generate", "Disable"]);

const ir_HeaderSettings_fields = c.fields<HeaderSettings>({
  enableEnvoyHeaders: c.opt(c.bool),
  disableRateLimitHeaders: c.opt(c.bool),
  xForwardedClientCert: c.ptr(ir_XForwardedClientCert),
  withUnderscoresAction: c.opt(ir_WithUnderscoresAction),
  requestID: c.ptr(ir_RequestIDAction),
  earlyAddRequestHeaders: c.opt(c.array(ir_AddHeader)),
  earlyRemoveRequestHeaders: c.opt(c.array(c.str)),
  earlyRemoveRequestHeadersOnMatch: c.opt(c.array(ir_StringMatch)),
  lateAddResponseHeaders: c.opt(c.array(ir_AddHeader)),
  lateRemoveResponseHeaders: c.opt(c.array(c.str)),
  lateRemoveResponseHeadersOnMatch: c.opt(c.array(ir_StringMatch)),
  maxRequestHeadersKB: c.ptr(c.uint32),
});
const ir_HeaderSettings = c.struct<HeaderSettings>("HeaderSettings", ir_HeaderSettings_fields);

const ir_ProxyProtocolSettings_fields = c.fields<ProxyProtocolSettings>({
  optional: c.opt(c.bool),
});
const ir_ProxyProtocolSettings = c.struct<ProxyProtocolSettings>("ProxyProtocolSettings", ir_ProxyProtocolSettings_fields);

const ir_ClientIPDetectionSettings: c.Codec<ClientIPDetectionSettings> = eg_ClientIPDetectionSettings;

const ir_GeoIPMaxMindProvider_fields = c.fields<GeoIPMaxMindProvider>({
  cityDbPath: c.ptr(c.str),
  countryDbPath: c.ptr(c.str),
  asnDbPath: c.ptr(c.str),
  ispDbPath: c.ptr(c.str),
  anonymousIpDbPath: c.ptr(c.str),
});
const ir_GeoIPMaxMindProvider = c.struct<GeoIPMaxMindProvider>("GeoIPMaxMindProvider", ir_GeoIPMaxMindProvider_fields);

const ir_GeoIPProvider_fields = c.fields<GeoIPProvider>({
  maxMind: c.ptr(ir_GeoIPMaxMindProvider),
});
const ir_GeoIPProvider = c.struct<GeoIPProvider>("GeoIPProvider", ir_GeoIPProvider_fields);

const ir_PathEscapedSlashAction = c.literal<PathEscapedSlashAction>(["KeepUnchanged", "RejectRequest", "UnescapeAndRedirect", "UnescapeAndForward"]);

const ir_PathSettings_fields = c.fields<PathSettings>({
  mergeSlashes: c.req(c.bool),
  escapedSlashesAction: c.req(ir_PathEscapedSlashAction),
});
const ir_PathSettings = c.struct<PathSettings>("PathSettings", ir_PathSettings_fields);

const ir_HostSettings_fields = c.fields<HostSettings>({
  stripTrailingHostDot: c.opt(c.bool),
});
const ir_HostSettings = c.struct<HostSettings>("HostSettings", ir_HostSettings_fields);

const ir_HTTP10Settings_fields = c.fields<HTTP10Settings>({
  defaultHost: c.ptr(c.str),
});
const ir_HTTP10Settings = c.struct<HTTP10Settings>("HTTP10Settings", ir_HTTP10Settings_fields);

const ir_HTTP1Settings_fields = c.fields<HTTP1Settings>({
  enableTrailers: c.opt(c.bool),
  preserveHeaderCase: c.opt(c.bool),
  http10: c.ptr(ir_HTTP10Settings),
  disableSafeMaxConnectionDuration: c.opt(c.bool),
  ignoredUpgradeTypes: c.opt(c.array(ir_StringMatch)),
});
const ir_HTTP1Settings = c.struct<HTTP1Settings>("HTTP1Settings", ir_HTTP1Settings_fields);

const ir_HTTP3Settings_fields = c.fields<HTTP3Settings>({});
const ir_HTTP3Settings = c.struct<HTTP3Settings>("HTTP3Settings", ir_HTTP3Settings_fields);

const ir_GRPCSettings_fields = c.fields<GRPCSettings>({
  enableGRPCWeb: c.ptr(c.bool),
  enableGRPCStats: c.ptr(c.bool),
});
const ir_GRPCSettings = c.struct<GRPCSettings>("GRPCSettings", ir_GRPCSettings_fields);

const ir_HealthCheckSettings: c.Codec<HealthCheckSettings> = eg_HealthCheckSettings;

const ir_TCPClientTimeout_fields = c.fields<TCPClientTimeout>({
  idleTimeout: c.ptr(c.duration),
  tlsHandshakeTimeout: c.ptr(c.duration),
  connectionInspectionTimeout: c.ptr(c.duration),
});
const ir_TCPClientTimeout = c.struct<TCPClientTimeout>("TCPClientTimeout", ir_TCPClientTimeout_fields);

const ir_HTTPClientTimeout_fields = c.fields<HTTPClientTimeout>({
  requestReceivedTimeout: c.ptr(c.duration),
  requestHeadersReceivedTimeout: c.ptr(c.duration),
  idleTimeout: c.ptr(c.duration),
  streamIdleTimeout: c.ptr(c.duration),
});
const ir_HTTPClientTimeout = c.struct<HTTPClientTimeout>("HTTPClientTimeout", ir_HTTPClientTimeout_fields);

const ir_ClientTimeout_fields = c.fields<ClientTimeout>({
  tcp: c.ptr(ir_TCPClientTimeout),
  http: c.ptr(ir_HTTPClientTimeout),
});
const ir_ClientTimeout = c.struct<ClientTimeout>("ClientTimeout", ir_ClientTimeout_fields);

const ir_ConnectionLimit_fields = c.fields<ConnectionLimit>({
  value: c.ptr(c.uint64),
  closeDelay: c.ptr(c.duration),
  maxConnectionDuration: c.ptr(c.duration),
  maxRequestsPerConnection: c.ptr(c.uint32),
  maxStreamDuration: c.ptr(c.duration),
});
const ir_ConnectionLimit = c.struct<ConnectionLimit>("ConnectionLimit", ir_ConnectionLimit_fields);

const ir_ClientConnection_fields = c.fields<ClientConnection>({
  limit: c.ptr(ir_ConnectionLimit),
  bufferLimit: c.ptr(c.uint32),
  maxAcceptPerSocketEvent: c.ptr(c.uint32),
});
const ir_ClientConnection = c.struct<ClientConnection>("ClientConnection", ir_ClientConnection_fields);

const ir_RequestIDExtensionAction = c.literal<RequestIDExtensionAction>(["PackAndSample", "Sample", "Pack", "Disable"]);

const ir_HTTPListener_fields = c.fields<HTTPListener>({
  ...ir_CoreListenerDetails_fields,
  hostnames: c.nul(c.array(c.str)),
  tls: c.ptr(ir_TLSConfig),
  tlsOverlaps: c.opt(c.bool),
  routes: c.opt(c.array(ir_HTTPRoute)),
  tcpKeepalive: c.ptr(ir_TCPKeepalive),
  headers: c.ptr(ir_HeaderSettings),
  proxyProtocol: c.ptr(ir_ProxyProtocolSettings),
  clientIPDetection: c.ptr(ir_ClientIPDetectionSettings),
  geoIPProvider: c.ptr(ir_GeoIPProvider),
  path: c.req(ir_PathSettings),
  host: c.ptr(ir_HostSettings),
  http1: c.ptr(ir_HTTP1Settings),
  http2: c.ptr(ir_HTTP2Settings),
  http3: c.ptr(ir_HTTP3Settings),
  grpc: c.ptr(ir_GRPCSettings),
  healthCheck: c.ptr(ir_HealthCheckSettings),
  timeout: c.ptr(ir_ClientTimeout),
  connection: c.ptr(ir_ClientConnection),
  preserveRouteOrder: c.opt(c.bool),
  matchBackendScheme: c.opt(c.bool),
  requestID: c.ptr(ir_RequestIDExtensionAction),
});
const ir_HTTPListener = c.struct<HTTPListener>("HTTPListener", ir_HTTPListener_fields);

const ir_TLSInspectorConfig_fields = c.fields<TLSInspectorConfig>({
  snis: c.opt(c.array(c.str)),
});
const ir_TLSInspectorConfig = c.struct<TLSInspectorConfig>("TLSInspectorConfig", ir_TLSInspectorConfig_fields);

const ir_TLS_fields = c.fields<TLS>({
  inspector: c.ptr(ir_TLSInspectorConfig),
  terminate: c.ptr(ir_TLSConfig),
});
const ir_TLS = c.struct<TLS>("TLS", ir_TLS_fields);

const ir_TCPRoute_fields = c.fields<TCPRoute>({
  name: c.req(c.str),
  statName: c.ptr(c.str),
  tls: c.ptr(ir_TLS),
  destination: c.ptr(ir_RouteDestination),
  tcpKeepalive: c.ptr(ir_TCPKeepalive),
  loadBalancer: c.ptr(ir_LoadBalancer),
  timeout: c.ptr(ir_Timeout),
  circuitBreaker: c.ptr(ir_CircuitBreaker),
  healthCheck: c.ptr(ir_HealthCheck),
  proxyProtocol: c.ptr(ir_ProxyProtocol),
  metadata: c.ptr(ir_ResourceMetadata),
  backendConnection: c.ptr(ir_BackendConnection),
  preconnect: c.ptr(ir_Preconnect),
  dns: c.ptr(ir_DNS),
  authorization: c.ptr(ir_Authorization),
});
const ir_TCPRoute = c.struct<TCPRoute>("TCPRoute", ir_TCPRoute_fields);

const ir_TCPListener_fields = c.fields<TCPListener>({
  ...ir_CoreListenerDetails_fields,
  tls: c.ptr(ir_TLSConfig),
  tcpKeepalive: c.ptr(ir_TCPKeepalive),
  proxyProtocol: c.ptr(ir_ProxyProtocolSettings),
  timeout: c.ptr(ir_ClientTimeout),
  connection: c.ptr(ir_ClientConnection),
  routes: c.opt(c.array(ir_TCPRoute)),
});
const ir_TCPListener = c.struct<TCPListener>("TCPListener", ir_TCPListener_fields);

const ir_UDPRoute_fields = c.fields<UDPRoute>({
  name: c.req(c.str),
  destination: c.ptr(ir_RouteDestination),
  loadBalancer: c.ptr(ir_LoadBalancer),
  dns: c.ptr(ir_DNS),
});
const ir_UDPRoute = c.struct<UDPRoute>("UDPRoute", ir_UDPRoute_fields);

const ir_UDPListener_fields = c.fields<UDPListener>({
  ...ir_CoreListenerDetails_fields,
  route: c.ptr(ir_UDPRoute),
});
const ir_UDPListener = c.struct<UDPListener>("UDPListener", ir_UDPListener_fields);

const ir_EnvoyPatchPolicyStatus_fields = c.fields<EnvoyPatchPolicyStatus>({
  name: c.opt(c.str),
  namespace: c.opt(c.str),
  generation: c.opt(c.int64),
  status: c.ptr(c.jsonObject),
});
const ir_EnvoyPatchPolicyStatus = c.struct<EnvoyPatchPolicyStatus>("EnvoyPatchPolicyStatus", ir_EnvoyPatchPolicyStatus_fields);

const ir_JSONPatchOp = c.literal<JSONPatchOp>(["add", "remove", "replace", "copy", "move", "test"]);

const ir_JSONPatchOperation_fields = c.fields<JSONPatchOperation>({
  op: c.req(ir_JSONPatchOp),
  path: c.ptr(c.str),
  jsonPath: c.ptr(c.str),
  from: c.ptr(c.str),
  value: c.ptr(c.json),
});
const ir_JSONPatchOperation = c.struct<JSONPatchOperation>("JSONPatchOperation", ir_JSONPatchOperation_fields);

const ir_JSONPatchConfig_fields = c.fields<JSONPatchConfig>({
  type: c.req(c.str),
  name: c.req(c.str),
  operation: c.req(ir_JSONPatchOperation),
});
const ir_JSONPatchConfig = c.struct<JSONPatchConfig>("JSONPatchConfig", ir_JSONPatchConfig_fields);

const ir_EnvoyPatchPolicy_fields = c.fields<EnvoyPatchPolicy>({
  ...ir_EnvoyPatchPolicyStatus_fields,
  jsonPatches: c.opt(c.array(ir_JSONPatchConfig)),
});
const ir_EnvoyPatchPolicy = c.struct<EnvoyPatchPolicy>("EnvoyPatchPolicy", ir_EnvoyPatchPolicy_fields);

const ir_GlobalResources_fields = c.fields<GlobalResources>({
  envoyClientCertificate: c.ptr(ir_TLSCertificate),
  proxyServiceCluster: c.ptr(ir_RouteDestination),
});
const ir_GlobalResources = c.struct<GlobalResources>("GlobalResources", ir_GlobalResources_fields);

const ir_BackendCluster_fields = c.fields<BackendCluster>({
  name: c.req(c.str),
  setting: c.ptr(ir_DestinationSetting),
  metadata: c.ptr(ir_ResourceMetadata),
  traffic: c.ptr(ir_ClusterTrafficFeatures),
  useClientProtocol: c.ptr(c.bool),
});
const ir_BackendCluster = c.struct<BackendCluster>("BackendCluster", ir_BackendCluster_fields);

const ir_Xds_fields = c.fields<Xds>({
  readyListener: c.ptr(ir_ReadyListener),
  accessLog: c.ptr(ir_AccessLog),
  tracing: c.ptr(ir_Tracing),
  metrics: c.ptr(ir_Metrics),
  healthCheckLog: c.ptr(ir_ProxyHealthCheckLog),
  http: c.opt(c.array(ir_HTTPListener)),
  tcp: c.opt(c.array(ir_TCPListener)),
  udp: c.opt(c.array(ir_UDPListener)),
  envoyPatchPolicies: c.opt(c.array(ir_EnvoyPatchPolicy)),
  filterOrder: c.opt(c.array(eg_FilterPosition)),
  globalResources: c.ptr(ir_GlobalResources),
  extensionServerPolicies: c.opt(c.array(ir_UnstructuredRef)),
  backendClusters: c.opt(c.array(ir_BackendCluster)),
});
const ir_Xds = c.struct<Xds>("Xds", ir_Xds_fields);

const ir_BackendWeights_fields = c.fields<BackendWeights>({
  valid: c.req(c.uint32),
  invalid: c.req(c.uint32),
  noEndpoints: c.req(c.uint32),
});
const ir_BackendWeights = c.struct<BackendWeights>("BackendWeights", ir_BackendWeights_fields);

const ir_ClusterTimeout_fields = c.fields<ClusterTimeout>({
  tcp: c.ptr(ir_TCPTimeout),
  http: c.ptr(ir_ClusterHTTPTimeout),
});
const ir_ClusterTimeout = c.struct<ClusterTimeout>("ClusterTimeout", ir_ClusterTimeout_fields);

const ir_LoadBalancerType = c.literal<LoadBalancerType>(["LeastRequest", "RoundRobin", "Random", "ConsistentHash", "BackendUtilization"]);

const ir_InfraMetadata_fields = c.fields<InfraMetadata>({
  annotations: c.opt(c.record(c.str)),
  labels: c.opt(c.record(c.str)),
  ownerReference: c.ptr(ir_ResourceMetadata),
});
const ir_InfraMetadata = c.struct<InfraMetadata>("InfraMetadata", ir_InfraMetadata_fields);

const ir_ProtocolType = c.literal<ProtocolType>(["HTTP", "HTTPS", "TLS", "TCP", "UDP"]);

const ir_ListenerPort_fields = c.fields<ListenerPort>({
  name: c.req(c.str),
  protocol: c.req(ir_ProtocolType),
  servicePort: c.req(c.int32),
  containerPort: c.req(c.int32),
});
const ir_ListenerPort = c.struct<ListenerPort>("ListenerPort", ir_ListenerPort_fields);

const ir_ProxyListener_fields = c.fields<ProxyListener>({
  name: c.req(c.str),
  ports: c.opt(c.array(ir_ListenerPort)),
  http3: c.ptr(ir_HTTP3Settings),
});
const ir_ProxyListener = c.struct<ProxyListener>("ProxyListener", ir_ProxyListener_fields);

const ir_ResolvedMetricSink_fields = c.fields<ResolvedMetricSink>({
  destination: c.req(ir_RouteDestination),
  authority: c.opt(c.str),
  headers: c.opt(c.array(gw_HTTPHeader)),
  resourceAttributes: c.opt(c.record(c.str)),
  reportCountersAsDeltas: c.opt(c.bool),
  reportHistogramsAsDeltas: c.opt(c.bool),
});
const ir_ResolvedMetricSink = c.struct<ResolvedMetricSink>("ResolvedMetricSink", ir_ResolvedMetricSink_fields);

const ir_ProxyInfra_fields = c.fields<ProxyInfra>({
  metadata: c.ptr(ir_InfraMetadata),
  name: c.req(c.str),
  namespace: c.req(c.str),
  config: c.ptr(c.jsonObject),
  listeners: c.opt(c.array(ir_ProxyListener)),
  addresses: c.opt(c.array(c.str)),
  resolvedMetricSinks: c.opt(c.array(ir_ResolvedMetricSink)),
});
const ir_ProxyInfra = c.struct<ProxyInfra>("ProxyInfra", ir_ProxyInfra_fields);

const ir_Infra_fields = c.fields<Infra>({
  proxy: c.nul(ir_ProxyInfra),
});
const ir_Infra = c.struct<Infra>("Infra", ir_Infra_fields);

/** Codecs of every xds/infra IR type, by upstream type name. */
export const irCodecs: { readonly [K in keyof IRTypeMap]: c.Codec<IRTypeMap[K]> } = {
  PrivateBytes: ir_PrivateBytes,
  MapEntry: ir_MapEntry,
  CustomTagMapEntry: ir_CustomTagMapEntry,
  Xds: ir_Xds,
  CoreListenerDetails: ir_CoreListenerDetails,
  RequestIDExtensionAction: ir_RequestIDExtensionAction,
  HTTPListener: ir_HTTPListener,
  TLSVersion: ir_TLSVersion,
  TLSFingerprintType: ir_TLSFingerprintType,
  TLSConfig: ir_TLSConfig,
  TLSCertificate: ir_TLSCertificate,
  SDSConfig: ir_SDSConfig,
  TLSCrl: ir_TLSCrl,
  TLSCACertificate: ir_TLSCACertificate,
  SubjectAltName: ir_SubjectAltName,
  PathEscapedSlashAction: ir_PathEscapedSlashAction,
  PathSettings: ir_PathSettings,
  HostSettings: ir_HostSettings,
  ProxyProtocolSettings: ir_ProxyProtocolSettings,
  WithUnderscoresAction: ir_WithUnderscoresAction,
  RequestIDAction: ir_RequestIDAction,
  XForwardedClientCert: ir_XForwardedClientCert,
  ClientIPDetectionSettings: ir_ClientIPDetectionSettings,
  BackendWeights: ir_BackendWeights,
  HTTP1Settings: ir_HTTP1Settings,
  HTTP10Settings: ir_HTTP10Settings,
  HTTP2Settings: ir_HTTP2Settings,
  HTTP2KeepaliveSettings: ir_HTTP2KeepaliveSettings,
  GRPCSettings: ir_GRPCSettings,
  ResponseOverride: ir_ResponseOverride,
  ResponseOverrideRule: ir_ResponseOverrideRule,
  CustomResponseMatch: ir_CustomResponseMatch,
  StatusCodeMatch: ir_StatusCodeMatch,
  StatusCodeRange: ir_StatusCodeRange,
  CustomResponse: ir_CustomResponse,
  CredentialInjection: ir_CredentialInjection,
  HealthCheckSettings: ir_HealthCheckSettings,
  HeaderSettings: ir_HeaderSettings,
  ClientTimeout: ir_ClientTimeout,
  TCPClientTimeout: ir_TCPClientTimeout,
  HTTPClientTimeout: ir_HTTPClientTimeout,
  HTTPRoute: ir_HTTPRoute,
  DNS: ir_DNS,
  SessionPersistence: ir_SessionPersistence,
  CookieBasedSessionPersistence: ir_CookieBasedSessionPersistence,
  HeaderBasedSessionPersistence: ir_HeaderBasedSessionPersistence,
  Compression: ir_Compression,
  ClusterTrafficFeatures: ir_ClusterTrafficFeatures,
  TrafficFeatures: ir_TrafficFeatures,
  BackendTelemetry: ir_BackendTelemetry,
  BackendTracing: ir_BackendTracing,
  BackendMetrics: ir_BackendMetrics,
  HTTPUpgradeConfig: ir_HTTPUpgradeConfig,
  ConnectConfig: ir_ConnectConfig,
  SecurityFeatures: ir_SecurityFeatures,
  EnvoyExtensionFeatures: ir_EnvoyExtensionFeatures,
  UnstructuredRef: ir_UnstructuredRef,
  RegexMatchReplace: ir_RegexMatchReplace,
  CORS: ir_CORS,
  CSRF: ir_CSRF,
  JWT: ir_JWT,
  JWTProvider: ir_JWTProvider,
  RemoteJWKS: ir_RemoteJWKS,
  OIDC: ir_OIDC,
  OIDCProvider: ir_OIDCProvider,
  BasicAuth: ir_BasicAuth,
  APIKeyCredential: ir_APIKeyCredential,
  APIKeyAuth: ir_APIKeyAuth,
  ExtractFrom: ir_ExtractFrom,
  ExtAuth: ir_ExtAuth,
  BodyToExtAuth: ir_BodyToExtAuth,
  ContextExtention: ir_ContextExtention,
  HTTPExtAuthService: ir_HTTPExtAuthService,
  GRPCExtAuthService: ir_GRPCExtAuthService,
  Authorization: ir_Authorization,
  AuthorizationRule: ir_AuthorizationRule,
  Principal: ir_Principal,
  FaultInjection: ir_FaultInjection,
  FaultInjectionDelay: ir_FaultInjectionDelay,
  FaultInjectionAbort: ir_FaultInjectionAbort,
  AdmissionControl: ir_AdmissionControl,
  AdmissionControlSuccessCriteria: ir_AdmissionControlSuccessCriteria,
  HTTPSuccessCriteria: ir_HTTPSuccessCriteria,
  GRPCSuccessCriteria: ir_GRPCSuccessCriteria,
  MirrorPolicy: ir_MirrorPolicy,
  RouteDestination: ir_RouteDestination,
  BackendCluster: ir_BackendCluster,
  BackendClusterRef: ir_BackendClusterRef,
  DestinationSetting: ir_DestinationSetting,
  DestinationAddressType: ir_DestinationAddressType,
  DestinationEndpoint: ir_DestinationEndpoint,
  AddHeader: ir_AddHeader,
  URLRewrite: ir_URLRewrite,
  Redirect: ir_Redirect,
  HTTPPathModifier: ir_HTTPPathModifier,
  ExtendedHTTPPathModifier: ir_ExtendedHTTPPathModifier,
  HTTPHostModifier: ir_HTTPHostModifier,
  StringMatch: ir_StringMatch,
  TCPListener: ir_TCPListener,
  TCPRoute: ir_TCPRoute,
  TLS: ir_TLS,
  TLSInspectorConfig: ir_TLSInspectorConfig,
  UDPListener: ir_UDPListener,
  UDPRoute: ir_UDPRoute,
  RateLimit: ir_RateLimit,
  GlobalRateLimit: ir_GlobalRateLimit,
  GlobalResources: ir_GlobalResources,
  GeoIPProvider: ir_GeoIPProvider,
  GeoIPMaxMindProvider: ir_GeoIPMaxMindProvider,
  LocalRateLimit: ir_LocalRateLimit,
  RateLimitRule: ir_RateLimitRule,
  RateLimitCost: ir_RateLimitCost,
  CIDRMatch: ir_CIDRMatch,
  QueryParamMatch: ir_QueryParamMatch,
  RateLimitUnit: ir_RateLimitUnit,
  RateLimitValue: ir_RateLimitValue,
  RateLimitValueMetadata: ir_RateLimitValueMetadata,
  BandwidthLimit: ir_BandwidthLimit,
  BandwidthLimitConfig: ir_BandwidthLimitConfig,
  BandwidthLimitResponseTrailers: ir_BandwidthLimitResponseTrailers,
  ProxyAccessLogType: ir_ProxyAccessLogType,
  ReadyListener: ir_ReadyListener,
  AccessLog: ir_AccessLog,
  TextAccessLog: ir_TextAccessLog,
  JSONAccessLog: ir_JSONAccessLog,
  ALSAccessLog: ir_ALSAccessLog,
  ALSAccessLogHTTP: ir_ALSAccessLogHTTP,
  OpenTelemetryAccessLog: ir_OpenTelemetryAccessLog,
  EnvoyPatchPolicy: ir_EnvoyPatchPolicy,
  EnvoyPatchPolicyStatus: ir_EnvoyPatchPolicyStatus,
  JSONPatchConfig: ir_JSONPatchConfig,
  JSONPatchOp: ir_JSONPatchOp,
  JSONPatchOperation: ir_JSONPatchOperation,
  Tracing: ir_Tracing,
  Metrics: ir_Metrics,
  TCPKeepalive: ir_TCPKeepalive,
  LoadBalancer: ir_LoadBalancer,
  RoundRobin: ir_RoundRobin,
  LeastRequest: ir_LeastRequest,
  Random: ir_Random,
  BackendUtilization: ir_BackendUtilization,
  OutOfBandReporting: ir_OutOfBandReporting,
  ConsistentHash: ir_ConsistentHash,
  ProxyProtocolVersion: ir_ProxyProtocolVersion,
  ProxyProtocol: ir_ProxyProtocol,
  SlowStart: ir_SlowStart,
  CircuitBreaker: ir_CircuitBreaker,
  PerEndpointCircuitBreakers: ir_PerEndpointCircuitBreakers,
  HealthCheck: ir_HealthCheck,
  OutlierDetection: ir_OutlierDetection,
  ActiveHealthCheck: ir_ActiveHealthCheck,
  ProxyHealthCheckLog: ir_ProxyHealthCheckLog,
  FileEnvoyProxyHealthCheckLog: ir_FileEnvoyProxyHealthCheckLog,
  HTTPHealthChecker: ir_HTTPHealthChecker,
  HTTPStatus: ir_HTTPStatus,
  GRPCHealthChecker: ir_GRPCHealthChecker,
  TCPHealthChecker: ir_TCPHealthChecker,
  HealthCheckOverrides: ir_HealthCheckOverrides,
  HealthCheckPayload: ir_HealthCheckPayload,
  Timeout: ir_Timeout,
  TCPTimeout: ir_TCPTimeout,
  ClusterTimeout: ir_ClusterTimeout,
  ClusterHTTPTimeout: ir_ClusterHTTPTimeout,
  HTTPTimeout: ir_HTTPTimeout,
  Retry: ir_Retry,
  RetryBudget: ir_RetryBudget,
  TriggerEnum: ir_TriggerEnum,
  RetryOn: ir_RetryOn,
  PerRetryPolicy: ir_PerRetryPolicy,
  BackOffPolicy: ir_BackOffPolicy,
  TLSUpstreamConfig: ir_TLSUpstreamConfig,
  BackendConnection: ir_BackendConnection,
  Preconnect: ir_Preconnect,
  ClientConnection: ir_ClientConnection,
  ConnectionLimit: ir_ConnectionLimit,
  ExtProcBodyProcessingMode: ir_ExtProcBodyProcessingMode,
  ExtProc: ir_ExtProc,
  Lua: ir_Lua,
  Wasm: ir_Wasm,
  HTTPWasmCode: ir_HTTPWasmCode,
  DynamicModule: ir_DynamicModule,
  RemoteDynamicModuleSource: ir_RemoteDynamicModuleSource,
  DestinationFilters: ir_DestinationFilters,
  ResourceMetadata: ir_ResourceMetadata,
  PolicyMetadata: ir_PolicyMetadata,
  RequestBuffer: ir_RequestBuffer,
  PreferLocalZone: ir_PreferLocalZone,
  ForceLocalZone: ir_ForceLocalZone,
  WeightedZoneConfig: ir_WeightedZoneConfig,
  EndpointOverride: ir_EndpointOverride,
  EndpointOverrideExtractFrom: ir_EndpointOverrideExtractFrom,
  LoadBalancerType: ir_LoadBalancerType,
  Infra: ir_Infra,
  ProxyInfra: ir_ProxyInfra,
  ResolvedMetricSink: ir_ResolvedMetricSink,
  InfraMetadata: ir_InfraMetadata,
  ProxyListener: ir_ProxyListener,
  HTTP3Settings: ir_HTTP3Settings,
  ListenerPort: ir_ListenerPort,
  ProtocolType: ir_ProtocolType,
  AppProtocol: ir_AppProtocol,
};
