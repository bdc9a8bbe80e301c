// Upstream behaviours beyond the reference corpus, one describe per feature (issue 17), written from upstream's
// rules rather than from its golden cases.
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
const all = { namespaces: { from: "All" } };
const gateway = (name: string, listeners: Json[] = [{ name: "web", port: 80, protocol: "HTTP", allowedRoutes: all }]): Json => ({
  apiVersion: "gateway.networking.k8s.io/v1",
  kind: "Gateway",
  metadata: { namespace: "infra", name },
  spec: { gatewayClassName: "eg", listeners },
});
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
const namespaces = ["infra", "apps"].map((name) => ({ apiVersion: "v1", kind: "Namespace", metadata: { name } }));
const resources = (r: Json): Resources => ({ ...emptyResources(), namespaces, services: [service], endpointSlices: [slice], ...r }) as unknown as Resources;
const conditions = (list: Json[]): Record<string, string> => Object.fromEntries(list.map((c) => [c.type, `${c.status}/${c.reason}`]));
const route = (kind: string, name: string, spec: Json): Json => ({
  apiVersion: "gateway.networking.k8s.io/v1",
  kind,
  metadata: { namespace: "apps", name },
  spec,
});
const parent = (name = "gw"): Json => ({ namespace: "infra", name });
const httpFilter = (name: string, spec: Json): Json => ({
  apiVersion: "gateway.envoyproxy.io/v1alpha1",
  kind: "HTTPRouteFilter",
  metadata: { namespace: "apps", name },
  spec,
});
const extensionRef = (name: string): Json => ({ type: "ExtensionRef", extensionRef: { group: "gateway.envoyproxy.io", kind: "HTTPRouteFilter", name } });
const configMap = (name: string, body: Json): Json => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { namespace: "apps", name }, ...body });

describe("policy ancestor statuses are capped at the CRD's 16 entries", () => {
  it("keeps 16 BackendTLSPolicy ancestors and marks the last one Aggregated", () => {
    const names = Array.from({ length: 20 }, (_, i) => `gw-${String(i).padStart(2, "0")}`);
    const httpRoute = route("HTTPRoute", "r", { parentRefs: names.map(parent), rules: [{ backendRefs: [{ name: "web", port: 8080 }] }] });
    const policy = {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "BackendTLSPolicy",
      metadata: { namespace: "apps", name: "tls" },
      spec: { targetRefs: [{ group: "", kind: "Service", name: "web" }], validation: { hostname: "web.example.com", wellKnownCACertificates: "System" } },
    };
    const out = translate(resources({ gateways: names.map((n) => gateway(n)), httpRoutes: [httpRoute], backendTLSPolicies: [policy] }), options) as Json;
    const ancestors = out.backendTLSPolicies[0].status.ancestors as Json[];
    expect(ancestors).toHaveLength(16);
    expect(ancestors.map((a) => a.ancestorRef.name)).toEqual(names.slice(0, 16));
    expect(conditions(ancestors[15]!.conditions).Aggregated).toBe("True/Aggregated");
    expect(ancestors[15]!.conditions.find((c: Json) => c.type === "Aggregated").message).toBe(
      "Ancestors have been truncated because the number of policy ancestors exceeds 16.",
    );
    expect(ancestors.slice(0, 15).every((a) => conditions(a.conditions).Aggregated === undefined)).toBe(true);
  });
});

describe("quantities in messages are printed in Kubernetes' canonical form", () => {
  it("prints a ClientTrafficPolicy buffer limit of 5000G as 5T", () => {
    const ctp = {
      apiVersion: "gateway.envoyproxy.io/v1alpha1",
      kind: "ClientTrafficPolicy",
      metadata: { namespace: "infra", name: "ctp" },
      spec: { targetRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "gw" }], connection: { bufferLimit: "5000G" } },
    };
    const out = translate(resources({ gateways: [gateway("gw")], clientTrafficPolicies: [ctp] }), options) as Json;
    const message = out.clientTrafficPolicies[0].status.ancestors[0].conditions[0].message as string;
    expect(message).toContain("BufferLimit value 5T is out of range");
  });
});

describe("URLRewrite from an HTTPRouteFilter", () => {
  const dynamic = {
    apiVersion: "gateway.envoyproxy.io/v1alpha1",
    kind: "Backend",
    metadata: { namespace: "apps", name: "dyn" },
    spec: { type: "DynamicResolver" },
  };
  const rule = (filter: string, backend: Json): Json => ({ filters: [extensionRef(filter)], backendRefs: [backend] });

  it("rejects a host rewrite from the path when the rule goes to a dynamic resolver", () => {
    const filter = httpFilter("host-from-path", {
      urlRewrite: { hostname: { type: "PathRegex", pathRegex: { pattern: "^/([^/]+)/.*", substitution: "\\1" } } },
    });
    const httpRoute = route("HTTPRoute", "r", {
      parentRefs: [parent()],
      rules: [rule("host-from-path", { group: "gateway.envoyproxy.io", kind: "Backend", name: "dyn" })],
    });
    const out = translate(resources({ gateways: [gateway("gw")], httpRoutes: [httpRoute], httpFilters: [filter], backends: [dynamic] }), options) as Json;
    const st = out.httpRoutes[0].status.parents[0].conditions as Json[];
    expect(conditions(st).ResolvedRefs).toBe("False/UnsupportedValue");
    expect(st.find((c) => c.type === "ResolvedRefs")?.message).toBe(
      "Failed to process route rule 0: host rewrite from path (PathRegex) is not supported with a dynamic resolver backend.",
    );
    expect(out.xdsIR["infra/gw"].http[0].routes[0].directResponse).toEqual({ statusCode: 500 });
  });

  it("keeps a host rewrite from the path for an ordinary Service", () => {
    const filter = httpFilter("host-from-path", {
      urlRewrite: { hostname: { type: "PathRegex", pathRegex: { pattern: "^/([^/]+)/.*", substitution: "\\1" } } },
    });
    const httpRoute = route("HTTPRoute", "r", { parentRefs: [parent()], rules: [rule("host-from-path", { name: "web", port: 8080 })] });
    const out = translate(resources({ gateways: [gateway("gw")], httpRoutes: [httpRoute], httpFilters: [filter] }), options) as Json;
    expect(out.xdsIR["infra/gw"].http[0].routes[0].urlRewrite.host.pathRegex.substitution).toBe("\\1");
  });

  it("reports a regex rewrite whose pattern is missing (objects that skipped CRD validation) instead of throwing", () => {
    const filter = httpFilter("bad", { urlRewrite: { path: { type: "ReplaceRegexMatch", replaceRegexMatch: { substitution: "/x" } } } });
    const httpRoute = route("HTTPRoute", "r", { parentRefs: [parent()], rules: [rule("bad", { name: "web", port: 8080 })] });
    const out = translate(resources({ gateways: [gateway("gw")], httpRoutes: [httpRoute], httpFilters: [filter] }), options) as Json;
    const st = out.httpRoutes[0].status.parents[0].conditions as Json[];
    expect(st.find((c) => c.type === "Accepted")?.message).toContain('ReplaceRegexMatch Pattern must be set when rewrite path type is "ReplaceRegexMatch"');
  });

  it("reports an invalid RE2 pattern", () => {
    const filter = httpFilter("bad", { urlRewrite: { path: { type: "ReplaceRegexMatch", replaceRegexMatch: { pattern: "(?<=a)b", substitution: "/x" } } } });
    const httpRoute = route("HTTPRoute", "r", { parentRefs: [parent()], rules: [rule("bad", { name: "web", port: 8080 })] });
    const out = translate(resources({ gateways: [gateway("gw")], httpRoutes: [httpRoute], httpFilters: [filter] }), options) as Json;
    const st = out.httpRoutes[0].status.parents[0].conditions as Json[];
    expect(conditions(st).Accepted).toBe("False/UnsupportedValue");
    expect(st.find((c) => c.type === "Accepted")?.message).toContain("ReplaceRegexMatch must be a valid RE2 regular expression");
  });
});

describe("GRPCRoute filters", () => {
  it("rejects a 2xx direct response and does not count the route as attached", () => {
    const filter = httpFilter("ok", { directResponse: { statusCode: 200 } });
    const grpc = route("GRPCRoute", "g", { parentRefs: [parent()], rules: [{ filters: [extensionRef("ok")], backendRefs: [{ name: "web", port: 8080 }] }] });
    const out = translate(resources({ gateways: [gateway("gw")], grpcRoutes: [grpc], httpFilters: [filter] }), options) as Json;
    expect(conditions(out.grpcRoutes[0].status.parents[0].conditions).Accepted).toBe("False/UnsupportedValue");
    expect(out.gateways[0].status.listeners[0].attachedRoutes).toBe(0);
    expect(out.xdsIR["infra/gw"].http[0].routes ?? []).toHaveLength(0);
  });

  it("keeps a 4xx direct response and counts the route", () => {
    const filter = httpFilter("deny", { directResponse: { statusCode: 403 } });
    const grpc = route("GRPCRoute", "g", { parentRefs: [parent()], rules: [{ filters: [extensionRef("deny")], backendRefs: [{ name: "web", port: 8080 }] }] });
    const out = translate(resources({ gateways: [gateway("gw")], grpcRoutes: [grpc], httpFilters: [filter] }), options) as Json;
    expect(conditions(out.grpcRoutes[0].status.parents[0].conditions).Accepted).toBe("True/Accepted");
    expect(out.gateways[0].status.listeners[0].attachedRoutes).toBe(1);
    expect(out.xdsIR["infra/gw"].http[0].routes[0].directResponse).toEqual({ statusCode: 403 });
  });

  it("still counts an HTTPRoute whose only rule is rejected (upstream attaches HTTPRoutes before that check)", () => {
    const httpRoute = route("HTTPRoute", "r", {
      parentRefs: [parent()],
      rules: [{ filters: [{ type: "Bogus" }], backendRefs: [{ name: "web", port: 8080 }] }],
    });
    const out = translate(resources({ gateways: [gateway("gw")], httpRoutes: [httpRoute] }), options) as Json;
    expect(conditions(out.httpRoutes[0].status.parents[0].conditions).Accepted).toBe("False/UnsupportedValue");
    expect(out.gateways[0].status.listeners[0].attachedRoutes).toBe(1);
  });
});

describe("overlapping matches", () => {
  const btpConnect = (name: string): Json => ({
    apiVersion: "gateway.envoyproxy.io/v1alpha1",
    kind: "BackendTrafficPolicy",
    metadata: { namespace: "apps", name: `connect-${name}` },
    spec: { targetRefs: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", name }], httpUpgrade: [{ type: "CONNECT" }] },
  });
  const pathRoute = (name: string, path: string): Json =>
    route("HTTPRoute", name, {
      parentRefs: [parent()],
      hostnames: ["a.example.com"],
      rules: [{ matches: [{ path: { type: "PathPrefix", value: path } }], backendRefs: [{ name: "web", port: 8080 }] }],
    });
  const overlap = (r: Json): string | undefined => conditions(r.status.parents[0].conditions).RouteRulesOverlap;

  it("treats CONNECT routes as overlapping whatever their paths", () => {
    const out = translate(
      resources({
        gateways: [gateway("gw")],
        httpRoutes: [pathRoute("a", "/a"), pathRoute("b", "/b")],
        backendTrafficPolicies: [btpConnect("a"), btpConnect("b")],
      }),
      options,
    ) as Json;
    expect(overlap(out.httpRoutes[0])).toBe("True/RouteRulesOverlap");
    expect(out.httpRoutes[0].status.parents[0].conditions.find((c: Json) => c.type === "RouteRulesOverlap").message).toBe(
      "Overlapping match conditions with route(s): HTTPRoute apps/b",
    );
  });

  it("does not mix a CONNECT route with a plain route of the same path", () => {
    const out = translate(
      resources({ gateways: [gateway("gw")], httpRoutes: [pathRoute("a", "/a"), pathRoute("b", "/a")], backendTrafficPolicies: [btpConnect("a")] }),
      options,
    ) as Json;
    expect(overlap(out.httpRoutes[0])).toBeUndefined();
    const plain = translate(resources({ gateways: [gateway("gw")], httpRoutes: [pathRoute("a", "/a"), pathRoute("b", "/a")] }), options) as Json;
    expect(overlap(plain.httpRoutes[1])).toBe("True/RouteRulesOverlap");
  });
});

describe("CORS filter", () => {
  it("takes maxAge as given, with no default of its own (the CRD default is the loader's business)", () => {
    const cors = (c: Json): Json => {
      const r = route("HTTPRoute", "r", {
        parentRefs: [parent()],
        rules: [{ filters: [{ type: "CORS", cors: { allowOrigins: ["https://*.example.com"], ...c } }], backendRefs: [{ name: "web", port: 8080 }] }],
      });
      return (translate(resources({ gateways: [gateway("gw")], httpRoutes: [r] }), options) as Json).xdsIR["infra/gw"].http[0].routes[0].cors;
    };
    expect(cors({}).maxAge).toBe("0s");
    expect(cors({ maxAge: 3700 }).maxAge).toBe("1h1m40s");
    expect(cors({}).allowOrigins).toEqual([{ distinct: false, name: "", safeRegex: "https://.*\\.example\\.com" }]);
  });
});

describe("direct response bodies from a ConfigMap", () => {
  const direct = (cm: Json): Json => {
    const filter = httpFilter("dr", {
      directResponse: { statusCode: 503, body: { type: "ValueRef", valueRef: { group: "", kind: "ConfigMap", name: "body" } } },
    });
    const r = route("HTTPRoute", "r", { parentRefs: [parent()], rules: [{ filters: [extensionRef("dr")] }] });
    return translate(resources({ gateways: [gateway("gw")], httpRoutes: [r], httpFilters: [filter], configMaps: [configMap("body", cm)] }), options) as Json;
  };
  // The IR's JSON form carries bytes as base64, as Go's encoding/json does.
  const body = (out: Json): string => Buffer.from(out.xdsIR["infra/gw"].http[0].routes[0].directResponse.body as string, "base64").toString();

  it("prefers response.body, then the first data key, then the first binaryData key", () => {
    expect(body(direct({ data: { other: "x", "response.body": "main" } }))).toBe("main");
    expect(body(direct({ data: { b: "second", a: "first" } }))).toBe("first");
    expect(body(direct({ binaryData: { page: Buffer.from("binary body").toString("base64") } }))).toBe("binary body");
  });

  it("reports a ConfigMap without keys with upstream's message", () => {
    const out = direct({});
    const st = out.httpRoutes[0].status.parents[0].conditions as Json[];
    expect(st.find((c) => c.type === "Accepted")?.message).toBe(
      "Invalid filter HTTPRouteFilter: can't find the key response.body in the referenced configmap apps/body.",
    );
  });
});

describe("Lua from a ConfigMap", () => {
  const eep = (cm: Json | undefined): Json => {
    const policy = {
      apiVersion: "gateway.envoyproxy.io/v1alpha1",
      kind: "EnvoyExtensionPolicy",
      metadata: { namespace: "apps", name: "lua" },
      spec: {
        targetRefs: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: "r" }],
        lua: [{ type: "ValueRef", valueRef: { group: "", kind: "ConfigMap", name: "script" } }],
      },
    };
    const r = route("HTTPRoute", "r", { parentRefs: [parent()], rules: [{ backendRefs: [{ name: "web", port: 8080 }] }] });
    return translate(
      resources({
        gateways: [gateway("gw")],
        httpRoutes: [r],
        envoyExtensionPolicies: [policy],
        configMaps: cm === undefined ? [] : [configMap("script", cm)],
      }),
      options,
    ) as Json;
  };

  it("reads the lua key, else the first key", () => {
    const code = (out: Json): string => out.xdsIR["infra/gw"].http[0].routes[0].envoyExtensions.luas[0].Code;
    expect(code(eep({ data: { x: "-- x", lua: "function envoy_on_request(h) end" } }))).toBe("function envoy_on_request(h) end");
    // Without a `lua` key upstream takes an arbitrary one (Go map order); egts the first in sorted order.
    // Both scripts define an entry point, so the policy's own check passes whichever is read.
    const script = (name: string) => `function envoy_on_response(h) end -- ${name}`;
    expect(code(eep({ data: { zz: script("zz"), aa: script("aa") } }))).toBe(script("aa"));
  });

  it("reports a missing ConfigMap and fails the route closed", () => {
    const out = eep(undefined);
    expect(out.envoyExtensionPolicies[0].status.ancestors[0].conditions[0].message).toBe("Lua: can't find the referenced configmap script in namespace apps.");
    expect(out.xdsIR["infra/gw"].http[0].routes[0].directResponse).toEqual({ statusCode: 500 });
  });
});

describe("backend utilization load balancing", () => {
  const btp = (bu: Json): Json => {
    const policy = {
      apiVersion: "gateway.envoyproxy.io/v1alpha1",
      kind: "BackendTrafficPolicy",
      metadata: { namespace: "apps", name: "lb" },
      spec: {
        targetRefs: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: "r" }],
        loadBalancer: { type: "BackendUtilization", backendUtilization: bu },
      },
    };
    const r = route("HTTPRoute", "r", { parentRefs: [parent()], rules: [{ backendRefs: [{ name: "web", port: 8080 }] }] });
    return translate(resources({ gateways: [gateway("gw")], httpRoutes: [r], backendTrafficPolicies: [policy] }), options) as Json;
  };

  it("carries out-of-band reporting into the IR", () => {
    const out = btp({ outOfBand: { reportingPeriod: "30s", port: 9000, authority: "orca.example" } });
    expect(out.xdsIR["infra/gw"].http[0].routes[0].traffic.loadBalancer.backendUtilization).toEqual({
      keepResponseHeaders: false,
      outOfBand: { port: 9000, authority: "orca.example", reportingPeriod: "30s" },
    });
  });

  it("reports an invalid period with Go's parse error", () => {
    const msg = (out: Json): string => out.backendTrafficPolicies[0].status.ancestors[0].conditions[0].message;
    expect(msg(btp({ outOfBand: { reportingPeriod: "5" } }))).toContain('invalid OutOfBand ReportingPeriod value 5: time: missing unit in duration "5"');
    expect(msg(btp({ blackoutPeriod: "1d" }))).toContain('invalid BlackoutPeriod value 1d: time: unknown unit "d" in duration "1d"');
  });
});

describe("EndpointSlices the API server would refuse", () => {
  it("never take the healthy endpoints of the Service down with them", () => {
    const bad = {
      ...slice,
      metadata: { ...slice.metadata, name: "web-2" },
      ports: [{ name: "http", port: 70000, protocol: "TCP" }],
      endpoints: [{ conditions: { ready: true } }],
    };
    const r = route("HTTPRoute", "r", { parentRefs: [parent()], rules: [{ backendRefs: [{ name: "web", port: 8080 }] }] });
    const out = translate(resources({ gateways: [gateway("gw")], httpRoutes: [r], endpointSlices: [slice, bad] }), options) as Json;
    expect(out.xdsIR["infra/gw"].http[0].routes[0].destination.settings[0].endpoints).toEqual([{ host: "10.1.0.1", port: 8080 }]);
  });
});

describe("inputs found by the property tests (tools/fuzz)", () => {
  const btp = (spec: Json): Json => ({
    apiVersion: "gateway.envoyproxy.io/v1alpha1",
    kind: "BackendTrafficPolicy",
    metadata: { namespace: "apps", name: "p" },
    spec: { targetRefs: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: "r" }], ...spec },
  });
  const withPolicy = (spec: Json): Json => {
    const r = route("HTTPRoute", "r", { parentRefs: [parent()], rules: [{ backendRefs: [{ name: "web", port: 8080 }] }] });
    return translate(resources({ gateways: [gateway("gw")], httpRoutes: [r], backendTrafficPolicies: [btp(spec)] }), options) as Json;
  };

  it("a request buffer without a limit is Go's zero quantity, not a crash", () => {
    expect(withPolicy({ requestBuffer: {} }).xdsIR["infra/gw"].http[0].routes[0].traffic.requestBuffer).toEqual({ limit: "0" });
  });

  it("a request buffer limit is carried in canonical form", () => {
    expect(withPolicy({ requestBuffer: { limit: "2048Ki" } }).xdsIR["infra/gw"].http[0].routes[0].traffic.requestBuffer).toEqual({ limit: "2Mi" });
  });
});
