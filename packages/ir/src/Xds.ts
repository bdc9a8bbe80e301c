import type * as egv1a1 from "./EnvoyGatewayApi.js";
import type { UnstructuredRef } from "./Common.js";
import type { BackendCluster, RouteDestination } from "./Destination.js";
import type { ProxyHealthCheckLog } from "./HealthCheck.js";
import type { HTTPListener, ReadyListener, TCPListener, UDPListener } from "./Listener.js";
import type { AccessLog, Metrics, Tracing } from "./Observability.js";
import type { EnvoyPatchPolicy } from "./PatchPolicy.js";
import type { TLSCertificate } from "./Tls.js";

/** Xds (xds IR type). */
export interface Xds {
  readonly readyListener?: ReadyListener;
  readonly accessLog?: AccessLog;
  readonly tracing?: Tracing;
  readonly metrics?: Metrics;
  readonly healthCheckLog?: ProxyHealthCheckLog;
  readonly http?: readonly HTTPListener[];
  readonly tcp?: readonly TCPListener[];
  readonly udp?: readonly UDPListener[];
  readonly envoyPatchPolicies?: readonly EnvoyPatchPolicy[];
  readonly filterOrder?: readonly egv1a1.FilterPosition[];
  readonly globalResources?: GlobalResources;
  readonly extensionServerPolicies?: readonly UnstructuredRef[];
  readonly backendClusters?: readonly BackendCluster[];
}

/** GlobalResources (xds IR type). */
export interface GlobalResources {
  readonly envoyClientCertificate?: TLSCertificate;
  readonly proxyServiceCluster?: RouteDestination;
}

/** GeoIPProvider (xds IR type). */
export interface GeoIPProvider {
  readonly maxMind?: GeoIPMaxMindProvider;
}

/** GeoIPMaxMindProvider (xds IR type). */
export interface GeoIPMaxMindProvider {
  readonly cityDbPath?: string;
  readonly countryDbPath?: string;
  readonly asnDbPath?: string;
  readonly ispDbPath?: string;
  readonly anonymousIpDbPath?: string;
}
