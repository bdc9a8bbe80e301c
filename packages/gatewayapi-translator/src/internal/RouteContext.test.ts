import { describe, expect, it } from "vitest";
import { computeHosts } from "./RouteContext.js";
import type { GatewayContext, ListenerContext } from "./Model.js";

function listeners(hostnames: Array<string | undefined>): ListenerContext[] {
  const g = { listeners: [] as ListenerContext[] } as unknown as GatewayContext;
  for (const [i, hostname] of hostnames.entries()) {
    const listener = { name: `l${i}`, port: 80, protocol: "HTTP", ...(hostname === undefined ? {} : { hostname }) };
    g.listeners.push({ listener, gateway: g } as unknown as ListenerContext);
  }
  return g.listeners;
}

describe("computeHosts", () => {
  it("uses the listener hostname, or *, when the route has none", () => {
    const [withHost, withoutHost] = [listeners(["foo.com"])[0]!, listeners([undefined])[0]!];
    expect(computeHosts([], withHost)).toEqual(["foo.com"]);
    expect(computeHosts([], withoutHost)).toEqual(["*"]);
  });

  it("narrows a wildcard listener to matching route hostnames", () => {
    const l = listeners(["*.example.com"])[0]!;
    expect(computeHosts(["a.example.com", "example.com", "x.a.example.com", "other.org"], l)).toEqual(["a.example.com", "x.a.example.com"]);
  });

  it("keeps the more specific of two wildcards", () => {
    const l = listeners(["*.example.com"])[0]!;
    expect(computeHosts(["*.a.example.com"], l)).toEqual(["*.a.example.com"]);
    const broad = listeners(["*.a.example.com"])[0]!;
    expect(computeHosts(["*.example.com"], broad)).toEqual(["*.a.example.com"]);
  });

  it("leaves hostnames owned by another listener on the same port to that listener", () => {
    const [wildcard] = listeners(["*.example.com", "a.example.com"]);
    expect(computeHosts(["a.example.com", "b.example.com"], wildcard!)).toEqual(["b.example.com"]);
  });
});
