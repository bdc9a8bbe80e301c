import type * as egv1a1 from "./EnvoyGatewayApi.js";
import type { PrivateBytes } from "./Common.js";
import type { StringMatch } from "./Match.js";
import type { AddHeader, Redirect } from "./Route.js";

/** ResponseOverride (xds IR type). */
export interface ResponseOverride {
  readonly name: string;
  readonly rules?: readonly ResponseOverrideRule[];
}

/** ResponseOverrideRule (xds IR type). */
export interface ResponseOverrideRule {
  readonly name: string;
  readonly match: CustomResponseMatch;
  readonly response?: CustomResponse;
  readonly redirect?: Redirect;
  readonly source?: egv1a1.ResponseOverrideSource;
}

/** CustomResponseMatch (xds IR type). */
export interface CustomResponseMatch {
  readonly statusCodes?: readonly StatusCodeMatch[];
  readonly responseHeaders?: readonly StringMatch[];
}

/** StatusCodeMatch (xds IR type). */
export interface StatusCodeMatch {
  readonly value?: number;
  readonly range?: StatusCodeRange;
}

/** StatusCodeRange (xds IR type). */
export interface StatusCodeRange {
  readonly start: number;
  readonly end: number;
}

/** CustomResponse (xds IR type). */
export interface CustomResponse {
  readonly contentType?: string;
  readonly body?: Uint8Array;
  readonly statusCode?: number;
  readonly addResponseHeaders?: readonly AddHeader[];
}

/** CredentialInjection (xds IR type). */
export interface CredentialInjection {
  readonly name: string;
  readonly header?: string;
  readonly overwrite?: boolean;
  readonly credential: PrivateBytes;
}
