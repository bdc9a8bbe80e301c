import type * as egv1a1 from "./EnvoyGatewayApi.js";
import type { CIDRMatch, QueryParamMatch, StringMatch } from "./Match.js";

/** RateLimit (xds IR type). */
export interface RateLimit {
  readonly global?: GlobalRateLimit;
  readonly local?: LocalRateLimit;
}

/** GlobalRateLimit (xds IR type). */
export interface GlobalRateLimit {
  readonly rules?: readonly RateLimitRule[];
}

/** LocalRateLimit (xds IR type). */
export interface LocalRateLimit {
  readonly default: RateLimitValue;
  readonly rules?: readonly RateLimitRule[];
  readonly defaultXRateLimitOption?: egv1a1.XRateLimitHeadersOption;
}

/** RateLimitRule (xds IR type). */
export interface RateLimitRule {
  readonly headerMatches?: readonly StringMatch[];
  readonly pathMatch?: StringMatch;
  readonly methodMatches?: readonly StringMatch[];
  readonly cidrMatch?: CIDRMatch;
  readonly queryParamMatches?: readonly QueryParamMatch[];
  readonly limit: RateLimitValue;
  readonly requestCost?: RateLimitCost;
  readonly responseCost?: RateLimitCost;
  readonly shared?: boolean;
  readonly shadowMode?: boolean;
  readonly xRateLimitOption?: egv1a1.XRateLimitHeadersOption;
  readonly name?: string;
}

/** RateLimitCost (xds IR type). */
export interface RateLimitCost {
  readonly number?: number;
  readonly format?: string;
}

/** RateLimitUnit (xds IR type). */
export type RateLimitUnit = "Second" | "Minute" | "Hour" | "Day" | "Week" | "Month" | "Year";

/** RateLimitValue (xds IR type). */
export interface RateLimitValue {
  readonly requests: number;
  readonly unit: RateLimitUnit;
  readonly fromMetadata?: RateLimitValueMetadata;
}

/** RateLimitValueMetadata (xds IR type). */
export interface RateLimitValueMetadata {
  readonly namespace: string;
  readonly key: string;
}

/** BandwidthLimit (xds IR type). */
export interface BandwidthLimit {
  readonly request?: BandwidthLimitConfig;
  readonly response?: BandwidthLimitConfig;
}

/** BandwidthLimitConfig (xds IR type). */
export interface BandwidthLimitConfig {
  readonly limitKibps: number;
  readonly responseTrailers?: BandwidthLimitResponseTrailers;
}

/** BandwidthLimitResponseTrailers (xds IR type). */
export interface BandwidthLimitResponseTrailers {
  readonly prefix?: string;
}
