import { describe, expect, it } from "vitest";
import type { EnvoyProxy } from "@egts/api";
import { aggregateMessage, jsonMerge, mergeEnvoyProxyConfigs, validateEnvoyProxy } from "./EnvoyProxy.js";

const proxy = (spec: Record<string, unknown>, name = "p"): EnvoyProxy =>
  ({ apiVersion: "gateway.envoyproxy.io/v1alpha1", kind: "EnvoyProxy", metadata: { namespace: "ns", name }, spec }) as EnvoyProxy;

describe("validateEnvoyProxy", () => {
  it("accepts an empty spec", () => {
    expect(validateEnvoyProxy(proxy({}))).toEqual([]);
  });

  it("reports service settings that need a LoadBalancer Service", () => {
    const ep = proxy({
      provider: {
        type: "Kubernetes",
        kubernetes: { envoyService: { type: "ClusterIP", loadBalancerIP: "1.2.3.4", loadBalancerSourceRanges: ["10.0.0.0/8", "bad"] } },
      },
    });
    expect(validateEnvoyProxy(ep)).toEqual([
      "loadBalancerSourceRanges can only be set for LoadBalancer type",
      "loadBalancerSourceRange:bad is an invalid IP subnet",
      "loadBalancerIP can only be set for LoadBalancer type",
    ]);
  });

  it("finds cycles in the filter order", () => {
    const ep = proxy({
      filterOrder: [
        { name: "envoy.filters.http.jwt_authn", before: "envoy.filters.http.cors" },
        { name: "envoy.filters.http.jwt_authn", after: "envoy.filters.http.cors" },
      ],
    });
    expect(validateEnvoyProxy(ep)).toEqual(["there is a cycle in the filter order: envoy.filters.http.cors -> envoy.filters.http.jwt_authn"]);
  });

  it("rejects unknown cluster stat name operators", () => {
    const ep = proxy({ telemetry: { metrics: { clusterStatName: "%ROUTE_NAME%.%NOPE%" } } });
    expect(aggregateMessage(validateEnvoyProxy(ep))).toBe("unable to configure Cluster Stat Name: unsupported operators: [%NOPE%]");
  });
});

describe("mergeEnvoyProxyConfigs", () => {
  it("lets a Gateway proxy replace the GatewayClass proxy unless it asks to merge", () => {
    const cls = proxy({ ipFamily: "IPv6", logging: { level: { default: "warn" } } }, "cls");
    const gw = proxy({ logging: { level: { default: "debug" } } }, "gw");
    expect(mergeEnvoyProxyConfigs(undefined, cls, gw)).toBe(gw);
    const merging = proxy({ mergeType: "JSONMerge", logging: { level: { default: "debug" } } }, "gw");
    expect(mergeEnvoyProxyConfigs(undefined, cls, merging)?.spec).toEqual({
      ipFamily: "IPv6",
      mergeType: "JSONMerge",
      logging: { level: { default: "debug" } },
    });
  });

  it("merges JSON objects recursively and deletes null fields", () => {
    expect(jsonMerge({ a: { b: 1, c: 2 }, d: 3 }, { a: { c: null, e: 4 } })).toEqual({ a: { b: 1, e: 4 }, d: 3 });
  });
});
