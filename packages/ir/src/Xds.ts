import type * as egv1a1 from "./EnvoyGatewayApi.js";
import type { UnstructuredRef } from "./Common.js";
import type { BackendCluster, RouteDestination } from "./Destination.js";
import type { ProxyHealthCheckLog } from "./HealthCheck.js";
import type { HTTPListener, ReadyListener, TCPListener, UDPListener } from "./Listener.js";
import type { AccessLog, Metrics, Tracing } from "./Observability.js";
import type { EnvoyPatchPolicy } from "./PatchPolicy.js";
import type { TLSCertificate } from "./Tls.js";

/** The xds IR of one proxy (one IR key): listeners with their routes, observability settings, patch policies and shared resources. Input of the xds translator. */
export interface Xds {
  /** The listener that serves Envoy's readiness probe. */
  readonly readyListener?: ReadyListener;
  /** Access log sinks for every listener. */
  readonly accessLog?: AccessLog;
  /** Tracing provider and sampling for every HTTP listener. */
  readonly tracing?: Tracing;
  /** Proxy stats settings. */
  readonly metrics?: Metrics;
  /** Where active health check events are logged. */
  readonly healthCheckLog?: ProxyHealthCheckLog;
  /** HTTP and HTTPS listeners. */
  readonly http?: readonly HTTPListener[];
  /** TCP and TLS (passthrough or terminated) listeners. */
  readonly tcp?: readonly TCPListener[];
  /** UDP listeners. */
  readonly udp?: readonly UDPListener[];
  /** JSON patches applied to the generated xDS resources. */
  readonly envoyPatchPolicies?: readonly EnvoyPatchPolicy[];
  /** Custom order of HTTP filters, from the EnvoyProxy resource. */
  readonly filterOrder?: readonly egv1a1.FilterPosition[];
  /** Resources shared by every listener (client certificate, proxy service cluster). */
  readonly globalResources?: GlobalResources;
  /** Policies handled by an extension server, passed to it unparsed. */
  readonly extensionServerPolicies?: readonly UnstructuredRef[];
  /** Clusters shared by several routes, referenced by name from `RouteDestination.backendClusterRefs`. */
  readonly backendClusters?: readonly BackendCluster[];
}

/** Resources the xds translator emits once per proxy. */
export interface GlobalResources {
  /** Client certificate Envoy presents to backends and services (for example the rate limit service). */
  readonly envoyClientCertificate?: TLSCertificate;
  /** Destination of the proxy's own Service, used by features that call back into the proxy. */
  readonly proxyServiceCluster?: RouteDestination;
}

/** Where client IP geolocation data comes from. */
export interface GeoIPProvider {
  readonly maxMind?: GeoIPMaxMindProvider;
}

/** MaxMind database files used for client IP geolocation. */
export interface GeoIPMaxMindProvider {
  readonly cityDbPath?: string;
  readonly countryDbPath?: string;
  readonly asnDbPath?: string;
  readonly ispDbPath?: string;
  readonly anonymousIpDbPath?: string;
}
