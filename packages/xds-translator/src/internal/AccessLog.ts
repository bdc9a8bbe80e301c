import { AccessLog, AccessLogFilter } from "@egts/envoy-api/generated/envoy/config/accesslog/v3/accesslog";
import type { TypedExtensionConfig } from "@egts/envoy-api/generated/envoy/config/core/v3/extension";
import { ApiVersion } from "@egts/envoy-api/generated/envoy/config/core/v3/config_source";
import { FileAccessLog } from "@egts/envoy-api/generated/envoy/extensions/access_loggers/file/v3/file";
import { ExpressionFilter } from "@egts/envoy-api/generated/envoy/extensions/access_loggers/filters/cel/v3/cel";
import { HttpGrpcAccessLogConfig, TcpGrpcAccessLogConfig } from "@egts/envoy-api/generated/envoy/extensions/access_loggers/grpc/v3/als";
import { OpenTelemetryAccessLogConfig } from "@egts/envoy-api/generated/envoy/extensions/access_loggers/open_telemetry/v3/logs_service";
import { ReqWithoutQuery } from "@egts/envoy-api/generated/envoy/extensions/formatter/req_without_query/v3/req_without_query";
import type { AccessLog as IRAccessLog, MapEntry, ProxyAccessLogType, gwapiv1 } from "@egts/ir";
import { addCluster, endpointTypeOf, trafficArgs } from "./Cluster.js";
import type { TranslationContext } from "./Context.js";
import { anyOf, msg } from "./Proto.js";

/** The fields of upstream's default JSON access log format. */
const DEFAULT_JSON_FIELDS: Readonly<Record<string, string>> = {
  start_time: "%START_TIME%",
  method: "%REQ(:METHOD)%",
  "x-envoy-origin-path": "%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%",
  protocol: "%PROTOCOL%",
  response_code: "%RESPONSE_CODE%",
  response_flags: "%RESPONSE_FLAGS%",
  response_code_details: "%RESPONSE_CODE_DETAILS%",
  connection_termination_details: "%CONNECTION_TERMINATION_DETAILS%",
  upstream_transport_failure_reason: "%UPSTREAM_TRANSPORT_FAILURE_REASON%",
  bytes_received: "%BYTES_RECEIVED%",
  bytes_sent: "%BYTES_SENT%",
  duration: "%DURATION%",
  "x-envoy-upstream-service-time": "%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)%",
  "x-forwarded-for": "%REQ(X-FORWARDED-FOR)%",
  "user-agent": "%REQ(USER-AGENT)%",
  "x-request-id": "%REQ(X-REQUEST-ID)%",
  ":authority": "%REQ(:AUTHORITY)%",
  upstream_host: "%UPSTREAM_HOST%",
  upstream_cluster: "%UPSTREAM_CLUSTER%",
  upstream_local_address: "%UPSTREAM_LOCAL_ADDRESS%",
  downstream_local_address: "%DOWNSTREAM_LOCAL_ADDRESS%",
  downstream_remote_address: "%DOWNSTREAM_REMOTE_ADDRESS%",
  requested_server_name: "%REQUESTED_SERVER_NAME%",
  route_name: "%ROUTE_NAME%",
};

const sortedEntries = (m: Readonly<Record<string, string>>): MapEntry[] =>
  Object.keys(m)
    .sort()
    .map((key) => ({ key, value: m[key] ?? "" }));

const REQ_WITHOUT_QUERY = "%REQ_WITHOUT_QUERY";

const reqWithoutQueryFormatter = (): TypedExtensionConfig => ({
  name: "envoy.formatter.req_without_query",
  typedConfig: anyOf(ReqWithoutQuery, {}),
});

const formattersFor = (texts: readonly string[]): TypedExtensionConfig[] =>
  texts.some((t) => t.includes(REQ_WITHOUT_QUERY)) ? [reqWithoutQueryFormatter()] : [];

/** Whether an access log sink of `left` type applies where logs of `right` type are wanted. */
function logTypeMatches(left: ProxyAccessLogType | undefined, right: ProxyAccessLogType): boolean {
  if (left !== undefined && left !== right) return false;
  if (left === undefined && right === "Upstream") return false;
  return true;
}

function celFilter(expression: string): AccessLogFilter {
  return msg(AccessLogFilter, {
    filterSpecifier: {
      $case: "extensionFilter",
      value: { name: "envoy.access_loggers.extension_filters.cel", configType: { $case: "typedConfig", value: anyOf(ExpressionFilter, { expression }) } },
    },
  });
}

function accessLogFilter(exprs: readonly string[] | undefined, noRouteMatchFilter: boolean): AccessLogFilter | undefined {
  const filters = (exprs ?? []).map(celFilter);
  if (noRouteMatchFilter) filters.push(msg(AccessLogFilter, { filterSpecifier: { $case: "responseFlagFilter", value: { flags: ["NR"] } } }));
  if (filters.length === 0) return undefined;
  if (filters.length === 1) return filters[0];
  return msg(AccessLogFilter, { filterSpecifier: { $case: "andFilter", value: { filters } } });
}

const stringValue = (s: string) => ({ value: { $case: "stringValue" as const, value: s } });

function keyValueList(attributes: readonly MapEntry[], withPodLabels: boolean) {
  const values = withPodLabels
    ? [
        { key: "k8s.namespace.name", value: stringValue("%ENVIRONMENT(ENVOY_POD_NAMESPACE)%") },
        { key: "k8s.pod.name", value: stringValue("%ENVIRONMENT(ENVOY_POD_NAME)%") },
      ]
    : [];
  for (const e of attributes) values.push({ key: e.key, value: stringValue(e.value) });
  return { values };
}

/** gRPC initial metadata from configured headers. */
export const grpcInitialMetadata = (headers: readonly gwapiv1.HTTPHeader[] | undefined) => (headers ?? []).map((h) => ({ key: h.name, value: h.value }));

function entry(name: string, typedConfig: ReturnType<typeof anyOf>, filter: AccessLogFilter | undefined): AccessLog {
  return msg(AccessLog, { name, configType: { $case: "typedConfig", value: typedConfig }, ...(filter !== undefined ? { filter } : {}) });
}

/**
 * The Envoy access logs of one kind (listener, route or upstream) from the IR's access log settings. Listener
 * logs without an explicit type only log requests that matched no route (response flag NR).
 */
export function buildAccessLogs(al: IRAccessLog | undefined, type: ProxyAccessLogType): AccessLog[] {
  if (al === undefined) return [];
  const out: AccessLog[] = [];
  for (const text of al.text ?? []) {
    if (!logTypeMatches(text.logType, type)) continue;
    const defaultListener = type === "Listener" && text.logType === undefined;
    if (text.format === undefined) throw new Error("text.Format is nil");
    const formatters = formattersFor([text.format]);
    const config = anyOf(FileAccessLog, {
      path: text.path,
      accessLogFormat: {
        $case: "logFormat",
        value: { format: { $case: "textFormatSource", value: { specifier: { $case: "inlineString", value: text.format } } }, formatters },
      },
    });
    out.push(entry("envoy.access_loggers.file", config, accessLogFilter(text.celMatches, defaultListener)));
  }
  for (const json of al.json ?? []) {
    if (!logTypeMatches(json.logType, type)) continue;
    const defaultListener = type === "Listener" && json.logType === undefined;
    const fields = json.json ?? sortedEntries(DEFAULT_JSON_FIELDS);
    const jsonFormat: Record<string, string> = {};
    for (const e of fields) jsonFormat[e.key] = e.value;
    const config = anyOf(FileAccessLog, {
      path: json.path,
      accessLogFormat: {
        $case: "logFormat",
        value: { format: { $case: "jsonFormat", value: jsonFormat }, formatters: formattersFor(fields.map((e) => e.value)) },
      },
    });
    out.push(entry("envoy.access_loggers.file", config, accessLogFilter(json.celMatches, defaultListener)));
  }
  for (const als of al.als ?? []) {
    if (!logTypeMatches(als.logType, type)) continue;
    const defaultListener = type === "Listener" && als.logType === undefined;
    const commonConfig = {
      logName: als.name,
      grpcService: { targetSpecifier: { $case: "envoyGrpc" as const, value: { clusterName: als.destination.name } } },
      transportApiVersion: ApiVersion.V3,
    };
    if (als.type === "HTTP") {
      const config = anyOf(HttpGrpcAccessLogConfig, {
        commonConfig,
        additionalRequestHeadersToLog: [...(als.http?.requestHeaders ?? [])],
        additionalResponseHeadersToLog: [...(als.http?.responseHeaders ?? [])],
        additionalResponseTrailersToLog: [...(als.http?.responseTrailers ?? [])],
      });
      out.push(entry("envoy.access_loggers.http_grpc", config, accessLogFilter(als.celMatches, defaultListener)));
    } else if (als.type === "TCP") {
      const config = anyOf(TcpGrpcAccessLogConfig, { commonConfig });
      out.push(entry("envoy.access_loggers.tcp_grpc", config, accessLogFilter(als.celMatches, defaultListener)));
    }
  }
  for (const otel of al.openTelemetry ?? []) {
    if (!logTypeMatches(otel.logType, type)) continue;
    const defaultListener = type === "Listener" && otel.logType === undefined;
    const format = otel.text ?? "";
    const attrs = otel.attributes !== undefined && otel.attributes.length > 0 ? otel.attributes : format === "" ? sortedEntries(DEFAULT_JSON_FIELDS) : [];
    const config = anyOf(OpenTelemetryAccessLogConfig, {
      commonConfig: {
        logName: "otel_envoy_accesslog",
        grpcService: {
          targetSpecifier: { $case: "envoyGrpc", value: { clusterName: otel.destination.name, authority: otel.authority ?? "" } },
          initialMetadata: grpcInitialMetadata(otel.headers),
        },
        transportApiVersion: ApiVersion.V3,
      },
      resourceAttributes: keyValueList(otel.resourceAttributes ?? [], false),
      ...(format !== "" ? { body: stringValue(format) } : {}),
      attributes: keyValueList(attrs, true),
      formatters: formattersFor([format, ...attrs.map((a) => a.value)]),
    });
    out.push(entry("envoy.access_loggers.open_telemetry", config, accessLogFilter(otel.celMatches, defaultListener)));
  }
  return out;
}

/**
 * `buildAccessLogs` of the IR's access log settings, built once per settings object and type in a memoising
 * translator (the messages are never changed once built, and messages that hold them copy them).
 */
export function accessLogsOf(ctx: TranslationContext, type: ProxyAccessLogType): AccessLog[] {
  const al = ctx.ir.accessLog;
  const memo = ctx.caches.accessLogs;
  if (al === undefined || memo === undefined) return buildAccessLogs(al, type);
  let byType = memo.get(al);
  if (byType === undefined) memo.set(al, (byType = new Map()));
  let logs = byType.get(type);
  if (logs === undefined) byType.set(type, (logs = buildAccessLogs(al, type)));
  return logs;
}

/** Adds the clusters that gRPC (ALS) and OpenTelemetry access log sinks send to. */
export function addAccessLogClusters(ctx: TranslationContext): void {
  const { accessLog: al, metrics, healthCheckLog } = ctx.ir;
  if (al === undefined) return;
  for (const als of al.als ?? []) {
    const d = als.destination;
    addCluster(ctx, {
      name: d.name,
      settings: d.settings ?? [],
      endpointType: endpointTypeOf(d.settings),
      metadata: d.metadata,
      healthCheckLog,
      ...trafficArgs(als.traffic),
    });
  }
  for (const otel of al.openTelemetry ?? []) {
    const d = otel.destination;
    addCluster(ctx, {
      name: d.name,
      settings: d.settings ?? [],
      endpointType: endpointTypeOf(d.settings),
      metrics,
      metadata: d.metadata,
      healthCheckLog,
      ...trafficArgs(otel.traffic),
    });
  }
}
