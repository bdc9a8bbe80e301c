import type { Any } from "@egts/envoy-api";
import { Cluster, Cluster_DiscoveryType, Cluster_DnsLookupFamily, type LoadBalancingPolicy } from "@egts/envoy-api/generated/envoy/config/cluster/v3/cluster";
import type { TransportSocket } from "@egts/envoy-api/generated/envoy/config/core/v3/base";
import type { Http1ProtocolOptions, Http2ProtocolOptions } from "@egts/envoy-api/generated/envoy/config/core/v3/protocol";
import { ApiVersion } from "@egts/envoy-api/generated/envoy/config/core/v3/config_source";
import { ProxyProtocolConfig_Version } from "@egts/envoy-api/generated/envoy/config/core/v3/proxy_protocol";
import { DnsLookupFamily } from "@egts/envoy-api/generated/envoy/extensions/clusters/common/dns/v3/dns";
import { DnsCluster } from "@egts/envoy-api/generated/envoy/extensions/clusters/dns/v3/dns_cluster";
import { ClusterConfig as DfpClusterConfig } from "@egts/envoy-api/generated/envoy/extensions/clusters/dynamic_forward_proxy/v3/cluster";
import { UpstreamCodec } from "@egts/envoy-api/generated/envoy/extensions/filters/http/upstream_codec/v3/upstream_codec";
import type { HttpFilter } from "@egts/envoy-api/generated/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager";
import { PreserveCaseFormatterConfig } from "@egts/envoy-api/generated/envoy/extensions/http/header_formatters/preserve_case/v3/preserve_case";
import { ClientSideWeightedRoundRobin } from "@egts/envoy-api/generated/envoy/extensions/load_balancing_policies/client_side_weighted_round_robin/v3/client_side_weighted_round_robin";
import { ClusterProvided } from "@egts/envoy-api/generated/envoy/extensions/load_balancing_policies/cluster_provided/v3/cluster_provided";
import { LeastRequest } from "@egts/envoy-api/generated/envoy/extensions/load_balancing_policies/least_request/v3/least_request";
import { Maglev } from "@egts/envoy-api/generated/envoy/extensions/load_balancing_policies/maglev/v3/maglev";
import { OverrideHost } from "@egts/envoy-api/generated/envoy/extensions/load_balancing_policies/override_host/v3/override_host";
import { Random } from "@egts/envoy-api/generated/envoy/extensions/load_balancing_policies/random/v3/random";
import { RoundRobin } from "@egts/envoy-api/generated/envoy/extensions/load_balancing_policies/round_robin/v3/round_robin";
import { WrrLocality } from "@egts/envoy-api/generated/envoy/extensions/load_balancing_policies/wrr_locality/v3/wrr_locality";
import { ProxyProtocolUpstreamTransport } from "@egts/envoy-api/generated/envoy/extensions/transport_sockets/proxy_protocol/v3/upstream_proxy_protocol";
import { RawBuffer } from "@egts/envoy-api/generated/envoy/extensions/transport_sockets/raw_buffer/v3/raw_buffer";
import type { Secret } from "@egts/envoy-api/generated/envoy/extensions/transport_sockets/tls/v3/secret";
import type { ClusterLoadAssignment } from "@egts/envoy-api/generated/envoy/config/endpoint/v3/endpoint";
import { HttpProtocolOptions } from "@egts/envoy-api/generated/envoy/extensions/upstreams/http/v3/http_protocol_options";
import type {
  AdmissionControl,
  BackendConnection,
  CircuitBreaker,
  ClusterTimeout,
  ClusterTrafficFeatures,
  DestinationSetting,
  DNS,
  HealthCheck,
  HTTP1Settings,
  HTTP2Settings,
  LoadBalancer,
  Metrics,
  PreferLocalZone,
  ProxyHealthCheckLog,
  ProxyProtocol,
  ResourceMetadata,
  TCPKeepalive,
  Timeout,
  egv1a1,
} from "@egts/ir";
import type { TranslationContext } from "./Context.js";
import { buildUpstreamAdmissionControlFilter } from "./filters/AdmissionControl.js";
import { buildCredentialInjectorFilter, buildCredentialSecret } from "./filters/CredentialInjector.js";
import { buildLoadAssignment } from "./Endpoints.js";
import { buildActiveHealthCheck, buildOutlierDetection } from "./HealthCheck.js";
import { buildXdsMetadata } from "./Metadata.js";
import { anyOf, duration, msg, nanosOf, seconds } from "./Proto.js";
import { sameValue } from "./SameValue.js";
import { buildConsistentHashPolicy } from "./RouteHash.js";
import { buildSystemTrustStoreSecret, buildUpstreamCaSecret, buildUpstreamTlsSocket, dummyTransportSocket, SYSTEM_TRUST_STORE_SECRET_NAME } from "./Tls.js";

type ClusterP = Parameters<typeof Cluster.fromPartial>[0];
type Http1P = Parameters<typeof Http1ProtocolOptions.fromPartial>[0];
type Http2P = Parameters<typeof Http2ProtocolOptions.fromPartial>[0];
type ProtocolOptionsP = Parameters<typeof HttpProtocolOptions.fromPartial>[0];

/** How a cluster finds its endpoints. */
export type EndpointType = "DNS" | "Static" | "DynamicResolver";

/** Everything that shapes one Envoy cluster (upstream's xdsClusterArgs). */
export interface ClusterArgs {
  readonly name: string;
  readonly settings: readonly DestinationSetting[];
  readonly tSocket?: TransportSocket | undefined;
  readonly endpointType: EndpointType;
  readonly loadBalancer?: LoadBalancer | undefined;
  readonly proxyProtocol?: ProxyProtocol | undefined;
  readonly circuitBreaker?: CircuitBreaker | undefined;
  readonly healthCheck?: HealthCheck | undefined;
  readonly routeHostname?: string | undefined;
  readonly http1Settings?: HTTP1Settings | undefined;
  readonly http2Settings?: HTTP2Settings | undefined;
  readonly timeout?: ClusterTimeout | undefined;
  readonly tcpKeepalive?: TCPKeepalive | undefined;
  readonly metrics?: Metrics | undefined;
  readonly backendConnection?: BackendConnection | undefined;
  readonly dns?: DNS | undefined;
  readonly admissionControl?: AdmissionControl | undefined;
  readonly useClientProtocol?: boolean | undefined;
  readonly ipFamily?: egv1a1.IPFamily | undefined;
  readonly metadata?: ResourceMetadata | undefined;
  readonly statName?: string | undefined;
  readonly healthCheckLog?: ProxyHealthCheckLog | undefined;
  /** Route clusters leave max stream duration to the route. */
  readonly isRoute?: boolean | undefined;
}

/** The timeout fields that apply to a cluster (upstream's Timeout.ClusterOnly). */
export function clusterOnlyTimeout(t: Timeout | undefined): ClusterTimeout | undefined {
  if (t === undefined) return undefined;
  const http = t.http;
  return {
    ...(t.tcp !== undefined ? { tcp: t.tcp } : {}),
    ...(http !== undefined
      ? {
          http: {
            ...(http.connectionIdleTimeout !== undefined ? { connectionIdleTimeout: http.connectionIdleTimeout } : {}),
            ...(http.maxConnectionDuration !== undefined ? { maxConnectionDuration: http.maxConnectionDuration } : {}),
            ...(http.maxStreamDuration !== undefined ? { maxStreamDuration: http.maxStreamDuration } : {}),
          },
        }
      : {}),
  };
}

/** Cluster args taken from a policy's traffic features (upstream's applyTraffic). */
export function trafficArgs(traffic: ClusterTrafficFeatures | undefined): Partial<ClusterArgs> {
  if (traffic === undefined) return {};
  return {
    loadBalancer: traffic.loadBalancer,
    proxyProtocol: traffic.proxyProtocol,
    circuitBreaker: traffic.circuitBreaker,
    healthCheck: traffic.healthCheck,
    timeout: clusterOnlyTimeout(traffic.timeout),
    tcpKeepalive: traffic.tcpKeepalive,
    backendConnection: traffic.backendConnection,
    dns: traffic.dns,
    http2Settings: traffic.http2,
    admissionControl: traffic.admissionControl,
  };
}

/** The endpoint type of a set of destination settings (by the first one). */
export function endpointTypeOf(settings: readonly DestinationSetting[] | undefined): EndpointType {
  const first = settings?.[0];
  if (first === undefined) return "Static";
  if (first.isDynamicResolver === true) return "DynamicResolver";
  return first.addressType === "FQDN" ? "DNS" : "Static";
}

/** The IP family of several destination settings: one family if all agree, dual stack when mixed. */
export function determineIpFamily(settings: readonly DestinationSetting[] | undefined): egv1a1.IPFamily | undefined {
  if (settings === undefined || settings.length === 0) return undefined;
  if (settings.length === 1) return settings[0]?.ipFamily;
  let v4 = false;
  let v6 = false;
  for (const s of settings) {
    if (s.ipFamily === undefined) continue;
    if (s.ipFamily === "DualStack") return "DualStack";
    if (s.ipFamily === "IPv4") v4 = true;
    if (s.ipFamily === "IPv6") v6 = true;
  }
  if (v4 && v6) return "DualStack";
  if (v4) return "IPv4";
  if (v6) return "IPv6";
  return undefined;
}

/** The DNS lookup family of a cluster: the policy's, overridden by the backends' IP family. */
export function dnsLookupFamily(ipFamily: egv1a1.IPFamily | undefined, dns: DNS | undefined): Cluster_DnsLookupFamily {
  let family = Cluster_DnsLookupFamily.V4_PREFERRED;
  const custom = dns?.lookupFamily !== undefined;
  switch (dns?.lookupFamily) {
    case "IPv4":
      family = Cluster_DnsLookupFamily.V4_ONLY;
      break;
    case "IPv6":
      family = Cluster_DnsLookupFamily.V6_ONLY;
      break;
    case "IPv6Preferred":
      family = Cluster_DnsLookupFamily.AUTO;
      break;
    case "IPv4AndIPv6":
      family = Cluster_DnsLookupFamily.ALL;
      break;
    default:
  }
  if (ipFamily === "IPv4") family = Cluster_DnsLookupFamily.V4_ONLY;
  else if (ipFamily === "IPv6") family = Cluster_DnsLookupFamily.V6_ONLY;
  else if (ipFamily === "DualStack" && !custom) family = Cluster_DnsLookupFamily.ALL;
  return family;
}

const COMMON_DNS_FAMILY: Readonly<Record<number, DnsLookupFamily>> = {
  [Cluster_DnsLookupFamily.V4_ONLY]: DnsLookupFamily.V4_ONLY,
  [Cluster_DnsLookupFamily.V6_ONLY]: DnsLookupFamily.V6_ONLY,
  [Cluster_DnsLookupFamily.V4_PREFERRED]: DnsLookupFamily.V4_PREFERRED,
  [Cluster_DnsLookupFamily.ALL]: DnsLookupFamily.ALL,
};

const DNS_FAMILY_NAMES: Readonly<Record<number, string>> = {
  [Cluster_DnsLookupFamily.AUTO]: "auto",
  [Cluster_DnsLookupFamily.V4_ONLY]: "v4_only",
  [Cluster_DnsLookupFamily.V6_ONLY]: "v6_only",
  [Cluster_DnsLookupFamily.V4_PREFERRED]: "v4_preferred",
  [Cluster_DnsLookupFamily.ALL]: "all",
};

const policy = (name: string, typedConfig: Any): LoadBalancingPolicy => ({ policies: [{ typedExtensionConfig: { name, typedConfig } }] });

type LocalityP = Parameters<typeof LeastRequest.fromPartial>[0]["localityLbConfig"];

function zoneAwareConfig(preferLocal: PreferLocalZone): LocalityP {
  return {
    localityConfigSpecifier: {
      $case: "zoneAwareLbConfig",
      value: {
        minClusterSize: String(preferLocal.minEndpointsThreshold ?? 6),
        ...(preferLocal.percentageEnabled !== undefined ? { routingEnabled: { value: preferLocal.percentageEnabled } } : {}),
        ...(preferLocal.force !== undefined ? { forceLocalZone: { minSize: preferLocal.force.minEndpointsInZoneThreshold ?? 1 } } : {}),
      },
    },
  };
}

function localityLbConfig(args: ClusterArgs): LocalityP {
  const preferLocal = args.loadBalancer?.preferLocal ?? (args.settings.length === 1 ? args.settings[0]?.preferLocal : undefined);
  if (preferLocal !== undefined) return zoneAwareConfig(preferLocal);
  return { localityConfigSpecifier: { $case: "localityWeightedLbConfig", value: {} } };
}

function backendUtilizationPolicy(lb: LoadBalancer): LoadBalancingPolicy {
  const v = lb.backendUtilization;
  if (v === undefined) throw new Error("backend utilization load balancer config is required");
  const positive = (d: string | undefined) => d !== undefined && nanosOf(d) > 0;
  const cswrr: Parameters<typeof ClientSideWeightedRoundRobin.fromPartial>[0] = {};
  if (positive(v.blackoutPeriod)) cswrr.blackoutPeriod = duration(v.blackoutPeriod!);
  if (positive(v.weightExpirationPeriod)) cswrr.weightExpirationPeriod = duration(v.weightExpirationPeriod!);
  if (positive(v.weightUpdatePeriod)) cswrr.weightUpdatePeriod = duration(v.weightUpdatePeriod!);
  if (positive(v.slowStart?.window)) cswrr.slowStartConfig = { slowStartWindow: duration(v.slowStart!.window!) };
  if (v.errorUtilizationPenaltyPercent !== undefined) cswrr.errorUtilizationPenalty = Math.fround(v.errorUtilizationPenaltyPercent / 100);
  if (v.metricNamesForComputingUtilization !== undefined && v.metricNamesForComputingUtilization.length > 0) {
    cswrr.metricNamesForComputingUtilization = [...v.metricNamesForComputingUtilization];
  }
  if (v.outOfBand !== undefined) {
    cswrr.enableOobLoadReport = true;
    if (v.outOfBand.reportingPeriod !== undefined) cswrr.oobReportingPeriod = duration(v.outOfBand.reportingPeriod);
    // Where to fetch the reports from, when it is not the endpoint's own address.
    if (v.outOfBand.port !== undefined || v.outOfBand.authority !== undefined) {
      cswrr.oobReportingConfig = { portValue: v.outOfBand.port ?? 0, authority: v.outOfBand.authority ?? "" };
    }
  }
  const inner = policy("envoy.load_balancing_policies.client_side_weighted_round_robin", anyOf(ClientSideWeightedRoundRobin, cswrr));
  if (lb.weightedZones === undefined || lb.weightedZones.length === 0) return inner;
  return policy("envoy.load_balancing_policies.wrr_locality", anyOf(WrrLocality, { endpointPickingPolicy: inner }));
}

function endpointOverridePolicy(lb: LoadBalancer): LoadBalancingPolicy {
  const sources = (lb.endpointOverride?.extractFrom ?? []).map((s) => ({ header: s.header ?? "" }));
  let fallback: LoadBalancingPolicy;
  if (lb.roundRobin !== undefined && lb.leastRequest === undefined) fallback = policy("envoy.load_balancing_policies.round_robin", anyOf(RoundRobin, {}));
  else if (lb.leastRequest !== undefined) fallback = policy("envoy.load_balancing_policies.least_request", anyOf(LeastRequest, {}));
  else if (lb.random !== undefined) fallback = policy("envoy.load_balancing_policies.random", anyOf(Random, {}));
  else if (lb.consistentHash !== undefined) fallback = policy("envoy.load_balancing_policies.maglev", anyOf(Maglev, {}));
  else if (lb.backendUtilization !== undefined) fallback = backendUtilizationPolicy(lb);
  else fallback = policy("envoy.load_balancing_policies.least_request", anyOf(LeastRequest, {}));
  return policy("envoy.load_balancing_policies.override_host", anyOf(OverrideHost, { overrideHostSources: sources, fallbackPolicy: fallback }));
}

// Most clusters get exactly this policy; build (and check) its Any once. Messages are never mutated after
// they are built, so sharing it is safe.
let defaultLeastRequest: Any | undefined;

function loadBalancingPolicy(args: ClusterArgs): LoadBalancingPolicy | undefined {
  const lb = args.loadBalancer;
  const locality = localityLbConfig(args);
  if (lb?.endpointOverride !== undefined) return endpointOverridePolicy(lb);
  if (lb === undefined) {
    if (locality?.localityConfigSpecifier?.$case === "localityWeightedLbConfig") {
      defaultLeastRequest ??= anyOf(LeastRequest, { localityLbConfig: locality });
      return policy("envoy.load_balancing_policies.least_request", defaultLeastRequest);
    }
    return policy("envoy.load_balancing_policies.least_request", anyOf(LeastRequest, { localityLbConfig: locality }));
  }
  if (lb.leastRequest !== undefined) {
    const window = lb.leastRequest.slowStart?.window;
    return policy(
      "envoy.load_balancing_policies.least_request",
      anyOf(LeastRequest, { localityLbConfig: locality, ...(window !== undefined ? { slowStartConfig: { slowStartWindow: duration(window) } } : {}) }),
    );
  }
  if (lb.roundRobin !== undefined) {
    const window = lb.roundRobin.slowStart?.window;
    return policy(
      "envoy.load_balancing_policies.round_robin",
      anyOf(RoundRobin, { localityLbConfig: locality, ...(window !== undefined ? { slowStartConfig: { slowStartWindow: duration(window) } } : {}) }),
    );
  }
  if (lb.random !== undefined) return policy("envoy.load_balancing_policies.random", anyOf(Random, { localityLbConfig: locality }));
  if (lb.consistentHash !== undefined) {
    return policy(
      "envoy.load_balancing_policies.maglev",
      anyOf(Maglev, {
        ...(lb.consistentHash.tableSize !== undefined ? { tableSize: String(lb.consistentHash.tableSize) } : {}),
        ...(lb.weightedZones !== undefined && lb.weightedZones.length > 0 ? { localityWeightedLbConfig: {} } : {}),
      }),
    );
  }
  if (lb.backendUtilization !== undefined) return backendUtilizationPolicy(lb);
  return undefined;
}

function http1Options(opts: HTTP1Settings | undefined) {
  const out: Http1P = {};
  if (opts !== undefined) {
    if (opts.enableTrailers === true) out.enableTrailers = true;
    if (opts.preserveHeaderCase === true) {
      out.headerKeyFormat = {
        headerFormat: { $case: "statefulFormatter", value: { name: "preserve_case", typedConfig: anyOf(PreserveCaseFormatterConfig, {}) } },
      };
    }
    if (opts.http10 !== undefined) {
      out.acceptHttp10 = true;
      out.defaultHostForHttp10 = opts.http10.defaultHost ?? "";
    }
  }
  return out;
}

/** Upstream HTTP/2 options: window sizes default to 64 KiB / 1 MiB. */
export function upstreamHttp2Options(opts: HTTP2Settings | undefined): Http2P {
  const o = opts ?? {};
  const out: Http2P = {
    // Upstream's IR spells these two JSON fields crosswise (initialConnectionWindowSize holds the stream window).
    initialStreamWindowSize: o.initialConnectionWindowSize ?? 65536,
    initialConnectionWindowSize: o.initialStreamWindowSize ?? 1048576,
  };
  if (o.maxConcurrentStreams !== undefined) out.maxConcurrentStreams = o.maxConcurrentStreams;
  if (o.resetStreamOnError !== undefined) out.overrideStreamErrorOnInvalidHttpMessage = o.resetStreamOnError;
  if (o.connectionKeepalive !== undefined) {
    const k = o.connectionKeepalive;
    out.connectionKeepalive = {
      ...(k.interval !== undefined ? { interval: duration(k.interval) } : {}),
      ...(k.timeout !== undefined ? { timeout: duration(k.timeout) } : {}),
      ...(k.intervalJitter !== undefined ? { intervalJitter: { value: k.intervalJitter } } : {}),
      ...(k.idleInterval !== undefined ? { connectionIdleInterval: duration(k.idleInterval) } : {}),
    };
  }
  return out;
}

function protocolOptions(
  args: ClusterArgs,
  requiresAutoHttpConfig: boolean,
  requiresHttp2Options: boolean,
  requiresAutoSni: boolean,
  forceHttp1: boolean,
): { options: Record<string, Any> | undefined; secrets: Secret[] } {
  const httpTimeout = args.timeout?.http;
  const hasTimeoutArgs =
    httpTimeout !== undefined &&
    (httpTimeout.maxConnectionDuration !== undefined ||
      httpTimeout.connectionIdleTimeout !== undefined ||
      (args.isRoute !== true && httpTimeout.maxStreamDuration !== undefined));
  const requiresCommon = hasTimeoutArgs || args.circuitBreaker?.maxRequestsPerConnection !== undefined;
  const h1 = args.http1Settings;
  const requiresHttp1 = h1 !== undefined && (h1.enableTrailers === true || h1.preserveHeaderCase === true || h1.http10 !== undefined);
  const credentialInjection = args.settings[0]?.filters?.credentialInjection;
  const requiresFilters = credentialInjection !== undefined || args.admissionControl !== undefined;
  const hashPolicy = args.isRoute !== true && args.loadBalancer !== undefined ? buildConsistentHashPolicy(args.loadBalancer.consistentHash) : [];
  const required =
    args.useClientProtocol === true ||
    requiresAutoHttpConfig ||
    requiresCommon ||
    requiresHttp1 ||
    requiresHttp2Options ||
    requiresFilters ||
    requiresAutoSni ||
    forceHttp1 ||
    hashPolicy.length > 0;
  if (!required) return { options: undefined, secrets: [] };

  const po: ProtocolOptionsP = {};
  if (hashPolicy.length > 0) po.hashPolicy = hashPolicy;
  if (requiresCommon) {
    const common: NonNullable<ProtocolOptionsP["commonHttpProtocolOptions"]> = {};
    if (httpTimeout?.connectionIdleTimeout !== undefined) common.idleTimeout = duration(httpTimeout.connectionIdleTimeout);
    if (httpTimeout?.maxConnectionDuration !== undefined) common.maxConnectionDuration = duration(httpTimeout.maxConnectionDuration);
    if (args.isRoute !== true && httpTimeout?.maxStreamDuration !== undefined) common.maxStreamDuration = duration(httpTimeout.maxStreamDuration);
    if (args.circuitBreaker?.maxRequestsPerConnection !== undefined) common.maxRequestsPerConnection = args.circuitBreaker.maxRequestsPerConnection;
    po.commonHttpProtocolOptions = common;
  }
  const h1Opts = http1Options(args.http1Settings);
  const h2Opts = upstreamHttp2Options(args.http2Settings);
  if (args.useClientProtocol === true) {
    po.upstreamProtocolOptions = { $case: "useDownstreamProtocolConfig", value: { httpProtocolOptions: h1Opts, http2ProtocolOptions: h2Opts } };
  } else if (forceHttp1 || (!requiresHttp2Options && requiresHttp1)) {
    po.upstreamProtocolOptions = { $case: "explicitHttpConfig", value: { protocolConfig: { $case: "httpProtocolOptions", value: h1Opts } } };
  } else if (requiresHttp2Options) {
    po.upstreamProtocolOptions = { $case: "explicitHttpConfig", value: { protocolConfig: { $case: "http2ProtocolOptions", value: h2Opts } } };
  } else if (requiresAutoHttpConfig) {
    po.upstreamProtocolOptions = { $case: "autoConfig", value: { httpProtocolOptions: h1Opts, http2ProtocolOptions: h2Opts } };
  } else {
    po.upstreamProtocolOptions = { $case: "explicitHttpConfig", value: { protocolConfig: { $case: "httpProtocolOptions", value: {} } } };
  }
  if (args.endpointType === "DynamicResolver") po.upstreamHttpProtocolOptions = { autoSni: true, autoSanValidation: true };
  else if (requiresAutoSni) po.upstreamHttpProtocolOptions = { autoSni: true };

  const secrets: Secret[] = [];
  if (requiresFilters) {
    const filters: HttpFilter[] = [];
    if (credentialInjection !== undefined) {
      // Backend credential injection runs as an upstream filter of the backend's cluster, always enabled there.
      filters.push(buildCredentialInjectorFilter(credentialInjection, false));
      secrets.push(buildCredentialSecret(credentialInjection));
    }
    if (args.admissionControl !== undefined) {
      filters.push(buildUpstreamAdmissionControlFilter(args.admissionControl));
    }
    if (filters.length > 0) {
      filters.push({
        name: "envoy.extensions.filters.http.upstream_codec.v3.UpstreamCodec",
        configType: { $case: "typedConfig", value: anyOf(UpstreamCodec, {}) },
        isOptional: false,
        disabled: false,
      });
      po.httpFilters = filters;
    }
  }
  return { options: { "envoy.extensions.upstreams.http.v3.HttpProtocolOptions": anyOf(HttpProtocolOptions, po) }, secrets };
}

function proxyProtocolSocket(pp: ProxyProtocol, inner: TransportSocket | undefined, requiresAutoHttpConfig: boolean): TransportSocket {
  const ctx: Parameters<typeof ProxyProtocolUpstreamTransport.fromPartial>[0] = {};
  if (pp.version === "V1") ctx.config = { version: ProxyProtocolConfig_Version.V1 };
  else if (pp.version === "V2") ctx.config = { version: ProxyProtocolConfig_Version.V2 };
  ctx.transportSocket =
    inner ??
    (requiresAutoHttpConfig
      ? dummyTransportSocket()
      : { name: "envoy.transport_sockets.raw_buffer", configType: { $case: "typedConfig", value: anyOf(RawBuffer, {}) } });
  return {
    name: "envoy.transport_sockets.upstream_proxy_protocol",
    configType: { $case: "typedConfig", value: anyOf(ProxyProtocolUpstreamTransport, ctx) },
  };
}

function circuitBreakers(cb: CircuitBreaker | undefined): ClusterP["circuitBreakers"] {
  const threshold: NonNullable<NonNullable<ClusterP["circuitBreakers"]>["thresholds"]>[number] = { maxRetries: 1024 };
  const perHost: NonNullable<NonNullable<ClusterP["circuitBreakers"]>["perHostThresholds"]> = [];
  if (cb !== undefined) {
    if (cb.retryBudget !== undefined) {
      threshold.retryBudget = {
        budgetPercent: { value: cb.retryBudget.percent },
        ...(cb.retryBudget.minRetryConcurrency !== 3 ? { minRetryConcurrency: cb.retryBudget.minRetryConcurrency } : {}),
      };
    }
    if (cb.maxConnections !== undefined) threshold.maxConnections = cb.maxConnections;
    if (cb.maxPendingRequests !== undefined) threshold.maxPendingRequests = cb.maxPendingRequests;
    if (cb.maxParallelRequests !== undefined) threshold.maxRequests = cb.maxParallelRequests;
    if (cb.maxParallelRetries !== undefined) threshold.maxRetries = cb.maxParallelRetries;
    if (cb.perEndpoint?.maxConnections !== undefined) perHost.push({ maxConnections: cb.perEndpoint.maxConnections });
  }
  return { thresholds: [threshold], perHostThresholds: perHost };
}

/** The name of the shared dynamic forward proxy DNS cache for a lookup family, refresh rate and DNS name. */
export function dfpCacheName(ipFamily: egv1a1.IPFamily | undefined, dns: DNS | undefined): string {
  const refreshNanos = dns?.dnsRefreshRate !== undefined && nanosOf(dns.dnsRefreshRate) > 0 ? nanosOf(dns.dnsRefreshRate) : 30e9;
  const family = DNS_FAMILY_NAMES[dnsLookupFamily(ipFamily, dns)] ?? "auto";
  const suffix = dns?.name !== undefined && dns.name !== "" ? dns.name : "default";
  return `envoy-gateway-dfp-cache-${family}-${Math.trunc(refreshNanos / 1e6)}ms-${suffix}`;
}

/** Builds an Envoy cluster and the secrets its upstream filters need. */
export function buildCluster(args: ClusterArgs): { cluster: Cluster; secrets: Secret[] } {
  const family = dnsLookupFamily(args.ipFamily, args.dns);
  const c: ClusterP = {
    name: args.name,
    dnsLookupFamily: family,
    commonLbConfig: {},
    perConnectionBufferLimitBytes: args.backendConnection?.bufferLimit ?? 32768,
    ignoreHealthOnHostRemoval: true,
  };
  const pre = args.backendConnection?.preconnect;
  if (pre !== undefined && (pre.perEndpointPercent !== undefined || pre.predictivePercent !== undefined)) {
    c.preconnectPolicy = {
      ...(pre.perEndpointPercent !== undefined ? { perUpstreamPreconnectRatio: 0.01 * pre.perEndpointPercent } : {}),
      ...(pre.predictivePercent !== undefined ? { predictivePreconnectRatio: 0.01 * pre.predictivePercent } : {}),
    };
  }
  const md = buildXdsMetadata(args.metadata);
  if (md !== undefined) c.metadata = md;
  if (args.statName !== undefined) c.altStatName = args.statName;
  const panic = args.healthCheck?.panicThreshold;
  if (panic !== undefined && panic !== 50) c.commonLbConfig = { healthyPanicThreshold: { value: panic } };
  c.connectTimeout = args.timeout?.tcp?.connectTimeout !== undefined ? duration(args.timeout.tcp.connectTimeout) : seconds(10);
  if (args.metrics !== undefined && (args.metrics.enablePerEndpointStats || args.metrics.enableRequestResponseSizesStats)) {
    c.trackClusterStats = {
      perEndpointStats: args.metrics.enablePerEndpointStats,
      requestResponseSizes: args.metrics.enableRequestResponseSizesStats,
    };
  }

  let requiresAutoHttpConfig = args.settings.length > 0;
  let requiresHttp2 = false;
  let forceHttp1 = false;
  let literalSni = false;
  let autoSniFromHost = false;
  for (const ds of args.settings) {
    if (ds.protocol === "GRPC" || ds.protocol === "HTTP2") requiresHttp2 = true;
    if (ds.forceHTTP1Upstream === true) forceHttp1 = true;
    if (ds.protocol === "TCP") requiresAutoHttpConfig = false;
    requiresAutoHttpConfig = requiresAutoHttpConfig && ds.tls !== undefined;
    if (ds.tls !== undefined) {
      if (ds.tls.sni !== undefined) literalSni = true;
      else if (ds.tls.autoSNIFromEndpointHostname === true) autoSniFromHost = true;
    }
  }
  const requiresAutoSni = !literalSni && requiresAutoHttpConfig && !autoSniFromHost;

  const pp = args.proxyProtocol;
  if (pp !== undefined) c.transportSocket = proxyProtocolSocket(pp, args.tSocket, requiresAutoHttpConfig);
  else if (args.tSocket !== undefined) c.transportSocket = args.tSocket;

  args.settings.forEach((ds, i) => {
    if (ds.tls === undefined) return;
    let socket = buildUpstreamTlsSocket(ds.tls, requiresAutoSni, args.endpointType === "DynamicResolver");
    if (pp !== undefined) socket = proxyProtocolSocket(pp, socket, requiresAutoHttpConfig);
    const matchName = `${args.name}/tls/${i}`;
    if (args.endpointType === "DynamicResolver") c.transportSocket = socket;
    else (c.transportSocketMatches ??= []).push({ name: matchName, match: { name: matchName }, transportSocket: socket });
  });
  if (requiresAutoHttpConfig && c.transportSocket === undefined && pp === undefined) c.transportSocket = dummyTransportSocket();

  const { options, secrets } = protocolOptions(args, requiresAutoHttpConfig, requiresHttp2, requiresAutoSni, forceHttp1);
  if (options !== undefined) c.typedExtensionProtocolOptions = options;

  const lbPolicy = loadBalancingPolicy(args);
  if (lbPolicy !== undefined) c.loadBalancingPolicy = lbPolicy;

  if (args.healthCheck?.active !== undefined) {
    c.healthChecks = [buildActiveHealthCheck(args.healthCheck.active, args.routeHostname ?? "", args.healthCheckLog)];
  }
  if (args.healthCheck?.passive !== undefined) c.outlierDetection = buildOutlierDetection(args.healthCheck.passive);
  c.circuitBreakers = circuitBreakers(args.circuitBreaker);
  if (args.tcpKeepalive !== undefined) {
    const ka = args.tcpKeepalive;
    c.upstreamConnectionOptions = {
      tcpKeepalive: {
        ...(ka.probes !== undefined ? { keepaliveProbes: ka.probes } : {}),
        ...(ka.idleTime !== undefined ? { keepaliveTime: ka.idleTime } : {}),
        ...(ka.interval !== undefined ? { keepaliveInterval: ka.interval } : {}),
      },
    };
  }

  switch (args.endpointType) {
    case "DynamicResolver": {
      const refresh = args.dns?.dnsRefreshRate !== undefined && nanosOf(args.dns.dnsRefreshRate) > 0 ? duration(args.dns.dnsRefreshRate) : seconds(30);
      c.clusterDiscoveryType = {
        $case: "clusterType",
        value: {
          name: "envoy.clusters.dynamic_forward_proxy",
          typedConfig: anyOf(DfpClusterConfig, {
            clusterImplementationSpecifier: {
              $case: "dnsCacheConfig",
              value: { name: dfpCacheName(args.ipFamily, args.dns), dnsLookupFamily: family, dnsRefreshRate: refresh },
            },
          }),
        },
      };
      c.loadBalancingPolicy = policy("envoy.load_balancing_policies.cluster_provided", anyOf(ClusterProvided, {}));
      break;
    }
    case "Static":
      c.clusterDiscoveryType = { $case: "type", value: Cluster_DiscoveryType.EDS };
      c.edsClusterConfig = {
        serviceName: args.name,
        edsConfig: { resourceApiVersion: ApiVersion.V3, configSourceSpecifier: { $case: "ads", value: {} } },
      };
      break;
    default: {
      const dns: Parameters<typeof DnsCluster.fromPartial>[0] = {
        dnsRefreshRate: seconds(30),
        respectDnsTtl: true,
        dnsLookupFamily: COMMON_DNS_FAMILY[family] ?? DnsLookupFamily.AUTO,
      };
      if (args.dns?.dnsRefreshRate !== undefined) dns.dnsRefreshRate = duration(args.dns.dnsRefreshRate);
      if (args.dns?.respectDnsTtl !== undefined) dns.respectDnsTtl = args.dns.respectDnsTtl;
      c.clusterDiscoveryType = { $case: "clusterType", value: { name: "envoy.cluster.dns", typedConfig: anyOf(DnsCluster, dns) } };
    }
  }
  return { cluster: msg(Cluster, c), secrets };
}

/** Emits the system trust store secret under `name` once. */
export function emitSystemTrustStoreSecret(ctx: TranslationContext, name: string): void {
  const table = ctx.table;
  table.recordTrustStore(name);
  if (name === SYSTEM_TRUST_STORE_SECRET_NAME && table.systemTrustStore) return;
  if (table.findSecret(name) !== undefined) return;
  table.nested(() => table.addSecret(buildSystemTrustStoreSecret(name)));
  if (name === SYSTEM_TRUST_STORE_SECRET_NAME) table.systemTrustStore = true;
}

/**
 * Adds a cluster with its endpoints (EDS) or inline load assignment (DNS) and the secrets it refers to,
 * unless a cluster of that name exists (callers guarantee same-named clusters are identical).
 */
export function addCluster(ctx: TranslationContext, args: ClusterArgs): void {
  const memo = ctx.caches.clusters;
  if (memo !== undefined) {
    addMemoisedCluster(ctx, memo, args);
    return;
  }
  const built = buildClusterResources(ctx, args);
  if (built === undefined) return;
  placeEndpoints(ctx, args, built.cluster, built.endpoints);
  commitCluster(ctx, built.cluster, built.secrets);
}

/** A CA secret a cluster's upstream TLS needs: its own, or the shared system trust store one (by name). */
export type CaSecret = { readonly secret: Secret } | { readonly trustStore: string };

/** Everything one cluster request builds, a pure function of its arguments (see {@link ClusterMemo}). */
export interface ClusterOutputs {
  readonly args: ClusterArgs;
  /** The cluster, with its load assignment inline for DNS clusters. */
  readonly cluster: Cluster;
  /** The load assignment (published for EDS clusters only). */
  readonly endpoints: ClusterLoadAssignment;
  readonly caSecrets: readonly CaSecret[];
  /** Secrets of the cluster's upstream filters. */
  readonly secrets: readonly Secret[];
}

/**
 * Clusters a memoising translator built, by name: those of its previous translation and those of the current
 * one so far. A request whose arguments are the same as the ones a cluster of its name was built from takes
 * that cluster's outputs over. The translator rotates `current` into `previous` after each translation.
 */
export interface ClusterMemo {
  previous: Map<string, ClusterOutputs>;
  current: Map<string, ClusterOutputs>;
}

/** Builds what a cluster request adds to the table, without adding it. */
export function buildClusterOutputs(args: ClusterArgs): ClusterOutputs {
  const { cluster, secrets } = buildCluster(args);
  const endpoints = buildLoadAssignment(args.name, args.settings, args.healthCheck, args.loadBalancer?.preferLocal, args.loadBalancer?.weightedZones);
  const caSecrets: CaSecret[] = [];
  for (const ds of args.settings) {
    if (ds.tls === undefined || ds.tls.insecureSkipVerify === true) continue;
    if (ds.tls.useSystemTrustStore === true) caSecrets.push({ trustStore: ds.tls.caCertificate?.name ?? SYSTEM_TRUST_STORE_SECRET_NAME });
    else {
      const secret = buildUpstreamCaSecret(ds.tls);
      if (secret !== undefined) caSecrets.push({ secret });
    }
  }
  if (args.endpointType === "DNS") cluster.loadAssignment = endpoints;
  return { args, cluster, endpoints, caSecrets, secrets };
}

/** The outputs of an earlier request with the same arguments, or newly built ones. */
export function memoisedClusterOutputs(memo: ClusterMemo, args: ClusterArgs): { outputs: ClusterOutputs; reused: boolean } {
  const known = memo.current.get(args.name) ?? memo.previous.get(args.name);
  if (known !== undefined && (known.args === args || sameValue(known.args, args))) return { outputs: known, reused: true };
  return { outputs: buildClusterOutputs(args), reused: false };
}

/** `addCluster` with a memo: the same table changes, in the same order, from outputs built once. */
function addMemoisedCluster(ctx: TranslationContext, memo: ClusterMemo, args: ClusterArgs): void {
  const table = ctx.table;
  const request = table.recordCluster(args);
  if (table.findCluster(args.name) !== undefined) return;
  if (request !== undefined) request.won = true;
  table.nested(() => {
    const { outputs, reused } = memoisedClusterOutputs(memo, args);
    const take = <T extends object>(message: T): T => {
      if (reused) table.adopt(message);
      return message;
    };
    // The table may hand back the previous translation's equal message: the memo keeps what the table holds.
    const caSecrets = outputs.caSecrets.map((ca) => {
      if ("secret" in ca) return { secret: table.addSecret(take(ca.secret)) };
      emitSystemTrustStoreSecret(ctx, ca.trustStore);
      return ca;
    });
    const endpoints = args.endpointType === "Static" ? table.addEndpoints(take(outputs.endpoints)) : outputs.endpoints;
    const cluster = table.addCluster(take(outputs.cluster));
    const secrets = outputs.secrets.map((s) => table.addSecret(take(s)));
    memo.current.set(args.name, reused ? outputs : { args, cluster, endpoints, caSecrets, secrets });
  });
}

/** A cluster and its load assignment, built but not yet in the table. */
export interface BuiltCluster {
  readonly cluster: Cluster;
  readonly endpoints: ClusterLoadAssignment;
  /** Secrets the cluster's filters use, added after it. */
  readonly secrets: readonly Secret[];
}

/**
 * The first half of `addCluster`: builds the cluster and its load assignment and adds the CA secrets its
 * upstream TLS needs; undefined when a cluster of that name exists already.
 */
export function buildClusterResources(ctx: TranslationContext, args: ClusterArgs): BuiltCluster | undefined {
  const table = ctx.table;
  if (table.findCluster(args.name) !== undefined) return undefined;
  const { cluster, secrets } = buildCluster(args);
  const endpoints = buildLoadAssignment(args.name, args.settings, args.healthCheck, args.loadBalancer?.preferLocal, args.loadBalancer?.weightedZones);
  for (const ds of args.settings) {
    if (ds.tls === undefined || ds.tls.insecureSkipVerify === true) continue;
    if (ds.tls.useSystemTrustStore === true) {
      emitSystemTrustStoreSecret(ctx, ds.tls.caCertificate?.name ?? SYSTEM_TRUST_STORE_SECRET_NAME);
    } else {
      const secret = buildUpstreamCaSecret(ds.tls);
      if (secret !== undefined) table.addSecret(secret);
    }
  }
  return { cluster, endpoints, secrets };
}

/** Publishes a cluster's endpoints: EDS ones as a resource, DNS ones inside the cluster. */
export function placeEndpoints(ctx: TranslationContext, args: ClusterArgs, cluster: Cluster, endpoints: ClusterLoadAssignment): void {
  if (args.endpointType === "Static") ctx.table.addEndpoints(endpoints);
  else if (args.endpointType === "DNS") cluster.loadAssignment = endpoints;
}

/** Adds a built cluster and then the secrets of its filters. */
export function commitCluster(ctx: TranslationContext, cluster: Cluster, secrets: readonly Secret[]): void {
  ctx.table.addCluster(cluster);
  for (const s of secrets) ctx.table.addSecret(s);
}
