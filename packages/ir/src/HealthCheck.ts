import type * as gwapiv1 from "./GatewayApi.js";
import type { Duration } from "./Json.js";

/** HealthCheck (xds IR type). */
export interface HealthCheck {
  readonly active?: ActiveHealthCheck;
  readonly passive?: OutlierDetection;
  readonly panicThreshold?: number;
}

/** OutlierDetection (xds IR type). */
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

/** ActiveHealthCheck (xds IR type). */
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

/** ProxyHealthCheckLog (xds IR type). */
export interface ProxyHealthCheckLog {
  readonly fileSinks?: readonly FileEnvoyProxyHealthCheckLog[];
  readonly alwaysLogHealthCheckFailures?: boolean;
  readonly alwaysLogHealthCheckSuccess?: boolean;
}

/** FileEnvoyProxyHealthCheckLog (xds IR type). */
export interface FileEnvoyProxyHealthCheckLog {
  readonly path: string;
}

/** HTTPHealthChecker (xds IR type). */
export interface HTTPHealthChecker {
  readonly host: string;
  readonly path: string;
  readonly method?: string;
  readonly expectedStatuses?: readonly HTTPStatus[];
  readonly retriableStatuses?: readonly HTTPStatus[];
  readonly expectedResponse?: HealthCheckPayload;
  readonly requestBody?: HealthCheckPayload;
}

/** HTTPStatus (xds IR type). */
export type HTTPStatus = number;

/** GRPCHealthChecker (xds IR type). */
export interface GRPCHealthChecker {
  readonly service?: string;
}

/** TCPHealthChecker (xds IR type). */
export interface TCPHealthChecker {
  readonly send?: HealthCheckPayload;
  readonly receive?: HealthCheckPayload;
}

/** HealthCheckOverrides (xds IR type). */
export interface HealthCheckOverrides {
  readonly port?: number;
}

/** HealthCheckPayload (xds IR type). */
export interface HealthCheckPayload {
  readonly text?: string;
  readonly binary?: Uint8Array;
}
