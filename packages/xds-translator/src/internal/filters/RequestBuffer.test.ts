import { describe, expect, it } from "vitest";
import { toProtoJson } from "@egts/envoy-api";
import { Route } from "@egts/envoy-api/generated/envoy/config/route/v3/route_components";
import { HttpConnectionManager } from "@egts/envoy-api/generated/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager";
import type { HTTPListener, HTTPRoute } from "@egts/ir";
import { newContext } from "../Context.js";
import { quantityToInteger, requestBufferFilter } from "./RequestBuffer.js";

const route = (limit: string | undefined, name = "r"): HTTPRoute => ({
  name,
  hostname: "*",
  isHTTP2: false,
  ...(limit !== undefined ? { traffic: { requestBuffer: { limit } } } : {}),
});
const listener = (routes: HTTPRoute[]): HTTPListener => ({
  name: "l",
  address: "::",
  port: 80,
  path: { mergeSlashes: false, escapedSlashesAction: "KeepUnchanged" },
  routes,
});
const ctx = newContext({}, {});

describe("request buffer", () => {
  it("reads Kubernetes quantities as whole numbers", () => {
    expect(quantityToInteger("4Mi")).toBe(4194304n);
    expect(quantityToInteger("2k")).toBe(2000n);
    expect(quantityToInteger("1.5Ki")).toBe(1536n);
    expect(quantityToInteger("1e3")).toBe(1000n);
    expect(quantityToInteger("0.5")).toBeUndefined();
    expect(quantityToInteger("12 apples")).toBeUndefined();
  });

  it("adds one disabled buffer filter from the first buffering route", () => {
    const hcm = HttpConnectionManager.fromPartial({});
    requestBufferFilter.patchHcm?.(hcm, listener([route(undefined, "0"), route("4Mi", "1"), route("8Mi", "2")]), ctx);
    requestBufferFilter.patchHcm?.(hcm, listener([route("1Ki")]), ctx);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    expect((toProtoJson(HttpConnectionManager, hcm) as any).httpFilters).toEqual([
      {
        name: "envoy.filters.http.buffer",
        disabled: true,
        typedConfig: { "@type": "type.googleapis.com/envoy.extensions.filters.http.buffer.v3.Buffer", maxRequestBytes: 4194304 },
      },
    ]);
  });

  it("sets each route's own limit and rejects limits beyond uint32", () => {
    const r = Route.fromPartial({ name: "r" });
    requestBufferFilter.patchRoute?.(r, route("8Mi"), listener([]), ctx);
    expect((toProtoJson(Route, r) as { typedPerFilterConfig: unknown }).typedPerFilterConfig).toEqual({
      "envoy.filters.http.buffer": {
        "@type": "type.googleapis.com/envoy.extensions.filters.http.buffer.v3.BufferPerRoute",
        buffer: { maxRequestBytes: 8388608 },
      },
    });
    expect(() => requestBufferFilter.patchRoute?.(Route.fromPartial({}), route("5Gi"), listener([]), ctx)).toThrow(
      "limit value 5Gi is out of range, must be between 0 and 4294967295",
    );
  });
});
