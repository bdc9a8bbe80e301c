import { describe, expect, it } from "vitest";
import { toProtoJson } from "@egts/envoy-api";
import { Route } from "@egts/envoy-api/generated/envoy/config/route/v3/route_components";
import { HttpConnectionManager } from "@egts/envoy-api/generated/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager";
import type { HTTPListener, HTTPRoute, SessionPersistence } from "@egts/ir";
import { newContext } from "../Context.js";
import { cookiePathOf, sessionPersistenceFilter } from "./SessionPersistence.js";

const route = (sp: SessionPersistence | undefined, name = "r", prefix = "/app"): HTTPRoute => ({
  name,
  hostname: "*",
  isHTTP2: false,
  pathMatch: { name: "", prefix, distinct: false },
  ...(sp !== undefined ? { sessionPersistence: sp } : {}),
});
const listener = (routes: HTTPRoute[]): HTTPListener => ({
  name: "l",
  address: "::",
  port: 80,
  path: { mergeSlashes: false, escapedSlashesAction: "KeepUnchanged" },
  routes,
});
const ctx = newContext({}, {});

describe("session persistence", () => {
  it("derives the cookie path from the route's path match", () => {
    expect(cookiePathOf(undefined)).toBe("/");
    expect(cookiePathOf({ name: "", exact: "/a/b", distinct: false })).toBe("/a/b");
    expect(cookiePathOf({ name: "", safeRegex: "/p1/p2/.*/p3", distinct: false })).toBe("/p1/p2");
  });

  it("adds one disabled stateful_session filter built from the first route that uses it", () => {
    const hcm = HttpConnectionManager.fromPartial({});
    sessionPersistenceFilter.patchHcm?.(
      hcm,
      listener([route(undefined, "0"), route({ header: { name: "x-session" } }, "1"), route({ cookie: { name: "c" } }, "2")]),
      ctx,
    );
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    expect((toProtoJson(HttpConnectionManager, hcm) as any).httpFilters).toEqual([
      {
        name: "envoy.filters.http.stateful_session",
        disabled: true,
        typedConfig: {
          "@type": "type.googleapis.com/envoy.extensions.filters.http.stateful_session.v3.StatefulSession",
          sessionState: {
            name: "envoy.http.stateful_session.header",
            typedConfig: { "@type": "type.googleapis.com/envoy.extensions.http.stateful_session.header.v3.HeaderBasedSessionState", name: "x-session" },
          },
        },
      },
    ]);
  });

  it("gives each route its cookie with the route's path and TTL", () => {
    const r = Route.fromPartial({ name: "r" });
    sessionPersistenceFilter.patchRoute?.(r, route({ cookie: { name: "sticky", ttl: "1h" } }), listener([]), ctx);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const cfg = (toProtoJson(Route, r) as any).typedPerFilterConfig["envoy.filters.http.stateful_session"];
    expect(cfg.statefulSession.sessionState.typedConfig.cookie).toEqual({ name: "sticky", path: "/app", ttl: "3600s" });
  });
});
