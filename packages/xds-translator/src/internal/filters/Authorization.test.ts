import { describe, expect, it } from "vitest";
import { toProtoJson } from "@egts/envoy-api";
import { Route } from "@egts/envoy-api/generated/envoy/config/route/v3/route_components";
import { HttpConnectionManager } from "@egts/envoy-api/generated/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager";
import type { Authorization, HTTPListener, HTTPRoute } from "@egts/ir";
import { newContext } from "../Context.js";
import { authorizationFilter, maskedCidrAddress } from "./Authorization.js";

const route = (authorization?: Authorization): HTTPRoute => ({
  name: "r",
  hostname: "*",
  isHTTP2: false,
  ...(authorization !== undefined ? { security: { authorization } } : {}),
});
const listener = (routes: HTTPRoute[]): HTTPListener => ({
  name: "l",
  address: "::",
  port: 80,
  path: { mergeSlashes: false, escapedSlashesAction: "KeepUnchanged" },
  routes,
});
const ctx = newContext({}, {});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function perRoute(authorization: Authorization): any {
  const r = Route.fromPartial({ name: "r" });
  const ir = route(authorization);
  authorizationFilter.patchRoute?.(r, ir, listener([ir]), ctx);
  return (toProtoJson(Route, r) as { typedPerFilterConfig: Record<string, unknown> }).typedPerFilterConfig["envoy.filters.http.rbac"];
}

describe("authorization (RBAC)", () => {
  it("adds one empty rbac filter per HCM, only when a route has authorization", () => {
    const hcm = HttpConnectionManager.fromPartial({});
    authorizationFilter.patchHcm?.(hcm, listener([route()]), ctx);
    expect(hcm.httpFilters).toHaveLength(0);
    const l = listener([route({ defaultAction: "Deny" })]);
    authorizationFilter.patchHcm?.(hcm, l, ctx);
    authorizationFilter.patchHcm?.(hcm, l, ctx);
    expect(hcm.httpFilters.map((f) => f.name)).toEqual(["envoy.filters.http.rbac"]);
    expect(hcm.httpFilters[0]?.configType?.value).toMatchObject({ typeUrl: "type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC" });
  });

  it("without rules, applies only the default action", () => {
    expect(perRoute({ defaultAction: "Allow" }).rbac).toEqual({
      matcher: {
        onNoMatch: {
          action: { name: "default", typedConfig: { "@type": "type.googleapis.com/envoy.config.rbac.v3.Action", name: "ALLOW" } },
        },
      },
    });
  });

  it("ANDs a rule's methods (ORed, case-insensitive), exact path, CIDRs and headers", () => {
    const cfg = perRoute({
      defaultAction: "Deny",
      rules: [
        {
          name: "r0",
          action: "Allow",
          operation: { methods: ["GET", "POST"], path: { type: "Exact", value: "/a.b" } },
          principal: {
            clientCIDRs: [{ cidr: "10.0.1.7/24", maskLen: 24, isIPv6: false, distinct: false, invert: false }],
            headers: [{ name: "x-team", values: ["blue"] }],
          },
        },
      ],
    });
    const [m] = cfg.rbac.matcher.matcherList.matchers;
    expect(m.onMatch.action).toEqual({ name: "r0", typedConfig: { "@type": "type.googleapis.com/envoy.config.rbac.v3.Action", name: "ALLOW" } });
    const [methods, path, ip, header] = m.predicate.andMatcher.predicate;
    expect(methods.orMatcher.predicate.map((p: { singlePredicate: { valueMatch: unknown } }) => p.singlePredicate.valueMatch)).toEqual([
      { exact: "GET", ignoreCase: true },
      { exact: "POST", ignoreCase: true },
    ]);
    expect(path.singlePredicate.valueMatch).toEqual({ safeRegex: { googleRe2: {}, regex: "^/a\\.b(\\?.*|#.*|;.*|$)" } });
    expect(ip.singlePredicate.customMatch.typedConfig).toEqual({
      "@type": "type.googleapis.com/envoy.extensions.matching.input_matchers.ip.v3.Ip",
      cidrRanges: [{ addressPrefix: "10.0.1.0", prefixLen: 24 }],
      statPrefix: "client_ip",
    });
    expect(header.singlePredicate).toEqual({
      input: { name: "http_header", typedConfig: { "@type": "type.googleapis.com/envoy.type.matcher.v3.HttpRequestHeaderMatchInput", headerName: "x-team" } },
      valueMatch: { exact: "blue" },
    });
    expect(cfg.rbac.matcher.onNoMatch.action.typedConfig.action).toBe("DENY");
  });

  it("matches JWT scopes in scope or scp, and claim values (StringArray as list membership)", () => {
    const cfg = perRoute({
      defaultAction: "Deny",
      rules: [
        {
          name: "jwt",
          action: "Allow",
          principal: { jwt: { provider: "p1", scopes: ["read"], claims: [{ name: "org.team", valueType: "StringArray", values: ["a"] }] } },
        },
      ],
    });
    const [scope, claim] = cfg.rbac.matcher.matcherList.matchers[0].predicate.andMatcher.predicate;
    const [inScope, inScp] = scope.orMatcher.predicate;
    expect(inScope.singlePredicate.input.typedConfig.path).toEqual([{ key: "p1" }, { key: "scope" }]);
    expect(inScp.singlePredicate.input.typedConfig.path).toEqual([{ key: "p1" }, { key: "scp" }]);
    expect(inScope.singlePredicate.customMatch.typedConfig.value).toEqual({ listMatch: { oneOf: { stringMatch: { exact: "read" } } } });
    expect(claim.singlePredicate.input.typedConfig.path).toEqual([{ key: "p1" }, { key: "org" }, { key: "team" }]);
    expect(claim.singlePredicate.customMatch.typedConfig.value).toEqual({ listMatch: { oneOf: { stringMatch: { exact: "a" } } } });
  });

  it("inverts a prefix path match and keeps '/' as a plain prefix", () => {
    const rule = (value: string, invert: boolean) =>
      perRoute({ defaultAction: "Allow", rules: [{ name: "x", action: "Deny", operation: { path: { value, invert } }, principal: {} }] }).rbac.matcher
        .matcherList.matchers[0].predicate;
    expect(rule("/", false).singlePredicate.valueMatch).toEqual({ prefix: "/" });
    expect(rule("/admin/", true).notMatcher.singlePredicate.valueMatch).toEqual({
      safeRegex: { googleRe2: {}, regex: "^/admin(/.*|\\?.*|#.*|;.*|$)" },
    });
  });

  it("hands CEL rules to Envoy pre-parsed, and reports expressions that do not parse", () => {
    const cel = perRoute({ defaultAction: "Deny", rules: [{ name: "c", action: "Allow", principal: {}, cel: "request.method == 'GET'" }] }).rbac.matcher
      .matcherList.matchers[0].predicate.singlePredicate;
    expect(cel.input.typedConfig["@type"]).toBe("type.googleapis.com/xds.type.matcher.v3.HttpAttributesCelMatchInput");
    expect(cel.customMatch.name).toBe("cel_matcher");
    expect(cel.customMatch.typedConfig.exprMatch.celExprParsed.expr.callExpr.function).toBe("_==_");
    expect(() => perRoute({ defaultAction: "Deny", rules: [{ name: "c", action: "Allow", principal: {}, cel: "request.method ==" }] })).toThrow(
      /failed to parse CEL expression "request.method =="/,
    );
  });

  it("masks CIDR addresses as Go's netip does", () => {
    expect(maskedCidrAddress("192.168.1.77/16")).toBe("192.168.0.0");
    expect(maskedCidrAddress("0.0.0.0/0")).toBe("0.0.0.0");
    expect(maskedCidrAddress("2001:db8:1:2::5/48")).toBe("2001:db8:1::");
    expect(maskedCidrAddress("bad/8")).toBe("");
  });
});
