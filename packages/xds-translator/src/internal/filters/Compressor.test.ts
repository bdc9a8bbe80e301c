import { describe, expect, it } from "vitest";
import { toProtoJson } from "@egts/envoy-api";
import { Route } from "@egts/envoy-api/generated/envoy/config/route/v3/route_components";
import { HttpConnectionManager } from "@egts/envoy-api/generated/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager";
import type { Compression, HTTPListener, HTTPRoute } from "@egts/ir";
import { newContext } from "../Context.js";
import { compressorFilter } from "./Compressor.js";

const route = (compression: Compression[], name = "r"): HTTPRoute => ({ name, hostname: "*", isHTTP2: false, traffic: { compression } });
const listener = (routes: HTTPRoute[]): HTTPListener => ({
  name: "l",
  address: "::",
  port: 80,
  path: { mergeSlashes: false, escapedSlashesAction: "KeepUnchanged" },
  routes,
});
const ctx = newContext({}, {});

describe("compressor", () => {
  it("adds one disabled filter per algorithm across routes", () => {
    const hcm = HttpConnectionManager.fromPartial({});
    compressorFilter.patchHcm?.(
      hcm,
      listener([route([{ type: "Gzip", minContentLength: 100 }], "1"), route([{ type: "Brotli", chooseFirst: true }, { type: "Gzip" }], "2")]),
      ctx,
    );
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const filters = (toProtoJson(HttpConnectionManager, hcm) as any).httpFilters;
    expect(filters).toEqual([
      {
        name: "envoy.filters.http.compressor.gzip",
        disabled: true,
        typedConfig: {
          "@type": "type.googleapis.com/envoy.extensions.filters.http.compressor.v3.Compressor",
          compressorLibrary: {
            name: "envoy.compression.gzip.compressor",
            typedConfig: { "@type": "type.googleapis.com/envoy.extensions.compression.gzip.compressor.v3.Gzip" },
          },
          responseDirectionConfig: { commonConfig: { minContentLength: 100 } },
        },
      },
      {
        name: "envoy.filters.http.compressor.brotli",
        disabled: true,
        typedConfig: {
          "@type": "type.googleapis.com/envoy.extensions.filters.http.compressor.v3.Compressor",
          compressorLibrary: {
            name: "envoy.compression.brotli.compressor",
            typedConfig: { "@type": "type.googleapis.com/envoy.extensions.compression.brotli.compressor.v3.Brotli" },
          },
          chooseFirst: true,
        },
      },
    ]);
  });

  it("enables the route's algorithms and strips accept-encoding once", () => {
    const r = Route.fromPartial({ name: "r", requestHeadersToRemove: ["x-a"] });
    compressorFilter.patchRoute?.(r, route([{ type: "Zstd" }, { type: "Gzip" }]), listener([]), ctx);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const json = toProtoJson(Route, r) as any;
    expect(Object.keys(json.typedPerFilterConfig)).toEqual(["envoy.filters.http.compressor.zstd", "envoy.filters.http.compressor.gzip"]);
    expect(json.typedPerFilterConfig["envoy.filters.http.compressor.zstd"]).toEqual({
      "@type": "type.googleapis.com/envoy.extensions.filters.http.compressor.v3.CompressorPerRoute",
      overrides: { responseDirectionConfig: {} },
    });
    expect(json.requestHeadersToRemove).toEqual(["x-a", "accept-encoding"]);
  });
});
