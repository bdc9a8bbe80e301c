import { describe, expect, it } from "vitest";
import { emptyResources, type Resources } from "@egts/api";
import { translate, type TranslateOptions } from "./index.js";

type Json = Record<string, any>;

const options: TranslateOptions = {
  gatewayControllerName: "gateway.envoyproxy.io/gatewayclass-controller",
  gatewayClassName: "eg",
  controllerNamespace: "envoy-gateway-system",
  backendEnabled: true,
};

const gatewayOf = (listeners: Json[], extra: Json = {}): Json => ({
  apiVersion: "gateway.networking.k8s.io/v1",
  kind: "Gateway",
  metadata: { namespace: "infra", name: "gw" },
  spec: { gatewayClassName: "eg", listeners, ...extra },
});
const svc = (name: string, labels: Json = {}): Json => ({
  apiVersion: "v1",
  kind: "Service",
  metadata: { namespace: "apps", name, labels },
  spec: { clusterIP: "10.0.0.1", ports: [{ name: "http", port: 8080, protocol: "TCP" }] },
});
const sliceOf = (name: string): Json => ({
  apiVersion: "discovery.k8s.io/v1",
  kind: "EndpointSlice",
  metadata: { namespace: "apps", name: `${name}-1`, labels: { "kubernetes.io/service-name": name } },
  addressType: "IPv4",
  ports: [{ name: "http", port: 8080, protocol: "TCP" }],
  endpoints: [{ addresses: ["10.1.0.1"], conditions: { ready: true } }],
});
const namespaces = ["infra", "apps"].map((name) => ({ apiVersion: "v1", kind: "Namespace", metadata: { name } }));
const all = { namespaces: { from: "All" } };
const resources = (r: Json): Resources =>
  ({ ...emptyResources(), namespaces, services: [svc("web"), svc("api")], endpointSlices: [sliceOf("web"), sliceOf("api")], ...r }) as unknown as Resources;
const conditions = (list: Json[]): Record<string, string> => Object.fromEntries(list.map((c) => [c.type, `${c.status}/${c.reason}`]));
const route = (kind: string, name: string, spec: Json): Json => ({
  apiVersion: "gateway.networking.k8s.io/v1",
  kind,
  metadata: { namespace: "apps", name },
  spec,
});

describe("HTTPS listener certificates", () => {
  const https = (refs: Json[]): Json => gatewayOf([{ name: "https", port: 443, protocol: "HTTPS", tls: { mode: "Terminate", certificateRefs: refs } }]);

  it("keeps a listener whose only certificate is missing accepted but not programmed", () => {
    const out = translate(resources({ gateways: [https([{ name: "missing" }])] }), options) as Json;
    const l = out.gateways[0].status.listeners[0];
    expect(conditions(l.conditions)).toEqual({ ResolvedRefs: "False/InvalidCertificateRef", Accepted: "True/Accepted", Programmed: "False/Invalid" });
    expect(l.conditions[0].message).toBe("No valid secrets exist: certificate refs 0: Secret infra/missing does not exist.");
  });

  it("needs a ReferenceGrant for a certificate in another namespace", () => {
    const opaque = { apiVersion: "v1", kind: "Secret", metadata: { namespace: "certs", name: "c" }, type: "Opaque", data: {} };
    const gw = https([{ name: "c", namespace: "certs" }]);
    const denied = translate(resources({ gateways: [gw], secrets: [opaque] }), options) as Json;
    expect(conditions(denied.gateways[0].status.listeners[0].conditions).ResolvedRefs).toBe("False/RefNotPermitted");
    const grant = {
      apiVersion: "gateway.networking.k8s.io/v1beta1",
      kind: "ReferenceGrant",
      metadata: { namespace: "certs", name: "g" },
      spec: { from: [{ group: "gateway.networking.k8s.io", kind: "Gateway", namespace: "infra" }], to: [{ group: "", kind: "Secret" }] },
    };
    const granted = translate(resources({ gateways: [gw], secrets: [opaque], referenceGrants: [grant] }), options) as Json;
    const l = granted.gateways[0].status.listeners[0];
    expect(conditions(l.conditions).ResolvedRefs).toBe("False/InvalidCertificateRef");
    expect(l.conditions[0].message).toContain("Secret certs/c must be of type kubernetes.io/tls.");
  });
});

describe("ListenerSets", () => {
  const ls = (ns: string): Json => ({
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "ListenerSet",
    metadata: { namespace: ns, name: "extra" },
    spec: { parentRef: { namespace: "infra", name: "gw" }, listeners: [{ name: "alt", port: 8081, protocol: "HTTP", allowedRoutes: all }] },
  });

  it("rejects attachment when the Gateway allows no ListenerSets", () => {
    const out = translate(resources({ gateways: [gatewayOf([{ name: "web", port: 80, protocol: "HTTP" }])], listenerSets: [ls("apps")] }), options) as Json;
    expect(conditions(out.listenerSets[0].status.conditions)).toEqual({ Accepted: "False/NotAllowed", Programmed: "False/NotAllowed" });
    expect(out.xdsIR["infra/gw"].http).toHaveLength(1);
  });

  it("adds the ListenerSet's listeners to its Gateway's proxy when allowed", () => {
    const gw = gatewayOf([{ name: "web", port: 80, protocol: "HTTP" }], { allowedListeners: { namespaces: { from: "All" } } });
    const out = translate(resources({ gateways: [gw], listenerSets: [ls("apps")] }), options) as Json;
    expect(conditions(out.listenerSets[0].status.conditions)).toEqual({ Accepted: "True/Accepted", Programmed: "True/Programmed" });
    expect(out.xdsIR["infra/gw"].http.map((l: Json) => l.name)).toEqual(["infra/gw/web", "infra/gw/apps/extra/alt"]);
    expect(out.gateways[0].status.attachedListenerSets).toBe(1);
  });
});

describe("GRPCRoutes", () => {
  it("marks routes HTTP/2 and enables gRPC-Web on the listener", () => {
    const gw = gatewayOf([{ name: "web", port: 80, protocol: "HTTP", allowedRoutes: all }]);
    const grpc = route("GRPCRoute", "g", {
      parentRefs: [{ namespace: "infra", name: "gw" }],
      rules: [{ matches: [{ method: { service: "pkg.Svc", method: "Get" } }], backendRefs: [{ name: "web", port: 8080 }] }],
    });
    const out = translate(resources({ gateways: [gw], grpcRoutes: [grpc] }), options) as Json;
    const listener = out.xdsIR["infra/gw"].http[0];
    expect(listener.grpc).toEqual({ enableGRPCWeb: true, enableGRPCStats: true });
    expect(listener.routes[0]).toMatchObject({ isHTTP2: true, pathMatch: { exact: "/pkg.Svc/Get" } });
    expect(listener.routes[0].destination.settings[0].protocol).toBe("GRPC");
  });
});

describe("BackendTLSPolicy", () => {
  it("gives the destination upstream TLS and reports the policy accepted for the route's parent", () => {
    const gw = gatewayOf([{ name: "web", port: 80, protocol: "HTTP", allowedRoutes: all }]);
    const httpRoute = route("HTTPRoute", "r", { parentRefs: [{ namespace: "infra", name: "gw" }], rules: [{ backendRefs: [{ name: "web", port: 8080 }] }] });
    const policy = {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "BackendTLSPolicy",
      metadata: { namespace: "apps", name: "tls" },
      spec: { targetRefs: [{ group: "", kind: "Service", name: "web" }], validation: { hostname: "web.example.com", wellKnownCACertificates: "System" } },
    };
    const out = translate(resources({ gateways: [gw], httpRoutes: [httpRoute], backendTLSPolicies: [policy] }), options) as Json;
    expect(out.xdsIR["infra/gw"].http[0].routes[0].destination.settings[0].tls).toEqual({
      sni: "web.example.com",
      useSystemTrustStore: true,
      caCertificate: { name: "system_ca_certificates" },
      minVersion: "1.2",
      maxVersion: "1.3",
    });
    const ancestor = out.backendTLSPolicies[0].status.ancestors[0];
    expect(ancestor.ancestorRef).toEqual({ namespace: "infra", name: "gw" });
    expect(conditions(ancestor.conditions)).toEqual({ ResolvedRefs: "True/ResolvedRefs", Accepted: "True/Accepted" });
  });
});

describe("mergeBackends", () => {
  it("lets two routes to the same Service share one backend cluster", () => {
    const proxy = {
      apiVersion: "gateway.envoyproxy.io/v1alpha1",
      kind: "EnvoyProxy",
      metadata: { namespace: "envoy-gateway-system", name: "proxy" },
      spec: { mergeBackends: {} },
    };
    const gw = gatewayOf([{ name: "web", port: 80, protocol: "HTTP", allowedRoutes: all }]);
    const routes = ["a", "b"].map((n) =>
      route("HTTPRoute", n, {
        parentRefs: [{ namespace: "infra", name: "gw" }],
        hostnames: [`${n}.example.com`],
        rules: [{ backendRefs: [{ name: "web", port: 8080 }] }],
      }),
    );
    const out = translate(resources({ gateways: [gw], httpRoutes: routes, envoyProxyForGatewayClass: proxy }), options) as Json;
    const x = out.xdsIR["infra/gw"];
    expect(x.backendClusters.map((c: Json) => c.name)).toEqual(["service/apps/web/8080/http"]);
    for (const r of x.http[0].routes) expect(r.destination.backendClusterRefs).toEqual([{ name: "service/apps/web/8080/http", weight: 1 }]);
  });
});

describe("header modifier filters", () => {
  it("rejects header values with doubled or edge whitespace, as upstream's value pattern does", () => {
    const gw = gatewayOf([{ name: "web", port: 80, protocol: "HTTP", allowedRoutes: all }]);
    const withValue = (value: string): Json =>
      route("HTTPRoute", "r", {
        parentRefs: [{ namespace: "infra", name: "gw" }],
        rules: [
          {
            filters: [{ type: "RequestHeaderModifier", requestHeaderModifier: { set: [{ name: "x-a", value }] } }],
            backendRefs: [{ name: "web", port: 8080 }],
          },
        ],
      });
    const ok = translate(resources({ gateways: [gw], httpRoutes: [withValue("a b\tc")] }), options) as Json;
    expect(ok.xdsIR["infra/gw"].http[0].routes[0].addRequestHeaders).toEqual([{ name: "x-a", value: ["a b\tc"], append: false, addIfAbsent: false }]);
    for (const bad of ["a  b", " a", "a ", "\u00e9"]) {
      const out = translate(resources({ gateways: [gw], httpRoutes: [withValue(bad)] }), options) as Json;
      expect(conditions(out.httpRoutes[0].status.parents[0].conditions).Accepted).toBe("False/UnsupportedValue");
      expect(out.xdsIR["infra/gw"].http[0].routes[0].directResponse).toEqual({ statusCode: 500 });
    }
  });
});

describe("route overlaps", () => {
  it("flags routes of different resources with identical matches on one listener, and only those", () => {
    const gw = gatewayOf([{ name: "web", port: 80, protocol: "HTTP", allowedRoutes: all }]);
    const mk = (name: string, host: string): Json =>
      route("HTTPRoute", name, {
        parentRefs: [{ namespace: "infra", name: "gw" }],
        hostnames: [host],
        rules: [{ matches: [{ path: { type: "PathPrefix", value: "/api/" } }], backendRefs: [{ name: "web", port: 8080 }] }],
      });
    const out = translate(
      resources({ gateways: [gw], httpRoutes: [mk("a", "x.example.com"), mk("b", "x.example.com"), mk("c", "y.example.com")] }),
      options,
    ) as Json;
    const overlap = (i: number): Json | undefined => out.httpRoutes[i].status.parents[0].conditions.find((c: Json) => c.type === "RouteRulesOverlap");
    expect(overlap(0)?.message).toBe("Overlapping match conditions with route(s): HTTPRoute apps/b");
    expect(overlap(1)?.message).toBe("Overlapping match conditions with route(s): HTTPRoute apps/a");
    expect(overlap(2)).toBeUndefined();
  });
});
