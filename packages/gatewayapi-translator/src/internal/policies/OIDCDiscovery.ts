// OIDC endpoint discovery as upstream words it (securitypolicy.go discoverEndpointsFromIssuer): what a
// response to GET <issuer>/.well-known/openid-configuration means. The fetch itself happens outside the
// translator (a fetcher service, or recorded documents in the reference runner); this is the pure part both
// share, so that results and errors read the same wherever the document came from.
import type * as ir from "@egts/ir";

/** Endpoints discovered from an OIDC issuer's configuration document. */
export interface OIDCEndpoints {
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  readonly endSessionEndpoint?: string;
}

/**
 * Looks up an issuer's discovered endpoints, given the TLS settings of the provider's backend (if any).
 * Answers the endpoints, or the error text of the failed (or not yet finished) discovery.
 */
export type OIDCDiscovery = (issuer: string, tls?: ir.TLSUpstreamConfig) => OIDCEndpoints | { readonly error: string };

/** The URL of an issuer's discovery document. */
export function openIDConfigurationURL(issuer: string): string {
  return `${issuer}/.well-known/openid-configuration`;
}

/** Status codes upstream retries (with backoff) before giving up. */
export function isRetryableDiscoveryStatus(status: number): boolean {
  return status === 429 || status === 500 || status === 502 || status === 503 || status === 504;
}

/** The outcome of one discovery response: the endpoints, or upstream's error text for it. */
export function interpretOpenIDConfiguration(issuer: string, status: number, body: string): OIDCEndpoints | { readonly error: string } {
  if (isRetryableDiscoveryStatus(status)) {
    return { error: `transient error fetching openid-configuration from issuer URL: ${issuer}, status code: ${status}` };
  }
  if (status === 404 || status === 400) return { error: `failed fetching openid-configuration from issuer URL: ${issuer}, status code: ${status}` };
  if (status !== 200) return { error: `unexpected status code ${status} when fetching openid-configuration from issuer URL: ${issuer}` };
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (e) {
    return { error: `error decoding openid-configuration response: ${(e as Error).message}` };
  }
  const fields = (typeof doc === "object" && doc !== null ? doc : {}) as Record<string, unknown>;
  const text = (key: string): string => (typeof fields[key] === "string" ? (fields[key] as string) : "");
  const tokenEndpoint = text("token_endpoint");
  const authorizationEndpoint = text("authorization_endpoint");
  if (tokenEndpoint === "") return { error: `invalid openid-configuration from issuer URL ${issuer}: token_endpoint not found in OpenID configuration` };
  if (authorizationEndpoint === "") {
    return { error: `invalid openid-configuration from issuer URL ${issuer}: authorization_endpoint not found in OpenID configuration` };
  }
  const endSession = fields["end_session_endpoint"];
  return { authorizationEndpoint, tokenEndpoint, ...(typeof endSession === "string" ? { endSessionEndpoint: endSession } : {}) };
}
