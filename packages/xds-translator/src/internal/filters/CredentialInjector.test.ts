import { describe, expect, it } from "vitest";
import { toProtoJson } from "@egts/envoy-api";
import { Route } from "@egts/envoy-api/generated/envoy/config/route/v3/route_components";
import { HttpConnectionManager } from "@egts/envoy-api/generated/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager";
import { Secret } from "@egts/envoy-api/generated/envoy/extensions/transport_sockets/tls/v3/secret";
import type { CredentialInjection, HTTPListener, HTTPRoute } from "@egts/ir";
import { newContext } from "../Context.js";
import { buildCredentialInjectorFilter, buildCredentialSecret, credentialInjectorFilter } from "./CredentialInjector.js";

const injection: CredentialInjection = {
  name: "httproute/ns/r/rule/0/credential",
  header: "x-token",
  overwrite: true,
  credential: new TextEncoder().encode("Bearer t"),
};
const route = (c: CredentialInjection | undefined, name = "r"): HTTPRoute => ({
  name,
  hostname: "*",
  isHTTP2: false,
  ...(c ? { credentialInjection: c } : {}),
});
const listener = (routes: HTTPRoute[]): HTTPListener => ({
  name: "l",
  address: "::",
  port: 80,
  path: { mergeSlashes: false, escapedSlashesAction: "KeepUnchanged" },
  routes,
});

describe("credential injector", () => {
  it("adds a disabled filter per injection reading the generic credential from SDS", () => {
    const hcm = HttpConnectionManager.fromPartial({});
    credentialInjectorFilter.patchHcm?.(hcm, listener([route(injection, "a"), route(injection, "b"), route(undefined, "c")]), newContext({}, {}));
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const filters = (toProtoJson(HttpConnectionManager, hcm) as any).httpFilters;
    expect(filters).toHaveLength(1);
    expect(filters[0].name).toBe("envoy.filters.http.credential_injector/httproute/ns/r/rule/0/credential");
    expect(filters[0].disabled).toBe(true);
    expect(filters[0].typedConfig.overwrite).toBe(true);
    expect(filters[0].typedConfig.credential).toEqual({
      name: "envoy.http.injected_credentials.generic",
      typedConfig: {
        "@type": "type.googleapis.com/envoy.extensions.http.injected_credentials.generic.v3.Generic",
        credential: {
          name: "credential_injector/credential/httproute/ns/r/rule/0/credential",
          sdsConfig: { ads: {}, initialFetchTimeout: "0s", resourceApiVersion: "V3" },
        },
        header: "x-token",
      },
    });
  });

  it("enables the filter on the route and adds the credential secret once", () => {
    const r = Route.fromPartial({ name: "r" });
    const ctx = newContext({}, {});
    credentialInjectorFilter.patchRoute?.(r, route(injection), listener([]), ctx);
    expect(Object.keys(r.typedPerFilterConfig)).toEqual(["envoy.filters.http.credential_injector/httproute/ns/r/rule/0/credential"]);
    credentialInjectorFilter.patchResources?.([route(injection, "a"), route(injection, "b")], ctx);
    expect(ctx.table.secrets.map((s) => toProtoJson(Secret, s))).toEqual([
      {
        name: "credential_injector/credential/httproute/ns/r/rule/0/credential",
        genericSecret: { secret: { inlineBytes: Buffer.from("Bearer t").toString("base64") } },
      },
    ]);
  });

  it("provides the enabled upstream filter for backend credential injection", () => {
    expect(buildCredentialInjectorFilter(injection, false).disabled).toBe(false);
    expect(buildCredentialSecret(injection).name).toBe("credential_injector/credential/httproute/ns/r/rule/0/credential");
  });
});
