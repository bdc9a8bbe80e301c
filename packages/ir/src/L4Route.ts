import type { ResourceMetadata } from "./Common.js";
import type { ProxyProtocol, RouteDestination } from "./Destination.js";
import type { HealthCheck } from "./HealthCheck.js";
import type { LoadBalancer } from "./LoadBalancer.js";
import type { Authorization } from "./Security.js";
import type { TLSConfig } from "./Tls.js";
import type { BackendConnection, CircuitBreaker, DNS, Preconnect, TCPKeepalive, Timeout } from "./Traffic.js";

/** A TCP or TLS route: SNI match, destination and cluster settings. */
export interface TCPRoute {
  /** Unique route name. */
  readonly name: string;
  readonly statName?: string;
  readonly tls?: TLS;
  readonly destination?: RouteDestination;
  readonly tcpKeepalive?: TCPKeepalive;
  readonly loadBalancer?: LoadBalancer;
  readonly timeout?: Timeout;
  readonly circuitBreaker?: CircuitBreaker;
  readonly healthCheck?: HealthCheck;
  readonly proxyProtocol?: ProxyProtocol;
  readonly metadata?: ResourceMetadata;
  readonly backendConnection?: BackendConnection;
  readonly preconnect?: Preconnect;
  readonly dns?: DNS;
  readonly authorization?: Authorization;
}

/** TLS handling of a TCP route: SNI inspection (passthrough) and/or termination. */
export interface TLS {
  readonly inspector?: TLSInspectorConfig;
  readonly terminate?: TLSConfig;
}

/** SNI values a passthrough TCP route matches. */
export interface TLSInspectorConfig {
  /** Server names (SNI) the route matches. */
  readonly snis?: readonly string[];
}

/** A UDP route and its destination. */
export interface UDPRoute {
  readonly name: string;
  readonly destination?: RouteDestination;
  readonly loadBalancer?: LoadBalancer;
  readonly dns?: DNS;
}
