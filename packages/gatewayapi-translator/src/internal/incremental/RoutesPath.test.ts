import type { Resources } from "@egts/api";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createIncrementalTranslator, translateToIR } from "../../index.js";

const options = { gatewayControllerName: "gateway.envoyproxy.io/gatewayclass-controller", gatewayClassName: "eg", controllerNamespace: "envoy-gateway-system" };
const now = new Date("2026-01-01T00:00:00Z");
const ns = "apps";
const services = 4;
const hostnames = ["a.example.com", "b.example.com", "*.example.com", "other.org"] as const;
const paths = ["/", "/a", "=/a", "~/r.*", "/b"] as const;

interface RuleModel {
  readonly path: (typeof paths)[number];
  readonly header: boolean;
  readonly backend: number;
  readonly second: number | null;
  readonly filter: "none" | "header" | "redirect";
}

interface RouteModel {
  readonly hostnames: ReadonlyArray<string>;
  readonly rules: ReadonlyArray<RuleModel>;
  readonly named: boolean;
  readonly team: "a" | "b";
  readonly parent: "all" | "http" | "web";
}

interface GrpcModel {
  readonly method: string;
  readonly hostname: string;
}

interface Model {
  readonly routes: ReadonlyArray<RouteModel>;
  readonly grpc: ReadonlyArray<GrpcModel>;
  /** Addresses of each Service's slice (none: no slice). */
  readonly slices: ReadonlyArray<ReadonlyArray<string>>;
  readonly policies: ReadonlySet<string>;
  readonly timeout: string;
}

function pathMatch(p: RuleModel["path"]): unknown {
  if (p.startsWith("=")) return { type: "Exact", value: p.slice(1) };
  if (p.startsWith("~")) return { type: "RegularExpression", value: p.slice(1) };
  return { type: "PathPrefix", value: p };
}

function httpRoute(i: number, r: RouteModel): unknown {
  const parentRefs = [{ namespace: "infra", name: "gw", ...(r.parent !== "all" ? { sectionName: r.parent } : {}) }];
  return {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "HTTPRoute",
    metadata: { namespace: ns, name: `route-${i}`, labels: { team: r.team } },
    spec: {
      parentRefs,
      hostnames: r.hostnames,
      rules: r.rules.map((rule, k) => ({
        ...(r.named ? { name: `rule-${k}` } : {}),
        matches: [{ path: pathMatch(rule.path), ...(rule.header ? { headers: [{ name: "x-team", value: r.team }] } : {}) }],
        ...(rule.filter === "header"
          ? { filters: [{ type: "RequestHeaderModifier", requestHeaderModifier: { add: [{ name: "x-route", value: `r${i}` }] } }] }
          : rule.filter === "redirect"
            ? { filters: [{ type: "RequestRedirect", requestRedirect: { statusCode: 301, hostname: "moved.example.com" } }] }
            : {}),
        backendRefs: [
          { name: `svc-${rule.backend}`, port: 8080, ...(rule.second !== null ? { weight: 2 } : {}) },
          ...(rule.second !== null ? [{ name: `svc-${rule.second}`, port: 8080, weight: 1 }] : []),
        ],
      })),
    },
  };
}

function grpcRoute(i: number, g: GrpcModel): unknown {
  return {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "GRPCRoute",
    metadata: { namespace: ns, name: `grpc-${i}` },
    spec: {
      parentRefs: [{ namespace: "infra", name: "gw", sectionName: "grpc" }],
      hostnames: [g.hostname],
      rules: [{ matches: [{ method: { service: "pkg.Echo", method: g.method } }], backendRefs: [{ name: `svc-${i % services}`, port: 8080 }] }],
    },
  };
}

const policyObjects = (timeout: string): Record<string, { readonly kind: string; readonly metadata: object; readonly spec: object }> => ({
  "btp-route-0": {
    kind: "BackendTrafficPolicy",
    metadata: { namespace: ns, name: "btp-route-0" },
    spec: { targetRefs: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: "route-0" }], timeout: { http: { requestTimeout: timeout } } },
  },
  "btp-rule": {
    kind: "BackendTrafficPolicy",
    metadata: { namespace: ns, name: "btp-rule" },
    spec: {
      targetRefs: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: "route-1", sectionName: "rule-0" }],
      retry: { numRetries: 3 },
    },
  },
  "btp-shared": {
    kind: "BackendTrafficPolicy",
    metadata: { namespace: ns, name: "btp-shared" },
    spec: {
      targetRefs: [
        { group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: "route-2" },
        { group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: "route-3" },
      ],
      loadBalancer: { type: "Random" },
    },
  },
  "btp-gateway": {
    kind: "BackendTrafficPolicy",
    metadata: { namespace: "infra", name: "btp-gateway" },
    spec: { targetRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "gw" }], timeout: { tcp: { connectTimeout: "7s" } } },
  },
  "sp-cors": {
    kind: "SecurityPolicy",
    metadata: { namespace: ns, name: "sp-cors" },
    spec: {
      targetRefs: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: "route-1" }],
      cors: { allowOrigins: ["https://a.example.com"], allowMethods: ["GET"] },
    },
  },
  "sp-team": {
    kind: "SecurityPolicy",
    metadata: { namespace: ns, name: "sp-team" },
    spec: {
      targetSelectors: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", matchLabels: { team: "a" } }],
      authorization: { defaultAction: "Deny", rules: [{ action: "Allow", principal: { clientCIDRs: ["10.0.0.0/8"] } }] },
    },
  },
  "sp-gateway": {
    kind: "SecurityPolicy",
    metadata: { namespace: "infra", name: "sp-gateway" },
    spec: {
      targetRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "gw" }],
      cors: { allowOrigins: ["https://gw.example.com"] },
    },
  },
});
const policyNames = Object.keys(policyObjects("1s"));

function resources(m: Model): Resources {
  const policies = policyObjects(m.timeout);
  const chosen = policyNames
    .filter((n) => m.policies.has(n))
    .map((n) => ({ apiVersion: "gateway.envoyproxy.io/v1alpha1", ...(policies[n] as { kind: string }) }));
  return {
    gatewayClass: {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "GatewayClass",
      metadata: { name: "eg" },
      spec: { controllerName: options.gatewayControllerName },
    },
    gateways: [
      {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "Gateway",
        metadata: { namespace: "infra", name: "gw" },
        spec: {
          gatewayClassName: "eg",
          listeners: [
            { name: "http", port: 80, protocol: "HTTP", allowedRoutes: { namespaces: { from: "All" } } },
            { name: "web", port: 80, protocol: "HTTP", hostname: "*.example.com", allowedRoutes: { namespaces: { from: "All" } } },
            { name: "grpc", port: 81, protocol: "HTTP", allowedRoutes: { namespaces: { from: "All" } } },
          ],
        },
      },
    ],
    httpRoutes: m.routes.map((r, i) => httpRoute(i, r)),
    grpcRoutes: m.grpc.map((g, i) => grpcRoute(i, g)),
    services: Array.from({ length: services }, (_, i) => ({
      apiVersion: "v1",
      kind: "Service",
      metadata: { namespace: ns, name: `svc-${i}` },
      spec: { clusterIP: `10.0.0.${i + 1}`, ports: [{ name: "http", port: 8080, protocol: "TCP" }] },
    })),
    endpointSlices: m.slices.flatMap((addresses, i) =>
      addresses.length === 0
        ? []
        : [
            {
              apiVersion: "discovery.k8s.io/v1",
              kind: "EndpointSlice",
              metadata: { namespace: ns, name: `svc-${i}-abc`, labels: { "kubernetes.io/service-name": `svc-${i}` } },
              addressType: "IPv4",
              ports: [{ name: "http", port: 8080, protocol: "TCP" }],
              endpoints: addresses.map((a) => ({ addresses: [a], conditions: { ready: true } })),
            },
          ],
    ),
    backendTrafficPolicies: chosen.filter((p) => p.kind === "BackendTrafficPolicy"),
    securityPolicies: chosen.filter((p) => p.kind === "SecurityPolicy"),
  } as unknown as Resources;
}

const rule: fc.Arbitrary<RuleModel> = fc.record({
  path: fc.constantFrom(...paths),
  header: fc.boolean(),
  backend: fc.nat(services - 1),
  second: fc.option(fc.nat(services - 1)),
  filter: fc.constantFrom("none" as const, "none" as const, "header" as const, "redirect" as const),
});
const routeSpec = fc.record({
  hostnames: fc.subarray([...hostnames], { maxLength: 2 }),
  rules: fc.array(rule, { minLength: 1, maxLength: 2 }),
});
const route: fc.Arbitrary<RouteModel> = fc.record({
  hostnames: fc.subarray([...hostnames], { maxLength: 2 }),
  rules: fc.array(rule, { minLength: 1, maxLength: 2 }),
  named: fc.boolean(),
  team: fc.constantFrom("a" as const, "b" as const),
  parent: fc.constantFrom("all" as const, "http" as const, "web" as const),
});
const grpc: fc.Arbitrary<GrpcModel> = fc.record({ method: fc.constantFrom("Get", "Put"), hostname: fc.constantFrom(...hostnames) });
const address = fc.integer({ min: 1, max: 9 }).map((n) => `10.2.0.${n}`);

type Edit =
  | { kind: "routeSpec"; i: number; spec: Pick<RouteModel, "hostnames" | "rules"> }
  | { kind: "routeHostnames"; i: number; hostnames: string[] }
  | { kind: "routeBackend"; i: number; backend: number }
  | { kind: "routeFrame"; i: number; route: RouteModel }
  | { kind: "grpc"; i: number; grpc: GrpcModel }
  | { kind: "addRoute"; route: RouteModel }
  | { kind: "removeRoute"; i: number }
  | { kind: "slice"; svc: number; addresses: string[] }
  | { kind: "policy"; name: string }
  | { kind: "timeout"; timeout: string };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant("routeSpec" as const), i: fc.nat(7), spec: routeSpec }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("routeHostnames" as const), i: fc.nat(7), hostnames: fc.subarray([...hostnames], { maxLength: 2 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("routeBackend" as const), i: fc.nat(7), backend: fc.nat(services - 1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("routeFrame" as const), i: fc.nat(7), route }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("grpc" as const), i: fc.nat(2), grpc }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("addRoute" as const), route }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("removeRoute" as const), i: fc.nat(7) }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("slice" as const), svc: fc.nat(services - 1), addresses: fc.array(address, { maxLength: 2 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("policy" as const), name: fc.constantFrom(...policyNames) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("timeout" as const), timeout: fc.constantFrom("1s", "2s") }) },
);

function replaceAt<T>(list: ReadonlyArray<T>, i: number, f: (x: T) => T): ReadonlyArray<T> {
  if (list.length === 0) return list;
  const k = i % list.length;
  return list.map((x, j) => (j === k ? f(x) : x));
}

function apply(m: Model, e: Edit): Model {
  switch (e.kind) {
    case "routeSpec":
      return { ...m, routes: replaceAt(m.routes, e.i, (r) => ({ ...r, ...e.spec })) };
    case "routeHostnames":
      return { ...m, routes: replaceAt(m.routes, e.i, (r) => ({ ...r, hostnames: e.hostnames })) };
    case "routeBackend":
      return { ...m, routes: replaceAt(m.routes, e.i, (r) => ({ ...r, rules: r.rules.map((x) => ({ ...x, backend: e.backend })) })) };
    case "routeFrame":
      return { ...m, routes: replaceAt(m.routes, e.i, () => e.route) };
    case "grpc":
      return { ...m, grpc: replaceAt(m.grpc, e.i, () => e.grpc) };
    case "addRoute":
      return { ...m, routes: [...m.routes, e.route] };
    case "removeRoute":
      return { ...m, routes: m.routes.filter((_, j) => m.routes.length === 0 || j !== e.i % m.routes.length) };
    case "slice":
      return { ...m, slices: m.slices.map((a, j) => (j === e.svc ? e.addresses : a)) };
    case "policy": {
      const policies = new Set(m.policies);
      if (!policies.delete(e.name)) policies.add(e.name);
      return { ...m, policies };
    }
    case "timeout":
      return { ...m, timeout: e.timeout };
  }
}

const model: fc.Arbitrary<Model> = fc.record({
  routes: fc.array(route, { minLength: 3, maxLength: 6 }),
  grpc: fc.array(grpc, { minLength: 1, maxLength: 2 }),
  slices: fc.array(fc.array(address, { minLength: 1, maxLength: 2 }), { minLength: services, maxLength: services }),
  policies: fc.subarray(policyNames).map((names) => new Set(names)),
  timeout: fc.constantFrom("1s", "2s"),
});

const plain: Model = {
  routes: Array.from({ length: 4 }, (_, i) => ({
    hostnames: [`r${i}.example.com`],
    rules: [{ path: "/a" as const, header: false, backend: i % services, second: null, filter: "none" as const }],
    named: true,
    team: "b" as const,
    parent: i % 2 === 0 ? ("all" as const) : ("http" as const),
  })),
  grpc: [{ method: "Get", hostname: "a.example.com" }],
  slices: Array.from({ length: services }, (_, i) => [`10.1.0.${i + 1}`]),
  policies: new Set(["btp-route-0", "btp-gateway", "sp-gateway", "btp-rule"]),
  timeout: "1s",
};

describe("the route path of createIncrementalTranslator", () => {
  it("returns what a full translation returns after every step of random edit sequences", () => {
    const paths = new Map<string, number>();
    fc.assert(
      fc.property(model, fc.array(edit, { minLength: 1, maxLength: 10 }), (start, edits) => {
        const t = createIncrementalTranslator();
        let m = start;
        t.translate(resources(m), options, now);
        for (const e of edits) {
          m = apply(m, e);
          const input = resources(m);
          const got = t.translate(input, options, now);
          paths.set(t.lastRun?.path ?? "", (paths.get(t.lastRun?.path ?? "") ?? 0) + 1);
          expect(got).toEqual(translateToIR(input, options, now));
        }
      }),
      { numRuns: 150 },
    );
    // The sequences exercise the route path (and the others), not only the fallback.
    expect(paths.get("routes") ?? 0).toBeGreaterThan(100);
    expect(paths.get("full") ?? 0).toBeGreaterThan(50);
  });

  it("takes the route path for an in-place edit of a route's hostnames, matches, backends and filters", () => {
    const t = createIncrementalTranslator();
    const first = t.translate(resources(plain), options, now);
    const edits: Edit[] = [
      { kind: "routeHostnames", i: 1, hostnames: ["moved.example.com"] },
      { kind: "routeSpec", i: 2, spec: { hostnames: ["r2.example.com"], rules: [{ path: "=/a", header: true, backend: 3, second: 1, filter: "header" }] } },
      { kind: "routeBackend", i: 0, backend: 2 },
      {
        kind: "routeSpec",
        i: 3,
        spec: { hostnames: ["r3.example.com"], rules: [{ path: "/b", header: false, backend: 1, second: null, filter: "redirect" }] },
      },
      { kind: "grpc", i: 0, grpc: { method: "Put", hostname: "b.example.com" } },
    ];
    let m = plain;
    let previous = first;
    for (const e of edits) {
      m = apply(m, e);
      const input = resources(m);
      const got = t.translate(input, options, now);
      expect(t.lastRun).toMatchObject({ path: "routes", changedObjects: 1 });
      expect(got).toEqual(translateToIR(input, options, now));
      // What the edit cannot reach is the previous result's own objects.
      expect(got.infraIR).toBe(previous.infraIR);
      previous = got;
    }
  });

  it("keeps the other listeners and routes of the previous result", () => {
    const t = createIncrementalTranslator();
    const first = t.translate(resources(plain), options, now);
    const m = apply(plain, { kind: "routeHostnames", i: 1, hostnames: ["moved.example.com"] });
    const second = t.translate(resources(m), options, now);
    expect(t.lastRun?.path).toBe("routes");
    const listeners = (r: typeof first) => new Map((r.xdsIR.get("infra/gw")?.http ?? []).map((l) => [l.name, l]));
    const before = listeners(first);
    const after = listeners(second);
    // route-1 is on the "http" listener only.
    expect(after.get("infra/gw/web")).toBe(before.get("infra/gw/web"));
    expect(after.get("infra/gw/grpc")).toBe(before.get("infra/gw/grpc"));
    const routesBefore = new Map((before.get("infra/gw/http")?.routes ?? []).map((r) => [r.name, r]));
    const routesAfter = after.get("infra/gw/http")?.routes ?? [];
    expect(routesAfter.length).toBe(routesBefore.size);
    for (const r of routesAfter) {
      if (r.name.startsWith("httproute/apps/route-1/")) expect(r.hostname).toBe("moved.example.com");
      else expect(r).toBe(routesBefore.get(r.name));
    }
    // The Gateway's status is unchanged (same attached routes): the same object.
    expect(second.resources["gateways"]).toBe(first.resources["gateways"]);
  });

  it("updates attachedRoutes when an edit makes a route stop (and start) attaching to a listener", () => {
    const t = createIncrementalTranslator();
    const m0: Model = { ...plain, routes: replaceAt(plain.routes, 0, (r) => ({ ...r, parent: "web" as const, hostnames: ["a.example.com"] })) };
    t.translate(resources(m0), options, now);
    for (const hosts of [["other.org"], ["b.example.com"]]) {
      const input = resources(apply(m0, { kind: "routeHostnames", i: 0, hostnames: hosts }));
      const got = t.translate(input, options, now);
      expect(t.lastRun?.path).toBe("routes");
      expect(got).toEqual(translateToIR(input, options, now));
    }
  });

  it("falls back to the full path when parents, labels, rule names or the set of routes change", () => {
    const frames: Edit[] = [
      { kind: "routeFrame", i: 1, route: { ...(plain.routes[1] as RouteModel), parent: "web" } },
      { kind: "routeFrame", i: 1, route: { ...(plain.routes[1] as RouteModel), team: "a" } },
      { kind: "routeFrame", i: 1, route: { ...(plain.routes[1] as RouteModel), named: false } },
      { kind: "addRoute", route: plain.routes[1] as RouteModel },
      { kind: "removeRoute", i: 0 },
    ];
    for (const e of frames) {
      const t = createIncrementalTranslator();
      t.translate(resources(plain), options, now);
      const input = resources(apply(plain, e));
      expect(t.translate(input, options, now)).toEqual(translateToIR(input, options, now));
      expect(t.lastRun?.path).toBe("full");
    }
  });

  it("registers the Services an edited route reads, also one without endpoints yet", () => {
    const t = createIncrementalTranslator();
    // Nothing reads svc-3, which has no endpoints.
    const m0: Model = {
      ...apply(plain, { kind: "routeBackend", i: 3, backend: 0 }),
      slices: plain.slices.map((a, i) => (i === 3 ? [] : a)),
    };
    t.translate(resources(m0), options, now);
    // route-2 now sends to svc-3: its rule answers 503.
    const m1 = apply(m0, { kind: "routeBackend", i: 2, backend: 3 });
    const edited = resources(m1);
    expect(t.translate(edited, options, now)).toEqual(translateToIR(edited, options, now));
    expect(t.lastRun?.path).toBe("routes");
    // svc-3 gets endpoints: route-2's rule must now send to them.
    const withEndpoints = resources(apply(m1, { kind: "slice", svc: 3, addresses: ["10.2.0.7"] }));
    expect(t.translate(withEndpoints, options, now)).toEqual(translateToIR(withEndpoints, options, now));
    expect(t.lastRun?.path).toBe("full");
  });

  it("falls back to the full path when an edited route overlaps another route's match conditions", () => {
    const t = createIncrementalTranslator();
    t.translate(resources(plain), options, now);
    const input = resources(apply(plain, { kind: "routeHostnames", i: 1, hostnames: ["r2.example.com"] }));
    const got = t.translate(input, options, now);
    expect(t.lastRun?.path).toBe("full");
    expect(JSON.stringify(got.resources)).toContain("RouteRulesOverlap");
    expect(got).toEqual(translateToIR(input, options, now));
  });
});
