import { packAny } from "@egts/envoy-api";
import { Cluster, Cluster_DiscoveryType, Cluster_OriginalDstLbConfig } from "@egts/envoy-api/generated/envoy/config/cluster/v3/cluster";
import { ApiConfigSource_ApiType } from "@egts/envoy-api/generated/envoy/config/core/v3/config_source";
import { HeaderValueOption } from "@egts/envoy-api/generated/envoy/config/core/v3/base";
import { SocketAddress_Protocol } from "@egts/envoy-api/generated/envoy/config/core/v3/address";
import { Listener } from "@egts/envoy-api/generated/envoy/config/listener/v3/listener";
import { RouteConfiguration } from "@egts/envoy-api/generated/envoy/config/route/v3/route";
import { Route } from "@egts/envoy-api/generated/envoy/config/route/v3/route_components";
import { Secret } from "@egts/envoy-api/generated/envoy/extensions/transport_sockets/tls/v3/secret";
import { UpstreamTlsContext } from "@egts/envoy-api/generated/envoy/extensions/transport_sockets/tls/v3/tls";
import { createExtensionServer, parseExtensionResources, type ExtensionServerHandlers, type RunningExtensionServer } from "@egts/extension-server";

/**
 * A TEST DOUBLE of upstream's test extension server (`internal/xds/translator/extensionserver_test.go`), as the
 * reference corpus's extra-suites.md describes it hook by hook, for the `extension` suite: it reacts to the
 * resource names and extension objects the corpus inputs use, and fails where upstream's fails, with the same
 * messages. It serves over real gRPC on loopback through `@egts/extension-server`.
 */
export const testDoubleExtensionHandlers: ExtensionServerHandlers = {
  postRouteModify(req) {
    const route = req.route;
    if (route?.name === "extension-post-xdsroute-hook-error") throw new Error("route hook resource error");
    if (route === undefined) return { route };
    const ctx = req.postRouteContext;
    const refs = parseExtensionResources(ctx?.extensionResources ?? []);
    const policies = parseExtensionResources(ctx?.extensionPolicies ?? []);
    if (refs.length === 0 && policies.length === 0) return { route };
    const copy = Route.decode(Route.encode(route).finish());
    const header = (key: string, value: string) => HeaderValueOption.fromPartial({ header: { key, value } });
    for (const r of refs) {
      const u = unstructured(r);
      copy.responseHeadersToAdd.push(
        header("mock-extension-was-here-route-name", copy.name),
        header("mock-extension-was-here-route-hostnames", (ctx?.hostnames ?? []).join(", ")),
        header("mock-extension-was-here-extensionRef-name", u.name),
        header("mock-extension-was-here-extensionRef-namespace", u.namespace),
        header("mock-extension-was-here-extensionRef-kind", u.kind),
        header("mock-extension-was-here-extensionRef-apiversion", u.apiVersion),
      );
    }
    for (const p of policies) {
      const u = unstructured(p);
      copy.responseHeadersToAdd.push(
        header("mock-extension-was-here-extensionPolicy-name", u.name),
        header("mock-extension-was-here-extensionPolicy-namespace", u.namespace),
        header("mock-extension-was-here-extensionPolicy-kind", u.kind),
        header("mock-extension-was-here-extensionPolicy-apiversion", u.apiVersion),
      );
    }
    return { route: copy };
  },

  postVirtualHostModify(req) {
    const vh = req.virtualHost;
    if (vh?.name === "extension-post-xdsvirtualhost-hook-error/*") throw new Error("extension post xds virtual host hook error");
    if (vh?.name === "extension-listener") {
      return {
        virtualHost: {
          ...vh,
          routes: [...vh.routes, Route.fromPartial({ name: "mock-extension-inserted-route", action: { $case: "directResponse", value: { status: 200 } } })],
        },
      };
    }
    return { virtualHost: vh };
  },

  postHttpListenerModify(req) {
    const l = req.listener;
    if (l === undefined) return { listener: l };
    const resources = req.postListenerContext?.extensionResources ?? [];
    const withPrefix = (statPrefix: string) => ({ listener: { ...l, statPrefix } });
    switch (l.name) {
      case "extension-post-xdslistener-hook-error":
        throw new Error("extension post xds listener hook error");
      case "extension-listener":
        return withPrefix("mock-extension-inserted-prefix");
      case "policyextension-listener": {
        if (resources.length === 0) throw new Error("expected a policy in the ext array");
        const [first] = parseExtensionResources(resources.slice(0, 1));
        const spec = first?.spec;
        if (typeof spec !== "object" || spec === null || Array.isArray(spec)) throw new Error("can't find the spec section");
        const data = (spec as Record<string, unknown>).data;
        if (typeof data !== "string") throw new Error("can't find the expected information");
        return withPrefix(data);
      }
      case "envoy-gateway/gateway-1/http1":
      case "envoy-gateway/gateway-1/udp1":
        if (resources.length !== 1) throw new Error(`received ${resources.length} extension policies when expecting 1: ${l.name}`);
        return withPrefix(l.name);
      case "envoy-gateway/gateway-1/tcp1":
        throw new Error("should not be called for this listener, test 'extensionpolicy-tcp-and-http' should merge tcp and http gateways to one listener");
      case "first-listener-error":
        throw new Error("simulate error when there is no default filter chain in the original resources");
      default:
        return { listener: l };
    }
  },

  postClusterModify(req) {
    if (req.cluster === undefined) return { cluster: req.cluster };
    const cluster = Cluster.decode(Cluster.encode(req.cluster).finish());
    let inferencePools = 0;
    for (const r of parseExtensionResources(req.postClusterContext?.backendExtensionResources ?? [])) {
      if (inferencePools === 1) throw new Error("inference pool only support one per rule");
      if (r.kind !== "InferencePool") continue;
      const spec = (r.spec ?? {}) as Record<string, unknown>;
      const port = spec.targetPortNumber;
      if (typeof port !== "number" || !Number.isInteger(port)) throw new Error("inference pool spec.targetPortNumber is not an integer");
      if (port === 0) throw new Error("inference pool target port number is 0");
      cluster.clusterDiscoveryType = { $case: "type", value: Cluster_DiscoveryType.ORIGINAL_DST };
      cluster.lbConfig = {
        $case: "originalDstLbConfig",
        value: Cluster_OriginalDstLbConfig.fromPartial({ useHttpHeader: true, httpHeaderName: "x-gateway-destination-endpoint" }),
      };
      delete cluster.edsClusterConfig;
      delete cluster.loadAssignment;
      delete cluster.commonLbConfig;
      inferencePools++;
    }
    return { cluster };
  },

  postEndpointsModify(req) {
    const cla = req.loadAssignment;
    if (cla === undefined) return { loadAssignment: cla };
    return {
      loadAssignment: {
        ...cla,
        endpoints: cla.endpoints.map((locality) => ({
          ...locality,
          lbEndpoints: locality.lbEndpoints.map((e) => ({
            ...e,
            metadata: { filterMetadata: { "envoy-gateway.extension": { hook: "applied" } }, typedFilterMetadata: {} },
          })),
        })),
      },
    };
  },

  postTranslateModify(req) {
    const unchanged = { clusters: req.clusters, secrets: req.secrets, listeners: req.listeners, routes: req.routes };
    for (const c of req.clusters) {
      if (c.name === "custom-backend-dest") return unchanged;
      const service = c.edsClusterConfig?.serviceName;
      if (service !== undefined && service.includes("fail-close-error")) throw new Error(`cluster hook resource error: ${service}`);
    }
    const clusters = req.clusters.map((c) => (c.name === "first-route" ? { ...c, connectTimeout: { seconds: "30", nanos: 0 } } : c));
    const injected = Cluster.fromPartial({
      name: "mock-extension-injected-cluster",
      loadAssignment: {
        clusterName: "mock-extension-injected-cluster",
        endpoints: [
          {
            lbEndpoints: [
              {
                hostIdentifier: {
                  $case: "endpoint",
                  value: {
                    address: {
                      address: {
                        $case: "socketAddress",
                        value: {
                          address: "exampleservice.examplenamespace.svc.cluster.local",
                          portSpecifier: { $case: "portValue", value: 5000 },
                          protocol: SocketAddress_Protocol.TCP,
                        },
                      },
                    },
                  },
                },
              },
            ],
          },
        ],
      },
    });
    clusters.push(injected);
    const policies = parseExtensionResources(req.postTranslateContext?.extensionResources ?? []);
    for (const p of policies) {
      const spec = p.spec as Record<string, unknown> | undefined;
      const targetRef = spec?.targetRef;
      if (typeof targetRef !== "object" || targetRef === null || Array.isArray(targetRef))
        throw new Error("failed to get targetRef kind: targetRef not found or error");
      const targetKind = (targetRef as Record<string, unknown>).kind;
      if (typeof targetKind !== "string") throw new Error("failed to get targetRef kind: kind is not a string or missing in targetRef");
      if (p.kind !== "ExampleExtPolicy") continue;
      if (targetKind !== "Gateway") throw new Error(`invalid extension policy : ${unstructured(p).name}`);
      injected.transportSocket = {
        name: "envoy.transport_sockets.tls",
        configType: {
          $case: "typedConfig",
          value: packAny(
            UpstreamTlsContext,
            UpstreamTlsContext.fromPartial({
              commonTlsContext: {
                tlsCertificateSdsSecretConfigs: [
                  {
                    name: "default",
                    sdsConfig: {
                      configSourceSpecifier: {
                        $case: "apiConfigSource",
                        value: {
                          apiType: ApiConfigSource_ApiType.GRPC,
                          grpcServices: [{ targetSpecifier: { $case: "envoyGrpc", value: { clusterName: "sds-cluster" } } }],
                        },
                      },
                    },
                  },
                ],
              },
            }),
          ),
        },
      };
    }
    const secrets = [
      ...req.secrets,
      Secret.fromPartial({
        name: "mock-extension-injected-secret",
        type: { $case: "genericSecret", value: { secret: { specifier: { $case: "inlineString", value: "super-secret-extension-secret" } } } },
      }),
    ];
    const listeners = req.listeners.map((l) => (l.name === "test-listener-modify" ? { ...l, statPrefix: "extension-modified-listener" } : l));
    const routes = req.routes.map((r) =>
      r.name === "test-route-modify"
        ? { ...r, responseHeadersToAdd: [...r.responseHeadersToAdd, HeaderValueOption.fromPartial({ header: { key: "x-extension-modified", value: "true" } })] }
        : r,
    );
    if (policies.some((p) => p.kind === "ExampleExtPolicy")) {
      listeners.push(Listener.fromPartial({ name: "extension-injected-listener", statPrefix: "extension-injected" }));
      routes.push(
        RouteConfiguration.fromPartial({
          name: "extension-injected-route",
          responseHeadersToAdd: [{ header: { key: "x-extension-injected", value: "route" } }],
        }),
      );
    }
    return { clusters, secrets, listeners, routes };
  },
};

/** Name, namespace, kind and apiVersion of an unstructured object, "" where absent. */
function unstructured(o: Record<string, unknown>): { name: string; namespace: string; kind: string; apiVersion: string } {
  const md = (typeof o.metadata === "object" && o.metadata !== null ? o.metadata : {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === "string" ? v : "");
  return { name: str(md.name), namespace: str(md.namespace), kind: str(o.kind), apiVersion: str(o.apiVersion) };
}

/** Starts the test double on a free loopback port. */
export function startTestDoubleExtensionServer(): Promise<RunningExtensionServer> {
  return createExtensionServer(testDoubleExtensionHandlers, { host: "127.0.0.1", port: 0 });
}
