import type * as gwapiv1 from "./GatewayApi.js";
import type { Duration } from "./Json.js";

/** Active and passive health checking of a cluster. */
export interface HealthCheck {
  readonly active?: ActiveHealthCheck;
  /** Outlier detection. */
  readonly passive?: OutlierDetection;
  /** Healthy-host percentage below which Envoy ignores health status. */
  readonly panicThreshold?: number;
}

/** Passive health checking: ejects endpoints that keep failing. */
export interface OutlierDetection {
  readonly interval?: Duration;
  readonly splitExternalLocalOriginErrors?: boolean;
  readonly consecutiveLocalOriginFailures?: number;
  readonly consecutiveGatewayErrors?: number;
  readonly consecutive5XxErrors?: number;
  readonly baseEjectionTime?: Duration;
  readonly maxEjectionPercent?: number;
  readonly failurePercentageThreshold?: number;
  readonly alwaysEjectOneEndpoint?: boolean;
}

/** Active health checking with HTTP, gRPC or TCP probes. */
export interface ActiveHealthCheck {
  readonly timeout?: Duration;
  readonly interval?: Duration;
  readonly initialJitter?: gwapiv1.Duration;
  readonly unhealthyThreshold?: number;
  readonly healthyThreshold?: number;
  readonly http?: HTTPHealthChecker;
  readonly tcp?: TCPHealthChecker;
  readonly grpc?: GRPCHealthChecker;
  readonly overrides?: HealthCheckOverrides;
  readonly backendHealthCheckLog?: ProxyHealthCheckLog;
}

/** Where and when health check events are logged. */
export interface ProxyHealthCheckLog {
  readonly fileSinks?: readonly FileEnvoyProxyHealthCheckLog[];
  readonly alwaysLogHealthCheckFailures?: boolean;
  readonly alwaysLogHealthCheckSuccess?: boolean;
}

/** A file that receives health check events. */
export interface FileEnvoyProxyHealthCheckLog {
  readonly path: string;
}

/** An HTTP health check probe. */
export interface HTTPHealthChecker {
  readonly host: string;
  readonly path: string;
  readonly method?: string;
  readonly expectedStatuses?: readonly HTTPStatus[];
  readonly retriableStatuses?: readonly HTTPStatus[];
  readonly expectedResponse?: HealthCheckPayload;
  readonly requestBody?: HealthCheckPayload;
}

/** An HTTP status code, in [200, 600) where the IR validates it. */
export type HTTPStatus = number;

/** A gRPC health check probe. */
export interface GRPCHealthChecker {
  readonly service?: string;
}

/** A TCP health check probe with optional send/receive payloads. */
export interface TCPHealthChecker {
  readonly send?: HealthCheckPayload;
  readonly receive?: HealthCheckPayload;
}

/** Overrides for health check probes (port). */
export interface HealthCheckOverrides {
  readonly port?: number;
}

/** A payload, as text or binary. */
export interface HealthCheckPayload {
  readonly text?: string;
  readonly binary?: Uint8Array;
}
