import { AdmissionControl as AdmissionControlConfig } from "@egts/envoy-api/generated/envoy/extensions/filters/http/admission_control/v3/admission_control";
import type { HttpFilter } from "@egts/envoy-api/generated/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager";
import type { AdmissionControl } from "@egts/ir";
import { anyOf, duration, msg } from "../Proto.js";
import { httpFilter } from "./common.js";

/** gRPC status names and their codes (grpc/doc/statuscodes.md). */
const GRPC_STATUS_CODES: Readonly<Record<string, number>> = {
  Ok: 0,
  Cancelled: 1,
  Unknown: 2,
  InvalidArgument: 3,
  DeadlineExceeded: 4,
  NotFound: 5,
  AlreadyExists: 6,
  PermissionDenied: 7,
  ResourceExhausted: 8,
  FailedPrecondition: 9,
  Aborted: 10,
  OutOfRange: 11,
  Unimplemented: 12,
  Internal: 13,
  Unavailable: 14,
  DataLoss: 15,
  Unauthenticated: 16,
};

/** The admission_control config: always enabled, thresholds as given, success per HTTP status or gRPC code. */
export function buildAdmissionControlConfig(ac: AdmissionControl): AdmissionControlConfig {
  const httpCodes = ac.successCriteria?.http?.statusCodes ?? [];
  const grpcCodes = ac.successCriteria?.grpc?.statusCodes ?? [];
  return msg(AdmissionControlConfig, {
    enabled: { defaultValue: true },
    ...(ac.samplingWindow !== undefined ? { samplingWindow: duration(ac.samplingWindow) } : {}),
    ...(ac.minSuccessRate !== undefined ? { srThreshold: { defaultValue: { value: ac.minSuccessRate } } } : {}),
    ...(ac.rejectionAggression !== undefined ? { aggression: { defaultValue: ac.rejectionAggression } } : {}),
    ...(ac.minRequestRate !== undefined ? { rpsThreshold: { defaultValue: ac.minRequestRate } } : {}),
    ...(ac.maxRejectionPercent !== undefined ? { maxRejectionProbability: { defaultValue: { value: ac.maxRejectionPercent } } } : {}),
    evaluationCriteria: {
      $case: "successCriteria",
      value: {
        // Each status code is a one-code range [code, code + 1).
        ...(httpCodes.length > 0 ? { httpCriteria: { httpSuccessStatus: httpCodes.map((c) => ({ start: c, end: c + 1 })) } } : {}),
        ...(grpcCodes.length > 0
          ? { grpcCriteria: { grpcSuccessStatus: grpcCodes.flatMap((name) => (name in GRPC_STATUS_CODES ? [GRPC_STATUS_CODES[name] as number] : [])) } }
          : {}),
      },
    },
  });
}

/** The upstream admission_control filter of a cluster (BackendTrafficPolicy admission control). */
export const buildUpstreamAdmissionControlFilter = (ac: AdmissionControl): HttpFilter =>
  httpFilter("envoy.filters.http.admission_control", anyOf(AdmissionControlConfig, buildAdmissionControlConfig(ac)));
