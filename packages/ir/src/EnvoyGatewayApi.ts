import type * as gwapiv1 from "./GatewayApi.js";
import type { JsonValue, Quantity } from "./Json.js";

/** `ExtProcBodyProcessingMode` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export type ExtProcBodyProcessingMode = "Streamed" | "Buffered" | "FullDuplexStreamed" | "BufferedPartial";

/** `TriggerEnum` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export type TriggerEnum =
  | "5xx"
  | "gateway-error"
  | "reset"
  | "reset-before-request"
  | "connect-failure"
  | "retriable-4xx"
  | "refused-stream"
  | "retriable-status-codes"
  | "cancelled"
  | "deadline-exceeded"
  | "internal"
  | "resource-exhausted"
  | "unavailable";

/** `QueryParam` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface QueryParam {
  readonly name: string;
}

/** `Cookie` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface Cookie {
  readonly name: string;
  readonly ttl?: gwapiv1.Duration;
  readonly attributes?: Readonly<Record<string, string>>;
}

/** `Header` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface Header {
  readonly name: string;
}

/** `TracingSpanName` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface TracingSpanName {
  readonly client: string;
  readonly server: string;
}

/** `TracingProvider` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface TracingProvider extends BackendCluster {
  readonly type: TracingProviderType;
  readonly host?: string;
  readonly port?: number;
  readonly serviceName?: string;
  readonly zipkin?: ZipkinTracingProvider;
  readonly openTelemetry?: OpenTelemetryTracingProvider;
}

/** `OpenTelemetryTracingProvider` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface OpenTelemetryTracingProvider {
  readonly headers?: readonly gwapiv1.HTTPHeader[];
  readonly resourceAttributes?: Readonly<Record<string, string>>;
  readonly sampler?: OTelSampler;
}

/** `OTelSampler` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface OTelSampler {
  readonly type: OTelSamplerType;
  readonly samplingPercentage?: gwapiv1.Fraction;
}

/** `OTelSamplerType` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export type OTelSamplerType = "AlwaysOn" | "AlwaysOff" | "TraceIdRatio" | "ParentBasedAlwaysOn" | "ParentBasedAlwaysOff" | "ParentBasedTraceIdRatio";

/** `ZipkinTracingProvider` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface ZipkinTracingProvider {
  readonly enable128BitTraceId?: boolean;
  readonly disableSharedSpanContext?: boolean;
}

/** `TracingProviderType` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export type TracingProviderType = "OpenTelemetry" | "Zipkin" | "Datadog";

/** `BackendCluster` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface BackendCluster {
  readonly backendRef?: gwapiv1.BackendObjectReference;
  readonly backendRefs?: readonly BackendRef[];
  readonly backendSettings?: ClusterSettings;
}

/** `ClusterSettings` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
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

/** `HTTP2Settings` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface HTTP2Settings {
  readonly initialStreamWindowSize?: Quantity;
  readonly initialConnectionWindowSize?: Quantity;
  readonly maxConcurrentStreams?: number;
  readonly onInvalidMessage?: InvalidMessageAction;
  readonly connectionKeepalive?: HTTP2KeepaliveSettings;
}

/** `HTTP2KeepaliveSettings` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface HTTP2KeepaliveSettings {
  readonly interval?: gwapiv1.Duration;
  readonly timeout?: gwapiv1.Duration;
  readonly intervalJitter?: number;
  readonly idleInterval?: gwapiv1.Duration;
}

/** `InvalidMessageAction` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export type InvalidMessageAction = "TerminateConnection" | "TerminateStream";

/** `DNS` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface DNS {
  readonly dnsRefreshRate?: gwapiv1.Duration;
  readonly respectDnsTtl?: boolean;
  readonly lookupFamily?: DNSLookupFamily;
}

/** `DNSLookupFamily` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export type DNSLookupFamily = "IPv4" | "IPv6" | "IPv4Preferred" | "IPv6Preferred" | "IPv4AndIPv6";

/** `BackendConnection` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface BackendConnection {
  readonly bufferLimit?: Quantity;
  readonly socketBufferLimit?: Quantity;
  readonly preconnect?: PreconnectPolicy;
}

/** `PreconnectPolicy` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface PreconnectPolicy {
  readonly perEndpointPercent?: number;
  readonly predictivePercent?: number;
}

/** `Timeout` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface Timeout {
  readonly tcp?: TCPTimeout;
  readonly http?: HTTPTimeout;
}

/** `HTTPTimeout` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface HTTPTimeout {
  readonly connectionIdleTimeout?: gwapiv1.Duration;
  readonly maxConnectionDuration?: gwapiv1.Duration;
  readonly requestTimeout?: gwapiv1.Duration;
  readonly maxStreamDuration?: gwapiv1.Duration;
  readonly streamIdleTimeout?: gwapiv1.Duration;
}

/** `TCPTimeout` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface TCPTimeout {
  readonly connectTimeout?: gwapiv1.Duration;
}

/** `CircuitBreaker` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface CircuitBreaker {
  readonly maxConnections?: number;
  readonly maxPendingRequests?: number;
  readonly maxParallelRequests?: number;
  readonly maxParallelRetries?: number;
  readonly maxRequestsPerConnection?: number;
  readonly perEndpoint?: PerEndpointCircuitBreakers;
  readonly retryBudget?: RetryBudget;
}

/** `RetryBudget` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface RetryBudget {
  readonly percent: gwapiv1.Fraction;
  readonly minRetryConcurrency?: number;
}

/** `PerEndpointCircuitBreakers` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface PerEndpointCircuitBreakers {
  readonly maxConnections?: number;
}

/** `HealthCheck` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface HealthCheck {
  readonly active?: ActiveHealthCheck;
  readonly passive?: PassiveHealthCheck;
  readonly panicThreshold?: number;
}

/** `PassiveHealthCheck` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
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

/** `ActiveHealthCheck` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
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

/** `ProxyHealthCheckLog` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface ProxyHealthCheckLog {
  readonly sinks?: readonly ProxyHealthCheckLogSink[];
  readonly matches?: readonly ProxyHealthCheckLogEventType[];
}

/** `ProxyHealthCheckLogEventType` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export type ProxyHealthCheckLogEventType = "Failure" | "FailureSeriesStart" | "Success" | "HealthyTransition";

/** `ProxyHealthCheckLogSink` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface ProxyHealthCheckLogSink {
  readonly type: ProxyHealthCheckLogSinkType;
  readonly file?: FileEnvoyProxyHealthCheckLog;
}

/** `FileEnvoyProxyHealthCheckLog` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface FileEnvoyProxyHealthCheckLog {
  readonly path: string;
}

/** `ProxyHealthCheckLogSinkType` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export type ProxyHealthCheckLogSinkType = "File";

/** `HealthCheckOverrides` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface HealthCheckOverrides {
  readonly port?: number;
}

/** `GRPCActiveHealthChecker` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface GRPCActiveHealthChecker {
  readonly service?: string;
}

/** `TCPActiveHealthChecker` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface TCPActiveHealthChecker {
  readonly send?: ActiveHealthCheckPayload;
  readonly receive?: ActiveHealthCheckPayload;
}

/** `ActiveHealthCheckPayload` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface ActiveHealthCheckPayload {
  readonly type: ActiveHealthCheckPayloadType;
  readonly text?: string;
  readonly binary?: Uint8Array;
}

/** `ActiveHealthCheckPayloadType` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export type ActiveHealthCheckPayloadType = "Text" | "Binary";

/** `HTTPActiveHealthChecker` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface HTTPActiveHealthChecker {
  readonly hostname?: string;
  readonly path: string;
  readonly method?: string;
  readonly expectedStatuses?: readonly HTTPStatus[];
  readonly retriableStatuses?: readonly HTTPStatus[];
  readonly expectedResponse?: ActiveHealthCheckPayload;
  readonly requestBody?: ActiveHealthCheckPayload;
}

/** `HTTPStatus` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export type HTTPStatus = number;

/** `ActiveHealthCheckerType` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export type ActiveHealthCheckerType = "HTTP" | "TCP" | "GRPC";

/** `TCPKeepalive` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface TCPKeepalive {
  readonly probes?: number;
  readonly idleTime?: gwapiv1.Duration;
  readonly interval?: gwapiv1.Duration;
}

/** `ProxyProtocol` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface ProxyProtocol {
  readonly version: ProxyProtocolVersion;
}

/** `ProxyProtocolVersion` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export type ProxyProtocolVersion = "V1" | "V2";

/** `Retry` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface Retry {
  readonly numRetries?: number;
  readonly numAttemptsPerPriority?: number;
  readonly retryOn?: RetryOn;
  readonly perRetry?: PerRetryPolicy;
}

/** `PerRetryPolicy` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface PerRetryPolicy {
  readonly timeout?: gwapiv1.Duration;
  readonly backOff?: BackOffPolicy;
}

/** `BackOffPolicy` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface BackOffPolicy {
  readonly baseInterval?: gwapiv1.Duration;
  readonly maxInterval?: gwapiv1.Duration;
}

/** `RetryOn` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface RetryOn {
  readonly triggers?: readonly TriggerEnum[];
  readonly httpStatusCodes?: readonly HTTPStatus[];
}

/** `LoadBalancer` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface LoadBalancer {
  readonly type: LoadBalancerType;
  readonly consistentHash?: ConsistentHash;
  readonly backendUtilization?: BackendUtilization;
  readonly dynamicModule?: DynamicModuleLBPolicy;
  readonly endpointOverride?: EndpointOverride;
  readonly slowStart?: SlowStart;
  readonly zoneAware?: ZoneAware;
}

/** `ZoneAware` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface ZoneAware {
  readonly preferLocal?: PreferLocalZone;
  readonly weightedZones?: readonly WeightedZoneConfig[];
}

/** `WeightedZoneConfig` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface WeightedZoneConfig {
  readonly zone: string;
  readonly weight: number;
}

/** `PreferLocalZone` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface PreferLocalZone {
  readonly force?: ForceLocalZone;
  readonly minEndpointsThreshold?: number;
  readonly percentageEnabled?: number;
}

/** `ForceLocalZone` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface ForceLocalZone {
  readonly minEndpointsInZoneThreshold?: number;
}

/** `SlowStart` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface SlowStart {
  readonly window?: gwapiv1.Duration;
}

/** `EndpointOverride` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface EndpointOverride {
  readonly extractFrom?: readonly EndpointOverrideExtractFrom[];
}

/** `EndpointOverrideExtractFrom` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface EndpointOverrideExtractFrom {
  readonly header?: string;
}

/** `DynamicModuleLBPolicy` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface DynamicModuleLBPolicy {
  readonly name: string;
  readonly lbPolicyName: string;
  readonly config?: JsonValue;
}

/** `BackendUtilization` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface BackendUtilization {
  readonly blackoutPeriod?: gwapiv1.Duration;
  readonly weightExpirationPeriod?: gwapiv1.Duration;
  readonly weightUpdatePeriod?: gwapiv1.Duration;
  readonly errorUtilizationPenaltyPercent?: number;
  readonly metricNamesForComputingUtilization?: readonly string[];
  readonly keepResponseHeaders?: boolean;
  readonly outOfBand?: OutOfBandReporting;
}

/** `OutOfBandReporting` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface OutOfBandReporting {
  readonly reportingPeriod?: gwapiv1.Duration;
  readonly port?: number;
  readonly authority?: string;
}

/** `ConsistentHash` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface ConsistentHash {
  readonly type: ConsistentHashType;
  readonly header?: Header;
  readonly headers?: readonly Header[];
  readonly cookie?: Cookie;
  readonly queryParams?: readonly QueryParam[];
  readonly tableSize?: number;
}

/** `ConsistentHashType` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export type ConsistentHashType = "SourceIP" | "Header" | "Headers" | "Cookie" | "QueryParams";

/** `LoadBalancerType` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export type LoadBalancerType = "ConsistentHash" | "LeastRequest" | "Random" | "RoundRobin" | "BackendUtilization" | "DynamicModule";

/** `BackendRef` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface BackendRef extends gwapiv1.BackendObjectReference {
  readonly weight?: number;
  readonly fallback?: boolean;
}

/** `ALSEnvoyProxyAccessLogType` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export type ALSEnvoyProxyAccessLogType = "HTTP" | "TCP";

/** `IPFamily` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export type IPFamily = "IPv4" | "IPv6" | "DualStack";

/** `ProxyAccessLogType` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export type ProxyAccessLogType = "Listener" | "Route" | "Upstream";

/** `RateLimitUnit` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export type RateLimitUnit = "Second" | "Minute" | "Hour" | "Day" | "Week" | "Month" | "Year";

/** `XRateLimitHeadersOption` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export type XRateLimitHeadersOption = "Off" | "DraftVersion03";

/** `ClientIPGeoLocation` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface ClientIPGeoLocation {
  readonly country?: string;
  readonly region?: string;
  readonly city?: string;
  readonly asn?: number;
  readonly isp?: string;
  readonly anonymous?: GeoIPAnonymousMatch;
}

/** `GeoIPAnonymousMatch` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface GeoIPAnonymousMatch {
  readonly isAnonymous?: boolean;
  readonly isVPN?: boolean;
  readonly isHosting?: boolean;
  readonly isTor?: boolean;
  readonly isProxy?: boolean;
}

/** `AuthorizationHeaderMatch` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface AuthorizationHeaderMatch {
  readonly name: string;
  readonly values?: readonly string[];
}

/** `JWTPrincipal` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface JWTPrincipal {
  readonly provider: string;
  readonly claims?: readonly JWTClaim[];
  readonly scopes?: readonly JWTScope[];
}

/** `JWTScope` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export type JWTScope = string;

/** `JWTClaim` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface JWTClaim {
  readonly name: string;
  readonly valueType?: JWTClaimValueType;
  readonly values?: readonly string[];
}

/** `JWTClaimValueType` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export type JWTClaimValueType = "String" | "StringArray";

/** `Operation` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface Operation {
  readonly methods?: readonly string[];
  readonly path?: PathMatch;
}

/** `PathMatch` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface PathMatch {
  readonly type?: gwapiv1.PathMatchType;
  readonly value: string;
  readonly invert?: boolean;
}

/** `AuthorizationAction` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export type AuthorizationAction = "Allow" | "Deny";

/** `OIDCDenyRedirect` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface OIDCDenyRedirect {
  readonly headers?: readonly OIDCDenyRedirectHeader[];
}

/** `OIDCDenyRedirectHeader` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface OIDCDenyRedirectHeader extends StringMatch {
  readonly name: string;
}

/** `StringMatch` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface StringMatch {
  readonly type?: StringMatchType;
  readonly value: string;
}

/** `StringMatchType` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export type StringMatchType = "Exact" | "Prefix" | "Suffix" | "RegularExpression";

/** `OIDCCookieConfig` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface OIDCCookieConfig {
  readonly sameSite?: string;
}

/** `OIDCCookieNames` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface OIDCCookieNames {
  readonly accessToken?: string;
  readonly idToken?: string;
}

/** `JWTExtractor` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface JWTExtractor {
  readonly headers?: readonly JWTHeaderExtractor[];
  readonly cookies?: readonly string[];
  readonly params?: readonly string[];
}

/** `JWTHeaderExtractor` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface JWTHeaderExtractor {
  readonly name: string;
  readonly valuePrefix?: string;
}

/** `ClaimToHeader` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface ClaimToHeader {
  readonly header: string;
  readonly claim: string;
}

/** `CompressorType` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export type CompressorType = "Gzip" | "Brotli" | "Zstd";

/** `HealthCheckSettings` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface HealthCheckSettings {
  readonly path: string;
}

/** `ResponseOverrideSource` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export type ResponseOverrideSource = "All" | "Local" | "Backend";

/** `ClientIPDetectionSettings` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface ClientIPDetectionSettings {
  readonly xForwardedFor?: XForwardedForSettings;
  readonly customHeader?: CustomHeaderExtensionSettings;
  readonly directSourceIP?: DirectSourceIPSettings;
}

/** `DirectSourceIPSettings` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export type DirectSourceIPSettings = Readonly<Record<never, never>>;

/** `CustomHeaderExtensionSettings` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface CustomHeaderExtensionSettings {
  readonly name: string;
  readonly failClosed?: boolean;
}

/** `XForwardedForSettings` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface XForwardedForSettings {
  readonly numTrustedHops?: number;
  readonly trustedCIDRs?: readonly CIDR[];
  readonly disableXForwardedForAppend?: boolean;
}

/** `CIDR` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export type CIDR = string;

/** `XFCCCertData` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export type XFCCCertData = "Subject" | "Cert" | "Chain" | "DNS" | "URI";

/** `XFCCForwardMode` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export type XFCCForwardMode = "Sanitize" | "ForwardOnly" | "AppendForward" | "SanitizeSet" | "AlwaysForwardOnly";

/** `RequestIDAction` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export type RequestIDAction = "PreserveOrGenerate" | "Preserve" | "Generate" | "Disable";

/** `WithUnderscoresAction` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export type WithUnderscoresAction = "Allow" | "RejectRequest" | "DropHeader";

/** `PathEscapedSlashAction` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export type PathEscapedSlashAction = "KeepUnchanged" | "RejectRequest" | "UnescapeAndRedirect" | "UnescapeAndForward";

/** `TLSFingerprintType` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export type TLSFingerprintType = "JA3" | "JA4";

/** `TLSVersion` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export type TLSVersion = "Auto" | "1.0" | "1.1" | "1.2" | "1.3";

/** `RequestIDExtensionAction` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export type RequestIDExtensionAction = "PackAndSample" | "Sample" | "Pack" | "Disable";

/** `FilterPosition` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface FilterPosition {
  readonly name: EnvoyFilter;
  readonly before?: EnvoyFilter;
  readonly after?: EnvoyFilter;
}

/** `EnvoyFilter` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export type EnvoyFilter =
  | "envoy.filters.http.custom_response"
  | "envoy.filters.http.health_check"
  | "envoy.filters.http.fault"
  | "envoy.filters.http.cors"
  | "envoy.filters.http.csrf"
  | "envoy.filters.http.header_mutation"
  | "envoy.filters.http.ext_authz"
  | "envoy.filters.http.api_key_auth"
  | "envoy.filters.http.basic_auth"
  | "envoy.filters.http.oauth2"
  | "envoy.filters.http.jwt_authn"
  | "envoy.filters.http.stateful_session"
  | "envoy.filters.http.buffer"
  | "envoy.filters.http.lua"
  | "envoy.filters.http.ext_proc"
  | "envoy.filters.http.wasm"
  | "envoy.filters.http.dynamic_modules"
  | "envoy.filters.http.geoip"
  | "envoy.filters.http.rbac"
  | "envoy.filters.http.local_ratelimit"
  | "envoy.filters.http.ratelimit"
  | "envoy.filters.http.bandwidth_limit"
  | "envoy.filters.http.grpc_web"
  | "envoy.filters.http.grpc_stats"
  | "envoy.filters.http.credential_injector"
  | "envoy.filters.http.compressor"
  | "envoy.filters.http.dynamic_forward_proxy"
  | "envoy.filters.http.router";

/** `CustomTag` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface CustomTag {
  readonly type: CustomTagType;
  readonly literal?: LiteralCustomTag;
  readonly environment?: EnvironmentCustomTag;
  readonly requestHeader?: RequestHeaderCustomTag;
}

/** `RequestHeaderCustomTag` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface RequestHeaderCustomTag {
  readonly name: string;
  readonly defaultValue?: string;
}

/** `EnvironmentCustomTag` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface EnvironmentCustomTag {
  readonly name: string;
  readonly defaultValue?: string;
}

/** `LiteralCustomTag` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export interface LiteralCustomTag {
  readonly value: string;
}

/** `CustomTagType` of the Envoy Gateway API (gateway.envoyproxy.io/v1alpha1), as the IR embeds it. */
export type CustomTagType = "Literal" | "Environment" | "RequestHeader";
