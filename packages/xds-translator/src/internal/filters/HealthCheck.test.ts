import { describe, expect, it } from "vitest";
import { toProtoJson } from "@egts/envoy-api";
import { HttpConnectionManager } from "@egts/envoy-api/generated/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager";
import type { HTTPListener } from "@egts/ir";
import { newContext } from "../Context.js";
import { healthCheckFilter } from "./HealthCheck.js";

const listener = (extra: Partial<HTTPListener>): HTTPListener => ({
  name: "l",
  address: "::",
  port: 80,
  path: { mergeSlashes: false, escapedSlashesAction: "KeepUnchanged" },
  ...extra,
});

describe("health check", () => {
  it("answers the listener's health check path itself, once per HCM", () => {
    const hcm = HttpConnectionManager.fromPartial({});
    healthCheckFilter.patchHcm?.(hcm, listener({}), newContext({}, {}));
    expect(hcm.httpFilters).toEqual([]);
    healthCheckFilter.patchHcm?.(hcm, listener({ healthCheck: { path: "/healthz" } }), newContext({}, {}));
    healthCheckFilter.patchHcm?.(hcm, listener({ healthCheck: { path: "/other" } }), newContext({}, {}));
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    expect((toProtoJson(HttpConnectionManager, hcm) as any).httpFilters).toEqual([
      {
        name: "envoy.filters.http.health_check",
        typedConfig: {
          "@type": "type.googleapis.com/envoy.extensions.filters.http.health_check.v3.HealthCheck",
          passThroughMode: false,
          headers: [{ name: ":path", stringMatch: { exact: "/healthz" } }],
        },
      },
    ]);
  });
});
