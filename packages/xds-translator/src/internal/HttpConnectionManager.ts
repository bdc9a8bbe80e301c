import { HttpProtocolOptions_HeadersWithUnderscoresAction } from "@egts/envoy-api/generated/envoy/config/core/v3/protocol";
import type { TypedExtensionConfig } from "@egts/envoy-api/generated/envoy/config/core/v3/extension";
import { FilterConfig as GrpcStatsFilterConfig } from "@egts/envoy-api/generated/envoy/extensions/filters/http/grpc_stats/v3/config";
import { GrpcWeb } from "@egts/envoy-api/generated/envoy/extensions/filters/http/grpc_web/v3/grpc_web";
import { HealthCheck as HealthCheckFilter } from "@egts/envoy-api/generated/envoy/extensions/filters/http/health_check/v3/health_check";
import { Router } from "@egts/envoy-api/generated/envoy/extensions/filters/http/router/v3/router";
import {
  HttpConnectionManager,
  HttpConnectionManager_CodecType,
  HttpConnectionManager_ForwardClientCertDetails,
  HttpConnectionManager_PathWithEscapedSlashesAction,
  HttpConnectionManager_ServerHeaderTransformation,
  type HttpFilter,
} from "@egts/envoy-api/generated/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager";
import { HeaderMutation as EarlyHeaderMutation } from "@egts/envoy-api/generated/envoy/extensions/http/early_header_mutation/header_mutation/v3/header_mutation";
import { PreserveCaseFormatterConfig } from "@egts/envoy-api/generated/envoy/extensions/http/header_formatters/preserve_case/v3/preserve_case";
import { CustomHeaderConfig } from "@egts/envoy-api/generated/envoy/extensions/http/original_ip_detection/custom_header/v3/custom_header";
import { XffConfig } from "@egts/envoy-api/generated/envoy/extensions/http/original_ip_detection/xff/v3/xff";
import { UuidRequestIdConfig } from "@egts/envoy-api/generated/envoy/extensions/request_id/uuid/v3/uuid";
import { StatusCode } from "@egts/envoy-api/generated/envoy/type/v3/http_status";
import type { AccessLog as IRAccessLog, HeaderSettings, HTTPListener } from "@egts/ir";
import { accessLogsOf, buildAccessLogs } from "./AccessLog.js";
import type { TranslationContext } from "./Context.js";
import { httpFilterModules, sortHttpFilters } from "./filters/index.js";
import { buildHeaderMutationRules } from "./HeaderMutationRules.js";
import { buildStringMatcher } from "./Matchers.js";
import { adsConfigSource, anyOf, duration, msg } from "./Proto.js";
import { recordedPatch, recordPatch } from "./HcmPatchMemo.js";
import { buildHcmTracing } from "./Tracing.js";

type HcmP = Parameters<typeof HttpConnectionManager.fromPartial>[0];

/** The router filter, the last HTTP filter of every HCM. */
export function routerFilter(enableEnvoyHeaders: boolean, upstreamLogs: ReturnType<typeof buildAccessLogs>): HttpFilter {
  const config = anyOf(Router, {
    suppressEnvoyHeaders: !enableEnvoyHeaders,
    upstreamLog: upstreamLogs,
    ...(upstreamLogs.length > 0 ? { upstreamLogOptions: { flushUpstreamLogOnUpstreamStream: true } } : {}),
  });
  return httpFilter("envoy.filters.http.router", config);
}

/** An HCM HTTP filter entry with a typed config. */
export const httpFilter = (name: string, typedConfig: ReturnType<typeof anyOf>): HttpFilter => ({
  name,
  configType: { $case: "typedConfig", value: typedConfig },
  isOptional: false,
  disabled: false,
});

/** The health check filter answering `path` (the ready listener's). */
export function healthCheckFilter(path: string): HttpFilter {
  return httpFilter(
    "envoy.filters.http.health_check",
    anyOf(HealthCheckFilter, {
      passThroughMode: false,
      headers: [{ name: ":path", headerMatchSpecifier: { $case: "stringMatch", value: { matchPattern: { $case: "exact", value: path } } } }],
    }),
  );
}

function http1Options(l: HTTPListener): HcmP["httpProtocolOptions"] {
  const o = l.http1;
  if (o === undefined) return undefined;
  if (o.enableTrailers !== true && o.preserveHeaderCase !== true && o.http10 === undefined && (o.ignoredUpgradeTypes?.length ?? 0) === 0) return undefined;
  return {
    enableTrailers: o.enableTrailers === true,
    ...(o.preserveHeaderCase === true
      ? {
          headerKeyFormat: {
            headerFormat: { $case: "statefulFormatter", value: { name: "preserve_case", typedConfig: anyOf(PreserveCaseFormatterConfig, {}) } },
          },
        }
      : {}),
    ...(o.http10 !== undefined ? { acceptHttp10: true, defaultHostForHttp10: o.http10.defaultHost ?? "" } : {}),
    ...((o.ignoredUpgradeTypes?.length ?? 0) > 0 ? { ignoreHttp11Upgrade: (o.ignoredUpgradeTypes ?? []).map(buildStringMatcher) } : {}),
  };
}

function http2Options(l: HTTPListener): HcmP["http2ProtocolOptions"] {
  const o = l.http2 ?? {};
  const k = o.connectionKeepalive;
  return {
    maxConcurrentStreams: o.maxConcurrentStreams ?? 100,
    // Upstream's IR spells these two JSON fields crosswise (initialConnectionWindowSize holds the stream window).
    initialStreamWindowSize: o.initialConnectionWindowSize ?? 65536,
    initialConnectionWindowSize: o.initialStreamWindowSize ?? 1048576,
    ...(o.resetStreamOnError !== undefined ? { overrideStreamErrorOnInvalidHttpMessage: o.resetStreamOnError } : {}),
    ...(k !== undefined
      ? {
          connectionKeepalive: {
            ...(k.interval !== undefined ? { interval: duration(k.interval) } : {}),
            ...(k.timeout !== undefined ? { timeout: duration(k.timeout) } : {}),
            ...(k.intervalJitter !== undefined ? { intervalJitter: { value: k.intervalJitter } } : {}),
            ...(k.idleInterval !== undefined ? { connectionIdleInterval: duration(k.idleInterval) } : {}),
          },
        }
      : {}),
  };
}

/** Parses an IPv4/IPv6 CIDR into its (normalized) address and prefix length, as Go's net.ParseCIDR. */
function parseCidr(cidr: string): { address: string; prefixLen: number } {
  const [addr = "", len = "0"] = cidr.split("/");
  return { address: addr, prefixLen: Number(len) };
}

function originalIpDetection(l: HTTPListener): TypedExtensionConfig[] | undefined {
  const d = l.clientIPDetection;
  if (d === undefined) return undefined;
  if (d.customHeader !== undefined) {
    return [
      {
        name: "envoy.extensions.http.original_ip_detection.custom_header",
        typedConfig: anyOf(CustomHeaderConfig, {
          headerName: d.customHeader.name,
          ...(d.customHeader.failClosed === true ? { rejectWithStatus: { code: StatusCode.Forbidden } } : {}),
          allowExtensionToSetAddressAsTrusted: true,
        }),
      },
    ];
  }
  if (d.xForwardedFor !== undefined) {
    const xff = d.xForwardedFor;
    const skipXffAppend = xff.disableXForwardedForAppend === true;
    let typedConfig;
    if (xff.trustedCIDRs !== undefined) {
      typedConfig = anyOf(XffConfig, {
        xffTrustedCidrs: {
          cidrs: xff.trustedCIDRs.map((c) => {
            const p = parseCidr(c);
            return { addressPrefix: p.address, prefixLen: p.prefixLen };
          }),
        },
        skipXffAppend,
      });
    } else if (xff.numTrustedHops !== undefined) {
      typedConfig = anyOf(XffConfig, { xffNumTrustedHops: xff.numTrustedHops > 0 ? xff.numTrustedHops - 1 : 0, skipXffAppend });
    }
    return [{ name: "envoy.extensions.http.original_ip_detection.xff", ...(typedConfig !== undefined ? { typedConfig } : {}) }];
  }
  return undefined;
}

function earlyHeaderMutation(h: HeaderSettings | undefined): TypedExtensionConfig[] {
  if (h === undefined) return [];
  const add = h.earlyAddRequestHeaders ?? [];
  const remove = h.earlyRemoveRequestHeaders ?? [];
  const onMatch = h.earlyRemoveRequestHeadersOnMatch ?? [];
  if (add.length === 0 && remove.length === 0 && onMatch.length === 0) return [];
  return [
    {
      name: "envoy.http.early_header_mutation.header_mutation",
      typedConfig: anyOf(EarlyHeaderMutation, { mutations: buildHeaderMutationRules(add, remove, onMatch) }),
    },
  ];
}

const ESCAPED_SLASHES: Readonly<Record<string, HttpConnectionManager_PathWithEscapedSlashesAction>> = {
  KeepUnchanged: HttpConnectionManager_PathWithEscapedSlashesAction.KEEP_UNCHANGED,
  RejectRequest: HttpConnectionManager_PathWithEscapedSlashesAction.REJECT_REQUEST,
  UnescapeAndRedirect: HttpConnectionManager_PathWithEscapedSlashesAction.UNESCAPE_AND_REDIRECT,
  UnescapeAndForward: HttpConnectionManager_PathWithEscapedSlashesAction.UNESCAPE_AND_FORWARD,
};

const UNDERSCORES: Readonly<Record<string, HttpProtocolOptions_HeadersWithUnderscoresAction>> = {
  Allow: HttpProtocolOptions_HeadersWithUnderscoresAction.ALLOW,
  RejectRequest: HttpProtocolOptions_HeadersWithUnderscoresAction.REJECT_REQUEST,
  DropHeader: HttpProtocolOptions_HeadersWithUnderscoresAction.DROP_HEADER,
};

const XFCC: Readonly<Record<string, HttpConnectionManager_ForwardClientCertDetails>> = {
  Sanitize: HttpConnectionManager_ForwardClientCertDetails.SANITIZE,
  ForwardOnly: HttpConnectionManager_ForwardClientCertDetails.FORWARD_ONLY,
  AppendForward: HttpConnectionManager_ForwardClientCertDetails.APPEND_FORWARD,
  SanitizeSet: HttpConnectionManager_ForwardClientCertDetails.SANITIZE_SET,
  AlwaysForwardOnly: HttpConnectionManager_ForwardClientCertDetails.ALWAYS_FORWARD_ONLY,
};

function requestIdExtension(l: HTTPListener): HcmP["requestIdExtension"] {
  const a = l.requestID;
  if (a === undefined || a === "PackAndSample") return undefined;
  return {
    typedConfig: anyOf(UuidRequestIdConfig, { packTraceReason: a === "Pack", useRequestIdForTraceSampling: a === "Sample" }),
  };
}

/** The HCM stat prefix: `http-<port>` / `https-<port>` (external port under name scheme v2). */
export function hcmStatPrefix(l: HTTPListener, v2: boolean): string {
  const prefix = l.tls !== undefined ? "https" : "http";
  return `${prefix}-${v2 ? (l.externalPort ?? 0) : l.port}`;
}

/** The route configuration name of an HTTP listener. */
export function routeConfigName(l: HTTPListener, v2: boolean): string {
  if (l.tls !== undefined) return l.name;
  return v2 ? `http-${l.externalPort ?? 0}` : l.name;
}

/**
 * Adds every filter module's HTTP filters, the rate limit filter and the router to an HCM, then sorts the
 * filters (upstream's patchHCMWithFilters). Safe to call again for another IR listener sharing the HCM.
 */
export function patchHcmWithFilters(ctx: TranslationContext, hcm: HttpConnectionManager, l: HTTPListener, accessLog: IRAccessLog | undefined): void {
  const memo = ctx.caches.hcmPatches;
  if (memo === undefined) {
    patchHcmWithFiltersOnce(ctx, hcm, l, accessLog);
    return;
  }
  // Everything the modules read besides the listener and the HCM's filters (the options are the translator's).
  const shared = [accessLog, ctx.ir.filterOrder];
  const key = `${l.name}\n${hcm.codecType}`;
  const before = hcm.httpFilters;
  const recorded = memo.get(key);
  const known = recordedPatch(recorded, before, shared, l);
  if (recorded !== undefined && known !== undefined) {
    hcm.httpFilters = [...known];
    // The modules would read the same properties of this listener and its routes: compare with these next time.
    if (recorded.listener !== l) memo.set(key, { ...recorded, listener: l, routes: l.routes ?? [] });
    return;
  }
  memo.set(
    key,
    recordPatch(l, before, shared, (tracked) => {
      patchHcmWithFiltersOnce(ctx, hcm, tracked, accessLog);
      return hcm.httpFilters;
    }),
  );
}

function patchHcmWithFiltersOnce(ctx: TranslationContext, hcm: HttpConnectionManager, l: HTTPListener, accessLog: IRAccessLog | undefined): void {
  for (const module of httpFilterModules) module.patchHcm?.(hcm, l, ctx);
  if (!hcm.httpFilters.some((f) => f.name === "envoy.filters.http.router")) {
    hcm.httpFilters.push(routerFilter(l.headers?.enableEnvoyHeaders === true, buildAccessLogs(accessLog, "Upstream")));
  }
  hcm.httpFilters = sortHttpFilters(hcm.httpFilters, ctx.ir.filterOrder);
}

/** The HTTP connection manager of an IR HTTP listener (TCP or, with `http3`, QUIC). */
export function buildHcm(ctx: TranslationContext, l: HTTPListener, http3: boolean): HttpConnectionManager {
  const v2 = ctx.nameSchemeV2;
  const detection = originalIpDetection(l);
  const headers = l.headers;
  const forward = XFCC[headers?.xForwardedClientCert?.mode ?? ""] ?? HttpConnectionManager_ForwardClientCertDetails.SANITIZE;
  const tracing = buildHcmTracing(ctx.ir.tracing);
  const h: HcmP = {
    accessLog: accessLogsOf(ctx, "Route"),
    codecType: HttpConnectionManager_CodecType.AUTO,
    statPrefix: hcmStatPrefix(l, v2),
    routeSpecifier: { $case: "rds", value: { configSource: adsConfigSource(), routeConfigName: routeConfigName(l, v2) } },
    serverHeaderTransformation: HttpConnectionManager_ServerHeaderTransformation.PASS_THROUGH,
    http2ProtocolOptions: http2Options(l),
    useRemoteAddress: detection === undefined,
    originalIpDetectionExtensions: detection ?? [],
    normalizePath: true,
    mergeSlashes: l.path.mergeSlashes,
    pathWithEscapedSlashesAction:
      ESCAPED_SLASHES[l.path.escapedSlashesAction] ?? HttpConnectionManager_PathWithEscapedSlashesAction.IMPLEMENTATION_SPECIFIC_DEFAULT,
    commonHttpProtocolOptions: {
      headersWithUnderscoresAction: UNDERSCORES[headers?.withUnderscoresAction ?? ""] ?? HttpProtocolOptions_HeadersWithUnderscoresAction.REJECT_REQUEST,
    },
    forwardClientCertDetails: forward,
    earlyHeaderMutationExtensions: earlyHeaderMutation(headers),
  };
  const h1 = http1Options(l);
  if (h1 !== undefined) h.httpProtocolOptions = h1;
  if (tracing !== undefined) h.tracing = tracing;
  const rid = requestIdExtension(l);
  if (rid !== undefined) h.requestIdExtension = rid;
  if (headers?.maxRequestHeadersKB !== undefined) h.maxRequestHeadersKb = headers.maxRequestHeadersKB;
  if (l.host?.stripTrailingHostDot !== undefined) h.stripTrailingHostDot = l.host.stripTrailingHostDot;
  if (l.matchBackendScheme === true) h.schemeHeaderTransformation = { matchUpstream: true };
  switch (headers?.requestID) {
    case "PreserveOrGenerate":
      h.generateRequestId = true;
      h.preserveExternalRequestId = true;
      break;
    case "Preserve":
      h.generateRequestId = false;
      h.preserveExternalRequestId = true;
      break;
    case "Disable":
      h.generateRequestId = false;
      h.preserveExternalRequestId = false;
      break;
    case "Generate":
      h.generateRequestId = true;
      h.preserveExternalRequestId = false;
      break;
    default:
  }
  if (
    (forward === HttpConnectionManager_ForwardClientCertDetails.APPEND_FORWARD || forward === HttpConnectionManager_ForwardClientCertDetails.SANITIZE_SET) &&
    (headers?.xForwardedClientCert?.certDetailsToAdd?.length ?? 0) > 0
  ) {
    const details: NonNullable<HcmP["setCurrentClientCertDetails"]> = {};
    for (const d of headers?.xForwardedClientCert?.certDetailsToAdd ?? []) {
      if (d === "Cert") details.cert = true;
      else if (d === "Chain") details.chain = true;
      else if (d === "DNS") details.dns = true;
      else if (d === "Subject") details.subject = true;
      else if (d === "URI") details.uri = true;
    }
    h.setCurrentClientCertDetails = details;
  }
  const t = l.timeout?.http;
  if (t !== undefined) {
    if (t.requestReceivedTimeout !== undefined) h.requestTimeout = duration(t.requestReceivedTimeout);
    if (t.requestHeadersReceivedTimeout !== undefined) h.requestHeadersTimeout = duration(t.requestHeadersReceivedTimeout);
    if (t.idleTimeout !== undefined) h.commonHttpProtocolOptions = { ...h.commonHttpProtocolOptions, idleTimeout: duration(t.idleTimeout) };
    if (t.streamIdleTimeout !== undefined) h.streamIdleTimeout = duration(t.streamIdleTimeout);
  }
  const filters: HttpFilter[] = [];
  if (l.grpc?.enableGRPCWeb === true) filters.push(httpFilter("envoy.filters.http.grpc_web", anyOf(GrpcWeb, {})));
  if (l.grpc?.enableGRPCStats === true) {
    filters.push(
      httpFilter(
        "envoy.filters.http.grpc_stats",
        anyOf(GrpcStatsFilterConfig, { emitFilterState: true, perMethodStatSpecifier: { $case: "statsForAllMethods", value: true } }),
      ),
    );
  }
  h.httpFilters = filters;
  if (http3) {
    h.codecType = HttpConnectionManager_CodecType.HTTP3;
    h.http3ProtocolOptions = {};
  }
  const limit = l.connection?.limit;
  if (limit !== undefined) {
    const common = { ...h.commonHttpProtocolOptions };
    if (limit.maxConnectionDuration !== undefined) {
      common.maxConnectionDuration = duration(limit.maxConnectionDuration);
      h.http1SafeMaxConnectionDuration = l.http1?.disableSafeMaxConnectionDuration !== true;
    }
    if (limit.maxRequestsPerConnection !== undefined) common.maxRequestsPerConnection = limit.maxRequestsPerConnection;
    if (limit.maxStreamDuration !== undefined) common.maxStreamDuration = duration(limit.maxStreamDuration);
    h.commonHttpProtocolOptions = common;
  }
  const hcm = msg(HttpConnectionManager, h);
  patchHcmWithFilters(ctx, hcm, l, ctx.ir.accessLog);
  return hcm;
}
