import type * as egv1a1 from "./EnvoyGatewayApi.js";
import type { ResourceMetadata } from "./Common.js";
import type { PreferLocalZone } from "./LoadBalancer.js";
import type { CredentialInjection } from "./ResponseOverride.js";
import type { AddHeader, URLRewrite } from "./Route.js";
import type { TLSUpstreamConfig } from "./Tls.js";
import type { ClusterTrafficFeatures } from "./Traffic.js";

/** MirrorPolicy (xds IR type). */
export interface MirrorPolicy {
  readonly destination?: RouteDestination;
  readonly percentage?: number;
}

/** RouteDestination (xds IR type). */
export interface RouteDestination {
  readonly name: string;
  readonly statName?: string;
  readonly settings?: readonly DestinationSetting[];
  readonly backendClusterRefs?: readonly BackendClusterRef[];
  readonly metadata?: ResourceMetadata;
}

/** BackendCluster (xds IR type). */
export interface BackendCluster {
  readonly name: string;
  readonly setting?: DestinationSetting;
  readonly metadata?: ResourceMetadata;
  readonly traffic?: ClusterTrafficFeatures;
  readonly useClientProtocol?: boolean;
}

/** BackendClusterRef (xds IR type). */
export interface BackendClusterRef {
  readonly name: string;
  readonly weight?: number;
}

/** DestinationSetting (xds IR type). */
export interface DestinationSetting {
  readonly name: string;
  readonly isDynamicResolver?: boolean;
  readonly isCustomBackend?: boolean;
  readonly weight?: number;
  readonly priority?: number;
  readonly protocol?: AppProtocol;
  readonly forceHTTP1Upstream?: boolean;
  readonly endpoints?: readonly DestinationEndpoint[];
  readonly addressType?: DestinationAddressType;
  readonly ipFamily?: egv1a1.IPFamily;
  readonly tls?: TLSUpstreamConfig;
  readonly filters?: DestinationFilters;
  readonly preferLocal?: PreferLocalZone;
  readonly metadata?: ResourceMetadata;
  readonly invalid?: boolean;
}

/** DestinationAddressType (xds IR type). */
export type DestinationAddressType = "IP" | "FQDN" | "Mixed" | "UDS" | "STATIC";

/** DestinationEndpoint (xds IR type). */
export interface DestinationEndpoint {
  readonly hostname?: string;
  readonly host: string;
  readonly port: number;
  readonly path?: string;
  readonly draining?: boolean;
  readonly zone?: string;
}

/** ProxyProtocolVersion (xds IR type). */
export type ProxyProtocolVersion = "V1" | "V2";

/** ProxyProtocol (xds IR type). */
export interface ProxyProtocol {
  readonly version?: ProxyProtocolVersion;
}

/** DestinationFilters (xds IR type). */
export interface DestinationFilters {
  readonly addRequestHeaders?: readonly AddHeader[];
  readonly removeRequestHeaders?: readonly string[];
  readonly addResponseHeaders?: readonly AddHeader[];
  readonly removeResponseHeaders?: readonly string[];
  readonly credentialInjection?: CredentialInjection;
  readonly urlRewrite?: URLRewrite;
}

/** AppProtocol (xds IR type). */
export type AppProtocol = "GRPC" | "GRPC-Web" | "HTTP" | "HTTP2" | "HTTPS" | "TCP" | "UDP";
