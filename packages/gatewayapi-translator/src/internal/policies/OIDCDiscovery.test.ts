import { describe, expect, it } from "vitest";
import { interpretOpenIDConfiguration, openIDConfigurationURL } from "./OIDCDiscovery.js";

const issuer = "https://idp.example";

describe("interpretOpenIDConfiguration", () => {
  it("reads the endpoints of a discovery document", () => {
    const body = JSON.stringify({ authorization_endpoint: `${issuer}/auth`, token_endpoint: `${issuer}/token`, end_session_endpoint: `${issuer}/logout` });
    expect(interpretOpenIDConfiguration(issuer, 200, body)).toEqual({
      authorizationEndpoint: `${issuer}/auth`,
      tokenEndpoint: `${issuer}/token`,
      endSessionEndpoint: `${issuer}/logout`,
    });
  });

  it("words failures as upstream does", () => {
    expect(interpretOpenIDConfiguration(issuer, 404, "")).toEqual({
      error: `failed fetching openid-configuration from issuer URL: ${issuer}, status code: 404`,
    });
    expect(interpretOpenIDConfiguration(issuer, 503, "")).toEqual({
      error: `transient error fetching openid-configuration from issuer URL: ${issuer}, status code: 503`,
    });
    expect(interpretOpenIDConfiguration(issuer, 302, "")).toEqual({
      error: `unexpected status code 302 when fetching openid-configuration from issuer URL: ${issuer}`,
    });
    expect(interpretOpenIDConfiguration(issuer, 200, "{not json")).toMatchObject({
      error: expect.stringMatching(/^error decoding openid-configuration response: /),
    });
    expect(interpretOpenIDConfiguration(issuer, 200, JSON.stringify({ authorization_endpoint: "a" }))).toEqual({
      error: `invalid openid-configuration from issuer URL ${issuer}: token_endpoint not found in OpenID configuration`,
    });
    expect(interpretOpenIDConfiguration(issuer, 200, JSON.stringify({ token_endpoint: "t" }))).toEqual({
      error: `invalid openid-configuration from issuer URL ${issuer}: authorization_endpoint not found in OpenID configuration`,
    });
  });

  it("names the well-known URL", () => {
    expect(openIDConfigurationURL(issuer)).toBe("https://idp.example/.well-known/openid-configuration");
  });
});
