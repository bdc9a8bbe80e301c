// Per-scope answers from BackendTrafficPolicies and ClientTrafficPolicies that route translation needs
// before the policies themselves run (upstream policyindex.go, BuildBTPIndexes, BuildCTPClusterSettingsIndex):
// a rule's routing type, whether settings below the Gateway keep a route out of merged clusters, and
// whether the Gateway hashes consistently.
import type { BackendTrafficPolicy, BackendTrafficPolicySpec, ClientTrafficPolicy, Resources } from "@egts/api";
import type { RoutePolicyHooks } from "../HTTPRoutes.js";
import type { ResourceIndex } from "../Index.js";
import { mergeBackendsConfig } from "../MergeBackends.js";
import type { GatewayContext } from "../Model.js";
import { gatewayCandidates, listenerSetCandidates, resolvePolicyTargets, type SelectableObject } from "./PolicyTargets.js";

interface Entry<T> {
  readonly value: T;
  readonly effective: boolean;
}

/** First-write-wins values per policy scope, looked up from the most specific scope outwards. */
class PolicyIndex<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(private readonly zero: T) {}

  put(scope: string, value: T, effective: boolean): void {
    if (!this.entries.has(scope)) this.entries.set(scope, { value, effective });
  }

  /** The value set exactly at a scope, if a policy there is effective. */
  exact(scope: string): T | undefined {
    const e = this.entries.get(scope);
    return e !== undefined && e.effective ? e.value : undefined;
  }

  private parents(gateway: string, listener: string | undefined, listenerSet: string | undefined): T {
    if (listenerSet !== undefined) {
      if (listener !== undefined) {
        const v = this.exact(`LSListener|${listenerSet}|${listener}`);
        if (v !== undefined) return v;
      }
      const v = this.exact(`ListenerSet|${listenerSet}`);
      if (v !== undefined) return v;
    } else if (listener !== undefined) {
      const v = this.exact(`GatewayListener|${gateway}|${listener}`);
      if (v !== undefined) return v;
    }
    return this.exact(`Gateway|${gateway}`) ?? this.zero;
  }

  /** The value for a route (rule) on a listener, and whether a route-level policy replaced its parents'. */
  lookup(route: string, gateway: string, listener: string | undefined, listenerSet: string | undefined, rule: string | undefined): [T, boolean] {
    const entry = (rule !== undefined ? this.entries.get(`RouteRule|${route}|${rule}`) : undefined) ?? this.entries.get(`Route|${route}`);
    if (entry !== undefined && entry.effective) return [entry.value, true];
    return [this.parents(gateway, listener, listenerSet), false];
  }
}

function hasClusterScopedFields(spec: BackendTrafficPolicySpec): boolean {
  const clusterScoped: ReadonlyArray<keyof BackendTrafficPolicySpec> = [
    "loadBalancer",
    "proxyProtocol",
    "healthCheck",
    "circuitBreaker",
    "timeout",
    "tcpKeepalive",
    "connection",
    "http2",
    "dns",
    "admissionControl",
    "useClientProtocol",
  ];
  return clusterScoped.some((k) => spec[k] !== undefined);
}

/** Builds the route translation hooks from the BackendTrafficPolicies and ClientTrafficPolicies. */
export function routePolicyHooks(resources: Resources, gateways: ReadonlyArray<GatewayContext>, index: ResourceIndex): RoutePolicyHooks {
  const btps: ReadonlyArray<BackendTrafficPolicy> = resources.backendTrafficPolicies ?? [];
  const ctps: ReadonlyArray<ClientTrafficPolicy> = resources.clientTrafficPolicies ?? [];
  const listenerSets = resources.listenerSets ?? [];
  const mergeBackends = gateways.some((g) => mergeBackendsConfig(g, resources) !== undefined);
  if (btps.length === 0 && (ctps.length === 0 || !mergeBackends)) return {};
  const routeObjects = [
    ...(resources.httpRoutes ?? []),
    ...(resources.grpcRoutes ?? []),
    ...(resources.tlsRoutes ?? []),
    ...(resources.tcpRoutes ?? []),
    ...(resources.udpRoutes ?? []),
  ];
  const candidates: SelectableObject[] = [
    ...routeObjects.map((r) => ({ group: "gateway.networking.k8s.io", kind: r.kind, metadata: r.metadata })),
    ...gatewayCandidates(gateways),
    ...listenerSetCandidates(listenerSets),
  ];
  const routingType = new PolicyIndex<string | undefined>(undefined);
  const clusterSettings = new PolicyIndex<boolean>(false);
  const consistentHash = new PolicyIndex<boolean>(false);
  for (const btp of btps) {
    const spec = btp.spec;
    const rt = spec.routingType;
    const mergeType = spec.mergeType;
    const clusterScoped = hasClusterScopedFields(spec);
    const owner = { group: "gateway.envoyproxy.io", kind: "BackendTrafficPolicy", namespace: btp.metadata.namespace ?? "" };
    for (const ref of resolvePolicyTargets(spec, candidates, owner, index)) {
      const nn = `${ref.namespace}/${ref.name}`;
      let scope: string;
      let routeLevel = false;
      if (ref.kind === "Gateway") scope = ref.sectionName !== undefined ? `GatewayListener|${nn}|${ref.sectionName}` : `Gateway|${nn}`;
      else if (ref.kind === "ListenerSet") scope = ref.sectionName !== undefined ? `LSListener|${nn}|${ref.sectionName}` : `ListenerSet|${nn}`;
      else {
        routeLevel = true;
        scope = ref.sectionName !== undefined ? `RouteRule|${ref.kind}/${nn}|${ref.sectionName}` : `Route|${ref.kind}/${nn}`;
      }
      const gatewayWide = ref.kind === "Gateway" && ref.sectionName === undefined;
      routingType.put(scope, rt, routeLevel ? rt !== undefined || mergeType === undefined : gatewayWide || rt !== undefined);
      if (!mergeBackends) continue;
      if (!gatewayWide) clusterSettings.put(scope, clusterScoped, routeLevel ? clusterScoped || mergeType === undefined : true);
      else consistentHash.put(scope, (spec["loadBalancer"] as { type?: string } | undefined)?.type === "ConsistentHash", true);
    }
  }
  // ClientTrafficPolicy HTTP/1 settings on a listener change its upstream clusters too.
  const ctpClusterSettings = new PolicyIndex<boolean>(false);
  if (mergeBackends) {
    for (const ctp of ctps) {
      const owner = { group: "gateway.envoyproxy.io", kind: "ClientTrafficPolicy", namespace: ctp.metadata.namespace ?? "" };
      const scoped = ctp.spec.http1 !== undefined;
      for (const ref of resolvePolicyTargets(ctp.spec, [...gatewayCandidates(gateways), ...listenerSetCandidates(listenerSets)], owner, index)) {
        const nn = `${ref.namespace}/${ref.name}`;
        if (ref.kind === "Gateway" && ref.sectionName !== undefined) ctpClusterSettings.put(`GatewayListener|${nn}|${ref.sectionName}`, scoped, true);
        else if (ref.kind === "ListenerSet") {
          ctpClusterSettings.put(ref.sectionName !== undefined ? `LSListener|${nn}|${ref.sectionName}` : `ListenerSet|${nn}`, scoped, true);
        }
      }
    }
  }
  const gatewayKey = (g: GatewayContext): string => `${g.namespace}/${g.name}`;
  return {
    routingType: (gateway, route, parent, ruleName) => {
      const ls = parent.ref.kind === "ListenerSet" ? `${parent.ref.namespace ?? route.namespace}/${parent.ref.name}` : undefined;
      return routingType.lookup(`${route.kind}/${route.namespace}/${route.name}`, gatewayKey(gateway), parent.ref.sectionName, ls, ruleName)[0];
    },
    gatewayRoutingType: (gateway) => routingType.exact(`Gateway|${gatewayKey(gateway)}`),
    hasClusterSettingsBelowGateway: (gateway, route, listener, ruleName) => {
      const lsMeta = listener.listenerSet?.listenerSet.metadata;
      const ls = lsMeta !== undefined ? `${lsMeta.namespace ?? ""}/${lsMeta.name}` : undefined;
      const [has, replaces] = clusterSettings.lookup(
        `${route.kind}/${route.namespace}/${route.name}`,
        gatewayKey(gateway),
        listener.listener.name,
        ls,
        ruleName,
      );
      if (has || replaces) return true;
      if (ls !== undefined)
        return ctpClusterSettings.exact(`ListenerSet|${ls}`) === true || ctpClusterSettings.exact(`LSListener|${ls}|${listener.listener.name}`) === true;
      return ctpClusterSettings.exact(`GatewayListener|${gatewayKey(gateway)}|${listener.listener.name}`) === true;
    },
    isConsistentHash: (gateway) => consistentHash.exact(`Gateway|${gatewayKey(gateway)}`) === true,
  };
}
