import { describe, expect, it } from "vitest";
import type { HTTPListener, TLSConfig } from "@egts/ir";
import { translateXds, xdsResultToJson } from "../index.js";

const cert = { name: "default/tls", certificate: new TextEncoder().encode("cert"), privateKey: new TextEncoder().encode("key") };
const tls: TLSConfig = { certificates: [cert] };
const http = (name: string, over: Partial<HTTPListener> = {}): HTTPListener => ({
  name,
  address: "0.0.0.0",
  port: 10443,
  path: { mergeSlashes: false, escapedSlashesAction: "KeepUnchanged" },
  ...over,
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type J = any;

describe("listeners", () => {
  it("gives each TLS listener on a port its own SNI-matched filter chain and a TLS inspector", () => {
    const json = xdsResultToJson(
      translateXds({
        http: [
          http("gw/https-a", { tls, hostnames: ["a.example.com"] }),
          http("gw/https-b", { tls: { certificates: [{ ...cert, name: "default/tls-b" }] }, hostnames: ["b.example.com"] }),
        ],
      }),
    ) as J;
    expect(json.listeners).toHaveLength(1);
    const l = json.listeners[0];
    expect(l.filterChains.map((c: J) => c.filterChainMatch.serverNames)).toEqual([["a.example.com"], ["b.example.com"]]);
    expect(l.listenerFilters.map((f: J) => f.name)).toEqual(["envoy.filters.listener.tls_inspector"]);
    expect(l.filterChains[0].transportSocket.typedConfig.commonTlsContext.alpnProtocols).toEqual(["h2", "http/1.1"]);
    expect(json.secrets.map((s: J) => s.name)).toEqual(["default/tls", "default/tls-b"]);
    expect(json.routes.map((r: J) => r.name)).toEqual(["gw/https-a", "gw/https-b"]);
  });

  it("adds a QUIC twin listener and an alt-svc header when HTTP/3 is on", () => {
    const json = xdsResultToJson(
      translateXds({
        http: [
          http("gw/https", {
            tls,
            http3: {},
            externalPort: 443,
            routes: [
              {
                name: "r",
                hostname: "*",
                isHTTP2: false,
                destination: { name: "d", settings: [{ name: "d/backend/0", weight: 1, endpoints: [{ host: "1.1.1.1", port: 80 }] }] },
              },
            ],
          }),
        ],
      }),
    ) as J;
    expect(json.listeners.map((l: J) => [l.name, l.address.socketAddress.protocol ?? "TCP"])).toEqual([
      ["gw/https-quic", "UDP"],
      ["gw/https", "TCP"],
    ]);
    expect(json.listeners[0].filterChains[0].transportSocket.name).toBe("envoy.transport_sockets.quic");
    expect(json.routes[0].virtualHosts[0].routes[0].responseHeadersToAdd).toEqual([{ header: { key: "alt-svc", value: 'h3=":443"; ma=86400' }, append: true }]);
  });

  it("routes TLS passthrough by SNI to the TCP route's cluster", () => {
    const json = xdsResultToJson(
      translateXds({
        tcp: [
          {
            name: "gw/tls",
            address: "0.0.0.0",
            port: 10443,
            routes: [
              {
                name: "tlsroute/default/r",
                tls: { inspector: { snis: ["foo.example.com"] } },
                destination: { name: "tlsroute/default/r", settings: [{ name: "b", weight: 1, endpoints: [{ host: "1.1.1.1", port: 443 }] }] },
              },
            ],
          },
        ],
      }),
    ) as J;
    const chain = json.listeners[0].filterChains[0];
    expect(chain.filterChainMatch.serverNames).toEqual(["foo.example.com"]);
    expect(chain.filters[0].typedConfig.statPrefix).toBe("tls-passthrough-10443");
    expect(chain.filters[0].typedConfig.cluster).toBe("tlsroute/default/r");
  });

  it("guards a TCP route with a network RBAC filter on client CIDRs", () => {
    const json = xdsResultToJson(
      translateXds({
        tcp: [
          {
            name: "gw/tcp",
            address: "0.0.0.0",
            port: 5432,
            routes: [
              {
                name: "tcproute/default/db",
                authorization: {
                  defaultAction: "Deny",
                  rules: [
                    {
                      name: "office",
                      action: "Allow",
                      principal: { clientCIDRs: [{ cidr: "10.1.2.3/16", maskLen: 16, isIPv6: false, distinct: false, invert: false }] },
                    },
                  ],
                },
                destination: { name: "tcproute/default/db", settings: [{ name: "b", weight: 1, endpoints: [{ host: "1.1.1.1", port: 5432 }] }] },
              },
            ],
          },
        ],
      }),
    ) as J;
    const [rbac, proxy] = json.listeners[0].filterChains[0].filters;
    expect(rbac.name).toBe("envoy.filters.network.rbac");
    expect(rbac.typedConfig.statPrefix).toBe("tcp-5432");
    const rule = rbac.typedConfig.matcher.matcherList.matchers[0];
    expect(rule.predicate.singlePredicate.customMatch.typedConfig.cidrRanges).toEqual([{ addressPrefix: "10.1.0.0", prefixLen: 16 }]);
    expect(rule.onMatch.action.typedConfig.action).toBeUndefined(); // ALLOW is the enum's zero value
    expect(rbac.typedConfig.matcher.onNoMatch.action.typedConfig.action).toBe("DENY");
    expect(proxy.name).toBe("envoy.filters.network.tcp_proxy");
  });

  it("forwards passthrough TLS to the host its SNI names, refusing loopback names", () => {
    const json = xdsResultToJson(
      translateXds({
        tcp: [
          {
            name: "gw/tls",
            address: "0.0.0.0",
            port: 10443,
            routes: [
              {
                name: "tlsroute/default/egress",
                tls: { inspector: { snis: ["*.example.com"] } },
                destination: { name: "tlsroute/default/egress", settings: [{ name: "dfp", weight: 1, isDynamicResolver: true }] },
              },
            ],
          },
        ],
      }),
    ) as J;
    const filters = json.listeners[0].filterChains[0].filters;
    expect(filters.map((f: J) => f.name)).toEqual([
      "envoy.filters.network.rbac",
      "envoy.filters.network.sni_dynamic_forward_proxy",
      "envoy.filters.network.tcp_proxy",
    ]);
    expect(filters[0].typedConfig.rules.action).toBe("DENY");
    expect(filters[1].typedConfig.portValue).toBe(443);
    expect(json.listeners[0].listenerFilters.map((f: J) => f.name)).toEqual(["envoy.filters.listener.tls_inspector"]);
  });
});
