import { describe, expect, it } from "vitest";
import type { HttpFilter } from "@egts/envoy-api/generated/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager";
import { sortHttpFilters } from "./HttpFilter.js";

const f = (name: string): HttpFilter => ({ name, isOptional: false, disabled: false });
const names = (list: HttpFilter[]) => list.map((x) => x.name);

describe("sortHttpFilters", () => {
  it("orders filters as upstream does, indexed families by their index, router last", () => {
    const sorted = sortHttpFilters([
      f("envoy.filters.http.router"),
      f("envoy.filters.http.ext_proc/envoy-gateway/p/2"),
      f("envoy.filters.http.cors"),
      f("envoy.filters.http.ext_proc/envoy-gateway/p/0"),
      f("envoy.filters.http.jwt_authn"),
    ]);
    expect(names(sorted)).toEqual([
      "envoy.filters.http.cors",
      "envoy.filters.http.jwt_authn",
      "envoy.filters.http.ext_proc/envoy-gateway/p/0",
      "envoy.filters.http.ext_proc/envoy-gateway/p/2",
      "envoy.filters.http.router",
    ]);
  });

  it("applies filterOrder: before the first and after the last filter of a type", () => {
    const filters = [f("envoy.filters.http.cors"), f("envoy.filters.http.jwt_authn"), f("envoy.filters.http.local_ratelimit"), f("envoy.filters.http.router")];
    expect(names(sortHttpFilters(filters, [{ name: "envoy.filters.http.local_ratelimit", before: "envoy.filters.http.cors" }]))).toEqual([
      "envoy.filters.http.local_ratelimit",
      "envoy.filters.http.cors",
      "envoy.filters.http.jwt_authn",
      "envoy.filters.http.router",
    ]);
    expect(names(sortHttpFilters(filters, [{ name: "envoy.filters.http.cors", after: "envoy.filters.http.jwt_authn" }]))).toEqual([
      "envoy.filters.http.jwt_authn",
      "envoy.filters.http.cors",
      "envoy.filters.http.local_ratelimit",
      "envoy.filters.http.router",
    ]);
  });
});
