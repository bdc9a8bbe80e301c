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
  /** How often DNS names are re-resolved. */
  readonly dnsRefreshRate?: Duration;
  /** Re-resolve according to the records' TTL. */
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
  /** Cookie lifetime; absent makes a session cookie. */
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
  /** Smallest response body, in bytes, that is compressed. */
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
  /** Share of requests sampled on this route. */
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
  /** Upgrade protocol name (for example websocket, CONNECT). */
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
  /** Share of requests delayed, in percent. */
  readonly percentage?: number;
}

/** An abort (HTTP or gRPC status) applied to a percentage of requests. */
export interface FaultInjectionAbort {
  readonly httpStatus?: number;
  readonly grpcStatus?: number;
  /** Share of requests aborted, in percent. */
  readonly percentage?: number;
}

/** Client-side throttling based on the recent success rate. */
export interface AdmissionControl {
  readonly samplingWindow?: Duration;
  /** Success rate, in percent, below which requests start being rejected. */
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
  /** Unanswered probes before the connection is closed. */
  readonly probes?: number;
  /** Idle time before the first probe. */
  readonly idleTime?: number;
  /** Time between probes. */
  readonly interval?: number;
}

/** Cluster connection and request limits. */
export interface CircuitBreaker {
  /** Largest number of connections to the cluster. */
  readonly maxConnections?: number;
  /** Largest number of queued requests. */
  readonly maxPendingRequests?: number;
  /** Largest number of concurrent requests. */
  readonly maxParallelRequests?: number;
  /** Requests per connection before it is closed. */
  readonly maxRequestsPerConnection?: number;
  /** Largest number of concurrent retries. */
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
  /** Upstream connect timeout. */
  readonly connectTimeout?: Duration;
}

/** Cluster-level timeouts. */
export interface ClusterTimeout {
  readonly tcp?: TCPTimeout;
  readonly http?: ClusterHTTPTimeout;
}

/** Cluster-level HTTP timeouts (idle, max connection and stream duration). */
export interface ClusterHTTPTimeout {
  /** Close upstream connections idle for this long. */
  readonly connectionIdleTimeout?: Duration;
  /** Close upstream connections older than this. */
  readonly maxConnectionDuration?: Duration;
  readonly maxStreamDuration?: Duration;
}

/** Route HTTP timeouts (request and stream idle) plus the cluster ones. */
export interface HTTPTimeout extends ClusterHTTPTimeout {
  /** Time allowed for the whole request/response exchange. */
  readonly requestTimeout?: Duration;
  /** Reset streams idle for this long. */
  readonly streamIdleTimeout?: Duration;
}

/** Retry policy of a route. */
export interface Retry {
  /** How many retries to attempt. */
  readonly numRetries?: number;
  /** Attempts per priority level before moving to the next. */
  readonly numAttemptsPerPriority?: number;
  readonly retryOn?: RetryOn;
  readonly perRetry?: PerRetryPolicy;
}

/** Limits concurrent retries to a share of active requests. */
export interface RetryBudget {
  /** Share of active requests that may be retries. */
  readonly percent: number;
  readonly minRetryConcurrency: number;
}

/** A condition that triggers a retry (5xx, reset, connect-failure, ...). */
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
  /** Per-connection buffer limit, in bytes. */
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
  /** Per-connection buffer limit, in bytes. */
  readonly bufferLimit?: number;
  /** Connections accepted per socket event (0 means unlimited). */
  readonly maxAcceptPerSocketEvent?: number;
}

/** Limit on downstream connections and their lifetime. */
export interface ConnectionLimit {
  /** Largest number of concurrent downstream connections. */
  readonly value?: number;
  readonly closeDelay?: Duration;
  readonly maxConnectionDuration?: Duration;
  readonly maxRequestsPerConnection?: number;
  readonly maxStreamDuration?: Duration;
}

/** Buffers the whole request body (up to a limit) before forwarding. */
export interface RequestBuffer {
  /** Largest body buffered, in bytes. */
  readonly limit: Quantity;
}
