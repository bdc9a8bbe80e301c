// ClusterSettings (EnvoyProxy telemetry backendSettings; shared with BackendTrafficPolicy) -> IR traffic
// features (upstream clustersettings.go translateTrafficFeatures).
import type { EnvoyExtensionPolicySpec } from "@egts/api";
import type * as ir from "@egts/ir";
import { formatGoDuration, parseGoDuration } from "@egts/ir";
import type { Mutable } from "./Mutable.js";
import { healthCheckLogIR } from "./Observability.js";
import { goDurationError, goDurationMessage, quantityAsInteger, quantityText } from "./policies/Values.js";

/**
 * The ClusterSettings of the API (upstream egv1a1.ClusterSettings), as every `backendSettings` and the inline
 * settings of a BackendTrafficPolicy carry them; the generated types repeat it per place, all the same shape.
 */
export type ClusterSettings = NonNullable<NonNullable<EnvoyExtensionPolicySpec["extProc"]>[number]["backendSettings"]>;

type Settings<K extends keyof ClusterSettings> = NonNullable<ClusterSettings[K]>;
type LoadBalancerSpec = Settings<"loadBalancer">;
type ActiveHealthCheckSpec = NonNullable<Settings<"healthCheck">["active"]>;
type PassiveHealthCheckSpec = NonNullable<Settings<"healthCheck">["passive"]>;
type HealthCheckPayloadSpec = NonNullable<NonNullable<ActiveHealthCheckSpec["http"]>["expectedResponse"]>;

class SettingsError extends Error {}

function duration(text: string | undefined, message: () => string): string | undefined {
  if (text === undefined) return undefined;
  const ns = parseGoDuration(text);
  if (ns === undefined) throw new SettingsError(message());
  return formatGoDuration(ns);
}

function lenientDuration(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const ns = parseGoDuration(text);
  return ns === undefined ? undefined : formatGoDuration(ns);
}

/** Sets `out[key]` when there is a value (an absent field stays absent rather than holding undefined). */
function set<T, K extends keyof T>(out: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) out[key] = value;
}

function timeout(p: Settings<"timeout"> | undefined): ir.Timeout | undefined {
  if (p === undefined) return undefined;
  const out: Mutable<ir.Timeout> = {};
  const errs: string[] = [];
  const d = (v: string | undefined, name: string): string | undefined => {
    try {
      return duration(v, () => `invalid ${name} value ${v ?? ""}`);
    } catch (e) {
      errs.push((e as Error).message);
      return undefined;
    }
  };
  if (p.tcp?.connectTimeout !== undefined) {
    const ct = d(p.tcp.connectTimeout, "ConnectTimeout");
    if (ct !== undefined) out.tcp = { connectTimeout: ct };
  }
  if (p.http !== undefined) {
    const h = p.http;
    const http: Mutable<ir.HTTPTimeout> = {};
    set(http, "connectionIdleTimeout", d(h.connectionIdleTimeout, "ConnectionIdleTimeout"));
    set(http, "maxConnectionDuration", d(h.maxConnectionDuration, "MaxConnectionDuration"));
    set(http, "requestTimeout", d(h.requestTimeout, "RequestTimeout"));
    set(http, "maxStreamDuration", d(h.maxStreamDuration, "MaxStreamDuration"));
    set(http, "streamIdleTimeout", d(h.streamIdleTimeout, "StreamIdleTimeout"));
    out.http = http;
  }
  if (errs.length > 0) throw new SettingsError(errs.join("\n"));
  return out;
}

function uint32(v: number | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new SettingsError(`invalid ${name} value ${v}`);
  return v;
}

function circuitBreaker(p: Settings<"circuitBreaker"> | undefined): ir.CircuitBreaker | undefined {
  if (p === undefined) return undefined;
  const out: Mutable<ir.CircuitBreaker> = {};
  set(out, "maxConnections", uint32(p.maxConnections, "MaxConnections"));
  set(out, "maxParallelRequests", uint32(p.maxParallelRequests, "MaxParallelRequests"));
  set(out, "maxPendingRequests", uint32(p.maxPendingRequests, "MaxPendingRequests"));
  set(out, "maxParallelRetries", uint32(p.maxParallelRetries, "MaxParallelRetries"));
  set(out, "maxRequestsPerConnection", uint32(p.maxRequestsPerConnection, "MaxRequestsPerConnection"));
  if (p.perEndpoint !== undefined) {
    const pe: Mutable<ir.PerEndpointCircuitBreakers> = {};
    const mc = p.perEndpoint.maxConnections;
    if (mc !== undefined && Number.isInteger(mc) && mc >= 0 && mc <= 0xffffffff) pe.maxConnections = mc;
    out.perEndpoint = pe;
  }
  const rb = p.retryBudget;
  if (rb !== undefined) {
    // The schema requires percent; a spec that skipped validation reads as Go's zero value.
    const pct: Partial<typeof rb.percent> = rb.percent ?? {};
    out.retryBudget = { percent: ((pct.numerator ?? 0) * 100) / (pct.denominator ?? 100), minRetryConcurrency: rb.minRetryConcurrency ?? 3 };
  }
  return out;
}

function isPrime(n: number): boolean {
  if (n < 2) return false;
  for (let i = 2; i * i <= n; i++) if (n % i === 0) return false;
  return true;
}

function consistentHash(ch: Partial<NonNullable<LoadBalancerSpec["consistentHash"]>>): ir.ConsistentHash {
  const out: Mutable<ir.ConsistentHash> = {};
  if (ch.tableSize !== undefined) {
    if (ch.tableSize > 5000011 || !isPrime(ch.tableSize)) throw new SettingsError(`ConsistentHash: invalid TableSize value ${ch.tableSize}`);
    out.tableSize = ch.tableSize;
  }
  switch (ch.type) {
    case "SourceIP":
      out.sourceIP = true;
      break;
    case "Header":
      // Upstream copies the header's name even when the header is missing (its IR then holds an empty one).
      out.headers = [{ name: ch.header?.name } as ir.egv1a1.Header];
      break;
    case "Headers":
      out.headers = (ch.headers ?? []).map((h) => ({ name: h.name }));
      break;
    case "Cookie":
      out.cookie = ch.cookie as ir.egv1a1.Cookie;
      break;
    case "QueryParams":
      out.queryParams = (ch.queryParams ?? []).map((q) => ({ name: q.name }));
      break;
  }
  return out;
}

function backendUtilization(bu: LoadBalancerSpec["backendUtilization"]): Mutable<ir.BackendUtilization> {
  const out: Mutable<ir.BackendUtilization> = {};
  if (bu === undefined) return out;
  for (const k of ["blackoutPeriod", "weightExpirationPeriod", "weightUpdatePeriod"] as const) {
    const v = bu[k];
    if (v !== undefined) {
      const d = lenientDuration(v);
      if (d === undefined) throw new SettingsError(`invalid ${k[0]?.toUpperCase()}${k.slice(1)} value ${v}: ${goDurationError(String(v)) ?? ""}`);
      out[k] = d;
    }
  }
  set(out, "errorUtilizationPenaltyPercent", bu.errorUtilizationPenaltyPercent);
  if ((bu.metricNamesForComputingUtilization ?? []).length > 0) out.metricNamesForComputingUtilization = [...(bu.metricNamesForComputingUtilization ?? [])];
  out.keepResponseHeaders = bu.keepResponseHeaders ?? false;
  if (bu.outOfBand !== undefined) {
    const oob: Mutable<ir.OutOfBandReporting> = {};
    set(oob, "port", bu.outOfBand.port);
    set(oob, "authority", bu.outOfBand.authority);
    const period = bu.outOfBand.reportingPeriod;
    if (period !== undefined) {
      const d = lenientDuration(period);
      if (d === undefined) throw new SettingsError(`invalid OutOfBand ReportingPeriod value ${period}: ${goDurationError(String(period)) ?? ""}`);
      oob.reportingPeriod = d;
    }
    out.outOfBand = oob;
  }
  return out;
}

function loadBalancer(p: LoadBalancerSpec | undefined): ir.LoadBalancer | undefined {
  if (p === undefined) return undefined;
  const lb: Mutable<ir.LoadBalancer> = {};
  const slowStart = (): ir.SlowStart | undefined => {
    const w = p.slowStart?.window;
    if (w === undefined) return undefined;
    const d = lenientDuration(w);
    if (d === undefined) throw new SettingsError(goDurationMessage(w));
    return { window: d };
  };
  switch (p.type) {
    case "ConsistentHash":
      lb.consistentHash = consistentHash(p.consistentHash ?? {});
      break;
    case "LeastRequest": {
      const leastRequest: Mutable<ir.LeastRequest> = {};
      set(leastRequest, "slowStart", slowStart());
      lb.leastRequest = leastRequest;
      break;
    }
    case "Random":
      lb.random = {};
      break;
    case "RoundRobin": {
      const roundRobin: Mutable<ir.RoundRobin> = {};
      set(roundRobin, "slowStart", slowStart());
      lb.roundRobin = roundRobin;
      break;
    }
    case "BackendUtilization": {
      const out = backendUtilization(p.backendUtilization);
      set(out, "slowStart", slowStart());
      lb.backendUtilization = out;
      break;
    }
  }
  const za = p.zoneAware;
  if (za?.preferLocal !== undefined) {
    const pl: Mutable<ir.PreferLocalZone> = {};
    set(pl, "minEndpointsThreshold", za.preferLocal.minEndpointsThreshold);
    set(pl, "percentageEnabled", za.preferLocal.percentageEnabled);
    if (za.preferLocal.force !== undefined) {
      const force: Mutable<ir.ForceLocalZone> = {};
      set(force, "minEndpointsInZoneThreshold", za.preferLocal.force.minEndpointsInZoneThreshold);
      pl.force = force;
    }
    lb.preferLocal = pl;
  }
  if ((za?.weightedZones ?? []).length > 0) lb.weightedZones = (za?.weightedZones ?? []).map((z) => ({ zone: z.zone, weight: z.weight }));
  if (p.endpointOverride !== undefined) {
    lb.endpointOverride = {
      extractFrom: (p.endpointOverride.extractFrom ?? []).map((s) => (s.header !== undefined ? { header: s.header } : {})),
    };
  }
  return lb;
}

/** A health check payload: text as is, binary decoded from the base64 the API carries it in. */
function payload(p: HealthCheckPayloadSpec | undefined): ir.HealthCheckPayload | undefined {
  if (p === undefined) return undefined;
  if (p.type === "Text") return p.text === undefined ? {} : { text: p.text };
  if (p.type === "Binary") return p.binary === undefined ? {} : { binary: new Uint8Array(Buffer.from(p.binary, "base64")) };
  return {};
}

/**
 * The passive health check as read: Go matches JSON names case-insensitively, so upstream also takes
 * `consecutive5xxErrors` for the API's `consecutive5XxErrors`.
 */
type PassiveHealthCheckInput = PassiveHealthCheckSpec & { readonly consecutive5xxErrors?: number };

function outlierDetection(passive: PassiveHealthCheckInput): ir.OutlierDetection | undefined {
  const od: Mutable<ir.OutlierDetection> = {};
  set(od, "splitExternalLocalOriginErrors", passive.splitExternalLocalOriginErrors);
  set(od, "consecutiveLocalOriginFailures", passive.consecutiveLocalOriginFailures);
  set(od, "consecutiveGatewayErrors", passive.consecutiveGatewayErrors);
  set(od, "consecutive5XxErrors", passive.consecutive5XxErrors);
  set(od, "failurePercentageThreshold", passive.failurePercentageThreshold);
  set(od, "alwaysEjectOneEndpoint", passive.alwaysEjectOneEndpoint);
  if (passive.consecutive5XxErrors === undefined) set(od, "consecutive5XxErrors", passive.consecutive5xxErrors);
  set(od, "maxEjectionPercent", passive.maxEjectionPercent);
  let ok = true;
  for (const k of ["interval", "baseEjectionTime"] as const) {
    if (passive[k] === undefined) continue;
    const d = lenientDuration(passive[k]);
    if (d === undefined) ok = false;
    else od[k] = d;
  }
  return ok ? od : undefined;
}

function activeHealthCheck(active: ActiveHealthCheckSpec): ir.ActiveHealthCheck {
  const hc: Mutable<ir.ActiveHealthCheck> = {};
  set(hc, "initialJitter", active.initialJitter);
  set(hc, "unhealthyThreshold", active.unhealthyThreshold);
  set(hc, "healthyThreshold", active.healthyThreshold);
  set(hc, "timeout", lenientDuration(active.timeout));
  set(hc, "interval", lenientDuration(active.interval));
  if (active.type === "HTTP" && active.http !== undefined) {
    const h = active.http;
    const http: Mutable<ir.HTTPHealthChecker> = { path: h.path, host: h.hostname ?? "" };
    if (h.method !== undefined) http.method = String(h.method).toUpperCase();
    const statuses = [...new Set<number>(h.expectedStatuses ?? [])].sort((a, b) => a - b);
    http.expectedStatuses = statuses.length > 0 ? statuses : [200];
    const retriable = [...new Set<number>(h.retriableStatuses ?? [])].sort((a, b) => a - b);
    if (retriable.length > 0) http.retriableStatuses = retriable;
    set(http, "expectedResponse", payload(h.expectedResponse));
    set(http, "requestBody", payload(h.requestBody));
    hc.http = http;
  } else if (active.type === "TCP" && active.tcp !== undefined) {
    const tcp: Mutable<ir.TCPHealthChecker> = {};
    set(tcp, "send", payload(active.tcp.send));
    set(tcp, "receive", payload(active.tcp.receive));
    hc.tcp = tcp;
  } else if (active.type === "GRPC") {
    hc.grpc = active.grpc?.service !== undefined ? { service: active.grpc.service } : {};
  }
  if (active.overrides !== undefined) hc.overrides = { port: active.overrides.port ?? 0 };
  if (active.healthCheckLog !== undefined) {
    const log = healthCheckLogIR(active.healthCheckLog);
    if (log !== undefined) hc.backendHealthCheckLog = log;
  }
  return hc;
}

function healthCheck(p: Settings<"healthCheck"> | undefined): ir.HealthCheck | undefined {
  if (p === undefined) return undefined;
  const out: Mutable<ir.HealthCheck> = {};
  if (p.passive !== undefined) set(out, "passive", outlierDetection(p.passive));
  if (p.active !== undefined) out.active = activeHealthCheck(p.active);
  set(out, "panicThreshold", p.panicThreshold);
  return out;
}

function http2(p: Settings<"http2"> | undefined): ir.HTTP2Settings | undefined {
  if (p === undefined) return undefined;
  const out: Mutable<ir.HTTP2Settings> = {};
  const errs: string[] = [];
  // Upstream's IR swaps the JSON names of the two window sizes; the emitted JSON keeps that swap.
  const window = (value: string | number | undefined, name: string, key: "initialConnectionWindowSize" | "initialStreamWindowSize"): void => {
    if (value === undefined) return;
    const n = quantityAsInteger(value);
    if (n === undefined) errs.push(`invalid ${name} value ${quantityText(value)}`);
    else if (n < 65535n || n > 2147483647n) errs.push(`${name} value ${quantityText(value)} is out of range, must be between 65535 and 2147483647`);
    else out[key] = Number(n);
  };
  window(p.initialStreamWindowSize, "InitialStreamWindowSize", "initialConnectionWindowSize");
  window(p.initialConnectionWindowSize, "InitialConnectionWindowSize", "initialStreamWindowSize");
  set(out, "maxConcurrentStreams", p.maxConcurrentStreams);
  if (p.onInvalidMessage === "TerminateStream") out.resetStreamOnError = true;
  else if (p.onInvalidMessage === "TerminateConnection") out.resetStreamOnError = false;
  const ka = p.connectionKeepalive;
  if (ka !== undefined) {
    const k: Mutable<ir.HTTP2KeepaliveSettings> = {};
    for (const f of ["interval", "timeout", "idleInterval"] as const) {
      const v = ka[f];
      if (v === undefined) continue;
      const d = lenientDuration(v);
      if (d === undefined) errs.push(`invalid ConnectionKeepalive.${f[0]?.toUpperCase()}${f.slice(1)}: ${goDurationMessage(v)}`);
      else k[f] = d;
    }
    set(k, "intervalJitter", ka.intervalJitter);
    out.connectionKeepalive = k;
  }
  if (errs.length > 0) throw new SettingsError(errs.join("\n"));
  return out;
}

function retry(r: Settings<"retry"> | undefined): ir.Retry | undefined {
  if (r === undefined) return undefined;
  const out: Mutable<ir.Retry> = {};
  set(out, "numRetries", r.numRetries);
  set(out, "numAttemptsPerPriority", r.numAttemptsPerPriority);
  if (r.retryOn !== undefined) {
    const ro: Mutable<ir.RetryOn> = {};
    // Upstream turns both lists into sorted sets.
    if (r.retryOn.httpStatusCodes !== undefined) ro.httpStatusCodes = [...new Set<number>(r.retryOn.httpStatusCodes)].sort((x, y) => x - y);
    // The trigger enum is open in the CRD type; the schema admits only the IR's values.
    if (r.retryOn.triggers !== undefined) ro.triggers = [...new Set(r.retryOn.triggers as ReadonlyArray<ir.TriggerEnum>)].sort();
    if (Object.keys(ro).length > 0) out.retryOn = ro;
  }
  const pr = r.perRetry;
  if (pr !== undefined) {
    const o: Mutable<ir.PerRetryPolicy> = {};
    if (pr.timeout !== undefined)
      set(
        o,
        "timeout",
        duration(pr.timeout, () => goDurationMessage(pr.timeout)),
      );
    const bo = pr.backOff;
    if (bo !== undefined && (bo.baseInterval !== undefined || bo.maxInterval !== undefined)) {
      const b: Mutable<ir.BackOffPolicy> = {};
      const base = bo.baseInterval !== undefined ? parseGoDuration(bo.baseInterval) : undefined;
      const max = bo.maxInterval !== undefined ? parseGoDuration(bo.maxInterval) : undefined;
      if (base !== undefined) {
        if (base === 0) throw new SettingsError("baseInterval cannot be set to 0s");
        b.baseInterval = formatGoDuration(base);
      }
      if (max !== undefined) {
        if (max === 0) throw new SettingsError("maxInterval cannot be set to 0s");
        if (base !== undefined && base > max) throw new SettingsError("maxInterval cannot be less than baseInterval");
        b.maxInterval = formatGoDuration(max);
      }
      o.backOff = b;
    }
    if (Object.keys(o).length > 0) out.perRetry = o;
  }
  return out;
}

function backendConnection(conn: Settings<"connection">): ir.BackendConnection {
  const bc: Mutable<ir.BackendConnection> = {};
  if (conn.bufferLimit !== undefined) {
    const n = quantityAsInteger(conn.bufferLimit);
    if (n === undefined) throw new SettingsError(`invalid BufferLimit value ${quantityText(conn.bufferLimit)}`);
    if (n < 0n || n > 0xffffffffn) throw new SettingsError(`BufferLimit value ${quantityText(conn.bufferLimit)} is out of range`);
    bc.bufferLimit = Number(n);
  }
  if (conn.preconnect !== undefined) {
    const pc: Mutable<ir.Preconnect> = {};
    set(pc, "perEndpointPercent", conn.preconnect.perEndpointPercent);
    set(pc, "predictivePercent", conn.preconnect.predictivePercent);
    bc.preconnect = pc;
  }
  return bc;
}

function tcpKeepalive(ka: Settings<"tcpKeepalive">): ir.TCPKeepalive {
  const k: Mutable<ir.TCPKeepalive> = {};
  set(k, "probes", ka.probes);
  for (const [f, name] of [
    ["idleTime", "IdleTime"],
    ["interval", "Interval"],
  ] as const) {
    const v = ka[f];
    if (v === undefined) continue;
    const ns = parseGoDuration(v);
    if (ns === undefined) throw new SettingsError(`invalid ${name} value ${v}`);
    k[f] = Math.trunc(ns / 1e9);
  }
  return k;
}

/** Translates ClusterSettings into IR traffic features; undefined when nothing is set, a message on error. */
export function translateTrafficFeatures(settings: ClusterSettings | undefined): ir.TrafficFeatures | undefined | string {
  if (settings === undefined) return undefined;
  try {
    const out: Mutable<ir.TrafficFeatures> = {};
    set(out, "timeout", timeout(settings.timeout));
    if (settings.connection !== undefined) out.backendConnection = backendConnection(settings.connection);
    if (settings.tcpKeepalive !== undefined) out.tcpKeepalive = tcpKeepalive(settings.tcpKeepalive);
    set(out, "circuitBreaker", circuitBreaker(settings.circuitBreaker));
    set(out, "loadBalancer", loadBalancer(settings.loadBalancer));
    const pp = settings.proxyProtocol?.version;
    // The CRD's enum is open (string & {}), which the equality check does not narrow.
    if (pp === "V1" || pp === "V2") out.proxyProtocol = { version: pp as ir.ProxyProtocolVersion };
    set(out, "healthCheck", healthCheck(settings.healthCheck));
    const dns = settings.dns;
    if (dns !== undefined) {
      const d: Mutable<ir.DNS> = { name: "" };
      // The lookup family enum is open in the CRD type; the schema admits only the IR's values.
      set(d, "lookupFamily", dns.lookupFamily as ir.egv1a1.DNSLookupFamily | undefined);
      set(d, "respectDnsTtl", dns.respectDnsTtl);
      set(d, "dnsRefreshRate", lenientDuration(dns.dnsRefreshRate));
      out.dns = d;
    }
    set(out, "http2", http2(settings.http2));
    set(out, "retry", retry(settings.retry));
    return Object.keys(out).length === 0 ? undefined : out;
  } catch (e) {
    if (e instanceof SettingsError) return e.message;
    throw e;
  }
}
