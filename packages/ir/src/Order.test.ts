import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { HTTPRoute } from "@egts/ir";
import { decodeXds, decodeXdsIRMap, entriesToMap, httpRouteLess, mapToEntries, sortHTTPRoutes, sortXdsRoutes } from "@egts/ir";

const r = (name: string, extra: Omit<HTTPRoute, "name" | "hostname" | "isHTTP2"> = {}): HTTPRoute => ({
  name,
  hostname: "*",
  isHTTP2: false,
  ...extra,
});

describe("route precedence", () => {
  it("puts exact before regex before prefix, longer paths first, more matches first", () => {
    const routes = [
      r("catch-all"),
      r("prefix-root", { pathMatch: { name: "", distinct: false, prefix: "/" } }),
      r("prefix-long", { pathMatch: { name: "", distinct: false, prefix: "/api/v1" } }),
      r("prefix-short", { pathMatch: { name: "", distinct: false, prefix: "/api" } }),
      r("regex", { pathMatch: { name: "", distinct: false, safeRegex: "/a.*" } }),
      r("exact", { pathMatch: { name: "", distinct: false, exact: "/x" } }),
      r("prefix-short-header", {
        pathMatch: { name: "", distinct: false, prefix: "/api" },
        headerMatches: [{ name: "h", distinct: false, exact: "v" }],
      }),
    ];
    expect(sortHTTPRoutes(routes).map((x) => x.name)).toEqual([
      "exact",
      "regex",
      "prefix-long",
      "prefix-short-header",
      "prefix-short",
      "catch-all",
      "prefix-root",
    ]);
    expect(httpRouteLess(routes[3] as HTTPRoute, routes[2] as HTTPRoute)).toBe(true);
  });

  it("keeps listeners that preserve route order, and returns the same IR when nothing moves", () => {
    const ir = decodeXds({
      http: [
        {
          name: "a",
          address: "::",
          port: 1,
          preserveRouteOrder: true,
          routes: [
            { name: "1", hostname: "*" },
            { name: "2", hostname: "*", pathMatch: { exact: "/" } },
          ],
        },
        {
          name: "b",
          address: "::",
          port: 2,
          routes: [
            { name: "1", hostname: "*" },
            { name: "2", hostname: "*", pathMatch: { exact: "/" } },
          ],
        },
      ],
    });
    const sorted = sortXdsRoutes(ir);
    expect(sorted.http?.[0]).toBe(ir.http?.[0]);
    expect(sorted.http?.[1]?.routes?.map((x) => x.name)).toEqual(["2", "1"]);
    expect(sortXdsRoutes(sorted)).toBe(sorted);
  });

  const reference = path.resolve(import.meta.dirname, "../../../../shared/reference");
  it.skipIf(!existsSync(reference))("leaves upstream's translated route order unchanged", () => {
    let listeners = 0;
    for (const name of readdirSync(path.join(reference, "gatewayapi"))) {
      const expected = JSON.parse(readFileSync(path.join(reference, "gatewayapi", name, "expected.json"), "utf8")) as { xdsIR?: unknown };
      if (expected.xdsIR === undefined) continue;
      for (const ir of decodeXdsIRMap(expected.xdsIR).values()) {
        for (const l of ir.http ?? []) {
          if (l.preserveRouteOrder === true || (l.routes?.length ?? 0) < 2) continue;
          listeners++;
          expect(
            sortHTTPRoutes(l.routes ?? []).map((x) => x.name),
            `${name} ${l.name}`,
          ).toEqual(l.routes?.map((x) => x.name));
          // Reversing the input must still give a valid precedence order.
          const resorted = sortHTTPRoutes([...(l.routes ?? [])].reverse());
          for (let i = 1; i < resorted.length; i++) {
            expect(httpRouteLess(resorted[i - 1] as HTTPRoute, resorted[i] as HTTPRoute)).toBe(false);
          }
        }
      }
    }
    expect(listeners).toBeGreaterThan(50);
  });
});

describe("map entries", () => {
  it("sorts keys like upstream's MapToSlice and maps back", () => {
    expect(mapToEntries({ b: "2", a: "1" })).toEqual([
      { key: "a", value: "1" },
      { key: "b", value: "2" },
    ]);
    expect(mapToEntries({})).toBeUndefined();
    expect(entriesToMap([{ key: "a", value: "1" }])).toEqual({ a: "1" });
    expect(entriesToMap([])).toBeUndefined();
  });
});
