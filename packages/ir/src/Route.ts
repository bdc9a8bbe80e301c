import type { ResourceMetadata, UnstructuredRef } from "./Common.js";
import type { MirrorPolicy, RouteDestination } from "./Destination.js";
import type { Duration } from "./Json.js";
import type { RegexMatchReplace, StringMatch } from "./Match.js";
import type { CredentialInjection, CustomResponse } from "./ResponseOverride.js";
import type { CORS, EnvoyExtensionFeatures, SecurityFeatures } from "./Security.js";
import type { Retry, SessionPersistence, TrafficFeatures } from "./Traffic.js";

/** HTTPRoute (xds IR type). */
export interface HTTPRoute {
  readonly name: string;
  readonly statName?: string;
  readonly hostname: string;
  readonly isHTTP2: boolean;
  readonly pathMatch?: StringMatch;
  readonly headerMatches?: readonly StringMatch[];
  readonly queryParamMatches?: readonly StringMatch[];
  readonly cookieMatches?: readonly StringMatch[];
  readonly addRequestHeaders?: readonly AddHeader[];
  readonly removeRequestHeaders?: readonly string[];
  readonly addResponseHeaders?: readonly AddHeader[];
  readonly removeResponseHeaders?: readonly string[];
  readonly directResponse?: CustomResponse;
  readonly redirect?: Redirect;
  readonly mirrors?: readonly MirrorPolicy[];
  readonly destination?: RouteDestination;
  readonly urlRewrite?: URLRewrite;
  readonly credentialInjection?: CredentialInjection;
  readonly extensionRefs?: readonly UnstructuredRef[];
  readonly extensionServerPolicies?: readonly UnstructuredRef[];
  readonly traffic?: TrafficFeatures;
  readonly security?: SecurityFeatures;
  readonly envoyExtensions?: EnvoyExtensionFeatures;
  readonly useClientProtocol?: boolean;
  readonly metadata?: ResourceMetadata;
  readonly sessionPersistence?: SessionPersistence;
  readonly timeout?: Duration;
  readonly retry?: Retry;
  readonly cors?: CORS;
}

/** AddHeader (xds IR type). */
export interface AddHeader {
  readonly name: string;
  readonly value?: readonly string[];
  readonly append: boolean;
  readonly addIfAbsent: boolean;
}

/** URLRewrite (xds IR type). */
export interface URLRewrite {
  readonly path?: ExtendedHTTPPathModifier;
  readonly host?: HTTPHostModifier;
  readonly appendXForwardedHost?: boolean;
}

/** Redirect (xds IR type). */
export interface Redirect {
  readonly scheme?: string;
  readonly hostname?: string;
  readonly path?: HTTPPathModifier;
  readonly port?: number;
  readonly statusCode?: number;
}

/** HTTPPathModifier (xds IR type). */
export interface HTTPPathModifier {
  readonly fullReplace?: string;
  readonly prefixMatchReplace?: string;
}

/** ExtendedHTTPPathModifier (xds IR type). */
export interface ExtendedHTTPPathModifier extends HTTPPathModifier {
  readonly regexMatchReplace?: RegexMatchReplace;
}

/** HTTPHostModifier (xds IR type). */
export interface HTTPHostModifier {
  readonly name?: string;
  readonly header?: string;
  readonly backend?: boolean;
  readonly pathRegex?: RegexMatchReplace;
}
