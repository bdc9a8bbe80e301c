import type * as egv1a1 from "./EnvoyGatewayApi.js";
import type * as gwapiv1 from "./GatewayApi.js";
import type { CustomTagMapEntry, MapEntry } from "./Common.js";
import type { RouteDestination } from "./Destination.js";
import type { TrafficFeatures } from "./Traffic.js";

/** Where an access log is attached (listener, route or upstream). */
export type ProxyAccessLogType = "Listener" | "Route" | "Upstream";

/** Access log sinks, by kind. */
export interface AccessLog {
  readonly text?: readonly TextAccessLog[];
  readonly json?: readonly JSONAccessLog[];
  readonly als?: readonly ALSAccessLog[];
  readonly openTelemetry?: readonly OpenTelemetryAccessLog[];
}

/** A text access log written to a file. */
export interface TextAccessLog {
  /** CEL expressions; an entry is logged only when one matches. */
  readonly celMatches?: readonly string[];
  /** Envoy access log format string; absent uses the default format. */
  readonly format?: string;
  /** File path (for example /dev/stdout). */
  readonly path: string;
  readonly logType?: ProxyAccessLogType;
}

/** A JSON access log written to a file. */
export interface JSONAccessLog {
  readonly celMatches?: readonly string[];
  /** JSON fields and their format strings. */
  readonly json?: readonly MapEntry[];
  readonly path: string;
  readonly logType?: ProxyAccessLogType;
}

/** An access log streamed to a gRPC access log service. */
export interface ALSAccessLog {
  readonly celMatches?: readonly string[];
  readonly name: string;
  readonly destination: RouteDestination;
  readonly traffic?: TrafficFeatures;
  readonly type: egv1a1.ALSEnvoyProxyAccessLogType;
  readonly text?: string;
  readonly attributes?: readonly MapEntry[];
  readonly http?: ALSAccessLogHTTP;
  readonly logType?: ProxyAccessLogType;
}

/** Extra HTTP headers and trailers sent to the access log service. */
export interface ALSAccessLogHTTP {
  readonly requestHeaders?: readonly string[];
  readonly responseHeaders?: readonly string[];
  readonly responseTrailers?: readonly string[];
}

/** An access log sent to an OpenTelemetry collector. */
export interface OpenTelemetryAccessLog {
  readonly celMatches?: readonly string[];
  readonly authority?: string;
  readonly text?: string;
  readonly attributes?: readonly MapEntry[];
  readonly resourceAttributes?: readonly MapEntry[];
  readonly headers?: readonly gwapiv1.HTTPHeader[];
  readonly destination: RouteDestination;
  readonly traffic?: TrafficFeatures;
  readonly logType?: ProxyAccessLogType;
}

/** Tracing provider, sampling and tags. */
export interface Tracing {
  /** Service name reported to the tracing backend. */
  readonly serviceName: string;
  readonly authority?: string;
  /** Sampling rate in percent. */
  readonly samplingRate?: number;
  readonly clientSamplingRate?: number;
  readonly overallSamplingRate?: number;
  readonly customTags?: readonly CustomTagMapEntry[];
  readonly tags?: readonly MapEntry[];
  readonly resourceAttributes?: readonly MapEntry[];
  readonly destination: RouteDestination;
  readonly traffic?: TrafficFeatures;
  readonly provider: egv1a1.TracingProvider;
  readonly headers?: readonly gwapiv1.HTTPHeader[];
  readonly spanName?: egv1a1.TracingSpanName;
}

/** Optional Envoy statistics. */
export interface Metrics {
  /** Emit per-virtual-host statistics. */
  readonly enableVirtualHostStats: boolean;
  /** Emit per-endpoint statistics. */
  readonly enablePerEndpointStats: boolean;
  readonly enableRequestResponseSizesStats: boolean;
}
