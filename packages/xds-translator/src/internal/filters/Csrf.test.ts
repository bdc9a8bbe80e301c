import { describe, expect, it } from "vitest";
import { toProtoJson } from "@egts/envoy-api";
import { Route } from "@egts/envoy-api/generated/envoy/config/route/v3/route_components";
import { CsrfPolicy } from "@egts/envoy-api/generated/envoy/extensions/filters/http/csrf/v3/csrf";
import { HttpConnectionManager } from "@egts/envoy-api/generated/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager";
import type { CSRF, HTTPListener, HTTPRoute } from "@egts/ir";
import { newContext } from "../Context.js";
import { buildCsrfPolicy, csrfFilter } from "./Csrf.js";

const route = (csrf: CSRF | undefined): HTTPRoute => ({ name: "r", hostname: "*", isHTTP2: false, ...(csrf ? { security: { csrf } } : {}) });
const listener = (routes: HTTPRoute[]): HTTPListener => ({
  name: "l",
  address: "::",
  port: 80,
  path: { mergeSlashes: false, escapedSlashesAction: "KeepUnchanged" },
  routes,
});
const ctx = newContext({}, {});
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = (c: CSRF): any => toProtoJson(CsrfPolicy, buildCsrfPolicy(c));

describe("csrf", () => {
  it("enforces every request without a shadow fraction, with extra trusted origins", () => {
    expect(json({ additionalOrigins: [{ name: "", suffix: ".example.com", distinct: false }] })).toEqual({
      filterEnabled: { defaultValue: { numerator: 100 } },
      additionalOrigins: [{ suffix: ".example.com" }],
    });
  });

  it("enforces the complement of the shadow fraction and shadow-checks the rest", () => {
    expect(json({ shadowFraction: { numerator: 40 } })).toEqual({
      filterEnabled: { defaultValue: { numerator: 60 } },
      shadowEnabled: { defaultValue: { numerator: 100 } },
    });
    expect(json({ shadowFraction: { numerator: 1, denominator: 1000 } }).filterEnabled).toEqual({
      defaultValue: { numerator: 9990, denominator: "TEN_THOUSAND" },
    });
  });

  it("adds the filter at 0% once and sets each route's policy", () => {
    const hcm = HttpConnectionManager.fromPartial({});
    csrfFilter.patchHcm?.(hcm, listener([route(undefined)]), ctx);
    expect(hcm.httpFilters).toEqual([]);
    csrfFilter.patchHcm?.(hcm, listener([route({})]), ctx);
    csrfFilter.patchHcm?.(hcm, listener([route({})]), ctx);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    expect((toProtoJson(HttpConnectionManager, hcm) as any).httpFilters).toEqual([
      {
        name: "envoy.filters.http.csrf",
        typedConfig: { "@type": "type.googleapis.com/envoy.extensions.filters.http.csrf.v3.CsrfPolicy", filterEnabled: { defaultValue: {} } },
      },
    ]);
    const r = Route.fromPartial({ name: "r" });
    csrfFilter.patchRoute?.(r, route({}), listener([]), ctx);
    expect(Object.keys(r.typedPerFilterConfig)).toEqual(["envoy.filters.http.csrf"]);
  });
});
