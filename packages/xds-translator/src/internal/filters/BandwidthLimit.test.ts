import { describe, expect, it } from "vitest";
import { toProtoJson } from "@egts/envoy-api";
import { Route } from "@egts/envoy-api/generated/envoy/config/route/v3/route_components";
import { HttpConnectionManager } from "@egts/envoy-api/generated/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager";
import type { BandwidthLimit, HTTPListener, HTTPRoute } from "@egts/ir";
import { newContext } from "../Context.js";
import { bandwidthLimitFilter } from "./BandwidthLimit.js";

const route = (bandwidthLimit: BandwidthLimit | undefined, name = "r"): HTTPRoute => ({
  name,
  hostname: "*",
  isHTTP2: false,
  ...(bandwidthLimit ? { traffic: { bandwidthLimit } } : {}),
});
const listener = (routes: HTTPRoute[]): HTTPListener => ({
  name: "l",
  address: "::",
  port: 80,
  path: { mergeSlashes: false, escapedSlashesAction: "KeepUnchanged" },
  routes,
});
const ctx = newContext({}, {});

describe("bandwidth limit", () => {
  it("adds only the direction instances the listener's routes need, disabled", () => {
    const hcm = HttpConnectionManager.fromPartial({});
    bandwidthLimitFilter.patchHcm?.(hcm, listener([route(undefined, "0"), route({ response: { limitKibps: 10 } }, "1")]), ctx);
    bandwidthLimitFilter.patchHcm?.(hcm, listener([route({ response: { limitKibps: 20 } })]), ctx);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    expect((toProtoJson(HttpConnectionManager, hcm) as any).httpFilters).toEqual([
      {
        name: "envoy.filters.http.bandwidth_limit/response",
        disabled: true,
        typedConfig: { "@type": "type.googleapis.com/envoy.extensions.filters.http.bandwidth_limit.v3.BandwidthLimit", statPrefix: "http_bandwidth_limiter" },
      },
    ]);
  });

  it("sets each direction's limit on the route, with response trailers when asked", () => {
    const r = Route.fromPartial({ name: "r" });
    bandwidthLimitFilter.patchRoute?.(
      r,
      route({ request: { limitKibps: 1024 }, response: { limitKibps: 64, responseTrailers: { prefix: "bw" } } }),
      listener([]),
      ctx,
    );
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const cfg = (toProtoJson(Route, r) as any).typedPerFilterConfig;
    expect(cfg["envoy.filters.http.bandwidth_limit/request"]).toEqual({
      "@type": "type.googleapis.com/envoy.extensions.filters.http.bandwidth_limit.v3.BandwidthLimit",
      statPrefix: "http_bandwidth_limiter",
      enableMode: "REQUEST",
      limitKbps: "1024",
    });
    expect(cfg["envoy.filters.http.bandwidth_limit/response"]).toMatchObject({
      enableMode: "RESPONSE",
      limitKbps: "64",
      enableResponseTrailers: true,
      responseTrailerPrefix: "bw",
    });
  });
});
