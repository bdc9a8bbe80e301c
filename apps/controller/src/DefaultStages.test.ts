import { describe, expect, it } from "vitest";
import type { Resources } from "@egts/api";
import { createLuaValidator } from "@egts/lua-validator";
import { defaultStages } from "./DefaultStages.js";

const settings = {
  gatewayControllerName: "gateway.envoyproxy.io/gatewayclass-controller",
  gatewayClassName: "eg",
  controllerNamespace: "envoy-gateway-system",
  runningOnHost: true,
  envoyPatchPolicyEnabled: false,
  backendEnabled: false,
  luaEnvoyExtensionPolicyDisabled: false,
  sdsSecretRefEnabled: false,
  globalRateLimitEnabled: false,
};

/** A Gateway with two routes; the EnvoyExtensionPolicy on /lua carries the given script. */
function resources(script: string): Resources {
  const route = (name: string, path: string) => ({
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "HTTPRoute",
    metadata: { name, namespace: "ns" },
    spec: { parentRefs: [{ name: "gw" }], rules: [{ matches: [{ path: { type: "PathPrefix", value: path } }], backendRefs: [{ name: "svc", port: 80 }] }] },
  });
  return {
    gatewayClass: {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "GatewayClass",
      metadata: { name: "eg" },
      spec: { controllerName: settings.gatewayControllerName },
    },
    gateways: [
      {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "Gateway",
        metadata: { name: "gw", namespace: "ns" },
        spec: { gatewayClassName: "eg", listeners: [{ name: "http", protocol: "HTTP", port: 8080 }] },
      },
    ],
    httpRoutes: [route("lua", "/lua"), route("plain", "/plain")],
    services: [
      {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: "svc", namespace: "ns" },
        spec: { clusterIP: "10.0.0.1", ports: [{ name: "http", port: 80, protocol: "TCP" }] },
      },
    ],
    envoyExtensionPolicies: [
      {
        apiVersion: "gateway.envoyproxy.io/v1alpha1",
        kind: "EnvoyExtensionPolicy",
        metadata: { name: "script", namespace: "ns" },
        spec: { targetRefs: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: "lua" }], lua: [{ type: "Inline", inline: script }] },
      },
    ],
  } as unknown as Resources;
}

describe("default stages with the Lua validator", () => {
  it("rejects a script that calls a method Envoy lacks, leaving the other route alone", async () => {
    const stages = defaultStages({ luaValidator: await createLuaValidator() });
    const out = stages.translateGatewayApi(resources("function envoy_on_request(h) h:noSuchMethod() end"), settings);
    const policy = out.statuses.find((s) => s.kind === "EnvoyExtensionPolicy") as {
      status: { ancestors: Array<{ conditions: Array<{ status: string; message: string }> }> };
    };
    const accepted = policy.status.ancestors[0]!.conditions[0]!;
    expect(accepted.status).toBe("False");
    expect(accepted.message).toContain("failed to validate with envoy_on_request: <string>:1: attempt to call a non-function object");
    const routes = [...out.xdsIR.values()].flatMap((x) => x.http ?? []).flatMap((h) => h.routes ?? []);
    expect(routes.find((r) => r.name.includes("/lua/"))?.directResponse?.statusCode).toBe(500);
    // The other route is translated exactly as it is without the policy.
    const without = stages.translateGatewayApi({ ...resources(""), envoyExtensionPolicies: [] }, settings);
    const plainWithout = [...without.xdsIR.values()]
      .flatMap((x) => x.http ?? [])
      .flatMap((h) => h.routes ?? [])
      .find((r) => r.name.includes("/plain/"));
    expect(plainWithout).toBeDefined();
    expect(routes.find((r) => r.name.includes("/plain/"))).toEqual(plainWithout);
  });

  it("accepts a script that only uses Envoy's API", async () => {
    const stages = defaultStages({ luaValidator: await createLuaValidator() });
    const out = stages.translateGatewayApi(resources("function envoy_on_response(h) h:headers():add('x', 'y') end"), settings);
    const routes = [...out.xdsIR.values()].flatMap((x) => x.http ?? []).flatMap((h) => h.routes ?? []);
    expect(routes.find((r) => r.name.includes("/lua/"))?.envoyExtensions?.luas).toHaveLength(1);
  });
});

describe("default stages loading the Lua VM on demand", () => {
  it("loads it only for resources that carry Lua, then validates with it", async () => {
    let loads = 0;
    const stages = defaultStages({
      loadLuaValidator: () => {
        loads++;
        return createLuaValidator();
      },
    });
    const withLua = resources("function envoy_on_request(h) h:noSuchMethod() end");
    expect(stages.prepareGatewayApi?.({ ...withLua, envoyExtensionPolicies: [] })).toBeUndefined();
    expect(loads).toBe(0);
    const loading = stages.prepareGatewayApi?.(withLua);
    expect(loading).toBeInstanceOf(Promise);
    expect(stages.prepareGatewayApi?.(withLua)).toBe(loading);
    await loading;
    expect(stages.prepareGatewayApi?.(withLua)).toBeUndefined();
    expect(loads).toBe(1);
    // The script fails only when run, so this rejection is the VM's.
    const out = stages.translateGatewayApi(withLua, settings);
    const policy = out.statuses.find((s) => s.kind === "EnvoyExtensionPolicy") as { status: { ancestors: Array<{ conditions: Array<{ message: string }> }> } };
    expect(policy.status.ancestors[0]!.conditions[0]!.message).toContain("attempt to call a non-function object");
  });

  it("translates with the entry-point check only when the VM cannot be loaded", async () => {
    const stages = defaultStages({ loadLuaValidator: () => Promise.reject(new Error("no wasm here")) });
    const withLua = resources("function envoy_on_request(h) h:noSuchMethod() end");
    await stages.prepareGatewayApi?.(withLua);
    expect(stages.prepareGatewayApi?.(withLua)).toBeUndefined();
    const routes = [...stages.translateGatewayApi(withLua, settings).xdsIR.values()].flatMap((x) => x.http ?? []).flatMap((h) => h.routes ?? []);
    expect(routes.find((r) => r.name.includes("/lua/"))?.envoyExtensions?.luas).toHaveLength(1);
  });
});

describe("default stages are incremental", () => {
  const xdsSettings = { controllerNamespace: "envoy-gateway-system", dnsDomain: "cluster.local" };

  it("reuses the Gateway API result, its statuses and the xDS translation when nothing changed", () => {
    const stages = defaultStages();
    const input = resources("function envoy_on_response(h) end");
    const first = stages.translateGatewayApi(input, settings);
    expect(first.path).toBe("full");
    const second = stages.translateGatewayApi(input, settings);
    expect(second.path).toBe("unchanged");
    expect(second.statuses).toBe(first.statuses);
    const [key, ir] = [...second.xdsIR][0]!;
    expect(ir).toBe(first.xdsIR.get(key));
    const built = stages.translateXds(ir, xdsSettings, key);
    const reused = stages.translateXds(ir, xdsSettings, key);
    expect(built.work?.built).toBeGreaterThan(0);
    expect(reused.work).toEqual({ built: 0, reused: built.work?.built, path: "identical" });
    expect(reused.resources.listeners.map((l) => l.bytes)).toEqual(built.resources.listeners.map((l) => l.bytes));
  });

  it("reports the route path for an edit of one route's matches", () => {
    const stages = defaultStages();
    const input = resources("function envoy_on_response(h) end");
    const first = stages.translateGatewayApi(input, settings);
    const routes = input.httpRoutes ?? [];
    const plain = routes[1] as unknown as { spec: { rules: Array<{ matches: unknown[] }> } };
    const edited = {
      ...input,
      httpRoutes: [routes[0], { ...plain, spec: { ...plain.spec, rules: [{ ...plain.spec.rules[0], matches: [{ path: { type: "Exact", value: "/p" } }] }] } }],
    } as unknown as Resources;
    const second = stages.translateGatewayApi(edited, settings);
    expect(second.path).toBe("routes");
    expect(second.statuses).not.toBe(first.statuses);
    // The statuses are what a fresh reading of the same result gives; the entries of objects the route path
    // handed over again are the previous entries themselves, the edited route's is new.
    const fresh = defaultStages().translateGatewayApi(edited, settings).statuses;
    expect(second.statuses).toEqual(fresh);
    const entryOf = (statuses: typeof fresh, kind: string, name: string) => statuses.find((s) => s.kind === kind && s.name === name);
    const editedName = (plain as unknown as { metadata: { name: string } }).metadata.name;
    const otherName = (routes[0] as unknown as { metadata: { name: string } }).metadata.name;
    expect(entryOf(second.statuses, "HTTPRoute", editedName)).not.toBe(entryOf(first.statuses, "HTTPRoute", editedName));
    expect(entryOf(second.statuses, "HTTPRoute", otherName)).toBe(entryOf(first.statuses, "HTTPRoute", otherName));
    const [key, ir] = [...second.xdsIR][0]!;
    expect(JSON.stringify(ir.http?.[0]?.routes?.map((r) => r.pathMatch))).toContain('"exact":"/p"');
    expect(first.xdsIR.get(key)).not.toBe(ir);
  });

  it("translates in full again after invalidate()", () => {
    const stages = defaultStages();
    const input = resources("function envoy_on_response(h) end");
    stages.translateGatewayApi(input, settings);
    stages.invalidate?.();
    expect(stages.translateGatewayApi(input, settings).path).toBe("full");
  });
});
