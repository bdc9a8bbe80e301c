import { describe, expect, it } from "vitest";
import type { Resources } from "@egts/api";
import { translateResources } from "../Translator.js";

const options = {
  gatewayControllerName: "gateway.envoyproxy.io/gatewayclass-controller",
  gatewayClassName: "eg",
  controllerNamespace: "envoy-gateway-system",
};

function resources(extensionServerPolicies: unknown[]): Resources {
  return {
    gateways: [
      {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "Gateway",
        metadata: { name: "gw", namespace: "ns" },
        spec: { gatewayClassName: "eg", listeners: [{ name: "http", protocol: "HTTP", port: 80 }] },
      },
    ],
    httpRoutes: [
      {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "HTTPRoute",
        metadata: { name: "route", namespace: "ns" },
        spec: { parentRefs: [{ name: "gw" }], rules: [{ matches: [{ path: { type: "PathPrefix", value: "/" } }] }] },
      },
    ],
    extensionServerPolicies,
  } as unknown as Resources;
}

function bar(name: string, spec: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: "foo.example.io/v1alpha1", kind: "Bar", metadata: { name, namespace: "ns" }, spec };
}

type Out = Record<string, any>;

describe("extension server policies", () => {
  it("attaches a route policy to the IR route as the object carrying its final status", () => {
    const out = translateResources(
      resources([bar("p", { targetRefs: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: "route" }] })]),
      options,
    ) as Out;
    const policy = out["extensionServerPolicies"][0];
    expect(policy.status.ancestors[0].conditions[0]).toMatchObject({ type: "Accepted", status: "True" });
    const route = out["xdsIR"]["ns/gw"].http[0].routes[0];
    expect(route.extensionServerPolicies).toEqual([{ object: policy }]);
  });

  it("attaches a Gateway policy to the Gateway's IR and its listeners", () => {
    const out = translateResources(resources([bar("p", { targetRef: { group: "gateway.networking.k8s.io", kind: "Gateway", name: "gw" } })]), options) as Out;
    const x = out["xdsIR"]["ns/gw"];
    expect(x.extensionServerPolicies[0].object.metadata.name).toBe("p");
    expect(x.http[0].extensionRefs[0].object.metadata.name).toBe("p");
  });

  it("leaves out policies whose targets do not decode or do not exist", () => {
    const out = translateResources(
      resources([
        bar("bad", { targetRefs: { not: "a list" } }),
        bar("none", { targetRef: { group: "gateway.networking.k8s.io", kind: "Gateway", name: "other" } }),
      ]),
      options,
    ) as Out;
    expect(out["extensionServerPolicies"]).toBeUndefined();
  });
});
