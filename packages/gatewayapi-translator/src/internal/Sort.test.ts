import { describe, expect, it } from "vitest";
import type * as ir from "@egts/ir";
import { sortHTTPRoutes } from "./Sort.js";

const route = (name: string, fields: Partial<ir.HTTPRoute> = {}): ir.HTTPRoute => ({ name, hostname: "*", isHTTP2: false, ...fields });
const m = (fields: Partial<ir.StringMatch>): ir.StringMatch => ({ name: "", distinct: false, ...fields });

describe("sortHTTPRoutes", () => {
  it("puts exact before regex before prefix, longer paths first, and more header matches first", () => {
    const routes = [
      route("prefix-root", { pathMatch: m({ prefix: "/" }) }),
      route("prefix-long", { pathMatch: m({ prefix: "/foo/bar" }) }),
      route("regex", { pathMatch: m({ safeRegex: "/x" }) }),
      route("exact", { pathMatch: m({ exact: "/a" }) }),
      route("prefix-root-header", { pathMatch: m({ prefix: "/" }), headerMatches: [m({ name: "x", exact: "1" })] }),
    ];
    expect(sortHTTPRoutes(routes).map((r) => r.name)).toEqual(["exact", "regex", "prefix-long", "prefix-root-header", "prefix-root"]);
  });

  it("keeps the input order of equally specific routes", () => {
    const routes = [route("a", { pathMatch: m({ prefix: "/x" }) }), route("b", { pathMatch: m({ prefix: "/y" }) })];
    expect(sortHTTPRoutes(routes).map((r) => r.name)).toEqual(["a", "b"]);
  });
});
