import type * as egv1a1 from "./EnvoyGatewayApi.js";
import type { PrivateBytes } from "./Common.js";
import type { StringMatch } from "./Match.js";
import type { AddHeader, Redirect } from "./Route.js";

/** Replaces responses that match (status code, headers) with a custom response or redirect. */
export interface ResponseOverride {
  readonly name: string;
  readonly rules?: readonly ResponseOverrideRule[];
}

/** One match and the response to send instead. */
export interface ResponseOverrideRule {
  readonly name: string;
  readonly match: CustomResponseMatch;
  readonly response?: CustomResponse;
  readonly redirect?: Redirect;
  /** Which responses the rule applies to: from backends, local replies or both. */
  readonly source?: egv1a1.ResponseOverrideSource;
}

/** Which responses a response-override rule applies to. */
export interface CustomResponseMatch {
  readonly statusCodes?: readonly StatusCodeMatch[];
  readonly responseHeaders?: readonly StringMatch[];
}

/** A status code or status code range. */
export interface StatusCodeMatch {
  readonly value?: number;
  readonly range?: StatusCodeRange;
}

/** An inclusive range of status codes. */
export interface StatusCodeRange {
  readonly start: number;
  readonly end: number;
}

/** A locally generated response: status, content type, body and headers. */
export interface CustomResponse {
  readonly contentType?: string;
  /** Response body text. */
  readonly body?: Uint8Array;
  /** Status code to answer with. */
  readonly statusCode?: number;
  readonly addResponseHeaders?: readonly AddHeader[];
}

/** Injects a credential (for example an API token) into a request header before it goes upstream. */
export interface CredentialInjection {
  readonly name: string;
  /** Header to write the credential into (default Authorization). */
  readonly header?: string;
  /** Overwrite the header when the request already has it. */
  readonly overwrite?: boolean;
  /** The credential value, written into `header`. */
  readonly credential: PrivateBytes;
}
