import { describe, expect, it } from "vitest";
import type * as ir from "@egts/ir";
import { IRRouteLookup } from "./TargetedPolicies.js";

const route = (name: string): ir.HTTPRoute => ({ name }) as ir.HTTPRoute;

describe("IRRouteLookup", () => {
  it("finds a route's IR routes by prefix without matching routes whose name only starts the same", () => {
    const listener = {
      routes: [route("httproute/ns/a/rule/0/match/0/x"), route("httproute/ns/ab/rule/0/match/0/x"), route("httproute/ns/a/rule/1/match/0/x")],
    };
    const lookup = new IRRouteLookup();
    expect(lookup.routes(listener, "httproute/ns/a/").map((r) => r.name)).toEqual(["httproute/ns/a/rule/0/match/0/x", "httproute/ns/a/rule/1/match/0/x"]);
    expect(lookup.routes(listener, "grpcroute/ns/a/")).toEqual([]);
  });

  it("re-indexes a listener whose route list was replaced", () => {
    const lookup = new IRRouteLookup();
    const listener: { routes: ir.HTTPRoute[] } = { routes: [route("httproute/ns/a/rule/0/match/0/x")] };
    expect(lookup.routes(listener, "httproute/ns/b/")).toHaveLength(0);
    listener.routes = [route("httproute/ns/b/rule/0/match/0/x")];
    expect(lookup.routes(listener, "httproute/ns/b/")).toHaveLength(1);
  });
});
