import type * as egv1a1 from "./EnvoyGatewayApi.js";
import type { ResourceMetadata, UnstructuredRef } from "./Common.js";
import type { HTTP3Settings } from "./Infra.js";
import type { Duration } from "./Json.js";
import type { TCPRoute, UDPRoute } from "./L4Route.js";
import type { StringMatch } from "./Match.js";
import type { AddHeader, HTTPRoute } from "./Route.js";
import type { TLSConfig } from "./Tls.js";
import type { ClientConnection, TCPKeepalive } from "./Traffic.js";
import type { GeoIPProvider } from "./Xds.js";

/** CoreListenerDetails (xds IR type). */
export interface CoreListenerDetails {
  readonly name: string;
  readonly address: string;
  readonly port: number;
  readonly externalPort?: number;
  readonly extensionRefs?: readonly UnstructuredRef[];
  readonly metadata?: ResourceMetadata;
  readonly ipFamily?: egv1a1.IPFamily;
}

/** RequestIDExtensionAction (xds IR type). */
export type RequestIDExtensionAction = "PackAndSample" | "Sample" | "Pack" | "Disable";

/** HTTPListener (xds IR type). */
export interface HTTPListener extends CoreListenerDetails {
  readonly hostnames?: readonly string[];
  readonly tls?: TLSConfig;
  readonly tlsOverlaps?: boolean;
  readonly routes?: readonly HTTPRoute[];
  readonly tcpKeepalive?: TCPKeepalive;
  readonly headers?: HeaderSettings;
  readonly proxyProtocol?: ProxyProtocolSettings;
  readonly clientIPDetection?: ClientIPDetectionSettings;
  readonly geoIPProvider?: GeoIPProvider;
  readonly path: PathSettings;
  readonly host?: HostSettings;
  readonly http1?: HTTP1Settings;
  readonly http2?: HTTP2Settings;
  readonly http3?: HTTP3Settings;
  readonly grpc?: GRPCSettings;
  readonly healthCheck?: HealthCheckSettings;
  readonly timeout?: ClientTimeout;
  readonly connection?: ClientConnection;
  readonly preserveRouteOrder?: boolean;
  readonly matchBackendScheme?: boolean;
  readonly requestID?: RequestIDExtensionAction;
}

/** PathEscapedSlashAction (xds IR type). */
export type PathEscapedSlashAction = "KeepUnchanged" | "RejectRequest" | "UnescapeAndRedirect" | "UnescapeAndForward";

/** PathSettings (xds IR type). */
export interface PathSettings {
  readonly mergeSlashes: boolean;
  readonly escapedSlashesAction: PathEscapedSlashAction;
}

/** HostSettings (xds IR type). */
export interface HostSettings {
  readonly stripTrailingHostDot?: boolean;
}

/** ProxyProtocolSettings (xds IR type). */
export interface ProxyProtocolSettings {
  readonly optional?: boolean;
}

/** WithUnderscoresAction (xds IR type). */
export type WithUnderscoresAction = "Allow" | "RejectRequest" | "DropHeader";

/** RequestIDAction (xds IR type). */
export type RequestIDAction = "PreserveOrGenerate" | "Preserve" | "Generate" | "Disable";

/** XForwardedClientCert (xds IR type). */
export interface XForwardedClientCert {
  readonly mode?: egv1a1.XFCCForwardMode;
  readonly certDetailsToAdd?: readonly egv1a1.XFCCCertData[];
}

/** ClientIPDetectionSettings (xds IR type). */
export type ClientIPDetectionSettings = egv1a1.ClientIPDetectionSettings;

/** BackendWeights (xds IR type). */
export interface BackendWeights {
  readonly valid: number;
  readonly invalid: number;
  readonly noEndpoints: number;
}

/** HTTP1Settings (xds IR type). */
export interface HTTP1Settings {
  readonly enableTrailers?: boolean;
  readonly preserveHeaderCase?: boolean;
  readonly http10?: HTTP10Settings;
  readonly disableSafeMaxConnectionDuration?: boolean;
  readonly ignoredUpgradeTypes?: readonly StringMatch[];
}

/** HTTP10Settings (xds IR type). */
export interface HTTP10Settings {
  readonly defaultHost?: string;
}

/** HTTP2Settings (xds IR type). */
export interface HTTP2Settings {
  readonly initialConnectionWindowSize?: number;
  readonly initialStreamWindowSize?: number;
  readonly maxConcurrentStreams?: number;
  readonly resetStreamOnError?: boolean;
  readonly connectionKeepalive?: HTTP2KeepaliveSettings;
}

/** HTTP2KeepaliveSettings (xds IR type). */
export interface HTTP2KeepaliveSettings {
  readonly interval?: Duration;
  readonly timeout?: Duration;
  readonly intervalJitter?: number;
  readonly idleInterval?: Duration;
}

/** GRPCSettings (xds IR type). */
export interface GRPCSettings {
  readonly enableGRPCWeb?: boolean;
  readonly enableGRPCStats?: boolean;
}

/** HealthCheckSettings (xds IR type). */
export type HealthCheckSettings = egv1a1.HealthCheckSettings;

/** HeaderSettings (xds IR type). */
export interface HeaderSettings {
  readonly enableEnvoyHeaders?: boolean;
  readonly disableRateLimitHeaders?: boolean;
  readonly xForwardedClientCert?: XForwardedClientCert;
  readonly withUnderscoresAction?: WithUnderscoresAction;
  readonly requestID?: RequestIDAction;
  readonly earlyAddRequestHeaders?: readonly AddHeader[];
  readonly earlyRemoveRequestHeaders?: readonly string[];
  readonly earlyRemoveRequestHeadersOnMatch?: readonly StringMatch[];
  readonly lateAddResponseHeaders?: readonly AddHeader[];
  readonly lateRemoveResponseHeaders?: readonly string[];
  readonly lateRemoveResponseHeadersOnMatch?: readonly StringMatch[];
  readonly maxRequestHeadersKB?: number;
}

/** ClientTimeout (xds IR type). */
export interface ClientTimeout {
  readonly tcp?: TCPClientTimeout;
  readonly http?: HTTPClientTimeout;
}

/** TCPClientTimeout (xds IR type). */
export interface TCPClientTimeout {
  readonly idleTimeout?: Duration;
  readonly tlsHandshakeTimeout?: Duration;
  readonly connectionInspectionTimeout?: Duration;
}

/** HTTPClientTimeout (xds IR type). */
export interface HTTPClientTimeout {
  readonly requestReceivedTimeout?: Duration;
  readonly requestHeadersReceivedTimeout?: Duration;
  readonly idleTimeout?: Duration;
  readonly streamIdleTimeout?: Duration;
}

/** TCPListener (xds IR type). */
export interface TCPListener extends CoreListenerDetails {
  readonly tls?: TLSConfig;
  readonly tcpKeepalive?: TCPKeepalive;
  readonly proxyProtocol?: ProxyProtocolSettings;
  readonly timeout?: ClientTimeout;
  readonly connection?: ClientConnection;
  readonly routes?: readonly TCPRoute[];
}

/** UDPListener (xds IR type). */
export interface UDPListener extends CoreListenerDetails {
  readonly route?: UDPRoute;
}

/** ReadyListener (xds IR type). */
export interface ReadyListener {
  readonly ipFamily: egv1a1.IPFamily;
  readonly address: string;
  readonly port: number;
  readonly path: string;
}
