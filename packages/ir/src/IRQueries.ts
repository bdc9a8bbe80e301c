// Derived facts about IR values that the translators share (upstream's small IR methods).
import { isIP } from "node:net";
import type { BackendWeights, DestinationSetting, RouteDestination } from "./Destination.js";
import type { Infra, ProxyInfra } from "./Infra.js";
import type { TCPRoute } from "./L4Route.js";
import type { HTTPListener, TCPListener, UDPListener } from "./Listener.js";
import type { JSONPatchOp } from "./PatchPolicy.js";
import type { CIDRMatch } from "./Match.js";
import type { RateLimitRule } from "./RateLimit.js";
import type { HTTPRoute } from "./Route.js";
import type { Authorization } from "./Security.js";
import type { SDSConfig } from "./Tls.js";
import type { ClusterTimeout, ClusterTrafficFeatures, Retry, Timeout, TrafficFeatures } from "./Traffic.js";
import type { Xds } from "./Xds.js";

/** Name a proxy gets when none is set. */
export const DEFAULT_PROXY_NAME = "default";
/** Largest valid port number. */
export const MAX_PORT = 65535;
/** SDS secret name of the system trust store. */
export const SYSTEM_TRUST_STORE_SECRET_NAME = "system_ca_certificates";

/** The HTTP listener with this name. */
export const findHTTPListener = (ir: Xds, name: string): HTTPListener | undefined => ir.http?.find((l) => l.name === name);
/** The TCP listener with this name. */
export const findTCPListener = (ir: Xds, name: string): TCPListener | undefined => ir.tcp?.find((l) => l.name === name);
/** The UDP listener with this name. */
export const findUDPListener = (ir: Xds, name: string): UDPListener | undefined => ir.udp?.find((l) => l.name === name);

/** The SDS server URL: `scheme://address`, or the bare address without a scheme. */
export const sdsURL = (sds: SDSConfig): string => (sds.scheme === "" ? sds.address : `${sds.scheme}://${sds.address}`);

/** The route's retry policy: the route's own, else the traffic policy's. */
export const routeRetry = (route: HTTPRoute): Retry | undefined => route.retry ?? route.traffic?.retry;

/** True when the route's single backend resolves its destination per request (dynamic forward proxy). */
export const isDynamicResolverRoute = (route: HTTPRoute | TCPRoute): boolean =>
  route.destination?.settings?.length === 1 && route.destination.settings[0]?.isDynamicResolver === true;

/** Sums a destination's weights into valid, invalid and endpoint-less shares. */
export function backendWeights(destination: RouteDestination | undefined): BackendWeights {
  let valid = 0;
  let invalid = 0;
  let noEndpoints = 0;
  for (const s of destination?.settings ?? []) {
    const w = s.weight;
    if (w === undefined) continue;
    if (s.invalid === true) invalid += w;
    else if (s.isDynamicResolver === true || s.isCustomBackend === true || (s.endpoints?.length ?? 0) > 0) valid += w;
    else noEndpoints += w;
  }
  return { valid, invalid, noEndpoints };
}

/** Weight of the share that cannot be served (invalid backends or backends without endpoints). */
export const unavailableWeight = (w: BackendWeights): number => w.invalid + w.noEndpoints;

/** True when the destination's settings must become one cluster each rather than one shared cluster. */
export function destinationNeedsClusterPerSetting(d: RouteDestination): boolean {
  const settings = d.settings ?? [];
  return (
    hasMixedEndpoints(d) ||
    settings.some((s) => s.filters !== undefined) ||
    (settings.length > 1 && settings.some((s) => s.preferLocal !== undefined)) ||
    hasMixedUpstreamProtocols(settings) ||
    hasMixedAutoSNI(settings)
  );
}

/** True when a route's backends need one cluster each (zone-aware load balancing, unavailable shares, mixed settings). */
export function routeNeedsClusterPerSetting(route: HTTPRoute): boolean {
  const lb = route.traffic?.loadBalancer;
  if (lb !== undefined && (lb.preferLocal !== undefined || (lb.weightedZones?.length ?? 0) > 0)) return true;
  const w = backendWeights(route.destination);
  if (w.invalid > 0 || w.noEndpoints > 0) return true;
  return route.destination !== undefined && destinationNeedsClusterPerSetting(route.destination);
}

/** True when settings mix address types in a way one cluster cannot hold (a Mixed setting, or FQDN with others). */
export function hasMixedEndpoints(d: RouteDestination): boolean {
  const types = new Set((d.settings ?? []).flatMap((s) => (s.addressType === undefined ? [] : [s.addressType])));
  return types.has("Mixed") || (types.has("FQDN") && types.size > 1);
}

function hasMixedUpstreamProtocols(settings: readonly DestinationSetting[]): boolean {
  const forcesHTTP1 = settings.some((s) => s.forceHTTP1Upstream === true);
  const usesHTTP2 = settings.some((s) => s.protocol === "HTTP2" || s.protocol === "GRPC");
  return forcesHTTP1 && usesHTTP2;
}

function hasMixedAutoSNI(settings: readonly DestinationSetting[]): boolean {
  const auto = settings.filter((s) => s.tls?.autoSNIFromEndpointHostname === true).length;
  return auto > 0 && auto !== settings.length;
}

/** The cluster-level part of a route's traffic features. */
export function clusterFeatures(traffic: TrafficFeatures | undefined): ClusterTrafficFeatures | undefined {
  if (traffic === undefined) return undefined;
  const { loadBalancer, proxyProtocol, healthCheck, admissionControl, circuitBreaker, timeout, tcpKeepalive, backendConnection, http2, dns } = traffic;
  const out: { -readonly [K in keyof ClusterTrafficFeatures]: ClusterTrafficFeatures[K] } = {};
  if (loadBalancer !== undefined) out.loadBalancer = loadBalancer;
  if (proxyProtocol !== undefined) out.proxyProtocol = proxyProtocol;
  if (healthCheck !== undefined) out.healthCheck = healthCheck;
  if (admissionControl !== undefined) out.admissionControl = admissionControl;
  if (circuitBreaker !== undefined) out.circuitBreaker = circuitBreaker;
  if (timeout !== undefined) out.timeout = timeout;
  if (tcpKeepalive !== undefined) out.tcpKeepalive = tcpKeepalive;
  if (backendConnection !== undefined) out.backendConnection = backendConnection;
  if (http2 !== undefined) out.http2 = http2;
  if (dns !== undefined) out.dns = dns;
  return out;
}

/** True when the route allows HTTP CONNECT upgrades. */
export const hasConnectUpgrade = (traffic: TrafficFeatures | undefined): boolean =>
  (traffic?.httpUpgrade ?? []).some((u) => u.type.toUpperCase() === "CONNECT");

/** Which geolocation fields an authorization's rules use (decides which GeoIP databases are needed). */
export interface GeoIPRequirements {
  readonly country: boolean;
  readonly region: boolean;
  readonly city: boolean;
  readonly asn: boolean;
  readonly isp: boolean;
  readonly anonymous: boolean;
}

/** The geolocation fields the rules of an authorization match on. */
export function geoIPRequirements(authz: Authorization | undefined): GeoIPRequirements {
  const geos = (authz?.rules ?? []).flatMap((r) => r.principal.clientIPGeoLocations ?? []);
  return {
    country: geos.some((g) => g.country !== undefined),
    region: geos.some((g) => g.region !== undefined),
    city: geos.some((g) => g.city !== undefined),
    asn: geos.some((g) => g.asn !== undefined),
    isp: geos.some((g) => g.isp !== undefined),
    anonymous: geos.some((g) => g.anonymous !== undefined),
  };
}

/** True when any authorization rule matches on client geolocation. */
export const usesClientIPGeoLocations = (authz: Authorization | undefined): boolean =>
  (authz?.rules ?? []).some((r) => (r.principal.clientIPGeoLocations?.length ?? 0) > 0);

/** The network address of a CIDR match with host bits cleared ("10.0.0.0" for "10.0.0.7/8"); "" when invalid. */
export function cidrAddressPrefix(match: CIDRMatch): string {
  const slash = match.cidr.indexOf("/");
  if (slash < 0) return "";
  const address = match.cidr.slice(0, slash);
  const bitsText = match.cidr.slice(slash + 1);
  const family = address.includes("%") ? 0 : isIP(address);
  const bits = /^\d{1,3}$/.test(bitsText) ? Number(bitsText) : -1;
  if (family === 0 || bits < 0 || bits > (family === 4 ? 32 : 128)) return "";
  return family === 4 ? maskIPv4(address, bits) : maskIPv6(address, bits);
}

function maskIPv4(address: string, bits: number): string {
  const n = address.split(".").reduce((acc, part) => acc * 256 + Number(part), 0);
  const masked = bits === 0 ? 0 : Number((BigInt(n) >> BigInt(32 - bits)) << BigInt(32 - bits));
  return [24, 16, 8, 0].map((s) => (masked >>> s) & 255).join(".");
}

function maskIPv6(address: string, bits: number): string {
  // An embedded dotted IPv4 tail ("::ffff:1.2.3.4") becomes two hex groups.
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (dotted !== null) {
    const [a = 0, b = 0, c = 0, d = 0] = (dotted[2] ?? "").split(".").map(Number);
    address = `${dotted[1] ?? ""}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = "", tail = ""] = address.includes("::") ? address.split("::") : [address, ""];
  const h = head === "" ? [] : head.split(":");
  const t = tail === "" ? [] : tail.split(":");
  const groups = [...h, ...new Array<string>(8 - h.length - t.length).fill("0"), ...t].map((g) => parseInt(g, 16));
  let value = groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
  value = bits === 0 ? 0n : (value >> BigInt(128 - bits)) << BigInt(128 - bits);
  const out = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(16 * (7 - i))) & 0xffffn));
  return formatIPv6(out);
}

/** RFC 5952 text form: lowercase, longest run (length >= 2) of zero groups compressed. */
function formatIPv6(groups: readonly number[]): string {
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestLen < 2) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLen).join(":")}`;
}

/** True when a rate limit rule selects requests by anything (headers, path, methods, CIDR, query). */
export const rateLimitRuleHasMatch = (rule: RateLimitRule): boolean =>
  (rule.headerMatches?.length ?? 0) > 0 ||
  rule.pathMatch !== undefined ||
  (rule.methodMatches?.length ?? 0) > 0 ||
  rule.cidrMatch !== undefined ||
  (rule.queryParamMatches?.length ?? 0) > 0;

/** The IR patch operation for an EnvoyPatchPolicy operation type; "" for an unknown one. */
export function translateJSONPatchOp(op: string): JSONPatchOp | "" {
  switch (op) {
    case "add":
    case "remove":
    case "replace":
    case "move":
    case "copy":
    case "test":
      return op;
    default:
      return "";
  }
}

/** A cluster timeout as a route timeout. */
export function clusterTimeoutAsTimeout(t: ClusterTimeout | undefined): Timeout | undefined {
  if (t === undefined) return undefined;
  return { ...(t.tcp === undefined ? {} : { tcp: t.tcp }), ...(t.http === undefined ? {} : { http: { ...t.http } }) };
}

/** The cluster-level part of a route timeout (drops request and stream idle timeouts). */
export function timeoutClusterOnly(t: Timeout | undefined): ClusterTimeout | undefined {
  if (t === undefined) return undefined;
  if (t.http === undefined) return t.tcp === undefined ? {} : { tcp: t.tcp };
  const { requestTimeout: _request, streamIdleTimeout: _idle, ...clusterHTTP } = t.http;
  return { ...(t.tcp === undefined ? {} : { tcp: t.tcp }), http: clusterHTTP };
}

/** Name of the Kubernetes objects of a proxy: `envoy-<name>`. */
export const proxyObjectName = (proxy: ProxyInfra): string => `envoy-${proxy.name === "" ? DEFAULT_PROXY_NAME : proxy.name}`;

/** A new infra IR with upstream's defaults (proxy "default", empty labels). */
export const newInfra = (): Infra => ({ proxy: { name: DEFAULT_PROXY_NAME, namespace: "", metadata: { labels: {} } } });
