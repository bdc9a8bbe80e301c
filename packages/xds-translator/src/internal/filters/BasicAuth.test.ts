import { describe, expect, it } from "vitest";
import { toProtoJson } from "@egts/envoy-api";
import { Route } from "@egts/envoy-api/generated/envoy/config/route/v3/route_components";
import { HttpConnectionManager } from "@egts/envoy-api/generated/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager";
import type { BasicAuth, HTTPListener, HTTPRoute } from "@egts/ir";
import { newContext } from "../Context.js";
import { basicAuthFilter } from "./BasicAuth.js";

const users = (s: string) => new TextEncoder().encode(s);
const route = (basicAuth: BasicAuth | undefined, name = "r"): HTTPRoute => ({
  name,
  hostname: "*",
  isHTTP2: false,
  ...(basicAuth ? { security: { basicAuth } } : {}),
});
const listener = (routes: HTTPRoute[]): HTTPListener => ({
  name: "l",
  address: "::",
  port: 80,
  path: { mergeSlashes: false, escapedSlashesAction: "KeepUnchanged" },
  routes,
});
const ctx = newContext({}, {});
const b64 = (s: string) => Buffer.from(s).toString("base64");

describe("basic auth", () => {
  const a: BasicAuth = { name: "securitypolicy/ns/a", users: users("alice:{SHA}x\n"), forwardUsernameHeader: "x-user" };
  const b: BasicAuth = { name: "securitypolicy/ns/b", users: users("bob:{SHA}y\n") };

  it("adds one disabled filter per policy, with the username header when set", () => {
    const hcm = HttpConnectionManager.fromPartial({});
    basicAuthFilter.patchHcm?.(hcm, listener([route(a, "1"), route(a, "2"), route(b, "3"), route(undefined, "4")]), ctx);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const filters = (toProtoJson(HttpConnectionManager, hcm) as any).httpFilters;
    expect(filters).toEqual([
      {
        name: "envoy.filters.http.basic_auth/securitypolicy/ns/a",
        disabled: true,
        typedConfig: {
          "@type": "type.googleapis.com/envoy.extensions.filters.http.basic_auth.v3.BasicAuth",
          users: { inlineBytes: b64("alice:{SHA}x\n") },
          forwardUsernameHeader: "x-user",
        },
      },
      {
        name: "envoy.filters.http.basic_auth/securitypolicy/ns/b",
        disabled: true,
        typedConfig: { "@type": "type.googleapis.com/envoy.extensions.filters.http.basic_auth.v3.BasicAuth", users: { inlineBytes: b64("bob:{SHA}y\n") } },
      },
    ]);
  });

  it("enables the policy's filter on its routes with the users as per-route config", () => {
    const r = Route.fromPartial({ name: "r" });
    basicAuthFilter.patchRoute?.(r, route(b), listener([]), ctx);
    expect((toProtoJson(Route, r) as { typedPerFilterConfig: unknown }).typedPerFilterConfig).toEqual({
      "envoy.filters.http.basic_auth/securitypolicy/ns/b": {
        "@type": "type.googleapis.com/envoy.extensions.filters.http.basic_auth.v3.BasicAuthPerRoute",
        users: { inlineBytes: b64("bob:{SHA}y\n") },
      },
    });
    expect(() => basicAuthFilter.patchRoute?.(r, route(b), listener([]), ctx)).toThrow(/already contains filter config/);
  });
});
