import { describe, expect, it } from "vitest";
import { toProtoJson } from "@egts/envoy-api";
import { Cluster } from "@egts/envoy-api/generated/envoy/config/cluster/v3/cluster";
import { buildCluster, type ClusterArgs } from "./Cluster.js";
import { buildHttpStatusRanges } from "./HealthCheck.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = (args: ClusterArgs): any => toProtoJson(Cluster, buildCluster(args).cluster);
const setting = { name: "c/backend/0", weight: 1, endpoints: [{ host: "backend.example.com", port: 443 }] };

describe("buildCluster", () => {
  it("resolves FQDN backends with the DNS cluster extension and inlines the load assignment's owner", () => {
    const out = json({ name: "c", settings: [{ ...setting, addressType: "FQDN" }], endpointType: "DNS", dns: { dnsRefreshRate: "5s", respectDnsTtl: false } });
    expect(out.clusterType.name).toBe("envoy.cluster.dns");
    expect(out.clusterType.typedConfig).toMatchObject({ dnsRefreshRate: "5s", dnsLookupFamily: "V4_PREFERRED" });
    expect(out.clusterType.typedConfig.respectDnsTtl).toBeUndefined();
  });

  it("applies circuit breakers, outlier detection and an HTTP health check", () => {
    const out = json({
      name: "c",
      settings: [setting],
      endpointType: "Static",
      circuitBreaker: { maxConnections: 10, maxParallelRetries: 3, perEndpoint: { maxConnections: 2 } },
      healthCheck: {
        active: { timeout: "1s", interval: "3s", healthyThreshold: 2, http: { host: "", path: "/healthz", expectedStatuses: [200, 201, 204] } },
        passive: { interval: "10s", baseEjectionTime: "30s", consecutive5XxErrors: 5 },
      },
      routeHostname: "www.example.com",
    });
    expect(out.circuitBreakers).toEqual({ thresholds: [{ maxConnections: 10, maxRetries: 3 }], perHostThresholds: [{ maxConnections: 2 }] });
    expect(out.outlierDetection).toEqual({ interval: "10s", baseEjectionTime: "30s", consecutive5xx: 5 });
    expect(out.healthChecks[0].httpHealthCheck).toEqual({
      host: "www.example.com",
      path: "/healthz",
      expectedStatuses: [
        { start: "200", end: "202" },
        { start: "204", end: "205" },
      ],
    });
  });

  it("puts backend TLS into a transport socket match with SAN checks and auto SNI off when SNI is literal", () => {
    const out = json({
      name: "c",
      settings: [{ ...setting, tls: { sni: "backend.example.com", caCertificate: { name: "ns/ca" } } }],
      endpointType: "Static",
    });
    const match = out.transportSocketMatches[0];
    expect(match.name).toBe("c/tls/0");
    expect(match.match).toEqual({ name: "c/tls/0" });
    const tls = match.transportSocket.typedConfig;
    expect(tls.sni).toBe("backend.example.com");
    expect(tls.commonTlsContext.combinedValidationContext.validationContextSdsSecretConfig.name).toBe("ns/ca");
    expect(tls.commonTlsContext.combinedValidationContext.defaultValidationContext.matchTypedSubjectAltNames).toEqual([
      { sanType: "DNS", matcher: { exact: "backend.example.com" } },
    ]);
    expect(out.typedExtensionProtocolOptions["envoy.extensions.upstreams.http.v3.HttpProtocolOptions"].autoConfig).toBeDefined();
  });
});

describe("buildHttpStatusRanges", () => {
  it("merges consecutive statuses into half-open ranges", () => {
    expect(buildHttpStatusRanges([503, 500, 501, 502])).toEqual([{ start: "500", end: "504" }]);
    expect(buildHttpStatusRanges([])).toEqual([]);
  });
});
