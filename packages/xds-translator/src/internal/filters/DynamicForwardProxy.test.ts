import { describe, expect, it } from "vitest";
import { toProtoJson } from "@egts/envoy-api";
import { Route } from "@egts/envoy-api/generated/envoy/config/route/v3/route_components";
import { HttpConnectionManager } from "@egts/envoy-api/generated/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager";
import type { HTTPListener, HTTPRoute, URLRewrite } from "@egts/ir";
import { newContext } from "../Context.js";
import { DFP_LOOPBACK_RBAC_FILTER, dynamicForwardProxyFilter } from "./DynamicForwardProxy.js";

const dfpRoute = (urlRewrite?: URLRewrite): HTTPRoute => ({
  name: "dfp",
  hostname: "*",
  isHTTP2: false,
  destination: { name: "d", settings: [{ name: "d/backend/0", weight: 1, isDynamicResolver: true }] },
  ...(urlRewrite !== undefined ? { urlRewrite } : {}),
});
const plain: HTTPRoute = {
  name: "plain",
  hostname: "*",
  isHTTP2: false,
  destination: { name: "p", settings: [{ name: "p/backend/0", weight: 1, endpoints: [{ host: "1.1.1.1", port: 80 }] }] },
};
const listener = (routes: HTTPRoute[]): HTTPListener => ({
  name: "l",
  address: "::",
  port: 80,
  path: { mergeSlashes: false, escapedSlashesAction: "KeepUnchanged" },
  routes,
});
const ctx = newContext({}, {});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function perRoute(r: HTTPRoute): any {
  const route = Route.fromPartial({ name: r.name });
  dynamicForwardProxyFilter.patchRoute?.(route, r, listener([r]), ctx);
  return (toProtoJson(Route, route) as { typedPerFilterConfig?: Record<string, unknown> }).typedPerFilterConfig?.[DFP_LOOPBACK_RBAC_FILTER];
}

describe("dynamic forward proxy loopback protection", () => {
  it("adds the RBAC filter once, only for listeners with dynamic resolver routes", () => {
    const hcm = HttpConnectionManager.fromPartial({});
    dynamicForwardProxyFilter.patchHcm?.(hcm, listener([plain]), ctx);
    expect(hcm.httpFilters).toEqual([]);
    dynamicForwardProxyFilter.patchHcm?.(hcm, listener([plain, dfpRoute()]), ctx);
    dynamicForwardProxyFilter.patchHcm?.(hcm, listener([dfpRoute()]), ctx);
    expect(hcm.httpFilters.map((f) => f.name)).toEqual([DFP_LOOPBACK_RBAC_FILTER]);
  });

  it("denies loopback hosts in :authority, or in the header the host comes from", () => {
    const cfg = perRoute(dfpRoute());
    const [m] = cfg.rbac.matcher.matcherList.matchers;
    expect(m.onMatch.action.name).toBe("deny-loopback-host");
    expect(m.onMatch.action.typedConfig.action).toBe("DENY");
    const preds = m.predicate.orMatcher.predicate;
    expect(preds).toHaveLength(7);
    expect(preds[0].singlePredicate.input.typedConfig.headerName).toBe(":authority");
    expect(preds[0].singlePredicate.valueMatch.safeRegex.regex).toBe("^127\\.0\\.0\\.1(?::\\d+)?$");
    expect(cfg.rbac.matcher.onNoMatch.action).toEqual({
      name: "default",
      typedConfig: { "@type": "type.googleapis.com/envoy.config.rbac.v3.Action", name: "ALLOW" },
    });
    expect(
      perRoute(dfpRoute({ host: { header: "x-target" } })).rbac.matcher.matcherList.matchers[0].predicate.orMatcher.predicate[0].singlePredicate.input
        .typedConfig.headerName,
    ).toBe("x-target");
  });

  it("skips routes whose host is rewritten to a fixed name, and ordinary routes", () => {
    expect(perRoute(dfpRoute({ host: { name: "backend.example.com" } }))).toBeUndefined();
    expect(perRoute(plain)).toBeUndefined();
  });
});
