import { createHash } from "node:crypto";
import { packAny, unpackAnyAs } from "@egts/envoy-api";
import { Cluster, Cluster_DiscoveryType, Cluster_LbPolicy, Cluster_OriginalDstLbConfig } from "@egts/envoy-api/generated/envoy/config/cluster/v3/cluster";
import { HeaderValueOption } from "@egts/envoy-api/generated/envoy/config/core/v3/base";
import type { Listener } from "@egts/envoy-api/generated/envoy/config/listener/v3/listener";
import type { FilterChain } from "@egts/envoy-api/generated/envoy/config/listener/v3/listener_components";
import { Route } from "@egts/envoy-api/generated/envoy/config/route/v3/route_components";
import { BasicAuth } from "@egts/envoy-api/generated/envoy/extensions/filters/http/basic_auth/v3/basic_auth";
import { HttpConnectionManager } from "@egts/envoy-api/generated/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager";
import { parseExtensionResources, type ExtensionServerHandlers } from "@egts/extension-server";

/** The example's API group (upstream's example uses the same). */
export const EXAMPLE_GROUP = "example.extensions.io";
/** The API version of InferencePool objects the example routes to. */
export const INFERENCE_POOL_API_VERSION = "sigs.k8s.io/gateway-api-inference-extension/v1";

const HCM_NAME = "envoy.filters.network.http_connection_manager";
const BASIC_AUTH_NAME = "envoy.filters.http.basic_auth";

/** A minimal log sink, so the handlers stay free of any logging library. */
export type ExampleLog = (level: "info" | "error", message: string, fields?: Record<string, unknown>) => void;

const record = (v: unknown): Record<string, unknown> => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const text = (v: unknown): string => (typeof v === "string" ? v : "");

/** An htpasswd file with SHA-1 entries (`user:{SHA}base64`), users sorted so the output is stable. */
export function htpasswd(users: ReadonlyMap<string, string>): string {
  return [...users.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([user, password]) => `${user}:{SHA}${createHash("sha1").update(password).digest("base64")}\n`)
    .join("");
}

/** Adds (or refreshes) a basic auth filter with `users` in front of the HCM filters of one filter chain. */
function withBasicAuth(chain: FilterChain, users: string, log: ExampleLog): FilterChain {
  const index = chain.filters.findIndex((f) => f.name === HCM_NAME);
  const filter = chain.filters[index];
  if (filter === undefined || filter.configType?.$case !== "typedConfig") {
    log("error", "no HTTP connection manager in the filter chain", { chain: chain.name });
    return chain;
  }
  const hcm = unpackAnyAs(HttpConnectionManager, filter.configType.value);
  const existing = hcm.httpFilters.findIndex((f) => f.name === BASIC_AUTH_NAME);
  const usersSource = { specifier: { $case: "inlineString" as const, value: users } };
  let httpFilters;
  if (existing >= 0) {
    const current = hcm.httpFilters[existing];
    const config = current?.configType?.$case === "typedConfig" ? unpackAnyAs(BasicAuth, current.configType.value) : BasicAuth.fromPartial({});
    const updated = { ...config, users: usersSource };
    httpFilters = hcm.httpFilters.map((f, i) =>
      i === existing ? { ...f, configType: { $case: "typedConfig" as const, value: packAny(BasicAuth, updated) } } : f,
    );
  } else {
    const config = BasicAuth.fromPartial({ users: usersSource, forwardUsernameHeader: "X-Example-Ext" });
    httpFilters = [
      { name: BASIC_AUTH_NAME, configType: { $case: "typedConfig" as const, value: packAny(BasicAuth, config) }, isOptional: false, disabled: false },
      ...hcm.httpFilters,
    ];
  }
  const packed = packAny(HttpConnectionManager, { ...hcm, httpFilters });
  return { ...chain, filters: chain.filters.map((f, i) => (i === index ? { ...f, configType: { $case: "typedConfig" as const, value: packed } } : f)) };
}

/** The name of the ORIGINAL_DST cluster an InferencePool's route is sent to. */
export const inferencePoolClusterName = (name: string, namespace: string): string => `endpointpicker_${name}_${namespace}_original_dst`;

/**
 * What upstream's examples/extension-server does, on typed Envoy messages:
 * - HTTPListener: `ListenerContextExample` objects attached to the listener (`spec.username`, `spec.password`)
 *   become an htpasswd basic auth filter in front of every HTTP connection manager of the listener;
 * - Route: `RouteContextExample` policies (`spec.responseHeaderName`, `spec.responseHeaderValue`) add a response
 *   header; a route whose backend is an InferencePool is sent to that pool's ORIGINAL_DST cluster with a 120 s
 *   timeout;
 * - Cluster: the cluster of a rule with exactly one InferencePool becomes an ORIGINAL_DST cluster that follows the
 *   `x-gateway-destination-endpoint` header.
 */
export function exampleHandlers(log: ExampleLog = () => {}): ExtensionServerHandlers {
  return {
    postHttpListenerModify(req) {
      const listener = req.listener;
      if (listener === undefined) return { listener };
      const users = new Map<string, string>();
      for (const ext of req.postListenerContext?.extensionResources ?? []) {
        let object;
        try {
          [object] = parseExtensionResources([ext]);
        } catch (e) {
          log("error", "cannot parse an extension resource", { error: e instanceof Error ? e.message : String(e) });
          continue;
        }
        const spec = record(object?.spec);
        if (text(spec.username) === "") continue;
        log("info", "basic auth user from a ListenerContextExample", { username: text(spec.username) });
        users.set(text(spec.username), text(spec.password));
      }
      if (users.size === 0) return { listener };
      const entries = htpasswd(users);
      const modified: Listener = {
        ...listener,
        filterChains: listener.filterChains.map((c) => withBasicAuth(c, entries, log)),
        ...(listener.defaultFilterChain !== undefined ? { defaultFilterChain: withBasicAuth(listener.defaultFilterChain, entries, log) } : {}),
      };
      return { listener: modified };
    },

    postRouteModify(req) {
      const original = req.route;
      if (original === undefined) return { route: original };
      const route = Route.decode(Route.encode(original).finish());
      for (const policy of parseExtensionResources(req.postRouteContext?.extensionPolicies ?? [])) {
        const spec = record(policy.spec);
        const name = text(spec.responseHeaderName);
        const value = text(spec.responseHeaderValue);
        if (name === "" || value === "") continue;
        log("info", "response header from a RouteContextExample", { route: route.name, header: name });
        route.responseHeadersToAdd.push(HeaderValueOption.fromPartial({ header: { key: name, value } }));
      }
      const pool = parseExtensionResources(req.postRouteContext?.extensionResources ?? []).find(
        (o) => o.kind === "InferencePool" && o.apiVersion === INFERENCE_POOL_API_VERSION,
      );
      if (pool !== undefined && route.action?.$case === "route") {
        const md = record(pool.metadata);
        route.action.value.clusterSpecifier = { $case: "cluster", value: inferencePoolClusterName(text(md.name), text(md.namespace)) };
        route.action.value.timeout = { seconds: "120", nanos: 0 };
      }
      return { route };
    },

    postClusterModify(req) {
      const original = req.cluster;
      if (original === undefined) return { cluster: original };
      const pools = parseExtensionResources(req.postClusterContext?.backendExtensionResources ?? []).filter(
        (o) => o.kind === "InferencePool" && o.apiVersion === INFERENCE_POOL_API_VERSION,
      );
      if (pools.length !== 1) return { cluster: original };
      const cluster = Cluster.decode(Cluster.encode(original).finish());
      cluster.lbPolicy = Cluster_LbPolicy.CLUSTER_PROVIDED;
      cluster.clusterDiscoveryType = { $case: "type", value: Cluster_DiscoveryType.ORIGINAL_DST };
      cluster.lbConfig = {
        $case: "originalDstLbConfig",
        value: Cluster_OriginalDstLbConfig.fromPartial({ useHttpHeader: true, httpHeaderName: "x-gateway-destination-endpoint" }),
      };
      cluster.connectTimeout = { seconds: "10", nanos: 0 };
      delete cluster.edsClusterConfig;
      delete cluster.loadAssignment;
      log("info", "cluster turned into ORIGINAL_DST for an InferencePool", { cluster: cluster.name });
      return { cluster };
    },
  };
}
