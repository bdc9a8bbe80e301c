import type * as gwapiv1 from "./GatewayApi.js";
import type { ResourceMetadata } from "./Common.js";
import type { RouteDestination } from "./Destination.js";
import type { JsonObject } from "./Json.js";

/** The infra IR of one proxy fleet: what the infrastructure manager deploys. */
export interface Infra {
  readonly proxy?: ProxyInfra;
}

/** The Envoy proxy deployment: name, namespace, EnvoyProxy config, listeners (ports) and addresses. */
export interface ProxyInfra {
  readonly metadata?: InfraMetadata;
  /** Proxy name (objects are named envoy-<name>). */
  readonly name: string;
  /** Namespace of the proxy objects. */
  readonly namespace: string;
  /** The EnvoyProxy resource in effect, as JSON. */
  readonly config?: JsonObject;
  /** Listeners and their ports. */
  readonly listeners?: readonly ProxyListener[];
  /** Addresses the Service should get (from the Gateway's addresses). */
  readonly addresses?: readonly string[];
  readonly resolvedMetricSinks?: readonly ResolvedMetricSink[];
}

/** An OpenTelemetry metrics sink with its resolved destination. */
export interface ResolvedMetricSink {
  readonly destination: RouteDestination;
  readonly authority?: string;
  readonly headers?: readonly gwapiv1.HTTPHeader[];
  readonly resourceAttributes?: Readonly<Record<string, string>>;
  readonly reportCountersAsDeltas?: boolean;
  readonly reportHistogramsAsDeltas?: boolean;
}

/** Labels, annotations and owner of the proxy infrastructure objects. */
export interface InfraMetadata {
  readonly annotations?: Readonly<Record<string, string>>;
  readonly labels?: Readonly<Record<string, string>>;
  /** The Gateway/GatewayClass that owns the proxy objects. */
  readonly ownerReference?: ResourceMetadata;
}

/** A listener's ports on the proxy infrastructure. */
export interface ProxyListener {
  readonly name: string;
  readonly ports?: readonly ListenerPort[];
  readonly http3?: HTTP3Settings;
}

/** Enables HTTP/3 (marker type; no fields). */
export type HTTP3Settings = Readonly<Record<never, never>>;

/** One port: the Service port clients use and the container port Envoy binds. */
export interface ListenerPort {
  readonly name: string;
  readonly protocol: ProtocolType;
  /** Port on the Service. */
  readonly servicePort: number;
  /** Port Envoy binds in the container. */
  readonly containerPort: number;
}

/** The protocol of a listener port. */
export type ProtocolType = "HTTP" | "HTTPS" | "TLS" | "TCP" | "UDP";
