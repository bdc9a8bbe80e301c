import type * as ir from "@egts/ir";
import { describe, expect, it } from "vitest";
import { buildIRGraph, replaceEndpoints } from "./EndpointsPath.js";

const route = (name: string, host: string) => ({
  name,
  hostname: `${name}.example.com`,
  headerMatches: [{ name: "x-route", exact: name }],
  destination: { name: `${name}-dest`, settings: [{ name: `${name}/0`, weight: 1, endpoints: [{ host, port: 8080 }] }] },
});

const xdsOf = (): ir.Xds =>
  ({
    http: [
      { name: "gw/http", address: "0.0.0.0", port: 8080, hostnames: ["*"], routes: [route("a", "10.0.0.1"), route("b", "10.0.0.2"), route("c", "10.0.0.3")] },
    ],
  }) as unknown as ir.Xds;

const endpointsOf = (xds: ir.Xds, i: number): object => {
  const endpoints = xds.http?.[0]?.routes?.[i]?.destination?.settings?.[0]?.endpoints;
  if (endpoints === undefined) throw new Error(`no endpoints at route ${i}`);
  return endpoints;
};

describe("buildIRGraph with kept objects", () => {
  it("keeps only the kept objects and their ancestors, and replaces endpoints as the whole graph does", () => {
    const xds = xdsOf();
    const map = new Map([["gw", xds]]);
    const kept = [endpointsOf(xds, 0), endpointsOf(xds, 2)];
    const whole = buildIRGraph(map);
    const pruned = buildIRGraph(map, kept);
    // Endpoint arrays, settings arrays, settings, destinations, routes, the routes array, the listener, the http list.
    expect(pruned.firstParent.size).toBe(2 * 5 + 3);
    expect(pruned.firstParent.size).toBeLessThan(whole.firstParent.size);
    const fresh = [{ host: "10.9.9.9", port: 8080 }];
    const byWhole = replaceEndpoints(map, whole, new Map([[kept[1]!, fresh]]));
    const byPruned = replaceEndpoints(map, pruned, new Map([[kept[1]!, fresh]]));
    expect(byPruned).toEqual(byWhole);
    const next = byPruned!.get("gw")!;
    expect(endpointsOf(next, 2)).toBe(fresh);
    expect(next.http?.[0]?.routes?.[1]).toBe(xds.http?.[0]?.routes?.[1]);
    // The pruned graph follows the edit: the next replacement of that array works from it.
    const again = [{ host: "10.9.9.8", port: 8080 }];
    expect(endpointsOf(replaceEndpoints(byPruned!, pruned, new Map([[fresh, again]]))!.get("gw")!, 2)).toBe(again);
    // An array the graph does not keep cannot be replaced.
    expect(replaceEndpoints(byPruned!, pruned, new Map([[endpointsOf(next, 1), fresh]]))).toBeUndefined();
  });
});
