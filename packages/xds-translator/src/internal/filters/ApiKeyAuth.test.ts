import { describe, expect, it } from "vitest";
import { toProtoJson } from "@egts/envoy-api";
import { Route } from "@egts/envoy-api/generated/envoy/config/route/v3/route_components";
import { HttpConnectionManager } from "@egts/envoy-api/generated/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager";
import type { APIKeyAuth, HTTPListener, HTTPRoute } from "@egts/ir";
import { newContext } from "../Context.js";
import { apiKeyAuthFilter } from "./ApiKeyAuth.js";

const bytes = (s: string) => new TextEncoder().encode(s);
const route = (apiKeyAuth: APIKeyAuth | undefined, name = "r"): HTTPRoute => ({
  name,
  hostname: "*",
  isHTTP2: false,
  ...(apiKeyAuth ? { security: { apiKeyAuth } } : {}),
});
const listener = (routes: HTTPRoute[]): HTTPListener => ({
  name: "l",
  address: "::",
  port: 80,
  path: { mergeSlashes: false, escapedSlashesAction: "KeepUnchanged" },
  routes,
});
const ctx = newContext({}, {});

describe("api key auth", () => {
  const first: APIKeyAuth = {
    credentials: [{ client: bytes("client1"), key: bytes("key1") }],
    extractFrom: [{ headers: ["x-api-key"], params: ["key"] }, { cookies: ["k"] }],
    forwardClientIDHeader: "x-client",
  };
  const second: APIKeyAuth = { credentials: [{ client: bytes("c2"), key: bytes("k2") }], extractFrom: [{ headers: ["x-key"] }], sanitize: true };

  it("adds a single disabled filter configured from the first route that uses it", () => {
    const hcm = HttpConnectionManager.fromPartial({});
    const l = listener([route(undefined, "0"), route(first, "1"), route(second, "2")]);
    apiKeyAuthFilter.patchHcm?.(hcm, l, ctx);
    apiKeyAuthFilter.patchHcm?.(hcm, l, ctx);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const [filter, ...rest] = (toProtoJson(HttpConnectionManager, hcm) as any).httpFilters;
    expect(rest).toEqual([]);
    expect(filter).toEqual({
      name: "envoy.filters.http.api_key_auth",
      disabled: true,
      typedConfig: {
        "@type": "type.googleapis.com/envoy.extensions.filters.http.api_key_auth.v3.ApiKeyAuth",
        credentials: [{ client: "client1", key: "key1" }],
        keySources: [{ header: "x-api-key" }, { query: "key" }, { cookie: "k" }],
        forwarding: { header: "x-client" },
      },
    });
  });

  it("gives each route its own credentials and hides them when sanitizing", () => {
    const r = Route.fromPartial({ name: "r" });
    apiKeyAuthFilter.patchRoute?.(r, route(second), listener([]), ctx);
    expect((toProtoJson(Route, r) as { typedPerFilterConfig: unknown }).typedPerFilterConfig).toEqual({
      "envoy.filters.http.api_key_auth": {
        "@type": "type.googleapis.com/envoy.extensions.filters.http.api_key_auth.v3.ApiKeyAuthPerRoute",
        credentials: [{ client: "c2", key: "k2" }],
        keySources: [{ header: "x-key" }],
        forwarding: { hideCredentials: true },
      },
    });
  });
});
