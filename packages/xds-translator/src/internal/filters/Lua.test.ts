import { describe, expect, it } from "vitest";
import { toProtoJson } from "@egts/envoy-api";
import { Route } from "@egts/envoy-api/generated/envoy/config/route/v3/route_components";
import { HttpConnectionManager } from "@egts/envoy-api/generated/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager";
import type { HTTPListener, HTTPRoute, Lua } from "@egts/ir";
import { newContext } from "../Context.js";
import { luaFilter } from "./Lua.js";

const route = (luas: Lua[], name = "r"): HTTPRoute => ({ name, hostname: "*", isHTTP2: false, envoyExtensions: { luas } });
const listener = (routes: HTTPRoute[]): HTTPListener => ({
  name: "l",
  address: "::",
  port: 80,
  path: { mergeSlashes: false, escapedSlashesAction: "KeepUnchanged" },
  routes,
});
const ctx = newContext({}, {});

describe("lua", () => {
  const a: Lua = { name: "eep/ns/p/lua/0", code: "function envoy_on_request(h) end", filterContext: { mode: "strict" } };
  const b: Lua = { name: "eep/ns/p/lua/1", code: "function envoy_on_response(h) end" };

  it("adds a disabled lua filter per script, once across routes", () => {
    const hcm = HttpConnectionManager.fromPartial({});
    luaFilter.patchHcm?.(hcm, listener([route([a, b], "1"), route([a], "2")]), ctx);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const filters = (toProtoJson(HttpConnectionManager, hcm) as any).httpFilters;
    expect(filters.map((f: { name: string }) => f.name)).toEqual(["envoy.filters.http.lua/eep/ns/p/lua/0", "envoy.filters.http.lua/eep/ns/p/lua/1"]);
    expect(filters[0]).toMatchObject({ disabled: true, typedConfig: { defaultSourceCode: { inlineString: a.code } } });
  });

  it("enables scripts per route, passing the filter context when there is one", () => {
    const r = Route.fromPartial({ name: "r" });
    luaFilter.patchRoute?.(r, route([a, b]), listener([]), ctx);
    expect((toProtoJson(Route, r) as { typedPerFilterConfig: unknown }).typedPerFilterConfig).toEqual({
      "envoy.filters.http.lua/eep/ns/p/lua/0": {
        "@type": "type.googleapis.com/envoy.extensions.filters.http.lua.v3.LuaPerRoute",
        filterContext: { mode: "strict" },
      },
      "envoy.filters.http.lua/eep/ns/p/lua/1": { "@type": "type.googleapis.com/envoy.config.route.v3.FilterConfig", config: {} },
    });
  });

  it("reports a script without code", () => {
    expect(() => luaFilter.patchHcm?.(HttpConnectionManager.fromPartial({}), listener([route([{ name: "x" }])]), ctx)).toThrow("lua x: no source code");
  });
});
