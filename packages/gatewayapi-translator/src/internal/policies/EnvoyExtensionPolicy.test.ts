import { describe, expect, it } from "vitest";
import type { Resources } from "@egts/api";
import { emptyResources } from "@egts/api";
import { ResourceIndex } from "../Index.js";
import type { GatewayContext } from "../Model.js";
import { translateResources, translateResourcesToIR, translateResultToJson } from "../Translator.js";
import { processEnvoyExtensionPolicies, type WasmCache, type WasmFetchOptions } from "./EnvoyExtensionPolicy.js";
import { mergePolicySpecs } from "./TargetedPolicies.js";

const options = {
  gatewayControllerName: "gateway.envoyproxy.io/gatewayclass-controller",
  gatewayClassName: "eg",
  controllerNamespace: "envoy-gateway-system",
};

function resources(envoyExtensionPolicies: unknown[], extra: Record<string, unknown> = {}): Resources {
  return {
    gateways: [
      {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "Gateway",
        metadata: { name: "gw", namespace: "ns" },
        spec: { gatewayClassName: "eg", listeners: [{ name: "http", protocol: "HTTP", port: 80 }] },
      },
    ],
    httpRoutes: [
      {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "HTTPRoute",
        metadata: { name: "route", namespace: "ns" },
        spec: { parentRefs: [{ name: "gw" }], rules: [{ matches: [{ path: { type: "PathPrefix", value: "/" } }] }] },
      },
    ],
    envoyExtensionPolicies,
    ...extra,
  } as unknown as Resources;
}

const eep = (name: string, spec: Record<string, unknown>): unknown => ({
  apiVersion: "gateway.envoyproxy.io/v1alpha1",
  kind: "EnvoyExtensionPolicy",
  metadata: { name, namespace: "ns" },
  spec: { targetRefs: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: "route" }], ...spec },
});

type Out = Record<string, any>;
const route = (out: Out): Out => out["xdsIR"]["ns/gw"].http[0].routes[0];

describe("EnvoyExtensionPolicy", () => {
  it("puts inline Lua on the route under upstream's capitalized field names", () => {
    const out = translateResources(resources([eep("lua", { lua: [{ type: "Inline", inline: "function envoy_on_request(h) end" }] })]), options) as Out;
    expect(route(out)["envoyExtensions"]).toEqual({ luas: [{ Name: "envoyextensionpolicy/ns/lua/lua/0", Code: "function envoy_on_request(h) end" }] });
  });

  it("keeps the IR's Lua field names in memory, which the xDS translator reads, and upstream's in the JSON", () => {
    const policy = {
      apiVersion: "gateway.envoyproxy.io/v1alpha1",
      kind: "EnvoyExtensionPolicy",
      metadata: { name: "lua", namespace: "ns" },
      spec: {
        targetRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "gw" }],
        lua: [{ type: "Inline", inline: "function envoy_on_request(h) end" }],
      },
    };
    const second = {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "HTTPRoute",
      metadata: { name: "second", namespace: "ns" },
      spec: { parentRefs: [{ name: "gw" }], rules: [{ matches: [{ path: { type: "PathPrefix", value: "/second" } }] }] },
    };
    const input = resources([policy]);
    const result = translateResourcesToIR({ ...input, httpRoutes: [...input.httpRoutes, second] } as Resources, options);
    const routes = result.xdsIR.get("ns/gw")?.http?.[0]?.routes ?? [];
    expect(routes).toHaveLength(2);
    const name = "envoyextensionpolicy/ns/lua/lua/0";
    for (const r of routes) expect(r.envoyExtensions?.luas).toEqual([{ name, code: "function envoy_on_request(h) end" }]);
    // A Gateway policy gives its routes one shared list; the JSON form renames each script once.
    const json = translateResultToJson(result) as Out;
    for (const r of json["xdsIR"]["ns/gw"].http[0].routes) {
      expect(r.envoyExtensions.luas).toEqual([{ Name: name, Code: "function envoy_on_request(h) end" }]);
    }
  });

  it("answers 500 when Lua is disabled and says why", () => {
    const out = translateResources(resources([eep("lua", { lua: [{ type: "Inline", inline: "x" }] })]), {
      ...options,
      luaEnvoyExtensionPolicyDisabled: true,
    }) as Out;
    expect(route(out)["directResponse"]).toEqual({ statusCode: 500 });
    expect(out["envoyExtensionPolicies"][0].status.ancestors[0].conditions[0].message).toBe(
      "Lua: Skipping Lua EnvoyExtensionPolicy as feature is disabled in the Gateway.",
    );
  });

  it("builds an ext proc destination from a Service and lets a fail-open ext proc error through", () => {
    const svc = {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "proc", namespace: "ns" },
      spec: { clusterIP: "10.0.0.1", ports: [{ port: 9000, protocol: "TCP" }] },
    };
    const slice = {
      apiVersion: "discovery.k8s.io/v1",
      kind: "EndpointSlice",
      metadata: { name: "proc-1", namespace: "ns", labels: { "kubernetes.io/service-name": "proc" } },
      addressType: "IPv4",
      endpoints: [{ addresses: ["10.1.1.1"], conditions: { ready: true } }],
      ports: [{ port: 9000, protocol: "TCP" }],
    };
    const ok = translateResources(
      resources([eep("p", { extProc: [{ backendRefs: [{ name: "proc", port: 9000 }] }] })], { services: [svc], endpointSlices: [slice] }),
      options,
    ) as Out;
    const proc = route(ok)["envoyExtensions"].extProcs[0];
    expect(proc).toMatchObject({ name: "envoyextensionpolicy/ns/p/extproc/0", authority: "proc.ns:9000" });
    expect(proc.destination.name).toBe("envoyextensionpolicy/ns/p/extproc/0");
    expect(proc.destination.settings[0]).toMatchObject({ protocol: "GRPC", weight: 1, endpoints: [{ host: "10.1.1.1", port: 9000 }] });
    const broken = translateResources(resources([eep("p", { extProc: [{ backendRefs: [{ name: "missing", port: 9000 }], failOpen: true }] })]), options) as Out;
    // Every broken ext proc is fail-open, so the route keeps (empty) extensions rather than failing closed.
    expect(route(broken)["envoyExtensions"]).toEqual({});
    expect(broken["envoyExtensionPolicies"][0].status.ancestors[0].conditions[0].message).toBe("ExtProc: service ns/missing not found.");
  });
});

describe("mergePolicySpecs", () => {
  it("merges objects, replaces lists, and combines keyed lists under strategic merge", () => {
    const parent = {
      a: { x: 1, y: 2 },
      list: [1, 2],
      keyed: [
        { name: "s", v: 1 },
        { name: "p", v: 2 },
      ],
    };
    const child = {
      a: { y: 3 },
      list: [3],
      keyed: [
        { name: "s", v: 9 },
        { name: "c", v: 4 },
      ],
    };
    const keyed = new Map([["keyed", "name"]]);
    expect(mergePolicySpecs(parent, child, "StrategicMerge", keyed)).toEqual({
      a: { x: 1, y: 3 },
      list: [3],
      keyed: [
        { name: "s", v: 9 },
        { name: "c", v: 4 },
        { name: "p", v: 2 },
      ],
    });
    expect(mergePolicySpecs(parent, child, "JSONMerge", keyed)["keyed"]).toEqual(child.keyed);
  });
});

describe("Wasm extensions", () => {
  // A test double of the module cache: it records what it was asked and answers a fixed location.
  function recordingCache(): { cache: WasmCache; calls: Array<[string, WasmFetchOptions]> } {
    const calls: Array<[string, WasmFetchOptions]> = [];
    return {
      calls,
      cache: (url, opts) => {
        calls.push([url, opts]);
        return { servingURL: `https://cache.test/${opts.resourceName}.wasm`, checksum: "abc" };
      },
    };
  }

  function run(spec: Record<string, unknown>, cache: WasmCache | undefined, secrets: unknown[] = []): Out {
    const http = { name: "ns/gw/http", routes: [{ name: "httproute/ns/r/rule/0/match/0/x" }] };
    const gateway = {
      name: "gw",
      namespace: "ns",
      irKey: "ns/gw",
      gateway: { metadata: { name: "gw", namespace: "ns" } },
      listeners: [] as unknown[],
      envoyProxy: undefined,
    };
    gateway.listeners.push({ listener: { name: "http" }, gateway });
    const index = new ResourceIndex({ ...emptyResources(), secrets } as unknown as Resources);
    const policies = processEnvoyExtensionPolicies(
      [
        {
          apiVersion: "gateway.envoyproxy.io/v1alpha1",
          kind: "EnvoyExtensionPolicy",
          metadata: { name: "w", namespace: "ns" },
          spec: { targetRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "gw" }], ...spec },
        },
      ] as never,
      {
        gateways: [gateway as unknown as GatewayContext],
        listenerSets: [],
        routes: [],
        xdsIR: new Map([["ns/gw", { http: [http] } as never]]),
        index,
        options,
        controllerName: options.gatewayControllerName,
        backendTLS: () => undefined,
        ...(cache !== undefined ? { wasmCache: cache } : {}),
      },
    );
    return { policies, route: http.routes[0] };
  }

  const image = { name: "f", code: { type: "Image", image: { url: "registry.test/filter", pullSecretRef: { name: "pull" } } } };
  const pull = {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "pull", namespace: "ns" },
    data: { ".dockerconfigjson": Buffer.from("{}").toString("base64") },
  };

  it("fetches an image module with its pull secret and a :latest tag, and records where Envoy gets it", () => {
    const { cache, calls } = recordingCache();
    const out = run({ wasm: [image] }, cache, [pull]);
    expect(calls[0]?.[0]).toBe("oci://registry.test/filter:latest");
    expect(Buffer.from(calls[0]?.[1].pullSecret ?? []).toString()).toBe("{}");
    expect(out["route"].envoyExtensions.wasms[0]).toMatchObject({
      name: "envoyextensionpolicy/ns/w/wasm/0",
      wasmName: "f",
      failOpen: false,
      httpWasmCode: {
        servingURL: "https://cache.test/envoyextensionpolicy/ns/w/wasm/0.wasm",
        sha256: "abc",
        originalDownloadingURL: "oci://registry.test/filter:latest",
      },
    });
  });

  it("fails the policy when the pull secret is missing or no cache is configured", () => {
    const { cache } = recordingCache();
    const missing = run({ wasm: [image] }, cache);
    expect(missing["policies"][0].status.ancestors[0].conditions[0].message).toBe("Wasm: secret ns/pull does not exist.");
    expect(missing["route"].directResponse).toEqual({ statusCode: 500 });
    const noCache = run({ wasm: [image] }, undefined, [pull]);
    expect(noCache["policies"][0].status.ancestors[0].conditions[0].message).toBe("Wasm: wasm cache is not initialized.");
  });
});
