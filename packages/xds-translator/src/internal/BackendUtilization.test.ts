import { describe, expect, it } from "vitest";
import type { HTTPRoute, LoadBalancer } from "@egts/ir";
import { translateXds, xdsResultToJson } from "../index.js";

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const clusterPolicy = (loadBalancer: LoadBalancer): J => {
  const route: HTTPRoute = {
    name: "r1",
    hostname: "*",
    isHTTP2: false,
    destination: { name: "r1-dest", settings: [{ name: "r1-dest/backend/0", weight: 1, endpoints: [{ host: "10.0.0.1", port: 8080 }] }] },
    traffic: { loadBalancer },
  };
  const ir = {
    http: [
      {
        name: "default/gw/http",
        address: "0.0.0.0",
        port: 10080,
        hostnames: ["*"],
        path: { mergeSlashes: true, escapedSlashesAction: "UnescapeAndRedirect" },
        routes: [route],
      },
    ],
  };
  const json = xdsResultToJson(translateXds(ir as never)) as unknown as Record<string, J[]>;
  return json["clusters"]?.[0]?.["loadBalancingPolicy"]["policies"][0]["typedExtensionConfig"];
};

describe("client-side weighted round robin (BackendUtilization)", () => {
  it("enables out-of-band ORCA reports, with where to fetch them when a port or authority is given", () => {
    const policy = clusterPolicy({ backendUtilization: { outOfBand: { reportingPeriod: "10s", port: 9000, authority: "orca.example" } } });
    expect(policy["name"]).toBe("envoy.load_balancing_policies.client_side_weighted_round_robin");
    expect(policy["typedConfig"]).toMatchObject({
      enableOobLoadReport: true,
      oobReportingPeriod: "10s",
      oobReportingConfig: { portValue: 9000, authority: "orca.example" },
    });
  });

  it("reports to the endpoint itself when neither port nor authority is set", () => {
    const policy = clusterPolicy({ backendUtilization: { outOfBand: {} } });
    expect(policy["typedConfig"]["enableOobLoadReport"]).toBe(true);
    expect(policy["typedConfig"]["oobReportingConfig"]).toBeUndefined();
  });

  it("leaves out-of-band reporting off without the setting", () => {
    const policy = clusterPolicy({ backendUtilization: { errorUtilizationPenaltyPercent: 50 } });
    expect(policy["typedConfig"]["enableOobLoadReport"]).toBeUndefined();
    expect(policy["typedConfig"]["errorUtilizationPenalty"]).toBe(0.5);
  });
});
