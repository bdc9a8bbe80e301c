import type * as egv1a1 from "./EnvoyGatewayApi.js";
import type * as gwapiv1 from "./GatewayApi.js";
import type { CustomTagMapEntry, MapEntry } from "./Common.js";
import type { ProxyProtocol } from "./Destination.js";
import type { HTTPStatus, HealthCheck } from "./HealthCheck.js";
import type { Duration, Quantity } from "./Json.js";
import type { HTTP2Settings } from "./Listener.js";
import type { LoadBalancer } from "./LoadBalancer.js";
import type { BandwidthLimit, RateLimit } from "./RateLimit.js";
import type { ResponseOverride } from "./ResponseOverride.js";

/** DNS (xds IR type). */
export interface DNS {
  readonly dnsRefreshRate?: Duration;
  readonly respectDnsTtl?: boolean;
  readonly lookupFamily?: egv1a1.DNSLookupFamily;
  readonly name?: string;
}

/** SessionPersistence (xds IR type). */
export interface SessionPersistence {
  readonly cookie?: CookieBasedSessionPersistence;
  readonly header?: HeaderBasedSessionPersistence;
}

/** CookieBasedSessionPersistence (xds IR type). */
export interface CookieBasedSessionPersistence {
  readonly name: string;
  readonly ttl?: Duration;
}

/** HeaderBasedSessionPersistence (xds IR type). */
export interface HeaderBasedSessionPersistence {
  readonly name: string;
}

/** Compression (xds IR type). */
export interface Compression {
  readonly type: egv1a1.CompressorType;
  readonly chooseFirst?: boolean;
  readonly minContentLength?: number;
}

/** ClusterTrafficFeatures (xds IR type). */
export interface ClusterTrafficFeatures {
  readonly loadBalancer?: LoadBalancer;
  readonly proxyProtocol?: ProxyProtocol;
  readonly healthCheck?: HealthCheck;
  readonly admissionControl?: AdmissionControl;
  readonly circuitBreaker?: CircuitBreaker;
  readonly timeout?: Timeout;
  readonly tcpKeepalive?: TCPKeepalive;
  readonly backendConnection?: BackendConnection;
  readonly http2?: HTTP2Settings;
  readonly dns?: DNS;
}

/** TrafficFeatures (xds IR type). */
export interface TrafficFeatures extends ClusterTrafficFeatures {
  readonly rateLimit?: RateLimit;
  readonly bandwidthLimit?: BandwidthLimit;
  readonly faultInjection?: FaultInjection;
  readonly retry?: Retry;
  readonly responseOverride?: ResponseOverride;
  readonly compression?: readonly Compression[];
  readonly httpUpgrade?: readonly HTTPUpgradeConfig[];
  readonly telemetry?: BackendTelemetry;
  readonly requestBuffer?: RequestBuffer;
}

/** BackendTelemetry (xds IR type). */
export interface BackendTelemetry {
  readonly tracing?: BackendTracing;
  readonly metrics?: BackendMetrics;
}

/** BackendTracing (xds IR type). */
export interface BackendTracing {
  readonly samplingFraction?: gwapiv1.Fraction;
  readonly clientSamplingFraction?: gwapiv1.Fraction;
  readonly overallSamplingFraction?: gwapiv1.Fraction;
  readonly customTags?: readonly CustomTagMapEntry[];
  readonly tags?: readonly MapEntry[];
  readonly spanName?: egv1a1.TracingSpanName;
}

/** BackendMetrics (xds IR type). */
export interface BackendMetrics {
  readonly routeStatName?: string;
}

/** HTTPUpgradeConfig (xds IR type). */
export interface HTTPUpgradeConfig {
  readonly type: string;
  readonly connect?: ConnectConfig;
}

/** ConnectConfig (xds IR type). */
export interface ConnectConfig {
  readonly terminate: boolean;
}

/** FaultInjection (xds IR type). */
export interface FaultInjection {
  readonly delay?: FaultInjectionDelay;
  readonly abort?: FaultInjectionAbort;
}

/** FaultInjectionDelay (xds IR type). */
export interface FaultInjectionDelay {
  readonly fixedDelay?: Duration;
  readonly percentage?: number;
}

/** FaultInjectionAbort (xds IR type). */
export interface FaultInjectionAbort {
  readonly httpStatus?: number;
  readonly grpcStatus?: number;
  readonly percentage?: number;
}

/** AdmissionControl (xds IR type). */
export interface AdmissionControl {
  readonly samplingWindow?: Duration;
  readonly minSuccessRate?: number;
  readonly rejectionAggression?: number;
  readonly minRequestRate?: number;
  readonly maxRejectionPercent?: number;
  readonly successCriteria?: AdmissionControlSuccessCriteria;
}

/** AdmissionControlSuccessCriteria (xds IR type). */
export interface AdmissionControlSuccessCriteria {
  readonly http?: HTTPSuccessCriteria;
  readonly grpc?: GRPCSuccessCriteria;
}

/** HTTPSuccessCriteria (xds IR type). */
export interface HTTPSuccessCriteria {
  readonly statusCodes?: readonly number[];
}

/** GRPCSuccessCriteria (xds IR type). */
export interface GRPCSuccessCriteria {
  readonly statusCodes?: readonly string[];
}

/** TCPKeepalive (xds IR type). */
export interface TCPKeepalive {
  readonly probes?: number;
  readonly idleTime?: number;
  readonly interval?: number;
}

/** CircuitBreaker (xds IR type). */
export interface CircuitBreaker {
  readonly maxConnections?: number;
  readonly maxPendingRequests?: number;
  readonly maxParallelRequests?: number;
  readonly maxRequestsPerConnection?: number;
  readonly maxParallelRetries?: number;
  readonly perEndpoint?: PerEndpointCircuitBreakers;
  readonly retryBudget?: RetryBudget;
}

/** PerEndpointCircuitBreakers (xds IR type). */
export interface PerEndpointCircuitBreakers {
  readonly maxConnections?: number;
}

/** Timeout (xds IR type). */
export interface Timeout {
  readonly tcp?: TCPTimeout;
  readonly http?: HTTPTimeout;
}

/** TCPTimeout (xds IR type). */
export interface TCPTimeout {
  readonly connectTimeout?: Duration;
}

/** ClusterTimeout (xds IR type). */
export interface ClusterTimeout {
  readonly tcp?: TCPTimeout;
  readonly http?: ClusterHTTPTimeout;
}

/** ClusterHTTPTimeout (xds IR type). */
export interface ClusterHTTPTimeout {
  readonly connectionIdleTimeout?: Duration;
  readonly maxConnectionDuration?: Duration;
  readonly maxStreamDuration?: Duration;
}

/** HTTPTimeout (xds IR type). */
export interface HTTPTimeout extends ClusterHTTPTimeout {
  readonly requestTimeout?: Duration;
  readonly streamIdleTimeout?: Duration;
}

/** Retry (xds IR type). */
export interface Retry {
  readonly numRetries?: number;
  readonly numAttemptsPerPriority?: number;
  readonly retryOn?: RetryOn;
  readonly perRetry?: PerRetryPolicy;
}

/** RetryBudget (xds IR type). */
export interface RetryBudget {
  readonly percent: number;
  readonly minRetryConcurrency: number;
}

/** TriggerEnum (xds IR type). */
export type TriggerEnum = "5xx" | "gateway-error" | "reset" | "reset-before-request" | "connect-failure" | "retriable-4xx" | "refused-stream" | "retriable-status-codes" | "cancelled" | "deadline-exceeded" | "internal" | "resource-exhausted" | "unavailable";

/** RetryOn (xds IR type). */
export interface RetryOn {
  readonly triggers?: readonly TriggerEnum[];
  readonly httpStatusCodes?: readonly HTTPStatus[];
}

/** PerRetryPolicy (xds IR type). */
export interface PerRetryPolicy {
  readonly timeout?: Duration;
  readonly backOff?: BackOffPolicy;
}

/** BackOffPolicy (xds IR type). */
export interface BackOffPolicy {
  readonly baseInterval?: Duration;
  readonly maxInterval?: Duration;
}

/** BackendConnection (xds IR type). */
export interface BackendConnection {
  readonly bufferLimit?: number;
  readonly preconnect?: Preconnect;
}

/** Preconnect (xds IR type). */
export interface Preconnect {
  readonly perEndpointPercent?: number;
  readonly predictivePercent?: number;
}

/** ClientConnection (xds IR type). */
export interface ClientConnection {
  readonly limit?: ConnectionLimit;
  readonly bufferLimit?: number;
  readonly maxAcceptPerSocketEvent?: number;
}

/** ConnectionLimit (xds IR type). */
export interface ConnectionLimit {
  readonly value?: number;
  readonly closeDelay?: Duration;
  readonly maxConnectionDuration?: Duration;
  readonly maxRequestsPerConnection?: number;
  readonly maxStreamDuration?: Duration;
}

/** RequestBuffer (xds IR type). */
export interface RequestBuffer {
  readonly limit: Quantity;
}
