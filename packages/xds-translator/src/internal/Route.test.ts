import { describe, expect, it } from "vitest";
import { toProtoJson } from "@egts/envoy-api";
import { Route } from "@egts/envoy-api/generated/envoy/config/route/v3/route_components";
import type { HTTPListener, HTTPRoute } from "@egts/ir";
import { buildRoute } from "./Route.js";

const l: HTTPListener = { name: "l", address: "::", port: 80, path: { mergeSlashes: false, escapedSlashesAction: "KeepUnchanged" } };
const base: HTTPRoute = {
  name: "r",
  hostname: "*",
  isHTTP2: false,
  destination: { name: "d", settings: [{ name: "d/backend/0", weight: 1, endpoints: [{ host: "1.1.1.1", port: 80 }] }] },
};
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = (r: HTTPRoute): any => toProtoJson(Route, buildRoute(r, l, new Map(), []));

describe("buildRoute", () => {
  it("turns header, query and prefix matches into a RouteMatch", () => {
    const out = json({
      ...base,
      pathMatch: { name: "", prefix: "/api/", distinct: false },
      headerMatches: [{ name: "x-env", exact: "prod", distinct: false }],
      queryParamMatches: [{ name: "q", safeRegex: "a.*", distinct: false }],
    });
    expect(out.match).toEqual({
      pathSeparatedPrefix: "/api",
      headers: [{ name: "x-env", stringMatch: { exact: "prod" } }],
      queryParameters: [{ name: "q", stringMatch: { safeRegex: { regex: "a.*" } } }],
    });
  });

  it("forwards to the destination cluster with a websocket upgrade and the request timeout", () => {
    const out = json({ ...base, timeout: "2s" });
    expect(out.route).toEqual({ cluster: "d", upgradeConfigs: [{ upgradeType: "websocket" }], timeout: "2s", idleTimeout: "3600s" });
  });

  it("builds a redirect with scheme, host and a non-default port", () => {
    const out = json({ ...base, redirect: { scheme: "https", hostname: "example.com", port: 8443, statusCode: 301 } });
    expect(out.redirect).toEqual({ schemeRedirect: "https", hostRedirect: "example.com", portRedirect: 8443 });
  });

  it("rewrites a matched prefix to / with a regex", () => {
    const out = json({ ...base, pathMatch: { name: "", prefix: "/old", distinct: false }, urlRewrite: { path: { prefixMatchReplace: "/" } } });
    expect(out.route.regexRewrite).toEqual({ pattern: { regex: "^/old\\/*" }, substitution: "/" });
  });

  it("splits traffic across weighted clusters and sends unavailable weight to invalid-backend-cluster", () => {
    const out = json({
      ...base,
      destination: {
        name: "d",
        settings: [
          { name: "d/backend/0", weight: 3, endpoints: [{ host: "1.1.1.1", port: 80 }] },
          { name: "d/backend/1", weight: 1, endpoints: [] },
        ],
      },
    });
    expect(out.route.weightedClusters.clusters).toEqual([
      { name: "invalid-backend-cluster", weight: 1 },
      { name: "d/backend/0", weight: 3 },
    ]);
    // SERVICE_UNAVAILABLE is the enum's zero value, so proto3 JSON leaves it out.
    expect(out.route.clusterNotFoundResponseCode).toBeUndefined();
    const allValid = json({
      ...base,
      destination: { name: "d", settings: [{ name: "d/backend/0", weight: 1, endpoints: [{ host: "1.1.1.1", port: 80 }] }], backendClusterRefs: [] },
    });
    expect(allValid.route.cluster).toBe("d");
  });

  it("answers directly with the configured status and body", () => {
    const out = json({ ...base, directResponse: { statusCode: 503, body: new TextEncoder().encode("down") } });
    expect(out.directResponse).toEqual({ status: 503, bodyFormat: { textFormatSource: { inlineBytes: Buffer.from("down").toString("base64") } } });
    expect(out.route).toBeUndefined();
  });

  it("matches cookies", () => {
    const out = json({ ...base, cookieMatches: [{ name: "session", exact: "abc", distinct: false, invert: true }] });
    expect(out.match.cookies).toEqual([{ name: "session", stringMatch: { exact: "abc" }, invertMatch: true }]);
  });
});
