import type { CustomTagMapEntry, MapEntry, PolicyMetadata, PrivateBytes, ResourceMetadata, UnstructuredRef } from "./Common.js";
import type { GeoIPMaxMindProvider, GeoIPProvider, GlobalResources, Xds } from "./Xds.js";
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
} from "./Listener.js";
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
} from "./Tls.js";
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
} from "./Destination.js";
import type {
  CredentialInjection,
  CustomResponse,
  CustomResponseMatch,
  ResponseOverride,
  ResponseOverrideRule,
  StatusCodeMatch,
  StatusCodeRange,
} from "./ResponseOverride.js";
import type { AddHeader, ExtendedHTTPPathModifier, HTTPHostModifier, HTTPPathModifier, HTTPRoute, Redirect, URLRewrite } from "./Route.js";
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
} from "./Traffic.js";
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
} from "./Security.js";
import type { CIDRMatch, QueryParamMatch, RegexMatchReplace, StringMatch } from "./Match.js";
import type { TCPRoute, TLS, TLSInspectorConfig, UDPRoute } from "./L4Route.js";
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
} from "./RateLimit.js";
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
} from "./Observability.js";
import type { EnvoyPatchPolicy, EnvoyPatchPolicyStatus, JSONPatchConfig, JSONPatchOp, JSONPatchOperation } from "./PatchPolicy.js";
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
} from "./LoadBalancer.js";
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
} from "./HealthCheck.js";
import type { DynamicModule, ExtProc, ExtProcBodyProcessingMode, HTTPWasmCode, Lua, RemoteDynamicModuleSource, Wasm } from "./Extension.js";
import type { HTTP3Settings, Infra, InfraMetadata, ListenerPort, ProtocolType, ProxyInfra, ProxyListener, ResolvedMetricSink } from "./Infra.js";

/** Every xds and infra IR type by its upstream name, for the generic codec functions. */
export interface IRTypeMap {
  PrivateBytes: PrivateBytes;
  MapEntry: MapEntry;
  CustomTagMapEntry: CustomTagMapEntry;
  Xds: Xds;
  CoreListenerDetails: CoreListenerDetails;
  RequestIDExtensionAction: RequestIDExtensionAction;
  HTTPListener: HTTPListener;
  TLSVersion: TLSVersion;
  TLSFingerprintType: TLSFingerprintType;
  TLSConfig: TLSConfig;
  TLSCertificate: TLSCertificate;
  SDSConfig: SDSConfig;
  TLSCrl: TLSCrl;
  TLSCACertificate: TLSCACertificate;
  SubjectAltName: SubjectAltName;
  PathEscapedSlashAction: PathEscapedSlashAction;
  PathSettings: PathSettings;
  HostSettings: HostSettings;
  ProxyProtocolSettings: ProxyProtocolSettings;
  WithUnderscoresAction: WithUnderscoresAction;
  RequestIDAction: RequestIDAction;
  XForwardedClientCert: XForwardedClientCert;
  ClientIPDetectionSettings: ClientIPDetectionSettings;
  BackendWeights: BackendWeights;
  HTTP1Settings: HTTP1Settings;
  HTTP10Settings: HTTP10Settings;
  HTTP2Settings: HTTP2Settings;
  HTTP2KeepaliveSettings: HTTP2KeepaliveSettings;
  GRPCSettings: GRPCSettings;
  ResponseOverride: ResponseOverride;
  ResponseOverrideRule: ResponseOverrideRule;
  CustomResponseMatch: CustomResponseMatch;
  StatusCodeMatch: StatusCodeMatch;
  StatusCodeRange: StatusCodeRange;
  CustomResponse: CustomResponse;
  CredentialInjection: CredentialInjection;
  HealthCheckSettings: HealthCheckSettings;
  HeaderSettings: HeaderSettings;
  ClientTimeout: ClientTimeout;
  TCPClientTimeout: TCPClientTimeout;
  HTTPClientTimeout: HTTPClientTimeout;
  HTTPRoute: HTTPRoute;
  DNS: DNS;
  SessionPersistence: SessionPersistence;
  CookieBasedSessionPersistence: CookieBasedSessionPersistence;
  HeaderBasedSessionPersistence: HeaderBasedSessionPersistence;
  Compression: Compression;
  ClusterTrafficFeatures: ClusterTrafficFeatures;
  TrafficFeatures: TrafficFeatures;
  BackendTelemetry: BackendTelemetry;
  BackendTracing: BackendTracing;
  BackendMetrics: BackendMetrics;
  HTTPUpgradeConfig: HTTPUpgradeConfig;
  ConnectConfig: ConnectConfig;
  SecurityFeatures: SecurityFeatures;
  EnvoyExtensionFeatures: EnvoyExtensionFeatures;
  UnstructuredRef: UnstructuredRef;
  RegexMatchReplace: RegexMatchReplace;
  CORS: CORS;
  CSRF: CSRF;
  JWT: JWT;
  JWTProvider: JWTProvider;
  RemoteJWKS: RemoteJWKS;
  OIDC: OIDC;
  OIDCProvider: OIDCProvider;
  BasicAuth: BasicAuth;
  APIKeyCredential: APIKeyCredential;
  APIKeyAuth: APIKeyAuth;
  ExtractFrom: ExtractFrom;
  ExtAuth: ExtAuth;
  BodyToExtAuth: BodyToExtAuth;
  ContextExtention: ContextExtention;
  HTTPExtAuthService: HTTPExtAuthService;
  GRPCExtAuthService: GRPCExtAuthService;
  Authorization: Authorization;
  AuthorizationRule: AuthorizationRule;
  Principal: Principal;
  FaultInjection: FaultInjection;
  FaultInjectionDelay: FaultInjectionDelay;
  FaultInjectionAbort: FaultInjectionAbort;
  AdmissionControl: AdmissionControl;
  AdmissionControlSuccessCriteria: AdmissionControlSuccessCriteria;
  HTTPSuccessCriteria: HTTPSuccessCriteria;
  GRPCSuccessCriteria: GRPCSuccessCriteria;
  MirrorPolicy: MirrorPolicy;
  RouteDestination: RouteDestination;
  BackendCluster: BackendCluster;
  BackendClusterRef: BackendClusterRef;
  DestinationSetting: DestinationSetting;
  DestinationAddressType: DestinationAddressType;
  DestinationEndpoint: DestinationEndpoint;
  AddHeader: AddHeader;
  URLRewrite: URLRewrite;
  Redirect: Redirect;
  HTTPPathModifier: HTTPPathModifier;
  ExtendedHTTPPathModifier: ExtendedHTTPPathModifier;
  HTTPHostModifier: HTTPHostModifier;
  StringMatch: StringMatch;
  TCPListener: TCPListener;
  TCPRoute: TCPRoute;
  TLS: TLS;
  TLSInspectorConfig: TLSInspectorConfig;
  UDPListener: UDPListener;
  UDPRoute: UDPRoute;
  RateLimit: RateLimit;
  GlobalRateLimit: GlobalRateLimit;
  GlobalResources: GlobalResources;
  GeoIPProvider: GeoIPProvider;
  GeoIPMaxMindProvider: GeoIPMaxMindProvider;
  LocalRateLimit: LocalRateLimit;
  RateLimitRule: RateLimitRule;
  RateLimitCost: RateLimitCost;
  CIDRMatch: CIDRMatch;
  QueryParamMatch: QueryParamMatch;
  RateLimitUnit: RateLimitUnit;
  RateLimitValue: RateLimitValue;
  RateLimitValueMetadata: RateLimitValueMetadata;
  BandwidthLimit: BandwidthLimit;
  BandwidthLimitConfig: BandwidthLimitConfig;
  BandwidthLimitResponseTrailers: BandwidthLimitResponseTrailers;
  ProxyAccessLogType: ProxyAccessLogType;
  ReadyListener: ReadyListener;
  AccessLog: AccessLog;
  TextAccessLog: TextAccessLog;
  JSONAccessLog: JSONAccessLog;
  ALSAccessLog: ALSAccessLog;
  ALSAccessLogHTTP: ALSAccessLogHTTP;
  OpenTelemetryAccessLog: OpenTelemetryAccessLog;
  EnvoyPatchPolicy: EnvoyPatchPolicy;
  EnvoyPatchPolicyStatus: EnvoyPatchPolicyStatus;
  JSONPatchConfig: JSONPatchConfig;
  JSONPatchOp: JSONPatchOp;
  JSONPatchOperation: JSONPatchOperation;
  Tracing: Tracing;
  Metrics: Metrics;
  TCPKeepalive: TCPKeepalive;
  LoadBalancer: LoadBalancer;
  RoundRobin: RoundRobin;
  LeastRequest: LeastRequest;
  Random: Random;
  BackendUtilization: BackendUtilization;
  OutOfBandReporting: OutOfBandReporting;
  ConsistentHash: ConsistentHash;
  ProxyProtocolVersion: ProxyProtocolVersion;
  ProxyProtocol: ProxyProtocol;
  SlowStart: SlowStart;
  CircuitBreaker: CircuitBreaker;
  PerEndpointCircuitBreakers: PerEndpointCircuitBreakers;
  HealthCheck: HealthCheck;
  OutlierDetection: OutlierDetection;
  ActiveHealthCheck: ActiveHealthCheck;
  ProxyHealthCheckLog: ProxyHealthCheckLog;
  FileEnvoyProxyHealthCheckLog: FileEnvoyProxyHealthCheckLog;
  HTTPHealthChecker: HTTPHealthChecker;
  HTTPStatus: HTTPStatus;
  GRPCHealthChecker: GRPCHealthChecker;
  TCPHealthChecker: TCPHealthChecker;
  HealthCheckOverrides: HealthCheckOverrides;
  HealthCheckPayload: HealthCheckPayload;
  Timeout: Timeout;
  TCPTimeout: TCPTimeout;
  ClusterTimeout: ClusterTimeout;
  ClusterHTTPTimeout: ClusterHTTPTimeout;
  HTTPTimeout: HTTPTimeout;
  Retry: Retry;
  RetryBudget: RetryBudget;
  TriggerEnum: TriggerEnum;
  RetryOn: RetryOn;
  PerRetryPolicy: PerRetryPolicy;
  BackOffPolicy: BackOffPolicy;
  TLSUpstreamConfig: TLSUpstreamConfig;
  BackendConnection: BackendConnection;
  Preconnect: Preconnect;
  ClientConnection: ClientConnection;
  ConnectionLimit: ConnectionLimit;
  ExtProcBodyProcessingMode: ExtProcBodyProcessingMode;
  ExtProc: ExtProc;
  Lua: Lua;
  Wasm: Wasm;
  HTTPWasmCode: HTTPWasmCode;
  DynamicModule: DynamicModule;
  RemoteDynamicModuleSource: RemoteDynamicModuleSource;
  DestinationFilters: DestinationFilters;
  ResourceMetadata: ResourceMetadata;
  PolicyMetadata: PolicyMetadata;
  RequestBuffer: RequestBuffer;
  PreferLocalZone: PreferLocalZone;
  ForceLocalZone: ForceLocalZone;
  WeightedZoneConfig: WeightedZoneConfig;
  EndpointOverride: EndpointOverride;
  EndpointOverrideExtractFrom: EndpointOverrideExtractFrom;
  LoadBalancerType: LoadBalancerType;
  Infra: Infra;
  ProxyInfra: ProxyInfra;
  ResolvedMetricSink: ResolvedMetricSink;
  InfraMetadata: InfraMetadata;
  ProxyListener: ProxyListener;
  HTTP3Settings: HTTP3Settings;
  ListenerPort: ListenerPort;
  ProtocolType: ProtocolType;
  AppProtocol: AppProtocol;
}
