import { describe, expect, it } from "vitest";
import { emptyResources, type Resources } from "@egts/api";
import { translate, type TranslateOptions } from "../../index.js";

const options: TranslateOptions = {
  gatewayControllerName: "gateway.envoyproxy.io/gatewayclass-controller",
  gatewayClassName: "eg",
  controllerNamespace: "envoy-gateway-system",
};

type Json = Record<string, any>;

const gateway: Json = {
  apiVersion: "gateway.networking.k8s.io/v1",
  kind: "Gateway",
  metadata: { namespace: "infra", name: "gw" },
  spec: { gatewayClassName: "eg", listeners: [{ name: "web", port: 80, protocol: "HTTP", allowedRoutes: { namespaces: { from: "All" } } }] },
};

const service: Json = {
  apiVersion: "v1",
  kind: "Service",
  metadata: { namespace: "apps", name: "svc" },
  spec: { clusterIP: "10.0.0.1", ports: [{ name: "http", port: 8080, protocol: "TCP" }] },
};

const slice: Json = {
  apiVersion: "discovery.k8s.io/v1",
  kind: "EndpointSlice",
  metadata: { namespace: "apps", name: "svc-1", labels: { "kubernetes.io/service-name": "svc" } },
  addressType: "IPv4",
  ports: [{ name: "http", port: 8080, protocol: "TCP" }],
  endpoints: [{ addresses: ["10.1.0.1"], conditions: { ready: true } }],
};

function route(name: string, rules: Json[]): Json {
  return {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "HTTPRoute",
    metadata: { namespace: "apps", name },
    spec: { parentRefs: [{ name: "gw", namespace: "infra" }], hostnames: [`${name}.example.com`], rules },
  };
}

const rule = (name: string, path: string): Json => ({
  name,
  matches: [{ path: { type: "PathPrefix", value: path } }],
  backendRefs: [{ name: "svc", port: 8080 }],
});

function btp(name: string, namespace: string, target: Json, spec: Json): Json {
  return {
    apiVersion: "gateway.envoyproxy.io/v1alpha1",
    kind: "BackendTrafficPolicy",
    metadata: { namespace, name },
    spec: { targetRefs: [{ group: "gateway.networking.k8s.io", ...target }], ...spec },
  };
}

function run(policies: Json[], routes: Json[] = [route("r1", [rule("a", "/a"), rule("b", "/b")])]): Json {
  const r = {
    ...emptyResources(),
    gateways: [gateway],
    services: [service],
    endpointSlices: [slice],
    httpRoutes: routes,
    backendTrafficPolicies: policies,
  } as unknown as Resources;
  return translate(r, options) as Json;
}

function irRoutes(out: Json): Json[] {
  return out.xdsIR["infra/gw"].http[0].routes;
}

function byRule(out: Json, ruleName: string): Json {
  return irRoutes(out).find((r: Json) => r.metadata.sectionName === ruleName)!;
}

function conditionsOf(policy: Json): string[] {
  return policy.status.ancestors.flatMap((a: Json) => a.conditions.map((c: Json) => `${c.type}/${c.reason}`));
}

describe("BackendTrafficPolicy", () => {
  it("puts a Gateway policy's timeout on every route and records the policy in route metadata only", () => {
    const out = run([btp("gw-policy", "infra", { kind: "Gateway", name: "gw" }, { timeout: { http: { requestTimeout: "90s" } } })]);
    for (const r of irRoutes(out)) {
      expect(r.traffic.timeout).toEqual({ http: { requestTimeout: "1m30s" } });
      expect(r.metadata.policies).toEqual([{ kind: "BackendTrafficPolicy", name: "gw-policy", namespace: "infra" }]);
      expect(r.destination.metadata).toBeDefined();
      expect(r.destination.metadata.policies).toBeUndefined();
    }
    expect(conditionsOf(out.backendTrafficPolicies[0])).toEqual(["Accepted/Accepted"]);
  });

  it("lets a rule policy win over a route policy and reports the route policy Overridden", () => {
    const out = run([
      btp("route-policy", "apps", { kind: "HTTPRoute", name: "r1" }, { retry: { numRetries: 3 } }),
      btp("rule-policy", "apps", { kind: "HTTPRoute", name: "r1", sectionName: "b" }, { retry: { numRetries: 7 } }),
    ]);
    expect(byRule(out, "a").traffic.retry.numRetries).toBe(3);
    expect(byRule(out, "b").traffic.retry.numRetries).toBe(7);
    const [rulePolicy, routePolicy] = out.backendTrafficPolicies;
    expect(rulePolicy.metadata.name).toBe("rule-policy");
    expect(conditionsOf(routePolicy)).toEqual(["Accepted/Accepted", "Overridden/Overridden"]);
    expect(routePolicy.status.ancestors[0].conditions[1].message).toBe(
      "This policy is being overridden by other backendTrafficPolicy for these route rules: [b]",
    );
  });

  it("reports a Gateway policy overridden by a route policy and leaves the route's settings alone", () => {
    const out = run([
      btp("gw-policy", "infra", { kind: "Gateway", name: "gw" }, { loadBalancer: { type: "Random" } }),
      btp("route-policy", "apps", { kind: "HTTPRoute", name: "r1" }, { loadBalancer: { type: "RoundRobin" } }),
    ]);
    expect(byRule(out, "a").traffic.loadBalancer).toEqual({ roundRobin: {} });
    const gw = out.backendTrafficPolicies.find((p: Json) => p.metadata.name === "gw-policy");
    expect(gw.status.ancestors[0].conditions.find((c: Json) => c.type === "Overridden").message).toBe(
      "This policy is being overridden by other backendTrafficPolicies for these routes: [apps/r1]",
    );
  });

  it("merges a route policy into the Gateway policy when mergeType is set", () => {
    const out = run([
      btp("gw-policy", "infra", { kind: "Gateway", name: "gw" }, { timeout: { http: { requestTimeout: "5s" } }, retry: { numRetries: 1 } }),
      btp("route-policy", "apps", { kind: "HTTPRoute", name: "r1" }, { mergeType: "JSONMerge", retry: { numRetries: 4 } }),
    ]);
    const traffic = byRule(out, "a").traffic;
    expect(traffic.timeout).toEqual({ http: { requestTimeout: "5s" } });
    expect(traffic.retry.numRetries).toBe(4);
    const routePolicy = out.backendTrafficPolicies.find((p: Json) => p.metadata.name === "route-policy");
    expect(conditionsOf(routePolicy)).toEqual(["Merged/Merged", "Accepted/Accepted"]);
  });

  it("answers an invalid setting with a 500 direct response and an Invalid condition naming the field", () => {
    const out = run([
      btp(
        "bad",
        "apps",
        { kind: "HTTPRoute", name: "r1" },
        { rateLimit: { local: { rules: [{ limit: { requests: 1, unit: "Second" } }, { limit: { requests: 2, unit: "Second" } }] } } },
      ),
    ]);
    for (const r of irRoutes(out)) {
      expect(r.directResponse).toEqual({ statusCode: 500 });
      expect(r.traffic).toBeUndefined();
    }
    const cond = out.backendTrafficPolicies[0].status.ancestors[0].conditions[0];
    expect([cond.reason, cond.message]).toEqual(["Invalid", "RateLimit: local rateLimit can not have more than one rule without clientSelectors."]);
  });

  it("marks a second policy on the same route Conflicted", () => {
    const out = run([
      btp("first", "apps", { kind: "HTTPRoute", name: "r1" }, { retry: { numRetries: 1 } }),
      btp("second", "apps", { kind: "HTTPRoute", name: "r1" }, { retry: { numRetries: 2 } }),
    ]);
    const second = out.backendTrafficPolicies.find((p: Json) => p.metadata.name === "second");
    expect(second.status.ancestors[0].conditions[0]).toMatchObject({
      status: "False",
      reason: "Conflicted",
      message: "Unable to target HTTPRoute r1, another BackendTrafficPolicy has already attached to it",
    });
    expect(byRule(out, "a").traffic.retry.numRetries).toBe(1);
  });

  it("leaves its input untouched and translates the same input the same way twice", () => {
    const policies = [
      btp(
        "gw-policy",
        "infra",
        { kind: "Gateway", name: "gw" },
        { compressor: [{ type: "Gzip", gzip: {} }], retry: { perRetry: { backoff: { baseInterval: "1s" } } } },
      ),
      btp("route-policy", "apps", { kind: "HTTPRoute", name: "r1" }, { mergeType: "StrategicMerge", compressor: [{ type: "Brotli", brotli: {} }] }),
    ];
    const before = structuredClone(policies);
    const first = JSON.stringify(run(policies));
    expect(policies).toEqual(before);
    expect(JSON.stringify(run(policies))).toBe(first);
    expect(byRule(JSON.parse(first), "a").traffic.compression.map((c: Json) => c.type)).toEqual(["Brotli", "Gzip"]);
  });
});
