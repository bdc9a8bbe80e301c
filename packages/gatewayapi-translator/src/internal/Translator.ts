// The translation pipeline, in upstream's order (internal/gatewayapi/translator.go Translate).
import type { EnvoyProxy, Gateway, Resources } from "@egts/api";
import type * as ir from "@egts/ir";
import { condition, setCondition, type StatusCondition } from "./Conditions.js";
import { backendStatus } from "./Backends.js";
import {
  aggregateMessage,
  deprecatedEnvoyProxyFields,
  gatewayParametersProxy,
  isMergeGatewaysEnabled,
  mergeEnvoyProxyConfigs,
  validateEnvoyProxy,
} from "./EnvoyProxy.js";
import { processGRPCRoutes, processHTTPRoutes, type RouteTranslation } from "./HTTPRoutes.js";
import { ResourceIndex } from "./Index.js";
import { processTCPRoutes, processTLSRoutes, processUDPRoutes } from "./L4Routes.js";
import { checkOverlappingTLSConfig, validateListenerConflicts, validateListenerSpec, type ListenerTLS } from "./Listeners.js";
import { buildListenerIR } from "./ListenerIR.js";
import { processListenerSets, processListenerSetStatus, type ListenerSetResult } from "./ListenerSets.js";
import type { GatewayContext, TranslateOptions } from "./Model.js";
import type { Mutable } from "./Mutable.js";
import { processGlobalResources } from "./GlobalResources.js";
import { sortHTTPRoutes } from "./Sort.js";
import { backendTLSSetting, BackendTLSPolicyStatuses, parentAncestorRef } from "./BackendTLS.js";
import { processGatewayTLS } from "./GatewayTLS.js";
import { extensionRefFilter } from "./HTTPRouteFilters.js";
import type { RouteContext } from "./RouteContext.js";
import { irToJsonInPlace } from "./Json.js";
import { checkRouteOverlaps } from "./RouteOverlaps.js";
import { BackendClusters, mergeBackendsConfig } from "./MergeBackends.js";
import { processClientTrafficPolicies } from "./policies/ClientTrafficPolicy.js";
import { processBackendTrafficPolicies } from "./policies/BackendTrafficPolicy.js";
import { routePolicyHooks } from "./policies/PolicyIndex.js";
import { processEnvoyPatchPolicies } from "./policies/EnvoyPatchPolicy.js";
import { processSecurityPolicies, type SecurityPolicyContext } from "./policies/SecurityPolicy.js";
import { processEnvoyExtensionPolicies, type WasmCache } from "./policies/EnvoyExtensionPolicy.js";
import { processExtensionServerPolicies } from "./policies/ExtensionServerPolicy.js";
import { routeOrderKey, type TranslationObserver } from "./TranslationObserver.js";

/** The JSON form of a translation result, as upstream's TranslateResult marshals it. */
export type TranslateResultJson = Record<string, unknown> & {
  readonly xdsIR: Record<string, unknown>;
  readonly infraIR: Record<string, unknown>;
};

/** A translation result with the IR as @egts/ir values (bytes as Uint8Array), for the xDS translator as is. */
export interface TranslateResultIR {
  /** Every reported input list with `status`, in upstream's JSON shape (no `xdsIR` / `infraIR`). */
  readonly resources: Record<string, unknown>;
  readonly xdsIR: ReadonlyMap<string, ir.Xds>;
  readonly infraIR: ReadonlyMap<string, ir.Infra>;
}

/** Upstream's JSON form of a result: IR maps as objects, bytes as base64, Lua scripts under upstream's field names. Converts the result's IR in place. */
export function translateResultToJson(result: TranslateResultIR): TranslateResultJson {
  const xdsOut: Record<string, unknown> = {};
  for (const [k, v] of result.xdsIR) xdsOut[k] = irToJsonInPlace(v);
  const infraOut: Record<string, unknown> = {};
  for (const [k, v] of result.infraIR) infraOut[k] = irToJsonInPlace(v);
  return { ...result.resources, xdsIR: xdsOut, infraIR: infraOut };
}

interface EnvoyProxyStatusOut {
  ancestors: Array<{ ancestorRef: Record<string, string>; conditions: StatusCondition[] }>;
}

function updateEnvoyProxyStatus(
  statuses: Map<EnvoyProxy, EnvoyProxyStatusOut>,
  ep: EnvoyProxy,
  ancestorRef: Record<string, string>,
  cond: StatusCondition,
): void {
  let st = statuses.get(ep);
  if (st === undefined) {
    st = { ancestors: ((ep.status as EnvoyProxyStatusOut | undefined)?.ancestors ?? []).map((a) => ({ ...a, conditions: [...a.conditions] })) };
    statuses.set(ep, st);
  }
  const same = (a: Record<string, string>): boolean =>
    a["group"] === ancestorRef["group"] &&
    a["kind"] === ancestorRef["kind"] &&
    a["name"] === ancestorRef["name"] &&
    (a["namespace"] ?? "") === (ancestorRef["namespace"] ?? "");
  const existing = st.ancestors.find((a) => same(a.ancestorRef));
  if (existing !== undefined) setCondition(existing.conditions, cond);
  else st.ancestors.push({ ancestorRef, conditions: [cond] });
}

function gatewayOwnerLabels(g: Gateway): Record<string, string> {
  return { "gateway.envoyproxy.io/owning-gateway-name": g.metadata.name, "gateway.envoyproxy.io/owning-gateway-namespace": g.metadata.namespace ?? "" };
}

/** {@link translateResourcesToIR} in upstream's JSON form. */
export function translateResources(resources: Resources, options: TranslateOptions, now: Date = new Date()): TranslateResultJson {
  return translateResultToJson(translateResourcesToIR(resources, options, now));
}

/**
 * Translates normalized resources of one GatewayClass; the IR comes out as @egts/ir values. `observer`
 * (the incremental translator's) is told which endpoints were built from which EndpointSlices.
 */
export function translateResourcesToIR(
  resources: Resources,
  options: TranslateOptions,
  now: Date = new Date(),
  observer?: TranslationObserver,
): TranslateResultIR {
  const index = new ResourceIndex(resources, observer);
  const mergeGateways = isMergeGatewaysEnabled(resources);
  const className = options.gatewayClassName;
  const epStatuses = new Map<EnvoyProxy, EnvoyProxyStatusOut>();
  let gatewayClassStatus: { conditions: StatusCondition[] } | undefined;

  // GatewayClass and EnvoyProxy validation.
  const proxies = new Map<string, EnvoyProxy>();
  const proxyErrors = new Map<EnvoyProxy, string>();
  for (const ep of resources.envoyProxiesForGateways ?? []) {
    proxies.set(`${ep.metadata.namespace ?? ""}/${ep.metadata.name}`, ep);
    const errs = validateEnvoyProxy(ep);
    if (errs.length > 0) proxyErrors.set(ep, aggregateMessage(errs));
  }
  const classProxy = resources.envoyProxyForGatewayClass;
  if (classProxy !== undefined) {
    const classRef =
      resources.gatewayClass !== undefined
        ? { group: "gateway.networking.k8s.io", kind: "GatewayClass", name: resources.gatewayClass.metadata.name }
        : undefined;
    const errs = validateEnvoyProxy(classProxy);
    const gen = resources.gatewayClass?.metadata.generation;
    if (errs.length > 0) {
      const msg = aggregateMessage(errs);
      proxyErrors.set(classProxy, msg);
      gatewayClassStatus = { conditions: [condition("Accepted", "False", "InvalidParameters", `Invalid parametersRef: ${msg}`, gen)] };
      if (classRef !== undefined)
        updateEnvoyProxyStatus(epStatuses, classProxy, classRef, condition("Accepted", "False", "InvalidParameters", msg, classProxy.metadata.generation));
    } else {
      if (resources.gatewayClass !== undefined) gatewayClassStatus = { conditions: [condition("Accepted", "True", "Accepted", "Valid GatewayClass", gen)] };
      proxies.set(`${classProxy.metadata.namespace ?? ""}/${classProxy.metadata.name}`, classProxy);
      if (classRef !== undefined) {
        updateEnvoyProxyStatus(
          epStatuses,
          classProxy,
          classRef,
          condition("Accepted", "True", "Accepted", "EnvoyProxy has been accepted.", classProxy.metadata.generation),
        );
        const deprecated = deprecatedEnvoyProxyFields(classProxy);
        if (deprecated.length > 0) {
          updateEnvoyProxyStatus(
            epStatuses,
            classProxy,
            classRef,
            condition(
              "Warning",
              "True",
              "DeprecatedField",
              deprecated.map(([f, r]) => `${f} is deprecated, use ${r} instead`).join("; "),
              classProxy.metadata.generation,
            ),
          );
        }
      }
    }
  }

  // Relevant Gateways.
  const accepted: GatewayContext[] = [];
  const failed: GatewayContext[] = [];
  for (const gateway of resources.gateways ?? []) {
    if (gateway.spec.gatewayClassName !== className) continue;
    const ns = gateway.metadata.namespace ?? "";
    const gatewayProxy = gatewayParametersProxy(gateway, proxies, mergeGateways);
    const g: GatewayContext = {
      gateway,
      name: gateway.metadata.name,
      namespace: ns,
      status: { conditions: ((gateway.status?.conditions ?? []) as StatusCondition[]).map((c) => ({ ...c })), listeners: [] },
      listeners: [],
      envoyProxy: mergeEnvoyProxyConfigs(resources.envoyProxyDefaultSpec, classProxy, gatewayProxy),
      envoyProxyFromGateway: gatewayProxy !== undefined,
      irKey: mergeGateways ? className : `${ns}/${gateway.metadata.name}`,
    };
    if (gateway.status?.listeners !== undefined) g.status.listeners = gateway.status.listeners as never;
    const gen = gateway.metadata.generation;
    const notAccepted = (reason: string, message: string): void => setCondition(g.status.conditions, condition("Accepted", "False", reason, message, gen));
    if (g.status.conditions.some((c) => c.type === "Accepted" && c.status === "False")) {
      failed.push(g);
      continue;
    }
    if (mergeGateways && mergeBackendsConfig(g, resources) !== undefined) {
      failed.push(g);
      notAccepted("InvalidParameters", "mergeGateways and mergeBackends cannot both be enabled");
      continue;
    }
    const gwRef = { group: "gateway.networking.k8s.io", kind: "Gateway", namespace: ns, name: gateway.metadata.name };
    const ep = g.envoyProxy;
    if (ep !== undefined) {
      const err = proxyErrors.get(ep);
      if (err !== undefined) {
        failed.push(g);
        notAccepted("InvalidParameters", `Invalid parametersRef:: ${err}`);
        if (g.envoyProxyFromGateway)
          updateEnvoyProxyStatus(epStatuses, ep, gwRef, condition("Accepted", "False", "InvalidParameters", err, ep.metadata.generation));
        continue;
      }
      if (g.envoyProxyFromGateway)
        updateEnvoyProxyStatus(epStatuses, ep, gwRef, condition("Accepted", "True", "Accepted", "EnvoyProxy has been accepted.", ep.metadata.generation));
    }
    const badAddress = (gateway.spec.addresses ?? []).find((a) => a.type !== undefined && a.type !== "IPAddress" && a.type !== "Hostname");
    if (badAddress !== undefined) {
      failed.push(g);
      notAccepted("UnsupportedAddress", `Gateway has an address with an unsupported type: ${badAddress.type ?? ""}`);
      continue;
    }
    g.status.listeners = gateway.spec.listeners.map((l) => ({ name: l.name, supportedKinds: [], attachedRoutes: 0, conditions: [] }));
    g.listeners = gateway.spec.listeners.map((listener, i) => ({
      listener,
      gateway: g,
      status: g.status.listeners[i] as GatewayContext["status"]["listeners"][number],
      specValid: false,
      protocolConflicted: false,
      certDNSNames: [],
    }));
    delete g.status.attachedListenerSets;
    accepted.push(g);
  }

  // IR initialization.
  const xdsIR = new Map<string, Mutable<ir.Xds>>();
  const infraIR = new Map<string, Mutable<ir.ProxyInfra>>();
  for (const g of [...accepted, ...failed]) {
    const labels: Record<string, string> = { ...(g.gateway.spec.infrastructure?.labels ?? {}) };
    Object.assign(labels, mergeGateways ? { "gateway.envoyproxy.io/owning-gatewayclass": className } : gatewayOwnerLabels(g.gateway));
    const metadata: Mutable<ir.InfraMetadata> = { labels, ownerReference: { kind: "GatewayClass", name: className } };
    const annotations = g.gateway.spec.infrastructure?.annotations;
    if (annotations !== undefined && Object.keys(annotations).length > 0) metadata.annotations = { ...annotations };
    const proxy: Mutable<ir.ProxyInfra> = { name: g.irKey, namespace: options.controllerNamespace, metadata };
    if (options.gatewayNamespaceMode === true) {
      proxy.name = g.name;
      proxy.namespace = g.namespace;
      metadata.ownerReference = { kind: "Gateway", name: g.name };
    }
    xdsIR.set(g.irKey, {});
    infraIR.set(g.irKey, proxy);
  }

  // Policy indexes for BackendTrafficPolicy/ClientTrafficPolicy routing and cluster settings belong here (later issue).

  const listenerSets: ListenerSetResult = processListenerSets(resources.listenerSets ?? [], accepted, index);

  // Listeners.
  processGatewayTLS(accepted, index, options);
  const btlsStatuses = new BackendTLSPolicyStatuses(options.gatewayControllerName);
  const tls: ListenerTLS = new Map();
  for (const g of accepted) for (const l of g.listeners) l.specValid = validateListenerSpec(l, index, options, tls, now);
  validateListenerConflicts(accepted, mergeGateways);
  buildListenerIR(accepted, xdsIR, infraIR, tls, options, index, mergeGateways, btlsStatuses);
  checkOverlappingTLSConfig(accepted, mergeGateways, tls);
  processListenerSetStatus(listenerSets, accepted);

  const envoyPatchPolicies = processEnvoyPatchPolicies(resources.envoyPatchPolicies ?? [], {
    xdsIR,
    controllerName: options.gatewayControllerName,
    enabled: options.envoyPatchPolicyEnabled === true,
    mergeGateways,
    irKey: (namespace, name) => (mergeGateways ? className : `${namespace}/${name}`),
  });

  // Addresses.
  for (const g of accepted) {
    const proxy = infraIR.get(g.irKey);
    if (proxy === undefined) continue;
    const ips = (g.gateway.spec.addresses ?? []).filter((a) => (a.type ?? "IPAddress") === "IPAddress").map((a) => a.value ?? "");
    if (ips.length > 0) proxy.addresses = ips;
    else delete proxy.addresses;
  }

  const backends = (resources.backends ?? []).map((b) => ({ ...b, status: { conditions: backendStatus(b, options, resources.backendTLSPolicies ?? []) } }));

  // Routes.
  const t: RouteTranslation = {
    index,
    options,
    gateways: accepted,
    xdsIR,
    backendClusters: new BackendClusters(),
    // BackendTrafficPolicy/ClientTrafficPolicy indexes plug in here (upstream BTP/CTP indexes).
    policyHooks: routePolicyHooks(resources, accepted, index),
    backendTLS: (ref, namespace, parent, gateway) => backendTLSSetting(ref, namespace, parentAncestorRef(parent), gateway, index, options, btlsStatuses),
    extensionRefFilter: (route, ref, result) => extensionRefFilter(route, ref, result, index),
  };
  const httpRoutes = processHTTPRoutes(t, resources.httpRoutes ?? []);
  const grpcRoutes = processGRPCRoutes(t, resources.grpcRoutes ?? []);
  const tlsRoutes = processTLSRoutes(t, resources.tlsRoutes ?? []);
  const tcpRoutes = processTCPRoutes(t, resources.tcpRoutes ?? []);
  const udpRoutes = processUDPRoutes(t, resources.udpRoutes ?? []);

  const clientTrafficPolicies = processClientTrafficPolicies(resources.clientTrafficPolicies ?? [], {
    gateways: accepted,
    listenerSets: resources.listenerSets ?? [],
    xdsIR,
    infraIR,
    index,
    controllerName: options.gatewayControllerName,
    now,
  });
  const backendTrafficPolicies = processBackendTrafficPolicies(resources.backendTrafficPolicies ?? [], {
    gateways: accepted,
    listenerSets: resources.listenerSets ?? [],
    routes: [...httpRoutes, ...grpcRoutes, ...tlsRoutes, ...tcpRoutes, ...udpRoutes],
    xdsIR,
    index,
    controllerName: options.gatewayControllerName,
    globalRateLimitEnabled: options.globalRateLimitEnabled === true,
  });
  checkRouteOverlaps([...httpRoutes, ...grpcRoutes], xdsIR);
  // SecurityPolicies, EnvoyExtensionPolicies and extension server policies run here, in that order.
  const policyEnv: SecurityPolicyContext & { wasmCache?: WasmCache } = {
    ...(options.wasmCache !== undefined ? { wasmCache: options.wasmCache } : {}),
    ...(options.oidcDiscovery !== undefined ? { oidcDiscovery: options.oidcDiscovery } : {}),
    gateways: accepted,
    listenerSets: resources.listenerSets ?? [],
    routes: [...httpRoutes, ...grpcRoutes, ...tlsRoutes, ...tcpRoutes, ...udpRoutes],
    xdsIR,
    index,
    options,
    controllerName: options.gatewayControllerName,
    backendTLS: (ref, namespace, ancestor, gateway) => backendTLSSetting(ref, namespace, ancestor, gateway, index, options, btlsStatuses),
  };
  const securityPolicies = processSecurityPolicies(resources.securityPolicies ?? [], policyEnv);
  const envoyExtensionPolicies = processEnvoyExtensionPolicies(resources.envoyExtensionPolicies ?? [], policyEnv);
  const extensionServerPolicies = processExtensionServerPolicies(resources.extensionServerPolicies ?? [], policyEnv);

  processGlobalResources(accepted, xdsIR, index, options, mergeGateways, resources);
  const backendTLSPolicies = btlsStatuses.finish(resources.backendTLSPolicies ?? []);

  for (const [irKey, x] of xdsIR) {
    for (const http of x.http ?? []) {
      observer?.routeOrder?.set(
        routeOrderKey(irKey, http.name),
        (http.routes ?? []).map((r) => r.name),
      );
      if (http.preserveRouteOrder !== true && http.routes !== undefined) (http as Mutable<ir.HTTPListener>).routes = sortHTTPRoutes(http.routes);
    }
  }
  for (const g of accepted) {
    const filterOrder = g.envoyProxy?.spec.filterOrder;
    const x = xdsIR.get(g.irKey);
    if (filterOrder !== undefined && x !== undefined) x.filterOrder = filterOrder as never;
  }

  // Result assembly.
  const result: Record<string, unknown> = {};
  if (resources.gatewayClass !== undefined) {
    result["gatewayClass"] = gatewayClassStatus !== undefined ? { ...resources.gatewayClass, status: gatewayClassStatus } : resources.gatewayClass;
    if (classProxy !== undefined) result["envoyProxyForGatewayClass"] = withEnvoyProxyStatus(classProxy, epStatuses);
  }
  const allGateways = [...accepted, ...failed];
  if (allGateways.length > 0) {
    result["gateways"] = allGateways.map((g) => ({ ...g.gateway, status: gatewayStatusJson(g) }));
    const seen = new Set<string>();
    const eps: unknown[] = [];
    for (const g of allGateways) {
      if (!g.envoyProxyFromGateway || g.envoyProxy === undefined) continue;
      const key = `${g.envoyProxy.metadata.namespace ?? ""}/${g.envoyProxy.metadata.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      eps.push(withEnvoyProxyStatus(g.envoyProxy, epStatuses));
    }
    if (eps.length > 0) result["envoyProxiesForGateways"] = eps;
  }
  const routeJson = (routes: ReadonlyArray<RouteContext>): unknown[] => routes.map((r) => ({ ...(r.route as object), status: { parents: r.parents } }));
  if (httpRoutes.length > 0) result["httpRoutes"] = routeJson(httpRoutes);
  if (grpcRoutes.length > 0) result["grpcRoutes"] = routeJson(grpcRoutes);
  if (tlsRoutes.length > 0) result["tlsRoutes"] = routeJson(tlsRoutes);
  if (tcpRoutes.length > 0) result["tcpRoutes"] = routeJson(tcpRoutes);
  if (udpRoutes.length > 0) result["udpRoutes"] = routeJson(udpRoutes);
  if (clientTrafficPolicies.length > 0) result["clientTrafficPolicies"] = clientTrafficPolicies;
  if (backendTrafficPolicies.length > 0) result["backendTrafficPolicies"] = backendTrafficPolicies;
  if (envoyPatchPolicies.length > 0) result["envoyPatchPolicies"] = envoyPatchPolicies;
  if (securityPolicies.length > 0) result["securityPolicies"] = securityPolicies;
  if (envoyExtensionPolicies.length > 0) result["envoyExtensionPolicies"] = envoyExtensionPolicies;
  if (extensionServerPolicies.length > 0) result["extensionServerPolicies"] = extensionServerPolicies;
  if (backendTLSPolicies.length > 0) result["backendTLSPolicies"] = backendTLSPolicies;
  if (backends.length > 0) result["backends"] = backends;
  const listenerSetJson = listenerSets.json();
  if (listenerSetJson.length > 0) result["listenerSets"] = listenerSetJson;
  const infraOut = new Map<string, ir.Infra>();
  for (const [k, v] of infraIR) {
    const proxy = { ...v } as Record<string, unknown>;
    const cfg = proxy["config"] as EnvoyProxy | undefined;
    if (cfg !== undefined) proxy["config"] = withEnvoyProxyStatus(cfg, epStatuses);
    infraOut.set(k, { proxy: proxy as unknown as ir.ProxyInfra });
  }
  return { resources: result, xdsIR: xdsIR as ReadonlyMap<string, ir.Xds>, infraIR: infraOut };
}

function withEnvoyProxyStatus(ep: EnvoyProxy, statuses: Map<EnvoyProxy, EnvoyProxyStatusOut>): unknown {
  const st = statuses.get(ep);
  return st === undefined ? ep : { ...ep, status: st };
}

function gatewayStatusJson(g: GatewayContext): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (g.status.conditions.length > 0) out["conditions"] = g.status.conditions;
  if (g.status.listeners.length > 0) out["listeners"] = g.status.listeners;
  if (g.status.addresses !== undefined) out["addresses"] = g.status.addresses;
  if (g.status.attachedListenerSets !== undefined) out["attachedListenerSets"] = g.status.attachedListenerSets;
  return out;
}
