import { RequestMethod } from "@egts/envoy-api/generated/envoy/config/core/v3/base";
import { HealthCheck } from "@egts/envoy-api/generated/envoy/config/core/v3/health_check";
import { OutlierDetection } from "@egts/envoy-api/generated/envoy/config/cluster/v3/outlier_detection";
import { HealthCheckEventFileSink } from "@egts/envoy-api/generated/envoy/extensions/health_check/event_sinks/file/v3/file";
import type { ActiveHealthCheck, HealthCheckPayload, HTTPStatus, OutlierDetection as IROutlierDetection, ProxyHealthCheckLog } from "@egts/ir";
import { anyOf, duration, msg } from "./Proto.js";

type HealthCheckP = Parameters<typeof HealthCheck.fromPartial>[0];

/** Collapses status codes into sorted half-open ranges ([200, 201), [204, 206) ...). */
export function buildHttpStatusRanges(statuses: readonly HTTPStatus[] | undefined): { start: string; end: string }[] {
  if (statuses === undefined || statuses.length === 0) return [];
  const sorted = [...statuses].sort((a, b) => a - b);
  const ranges: { start: string; end: string }[] = [];
  let start = 0;
  let end = 0;
  for (const s of sorted) {
    if (start === 0) {
      start = s;
      end = s + 1;
    } else if (s === end) {
      end++;
    } else {
      ranges.push({ start: String(start), end: String(end) });
      start = s;
      end = s + 1;
    }
  }
  if (start !== 0) ranges.push({ start: String(start), end: String(end) });
  return ranges;
}

type PayloadP = { payload?: { $case: "text"; value: string } | { $case: "binary"; value: Buffer } };

function payload(p: HealthCheckPayload | undefined): PayloadP | undefined {
  if (p === undefined) return undefined;
  let out: { $case: "text"; value: string } | { $case: "binary"; value: Buffer } | undefined;
  if (p.text !== undefined && p.text !== "") out = { $case: "text", value: Buffer.from(p.text).toString("hex") };
  if (p.binary !== undefined && p.binary.length > 0) out = { $case: "binary", value: Buffer.from(p.binary) };
  return out === undefined ? {} : { payload: out };
}

/** The active health check of a cluster (HTTP, TCP or gRPC), with health check event logging. */
export function buildActiveHealthCheck(hc: ActiveHealthCheck, routeHostname: string, proxyLog: ProxyHealthCheckLog | undefined): HealthCheck {
  const out: HealthCheckP = {
    timeout: duration(hc.timeout ?? "0s"),
    interval: duration(hc.interval ?? "0s"),
  };
  if (hc.initialJitter !== undefined) {
    try {
      out.initialJitter = duration(hc.initialJitter);
    } catch {
      // upstream ignores a jitter it cannot parse
    }
  }
  if (hc.unhealthyThreshold !== undefined) out.unhealthyThreshold = hc.unhealthyThreshold;
  if (hc.healthyThreshold !== undefined) out.healthyThreshold = hc.healthyThreshold;
  if (hc.http !== undefined) {
    const receive = payload(hc.http.expectedResponse);
    const send = payload(hc.http.requestBody);
    out.healthChecker = {
      $case: "httpHealthCheck",
      value: {
        host: hc.http.host !== "" ? hc.http.host : routeHostname,
        path: hc.http.path,
        ...(hc.http.method !== undefined ? { method: RequestMethod[hc.http.method as keyof typeof RequestMethod] } : {}),
        expectedStatuses: buildHttpStatusRanges(hc.http.expectedStatuses),
        retriableStatuses: buildHttpStatusRanges(hc.http.retriableStatuses),
        receive: receive !== undefined ? [receive] : [],
        ...(send !== undefined ? { send } : {}),
      },
    };
  } else if (hc.tcp !== undefined) {
    const receive = payload(hc.tcp.receive);
    const send = payload(hc.tcp.send);
    out.healthChecker = {
      $case: "tcpHealthCheck",
      value: { ...(send !== undefined ? { send } : {}), receive: receive !== undefined ? [receive] : [] },
    };
  } else if (hc.grpc !== undefined) {
    out.healthChecker = { $case: "grpcHealthCheck", value: { serviceName: hc.grpc.service ?? "" } };
  }
  const log = hc.backendHealthCheckLog ?? proxyLog;
  if (log !== undefined) {
    out.alwaysLogHealthCheckFailures = log.alwaysLogHealthCheckFailures === true;
    out.alwaysLogHealthCheckSuccess = log.alwaysLogHealthCheckSuccess === true;
    out.eventLogger = (log.fileSinks ?? []).map((fs) => ({
      name: "envoy.health_check.event_sinks.file",
      typedConfig: anyOf(HealthCheckEventFileSink, { eventLogPath: fs.path }),
    }));
  }
  return msg(HealthCheck, out);
}

/** Passive health checking (outlier detection) of a cluster. */
export function buildOutlierDetection(od: IROutlierDetection): OutlierDetection {
  const out: Parameters<typeof OutlierDetection.fromPartial>[0] = {
    baseEjectionTime: duration(od.baseEjectionTime ?? "0s"),
    interval: duration(od.interval ?? "0s"),
  };
  if (od.splitExternalLocalOriginErrors !== undefined) out.splitExternalLocalOriginErrors = od.splitExternalLocalOriginErrors;
  if (od.maxEjectionPercent !== undefined && od.maxEjectionPercent > 0) out.maxEjectionPercent = od.maxEjectionPercent;
  if (od.consecutiveLocalOriginFailures !== undefined) out.consecutiveLocalOriginFailure = od.consecutiveLocalOriginFailures;
  if (od.consecutive5XxErrors !== undefined) out.consecutive5xx = od.consecutive5XxErrors;
  if (od.consecutiveGatewayErrors !== undefined) {
    out.enforcingConsecutiveGatewayFailure = 100;
    out.consecutiveGatewayFailure = od.consecutiveGatewayErrors;
  }
  if (od.failurePercentageThreshold !== undefined) {
    out.failurePercentageThreshold = od.failurePercentageThreshold;
    out.enforcingFailurePercentage = 100;
  }
  if (od.alwaysEjectOneEndpoint !== undefined) out.alwaysEjectOneHost = od.alwaysEjectOneEndpoint;
  return msg(OutlierDetection, out);
}
