import { describe, expect, it } from "vitest";
import type { JsonObject } from "@bufbuild/protobuf";
import type { HTTPListener, HTTPRoute, Xds } from "@egts/ir";
import { chainExtensionHooks, translateXds, translateXdsWithExtensions, type ExtensionHooks, type ExtensionObject } from "./index.js";

const filter = (kind: string, name: string, group = "foo.example.io"): { object: ExtensionObject & JsonObject } => ({
  object: { apiVersion: `${group}/v1`, kind, metadata: { name, namespace: "default" } },
});

const route = (over: Partial<HTTPRoute> = {}): HTTPRoute => ({
  name: "r1",
  hostname: "www.example.com",
  isHTTP2: false,
  destination: { name: "r1-dest", settings: [{ name: "r1-dest/backend/0", weight: 1, endpoints: [{ host: "10.0.0.1", port: 8080 }] }] },
  ...over,
});

const listener = (routes: HTTPRoute[], over: Partial<HTTPListener> = {}): HTTPListener => ({
  name: "default/gw/http",
  address: "0.0.0.0",
  port: 10080,
  hostnames: ["*"],
  path: { mergeSlashes: true, escapedSlashesAction: "UnescapeAndRedirect" },
  routes,
  ...over,
});

const ir: Xds = {
  http: [
    listener([
      route({ extensionRefs: [filter("Widget", "w1")] }),
      route({ name: "r2", destination: { name: "r2-dest", settings: [{ name: "r2-dest/0", weight: 1, endpoints: [{ host: "10.0.0.2", port: 80 }] }] } }),
    ]),
  ],
  extensionServerPolicies: [filter("Policy", "p1", "bar.example.io")],
};

const bytesOf = (r: Awaited<ReturnType<typeof translateXdsWithExtensions>>) =>
  [r.listeners, r.routes, r.clusters, r.endpoints, r.secrets].map((list) => list.map((x) => Buffer.from(x.bytes).toString("hex")));

describe("translateXdsWithExtensions", () => {
  it("gives the synchronous translation's bytes when no hook is subscribed", async () => {
    const withHooks = await translateXdsWithExtensions(ir, {}, { failOpen: false });
    expect(withHooks.errors).toEqual([]);
    expect(bytesOf(withHooks)).toEqual(bytesOf(translateXds(ir)));
  });

  it("calls the Route hook only for routes with extension refs, with their objects and the virtual host's domains, before the VirtualHost hook", async () => {
    const calls: string[] = [];
    const hooks: ExtensionHooks = {
      failOpen: false,
      async postRouteModify(r, ctx) {
        calls.push(`route ${r.name} ${ctx.hostnames.join(",")} ${ctx.extensionResources.map((o) => o.kind).join(",")}`);
        return { ...r, name: `${r.name}-modified` };
      },
      async postVirtualHostModify(vh) {
        calls.push(`vhost ${vh.routes.map((r) => r.name).join(",")}`);
        return undefined;
      },
    };
    const result = await translateXdsWithExtensions(ir, {}, hooks);
    expect(result.errors).toEqual([]);
    expect(calls).toEqual(["route r1 www.example.com Widget", "vhost r1-modified,r2"]);
    expect(result.routes[0]?.message.virtualHosts[0]?.routes.map((r) => r.name)).toEqual(["r1-modified", "r2"]);
  });

  it("keeps the resource and joins the error when a fail-closed hook fails; reports it and goes on when failing open", async () => {
    const failing = (failOpen: boolean, reported: string[]): ExtensionHooks => ({
      failOpen,
      postRouteModify: async () => {
        throw new Error("route hook down");
      },
      onFailOpenError: (hook, e) => reported.push(`${hook}: ${e.message}`),
    });
    const closedReports: string[] = [];
    const closed = await translateXdsWithExtensions(ir, {}, failing(false, closedReports));
    expect(closed.errors.map((e) => e.message)).toEqual(["route hook down"]);
    expect(closed.routes[0]?.message.virtualHosts[0]?.routes.map((r) => r.name)).toEqual(["r1", "r2"]);
    expect(closedReports).toEqual([]);
    const openReports: string[] = [];
    const open = await translateXdsWithExtensions(ir, {}, failing(true, openReports));
    expect(open.errors).toEqual([]);
    expect(openReports).toEqual(["Route: route hook down"]);
  });

  it("leaves a cluster out when its fail-closed Endpoints hook fails, and passes the route's refs to the Cluster hook", async () => {
    const seen: string[] = [];
    const result = await translateXdsWithExtensions(
      ir,
      {},
      {
        failOpen: false,
        async postEndpointsModify(cla) {
          if (cla.clusterName === "r2-dest") throw new Error("no endpoints for you");
          return cla;
        },
        async postClusterModify(c, ctx) {
          seen.push(`${c.name}: ${ctx.backendExtensionResources.map((o) => o.kind).join(",")}`);
          return { ...c, perConnectionBufferLimitBytes: 1024 };
        },
      },
    );
    expect(result.errors.map((e) => e.message)).toEqual(["no endpoints for you"]);
    expect(result.clusters.map((c) => c.name)).toEqual(["r1-dest"]);
    expect(result.endpoints.map((e) => e.name)).toEqual(["r1-dest"]);
    expect(seen).toEqual(["r1-dest: Widget"]);
    expect(result.clusters[0]?.message.perConnectionBufferLimitBytes).toBe(1024);
  });

  it("calls the HTTPListener hook with a whole listener and replaces it by name", async () => {
    const result = await translateXdsWithExtensions(
      { http: [listener([route()], { extensionRefs: [filter("ListenerThing", "l1"), filter("ListenerThing", "l1")] })] },
      {},
      {
        failOpen: false,
        async postHttpListenerModify(l, ctx) {
          const hcm = l.defaultFilterChain?.filters[0]?.configType;
          expect(hcm?.$case).toBe("typedConfig");
          expect(ctx.extensionResources).toHaveLength(1);
          return { ...l, statPrefix: "from-extension" };
        },
      },
    );
    expect(result.errors).toEqual([]);
    expect(result.listeners[0]?.message.statPrefix).toBe("from-extension");
  });

  it("sends the selected lists to the Translation hook and uses the lists it returns", async () => {
    const result = await translateXdsWithExtensions(
      ir,
      {},
      {
        failOpen: false,
        translation: { clusters: true, secrets: false, listeners: false, routes: false },
        async postTranslateModify(sent, ctx) {
          expect(sent.listeners).toBeUndefined();
          expect(ctx.extensionResources.map((o) => o.kind)).toEqual(["Policy"]);
          return { clusters: (sent.clusters ?? []).filter((c) => c.name !== "r2-dest") };
        },
      },
    );
    expect(result.errors).toEqual([]);
    expect(result.clusters.map((c) => c.name)).toEqual(["r1-dest"]);
    expect(result.listeners).toHaveLength(1);
  });
});

describe("chainExtensionHooks", () => {
  it("threads a resource through the members in order, each seeing only the kinds it owns", async () => {
    const seen: string[] = [];
    const member = (name: string, failOpen: boolean): ExtensionHooks => ({
      failOpen,
      async postRouteModify(r, ctx) {
        seen.push(`${name}: ${ctx.extensionResources.map((o) => o.kind).join(",")}`);
        return { ...r, name: `${r.name}+${name}` };
      },
    });
    const chain = chainExtensionHooks([
      { name: "a", hooks: member("a", false), resourceKinds: [{ group: "foo.example.io", kind: "Widget" }], policyKinds: [] },
      { name: "b", hooks: member("b", false), resourceKinds: [{ group: "foo.example.io", kind: "Gadget" }], policyKinds: [] },
    ]);
    const out = await chain.postRouteModify?.({ name: "r" } as never, {
      hostnames: [],
      extensionResources: [filter("Widget", "w").object, filter("Gadget", "g").object],
      extensionPolicies: [],
    });
    expect(out?.name).toBe("r+a+b");
    expect(seen).toEqual(["a: Widget", "b: Gadget"]);
    expect(chain.failOpen).toBe(false);
  });

  it("skips a failing fail-open member and names a failing fail-closed one", async () => {
    const broken = (failOpen: boolean): ExtensionHooks => ({
      failOpen,
      postVirtualHostModify: async () => {
        throw new Error("boom");
      },
    });
    const fine: ExtensionHooks = { failOpen: false, postVirtualHostModify: async (vh) => ({ ...vh, name: "changed" }) };
    const lenient = chainExtensionHooks([
      { name: "ext-a", hooks: broken(true), resourceKinds: [], policyKinds: [] },
      { name: "ext-b", hooks: fine, resourceKinds: [], policyKinds: [] },
    ]);
    expect((await lenient.postVirtualHostModify?.({ name: "vh" } as never))?.name).toBe("changed");
    const strict = chainExtensionHooks([
      { name: "ext-a", hooks: broken(false), resourceKinds: [], policyKinds: [] },
      { name: "ext-b", hooks: fine, resourceKinds: [], policyKinds: [] },
    ]);
    await expect(strict.postVirtualHostModify?.({ name: "vh" } as never)).rejects.toThrow('extension "ext-a": boom');
  });
});
