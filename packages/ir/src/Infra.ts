import type * as gwapiv1 from "./GatewayApi.js";
import type { ResourceMetadata } from "./Common.js";
import type { RouteDestination } from "./Destination.js";
import type { JsonObject } from "./Json.js";
import type { TLS } from "./L4Route.js";

/** Infra (xds IR type). */
export interface Infra {
  readonly proxy?: ProxyInfra;
}

/** ProxyInfra (xds IR type). */
export interface ProxyInfra {
  readonly metadata?: InfraMetadata;
  readonly name: string;
  readonly namespace: string;
  readonly config?: JsonObject;
  readonly listeners?: readonly ProxyListener[];
  readonly addresses?: readonly string[];
  readonly resolvedMetricSinks?: readonly ResolvedMetricSink[];
}

/** ResolvedMetricSink (xds IR type). */
export interface ResolvedMetricSink {
  readonly destination: RouteDestination;
  readonly authority?: string;
  readonly headers?: readonly gwapiv1.HTTPHeader[];
  readonly resourceAttributes?: Readonly<Record<string, string>>;
  readonly reportCountersAsDeltas?: boolean;
  readonly reportHistogramsAsDeltas?: boolean;
}

/** InfraMetadata (xds IR type). */
export interface InfraMetadata {
  readonly annotations?: Readonly<Record<string, string>>;
  readonly labels?: Readonly<Record<string, string>>;
  readonly ownerReference?: ResourceMetadata;
}

/** ProxyListener (xds IR type). */
export interface ProxyListener {
  readonly name: string;
  readonly ports?: readonly ListenerPort[];
  readonly http3?: HTTP3Settings;
}

/** HTTP3Settings (xds IR type). */
export type HTTP3Settings = Readonly<Record<never, never>>;

/** ListenerPort (xds IR type). */
export interface ListenerPort {
  readonly name: string;
  readonly protocol: ProtocolType;
  readonly servicePort: number;
  readonly containerPort: number;
}

/** ProtocolType (xds IR type). */
export type ProtocolType = "HTTP" | "HTTPS" | "TLS" | "TCP" | "UDP";
