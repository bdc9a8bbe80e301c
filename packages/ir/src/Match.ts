/** Regex-based substitution. */
export interface RegexMatchReplace {
  readonly pattern: string;
  readonly substitution: string;
}

/** Matches a named header/query/cookie (or a bare value) by exact, prefix, suffix or regex; `distinct` means every distinct value (rate limiting). */
export interface StringMatch {
  /** Header, query parameter or cookie name; empty for a bare value match. */
  readonly name: string;
  readonly exact?: string;
  readonly prefix?: string;
  readonly suffix?: string;
  /** RE2 regular expression that must match the whole value. */
  readonly safeRegex?: string;
  /** Match any value and treat each distinct value separately (rate limit descriptors). */
  readonly distinct: boolean;
  /** Negate the match. */
  readonly invert?: boolean;
}

/** A client address range for rate limiting. */
export interface CIDRMatch {
  readonly cidr: string;
  /** Prefix length of the CIDR. */
  readonly maskLen: number;
  readonly isIPv6: boolean;
  /** Limit each client address separately. */
  readonly distinct: boolean;
  readonly invert: boolean;
}

/** A query parameter match. */
export interface QueryParamMatch extends StringMatch {}
