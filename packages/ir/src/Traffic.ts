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

/** DNS resolution of a cluster: refresh rate, TTL and address family. */
export interface DNS {
  readonly dnsRefreshRate?: Duration;
  readonly respectDnsTtl?: boolean;
  readonly lookupFamily?: egv1a1.DNSLookupFamily;
  readonly name?: string;
}

/** Sticky sessions, by cookie or by header. */
export interface SessionPersistence {
  readonly cookie?: CookieBasedSessionPersistence;
  readonly header?: HeaderBasedSessionPersistence;
}

/** Sticky sessions carried in a cookie. */
export interface CookieBasedSessionPersistence {
  readonly name: string;
  readonly ttl?: Duration;
}

/** Sticky sessions carried in a header. */
export interface HeaderBasedSessionPersistence {
  readonly name: string;
}

/** Response compression with one compressor. */
export interface Compression {
  readonly type: egv1a1.CompressorType;
  /** Prefer this compressor when the client accepts several. */
  readonly chooseFirst?: boolean;
  readonly minContentLength?: number;
}

/** Settings that shape a cluster (load balancing, health checks, circuit breakers, timeouts, connection settings). */
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

/** Traffic settings of a route (BackendTrafficPolicy): the cluster settings plus rate limits, retries, faults, compression and more. */
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

/** Per-route tracing and metrics overrides. */
export interface BackendTelemetry {
  readonly tracing?: BackendTracing;
  readonly metrics?: BackendMetrics;
}

/** Per-route tracing sampling and tags. */
export interface BackendTracing {
  readonly samplingFraction?: gwapiv1.Fraction;
  readonly clientSamplingFraction?: gwapiv1.Fraction;
  readonly overallSamplingFraction?: gwapiv1.Fraction;
  readonly customTags?: readonly CustomTagMapEntry[];
  readonly tags?: readonly MapEntry[];
  readonly spanName?: egv1a1.TracingSpanName;
}

/** Per-route metrics settings. */
export interface BackendMetrics {
  readonly routeStatName?: string;
}

/** An HTTP upgrade (such as websocket or CONNECT) allowed on a route. */
export interface HTTPUpgradeConfig {
  readonly type: string;
  readonly connect?: ConnectConfig;
}

/** HTTP CONNECT handling. */
export interface ConnectConfig {
  /** Terminate the CONNECT tunnel at the proxy. */
  readonly terminate: boolean;
}

/** Injected delays and aborts. */
export interface FaultInjection {
  readonly delay?: FaultInjectionDelay;
  readonly abort?: FaultInjectionAbort;
}

/** A fixed delay applied to a percentage of requests. */
export interface FaultInjectionDelay {
  readonly fixedDelay?: Duration;
  readonly percentage?: number;
}

/** An abort (HTTP or gRPC status) applied to a percentage of requests. */
export interface FaultInjectionAbort {
  readonly httpStatus?: number;
  readonly grpcStatus?: number;
  readonly percentage?: number;
}

/** Client-side throttling based on the recent success rate. */
export interface AdmissionControl {
  readonly samplingWindow?: Duration;
  readonly minSuccessRate?: number;
  readonly rejectionAggression?: number;
  readonly minRequestRate?: number;
  readonly maxRejectionPercent?: number;
  readonly successCriteria?: AdmissionControlSuccessCriteria;
}

/** What counts as a successful request for admission control. */
export interface AdmissionControlSuccessCriteria {
  readonly http?: HTTPSuccessCriteria;
  readonly grpc?: GRPCSuccessCriteria;
}

/** HTTP status codes counted as success. */
export interface HTTPSuccessCriteria {
  readonly statusCodes?: readonly number[];
}

/** gRPC status codes counted as success. */
export interface GRPCSuccessCriteria {
  readonly statusCodes?: readonly string[];
}

/** TCP keepalive probes on a connection. */
export interface TCPKeepalive {
  readonly probes?: number;
  readonly idleTime?: number;
  readonly interval?: number;
}

/** Cluster connection and request limits. */
export interface CircuitBreaker {
  readonly maxConnections?: number;
  readonly maxPendingRequests?: number;
  readonly maxParallelRequests?: number;
  readonly maxRequestsPerConnection?: number;
  readonly maxParallelRetries?: number;
  readonly perEndpoint?: PerEndpointCircuitBreakers;
  readonly retryBudget?: RetryBudget;
}

/** Limits per endpoint. */
export interface PerEndpointCircuitBreakers {
  readonly maxConnections?: number;
}

/** Upstream timeouts of a route or cluster. */
export interface Timeout {
  readonly tcp?: TCPTimeout;
  readonly http?: HTTPTimeout;
}

/** Upstream TCP connect timeout. */
export interface TCPTimeout {
  readonly connectTimeout?: Duration;
}

/** Cluster-level timeouts. */
export interface ClusterTimeout {
  readonly tcp?: TCPTimeout;
  readonly http?: ClusterHTTPTimeout;
}

/** Cluster-level HTTP timeouts (idle, max connection and stream duration). */
export interface ClusterHTTPTimeout {
  readonly connectionIdleTimeout?: Duration;
  readonly maxConnectionDuration?: Duration;
  readonly maxStreamDuration?: Duration;
}

/** Route HTTP timeouts (request and stream idle) plus the cluster ones. */
export interface HTTPTimeout extends ClusterHTTPTimeout {
  readonly requestTimeout?: Duration;
  readonly streamIdleTimeout?: Duration;
}

/** Retry policy of a route. */
export interface Retry {
  /** How many retries to attempt. */
  readonly numRetries?: number;
  readonly numAttemptsPerPriority?: number;
  readonly retryOn?: RetryOn;
  readonly perRetry?: PerRetryPolicy;
}

/** Limits concurrent retries to a share of active requests. */
export interface RetryBudget {
  readonly percent: number;
  readonly minRetryConcurrency: number;
}

/** A condition that triggers a retry (5xx, reset, connect-failure, ...). */
export type TriggerEnum = "5xx" | "gateway-error" | "reset" | "reset-before-request" | "connect-failure" | "retriable-4xx" | "refused-stream" | "retriable-status-codes" | "cancelled" | "deadline-exceeded" | "internal" | "resource-exhausted" | "unavailable";

/** Retry triggers and retriable status codes. */
export interface RetryOn {
  readonly triggers?: readonly TriggerEnum[];
  readonly httpStatusCodes?: readonly HTTPStatus[];
}

/** Timeout and backoff of each retry. */
export interface PerRetryPolicy {
  readonly timeout?: Duration;
  readonly backOff?: BackOffPolicy;
}

/** Exponential backoff between retries. */
export interface BackOffPolicy {
  readonly baseInterval?: Duration;
  readonly maxInterval?: Duration;
}

/** Upstream connection settings (buffer limits, preconnect). */
export interface BackendConnection {
  readonly bufferLimit?: number;
  readonly preconnect?: Preconnect;
}

/** Opening upstream connections ahead of demand. */
export interface Preconnect {
  readonly perEndpointPercent?: number;
  readonly predictivePercent?: number;
}

/** Downstream connection limits and buffers. */
export interface ClientConnection {
  readonly limit?: ConnectionLimit;
  readonly bufferLimit?: number;
  readonly maxAcceptPerSocketEvent?: number;
}

/** Limit on downstream connections and their lifetime. */
export interface ConnectionLimit {
  readonly value?: number;
  readonly closeDelay?: Duration;
  readonly maxConnectionDuration?: Duration;
  readonly maxRequestsPerConnection?: number;
  readonly maxStreamDuration?: Duration;
}

/** Buffers the whole request body (up to a limit) before forwarding. */
export interface RequestBuffer {
  readonly limit: Quantity;
}
