import type * as gwapiv1 from "./GatewayApi.js";
import type { Duration, JsonValue, Quantity } from "./Json.js";

/** ExtProcBodyProcessingMode (embedded API type). */
export type ExtProcBodyProcessingMode = "Streamed" | "Buffered" | "FullDuplexStreamed" | "BufferedPartial";

/** TriggerEnum (embedded API type). */
export type TriggerEnum = "5xx" | "gateway-error" | "reset" | "reset-before-request" | "connect-failure" | "retriable-4xx" | "refused-stream" | "retriable-status-codes" | "cancelled" | "deadline-exceeded" | "internal" | "resource-exhausted" | "unavailable";

/** QueryParam (embedded API type). */
export interface QueryParam {
  readonly name: string;
}

/** Cookie (embedded API type). */
export interface Cookie {
  readonly name: string;
  readonly ttl?: gwapiv1.Duration;
  readonly attributes?: Readonly<Record<string, string>>;
}

/** Header (embedded API type). */
export interface Header {
  readonly name: string;
}

/** TracingSpanName (embedded API type). */
export interface TracingSpanName {
  readonly client: string;
  readonly server: string;
}

/** TracingProvider (embedded API type). */
export interface TracingProvider extends BackendCluster {
  readonly type: TracingProviderType;
  readonly host?: string;
  readonly port?: number;
  readonly serviceName?: string;
  readonly zipkin?: ZipkinTracingProvider;
  readonly openTelemetry?: OpenTelemetryTracingProvider;
}

/** OpenTelemetryTracingProvider (embedded API type). */
export interface OpenTelemetryTracingProvider {
  readonly headers?: readonly gwapiv1.HTTPHeader[];
  readonly resourceAttributes?: Readonly<Record<string, string>>;
  readonly sampler?: OTelSampler;
}

/** OTelSampler (embedded API type). */
export interface OTelSampler {
  readonly type: OTelSamplerType;
  readonly samplingPercentage?: gwapiv1.Fraction;
}

/** OTelSamplerType (embedded API type). */
export type OTelSamplerType = "AlwaysOn" | "AlwaysOff" | "TraceIdRatio" | "ParentBasedAlwaysOn" | "ParentBasedAlwaysOff" | "ParentBasedTraceIdRatio";

/** ZipkinTracingProvider (embedded API type). */
export interface ZipkinTracingProvider {
  readonly enable128BitTraceId?: boolean;
  readonly disableSharedSpanContext?: boolean;
}

/** TracingProviderType (embedded API type). */
export type TracingProviderType = "OpenTelemetry" | "Zipkin" | "Datadog";

/** BackendCluster (embedded API type). */
export interface BackendCluster {
  readonly backendRef?: gwapiv1.BackendObjectReference;
  readonly backendRefs?: readonly BackendRef[];
  readonly backendSettings?: ClusterSettings;
}

/** ClusterSettings (embedded API type). */
export interface ClusterSettings {
  readonly loadBalancer?: LoadBalancer;
  readonly retry?: Retry;
  readonly proxyProtocol?: ProxyProtocol;
  readonly tcpKeepalive?: TCPKeepalive;
  readonly healthCheck?: HealthCheck;
  readonly circuitBreaker?: CircuitBreaker;
  readonly timeout?: Timeout;
  readonly connection?: BackendConnection;
  readonly dns?: DNS;
  readonly http2?: HTTP2Settings;
}

/** HTTP2Settings (embedded API type). */
export interface HTTP2Settings {
  readonly initialStreamWindowSize?: Quantity;
  readonly initialConnectionWindowSize?: Quantity;
  readonly maxConcurrentStreams?: number;
  readonly onInvalidMessage?: InvalidMessageAction;
  readonly connectionKeepalive?: HTTP2KeepaliveSettings;
}

/** HTTP2KeepaliveSettings (embedded API type). */
export interface HTTP2KeepaliveSettings {
  readonly interval?: gwapiv1.Duration;
  readonly timeout?: gwapiv1.Duration;
  readonly intervalJitter?: number;
  readonly idleInterval?: gwapiv1.Duration;
}

/** InvalidMessageAction (embedded API type). */
export type InvalidMessageAction = "TerminateConnection" | "TerminateStream";

/** DNS (embedded API type). */
export interface DNS {
  readonly dnsRefreshRate?: gwapiv1.Duration;
  readonly respectDnsTtl?: boolean;
  readonly lookupFamily?: DNSLookupFamily;
}

/** DNSLookupFamily (embedded API type). */
export type DNSLookupFamily = "IPv4" | "IPv6" | "IPv4Preferred" | "IPv6Preferred" | "IPv4AndIPv6";

/** BackendConnection (embedded API type). */
export interface BackendConnection {
  readonly bufferLimit?: Quantity;
  readonly socketBufferLimit?: Quantity;
  readonly preconnect?: PreconnectPolicy;
}

/** PreconnectPolicy (embedded API type). */
export interface PreconnectPolicy {
  readonly perEndpointPercent?: number;
  readonly predictivePercent?: number;
}

/** Timeout (embedded API type). */
export interface Timeout {
  readonly tcp?: TCPTimeout;
  readonly http?: HTTPTimeout;
}

/** HTTPTimeout (embedded API type). */
export interface HTTPTimeout {
  readonly connectionIdleTimeout?: gwapiv1.Duration;
  readonly maxConnectionDuration?: gwapiv1.Duration;
  readonly requestTimeout?: gwapiv1.Duration;
  readonly maxStreamDuration?: gwapiv1.Duration;
  readonly streamIdleTimeout?: gwapiv1.Duration;
}

/** TCPTimeout (embedded API type). */
export interface TCPTimeout {
  readonly connectTimeout?: gwapiv1.Duration;
}

/** CircuitBreaker (embedded API type). */
export interface CircuitBreaker {
  readonly maxConnections?: number;
  readonly maxPendingRequests?: number;
  readonly maxParallelRequests?: number;
  readonly maxParallelRetries?: number;
  readonly maxRequestsPerConnection?: number;
  readonly perEndpoint?: PerEndpointCircuitBreakers;
  readonly retryBudget?: RetryBudget;
}

/** RetryBudget (embedded API type). */
export interface RetryBudget {
  readonly percent: gwapiv1.Fraction;
  readonly minRetryConcurrency?: number;
}

/** PerEndpointCircuitBreakers (embedded API type). */
export interface PerEndpointCircuitBreakers {
  readonly maxConnections?: number;
}

/** HealthCheck (embedded API type). */
export interface HealthCheck {
  readonly active?: ActiveHealthCheck;
  readonly passive?: PassiveHealthCheck;
  readonly panicThreshold?: number;
}

/** PassiveHealthCheck (embedded API type). */
export interface PassiveHealthCheck {
  readonly splitExternalLocalOriginErrors?: boolean;
  readonly interval?: gwapiv1.Duration;
  readonly consecutiveLocalOriginFailures?: number;
  readonly consecutiveGatewayErrors?: number;
  readonly consecutive5XxErrors?: number;
  readonly baseEjectionTime?: gwapiv1.Duration;
  readonly maxEjectionPercent?: number;
  readonly failurePercentageThreshold?: number;
  readonly alwaysEjectOneEndpoint?: boolean;
}

/** ActiveHealthCheck (embedded API type). */
export interface ActiveHealthCheck {
  readonly timeout?: gwapiv1.Duration;
  readonly interval?: gwapiv1.Duration;
  readonly initialJitter?: gwapiv1.Duration;
  readonly unhealthyThreshold?: number;
  readonly healthyThreshold?: number;
  readonly type: ActiveHealthCheckerType;
  readonly http?: HTTPActiveHealthChecker;
  readonly tcp?: TCPActiveHealthChecker;
  readonly grpc?: GRPCActiveHealthChecker;
  readonly overrides?: HealthCheckOverrides;
  readonly healthCheckLog?: ProxyHealthCheckLog;
}

/** ProxyHealthCheckLog (embedded API type). */
export interface ProxyHealthCheckLog {
  readonly sinks?: readonly ProxyHealthCheckLogSink[];
  readonly matches?: readonly ProxyHealthCheckLogEventType[];
}

/** ProxyHealthCheckLogEventType (embedded API type). */
export type ProxyHealthCheckLogEventType = "Failure" | "FailureSeriesStart" | "Success" | "HealthyTransition";

/** ProxyHealthCheckLogSink (embedded API type). */
export interface ProxyHealthCheckLogSink {
  readonly type: ProxyHealthCheckLogSinkType;
  readonly file?: FileEnvoyProxyHealthCheckLog;
}

/** FileEnvoyProxyHealthCheckLog (embedded API type). */
export interface FileEnvoyProxyHealthCheckLog {
  readonly path: string;
}

/** ProxyHealthCheckLogSinkType (embedded API type). */
export type ProxyHealthCheckLogSinkType = "File";

/** HealthCheckOverrides (embedded API type). */
export interface HealthCheckOverrides {
  readonly port?: number;
}

/** GRPCActiveHealthChecker (embedded API type). */
export interface GRPCActiveHealthChecker {
  readonly service?: string;
}

/** TCPActiveHealthChecker (embedded API type). */
export interface TCPActiveHealthChecker {
  readonly send?: ActiveHealthCheckPayload;
  readonly receive?: ActiveHealthCheckPayload;
}

/** ActiveHealthCheckPayload (embedded API type). */
export interface ActiveHealthCheckPayload {
  readonly type: ActiveHealthCheckPayloadType;
  readonly text?: string;
  readonly binary?: Uint8Array;
}

/** ActiveHealthCheckPayloadType (embedded API type). */
export type ActiveHealthCheckPayloadType = "Text" | "Binary";

/** HTTPActiveHealthChecker (embedded API type). */
export interface HTTPActiveHealthChecker {
  readonly hostname?: string;
  readonly path: string;
  readonly method?: string;
  readonly expectedStatuses?: readonly HTTPStatus[];
  readonly retriableStatuses?: readonly HTTPStatus[];
  readonly expectedResponse?: ActiveHealthCheckPayload;
  readonly requestBody?: ActiveHealthCheckPayload;
}

/** HTTPStatus (embedded API type). */
export type HTTPStatus = number;

/** ActiveHealthCheckerType (embedded API type). */
export type ActiveHealthCheckerType = "HTTP" | "TCP" | "GRPC";

/** TCPKeepalive (embedded API type). */
export interface TCPKeepalive {
  readonly probes?: number;
  readonly idleTime?: gwapiv1.Duration;
  readonly interval?: gwapiv1.Duration;
}

/** ProxyProtocol (embedded API type). */
export interface ProxyProtocol {
  readonly version: ProxyProtocolVersion;
}

/** ProxyProtocolVersion (embedded API type). */
export type ProxyProtocolVersion = "V1" | "V2";

/** Retry (embedded API type). */
export interface Retry {
  readonly numRetries?: number;
  readonly numAttemptsPerPriority?: number;
  readonly retryOn?: RetryOn;
  readonly perRetry?: PerRetryPolicy;
}

/** PerRetryPolicy (embedded API type). */
export interface PerRetryPolicy {
  readonly timeout?: gwapiv1.Duration;
  readonly backOff?: BackOffPolicy;
}

/** BackOffPolicy (embedded API type). */
export interface BackOffPolicy {
  readonly baseInterval?: gwapiv1.Duration;
  readonly maxInterval?: gwapiv1.Duration;
}

/** RetryOn (embedded API type). */
export interface RetryOn {
  readonly triggers?: readonly TriggerEnum[];
  readonly httpStatusCodes?: readonly HTTPStatus[];
}

/** LoadBalancer (embedded API type). */
export interface LoadBalancer {
  readonly type: LoadBalancerType;
  readonly consistentHash?: ConsistentHash;
  readonly backendUtilization?: BackendUtilization;
  readonly dynamicModule?: DynamicModuleLBPolicy;
  readonly endpointOverride?: EndpointOverride;
  readonly slowStart?: SlowStart;
  readonly zoneAware?: ZoneAware;
}

/** ZoneAware (embedded API type). */
export interface ZoneAware {
  readonly preferLocal?: PreferLocalZone;
  readonly weightedZones?: readonly WeightedZoneConfig[];
}

/** WeightedZoneConfig (embedded API type). */
export interface WeightedZoneConfig {
  readonly zone: string;
  readonly weight: number;
}

/** PreferLocalZone (embedded API type). */
export interface PreferLocalZone {
  readonly force?: ForceLocalZone;
  readonly minEndpointsThreshold?: number;
  readonly percentageEnabled?: number;
}

/** ForceLocalZone (embedded API type). */
export interface ForceLocalZone {
  readonly minEndpointsInZoneThreshold?: number;
}

/** SlowStart (embedded API type). */
export interface SlowStart {
  readonly window?: gwapiv1.Duration;
}

/** EndpointOverride (embedded API type). */
export interface EndpointOverride {
  readonly extractFrom?: readonly EndpointOverrideExtractFrom[];
}

/** EndpointOverrideExtractFrom (embedded API type). */
export interface EndpointOverrideExtractFrom {
  readonly header?: string;
}

/** DynamicModuleLBPolicy (embedded API type). */
export interface DynamicModuleLBPolicy {
  readonly name: string;
  readonly lbPolicyName: string;
  readonly config?: JsonValue;
}

/** BackendUtilization (embedded API type). */
export interface BackendUtilization {
  readonly blackoutPeriod?: gwapiv1.Duration;
  readonly weightExpirationPeriod?: gwapiv1.Duration;
  readonly weightUpdatePeriod?: gwapiv1.Duration;
  readonly errorUtilizationPenaltyPercent?: number;
  readonly metricNamesForComputingUtilization?: readonly string[];
  readonly keepResponseHeaders?: boolean;
  readonly outOfBand?: OutOfBandReporting;
}

/** OutOfBandReporting (embedded API type). */
export interface OutOfBandReporting {
  readonly reportingPeriod?: gwapiv1.Duration;
  readonly port?: number;
  readonly authority?: string;
}

/** ConsistentHash (embedded API type). */
export interface ConsistentHash {
  readonly type: ConsistentHashType;
  readonly header?: Header;
  readonly headers?: readonly Header[];
  readonly cookie?: Cookie;
  readonly queryParams?: readonly QueryParam[];
  readonly tableSize?: number;
}

/** ConsistentHashType (embedded API type). */
export type ConsistentHashType = "SourceIP" | "Header" | "Headers" | "Cookie" | "QueryParams";

/** LoadBalancerType (embedded API type). */
export type LoadBalancerType = "ConsistentHash" | "LeastRequest" | "Random" | "RoundRobin" | "BackendUtilization" | "DynamicModule";

/** BackendRef (embedded API type). */
export interface BackendRef extends gwapiv1.BackendObjectReference {
  readonly weight?: number;
  readonly fallback?: boolean;
}

/** ALSEnvoyProxyAccessLogType (embedded API type). */
export type ALSEnvoyProxyAccessLogType = "HTTP" | "TCP";

/** IPFamily (embedded API type). */
export type IPFamily = "IPv4" | "IPv6" | "DualStack";

/** ProxyAccessLogType (embedded API type). */
export type ProxyAccessLogType = "Listener" | "Route" | "Upstream";

/** RateLimitUnit (embedded API type). */
export type RateLimitUnit = "Second" | "Minute" | "Hour" | "Day" | "Week" | "Month" | "Year";

/** XRateLimitHeadersOption (embedded API type). */
export type XRateLimitHeadersOption = "Off" | "DraftVersion03";

/** ClientIPGeoLocation (embedded API type). */
export interface ClientIPGeoLocation {
  readonly country?: string;
  readonly region?: string;
  readonly city?: string;
  readonly asn?: number;
  readonly isp?: string;
  readonly anonymous?: GeoIPAnonymousMatch;
}

/** GeoIPAnonymousMatch (embedded API type). */
export interface GeoIPAnonymousMatch {
  readonly isAnonymous?: boolean;
  readonly isVPN?: boolean;
  readonly isHosting?: boolean;
  readonly isTor?: boolean;
  readonly isProxy?: boolean;
}

/** AuthorizationHeaderMatch (embedded API type). */
export interface AuthorizationHeaderMatch {
  readonly name: string;
  readonly values?: readonly string[];
}

/** JWTPrincipal (embedded API type). */
export interface JWTPrincipal {
  readonly provider: string;
  readonly claims?: readonly JWTClaim[];
  readonly scopes?: readonly JWTScope[];
}

/** JWTScope (embedded API type). */
export type JWTScope = string;

/** JWTClaim (embedded API type). */
export interface JWTClaim {
  readonly name: string;
  readonly valueType?: JWTClaimValueType;
  readonly values?: readonly string[];
}

/** JWTClaimValueType (embedded API type). */
export type JWTClaimValueType = "String" | "StringArray";

/** Operation (embedded API type). */
export interface Operation {
  readonly methods?: readonly string[];
  readonly path?: PathMatch;
}

/** PathMatch (embedded API type). */
export interface PathMatch {
  readonly type?: gwapiv1.PathMatchType;
  readonly value: string;
  readonly invert?: boolean;
}

/** AuthorizationAction (embedded API type). */
export type AuthorizationAction = "Allow" | "Deny";

/** OIDCDenyRedirect (embedded API type). */
export interface OIDCDenyRedirect {
  readonly headers?: readonly OIDCDenyRedirectHeader[];
}

/** OIDCDenyRedirectHeader (embedded API type). */
export interface OIDCDenyRedirectHeader extends StringMatch {
  readonly name: string;
}

/** StringMatch (embedded API type). */
export interface StringMatch {
  readonly type?: StringMatchType;
  readonly value: string;
}

/** StringMatchType (embedded API type). */
export type StringMatchType = "Exact" | "Prefix" | "Suffix" | "RegularExpression";

/** OIDCCookieConfig (embedded API type). */
export interface OIDCCookieConfig {
  readonly sameSite?: string;
}

/** OIDCCookieNames (embedded API type). */
export interface OIDCCookieNames {
  readonly accessToken?: string;
  readonly idToken?: string;
}

/** JWTExtractor (embedded API type). */
export interface JWTExtractor {
  readonly headers?: readonly JWTHeaderExtractor[];
  readonly cookies?: readonly string[];
  readonly params?: readonly string[];
}

/** JWTHeaderExtractor (embedded API type). */
export interface JWTHeaderExtractor {
  readonly name: string;
  readonly valuePrefix?: string;
}

/** ClaimToHeader (embedded API type). */
export interface ClaimToHeader {
  readonly header: string;
  readonly claim: string;
}

/** CompressorType (embedded API type). */
export type CompressorType = "Gzip" | "Brotli" | "Zstd";

/** HealthCheckSettings (embedded API type). */
export interface HealthCheckSettings {
  readonly path: string;
}

/** ResponseOverrideSource (embedded API type). */
export type ResponseOverrideSource = "All" | "Local" | "Backend";

/** ClientIPDetectionSettings (embedded API type). */
export interface ClientIPDetectionSettings {
  readonly xForwardedFor?: XForwardedForSettings;
  readonly customHeader?: CustomHeaderExtensionSettings;
  readonly directSourceIP?: DirectSourceIPSettings;
}

/** DirectSourceIPSettings (embedded API type). */
export type DirectSourceIPSettings = Readonly<Record<never, never>>;

/** CustomHeaderExtensionSettings (embedded API type). */
export interface CustomHeaderExtensionSettings {
  readonly name: string;
  readonly failClosed?: boolean;
}

/** XForwardedForSettings (embedded API type). */
export interface XForwardedForSettings {
  readonly numTrustedHops?: number;
  readonly trustedCIDRs?: readonly CIDR[];
  readonly disableXForwardedForAppend?: boolean;
}

/** CIDR (embedded API type). */
export type CIDR = string;

/** XFCCCertData (embedded API type). */
export type XFCCCertData = "Subject" | "Cert" | "Chain" | "DNS" | "URI";

/** XFCCForwardMode (embedded API type). */
export type XFCCForwardMode = "Sanitize" | "ForwardOnly" | "AppendForward" | "SanitizeSet" | "AlwaysForwardOnly";

/** RequestIDAction (embedded API type). */
export type RequestIDAction = "PreserveOrGenerate" | "Preserve" | "Generate" | "Disable";

/** WithUnderscoresAction (embedded API type). */
export type WithUnderscoresAction = "Allow" | "RejectRequest" | "DropHeader";

/** PathEscapedSlashAction (embedded API type). */
export type PathEscapedSlashAction = "KeepUnchanged" | "RejectRequest" | "UnescapeAndRedirect" | "UnescapeAndForward";

/** TLSFingerprintType (embedded API type). */
export type TLSFingerprintType = "JA3" | "JA4";

/** TLSVersion (embedded API type). */
export type TLSVersion = "Auto" | "1.0" | "1.1" | "1.2" | "1.3";

/** RequestIDExtensionAction (embedded API type). */
export type RequestIDExtensionAction = "PackAndSample" | "Sample" | "Pack" | "Disable";

/** FilterPosition (embedded API type). */
export interface FilterPosition {
  readonly name: EnvoyFilter;
  readonly before?: EnvoyFilter;
  readonly after?: EnvoyFilter;
}

/** EnvoyFilter (embedded API type). */
export type EnvoyFilter = "envoy.filters.http.custom_response" | "envoy.filters.http.health_check" | "envoy.filters.http.fault" | "envoy.filters.http.cors" | "envoy.filters.http.csrf" | "envoy.filters.http.header_mutation" | "envoy.filters.http.ext_authz" | "envoy.filters.http.api_key_auth" | "envoy.filters.http.basic_auth" | "envoy.filters.http.oauth2" | "envoy.filters.http.jwt_authn" | "envoy.filters.http.stateful_session" | "envoy.filters.http.buffer" | "envoy.filters.http.lua" | "envoy.filters.http.ext_proc" | "envoy.filters.http.wasm" | "envoy.filters.http.dynamic_modules" | "envoy.filters.http.geoip" | "envoy.filters.http.rbac" | "envoy.filters.http.local_ratelimit" | "envoy.filters.http.ratelimit" | "envoy.filters.http.bandwidth_limit" | "envoy.filters.http.grpc_web" | "envoy.filters.http.grpc_stats" | "envoy.filters.http.credential_injector" | "envoy.filters.http.compressor" | "envoy.filters.http.dynamic_forward_proxy" | "envoy.filters.http.router";

/** CustomTag (embedded API type). */
export interface CustomTag {
  readonly type: CustomTagType;
  readonly literal?: LiteralCustomTag;
  readonly environment?: EnvironmentCustomTag;
  readonly requestHeader?: RequestHeaderCustomTag;
}

/** RequestHeaderCustomTag (embedded API type). */
export interface RequestHeaderCustomTag {
  readonly name: string;
  readonly defaultValue?: string;
}

/** EnvironmentCustomTag (embedded API type). */
export interface EnvironmentCustomTag {
  readonly name: string;
  readonly defaultValue?: string;
}

/** LiteralCustomTag (embedded API type). */
export interface LiteralCustomTag {
  readonly value: string;
}

/** CustomTagType (embedded API type). */
export type CustomTagType = "Literal" | "Environment" | "RequestHeader";
