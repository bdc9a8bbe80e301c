import { describe, expect, it } from "vitest";
import { emptyResources, type Resources } from "@egts/api";
import { translate, translateResultJson, translateToIR, type TranslateOptions, type TranslateResultIR } from "./index.js";

const options: TranslateOptions = {
  gatewayControllerName: "gateway.envoyproxy.io/gatewayclass-controller",
  gatewayClassName: "eg",
  controllerNamespace: "envoy-gateway-system",
  backendEnabled: true,
};

type Json = Record<string, any>;

function gateway(listeners: Json[], extra: Json = {}): Json {
  return {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "Gateway",
    metadata: { namespace: "infra", name: "gw" },
    spec: { gatewayClassName: "eg", listeners, ...extra },
  };
}

function httpRoute(name: string, spec: Json): Json {
  return { apiVersion: "gateway.networking.k8s.io/v1", kind: "HTTPRoute", metadata: { namespace: "apps", name }, spec };
}

const service: Json = {
  apiVersion: "v1",
  kind: "Service",
  metadata: { namespace: "apps", name: "web" },
  spec: { clusterIP: "10.0.0.1", ports: [{ name: "http", port: 8080, protocol: "TCP" }] },
};
const slice: Json = {
  apiVersion: "discovery.k8s.io/v1",
  kind: "EndpointSlice",
  metadata: { namespace: "apps", name: "web-1", labels: { "kubernetes.io/service-name": "web" } },
  addressType: "IPv4",
  ports: [{ name: "http", port: 8080, protocol: "TCP" }],
  endpoints: [{ addresses: ["10.1.0.1"], conditions: { ready: true } }],
};
const namespaces: Json[] = ["infra", "apps"].map((name) => ({ apiVersion: "v1", kind: "Namespace", metadata: { name } }));
const allNamespaces = { namespaces: { from: "All" } };

function resources(r: Json): Resources {
  return { ...emptyResources(), namespaces, services: [service], endpointSlices: [slice], ...r } as unknown as Resources;
}

function conditions(list: Json[]): Record<string, string> {
  return Object.fromEntries(list.map((c) => [c.type, `${c.status}/${c.reason}`]));
}

describe("translate: listeners", () => {
  it("rejects TLS on an HTTP listener and keeps it out of the xds IR", () => {
    const out = translate(
      resources({ gateways: [gateway([{ name: "web", port: 80, protocol: "HTTP", tls: { certificateRefs: [{ name: "x" }] } }])] }),
      options,
    ) as Json;
    const listener = out.gateways[0].status.listeners[0];
    expect(conditions(listener.conditions)).toEqual({ Programmed: "False/Invalid", ResolvedRefs: "True/ResolvedRefs" });
    expect(listener.conditions[0].message).toBe("Listener must not have TLS set when protocol is HTTP.");
    expect(out.xdsIR["infra/gw"].http).toBeUndefined();
  });

  it("reports an unsupported protocol and gives the listener no supported kinds", () => {
    const out = translate(resources({ gateways: [gateway([{ name: "sctp", port: 9000, protocol: "SCTP" }])] }), options) as Json;
    const listener = out.gateways[0].status.listeners[0];
    expect(listener.supportedKinds).toEqual([]);
    expect(conditions(listener.conditions).Accepted).toBe("False/UnsupportedProtocol");
  });

  it("marks every HTTP listener sharing a port and hostname as conflicted", () => {
    const out = translate(
      resources({
        gateways: [
          gateway([
            { name: "a", port: 80, protocol: "HTTP", hostname: "foo.example.com" },
            { name: "b", port: 80, protocol: "HTTP", hostname: "foo.example.com" },
          ]),
        ],
      }),
      options,
    ) as Json;
    for (const l of out.gateways[0].status.listeners) {
      expect(conditions(l.conditions).Conflicted).toBe("True/HostnameConflict");
      expect(conditions(l.conditions).Programmed).toBe("False/Invalid");
    }
  });

  it("shifts privileged ports by 10000 for the container and records the infra port once", () => {
    const out = translate(resources({ gateways: [gateway([{ name: "web", port: 80, protocol: "HTTP" }])] }), options) as Json;
    expect(out.xdsIR["infra/gw"].http[0]).toMatchObject({ name: "infra/gw/web", port: 10080, externalPort: 80, hostnames: ["*"] });
    expect(out.infraIR["infra/gw"].proxy.listeners).toEqual([
      { name: "infra/gw/web", ports: [{ name: "http-80", protocol: "HTTP", servicePort: 80, containerPort: 10080 }] },
    ]);
  });

  it("ignores Gateways of other GatewayClasses", () => {
    const other = { ...gateway([{ name: "web", port: 80, protocol: "HTTP" }]), spec: { gatewayClassName: "other", listeners: [] } };
    const out = translate(resources({ gateways: [other] }), options) as Json;
    expect(out.gateways).toBeUndefined();
    expect(out.xdsIR).toEqual({});
  });
});

describe("translate: HTTPRoutes", () => {
  const gw = gateway([{ name: "web", port: 80, protocol: "HTTP", hostname: "*.example.com", allowedRoutes: allNamespaces }]);
  const parentRefs = [{ namespace: "infra", name: "gw" }];

  it("attaches to the intersection of route and listener hostnames", () => {
    const route = httpRoute("r", {
      parentRefs,
      hostnames: ["a.example.com", "b.other.org"],
      rules: [{ backendRefs: [{ name: "web", port: 8080 }] }],
    });
    const out = translate(resources({ gateways: [gw], httpRoutes: [route] }), options) as Json;
    const routes = out.xdsIR["infra/gw"].http[0].routes;
    expect(routes.map((r: Json) => r.hostname)).toEqual(["a.example.com"]);
    expect(routes[0].name).toBe("httproute/apps/r/rule/0/match/-1/a_example_com");
    expect(routes[0].destination.settings[0]).toMatchObject({ protocol: "HTTP", weight: 1, endpoints: [{ host: "10.1.0.1", port: 8080 }] });
    expect(out.gateways[0].status.listeners[0].attachedRoutes).toBe(1);
  });

  it("is not accepted when no hostname intersects", () => {
    const route = httpRoute("r", { parentRefs, hostnames: ["b.other.org"], rules: [{ backendRefs: [{ name: "web", port: 8080 }] }] });
    const out = translate(resources({ gateways: [gw], httpRoutes: [route] }), options) as Json;
    expect(conditions(out.httpRoutes[0].status.parents[0].conditions).Accepted).toBe("False/NoMatchingListenerHostname");
    expect(out.xdsIR["infra/gw"].http[0].routes).toBeUndefined();
  });

  it("answers 500 for a rule whose only backend does not exist, and reports it", () => {
    const route = httpRoute("r", { parentRefs, rules: [{ backendRefs: [{ name: "missing", port: 8080 }] }] });
    const out = translate(resources({ gateways: [gw], httpRoutes: [route] }), options) as Json;
    const parent = out.httpRoutes[0].status.parents[0];
    expect(conditions(parent.conditions)).toEqual({ Accepted: "True/Accepted", ResolvedRefs: "False/BackendNotFound" });
    expect(parent.conditions[1].message).toBe("Failed to process route rule 0 backendRef 0: service apps/missing not found.");
    const irRoute = out.xdsIR["infra/gw"].http[0].routes[0];
    expect(irRoute.directResponse).toEqual({ statusCode: 500 });
    expect(irRoute.destination).toBeUndefined();
  });

  it("requires a ReferenceGrant for a backend in another namespace", () => {
    const route = httpRoute("r", { parentRefs, rules: [{ backendRefs: [{ name: "web", namespace: "infra", port: 8080 }] }] });
    const out = translate(resources({ gateways: [gw], httpRoutes: [route] }), options) as Json;
    expect(conditions(out.httpRoutes[0].status.parents[0].conditions).ResolvedRefs).toBe("False/RefNotPermitted");
  });

  it("orders IR routes most specific first", () => {
    const route = httpRoute("r", {
      parentRefs,
      hostnames: ["a.example.com"],
      rules: [
        { matches: [{ path: { type: "PathPrefix", value: "/" } }], backendRefs: [{ name: "web", port: 8080 }] },
        { matches: [{ path: { type: "PathPrefix", value: "/api" } }], backendRefs: [{ name: "web", port: 8080 }] },
        { matches: [{ path: { type: "Exact", value: "/api/v1" } }], backendRefs: [{ name: "web", port: 8080 }] },
      ],
    });
    const out = translate(resources({ gateways: [gw], httpRoutes: [route] }), options) as Json;
    expect(out.xdsIR["infra/gw"].http[0].routes.map((r: Json) => r.pathMatch)).toEqual([
      { name: "", distinct: false, exact: "/api/v1" },
      { name: "", distinct: false, prefix: "/api" },
      { name: "", distinct: false, prefix: "/" },
    ]);
  });

  it("drops only the rule with an invalid regex and says so", () => {
    const route = httpRoute("r", {
      parentRefs,
      hostnames: ["a.example.com"],
      rules: [
        { matches: [{ path: { type: "RegularExpression", value: "*bad" } }], backendRefs: [{ name: "web", port: 8080 }] },
        { backendRefs: [{ name: "web", port: 8080 }] },
      ],
    });
    const out = translate(resources({ gateways: [gw], httpRoutes: [route] }), options) as Json;
    const parent = out.httpRoutes[0].status.parents[0];
    expect(conditions(parent.conditions)).toMatchObject({ Accepted: "True/Accepted", PartiallyInvalid: "True/UnsupportedValue" });
    expect(out.xdsIR["infra/gw"].http[0].routes).toHaveLength(1);
  });

  it("does not modify its input", () => {
    const input = resources({ gateways: [gw], httpRoutes: [httpRoute("r", { parentRefs, rules: [{ backendRefs: [{ name: "web", port: 8080 }] }] })] });
    const before = JSON.stringify(input);
    translate(input, options);
    expect(JSON.stringify(input)).toBe(before);
  });
});

describe("translate: L4 routes", () => {
  it("routes a TCPRoute to its Service and rejects a second TCP listener on the same port", () => {
    const gw = gateway([
      { name: "tcp-a", port: 9000, protocol: "TCP", allowedRoutes: allNamespaces },
      { name: "tcp-b", port: 9000, protocol: "TCP", allowedRoutes: allNamespaces },
    ]);
    const tcpRoute = {
      apiVersion: "gateway.networking.k8s.io/v1alpha2",
      kind: "TCPRoute",
      metadata: { namespace: "apps", name: "t" },
      spec: { parentRefs: [{ namespace: "infra", name: "gw", sectionName: "tcp-a" }], rules: [{ backendRefs: [{ name: "web", port: 8080 }] }] },
    };
    const out = translate(resources({ gateways: [gw], tcpRoutes: [tcpRoute] }), options) as Json;
    expect(conditions(out.gateways[0].status.listeners[1].conditions).Conflicted).toBe("True/ProtocolConflict");
    const tcp = out.xdsIR["infra/gw"].tcp;
    expect(tcp).toHaveLength(1);
    expect(tcp[0].routes[0]).toMatchObject({ name: "tcproute/apps/t", destination: { name: "tcproute/apps/t/rule/-1" } });
    expect(tcp[0].routes[0].destination.settings[0].protocol).toBe("TCP");
  });
});

describe("translate: incomplete input", () => {
  it("treats a Gateway without listeners and a route without spec as empty rather than failing", () => {
    const bare = {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "Gateway",
      metadata: { namespace: "infra", name: "gw" },
      spec: { gatewayClassName: "eg" },
    };
    const noSpec = { apiVersion: "gateway.networking.k8s.io/v1", kind: "HTTPRoute", metadata: { namespace: "apps", name: "r" } };
    const out = translate(resources({ gateways: [bare], httpRoutes: [noSpec] }), options) as Json;
    expect(out.gateways).toHaveLength(1);
    expect(out.httpRoutes).toBeUndefined();
    expect(out.xdsIR["infra/gw"].readyListener).toMatchObject({ port: 19003, path: "/ready" });
  });

  it("reads YAML nulls as unset fields", () => {
    const gw = gateway([
      { name: "web", port: 80, protocol: "HTTP", hostname: null, allowedRoutes: { namespaces: { from: "All" }, kinds: [{ group: null, kind: "HTTPRoute" }] } },
    ]);
    const out = translate(resources({ gateways: [gw] }), options) as Json;
    expect(out.gateways[0].status.listeners[0].supportedKinds).toEqual([{ kind: "HTTPRoute" }]);
    expect(out.xdsIR["infra/gw"].http[0].hostnames).toEqual(["*"]);
  });
});

describe("translateResultJson", () => {
  const routed = (): Resources =>
    resources({
      gateways: [gateway([{ name: "http", port: 80, protocol: "HTTP", allowedRoutes: allNamespaces }])],
      httpRoutes: [httpRoute("web", { parentRefs: [{ name: "gw", namespace: "infra" }], rules: [{ backendRefs: [{ name: "web", port: 8080 }] }] })],
    });

  it("gives translate's JSON from translateToIR's result, without translating again", () => {
    const now = new Date("2026-01-01T00:00:00Z");
    const json = translateResultJson(translateToIR(routed(), options, now)) as Json;
    expect(json).toEqual(translate(routed(), options, now));
    expect(json.xdsIR["infra/gw"].http[0].routes).toHaveLength(1);
  });

  it("writes bytes as base64 in the JSON and leaves the IR it was given as it was", () => {
    const certificate = new Uint8Array([1, 2, 3]);
    const ir = { http: [{ name: "l", tls: { certificates: [{ name: "c", certificate }] } }] };
    const result = { resources: {}, xdsIR: new Map([["k", ir]]), infraIR: new Map() } as unknown as TranslateResultIR;
    const json = translateResultJson(result) as Json;
    expect(json.xdsIR.k.http[0].tls.certificates[0].certificate).toBe("AQID");
    expect(ir.http[0]!.tls.certificates[0]!.certificate).toBe(certificate);
  });
});
