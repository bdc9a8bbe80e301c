/** RegexMatchReplace (xds IR type). */
export interface RegexMatchReplace {
  readonly pattern: string;
  readonly substitution: string;
}

/** StringMatch (xds IR type). */
export interface StringMatch {
  readonly name: string;
  readonly exact?: string;
  readonly prefix?: string;
  readonly suffix?: string;
  readonly safeRegex?: string;
  readonly distinct: boolean;
  readonly invert?: boolean;
}

/** CIDRMatch (xds IR type). */
export interface CIDRMatch {
  readonly cidr: string;
  readonly maskLen: number;
  readonly isIPv6: boolean;
  readonly distinct: boolean;
  readonly invert: boolean;
}

/** QueryParamMatch (xds IR type). */
export interface QueryParamMatch extends StringMatch {

}
