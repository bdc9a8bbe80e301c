// TLSRoute, TCPRoute and UDPRoute -> xds IR TCP/UDP routes, with per-parent status (upstream route.go, L4 part).
import type { BackendRef, TCPRoute, TLSRoute, UDPRoute } from "@egts/api";
import type * as ir from "@egts/ir";
import { conditionMessage, RouteStatusError } from "./Conditions.js";
import { irRouteDestinationName, processDestination, routingTypeDiverges, routingTypeFor, type RouteTranslation } from "./HTTPRoutes.js";
import { resourceMetadata } from "./Metadata.js";
import { irListenerName, listenerIsReady } from "./Model.js";
import { backendClusterKey, mergeBackendsConfig, routeDestination, shouldMergeBackend, type BackendDestination } from "./MergeBackends.js";
import { parentGateway } from "./RouteContext.js";
import type { Mutable } from "./Mutable.js";
import {
  attachRouteToParents,
  computeHosts,
  newRouteContext,
  parentHasCondition,
  setRouteCondition,
  type ParentRefContext,
  type RouteContext,
} from "./RouteContext.js";

function joinErrors(errors: ReadonlyArray<RouteStatusError>): { message: string; reason: string } {
  const message = errors.length === 1 ? (errors[0] as RouteStatusError).message : errors.map((e) => conditionMessage(e.message)).join("\n");
  const reason = [...new Set(errors.map((e) => e.reason).filter((r) => r !== ""))].sort().join(",");
  return { message, reason };
}

function resolveBackends(
  t: RouteTranslation,
  route: RouteContext,
  parent: ParentRefContext,
  refs: ReadonlyArray<BackendRef>,
  destName: string,
  errors: RouteStatusError[],
  mergeUnsafe: boolean,
  ruleName: string | undefined,
): BackendDestination[] {
  const out: BackendDestination[] = [];
  const gateway = parentGateway(parent);
  const ruleRoutingType = routingTypeFor(t, gateway, route, parent, ruleName);
  refs.forEach((ref, i) => {
    const { ds, error } = processDestination(t, `${destName}/backend/${i}`, ref, parent, route, ruleName);
    if (error !== undefined) {
      errors.push(error);
      return;
    }
    if ((ds.weight ?? 0) <= 0) return;
    const merge =
      gateway !== undefined &&
      t.xdsIR.has(gateway.irKey) &&
      !routingTypeDiverges(t, gateway, ruleRoutingType) &&
      shouldMergeBackend(gateway, t.index.resources, t.index, mergeUnsafe, ref, route.namespace, ds, t.options.extensionGroupKinds ?? []);
    out.push(merge && gateway !== undefined ? { ds, clusterKey: backendClusterKey(gateway, ref, route.namespace, ds.protocol) } : { ds });
  });
  return out;
}

function distinctRefCount(refs: ReadonlyArray<BackendRef>, routeNamespace: string): number {
  return new Set(refs.map((r) => `${r.kind ?? "Service"}/${r.namespace ?? routeNamespace}/${r.name}/${r.port ?? 0}`)).size;
}

function setResolvedRefs(route: RouteContext, parent: ParentRefContext, errors: ReadonlyArray<RouteStatusError>): void {
  if (errors.length > 0) {
    const { message, reason } = joinErrors(errors);
    setRouteCondition(route, parent, "ResolvedRefs", "False", reason, message);
  } else {
    setRouteCondition(route, parent, "ResolvedRefs", "True", "ResolvedRefs", "Resolved all the Object references for the Route");
  }
}

function tcpListenerOf(t: RouteTranslation, l: ParentRefContext["listeners"][number]): Mutable<ir.TCPListener> | undefined {
  return t.xdsIR.get(l.gateway.irKey)?.tcp?.find((x) => x.name === irListenerName(l)) as Mutable<ir.TCPListener> | undefined;
}

function processTLSRoute(t: RouteTranslation, route: RouteContext<TLSRoute>): void {
  for (const parent of route.parentContexts) {
    const errors: RouteStatusError[] = [];
    const destName = irRouteDestinationName(route, -1);
    const metadata = resourceMetadata("TLSRoute", route.route.metadata);
    let settings: BackendDestination[] = [];
    const allRefs = route.route.spec.rules.flatMap((r) => r.backendRefs ?? []);
    const mergeUnsafe = mergeBackendsConfig(parentGateway(parent), t.index.resources) !== undefined && distinctRefCount(allRefs, route.namespace) > 1;
    for (const rule of route.route.spec.rules)
      settings.push(...resolveBackends(t, route, parent, rule.backendRefs ?? [], destName, errors, mergeUnsafe, rule.name));
    const dynamic = settings.some((s) => s.ds.isDynamicResolver === true);
    if (dynamic && settings.length > 1) {
      errors.push(new RouteStatusError("dynamic resolver is not supported for multiple backendRefs", "InvalidBackendRef"));
      settings = [];
    }
    setResolvedRefs(route, parent, errors);
    let intersects = parent.listeners.length === 0;
    for (const l of parent.listeners) {
      const hosts = computeHosts(route.hostnames, l);
      if (hosts.length === 0) continue;
      intersects = true;
      l.status.attachedRoutes++;
      if (!listenerIsReady(l)) continue;
      const irListener = tcpListenerOf(t, l);
      if (irListener === undefined) continue;
      let tls: Mutable<ir.TLS>;
      if (irListener.tls !== undefined) {
        if (dynamic) {
          setRouteCondition(
            route,
            parent,
            "ResolvedRefs",
            "False",
            "UnsupportedValue",
            "Dynamic resolver backend is only supported with TLS passthrough listeners",
          );
          continue;
        }
        tls = { terminate: irListener.tls, inspector: { snis: hosts } };
      } else tls = { inspector: { snis: hosts } };
      const x = t.xdsIR.get(l.gateway.irKey);
      const irRoute: ir.TCPRoute = {
        name: `tlsroute/${route.namespace}/${route.name}`,
        tls,
        destination: routeDestination(
          x,
          t.backendClusters,
          destName,
          metadata,
          undefined,
          settings,
          t.policyHooks.hasClusterSettingsBelowGateway?.(l.gateway, route, l, undefined) === true,
        ),
        metadata,
      };
      irListener.routes = [...(irListener.routes ?? []), irRoute];
    }
    if (!intersects) {
      setRouteCondition(
        route,
        parent,
        "Accepted",
        "False",
        "NoMatchingListenerHostname",
        "There were no hostname intersections between the TLSRoute and this parent ref's Listener(s).",
      );
    }
  }
}

function processSingleRuleRoute(t: RouteTranslation, route: RouteContext<TCPRoute> | RouteContext<UDPRoute>, protocol: "TCP" | "UDP"): void {
  const rules = route.route.spec.rules;
  for (const parent of route.parentContexts) {
    const rule = rules[0];
    if (rules.length !== 1 || rule === undefined) {
      setRouteCondition(route, parent, "Accepted", "False", "InvalidRule", "One and only one rule is supported");
      continue;
    }
    const errors: RouteStatusError[] = [];
    const destName = irRouteDestinationName(route, -1);
    const metadata = resourceMetadata(route.kind, route.route.metadata, rule.name);
    const mergeUnsafe = mergeBackendsConfig(parentGateway(parent), t.index.resources) !== undefined && (rule.backendRefs ?? []).length > 1;
    const settings = resolveBackends(t, route, parent, rule.backendRefs ?? [], destName, errors, mergeUnsafe, rule.name);
    setResolvedRefs(route, parent, errors);
    if (parentHasCondition(parent, "Accepted", "False")) continue;
    let accepted = false;
    for (const l of parent.listeners) {
      accepted = true;
      l.status.attachedRoutes++;
      if (!listenerIsReady(l)) continue;
      const name = `${route.kind.toLowerCase()}/${route.namespace}/${route.name}`;
      const settingsOnly = t.policyHooks.hasClusterSettingsBelowGateway?.(l.gateway, route, l, rule.name) === true;
      if (protocol === "UDP") {
        const irListener = t.xdsIR.get(l.gateway.irKey)?.udp?.find((x) => x.name === irListenerName(l)) as Mutable<ir.UDPListener> | undefined;
        if (irListener !== undefined && irListener.route === undefined) {
          irListener.route = {
            name,
            destination: routeDestination(t.xdsIR.get(l.gateway.irKey), t.backendClusters, destName, metadata, undefined, settings, settingsOnly),
          };
        }
      } else {
        const irListener = tcpListenerOf(t, l);
        if (irListener !== undefined && (irListener.routes ?? []).length === 0) {
          const irRoute: Mutable<ir.TCPRoute> = {
            name,
            destination: routeDestination(t.xdsIR.get(l.gateway.irKey), t.backendClusters, destName, metadata, undefined, settings, settingsOnly),
            metadata: resourceMetadata(route.kind, route.route.metadata),
          };
          if (irListener.tls !== undefined) {
            const tls: Mutable<ir.TLS> = { terminate: irListener.tls };
            if (l.listener.hostname !== undefined) tls.inspector = { snis: [l.listener.hostname] };
            irRoute.tls = tls;
          }
          irListener.routes = [irRoute];
        }
      }
    }
    if (!accepted) {
      setRouteCondition(route, parent, "Accepted", "False", "UnsupportedValue", `Multiple routes on the same ${protocol} listener`);
    }
  }
}

function relevantRoutes<
  R extends {
    readonly metadata: { readonly name: string; readonly namespace?: string };
    readonly spec: { readonly hostnames?: ReadonlyArray<string>; readonly parentRefs?: ReadonlyArray<never> };
  },
>(t: RouteTranslation, kind: "TLSRoute" | "TCPRoute" | "UDPRoute", routes: ReadonlyArray<R>): Array<RouteContext<R>> {
  const out: Array<RouteContext<R>> = [];
  for (const r of routes) {
    const ctx = newRouteContext(kind, r, r.spec as never, (r as { status?: { parents?: never } }).status?.parents);
    if (attachRouteToParents(ctx, t.gateways, t.index, t.options.gatewayControllerName)) out.push(ctx);
  }
  return out;
}

/** Translates TLSRoutes attached to the translated Gateways. */
export function processTLSRoutes(t: RouteTranslation, routes: ReadonlyArray<TLSRoute>): Array<RouteContext<TLSRoute>> {
  const out = relevantRoutes(t, "TLSRoute", routes as ReadonlyArray<never>) as Array<RouteContext<TLSRoute>>;
  for (const r of out) processTLSRoute(t, r);
  return out;
}

/** Translates TCPRoutes attached to the translated Gateways. */
export function processTCPRoutes(t: RouteTranslation, routes: ReadonlyArray<TCPRoute>): Array<RouteContext<TCPRoute>> {
  const out = relevantRoutes(t, "TCPRoute", routes as ReadonlyArray<never>) as Array<RouteContext<TCPRoute>>;
  for (const r of out) processSingleRuleRoute(t, r, "TCP");
  return out;
}

/** Translates UDPRoutes attached to the translated Gateways. */
export function processUDPRoutes(t: RouteTranslation, routes: ReadonlyArray<UDPRoute>): Array<RouteContext<UDPRoute>> {
  const out = relevantRoutes(t, "UDPRoute", routes as ReadonlyArray<never>) as Array<RouteContext<UDPRoute>>;
  for (const r of out) processSingleRuleRoute(t, r, "UDP");
  return out;
}
