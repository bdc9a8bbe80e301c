import { describe, expect, it } from "vitest";
import type { HTTPListener, HTTPRoute, Xds } from "@egts/ir";
import { translateXds, xdsResultError, xdsResultToJson } from "./index.js";

const route = (over: Partial<HTTPRoute> = {}): HTTPRoute => ({
  name: "r1",
  hostname: "www.example.com",
  isHTTP2: false,
  destination: { name: "r1-dest", settings: [{ name: "r1-dest/backend/0", weight: 1, endpoints: [{ host: "10.0.0.1", port: 8080 }] }] },
  ...over,
});

const listener = (routes: HTTPRoute[], over: Partial<HTTPListener> = {}): HTTPListener => ({
  name: "default/gw/http",
  address: "0.0.0.0",
  port: 10080,
  hostnames: ["*"],
  path: { mergeSlashes: true, escapedSlashesAction: "UnescapeAndRedirect" },
  routes,
  ...over,
});

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("translateXds", () => {
  it("turns one HTTP listener with a route into a listener, route config, EDS cluster and endpoints", () => {
    const result = translateXds({ http: [listener([route()])] });
    expect(result.errors).toEqual([]);
    const json = xdsResultToJson(result) as unknown as Record<string, J[]>;
    expect(json["listeners"]?.map((l) => l["name"])).toEqual(["default/gw/http"]);
    const hcm = json["listeners"]?.[0]?.["defaultFilterChain"]["filters"][0]["typedConfig"];
    expect(hcm["statPrefix"]).toBe("http-10080");
    expect(hcm["rds"]["routeConfigName"]).toBe("default/gw/http");
    expect(hcm["httpFilters"].map((f: J) => f["name"])).toEqual(["envoy.filters.http.router"]);
    const vhost = json["routes"]?.[0]?.["virtualHosts"][0];
    expect(vhost["name"]).toBe("default/gw/http/www_example_com");
    expect(vhost["domains"]).toEqual(["www.example.com"]);
    expect(vhost["routes"][0]["route"]["cluster"]).toBe("r1-dest");
    expect(json["clusters"]?.[0]?.["type"]).toBe("EDS");
    expect(json["endpoints"]?.[0]?.["endpoints"][0]["lbEndpoints"][0]["endpoint"]["address"]["socketAddress"]).toEqual({
      address: "10.0.0.1",
      portValue: 8080,
    });
  });

  it("gives equal content equal versions and changed content a new version", () => {
    const ir: Xds = { http: [listener([route()])] };
    const a = translateXds(ir);
    const b = translateXds(ir);
    const c = translateXds({ http: [listener([route({ timeout: "5s" })])] });
    expect(a.clusters[0]?.version).toBe(b.clusters[0]?.version);
    expect(a.routes[0]?.version).not.toBe(c.routes[0]?.version);
    expect(a.clusters[0]?.version).toBe(c.clusters[0]?.version);
  });

  it("merges HTTP listeners on one port into one Envoy listener sharing the default filter chain", () => {
    const ir: Xds = {
      http: [listener([route()]), listener([route({ name: "r2", hostname: "other.example.com" })], { name: "default/gw/http2" })],
    };
    const json = xdsResultToJson(translateXds(ir)) as unknown as Record<string, J[]>;
    expect(json["listeners"]).toHaveLength(1);
    expect(json["routes"]).toHaveLength(1);
    expect(json["routes"]?.[0]?.["virtualHosts"].map((v: J) => v["name"])).toEqual(["default/gw/http/www_example_com", "default/gw/http2/other_example_com"]);
  });

  it("reports resources breaking Envoy's validation rules without dropping the rest", () => {
    const result = translateXds({ http: [listener([route()], { address: "" })] });
    expect(xdsResultError(result)).toContain("validation failed for xds resource");
    expect(result.clusters).toHaveLength(1);
  });

  it("adds the EmptyCluster and a filter chain for a TCP listener without routes", () => {
    const json = xdsResultToJson(translateXds({ tcp: [{ name: "tcp", address: "0.0.0.0", port: 1234 }] })) as unknown as Record<string, J[]>;
    expect(json["clusters"]?.map((c) => c["name"])).toEqual(["EmptyCluster"]);
    expect(json["listeners"]?.[0]?.["filterChains"][0]["filters"][0]["typedConfig"]["cluster"]).toBe("EmptyCluster");
  });

  it("names the route a bad value came from and still translates the other routes", () => {
    const result = translateXds({ http: [listener([route({ name: "bad", timeout: "ten seconds" }), route({ name: "good", hostname: "b.example.com" })])] });
    expect(xdsResultError(result)).toContain('http route "bad": invalid duration "ten seconds"');
    const json = xdsResultToJson(result) as unknown as Record<string, J[]>;
    expect(json["routes"]?.[0]?.["virtualHosts"].flatMap((v: J) => (v["routes"] ?? []).map((r: J) => r["name"]))).toEqual(["good"]);
  });
});
