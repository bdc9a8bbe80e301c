import { describe, expect, it } from "vitest";
import { toProtoJson } from "@egts/envoy-api";
import { Route } from "@egts/envoy-api/generated/envoy/config/route/v3/route_components";
import { DynamicModuleFilter } from "@egts/envoy-api/generated/envoy/extensions/filters/http/dynamic_modules/v3/dynamic_modules";
import { HttpConnectionManager } from "@egts/envoy-api/generated/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager";
import type { DynamicModule, HTTPListener, HTTPRoute } from "@egts/ir";
import { newContext } from "../Context.js";
import { buildDynamicModuleConfig, dynamicModuleFilter } from "./DynamicModule.js";

const local: DynamicModule = {
  name: "eep/ns/p/dynamicmodule/0",
  path: "/lib/libf.so",
  filterName: "f",
  config: { k: "v" },
  doNotClose: true,
  loadGlobally: false,
  terminalFilter: false,
};
const remote: DynamicModule = {
  name: "eep/ns/p/dynamicmodule/1",
  remote: { url: "https://modules.example.com/libg.so", sha256: "beef" },
  doNotClose: false,
  loadGlobally: true,
  terminalFilter: true,
};
const route = (dynamicModules: DynamicModule[], name = "r"): HTTPRoute => ({ name, hostname: "*", isHTTP2: false, envoyExtensions: { dynamicModules } });
const listener = (routes: HTTPRoute[]): HTTPListener => ({
  name: "l",
  address: "::",
  port: 80,
  path: { mergeSlashes: false, escapedSlashesAction: "KeepUnchanged" },
  routes,
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = (dm: DynamicModule): any => toProtoJson(DynamicModuleFilter, buildDynamicModuleConfig(dm));

describe("dynamic modules", () => {
  it("loads a local module from its path and passes the config as a JSON string", () => {
    expect(json(local)).toEqual({
      dynamicModuleConfig: { doNotClose: true, module: { local: { filename: "/lib/libf.so" } } },
      filterName: "f",
      filterConfig: { "@type": "type.googleapis.com/google.protobuf.StringValue", value: '{"k":"v"}' },
    });
  });

  it("fetches a remote module through the URL's cluster and adds that cluster", () => {
    expect(json(remote).dynamicModuleConfig.module).toEqual({
      remote: { httpUri: { uri: "https://modules.example.com/libg.so", cluster: "modules_example_com_443", timeout: "10s" }, sha256: "beef" },
    });
    const ctx = newContext({}, {});
    dynamicModuleFilter.patchResources?.([route([local, remote])], ctx);
    expect(ctx.table.clusters.map((c) => c.name)).toEqual(["modules_example_com_443"]);
  });

  it("adds disabled filters once per module and enables them per route", () => {
    const hcm = HttpConnectionManager.fromPartial({});
    const ctx = newContext({}, {});
    dynamicModuleFilter.patchHcm?.(hcm, listener([route([local, remote], "a"), route([local], "b")]), ctx);
    expect(hcm.httpFilters.map((f) => [f.name, f.disabled])).toEqual([
      ["envoy.filters.http.dynamic_modules/eep/ns/p/dynamicmodule/0", true],
      ["envoy.filters.http.dynamic_modules/eep/ns/p/dynamicmodule/1", true],
    ]);
    const r = Route.fromPartial({ name: "a" });
    dynamicModuleFilter.patchRoute?.(r, route([remote]), listener([]), ctx);
    expect(Object.keys(r.typedPerFilterConfig)).toEqual(["envoy.filters.http.dynamic_modules/eep/ns/p/dynamicmodule/1"]);
  });
});
