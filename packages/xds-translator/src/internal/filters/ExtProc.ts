import { FilterConfig } from "@egts/envoy-api/generated/envoy/config/route/v3/route_components";
import { ExternalProcessor } from "@egts/envoy-api/generated/envoy/extensions/filters/http/ext_proc/v3/ext_proc";
import {
  ProcessingMode_BodySendMode,
  ProcessingMode_HeaderSendMode,
} from "@egts/envoy-api/generated/envoy/extensions/filters/http/ext_proc/v3/processing_mode";
import type { ExtProc, ExtProcBodyProcessingMode, HTTPRoute } from "@egts/ir";
import { anyOfUnchecked, duration, seconds } from "../Proto.js";
import { addExtServiceCluster, enableFilterOnRoute, hcmHasFilter, httpFilter, perRouteFilterName } from "./common.js";
import { buildNonRouteRetryPolicy } from "./ExtAuth.js";
import type { HttpFilterModule } from "./HttpFilter.js";

const filterName = (e: ExtProc) => perRouteFilterName("envoy.filters.http.ext_proc", e.name);
const extProcsOf = (r: HTTPRoute): readonly ExtProc[] => r.envoyExtensions?.extProcs ?? [];

const BODY_MODES: Readonly<Record<ExtProcBodyProcessingMode, ProcessingMode_BodySendMode>> = {
  Buffered: ProcessingMode_BodySendMode.BUFFERED,
  BufferedPartial: ProcessingMode_BodySendMode.BUFFERED_PARTIAL,
  Streamed: ProcessingMode_BodySendMode.STREAMED,
  FullDuplexStreamed: ProcessingMode_BodySendMode.FULL_DUPLEX_STREAMED,
};

function processingMode(e: ExtProc) {
  const H = ProcessingMode_HeaderSendMode;
  const m = {
    requestHeaderMode: H.SKIP,
    responseHeaderMode: H.SKIP,
    requestBodyMode: ProcessingMode_BodySendMode.NONE,
    responseBodyMode: ProcessingMode_BodySendMode.NONE,
    requestTrailerMode: H.SKIP,
    responseTrailerMode: H.SKIP,
  };
  if (e.requestBodyProcessingMode !== undefined) {
    m.requestBodyMode = BODY_MODES[e.requestBodyProcessingMode] ?? ProcessingMode_BodySendMode.NONE;
    if (m.requestBodyMode === ProcessingMode_BodySendMode.FULL_DUPLEX_STREAMED) m.requestTrailerMode = H.SEND;
  }
  if (e.requestHeaderProcessing === true) m.requestHeaderMode = H.SEND;
  if (e.responseBodyProcessingMode !== undefined) {
    m.responseBodyMode = BODY_MODES[e.responseBodyProcessingMode] ?? ProcessingMode_BodySendMode.NONE;
    if (m.responseBodyMode === ProcessingMode_BodySendMode.FULL_DUPLEX_STREAMED) m.responseTrailerMode = H.SEND;
  }
  if (e.responseHeaderProcessing === true) m.responseHeaderMode = H.SEND;
  return m;
}

function extProcConfig(e: ExtProc) {
  const retry = e.traffic?.retry !== undefined ? buildNonRouteRetryPolicy(e.traffic.retry) : undefined;
  return anyOfUnchecked(ExternalProcessor, {
    grpcService: {
      targetSpecifier: { $case: "envoyGrpc", value: { clusterName: e.destination.name, authority: e.authority } },
      timeout: seconds(10),
      ...(retry !== undefined ? { retryPolicy: retry } : {}),
    },
    processingMode: processingMode(e),
    ...(e.shadowMode !== undefined ? { observabilityMode: e.shadowMode } : {}),
    ...(e.failOpen !== undefined ? { failureModeAllow: e.failOpen } : {}),
    ...(e.messageTimeout !== undefined ? { messageTimeout: duration(e.messageTimeout) } : {}),
    ...(e.requestAttributes !== undefined ? { requestAttributes: [...e.requestAttributes] } : {}),
    ...(e.responseAttributes !== undefined ? { responseAttributes: [...e.responseAttributes] } : {}),
    ...(e.forwardingMetadataNamespaces !== undefined || e.receivingMetadataNamespaces !== undefined
      ? {
          metadataOptions: {
            ...(e.forwardingMetadataNamespaces !== undefined ? { forwardingNamespaces: { untyped: [...e.forwardingMetadataNamespaces] } } : {}),
            ...(e.receivingMetadataNamespaces !== undefined ? { receivingNamespaces: { untyped: [...e.receivingMetadataNamespaces] } } : {}),
          },
        }
      : {}),
    allowModeOverride: e.allowModeOverride === true,
    ...(e.statusOnError !== undefined ? { statusOnError: { code: e.statusOnError } } : {}),
  });
}

/** External processing: one disabled ext_proc filter per extension, enabled per route. */
export const extProcFilter: HttpFilterModule = {
  name: "ext_proc",
  patchHcm(hcm, l) {
    for (const r of l.routes ?? []) {
      for (const e of extProcsOf(r)) {
        if (hcmHasFilter(hcm, filterName(e))) continue;
        hcm.httpFilters.push(httpFilter(filterName(e), extProcConfig(e), true));
      }
    }
  },
  patchRoute(route, r) {
    for (const e of extProcsOf(r)) enableFilterOnRoute(route, filterName(e), anyOfUnchecked(FilterConfig, { config: { typeUrl: "", value: Buffer.alloc(0) } }));
  },
  patchesResourcesFor: (r) => extProcsOf(r).length > 0,
  patchResources(routes, ctx) {
    for (const r of routes) for (const e of extProcsOf(r)) addExtServiceCluster(ctx, e.destination, e.traffic);
  },
};
