import { interpretOpenIDConfiguration, openIDConfigurationURL, type OIDCDiscovery } from "@egts/gatewayapi-translator";

/**
 * Recorded responses to `GET <issuer>/.well-known/openid-configuration` for the issuers the corpus names.
 * Upstream's golden tests fetched these over the network; the runner has none, so it serves recordings,
 * written from what the cases' expected output implies (the endpoints a document must have given, or the
 * status the issuer answered), not copied from anywhere.
 */
const recordedResponses: ReadonlyMap<string, { readonly status: number; readonly body: string }> = new Map([
  [
    openIDConfigurationURL("https://accounts.google.com"),
    {
      status: 200,
      body: JSON.stringify({
        issuer: "https://accounts.google.com",
        authorization_endpoint: "https://accounts.google.com/o/oauth2/v2/auth",
        token_endpoint: "https://oauth2.googleapis.com/token",
        jwks_uri: "https://www.googleapis.com/oauth2/v3/certs",
      }),
    },
  ],
  [openIDConfigurationURL("https://gateway.envoyproxy.io"), { status: 404, body: "404 page not found\n" }],
]);

/** OIDC discovery over the recorded responses, read the way the controller reads fetched ones. */
export const referenceOIDCDiscovery: OIDCDiscovery = (issuer) => {
  const response = recordedResponses.get(openIDConfigurationURL(issuer));
  if (response === undefined) {
    return { error: `failed fetching openid-configuration from issuer URL: ${issuer}: no recorded response (the reference runner has no network)` };
  }
  return interpretOpenIDConfiguration(issuer, response.status, response.body);
};
