import type { Resources } from "@egts/api";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createIncrementalTranslator, translateToIR } from "../../index.js";

const options = { gatewayControllerName: "gateway.envoyproxy.io/gatewayclass-controller", gatewayClassName: "eg", controllerNamespace: "envoy-gateway-system" };
const now = new Date("2026-01-01T00:00:00Z");
const ns = "apps";
const services = 6;

function service(i: number): unknown {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { namespace: ns, name: `svc-${i}` },
    spec: { clusterIP: `10.0.0.${i}`, ports: [{ name: "http", port: 8080, protocol: "TCP" }] },
  };
}

function slice(i: number, addresses: ReadonlyArray<string>, ready = true): unknown {
  return {
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: { namespace: ns, name: `svc-${i}-abc`, labels: { "kubernetes.io/service-name": `svc-${i}` } },
    addressType: "IPv4",
    ports: [{ name: "http", port: 8080, protocol: "TCP" }],
    // A null field (as a provider may hand over) is dropped by normalization: the endpoint path must do so too.
    endpoints: addresses.map((a, j) => ({ addresses: [a], conditions: { ready }, zone: `zone-${j}`, hostname: null })),
  };
}

function route(i: number, backend: number, path = `/api/${i}`): unknown {
  return {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "HTTPRoute",
    metadata: { namespace: ns, name: `route-${i}` },
    spec: {
      parentRefs: [{ namespace: "infra", name: "gw", sectionName: "http" }],
      hostnames: [`app-${i}.example.com`],
      rules: [{ matches: [{ path: { type: "PathPrefix", value: path } }], backendRefs: [{ name: `svc-${backend}`, port: 8080 }] }],
    },
  };
}

function gateway(extraListener: boolean): unknown {
  const listeners = [{ name: "http", port: 80, protocol: "HTTP", allowedRoutes: { namespaces: { from: "All" } } }];
  if (extraListener) listeners.push({ name: "http2", port: 8081, protocol: "HTTP", allowedRoutes: { namespaces: { from: "All" } } });
  return {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "Gateway",
    metadata: { namespace: "infra", name: "gw" },
    spec: { gatewayClassName: "eg", listeners },
  };
}

function btp(i: number, timeout: string): unknown {
  return {
    apiVersion: "gateway.envoyproxy.io/v1alpha1",
    kind: "BackendTrafficPolicy",
    metadata: { namespace: ns, name: `btp-${i}` },
    spec: { targetRefs: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: `route-${i}` }], timeout: { http: { requestTimeout: timeout } } },
  };
}

interface Model {
  readonly extraListener: boolean;
  readonly routes: ReadonlyArray<readonly [number, number, string]>;
  readonly slices: ReadonlyArray<readonly [number, ReadonlyArray<string>, boolean]>;
  readonly policies: ReadonlyArray<readonly [number, string]>;
}

function resources(m: Model): Resources {
  return {
    gatewayClass: {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "GatewayClass",
      metadata: { name: "eg" },
      spec: { controllerName: options.gatewayControllerName },
    },
    gateways: [gateway(m.extraListener)],
    httpRoutes: m.routes.map(([i, b, p]) => route(i, b, p)),
    services: Array.from({ length: services }, (_, i) => service(i)),
    endpointSlices: m.slices.map(([i, a, r]) => slice(i, a, r)),
    backendTrafficPolicies: m.policies.map(([i, t]) => btp(i, t)),
  } as unknown as Resources;
}

const initial: Model = {
  extraListener: false,
  routes: Array.from({ length: 8 }, (_, i) => [i, i % services, `/api/${i}`] as const),
  slices: Array.from({ length: services }, (_, i) => [i, [`10.1.0.${i}`, `10.1.1.${i}`], true] as const),
  policies: [[0, "5s"]],
};

type Edit =
  | { kind: "endpoints"; svc: number; addresses: string[]; ready: boolean }
  | { kind: "route"; i: number; backend: number; path: string }
  | { kind: "removeRoute"; i: number }
  | { kind: "listener" }
  | { kind: "policy"; i: number; timeout: string }
  | { kind: "removeSlice"; svc: number };

const address = fc.integer({ min: 1, max: 20 }).map((n) => `10.2.0.${n}`);
const edit: fc.Arbitrary<Edit> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant("endpoints" as const),
      svc: fc.nat(services - 1),
      addresses: fc.array(address, { minLength: 1, maxLength: 3 }),
      ready: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("route" as const), i: fc.nat(10), backend: fc.nat(services - 1), path: fc.constantFrom("/a", "/b", "/c") }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("removeRoute" as const), i: fc.nat(10) }) },
  { weight: 1, arbitrary: fc.constant({ kind: "listener" as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("policy" as const), i: fc.nat(8), timeout: fc.constantFrom("1s", "2s", "3s") }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("removeSlice" as const), svc: fc.nat(services - 1) }) },
);

function apply(m: Model, e: Edit): Model {
  switch (e.kind) {
    case "endpoints":
      return { ...m, slices: [...m.slices.filter(([i]) => i !== e.svc), [e.svc, e.addresses, e.ready]] };
    case "removeSlice":
      return { ...m, slices: m.slices.filter(([i]) => i !== e.svc) };
    case "route":
      return { ...m, routes: [...m.routes.filter(([i]) => i !== e.i), [e.i, e.backend, e.path]] };
    case "removeRoute":
      return { ...m, routes: m.routes.filter(([i]) => i !== e.i) };
    case "listener":
      return { ...m, extraListener: !m.extraListener };
    case "policy":
      return { ...m, policies: [...m.policies.filter(([i]) => i !== e.i), [e.i, e.timeout]] };
  }
}

describe("createIncrementalTranslator", () => {
  it("returns what a full translation returns after every step of random edit sequences", () => {
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 12 }), (edits) => {
        const t = createIncrementalTranslator();
        let m = initial;
        t.translate(resources(m), options, now);
        for (const e of edits) {
          const before = m;
          m = apply(m, e);
          const input = resources(m);
          const got = t.translate(input, options, now);
          expect(got).toEqual(translateToIR(input, options, now));
          // An endpoint edit of a Service that keeps endpoints takes the endpoint path.
          const keepsEndpoints = e.kind === "endpoints" && before.slices.some(([i]) => i === e.svc);
          // (Repeating the previous edit leaves the input as it was: nothing to do.)
          if (keepsEndpoints) expect(t.lastRun?.path).toBe(JSON.stringify(before) === JSON.stringify(m) ? "unchanged" : "endpoints");
        }
      }),
      { numRuns: 40 },
    );
  });

  it("returns the previous result as is when the input did not change, even rebuilt", () => {
    const t = createIncrementalTranslator();
    const first = t.translate(resources(initial), options, now);
    expect(t.lastRun?.path).toBe("full");
    expect(t.translate(resources(initial), options, now)).toBe(first);
    expect(t.lastRun).toMatchObject({ path: "unchanged", changedObjects: 0 });
  });

  it("on the endpoint path copies only what leads to the changed endpoints", () => {
    const t = createIncrementalTranslator();
    const first = t.translate(resources(initial), options, now);
    const m = apply(initial, { kind: "endpoints", svc: 3, addresses: ["10.9.9.9"], ready: true });
    const second = t.translate(resources(m), options, now);
    expect(t.lastRun).toMatchObject({ path: "endpoints", changedObjects: 1 });
    expect(second.resources).toBe(first.resources);
    expect(second.infraIR).toBe(first.infraIR);
    const routesBefore = first.xdsIR.get("infra/gw")?.http?.[0]?.routes ?? [];
    const routesAfter = second.xdsIR.get("infra/gw")?.http?.[0]?.routes ?? [];
    expect(routesAfter.length).toBe(routesBefore.length);
    for (let i = 0; i < routesAfter.length; i++) {
      const usesSvc3 = routesAfter[i]?.destination?.settings?.some((s) => s.metadata?.name === "svc-3") === true;
      if (usesSvc3) {
        expect(routesAfter[i]).not.toBe(routesBefore[i]);
        expect(routesAfter[i]?.destination?.settings?.[0]?.endpoints).toEqual([{ host: "10.9.9.9", port: 8080, zone: "zone-0" }]);
      } else expect(routesAfter[i]).toBe(routesBefore[i]);
    }
  });

  it("falls back to the full path when a Service's endpoints become empty, and when they come back", () => {
    const t = createIncrementalTranslator();
    t.translate(resources(initial), options, now);
    // An EndpointSlice without endpoints: the route using svc-2 gets "no ready endpoints", a status change.
    const emptied: Model = { ...initial, slices: initial.slices.map(([i, a, r]) => (i === 2 ? [i, [], r] : [i, a, r])) };
    const input = resources(emptied);
    const got = t.translate(input, options, now);
    expect(t.lastRun?.path).toBe("full");
    expect(got).toEqual(translateToIR(input, options, now));
    expect(JSON.stringify(got.resources)).toContain("no ready endpoints for the related Service apps/svc-2");
    const restored = resources(initial);
    const back = t.translate(restored, options, now);
    expect(t.lastRun?.path).toBe("full");
    expect(back).toEqual(translateToIR(restored, options, now));
    // Removing the slice altogether also empties the endpoints.
    t.translate(resources(apply(initial, { kind: "removeSlice", svc: 4 })), options, now);
    expect(t.lastRun?.path).toBe("full");
  });

  it("shares unchanged IR subtrees with the previous result on the full path", () => {
    const t = createIncrementalTranslator();
    const first = t.translate(resources(initial), options, now);
    const m = apply(initial, { kind: "route", i: 9, backend: 1, path: "/new" });
    const second = t.translate(resources(m), options, now);
    expect(t.lastRun?.path).toBe("full");
    const before = new Map((first.xdsIR.get("infra/gw")?.http?.[0]?.routes ?? []).map((r) => [r.name, r]));
    const after = second.xdsIR.get("infra/gw")?.http?.[0]?.routes ?? [];
    expect(after.filter((r) => before.get(r.name) === r).length).toBe(before.size);
  });

  it("runs the full path after invalidate and when options change", () => {
    const t = createIncrementalTranslator();
    t.translate(resources(initial), options, now);
    t.invalidate();
    t.translate(resources(initial), options, now);
    expect(t.lastRun?.path).toBe("full");
    t.translate(resources(initial), { ...options, backendEnabled: true }, now);
    expect(t.lastRun?.path).toBe("full");
  });
});
