import { SocketAddress_Protocol, type SocketAddress } from "@egts/envoy-api/generated/envoy/config/core/v3/address";
import { SocketOption_SocketState } from "@egts/envoy-api/generated/envoy/config/core/v3/socket_option";
import { Listener, Listener_DrainType } from "@egts/envoy-api/generated/envoy/config/listener/v3/listener";
import type { Filter, FilterChain } from "@egts/envoy-api/generated/envoy/config/listener/v3/listener_components";
import { ProxyProtocol as ProxyProtocolFilter } from "@egts/envoy-api/generated/envoy/extensions/filters/listener/proxy_protocol/v3/proxy_protocol";
import { TlsInspector } from "@egts/envoy-api/generated/envoy/extensions/filters/listener/tls_inspector/v3/tls_inspector";
import { ConnectionLimit } from "@egts/envoy-api/generated/envoy/extensions/filters/network/connection_limit/v3/connection_limit";
import { HttpConnectionManager } from "@egts/envoy-api/generated/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager";
import { TcpProxy } from "@egts/envoy-api/generated/envoy/extensions/filters/network/tcp_proxy/v3/tcp_proxy";
import { Route as UdpRoute } from "@egts/envoy-api/generated/envoy/extensions/filters/udp/udp_proxy/v3/route";
import { UdpProxyConfig } from "@egts/envoy-api/generated/envoy/extensions/filters/udp/udp_proxy/v3/udp_proxy";
import type {
  ClientConnection,
  ClientTimeout,
  CoreListenerDetails,
  HTTPListener,
  ProxyProtocolSettings,
  ReadyListener,
  TCPKeepalive,
  TCPRoute,
  TLSConfig,
  TLSFingerprintType,
  UDPListener,
  egv1a1,
} from "@egts/ir";
import { accessLogsOf } from "./AccessLog.js";
import type { TranslationContext } from "./Context.js";
import { buildHcm, healthCheckFilter, httpFilter, routeConfigName, routerFilter } from "./HttpConnectionManager.js";
import { anyOf, duration, msg } from "./Proto.js";
import { HCM_FILTER_NAME } from "./ResourceTable.js";
import { isSniDynamicForwardProxyRoute, sniDynamicForwardProxyFilters } from "./SniDynamicForwardProxy.js";
import { buildTcpRbacFilter } from "./TcpAuthorization.js";
import { buildDownstreamQuicSocket, buildDownstreamTlsSocket } from "./Tls.js";

type ListenerP = Parameters<typeof Listener.fromPartial>[0];

const socketAddress = (protocol: SocketAddress_Protocol, address: string, port: number, ipFamily?: egv1a1.IPFamily): Partial<SocketAddress> => ({
  protocol,
  address,
  portSpecifier: { $case: "portValue", value: port },
  ...(ipFamily === "DualStack" ? { ipv4Compat: true } : {}),
});

function socketOptions(ka: TCPKeepalive | undefined) {
  if (ka === undefined) return [];
  const out = [{ description: "socket option to enable tcp keep alive", level: "1", name: "9", value: { $case: "intValue" as const, value: "1" } }];
  const prebind = SocketOption_SocketState.STATE_PREBIND;
  if (ka.probes !== undefined) {
    out.push({
      description: "socket option for keep alive probes",
      level: "6",
      name: "6",
      value: { $case: "intValue", value: String(ka.probes) },
      state: prebind,
    } as (typeof out)[number]);
  }
  if (ka.idleTime !== undefined) {
    out.push({
      description: "socket option for keep alive idle time",
      level: "6",
      name: "4",
      value: { $case: "intValue", value: String(ka.idleTime) },
      state: prebind,
    } as (typeof out)[number]);
  }
  if (ka.interval !== undefined) {
    out.push({
      description: "socket option for keep alive interval",
      level: "6",
      name: "5",
      value: { $case: "intValue", value: String(ka.interval) },
      state: prebind,
    } as (typeof out)[number]);
  }
  return out;
}

function listenerName(name: string, externalPort: number | undefined, protocol: "tcp" | "udp", v2: boolean): string {
  return v2 ? `${protocol}-${externalPort ?? 0}` : name;
}

/** A TCP listener for an IR listener's address and port (its filter chains are added afterwards). */
export function buildTcpListener(
  ctx: TranslationContext,
  d: CoreListenerDetails,
  keepalive: TCPKeepalive | undefined,
  connection: ClientConnection | undefined,
  timeout: ClientTimeout | undefined,
): Listener {
  const out: ListenerP = {
    name: listenerName(d.name, d.externalPort, "tcp", ctx.nameSchemeV2),
    accessLog: accessLogsOf(ctx, "Listener"),
    socketOptions: socketOptions(keepalive),
    perConnectionBufferLimitBytes: connection?.bufferLimit ?? 32768,
    address: { address: { $case: "socketAddress", value: socketAddress(SocketAddress_Protocol.TCP, d.address, d.port, d.ipFamily) } },
  };
  const maxAccept = connection?.maxAcceptPerSocketEvent;
  if (maxAccept === undefined) out.maxConnectionsToAcceptPerSocketEvent = 1;
  else if (maxAccept !== 0) out.maxConnectionsToAcceptPerSocketEvent = maxAccept;
  const inspection = timeout?.tcp?.connectionInspectionTimeout;
  if (inspection !== undefined) out.listenerFiltersTimeout = duration(inspection);
  return msg(Listener, out);
}

/** A UDP (QUIC) listener twin of an HTTP listener with HTTP/3 enabled. */
export function buildQuicListener(ctx: TranslationContext, d: CoreListenerDetails, ipFamily: egv1a1.IPFamily | undefined): Listener {
  return msg(Listener, {
    name: ctx.nameSchemeV2 ? listenerName(d.name, d.externalPort, "udp", true) : `${d.name}-quic`,
    accessLog: accessLogsOf(ctx, "Listener"),
    address: { address: { $case: "socketAddress", value: socketAddress(SocketAddress_Protocol.UDP, d.address, d.port, ipFamily) } },
    udpListenerConfig: { downstreamSocketConfig: {}, quicOptions: {} },
    drainType: Listener_DrainType.MODIFY_ONLY,
  });
}

/** Adds the PROXY protocol listener filter (first) unless present. */
export function patchProxyProtocolFilter(listener: Listener, settings: ProxyProtocolSettings | undefined): void {
  if (settings === undefined) return;
  if (listener.listenerFilters.some((f) => f.name === "envoy.filters.listener.proxy_protocol")) return;
  listener.listenerFilters.unshift({
    name: "envoy.filters.listener.proxy_protocol",
    configType: {
      $case: "typedConfig",
      value: anyOf(ProxyProtocolFilter, settings.optional === true ? { allowRequestsWithoutProxyProtocol: true } : {}),
    },
  });
}

/** Adds the TLS inspector listener filter (with JA3/JA4 fingerprinting) unless present. */
export function addTlsInspectorFilter(listener: Listener, fingerprints: readonly TLSFingerprintType[] | undefined): void {
  if (listener.listenerFilters.some((f) => f.name === "envoy.filters.listener.tls_inspector")) return;
  const config: Parameters<typeof TlsInspector.fromPartial>[0] = {};
  for (const f of fingerprints ?? []) {
    if (f === "JA3") config.enableJa3Fingerprinting = true;
    if (f === "JA4") config.enableJa4Fingerprinting = true;
  }
  listener.listenerFilters.push({ name: "envoy.filters.listener.tls_inspector", configType: { $case: "typedConfig", value: anyOf(TlsInspector, config) } });
}

const isUdp = (l: Listener): boolean => l.address?.address?.$case === "socketAddress" && l.address.address.value.protocol === SocketAddress_Protocol.UDP;

/** Matches a filter chain on SNI (unless the hostnames are just "*") and adds the TLS inspector when needed. */
export function addServerNamesMatch(
  listener: Listener,
  chain: FilterChain,
  hostnames: readonly string[] | undefined,
  fingerprints: readonly TLSFingerprintType[] | undefined,
): void {
  const names = hostnames ?? [];
  const hasSnis = names.length > 0 && names[0] !== "*";
  if (hasSnis) chain.filterChainMatch = msgFilterChainMatch([...names]);
  if ((fingerprints?.length ?? 0) > 0 || (hasSnis && !isUdp(listener))) addTlsInspectorFilter(listener, fingerprints);
}

function msgFilterChainMatch(serverNames: string[]) {
  return msg(Listener, { filterChains: [{ filterChainMatch: { serverNames } }] }).filterChains[0]!.filterChainMatch!;
}

const networkFilter = (name: string, typedConfig: ReturnType<typeof anyOf>): Filter => ({ name, configType: { $case: "typedConfig", value: typedConfig } });

function connectionLimitFilter(statPrefix: string, connection: ClientConnection): Filter {
  const limit = connection.limit!;
  return networkFilter(
    "envoy.filters.network.connection_limit",
    anyOf(ConnectionLimit, {
      statPrefix,
      maxConnections: String(limit.value ?? 0),
      ...(limit.closeDelay !== undefined ? { delay: duration(limit.closeDelay) } : {}),
    }),
  );
}

/** Whether the listener's default filter chain carries an HCM already. */
export const hasHcmInDefaultFilterChain = (l: Listener | undefined): boolean => l?.defaultFilterChain?.filters.some((f) => f.name === HCM_FILTER_NAME) ?? false;

/**
 * Builds the HCM of an IR HTTP listener into a new filter chain of `listener`: an SNI-matched chain for
 * TLS listeners, the default chain otherwise (upstream's addHCMToXDSListener).
 */
export function addHcmToListener(ctx: TranslationContext, listener: Listener, l: HTTPListener, http3: boolean): void {
  const hcm = buildHcm(ctx, l, http3);
  patchProxyProtocolFilter(listener, l.proxyProtocol);
  const filters: Filter[] = [];
  if (l.connection?.limit?.value !== undefined) filters.push(connectionLimitFilter(hcm.statPrefix, l.connection));
  // The HCM's typed config is packed when the table is sealed: listeners sharing this chain may add filters.
  filters.push({ name: HCM_FILTER_NAME, configType: undefined });
  const chain = msg(Listener, { filterChains: [{ name: l.name }] }).filterChains[0]!;
  chain.filters = filters;
  const handshake = l.timeout?.tcp?.tlsHandshakeTimeout;
  if (handshake !== undefined) chain.transportSocketConnectTimeout = duration(handshake);
  ctx.table.attachHcm(chain, hcm);
  if (l.tls !== undefined) {
    if (http3) chain.transportSocket = buildDownstreamQuicSocket(l.tls);
    else {
      const tls: TLSConfig = l.tlsOverlaps === true && l.tls.alpnProtocols === undefined ? { ...l.tls, alpnProtocols: ["http/1.1"] } : l.tls;
      chain.transportSocket = buildDownstreamTlsSocket(tls);
    }
    addServerNamesMatch(listener, chain, l.hostnames, l.tls.fingerprints);
    listener.filterChains.push(chain);
  } else {
    if (listener.defaultFilterChain !== undefined) throw new Error("default filter chain already exists");
    chain.name = ctx.nameSchemeV2 ? `http-${l.externalPort ?? 0}` : l.name;
    listener.defaultFilterChain = chain;
  }
}

/** The route config name the default filter chain's HCM of a listener points at ("" when none). */
export function defaultChainRouteConfigName(ctx: TranslationContext, listener: Listener | undefined): string {
  const hcm = ctx.table.hcmOf(listener?.defaultFilterChain);
  if (hcm?.routeSpecifier?.$case !== "rds") return "";
  return hcm.routeSpecifier.value.routeConfigName;
}

/** Adds a TCP proxy filter chain for a TCP route (plain, TLS passthrough with SNI match, or TLS termination). */
export function addTcpFilterChain(
  ctx: TranslationContext,
  listener: Listener,
  route: TCPRoute,
  clusterName: string,
  timeout: ClientTimeout | undefined,
  connection: ClientConnection | undefined,
  tlsConfig: TLSConfig | undefined,
): void {
  const passthrough = route.tls?.inspector !== undefined;
  const terminate = route.tls?.terminate !== undefined;
  let statPrefix = route.statName ?? "";
  if (statPrefix === "") {
    const base = terminate ? "tls-terminate" : passthrough ? "tls-passthrough" : "tcp";
    const addr = listener.address?.address;
    const port = addr?.$case === "socketAddress" && addr.value.portSpecifier?.$case === "portValue" ? addr.value.portSpecifier.value : 0;
    statPrefix = `${base}-${port}`;
  }
  const filters: Filter[] = [];
  const rbac = buildTcpRbacFilter(statPrefix, route.authorization);
  if (rbac !== undefined) filters.push(rbac);
  if (connection?.limit?.value !== undefined) filters.push(connectionLimitFilter(statPrefix, connection));
  const sniDfp = isSniDynamicForwardProxyRoute(route);
  if (sniDfp) filters.push(...sniDynamicForwardProxyFilters(route, statPrefix));
  const hashPolicy = route.loadBalancer?.consistentHash?.sourceIP === true ? [{ policySpecifier: { $case: "sourceIp" as const, value: {} } }] : [];
  filters.push(
    networkFilter(
      "envoy.filters.network.tcp_proxy",
      anyOf(TcpProxy, {
        accessLog: accessLogsOf(ctx, "Route"),
        statPrefix,
        clusterSpecifier: { $case: "cluster", value: clusterName },
        hashPolicy,
        ...(timeout?.tcp?.idleTimeout !== undefined ? { idleTimeout: duration(timeout.tcp.idleTimeout) } : {}),
      }),
    ),
  );
  const chain = msg(Listener, { filterChains: [{ name: route.name }] }).filterChains[0]!;
  chain.filters = filters;
  if (timeout?.tcp?.tlsHandshakeTimeout !== undefined) chain.transportSocketConnectTimeout = duration(timeout.tcp.tlsHandshakeTimeout);
  addServerNamesMatch(listener, chain, route.tls?.inspector?.snis, tlsConfig?.fingerprints);
  if (sniDfp) addTlsInspectorFilter(listener, undefined);
  if (terminate && route.tls?.terminate !== undefined) chain.transportSocket = buildDownstreamTlsSocket(route.tls.terminate);
  listener.filterChains.push(chain);
}

/** A UDP listener proxying every datagram to one cluster. */
export function buildUdpListener(ctx: TranslationContext, clusterName: string, l: UDPListener): Listener {
  const udpProxy = anyOf(UdpProxyConfig, {
    statPrefix: "service",
    accessLog: accessLogsOf(ctx, "Route"),
    routeSpecifier: {
      $case: "matcher",
      value: { onNoMatch: { onMatch: { $case: "action", value: { name: "route", typedConfig: anyOf(UdpRoute, { cluster: clusterName }) } } } },
    },
  });
  return msg(Listener, {
    name: listenerName(l.name, l.externalPort, "udp", ctx.nameSchemeV2),
    accessLog: accessLogsOf(ctx, "Listener"),
    address: { address: { $case: "socketAddress", value: socketAddress(SocketAddress_Protocol.UDP, l.address, l.port, l.ipFamily) } },
    listenerFilters: [{ name: "envoy.filters.udp_listener.udp_proxy", configType: { $case: "typedConfig", value: udpProxy } }],
  });
}

/** The listener Envoy's readiness probe hits: health check filter on `/ready`, bypassing overload manager. */
export function buildReadyListener(ready: ReadyListener): Listener {
  const hcm = anyOf(HttpConnectionManager, {
    statPrefix: "eg-ready-http",
    routeSpecifier: {
      $case: "routeConfig",
      value: {
        name: "ready_route",
        virtualHosts: [
          {
            name: "ready_route",
            domains: ["*"],
            routes: [{ match: { pathSpecifier: { $case: "prefix", value: "/" } }, action: { $case: "directResponse", value: { status: 500 } } }],
          },
        ],
      },
    },
    httpFilters: [healthCheckFilter("/ready"), routerFilter(false, [])],
  });
  return msg(Listener, {
    name: `envoy-gateway-proxy-ready-${ready.address}-${ready.port}`,
    address: {
      address: {
        $case: "socketAddress",
        value: {
          protocol: SocketAddress_Protocol.TCP,
          address: ready.address,
          portSpecifier: { $case: "portValue", value: ready.port },
          ipv4Compat: ready.ipFamily === "IPv6" || ready.ipFamily === "DualStack",
        },
      },
    },
    filterChains: [{ filters: [networkFilter(HCM_FILTER_NAME, hcm)] }],
    bypassOverloadManager: true,
  });
}

export { httpFilter, routeConfigName };
