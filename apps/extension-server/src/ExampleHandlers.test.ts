import { describe, expect, it } from "vitest";
import { unpackAnyAs } from "@egts/envoy-api";
import { Cluster_DiscoveryType, Cluster_LbPolicy } from "@egts/envoy-api/generated/envoy/config/cluster/v3/cluster";
import { BasicAuth } from "@egts/envoy-api/generated/envoy/extensions/filters/http/basic_auth/v3/basic_auth";
import { HttpConnectionManager } from "@egts/envoy-api/generated/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager";
import type { ExtensionResource } from "@egts/extension-server";
import { translateXds } from "@egts/xds-translator";
import { exampleHandlers, htpasswd, INFERENCE_POOL_API_VERSION, parseServerArgs } from "./index.js";

const resource = (o: object): ExtensionResource => ({ unstructuredBytes: Buffer.from(JSON.stringify(o)) });

// A listener, route and cluster as the xDS translator builds them for one HTTP listener with one route.
const translated = translateXds({
  http: [
    {
      name: "default/gw/http",
      address: "0.0.0.0",
      port: 10080,
      hostnames: ["*"],
      path: { mergeSlashes: true, escapedSlashesAction: "UnescapeAndRedirect" },
      routes: [
        {
          name: "r1",
          hostname: "*",
          isHTTP2: false,
          destination: { name: "r1-dest", settings: [{ name: "r1-dest/0", weight: 1, endpoints: [{ host: "10.0.0.1", port: 80 }] }] },
        },
      ],
    },
  ],
});

describe("exampleHandlers", () => {
  const handlers = exampleHandlers();

  it("puts a basic auth filter with the ListenerContextExample's users in front of the listener's HTTP filters", async () => {
    const listener = translated.listeners[0]!.message;
    const response = await handlers.postHttpListenerModify!({
      listener,
      postListenerContext: { extensionResources: [resource({ kind: "ListenerContextExample", spec: { username: "bob", password: "secret" } })] },
    });
    const filter = response.listener?.defaultFilterChain?.filters[0];
    expect(filter?.configType?.$case).toBe("typedConfig");
    const hcm = unpackAnyAs(HttpConnectionManager, (filter!.configType as unknown as { value: never }).value);
    expect(hcm.httpFilters.map((f) => f.name)).toEqual(["envoy.filters.http.basic_auth", "envoy.filters.http.router"]);
    const auth = unpackAnyAs(BasicAuth, (hcm.httpFilters[0]!.configType as unknown as { value: never }).value);
    expect(auth.forwardUsernameHeader).toBe("X-Example-Ext");
    expect(auth.users?.specifier).toEqual({ $case: "inlineString", value: "bob:{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ=\n" });
    const unchanged = await handlers.postHttpListenerModify!({ listener, postListenerContext: { extensionResources: [] } });
    expect(unchanged.listener).toBe(listener);
  });

  it("adds a RouteContextExample's response header and sends InferencePool routes to the pool's cluster", async () => {
    const route = translated.routes[0]!.message.virtualHosts[0]!.routes[0]!;
    const response = await handlers.postRouteModify!({
      route,
      postRouteContext: {
        hostnames: ["*"],
        extensionPolicies: [resource({ kind: "RouteContextExample", spec: { responseHeaderName: "x-example", responseHeaderValue: "yes" } })],
        extensionResources: [resource({ kind: "InferencePool", apiVersion: INFERENCE_POOL_API_VERSION, metadata: { name: "pool", namespace: "ai" } })],
      },
    });
    expect(response.route?.responseHeadersToAdd.map((h) => [h.header?.key, h.header?.value])).toEqual([["x-example", "yes"]]);
    const action = response.route?.action;
    expect(action?.$case === "route" ? action.value.clusterSpecifier : undefined).toEqual({ $case: "cluster", value: "endpointpicker_pool_ai_original_dst" });
    expect(route.responseHeadersToAdd).toEqual([]);
  });

  it("turns the cluster of a rule with one InferencePool into an ORIGINAL_DST cluster", async () => {
    const cluster = translated.clusters[0]!.message;
    const pool = resource({ kind: "InferencePool", apiVersion: INFERENCE_POOL_API_VERSION, metadata: { name: "pool" } });
    const response = await handlers.postClusterModify!({ cluster, postClusterContext: { backendExtensionResources: [pool] } });
    expect(response.cluster?.clusterDiscoveryType).toEqual({ $case: "type", value: Cluster_DiscoveryType.ORIGINAL_DST });
    expect(response.cluster?.lbPolicy).toBe(Cluster_LbPolicy.CLUSTER_PROVIDED);
    expect(response.cluster?.edsClusterConfig).toBeUndefined();
    const two = await handlers.postClusterModify!({ cluster, postClusterContext: { backendExtensionResources: [pool, pool] } });
    expect(two.cluster).toBe(cluster);
  });
});

describe("htpasswd and the command line", () => {
  it("writes SHA-1 htpasswd lines sorted by user", () => {
    expect(
      htpasswd(
        new Map([
          ["b", "x"],
          ["a", "x"],
        ]),
      ),
    ).toBe("a:{SHA}EfatjsUqKYSrqv18O1FlA3hcIHI=\nb:{SHA}EfatjsUqKYSrqv18O1FlA3hcIHI=\n");
  });

  it("defaults to upstream's example address and rejects half a TLS configuration", () => {
    expect(parseServerArgs([]).options).toEqual({ host: "0.0.0.0", port: 5005 });
    expect(() => parseServerArgs(["--tls-cert", "cert.pem"])).toThrow(/--tls-cert and --tls-key go together/);
    expect(() => parseServerArgs(["--port", "70000"])).toThrow(/not a port number/);
  });
});
