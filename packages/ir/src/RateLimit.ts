import type * as egv1a1 from "./EnvoyGatewayApi.js";
import type { CIDRMatch, QueryParamMatch, StringMatch } from "./Match.js";

/** Global (rate limit service) and local (in-proxy) rate limits. */
export interface RateLimit {
  readonly global?: GlobalRateLimit;
  readonly local?: LocalRateLimit;
}

/** Rules enforced by the global rate limit service. */
export interface GlobalRateLimit {
  readonly rules?: readonly RateLimitRule[];
}

/** Token bucket rate limits enforced in the proxy. */
export interface LocalRateLimit {
  /** Limit for requests no rule matches. */
  readonly default: RateLimitValue;
  readonly rules?: readonly RateLimitRule[];
  readonly defaultXRateLimitOption?: egv1a1.XRateLimitHeadersOption;
}

/** A rate limit rule: which requests (headers, path, methods, CIDR, query) and the limit. */
export interface RateLimitRule {
  readonly headerMatches?: readonly StringMatch[];
  readonly pathMatch?: StringMatch;
  readonly methodMatches?: readonly StringMatch[];
  readonly cidrMatch?: CIDRMatch;
  readonly queryParamMatches?: readonly QueryParamMatch[];
  readonly limit: RateLimitValue;
  readonly requestCost?: RateLimitCost;
  readonly responseCost?: RateLimitCost;
  /** The limit is shared by every route the policy applies to. */
  readonly shared?: boolean;
  /** Count but do not enforce. */
  readonly shadowMode?: boolean;
  readonly xRateLimitOption?: egv1a1.XRateLimitHeadersOption;
  readonly name?: string;
}

/** How much a request or response costs against a limit. */
export interface RateLimitCost {
  readonly number?: number;
  readonly format?: string;
}

/** Time unit of a rate limit (Second ... Year). */
export type RateLimitUnit = "Second" | "Minute" | "Hour" | "Day" | "Week" | "Month" | "Year";

/** A limit: requests per unit, or read from metadata. */
export interface RateLimitValue {
  /** Requests allowed per unit. */
  readonly requests: number;
  readonly unit: RateLimitUnit;
  readonly fromMetadata?: RateLimitValueMetadata;
}

/** Dynamic metadata that holds a limit. */
export interface RateLimitValueMetadata {
  readonly namespace: string;
  readonly key: string;
}

/** Request and response bandwidth limits. */
export interface BandwidthLimit {
  readonly request?: BandwidthLimitConfig;
  readonly response?: BandwidthLimitConfig;
}

/** A bandwidth limit in KiB/s. */
export interface BandwidthLimitConfig {
  /** Limit in KiB per second. */
  readonly limitKibps: number;
  readonly responseTrailers?: BandwidthLimitResponseTrailers;
}

/** Trailers reporting bandwidth limiting. */
export interface BandwidthLimitResponseTrailers {
  readonly prefix?: string;
}
