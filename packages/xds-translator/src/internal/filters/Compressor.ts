import { Brotli } from "@egts/envoy-api/generated/envoy/extensions/compression/brotli/compressor/v3/brotli";
import { Gzip } from "@egts/envoy-api/generated/envoy/extensions/compression/gzip/compressor/v3/gzip";
import { Zstd } from "@egts/envoy-api/generated/envoy/extensions/compression/zstd/compressor/v3/zstd";
import { Compressor, CompressorPerRoute } from "@egts/envoy-api/generated/envoy/extensions/filters/http/compressor/v3/compressor";
import type { Any } from "@egts/envoy-api";
import type { Compression, egv1a1 } from "@egts/ir";
import { anyOf } from "../Proto.js";
import { enableFilterOnRoute, hcmHasFilter, httpFilter } from "./common.js";
import type { HttpFilterModule } from "./HttpFilter.js";

/** One compressor filter per algorithm: `envoy.filters.http.compressor.<gzip|brotli|zstd>`. */
export const compressorFilterName = (type: egv1a1.CompressorType): string => `envoy.filters.http.compressor.${type.toLowerCase()}`;

const LIBRARIES: Readonly<Record<string, () => { name: string; config: Any }>> = {
  Brotli: () => ({ name: "envoy.compression.brotli.compressor", config: anyOf(Brotli, {}) }),
  Gzip: () => ({ name: "envoy.compression.gzip.compressor", config: anyOf(Gzip, {}) }),
  Zstd: () => ({ name: "envoy.compression.zstd.compressor", config: anyOf(Zstd, {}) }),
};

/** The compressor filter config of one algorithm, disabled until a route enables it. */
export function buildCompressorConfig(c: Compression): Compressor {
  const library = LIBRARIES[c.type];
  if (library === undefined) throw new Error(`unsupported compressor type ${JSON.stringify(c.type)}`);
  const { name, config } = library();
  return Compressor.fromPartial({
    compressorLibrary: { name, typedConfig: config },
    chooseFirst: c.chooseFirst === true,
    ...(c.minContentLength !== undefined ? { responseDirectionConfig: { commonConfig: { minContentLength: c.minContentLength } } } : {}),
  });
}

/** Response compression (BackendTrafficPolicy): a disabled filter per algorithm, enabled on the routes using it. */
export const compressorFilter: HttpFilterModule = {
  name: "compressor",
  patchHcm(hcm, l) {
    for (const r of l.routes ?? []) {
      for (const c of r.traffic?.compression ?? []) {
        const name = compressorFilterName(c.type);
        if (!hcmHasFilter(hcm, name)) hcm.httpFilters.push(httpFilter(name, anyOf(Compressor, buildCompressorConfig(c)), true));
      }
    }
  },
  patchRoute(route, r) {
    const list = r.traffic?.compression ?? [];
    if (list.length === 0) return;
    for (const c of list) {
      enableFilterOnRoute(
        route,
        compressorFilterName(c.type),
        anyOf(CompressorPerRoute, { override: { $case: "overrides", value: { responseDirectionConfig: {} } } }),
      );
    }
    // The upstream must not compress as well.
    if (!route.requestHeadersToRemove.includes("accept-encoding")) route.requestHeadersToRemove.push("accept-encoding");
  },
};
