import type * as egv1a1 from "./EnvoyGatewayApi.js";
import type { ResourceMetadata } from "./Common.js";
import type { PreferLocalZone } from "./LoadBalancer.js";
import type { CredentialInjection } from "./ResponseOverride.js";
import type { AddHeader, URLRewrite } from "./Route.js";
import type { TLSUpstreamConfig } from "./Tls.js";
import type { ClusterTrafficFeatures } from "./Traffic.js";

/** Weights of valid and invalid backends of a route, used to return 500 for the invalid share. */
export interface BackendWeights {
  /** Weight of backends that can serve traffic. */
  readonly valid: number;
  /** Weight of invalid backend references. */
  readonly invalid: number;
  /** Weight of backends without endpoints. */
  readonly noEndpoints: number;
}

/** A mirror destination and the share of traffic it receives. */
export interface MirrorPolicy {
  readonly destination?: RouteDestination;
  /** Share of requests mirrored, in percent; absent mirrors all. */
  readonly percentage?: number;
}

/** The destination (cluster) of a route: weighted settings, each a set of endpoints. */
export interface RouteDestination {
  /** Cluster name. */
  readonly name: string;
  readonly statName?: string;
  /** Weighted backend groups that make up the cluster. */
  readonly settings?: readonly DestinationSetting[];
  /** Shared clusters (see `Xds.backendClusters`) this destination uses instead of `settings`. */
  readonly backendClusterRefs?: readonly BackendClusterRef[];
  /** The backend resources this destination was built from. */
  readonly metadata?: ResourceMetadata;
}

/** A cluster shared by several routes. */
export interface BackendCluster {
  readonly name: string;
  readonly setting?: DestinationSetting;
  readonly metadata?: ResourceMetadata;
  readonly traffic?: ClusterTrafficFeatures;
  /** Use the downstream protocol upstream. */
  readonly useClientProtocol?: boolean;
}

/** A weighted reference to a shared cluster. */
export interface BackendClusterRef {
  readonly name: string;
  /** Relative weight of the referenced cluster. */
  readonly weight?: number;
}

/** One backend of a destination: its endpoints, weight, protocol, TLS and filters. */
export interface DestinationSetting {
  /** Setting name, unique within the destination (used for per-setting clusters). */
  readonly name: string;
  /** The backend resolves the destination from the request (dynamic forward proxy). */
  readonly isDynamicResolver?: boolean;
  /** The backend is handled by an extension, so it has no endpoints here. */
  readonly isCustomBackend?: boolean;
  /** Relative weight among the destination's settings. */
  readonly weight?: number;
  /** Failover priority (0 is highest). */
  readonly priority?: number;
  /** Protocol the backend speaks. */
  readonly protocol?: AppProtocol;
  /** Talk HTTP/1.1 to this backend even when the route is HTTP/2. */
  readonly forceHTTP1Upstream?: boolean;
  readonly endpoints?: readonly DestinationEndpoint[];
  readonly addressType?: DestinationAddressType;
  readonly ipFamily?: egv1a1.IPFamily;
  /** Upstream TLS to the backend (BackendTLSPolicy, Backend TLS). */
  readonly tls?: TLSUpstreamConfig;
  /** Filters applied only for this backend. */
  readonly filters?: DestinationFilters;
  readonly preferLocal?: PreferLocalZone;
  readonly metadata?: ResourceMetadata;
  /** The backend reference was invalid; its weight answers with 500. */
  readonly invalid?: boolean;
}

/** How a destination's endpoints are addressed: IP, FQDN, Mixed, UDS or STATIC. */
export type DestinationAddressType = "IP" | "FQDN" | "Mixed" | "UDS" | "STATIC";

/** One endpoint: IP or hostname with port, or a Unix socket path. */
export interface DestinationEndpoint {
  /** Hostname of the endpoint (for SNI/Host), when known. */
  readonly hostname?: string;
  /** IP address or FQDN; empty for a Unix socket. */
  readonly host: string;
  /** Port; 0 for a Unix socket. */
  readonly port: number;
  /** Unix domain socket path. */
  readonly path?: string;
  /** The endpoint is terminating and gets no new traffic. */
  readonly draining?: boolean;
  /** Topology zone, for zone-aware routing. */
  readonly zone?: string;
}

/** PROXY protocol version sent to backends. */
export type ProxyProtocolVersion = "V1" | "V2";

/** Sending the PROXY protocol header to backends. */
export interface ProxyProtocol {
  readonly version?: ProxyProtocolVersion;
}

/** Header and credential filters applied per backend (from backendRef filters). */
export interface DestinationFilters {
  readonly addRequestHeaders?: readonly AddHeader[];
  readonly removeRequestHeaders?: readonly string[];
  readonly addResponseHeaders?: readonly AddHeader[];
  readonly removeResponseHeaders?: readonly string[];
  readonly credentialInjection?: CredentialInjection;
  readonly urlRewrite?: URLRewrite;
}

/** The application protocol of a destination (HTTP, HTTP2, GRPC, TCP, UDP, ...). */
export type AppProtocol = "GRPC" | "GRPC-Web" | "HTTP" | "HTTP2" | "HTTPS" | "TCP" | "UDP";
