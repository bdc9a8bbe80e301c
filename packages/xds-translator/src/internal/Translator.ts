import { SocketAddress_Protocol } from "@egts/envoy-api/generated/envoy/config/core/v3/address";
import type { Metadata } from "@egts/envoy-api/generated/envoy/config/core/v3/base";
import type { Listener } from "@egts/envoy-api/generated/envoy/config/listener/v3/listener";
import { RouteConfiguration } from "@egts/envoy-api/generated/envoy/config/route/v3/route";
import { type Route, VirtualHost } from "@egts/envoy-api/generated/envoy/config/route/v3/route_components";
import type { HttpConnectionManager } from "@egts/envoy-api/generated/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager";
import type {
  DestinationSetting,
  HTTP3Settings,
  HTTPListener,
  HTTPRoute,
  ReadyListener,
  RouteDestination,
  TCPListener,
  TCPRoute,
  UDPRoute,
  Xds,
} from "@egts/ir";
import { addAccessLogClusters } from "./AccessLog.js";
import type { ExtensionHooks } from "../ExtensionHooks.js";
import {
  addClusterWithHooks,
  postListenerHooks,
  postRouteHook,
  postTranslateHook,
  postVirtualHostHook,
  repairSystemTrustStore,
  runAsync,
  runSync,
  type Steps,
} from "./Extension.js";
import { addCluster, clusterOnlyTimeout, determineIpFamily, emitSystemTrustStoreSecret, endpointTypeOf, trafficArgs, type ClusterArgs } from "./Cluster.js";
import { newBuilderCaches, newContext, type BuilderCaches, type Reuse, type TranslationContext } from "./Context.js";
import { httpFilterModules } from "./filters/index.js";
import { addRateLimitServiceCluster } from "./filters/RateLimit.js";
import { addWasmServiceCluster } from "./filters/Wasm.js";
import { patchHcmWithFilters, routeConfigName } from "./HttpConnectionManager.js";
import {
  addHcmToListener,
  addTcpFilterChain,
  buildQuicListener,
  buildReadyListener,
  buildTcpListener,
  buildUdpListener,
  defaultChainRouteConfigName,
  hasHcmInDefaultFilterChain,
  patchProxyProtocolFilter,
} from "./Listener.js";
import { buildXdsMetadata } from "./Metadata.js";
import type { XdsTranslateOptions } from "./Options.js";
import { applyPatchPolicies } from "./PatchPolicy.js";
import { msg } from "./Proto.js";
import type { ClusterRequest, ResourceTable, StepRecord } from "./ResourceTable.js";
import { buildRoute, routeNeedsClusterPerSetting } from "./Route.js";
import { positionNear, routesWhere, scanRoutes } from "./RouteScan.js";
import { sameValue } from "./SameValue.js";
import { buildTlsCaSecret, buildTlsCertSecret, sdsClusterNameFromUrl, sdsUrl } from "./Tls.js";
import { addTracingCluster } from "./Tracing.js";
import { buildCluster } from "./Cluster.js";
import { Cluster, Cluster_DiscoveryType } from "@egts/envoy-api/generated/envoy/config/cluster/v3/cluster";
import { seconds } from "./Proto.js";

const EMPTY_CLUSTER = "EmptyCluster";
const DEFAULT_MAX_DIRECT_RESPONSE_BODY = 4 * 1024;
const CRD_MAX_SIZE = 1024 * 1024;

/** An error naming the IR object it came from, unless it already names the xDS resource (validation errors). */
function inContext(label: string, e: unknown): Error {
  const error = e instanceof Error ? e : new Error(String(e));
  if (error.message.startsWith("validation failed for xds resource")) return error;
  return new Error(`${label}: ${error.message}`, { cause: error });
}

/** Collects errors without stopping translation (upstream joins them with errors.Join). */
class Errors {
  readonly list: Error[] = [];
  run(f: () => void, label?: string): boolean {
    try {
      f();
      return true;
    } catch (e) {
      this.list.push(label === undefined ? (e instanceof Error ? e : new Error(String(e))) : inContext(label, e));
      return false;
    }
  }
}

const needsRouteCluster = (d: RouteDestination): boolean => (d.settings?.length ?? 0) > 0 || (d.backendClusterRefs?.length ?? 0) === 0;

function singleClusterName(d: RouteDestination): string {
  if ((d.settings?.length ?? 0) > 0) return d.name;
  return d.backendClusterRefs?.[0]?.name ?? d.name;
}

function findListener(table: ResourceTable, address: string, port: number, protocol: SocketAddress_Protocol): Listener | undefined {
  return table.listeners.find((l) => {
    const a = l.address?.address;
    return (
      a?.$case === "socketAddress" &&
      a.value.address === address &&
      a.value.protocol === protocol &&
      a.value.portSpecifier?.$case === "portValue" &&
      a.value.portSpecifier.value === port
    );
  });
}

function addClientCertificateSecrets(ctx: TranslationContext, settings: readonly DestinationSetting[] | undefined): void {
  for (const s of settings ?? []) {
    for (const c of s.tls?.clientCertificates ?? []) {
      const secret = buildTlsCertSecret(c);
      if (secret !== undefined) ctx.table.addSecretOnce(secret);
    }
  }
}

const emptyCluster = () => msg(Cluster, { name: EMPTY_CLUSTER, clusterDiscoveryType: { $case: "type", value: Cluster_DiscoveryType.STATIC } });

/** The cluster requests of an HTTP route: its destination's (one, or one per setting) and its mirrors'. */
function routeClusterRequests(ctx: TranslationContext, r: HTTPRoute, l: HTTPListener): { destination: ClusterArgs[]; mirrors: ClusterArgs[] } {
  const { metrics, healthCheckLog } = ctx.ir;
  const destination: ClusterArgs[] = [];
  const d = r.destination;
  if (d !== undefined && needsRouteCluster(d)) {
    // One literal of a fixed shape (spreading a shared base into each request was a hot spot).
    const t = r.traffic;
    const ipFamily = determineIpFamily(d.settings);
    const request = (name: string, settings: readonly DestinationSetting[]): ClusterArgs => ({
      name,
      settings,
      endpointType: endpointTypeOf(settings),
      routeHostname: r.hostname,
      metrics,
      http1Settings: l.http1,
      useClientProtocol: r.useClientProtocol === true,
      ipFamily,
      metadata: d.metadata,
      statName: d.statName,
      healthCheckLog,
      isRoute: true,
      loadBalancer: t?.loadBalancer,
      proxyProtocol: t?.proxyProtocol,
      circuitBreaker: t?.circuitBreaker,
      healthCheck: t?.healthCheck,
      timeout: clusterOnlyTimeout(t?.timeout),
      tcpKeepalive: t?.tcpKeepalive,
      backendConnection: t?.backendConnection,
      dns: t?.dns,
      http2Settings: t?.http2,
      admissionControl: t?.admissionControl,
    });
    if (!routeNeedsClusterPerSetting(r) && (d.backendClusterRefs?.length ?? 0) === 0) {
      destination.push(request(d.name, d.settings ?? []));
    } else {
      for (const s of d.settings ?? []) destination.push(request(s.name, [s]));
    }
  }
  const mirrors: ClusterArgs[] = [];
  for (const m of r.mirrors ?? []) {
    const md = m.destination;
    if (md === undefined) continue;
    mirrors.push({ name: md.name, settings: md.settings ?? [], endpointType: endpointTypeOf(md.settings), metrics, metadata: md.metadata, isRoute: true });
  }
  return { destination, mirrors };
}

/**
 * What an HTTP route translates to in a listener (its Envoy route, per-filter configs included, and its
 * cluster requests), with everything it is built from besides the route: a memoising translator keeps one per
 * IR route and takes it over while the route is the same object and these are the same.
 */
export interface RouteUnit {
  readonly inputs: readonly unknown[];
  readonly route: Route;
  readonly clusters: { readonly destination: readonly ClusterArgs[]; readonly mirrors: readonly ClusterArgs[] };
}

/**
 * Asks for a route unit's clusters from its `from`th request on (the earlier ones were recorded again just
 * before); returns all of the unit's requests as recorded now.
 */
function askUnitClusters(ctx: TranslationContext, unit: RouteUnit, from: number, errors: Errors): ClusterRequest[] {
  const { destination, mirrors } = unit.clusters;
  const mark = ctx.table.recordedCount() - from;
  for (let k = from; k < destination.length + mirrors.length; k++)
    requestCluster(ctx, (k < destination.length ? destination[k] : mirrors[k - destination.length]) as ClusterArgs, errors);
  return ctx.table.clusterRequestsSince(mark);
}

/**
 * One memoised pass over a listener's routes, by position, in flat lists (so that a later pass reads them without
 * visiting each route's objects): each route's unit, hostname, Envoy route, direct response body length (-1
 * without one), and the cluster requests recorded, route by route (route i's from `starts[i]` on).
 */
interface RouteLoop {
  readonly routes: readonly HTTPRoute[];
  readonly inputs: readonly unknown[];
  readonly units: RouteUnit[];
  readonly routeHostnames: string[];
  readonly messages: Route[];
  readonly bodies: number[];
  readonly starts: number[];
  readonly requests: ClusterRequest[];
  /** Cluster names of the requests. */
  readonly names: string[];
  /** Whether each request found its cluster there (did not build it). */
  readonly found: boolean[];
  /** The inputs of the virtual hosts, and for each virtual host in order its hostname, opener and message. */
  readonly head: readonly unknown[];
  readonly hostnames: string[];
  readonly openers: HTTPRoute[];
  readonly vhosts: VirtualHost[];
  add(unit: RouteUnit, hostname: string, route: Route, body: number): void;
  addRequest(request: ClusterRequest): void;
  addHost(hostname: string, opener: HTTPRoute, vhost: VirtualHost): void;
}

function newRouteLoop(routes: readonly HTTPRoute[], inputs: readonly unknown[], head: readonly unknown[]): RouteLoop {
  const loop: RouteLoop = {
    routes,
    inputs,
    head,
    hostnames: [],
    openers: [],
    vhosts: [],
    units: [],
    routeHostnames: [],
    messages: [],
    bodies: [],
    starts: [],
    requests: [],
    names: [],
    found: [],
    add(unit, hostname, route, body) {
      loop.units.push(unit);
      loop.routeHostnames.push(hostname);
      loop.messages.push(route);
      loop.bodies.push(body);
    },
    addRequest(request) {
      loop.requests.push(request);
      loop.names.push(request.args.name);
      loop.found.push(!request.won);
    },
    addHost(hostname, opener, vhost) {
      loop.hostnames.push(hostname);
      loop.openers.push(opener);
      loop.vhosts.push(vhost);
    },
  };
  return loop;
}

const NO_REQUESTS: readonly ClusterArgs[] = [];

/**
 * A unit's cluster requests, each the equal arguments the memo's cluster of its name was built from where there
 * is one (the same route in several listeners asks alike: the units share the arguments, and the memo finds
 * them by identity).
 */
function sharedRequests(
  ctx: TranslationContext,
  requests: { destination: ClusterArgs[]; mirrors: ClusterArgs[] },
): { readonly destination: readonly ClusterArgs[]; readonly mirrors: readonly ClusterArgs[] } {
  const memo = ctx.caches.clusters;
  const shared = (args: ClusterArgs): ClusterArgs => {
    const known = memo?.current.get(args.name) ?? memo?.previous.get(args.name);
    return known !== undefined && known.args !== args && sameValue(known.args, args) ? known.args : args;
  };
  return {
    destination: requests.destination.map(shared),
    mirrors: requests.mirrors.length === 0 ? NO_REQUESTS : requests.mirrors.map(shared),
  };
}

/** Builds an HTTP route with its filters' per-route parts (and HTTP/3's alt-svc header); throws as they do. */
function buildHttpRoute(ctx: TranslationContext, r: HTTPRoute, l: HTTPListener, http3: HTTP3Settings | undefined, extraRemove: readonly string[]): Route {
  const route = buildRoute(r, l, ctx.backendIndex, extraRemove);
  for (const module of httpFilterModules) module.patchRoute?.(route, r, l, ctx);
  if (http3 !== undefined) addAltSvcHeader(route, l);
  return route;
}

function addAltSvcHeader(route: Route, l: HTTPListener): void {
  route.responseHeadersToAdd.push({
    header: { key: "alt-svc", value: `h3=":${l.externalPort ?? 0}"; ma=86400`, rawValue: Buffer.alloc(0) },
    append: true,
    appendAction: 0,
    keepEmptyValue: false,
  });
}

/** What a memoising translator keeps per IR route: its translation (a RouteUnit) and its virtual host's. */
export interface RouteMemo {
  readonly units: WeakMap<object, RouteUnit>;
  /** Virtual hosts, by the IR route that opened them. */
  readonly virtualHosts: WeakMap<object, { readonly head: readonly unknown[]; readonly hostname: string; readonly vhost: VirtualHost }>;
  /**
   * The input lists of each listener's route and virtual host translations, by listener name: kept while equal,
   * so that a unit's inputs are checked by identity.
   */
  readonly inputs?: Map<string, { readonly route: readonly unknown[]; readonly vhost: readonly unknown[] }>;
  /** Each listener's last pass over its routes, by listener name (see RouteLoop). */
  readonly loops?: Map<string, RouteLoop>;
}

const sameList = (a: readonly unknown[], b: readonly unknown[]): boolean => {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};

/** `list`, or the kept list under `key` when that holds the same elements (kept from now on otherwise). */
function keptInputs(
  memo: RouteMemo,
  key: string,
  route: readonly unknown[],
  vhost: readonly unknown[],
): { readonly route: readonly unknown[]; readonly vhost: readonly unknown[] } {
  const known = memo.inputs?.get(key);
  const kept = {
    route: known !== undefined && sameList(known.route, route) ? known.route : route,
    vhost: known !== undefined && sameList(known.vhost, vhost) ? known.vhost : vhost,
  };
  if (known === undefined || known.route !== kept.route || known.vhost !== kept.vhost) memo.inputs?.set(key, kept);
  return kept;
}

/** Adds a cluster, reporting a failure as an error. */
function requestCluster(ctx: TranslationContext, args: ClusterArgs, errors: Errors): void {
  try {
    addCluster(ctx, args);
  } catch (e) {
    errors.list.push(e instanceof Error ? e : new Error(String(e)));
  }
}

/**
 * `addRoutesToRouteConfig` for a memoising translator (no hooks): a route whose translation's inputs are the
 * same objects as last time keeps its Envoy route and cluster requests, and a virtual host whose inputs and
 * routes are the same keeps its message (so its encoding and check are reused too). A route that fails is
 * reported and left out; the translator then translates in full, so how such a virtual host looks is moot.
 */
function addMemoisedRoutes(
  ctx: TranslationContext,
  memo: RouteMemo,
  routeConfig: RouteConfiguration,
  l: HTTPListener,
  http3: HTTP3Settings | undefined,
  extraRemove: readonly string[],
  errors: Errors,
): void {
  const { metrics, healthCheckLog } = ctx.ir;
  const md = l.metadata;
  const stats = metrics?.enableVirtualHostStats === true;
  // Everything a route's translation reads besides the route (buildRoute, the filters' patchRoute, cluster
  // requests), and a virtual host's besides its hostname and routes.
  const { route: inputs, vhost: head } = keptInputs(
    memo,
    l.name,
    [
      l.name,
      l.headers,
      l.timeout,
      l.http1,
      http3 !== undefined ? (l.externalPort ?? 0) : undefined,
      extraRemove.join("\n"),
      metrics,
      healthCheckLog,
      ctx.backendIndex.size === 0 ? "" : [...ctx.backendIndex.keys()].join("\n"),
    ],
    [l.name, md, stats, ctx.nameSchemeV2],
  );
  const hosts = new Map<string, { readonly opener: HTTPRoute; readonly routes: Route[] }>();
  let maxBody = DEFAULT_MAX_DIRECT_RESPONSE_BODY;
  const table = ctx.table;
  const routes = l.routes ?? [];
  // Routes at the same position as last time (the same objects, translated with the same inputs) take what that
  // pass kept in flat lists over without the route, its unit or its requests being looked at again.
  const before = memo.loops?.get(l.name);
  const kept = before !== undefined && before.inputs === inputs ? before : undefined;
  const pass = newRouteLoop(routes, inputs, head);
  const failures = errors.list.length;
  // The kept pass's position of the next route (see positionNear).
  let at = 0;
  for (let i = 0; i < routes.length; i++) {
    const r = routes[i] as HTTPRoute;
    pass.starts.push(pass.requests.length);
    table.source = r;
    const ki = positionNear(kept?.routes, at, r);
    if (kept !== undefined && ki >= 0) {
      at = ki + 1;
      const hostname = kept.routeHostnames[ki] as string;
      const route = kept.messages[ki] as Route;
      const body = kept.bodies[ki] as number;
      let host = hosts.get(hostname);
      if (host === undefined) hosts.set(hostname, (host = { opener: r, routes: [] }));
      if (body >= 0) maxBody = Math.max(maxBody, body);
      host.routes.push(route);
      const unit = kept.units[ki] as RouteUnit;
      const from = kept.starts[ki] as number;
      const to = kept.starts[ki + 1] ?? kept.requests.length;
      let k = from;
      while (k < to && kept.found[k] === true && table.repeatFoundRequest(kept.requests[k] as ClusterRequest, kept.names[k] as string)) k++;
      if (k === to) {
        for (let j = from; j < to; j++) pass.addRequest(kept.requests[j] as ClusterRequest);
      } else {
        // Requests from the first one that would not just find its cluster on are asked anew.
        for (const request of askUnitClusters(ctx, unit, k - from, errors)) pass.addRequest(request);
      }
      pass.add(unit, hostname, route, body);
      continue;
    }
    let host = hosts.get(r.hostname);
    if (host === undefined) hosts.set(r.hostname, (host = { opener: r, routes: [] }));
    const body = r.directResponse === undefined ? -1 : (r.directResponse.body?.length ?? 0);
    if (body >= 0) maxBody = Math.max(maxBody, body);
    let unit = memo.units.get(r);
    if (unit === undefined || !sameList(unit.inputs, inputs)) {
      try {
        unit = { inputs, route: buildHttpRoute(ctx, r, l, http3, extraRemove), clusters: sharedRequests(ctx, routeClusterRequests(ctx, r, l)) };
      } catch (e) {
        errors.list.push(inContext(`http route ${JSON.stringify(r.name)}`, e));
        continue;
      }
      memo.units.set(r, unit);
    }
    host.routes.push(unit.route);
    for (const request of askUnitClusters(ctx, unit, 0, errors)) pass.addRequest(request);
    pass.add(unit, r.hostname, unit.route, body);
  }
  table.source = undefined;
  let vhostMetadata: Metadata | undefined | null = null;
  // A virtual host at the same position as last time, of the same hostname, opener and routes, is taken over
  // from the flat lists; otherwise from the one its opener opened, when that is the same; else built.
  const keptHosts = before !== undefined && before.head === head ? before : undefined;
  let j = 0;
  for (const [hostname, { opener, routes: hostRoutes }] of hosts) {
    let vhost: VirtualHost;
    const keptVhost = keptHosts?.vhosts[j];
    if (keptVhost !== undefined && keptHosts?.hostnames[j] === hostname && keptHosts.openers[j] === opener && sameList(keptVhost.routes, hostRoutes)) {
      vhost = keptVhost;
    } else {
      let known = memo.virtualHosts.get(opener);
      if (known === undefined || known.head !== head || known.hostname !== hostname || !sameList(known.vhost.routes, hostRoutes)) {
        if (vhostMetadata === null) vhostMetadata = buildXdsMetadata(md);
        const built = buildVirtualHost(ctx, l, hostname, vhostMetadata);
        built.routes.push(...hostRoutes);
        known = { head, hostname, vhost: built };
        memo.virtualHosts.set(opener, known);
      }
      vhost = known.vhost;
    }
    pass.addHost(hostname, opener, vhost);
    routeConfig.virtualHosts.push(vhost);
    j++;
  }
  // A pass with failures ends in a full translation; keep the last good one.
  if (errors.list.length === failures) memo.loops?.set(l.name, pass);
  if (maxBody > DEFAULT_MAX_DIRECT_RESPONSE_BODY) routeConfig.maxDirectResponseBodySizeBytes = maxBody > CRD_MAX_SIZE ? maxBody : CRD_MAX_SIZE;
}

/**
 * The virtual host of a hostname in a listener, without routes. `metadata` is the listener's, built once for all
 * its virtual hosts (messages are not changed once built, so they share it).
 */
function buildVirtualHost(ctx: TranslationContext, l: HTTPListener, hostname: string, metadata: Metadata | undefined): VirtualHost {
  const underscored = hostname.replaceAll(".", "_");
  const vhost = msg(VirtualHost, {
    name: ctx.nameSchemeV2 ? underscored : `${l.name}/${underscored}`,
    domains: [hostname],
    ...(ctx.ir.metrics?.enableVirtualHostStats === true
      ? {
          virtualClusters: [
            {
              name: underscored,
              headers: [{ name: ":authority", headerMatchSpecifier: { $case: "stringMatch", value: { matchPattern: { $case: "prefix", value: hostname } } } }],
            },
          ],
        }
      : {}),
  });
  if (metadata !== undefined) vhost.metadata = metadata;
  return vhost;
}

function* addRoutesToRouteConfig(
  ctx: TranslationContext,
  routeConfig: RouteConfiguration,
  l: HTTPListener,
  http3: HTTP3Settings | undefined,
  errors: Errors,
): Steps<void> {
  const vhosts = new Map<string, VirtualHost>();
  const vhostMetadata = buildXdsMetadata(l.metadata);
  const order: VirtualHost[] = [];
  let maxBody = DEFAULT_MAX_DIRECT_RESPONSE_BODY;
  const extraRemove = httpFilterModules.flatMap((m) => m.requestHeadersToRemove?.(l, ctx) ?? []);
  const memo = ctx.hooks === undefined ? ctx.caches.routes : undefined;
  if (memo !== undefined) {
    addMemoisedRoutes(ctx, memo, routeConfig, l, http3, extraRemove, errors);
    return;
  }
  for (const r of l.routes ?? []) {
    let vhost = vhosts.get(r.hostname);
    if (vhost === undefined) {
      vhost = buildVirtualHost(ctx, l, r.hostname, vhostMetadata);
      vhosts.set(r.hostname, vhost);
      order.push(vhost);
    }
    if (r.directResponse !== undefined) maxBody = Math.max(maxBody, r.directResponse.body?.length ?? 0);
    let route;
    try {
      route = buildRoute(r, l, ctx.backendIndex, extraRemove);
      for (const module of httpFilterModules) module.patchRoute?.(route, r, l, ctx);
    } catch (e) {
      errors.list.push(inContext(`http route ${JSON.stringify(r.name)}`, e));
      continue;
    }
    if (ctx.hooks !== undefined) route = yield* postRouteHook(ctx, route, vhost.domains, r.extensionRefs, r.extensionServerPolicies, errors.list);
    if (http3 !== undefined) addAltSvcHeader(route, l);
    vhost.routes.push(route);
    ctx.table.source = r;
    const requests = routeClusterRequests(ctx, r, l);
    for (const args of requests.destination) yield* addRouteCluster(ctx, args, r.extensionRefs, errors);
    for (const args of requests.mirrors) errors.run(() => addCluster(ctx, args));
    ctx.table.source = undefined;
  }
  if (ctx.hooks !== undefined) {
    for (let i = 0; i < order.length; i++) order[i] = yield* postVirtualHostHook(ctx, order[i] as VirtualHost, errors.list);
  }
  routeConfig.virtualHosts.push(...order);
  if (maxBody > DEFAULT_MAX_DIRECT_RESPONSE_BODY) routeConfig.maxDirectResponseBodySizeBytes = maxBody > CRD_MAX_SIZE ? maxBody : CRD_MAX_SIZE;
}

/** Adds a route or merged backend cluster, through the extension hooks when there are any. */
function* addRouteCluster(ctx: TranslationContext, args: ClusterArgs, refs: HTTPRoute["extensionRefs"], errors: Errors): Steps<void> {
  if (ctx.hooks === undefined) {
    errors.run(() => addCluster(ctx, args));
    return;
  }
  try {
    yield* addClusterWithHooks(ctx, args, refs);
  } catch (e) {
    errors.list.push(e instanceof Error ? e : new Error(String(e)));
  }
}

function* processHttpListeners(ctx: TranslationContext, errors: Errors): Steps<void> {
  const table = ctx.table;
  const http3ByPort = new Map<string, HTTP3Settings>();
  const key = (address: string, port: number) => `${address}|${port}`;
  for (const l of ctx.ir.http ?? []) if (l.http3 !== undefined) http3ByPort.set(key(l.address, l.port), l.http3);
  for (const l of ctx.ir.http ?? []) {
    const replayed = ctx.replay?.get(l);
    if (replayed !== undefined) {
      replayStep(ctx, replayed, errors);
      continue;
    }
    table.beginStep("http", l);
    try {
      const http3 = http3ByPort.get(key(l.address, l.port));
      let tcp = findListener(table, l.address, l.port, SocketAddress_Protocol.TCP);
      let quic = findListener(table, l.address, l.port, SocketAddress_Protocol.UDP);
      const exists = tcp !== undefined;
      let addHcm: boolean;
      if (!exists) {
        if (http3 !== undefined) {
          quic = buildQuicListener(ctx, l, l.ipFamily);
          table.addListener(quic);
        }
        tcp = buildTcpListener(ctx, l, l.tcpKeepalive, l.connection, l.timeout);
        table.addListener(tcp);
        addHcm = true;
      } else if (l.tls === undefined) {
        addHcm = !hasHcmInDefaultFilterChain(tcp);
      } else {
        addHcm = true;
      }
      const tcpListener = tcp as Listener;
      if (addHcm) {
        addHcmToListener(ctx, tcpListener, l, false);
        if (http3 !== undefined && quic !== undefined) addHcmToListener(ctx, quic, l, true);
      } else {
        const shared = (lst: Listener | undefined) => {
          const hcm: HttpConnectionManager | undefined = ctx.table.hcmOf(lst?.defaultFilterChain);
          if (hcm === undefined) throw new Error("http connection manager not found");
          patchHcmWithFilters(ctx, hcm, l, ctx.ir.accessLog);
        };
        shared(tcpListener);
        if (http3 !== undefined) shared(quic);
      }
      if (l.tls !== undefined) {
        for (const c of l.tls.certificates ?? []) {
          const s = buildTlsCertSecret(c);
          if (s !== undefined) errors.run(() => table.addSecret(s));
        }
        if (l.tls.caCertificate !== undefined) {
          const s = buildTlsCaSecret(l.tls.caCertificate, l.tls.crl);
          if (s !== undefined) errors.run(() => table.addSecret(s));
        }
      }
      const withClientCertificates = routesWhere(ctx.caches.routeScans, `clientCertificates\n${l.name}`, l.routes ?? [], (r) =>
        (r.destination?.settings ?? []).some((s) => (s.tls?.clientCertificates?.length ?? 0) > 0),
      );
      for (const r of withClientCertificates) errors.run(() => addClientCertificateSecrets(ctx, r.destination?.settings));
      let rcName = defaultChainRouteConfigName(ctx, tcpListener);
      if (rcName === "") rcName = routeConfigName(l, ctx.nameSchemeV2);
      let rc = table.findRouteConfig(rcName);
      if (rc === undefined) {
        rc = msg(RouteConfiguration, { ignorePortInHostMatching: true, name: rcName });
        const created = rc;
        errors.run(() => table.addRouteConfig(created));
      }
      yield* addRoutesToRouteConfig(ctx, rc, l, http3, errors);
      const patching = resourcePatchRoutes(ctx, l);
      for (const [i, module] of httpFilterModules.entries())
        errors.run(() => module.patchResources?.(patching(i), ctx), `http listener ${JSON.stringify(l.name)} (${module.name})`);
    } catch (e) {
      errors.list.push(inContext(`http listener ${JSON.stringify(l.name)}`, e));
    } finally {
      ctx.table.source = undefined;
      table.endStep();
    }
  }
}

/**
 * Repeats a step of the previous translation: the same table changes, with the messages that step left
 * complete (its listener and route configuration, not changed since, since every step that changed them
 * is replayed too) and its cluster requests asked again, so that which request builds a cluster is decided
 * anew. See Incremental.ts for when a step may be replayed.
 */
function replayStep(ctx: TranslationContext, step: StepRecord, errors: Errors): void {
  const table = ctx.table;
  table.beginStep(step.kind, step.listener);
  for (const op of step.ops) {
    switch (op.kind) {
      case "listener":
        table.adopt(op.message);
        table.addListener(op.message);
        break;
      case "routeConfig":
        table.adopt(op.message);
        table.addRouteConfig(op.message);
        break;
      case "secret":
        table.adopt(op.message);
        errors.run(() => table.addSecret(op.message));
        break;
      case "secretOnce":
        table.adopt(op.message);
        errors.run(() => table.addSecretOnce(op.message));
        break;
      case "clusterOnce":
        table.adopt(op.message);
        errors.run(() => table.addClusterOnce(op.message));
        break;
      case "trustStore":
        errors.run(() => emitSystemTrustStoreSecret(ctx, op.name));
        break;
      case "cluster":
        table.source = op.source;
        errors.run(() => addCluster(ctx, op.args));
        table.source = undefined;
        break;
    }
  }
  table.endStep();
}

function tcpRouteClusterArgs(ctx: TranslationContext, route: TCPRoute | UDPRoute, tcp: boolean): Omit<ClusterArgs, "name" | "settings" | "endpointType"> {
  if (!tcp) {
    const u = route as UDPRoute;
    return { loadBalancer: u.loadBalancer, metrics: ctx.ir.metrics, dns: u.dns, isRoute: true };
  }
  const t = route as TCPRoute;
  return {
    loadBalancer: t.loadBalancer,
    proxyProtocol: t.proxyProtocol,
    circuitBreaker: t.circuitBreaker,
    tcpKeepalive: t.tcpKeepalive,
    healthCheck: t.healthCheck,
    timeout: clusterOnlyTimeout(t.timeout),
    metrics: ctx.ir.metrics,
    backendConnection: t.backendConnection,
    dns: t.dns,
    healthCheckLog: ctx.ir.healthCheckLog,
    isRoute: true,
  };
}

function processTcpListeners(ctx: TranslationContext, errors: Errors): void {
  const table = ctx.table;
  const empty: { route?: TCPRoute; readonly chains: Set<string> } = { chains: new Set() };
  for (const l of ctx.ir.tcp ?? []) {
    const replayed = ctx.replay?.get(l);
    if (replayed !== undefined) {
      replayStep(ctx, replayed, errors);
      continue;
    }
    table.beginStep("tcp", l);
    try {
      processTcpListener(ctx, l, errors, empty);
    } finally {
      table.endStep();
    }
  }
}

function processTcpListener(ctx: TranslationContext, l: TCPListener, errors: Errors, empty: { route?: TCPRoute; readonly chains: Set<string> }): void {
  const table = ctx.table;
  let listener = findListener(table, l.address, l.port, SocketAddress_Protocol.TCP);
  if (listener === undefined) {
    const built = buildTcpListener(ctx, l, l.tcpKeepalive, l.connection, l.timeout);
    if (!errors.run(() => table.addListener(built))) return;
    listener = built;
  }
  const xl = listener;
  patchProxyProtocolFilter(xl, l.proxyProtocol);
  for (const route of l.routes ?? []) {
    const d = route.destination;
    table.source = route;
    if (d !== undefined && needsRouteCluster(d)) {
      errors.run(() =>
        addCluster(ctx, {
          ...tcpRouteClusterArgs(ctx, route, true),
          name: d.name,
          settings: d.settings ?? [],
          endpointType: endpointTypeOf(d.settings),
          metadata: d.metadata,
        }),
      );
    }
    const terminate = route.tls?.terminate;
    if (terminate !== undefined) {
      for (const c of terminate.clientCertificates ?? []) {
        const s = buildTlsCertSecret(c);
        if (s !== undefined) errors.run(() => table.addSecret(s));
      }
      for (const c of terminate.certificates ?? []) {
        const s = buildTlsCertSecret(c);
        if (s !== undefined) errors.run(() => table.addSecret(s));
      }
      if (terminate.caCertificate !== undefined) {
        const s = buildTlsCaSecret(terminate.caCertificate, terminate.crl);
        if (s !== undefined) errors.run(() => table.addSecret(s));
      }
    } else if (d !== undefined) {
      errors.run(() => addClientCertificateSecrets(ctx, d.settings));
    }
    table.source = undefined;
    errors.run(() => addTcpFilterChain(ctx, xl, route, singleClusterName(d ?? { name: "" }), l.timeout, l.connection, l.tls));
  }
  if ((l.routes?.length ?? 0) === 0) {
    errors.run(() => table.addClusterOnce(emptyCluster()));
    empty.route ??= { name: EMPTY_CLUSTER, destination: { name: EMPTY_CLUSTER } };
    if (!empty.chains.has(xl.name)) {
      const er = empty.route;
      errors.run(() => addTcpFilterChain(ctx, xl, er, EMPTY_CLUSTER, l.timeout, l.connection, l.tls));
      empty.chains.add(xl.name);
    }
  }
}

function processUdpListeners(ctx: TranslationContext, errors: Errors): void {
  const table = ctx.table;
  for (const l of ctx.ir.udp ?? []) {
    const replayed = ctx.replay?.get(l);
    if (replayed !== undefined) {
      replayStep(ctx, replayed, errors);
      continue;
    }
    table.beginStep("udp", l);
    let route: UDPRoute;
    if (l.route !== undefined) {
      route = l.route;
      const d = route.destination;
      table.source = route;
      if (d !== undefined && needsRouteCluster(d)) {
        errors.run(() =>
          addCluster(ctx, {
            ...tcpRouteClusterArgs(ctx, route, false),
            name: d.name,
            settings: d.settings ?? [],
            endpointType: endpointTypeOf(d.settings),
            metadata: d.metadata,
          }),
        );
      }
      table.source = undefined;
    } else {
      route = { name: EMPTY_CLUSTER, destination: { name: EMPTY_CLUSTER } };
      errors.run(() => table.addClusterOnce(emptyCluster()));
    }
    const r = route;
    errors.run(() => table.addListener(buildUdpListener(ctx, singleClusterName(r.destination ?? { name: "" }), l)));
    table.endStep();
  }
}

function* processMergedBackendClusters(ctx: TranslationContext, errors: Errors): Steps<void> {
  for (const bc of ctx.ir.backendClusters ?? []) {
    const settings = bc.setting !== undefined ? [bc.setting] : [];
    ctx.table.source = bc;
    yield* addRouteCluster(
      ctx,
      {
        name: bc.name,
        settings,
        endpointType: endpointTypeOf(settings),
        metrics: ctx.ir.metrics,
        ipFamily: determineIpFamily(settings),
        useClientProtocol: bc.useClientProtocol === true,
        healthCheckLog: ctx.ir.healthCheckLog,
        metadata: bc.metadata,
        ...trafficArgs(bc.traffic),
      },
      undefined,
      errors,
    );
    ctx.table.source = undefined;
    errors.run(() => addClientCertificateSecrets(ctx, settings));
  }
}

/**
 * The routes of `l` each filter module's `patchResources` may do anything for (see `patchesResourcesFor`), by
 * the module's position in `httpFilterModules`, in order.
 */
function resourcePatchRoutes(ctx: TranslationContext, l: HTTPListener): (module: number) => readonly HTTPRoute[] {
  const routes = l.routes ?? [];
  // One bit per module.
  if (httpFilterModules.length > 30) return () => routes;
  const masks = scanRoutes(ctx.caches.routeScans, `patchResources\n${l.name}`, routes, (r) => {
    let mask = 0;
    httpFilterModules.forEach((m, i) => {
      if (m.patchResources !== undefined && (m.patchesResourcesFor === undefined || m.patchesResourcesFor(r))) mask |= 1 << i;
    });
    return mask;
  });
  return (module) => {
    const bit = 1 << module;
    if (masks.every((m) => (m & bit) !== 0)) return routes;
    return routes.filter((_, i) => ((masks[i] as number) & bit) !== 0);
  };
}

function processSdsClusters(ctx: TranslationContext, errors: Errors): void {
  const urls = new Set<string>();
  const collect = (settings: readonly DestinationSetting[] | undefined) => {
    for (const d of settings ?? []) {
      if (d.tls === undefined) continue;
      const ca = d.tls.caCertificate?.sds;
      if (ca !== undefined) urls.add(sdsUrl(ca));
      for (const c of d.tls.clientCertificates ?? []) if (c.sds !== undefined) urls.add(sdsUrl(c.sds));
    }
  };
  for (const bc of ctx.ir.backendClusters ?? []) collect(bc.setting !== undefined ? [bc.setting] : []);
  for (const l of ctx.ir.http ?? []) {
    for (const c of l.tls?.certificates ?? []) if (c.sds !== undefined) urls.add(sdsUrl(c.sds));
    // Only routes whose settings have TLS name SDS secrets.
    const withTls = routesWhere(ctx.caches.routeScans, `sds\n${l.name}`, l.routes ?? [], (r) =>
      (r.destination?.settings ?? []).some((d) => d.tls !== undefined),
    );
    for (const r of withTls) collect(r.destination?.settings);
  }
  for (const l of ctx.ir.tcp ?? []) {
    for (const r of l.routes ?? []) {
      for (const c of r.tls?.terminate?.certificates ?? []) if (c.sds !== undefined) urls.add(sdsUrl(c.sds));
      collect(r.destination?.settings);
    }
  }
  for (const url of [...urls].sort()) {
    const name = sdsClusterNameFromUrl(url);
    const cluster = msg(Cluster, {
      name,
      clusterDiscoveryType: { $case: "type", value: Cluster_DiscoveryType.STATIC },
      loadAssignment: {
        clusterName: name,
        endpoints: [
          {
            lbEndpoints: [
              { hostIdentifier: { $case: "endpoint", value: { address: { address: { $case: "pipe", value: { path: url.replace(/^unix:\/\//, "") } } } } } },
            ],
          },
        ],
      },
      connectTimeout: seconds(10),
      http2ProtocolOptions: {},
    });
    const existing = ctx.table.findCluster(name);
    if (existing !== undefined) {
      if (!Buffer.from(Cluster.encode(existing).finish()).equals(Buffer.from(Cluster.encode(cluster).finish()))) {
        errors.list.push(new Error(`SDS cluster "${name}" conflicts with an existing cluster`));
        return;
      }
      continue;
    }
    errors.run(() => ctx.table.addCluster(cluster));
  }
}

function processServiceCluster(ctx: TranslationContext, errors: Errors): void {
  const svc = ctx.ir.globalResources?.proxyServiceCluster;
  if (svc === undefined) return;
  ctx.table.source = svc;
  errors.run(() =>
    addCluster(ctx, {
      name: svc.name,
      settings: svc.settings ?? [],
      endpointType: "Static",
      loadBalancer: { leastRequest: {}, preferLocal: { minEndpointsThreshold: 1 } },
      metadata: svc.metadata,
    }),
  );
  ctx.table.source = undefined;
}

function patchGlobalResources(ctx: TranslationContext, errors: Errors): void {
  const cert = ctx.ir.globalResources?.envoyClientCertificate;
  if (cert !== undefined) {
    const s = buildTlsCertSecret(cert);
    if (s !== undefined) errors.run(() => ctx.table.addSecret(s));
  }
  errors.run(() => addRateLimitServiceCluster(ctx));
  errors.run(() => addWasmServiceCluster(ctx));
}

/** Everything one translation produced (the internal form; src/index.ts shapes the public result). */
export interface TranslationOutput {
  readonly table: ResourceTable;
  readonly errors: readonly Error[];
}

/**
 * Translates one xds IR (upstream's Translator.Translate), best effort: errors are collected, not thrown.
 * A memoising translator passes its caches and `reuse` (what it kept, the steps to replay).
 */
export function translate(ir: Xds, options: XdsTranslateOptions, caches: BuilderCaches = newBuilderCaches(), reuse?: Reuse): TranslationOutput {
  return runSync(translateSteps(ir, options, undefined, caches, reuse));
}

/** `translate` calling extension hooks where upstream calls them. */
export function translateWithHooks(ir: Xds, options: XdsTranslateOptions, hooks: ExtensionHooks): Promise<TranslationOutput> {
  return runAsync(translateSteps(ir, options, hooks));
}

function* translateSteps(
  ir: Xds,
  options: XdsTranslateOptions,
  hooks: ExtensionHooks | undefined,
  caches: BuilderCaches = newBuilderCaches(),
  reuse?: Reuse,
): Steps<TranslationOutput> {
  const ctx = newContext(ir, options, hooks, caches, reuse);
  const errors = new Errors();
  if (ir.readyListener !== undefined) {
    const ready = ir.readyListener;
    errors.run(() => ctx.table.addListener(readyListenerOf(ctx, ready)));
  }
  yield* processHttpListeners(ctx, errors);
  processTcpListeners(ctx, errors);
  processUdpListeners(ctx, errors);
  if (hooks !== undefined) yield* postListenerHooks(ctx, errors.list);
  // Proxy-wide resources are translated every time (their clusters from the memo); recorded for the endpoint path.
  ctx.table.beginStep("global", undefined);
  yield* processMergedBackendClusters(ctx, errors);
  errors.run(() => addAccessLogClusters(ctx));
  processSdsClusters(ctx, errors);
  errors.run(() => addTracingCluster(ctx));
  processServiceCluster(ctx, errors);
  patchGlobalResources(ctx, errors);
  ctx.table.endStep();
  errors.list.push(...ctx.table.sealHcms());
  const patched = applyPatchPolicies(ctx);
  let hooked = false;
  if (hooks !== undefined) {
    hooked = yield* postTranslateHook(ctx, errors.list);
    errors.run(() => repairSystemTrustStore(ctx));
  }
  errors.list.push(...ctx.table.validateAll(patched || hooked));
  return { table: ctx.table, errors: errors.list };
}

/** The ready listener, the same message as last time for the same IR object in a memoising translator. */
function readyListenerOf(ctx: TranslationContext, ready: ReadyListener): Listener {
  const memo = ctx.caches.readyListeners;
  const known = memo?.get(ready) as Listener | undefined;
  if (known !== undefined) {
    ctx.table.adopt(known);
    return known;
  }
  const built = buildReadyListener(ready);
  memo?.set(ready, built);
  return built;
}

export { buildCluster, newBuilderCaches, type BuilderCaches };
