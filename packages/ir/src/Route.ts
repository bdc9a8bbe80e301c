import type { ResourceMetadata, UnstructuredRef } from "./Common.js";
import type { MirrorPolicy, RouteDestination } from "./Destination.js";
import type { Duration } from "./Json.js";
import type { RegexMatchReplace, StringMatch } from "./Match.js";
import type { CredentialInjection, CustomResponse } from "./ResponseOverride.js";
import type { CORS, EnvoyExtensionFeatures, SecurityFeatures } from "./Security.js";
import type { Retry, SessionPersistence, TrafficFeatures } from "./Traffic.js";

/** One HTTP route: how requests are matched (hostname, path, headers, query, cookies), filtered and sent to destinations, with traffic, security and extension features. */
export interface HTTPRoute {
  /** Unique route name (upstream: httproute/namespace/name/rule/N/match/M/hostname). */
  readonly name: string;
  /** Alternative name for Envoy stats. */
  readonly statName?: string;
  /** The virtual host hostname this route belongs to. */
  readonly hostname: string;
  /** The route serves HTTP/2-only traffic (for example gRPC). */
  readonly isHTTP2: boolean;
  /** Path match; absent matches every path. */
  readonly pathMatch?: StringMatch;
  /** Header matches; all must match. */
  readonly headerMatches?: readonly StringMatch[];
  /** Query parameter matches; all must match. */
  readonly queryParamMatches?: readonly StringMatch[];
  /** Cookie matches; all must match. */
  readonly cookieMatches?: readonly StringMatch[];
  readonly addRequestHeaders?: readonly AddHeader[];
  readonly removeRequestHeaders?: readonly string[];
  readonly addResponseHeaders?: readonly AddHeader[];
  readonly removeResponseHeaders?: readonly string[];
  /** Answer locally instead of forwarding (used for invalid backends and direct responses). */
  readonly directResponse?: CustomResponse;
  /** Redirect instead of forwarding. */
  readonly redirect?: Redirect;
  /** Destinations that receive a copy of the traffic. */
  readonly mirrors?: readonly MirrorPolicy[];
  /** Where matched requests go. */
  readonly destination?: RouteDestination;
  /** Path/host rewrite before forwarding. */
  readonly urlRewrite?: URLRewrite;
  /** Credential written into a request header before forwarding. */
  readonly credentialInjection?: CredentialInjection;
  /** Extension filters attached to the route. */
  readonly extensionRefs?: readonly UnstructuredRef[];
  readonly extensionServerPolicies?: readonly UnstructuredRef[];
  /** Traffic features from BackendTrafficPolicy. */
  readonly traffic?: TrafficFeatures;
  /** Security features from SecurityPolicy. */
  readonly security?: SecurityFeatures;
  /** Extensions from EnvoyExtensionPolicy. */
  readonly envoyExtensions?: EnvoyExtensionFeatures;
  /** Use the downstream protocol (HTTP/1.1 or HTTP/2) upstream. */
  readonly useClientProtocol?: boolean;
  /** The route resource and rule this route came from. */
  readonly metadata?: ResourceMetadata;
  /** Sticky sessions by cookie or header. */
  readonly sessionPersistence?: SessionPersistence;
  /** Route timeouts (from the route rule's timeouts). */
  readonly timeout?: Duration;
  /** Retry policy (from the route rule's retry). */
  readonly retry?: Retry;
  /** CORS policy from an HTTPRoute filter. */
  readonly cors?: CORS;
}

/** A header to add or set on a request or response. */
export interface AddHeader {
  readonly name: string;
  /** Values to add; several values add the header several times. */
  readonly value?: readonly string[];
  /** Append to existing values instead of overwriting them. */
  readonly append: boolean;
  /** Add only when the header is not present. */
  readonly addIfAbsent: boolean;
}

/** Rewrites the request path and/or host before it goes upstream. */
export interface URLRewrite {
  readonly path?: ExtendedHTTPPathModifier;
  readonly host?: HTTPHostModifier;
  /** Record the original host in x-forwarded-host when the host is rewritten. */
  readonly appendXForwardedHost?: boolean;
}

/** An HTTP redirect response (scheme, host, path, port, status). */
export interface Redirect {
  readonly scheme?: string;
  readonly hostname?: string;
  readonly path?: HTTPPathModifier;
  /** Port of the redirect target. */
  readonly port?: number;
  /** Redirect status code (301, 302, 303, 307 or 308). */
  readonly statusCode?: number;
}

/** Replaces the full path or the matched prefix. */
export interface HTTPPathModifier {
  /** Replace the whole path. */
  readonly fullReplace?: string;
  /** Replace the prefix that matched. */
  readonly prefixMatchReplace?: string;
}

/** Path replacement including regex substitution. */
export interface ExtendedHTTPPathModifier extends HTTPPathModifier {
  readonly regexMatchReplace?: RegexMatchReplace;
}

/** Rewrites the Host header: literal, from a header, from the backend, or by regex on the path. */
export interface HTTPHostModifier {
  /** Literal Host value. */
  readonly name?: string;
  /** Take the Host from this request header. */
  readonly header?: string;
  /** Use the selected backend's hostname. */
  readonly backend?: boolean;
  readonly pathRegex?: RegexMatchReplace;
}
