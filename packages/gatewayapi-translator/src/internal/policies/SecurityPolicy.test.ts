import { describe, expect, it } from "vitest";
import type { Resources } from "@egts/api";
import { translateResources } from "../Translator.js";
import { parseCIDR } from "./Cidr.js";
import { digest32 } from "./SecurityPolicy.js";

const options = {
  gatewayControllerName: "gateway.envoyproxy.io/gatewayclass-controller",
  gatewayClassName: "eg",
  controllerNamespace: "envoy-gateway-system",
};

function resources(securityPolicies: unknown[], extra: Record<string, unknown> = {}): Resources {
  return {
    gatewayClass: {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "GatewayClass",
      metadata: { name: "eg" },
      spec: { controllerName: options.gatewayControllerName },
    },
    gateways: [
      {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "Gateway",
        metadata: { name: "gw", namespace: "ns" },
        spec: { gatewayClassName: "eg", listeners: [{ name: "http", protocol: "HTTP", port: 80, allowedRoutes: { namespaces: { from: "All" } } }] },
      },
    ],
    httpRoutes: [
      {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "HTTPRoute",
        metadata: { name: "route", namespace: "ns" },
        spec: { parentRefs: [{ name: "gw" }], rules: [{ name: "r0", matches: [{ path: { type: "PathPrefix", value: "/" } }] }] },
      },
    ],
    securityPolicies,
    ...extra,
  } as unknown as Resources;
}

function policy(name: string, targetRefs: unknown[], spec: Record<string, unknown>): unknown {
  return {
    apiVersion: "gateway.envoyproxy.io/v1alpha1",
    kind: "SecurityPolicy",
    metadata: { name, namespace: "ns", generation: 3 },
    spec: { targetRefs, ...spec },
  };
}

const routeRef = { group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: "route" };
const gatewayRef = { group: "gateway.networking.k8s.io", kind: "Gateway", name: "gw" };

type Out = Record<string, any>;
function irRoutes(out: Out): Out[] {
  return out["xdsIR"]["ns/gw"].http[0].routes as Out[];
}

describe("SecurityPolicy", () => {
  it("puts CORS on the targeted route and reports the policy accepted on the route's Gateway", () => {
    const out = translateResources(
      resources([policy("cors", [routeRef], { cors: { allowOrigins: ["https://*.example.com"], maxAge: "60s" } })]),
      options,
    ) as Out;
    expect(irRoutes(out)[0]?.["security"]).toEqual({ cors: { allowOrigins: [{ safeRegex: "https://.*\\.example\\.com" }], maxAge: "1m0s" } });
    const ancestor = out["securityPolicies"][0].status.ancestors[0];
    expect(ancestor.ancestorRef).toEqual({ group: "gateway.networking.k8s.io", kind: "Gateway", namespace: "ns", name: "gw" });
    expect(ancestor.conditions[0]).toMatchObject({ type: "Accepted", status: "True", observedGeneration: 3 });
  });

  it("lets a route policy win over a Gateway policy and marks the Gateway policy overridden", () => {
    const out = translateResources(
      resources([
        policy("gw-policy", [gatewayRef], { cors: { allowOrigins: ["https://a.com"] } }),
        policy("route-policy", [routeRef], { cors: { allowOrigins: ["https://b.com"] } }),
      ]),
      options,
    ) as Out;
    expect(irRoutes(out)[0]?.["security"].cors.allowOrigins).toEqual([{ exact: "https://b.com" }]);
    const gwPolicy = (out["securityPolicies"] as Out[]).find((p) => p["metadata"].name === "gw-policy") as Out;
    expect(gwPolicy["status"].ancestors[0].conditions[1]).toMatchObject({
      type: "Overridden",
      message: "This policy is being overridden by other securityPolicies for these routes: [ns/route]",
    });
  });

  it("answers 500 on the route and names the missing secret when basic auth cannot be built", () => {
    const out = translateResources(resources([policy("basic", [routeRef], { basicAuth: { users: { name: "missing" } } })]), options) as Out;
    expect(irRoutes(out)[0]?.["directResponse"]).toEqual({ statusCode: 500 });
    expect(out["securityPolicies"][0].status.ancestors[0].conditions[0]).toMatchObject({
      status: "False",
      reason: "Invalid",
      message: "BasicAuth: secret ns/missing does not exist.",
    });
  });

  it("rejects a second policy on the same route as Conflicted", () => {
    const out = translateResources(resources([policy("a", [routeRef], { cors: {} }), policy("b", [routeRef], { cors: {} })]), options) as Out;
    const b = (out["securityPolicies"] as Out[]).find((p) => p["metadata"].name === "b") as Out;
    expect(b["status"].ancestors[0].conditions[0]).toMatchObject({
      reason: "Conflicted",
      message: "Unable to target HTTPRoute route, another SecurityPolicy has already attached to it",
    });
  });

  it("reports a malformed policy on its own status and still translates the others", () => {
    const broken = policy("broken", [routeRef], { oidc: { clientID: "x" } });
    const fine = policy("fine", [gatewayRef], { cors: { allowOrigins: ["https://a.com"] } });
    const out = translateResources(resources([broken, fine]), options) as Out;
    const byName = (n: string): Out => (out["securityPolicies"] as Out[]).find((p) => p["metadata"].name === n) as Out;
    expect(byName("broken")["status"].ancestors[0].conditions[0]).toMatchObject({ status: "False", reason: "Invalid" });
    expect(byName("broken")["status"].ancestors[0].conditions[0].message).toMatch(/^Malformed policy: /);
    expect(byName("fine")["status"].ancestors[0].conditions[0]).toMatchObject({ status: "True" });
  });

  it("reports a missing rule name as TargetNotFound", () => {
    const out = translateResources(resources([policy("a", [{ ...routeRef, sectionName: "nope" }], { cors: {} })]), options) as Out;
    expect(out["securityPolicies"][0].status.ancestors[0].conditions[0]).toMatchObject({
      reason: "TargetNotFound",
      message: "No section name nope found for HTTPRoute ns/route",
    });
  });
});

describe("SecurityPolicy merging", () => {
  it("merges a route policy with mergeType onto the Gateway policy and reports Merged on both", () => {
    const users = {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { namespace: "ns", name: "users" },
      data: { ".htpasswd": Buffer.from("u:{SHA}" + Buffer.alloc(20).toString("base64")).toString("base64") },
    };
    const out = translateResources(
      resources(
        [
          policy("gw-policy", [gatewayRef], { basicAuth: { users: { name: "users" } } }),
          policy("route-policy", [routeRef], { mergeType: "StrategicMerge", cors: { allowOrigins: ["https://b.com"] } }),
        ],
        { secrets: [users] },
      ),
      options,
    ) as Out;
    const security = irRoutes(out)[0]?.["security"];
    expect(Object.keys(security).sort()).toEqual(["basicAuth", "cors"]);
    // The basic auth config keeps the name of the policy that owns it.
    expect(security.basicAuth.name).toBe("securitypolicy/ns/gw-policy");
    const byName = (n: string): Out => (out["securityPolicies"] as Out[]).find((p) => p["metadata"].name === n) as Out;
    expect(byName("route-policy")["status"].ancestors[0].conditions[0]).toMatchObject({ type: "Merged", message: "Merged with policy ns/gw-policy" });
    expect(byName("gw-policy")["status"].ancestors[0].conditions[1]).toMatchObject({
      type: "Merged",
      message: "This policy is being merged by other securityPolicies for these routes: [ns/route]",
    });
  });
});

describe("parseCIDR", () => {
  it("masks the address and keeps the family", () => {
    expect(parseCIDR("10.1.2.3/16")).toEqual({ cidr: "10.1.0.0/16", maskLen: 16, isIPv6: false });
    expect(parseCIDR("2001:db8::1/32")).toEqual({ cidr: "2001:db8::/32", maskLen: 32, isIPv6: true });
    expect(parseCIDR("10.1.2.3")).toBeUndefined();
    expect(parseCIDR("10.1.2.3/33")).toBeUndefined();
    // Go's netip rejects leading zeros; so does this.
    expect(parseCIDR("010.1.2.3/8")).toBeUndefined();
  });
});

describe("OIDC", () => {
  const secret = (namespace: string, name: string, data: Record<string, string>): unknown => ({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { namespace, name },
    data,
  });
  const oidc = {
    provider: { issuer: "https://idp.example.com", authorizationEndpoint: "https://idp.example.com/auth", tokenEndpoint: "https://idp.example.com/token" },
    clientID: "client",
    clientSecret: { name: "client-secret" },
  };

  it("builds the filter config with default paths, the openid scope and a cookie suffix from the policy UID", () => {
    const secrets = [
      secret("ns", "client-secret", { "client-secret": Buffer.from("s3cr3t").toString("base64") }),
      secret("envoy-gateway-system", "envoy-oidc-hmac", { "hmac-secret": "aG1hYw==" }),
    ];
    const p = policy("oidc", [routeRef], { oidc }) as { metadata: Record<string, unknown> };
    p.metadata["uid"] = "1234";
    const out = translateResources(resources([p], { secrets }), options) as Out;
    const got = irRoutes(out)[0]?.["security"].oidc;
    expect(got).toMatchObject({
      name: "securitypolicy/ns/oidc",
      clientID: "client",
      scopes: ["openid"],
      redirectPath: "/oauth2/callback",
      logoutPath: "/logout",
      cookieSuffix: digest32("1234"),
      provider: { authorizationEndpoint: "https://idp.example.com/auth", tokenEndpoint: "https://idp.example.com/token" },
    });
    expect(Buffer.from(got.clientSecret, "base64").toString()).toBe("s3cr3t");
  });

  it("fails without leaking secret values when the HMAC secret is missing", () => {
    const secrets = [secret("ns", "client-secret", { "client-secret": Buffer.from("s3cr3t").toString("base64") })];
    const out = translateResources(resources([policy("oidc", [routeRef], { oidc })], { secrets }), options) as Out;
    const message: string = out["securityPolicies"][0].status.ancestors[0].conditions[0].message;
    expect(message).toBe("OIDC: HMAC secret envoy-gateway-system/envoy-oidc-hmac not found.");
    expect(JSON.stringify(out["securityPolicies"])).not.toContain("s3cr3t");
    expect(irRoutes(out)[0]?.["directResponse"]).toEqual({ statusCode: 500 });
  });

  it("hashes like FNV-1a 32", () => {
    expect(digest32("")).toBe("811c9dc5");
    expect(digest32("a")).toBe("e40c292c");
  });
});
