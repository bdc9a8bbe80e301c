import { describe, expect, it } from "vitest";
import { toProtoJson } from "@egts/envoy-api";
import { Route } from "@egts/envoy-api/generated/envoy/config/route/v3/route_components";
import { CustomResponse } from "@egts/envoy-api/generated/envoy/extensions/filters/http/custom_response/v3/custom_response";
import { HttpConnectionManager } from "@egts/envoy-api/generated/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager";
import type { HTTPListener, HTTPRoute, ResponseOverride } from "@egts/ir";
import { newContext } from "../Context.js";
import { buildCustomResponseConfig, customResponseFilter } from "./CustomResponse.js";

const ro: ResponseOverride = {
  name: "backendtrafficpolicy/ns/p",
  rules: [
    {
      name: "rule/0",
      match: { statusCodes: [{ value: 404 }] },
      response: { contentType: "text/plain", body: new TextEncoder().encode("gone"), statusCode: 410 },
      source: "Local",
    },
    {
      name: "rule/1",
      match: { statusCodes: [{ range: { start: 500, end: 503 } }], responseHeaders: [{ name: "x-err", prefix: "db", distinct: false }] },
      redirect: { scheme: "https", hostname: "err.example.com", statusCode: 302 },
    },
  ],
};
const route = (o: ResponseOverride | undefined, name = "r"): HTTPRoute => ({
  name,
  hostname: "*",
  isHTTP2: false,
  ...(o ? { traffic: { responseOverride: o } } : {}),
});
const listener = (routes: HTTPRoute[]): HTTPListener => ({
  name: "l",
  address: "::",
  port: 80,
  path: { mergeSlashes: false, escapedSlashesAction: "KeepUnchanged" },
  routes,
});
const ctx = newContext({}, {});

describe("custom response", () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const cfg: any = toProtoJson(CustomResponse, buildCustomResponseConfig(ro));
  const [local, redirect] = cfg.customResponseMatcher.matcherList.matchers;

  it("answers a matched status with a local response, only for local replies when the source is Local", () => {
    expect(local.onMatch.action).toEqual({
      name: "rule/0",
      typedConfig: {
        "@type": "type.googleapis.com/envoy.extensions.http.custom_response.local_response_policy.v3.LocalResponsePolicy",
        bodyFormat: { textFormat: "gone" },
        statusCode: 410,
        responseHeadersToAdd: [{ header: { key: "Content-Type", value: "text/plain" }, appendAction: "OVERWRITE_IF_EXISTS_OR_ADD" }],
      },
    });
    const [status, origin] = local.predicate.andMatcher.predicate;
    expect(status.singlePredicate.valueMatch).toEqual({ exact: "404" });
    expect(origin.singlePredicate.input.name).toBe("http-response-local-reply-match-input");
    expect(origin.singlePredicate.valueMatch).toEqual({ exact: "true" });
  });

  it("matches a status range with a pre-parsed CEL expression and ANDs the header match", () => {
    const [range, header] = redirect.predicate.andMatcher.predicate;
    const expr = range.singlePredicate.customMatch.typedConfig.exprMatch.celExprParsed.expr;
    expect(expr.id).toBe("9");
    expect(expr.callExpr.function).toBe("_&&_");
    expect(
      expr.callExpr.args.map((a: { callExpr: { function: string; args: { constExpr?: { int64Value: string } }[] } }) => [
        a.callExpr.function,
        a.callExpr.args[1]?.constExpr?.int64Value,
      ]),
    ).toEqual([
      ["_>=_", "500"],
      ["_<=_", "503"],
    ]);
    expect(header.singlePredicate.valueMatch).toEqual({ prefix: "db" });
    expect(redirect.onMatch.action.typedConfig).toEqual({
      "@type": "type.googleapis.com/envoy.extensions.http.custom_response.redirect_policy.v3.RedirectPolicy",
      redirectAction: { schemeRedirect: "https", hostRedirect: "err.example.com" },
      statusCode: 302,
    });
  });

  it("adds a disabled filter per policy and enables it on the policy's routes", () => {
    const hcm = HttpConnectionManager.fromPartial({});
    customResponseFilter.patchHcm?.(hcm, listener([route(ro, "a"), route(ro, "b"), route(undefined, "c")]), ctx);
    expect(hcm.httpFilters.map((f) => [f.name, f.disabled])).toEqual([["envoy.filters.http.custom_response/backendtrafficpolicy/ns/p", true]]);
    const r = Route.fromPartial({ name: "a" });
    customResponseFilter.patchRoute?.(r, route(ro), listener([]), ctx);
    expect(Object.keys(r.typedPerFilterConfig)).toEqual(["envoy.filters.http.custom_response/backendtrafficpolicy/ns/p"]);
  });

  it("rejects a rule without match criteria", () => {
    expect(() => buildCustomResponseConfig({ name: "p", rules: [{ name: "x", match: {}, response: {} }] })).toThrow(
      "response override p rule x: missing match criteria",
    );
  });
});
