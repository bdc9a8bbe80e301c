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

/** Fields every listener has: name, bind address and port, and where it came from. */
export interface CoreListenerDetails {
  /** Unique listener name within the IR (upstream: namespace/gateway/listener). */
  readonly name: string;
  /** IP address to bind (for example 0.0.0.0 or ::). */
  readonly address: string;
  /** Port the proxy binds (the container port). */
  readonly port: number;
  /** Port clients connect to (the Gateway listener's port), when it differs from `port`. */
  readonly externalPort?: number;
  /** Extension resources attached to the listener. */
  readonly extensionRefs?: readonly UnstructuredRef[];
  /** The Gateway/listener this listener was built from. */
  readonly metadata?: ResourceMetadata;
  /** IP family of the bind address. */
  readonly ipFamily?: egv1a1.IPFamily;
}

/** How the UUID request-ID extension packs the trace decision into the request ID and whether it samples. */
export type RequestIDExtensionAction = "PackAndSample" | "Sample" | "Pack" | "Disable";

/** An HTTP or HTTPS listener: hostnames, TLS, routes and the connection manager settings from ClientTrafficPolicy. */
export interface HTTPListener extends CoreListenerDetails {
  /** Hostnames the listener serves (its virtual hosts); `*` matches all. */
  readonly hostnames?: readonly string[];
  /** TLS termination settings; absent for plain HTTP. */
  readonly tls?: TLSConfig;
  /** Another HTTPS listener on the same port has overlapping hostnames (affects HTTP/2 connection coalescing). */
  readonly tlsOverlaps?: boolean;
  /** Routes of the listener, in match priority order. */
  readonly routes?: readonly HTTPRoute[];
  readonly tcpKeepalive?: TCPKeepalive;
  /** Header handling (ClientTrafficPolicy headers). */
  readonly headers?: HeaderSettings;
  readonly proxyProtocol?: ProxyProtocolSettings;
  /** How the original client IP is determined. */
  readonly clientIPDetection?: ClientIPDetectionSettings;
  /** GeoIP databases for geolocation-based authorization. */
  readonly geoIPProvider?: GeoIPProvider;
  /** Path normalisation settings. */
  readonly path: PathSettings;
  readonly host?: HostSettings;
  readonly http1?: HTTP1Settings;
  readonly http2?: HTTP2Settings;
  /** Enables HTTP/3 (QUIC) on this listener. */
  readonly http3?: HTTP3Settings;
  readonly grpc?: GRPCSettings;
  /** Answers health check requests on this listener directly. */
  readonly healthCheck?: HealthCheckSettings;
  /** Downstream connection and request timeouts. */
  readonly timeout?: ClientTimeout;
  /** Downstream connection limits and buffers. */
  readonly connection?: ClientConnection;
  /** Keep routes in the user's order instead of upstream's precedence sort. */
  readonly preserveRouteOrder?: boolean;
  /** Use the upstream scheme of the backend for `:scheme`. */
  readonly matchBackendScheme?: boolean;
  /** How Envoy's UUID request-ID extension packs and samples trace decisions. */
  readonly requestID?: RequestIDExtensionAction;
}

/** What Envoy does with escaped slashes (%2F, %5C) in request paths. */
export type PathEscapedSlashAction = "KeepUnchanged" | "RejectRequest" | "UnescapeAndRedirect" | "UnescapeAndForward";

/** Request path normalisation. */
export interface PathSettings {
  /** Merge adjacent slashes in the path. */
  readonly mergeSlashes: boolean;
  readonly escapedSlashesAction: PathEscapedSlashAction;
}

/** Host header normalisation. */
export interface HostSettings {
  readonly stripTrailingHostDot?: boolean;
}

/** Accepting the PROXY protocol from downstream. */
export interface ProxyProtocolSettings {
  /** Also accept connections without a PROXY protocol header. */
  readonly optional?: boolean;
}

/** What Envoy does with request headers whose names contain underscores. */
export type WithUnderscoresAction = "Allow" | "RejectRequest" | "DropHeader";

/** Whether the `x-request-id` header is generated, preserved or both. */
export type RequestIDAction = "PreserveOrGenerate" | "Preserve" | "Generate" | "Disable";

/** Handling of the `x-forwarded-client-cert` header for mTLS listeners. */
export interface XForwardedClientCert {
  readonly mode?: egv1a1.XFCCForwardMode;
  readonly certDetailsToAdd?: readonly egv1a1.XFCCCertData[];
}

/** How the original client IP is found (X-Forwarded-For hops or trusted CIDRs, or a custom header). */
export type ClientIPDetectionSettings = egv1a1.ClientIPDetectionSettings;

/** HTTP/1.1 options of the connection manager. */
export interface HTTP1Settings {
  readonly enableTrailers?: boolean;
  /** Keep the case of HTTP/1.1 header names. */
  readonly preserveHeaderCase?: boolean;
  readonly http10?: HTTP10Settings;
  readonly disableSafeMaxConnectionDuration?: boolean;
  /** Upgrade types Envoy ignores rather than rejects. */
  readonly ignoredUpgradeTypes?: readonly StringMatch[];
}

/** HTTP/1.0 support. */
export interface HTTP10Settings {
  /** Host to use for HTTP/1.0 requests that carry none. */
  readonly defaultHost?: string;
}

/** HTTP/2 protocol options (window sizes, stream limits, keepalive). */
export interface HTTP2Settings {
  /** Initial HTTP/2 connection-level flow control window, in bytes. */
  readonly initialConnectionWindowSize?: number;
  /** Initial HTTP/2 stream-level flow control window, in bytes. */
  readonly initialStreamWindowSize?: number;
  /** Largest number of concurrent streams per connection. */
  readonly maxConcurrentStreams?: number;
  /** Reset only the stream (not the connection) on protocol errors. */
  readonly resetStreamOnError?: boolean;
  readonly connectionKeepalive?: HTTP2KeepaliveSettings;
}

/** HTTP/2 PING-based connection keepalive. */
export interface HTTP2KeepaliveSettings {
  readonly interval?: Duration;
  readonly timeout?: Duration;
  readonly intervalJitter?: number;
  readonly idleInterval?: Duration;
}

/** gRPC-Web translation and gRPC statistics on the listener. */
export interface GRPCSettings {
  /** Translate gRPC-Web requests. */
  readonly enableGRPCWeb?: boolean;
  /** Emit gRPC statistics. */
  readonly enableGRPCStats?: boolean;
}

/** Listener-level health check answering (EnvoyProxy/ClientTrafficPolicy health check settings). */
export type HealthCheckSettings = egv1a1.HealthCheckSettings;

/** Header handling of the connection manager: Envoy headers, underscores, request ID, XFCC and early/late header mutations. */
export interface HeaderSettings {
  /** Add Envoy's x-envoy-* headers (suppressed by default). */
  readonly enableEnvoyHeaders?: boolean;
  /** Do not emit x-ratelimit-* response headers. */
  readonly disableRateLimitHeaders?: boolean;
  readonly xForwardedClientCert?: XForwardedClientCert;
  readonly withUnderscoresAction?: WithUnderscoresAction;
  readonly requestID?: RequestIDAction;
  /** Request headers added before any other processing (before routing and filters). */
  readonly earlyAddRequestHeaders?: readonly AddHeader[];
  /** Request headers removed before any other processing. */
  readonly earlyRemoveRequestHeaders?: readonly string[];
  readonly earlyRemoveRequestHeadersOnMatch?: readonly StringMatch[];
  /** Response headers added after all other processing. */
  readonly lateAddResponseHeaders?: readonly AddHeader[];
  /** Response headers removed after all other processing. */
  readonly lateRemoveResponseHeaders?: readonly string[];
  readonly lateRemoveResponseHeadersOnMatch?: readonly StringMatch[];
  /** Largest request header block accepted, in KiB. */
  readonly maxRequestHeadersKB?: number;
}

/** Timeouts on downstream (client) connections. */
export interface ClientTimeout {
  readonly tcp?: TCPClientTimeout;
  readonly http?: HTTPClientTimeout;
}

/** Downstream TCP-level timeouts. */
export interface TCPClientTimeout {
  /** Close downstream connections idle for this long. */
  readonly idleTimeout?: Duration;
  readonly tlsHandshakeTimeout?: Duration;
  readonly connectionInspectionTimeout?: Duration;
}

/** Downstream HTTP-level timeouts. */
export interface HTTPClientTimeout {
  /** Time allowed to receive the whole request. */
  readonly requestReceivedTimeout?: Duration;
  /** Time allowed to receive the request headers. */
  readonly requestHeadersReceivedTimeout?: Duration;
  readonly idleTimeout?: Duration;
  readonly streamIdleTimeout?: Duration;
}

/** A TCP listener; routes are selected by SNI when TLS is involved. */
export interface TCPListener extends CoreListenerDetails {
  readonly tls?: TLSConfig;
  readonly tcpKeepalive?: TCPKeepalive;
  readonly proxyProtocol?: ProxyProtocolSettings;
  readonly timeout?: ClientTimeout;
  readonly connection?: ClientConnection;
  /** Routes of the listener; at most one without SNI. */
  readonly routes?: readonly TCPRoute[];
}

/** A UDP listener with its single route. */
export interface UDPListener extends CoreListenerDetails {
  readonly route?: UDPRoute;
}

/** The listener that answers Envoy's readiness probe. */
export interface ReadyListener {
  readonly ipFamily: egv1a1.IPFamily;
  readonly address: string;
  readonly port: number;
  readonly path: string;
}
