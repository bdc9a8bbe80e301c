import { describe, expect, it } from "vitest";
import { toProtoJson } from "@egts/envoy-api";
import { AdmissionControl } from "@egts/envoy-api/generated/envoy/extensions/filters/http/admission_control/v3/admission_control";
import { buildAdmissionControlConfig, buildUpstreamAdmissionControlFilter } from "./AdmissionControl.js";

describe("admission control", () => {
  it("sets the thresholds and turns each HTTP success status into a one-code range", () => {
    const cfg = toProtoJson(
      AdmissionControl,
      buildAdmissionControlConfig({
        samplingWindow: "30s",
        minSuccessRate: 95,
        rejectionAggression: 1.5,
        minRequestRate: 5,
        maxRejectionPercent: 80,
        successCriteria: { http: { statusCodes: [200, 204] } },
      }),
    );
    expect(cfg).toEqual({
      enabled: { defaultValue: true },
      samplingWindow: "30s",
      srThreshold: { defaultValue: { value: 95 } },
      aggression: { defaultValue: 1.5 },
      rpsThreshold: { defaultValue: 5 },
      maxRejectionProbability: { defaultValue: { value: 80 } },
      successCriteria: {
        httpCriteria: {
          httpSuccessStatus: [
            { start: 200, end: 201 },
            { start: 204, end: 205 },
          ],
        },
      },
    });
  });

  it("maps gRPC status names to codes, skipping unknown names, and always sets success criteria", () => {
    const grpc = toProtoJson(AdmissionControl, buildAdmissionControlConfig({ successCriteria: { grpc: { statusCodes: ["Ok", "Cancelled", "Bogus"] } } })) as {
      successCriteria: unknown;
    };
    expect(grpc.successCriteria).toEqual({ grpcCriteria: { grpcSuccessStatus: [0, 1] } });
    expect((toProtoJson(AdmissionControl, buildAdmissionControlConfig({})) as { successCriteria: unknown }).successCriteria).toEqual({});
  });

  it("builds the upstream filter clusters run", () => {
    expect(buildUpstreamAdmissionControlFilter({}).name).toBe("envoy.filters.http.admission_control");
  });
});
