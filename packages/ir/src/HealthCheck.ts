import type * as gwapiv1 from "./GatewayApi.js";
import type { Duration } from "./Json.js";

/** Active and passive health checking of a cluster. */
export interface HealthCheck {
  /** Active probing. */
  readonly active?: ActiveHealthCheck;
  /** Outlier detection. */
  readonly passive?: OutlierDetection;
  /** Healthy-host percentage below which Envoy ignores health status. */
  readonly panicThreshold?: number;
}

/** Passive health checking: ejects endpoints that keep failing. */
export interface OutlierDetection {
  /** Time between ejection sweeps. */
  readonly interval?: Duration;
  readonly splitExternalLocalOriginErrors?: boolean;
  readonly consecutiveLocalOriginFailures?: number;
  readonly consecutiveGatewayErrors?: number;
  /** Consecutive 5xx responses before an endpoint is ejected. */
  readonly consecutive5XxErrors?: number;
  /** Base ejection time, multiplied by the number of ejections. */
  readonly baseEjectionTime?: Duration;
  /** Largest share of endpoints, in percent, that may be ejected. */
  readonly maxEjectionPercent?: number;
  readonly failurePercentageThreshold?: number;
  readonly alwaysEjectOneEndpoint?: boolean;
}

/** Active health checking with HTTP, gRPC or TCP probes. */
export interface ActiveHealthCheck {
  readonly timeout?: Duration;
  readonly interval?: Duration;
  /** Random delay before the first probe. */
  readonly initialJitter?: gwapiv1.Duration;
  /** Failed probes before an endpoint is unhealthy. */
  readonly unhealthyThreshold?: number;
  /** Successful probes before an endpoint is healthy. */
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
  /** Status codes counted as healthy. */
  readonly expectedStatuses?: readonly HTTPStatus[];
  /** Status codes counted as a failed probe but not immediately unhealthy. */
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
  /** Port to probe instead of the endpoint's port. */
  readonly port?: number;
}

/** A payload, as text or binary. */
export interface HealthCheckPayload {
  readonly text?: string;
  /** Binary payload. */
  readonly binary?: Uint8Array;
}
