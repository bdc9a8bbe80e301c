// ClusterSettings (EnvoyProxy telemetry backendSettings; shared with BackendTrafficPolicy) -> IR traffic
// features (upstream clustersettings.go translateTrafficFeatures).
import type * as ir from "@egts/ir";
import { formatGoDuration, parseGoDuration } from "@egts/ir";
import { processHealthCheckLog } from "./Observability.js";
import { goDurationError, goDurationMessage, quantityAsInteger, quantityText } from "./policies/Values.js";

// ClusterSettings arrive as plain JSON objects of many optional shapes; read them loosely and emit IR.
type J = Record<string, any>;

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

function set(out: J, key: string, value: unknown): void {
  if (value !== undefined) out[key] = value;
}

function timeout(p: J | undefined): J | undefined {
  if (p === undefined) return undefined;
  const out: J = {};
  const errs: string[] = [];
  const d = (v: string | undefined, name: string): string | undefined => {
    try {
      return duration(v, () => `invalid ${name} value ${v ?? ""}`);
    } catch (e) {
      errs.push((e as Error).message);
      return undefined;
    }
  };
  if (p["tcp"]?.connectTimeout !== undefined) {
    const ct = d(p["tcp"].connectTimeout, "ConnectTimeout");
    if (ct !== undefined) out["tcp"] = { connectTimeout: ct };
  }
  if (p["http"] !== undefined) {
    const h = p["http"];
    const http: J = {};
    set(http, "connectionIdleTimeout", d(h.connectionIdleTimeout, "ConnectionIdleTimeout"));
    set(http, "maxConnectionDuration", d(h.maxConnectionDuration, "MaxConnectionDuration"));
    set(http, "requestTimeout", d(h.requestTimeout, "RequestTimeout"));
    set(http, "maxStreamDuration", d(h.maxStreamDuration, "MaxStreamDuration"));
    set(http, "streamIdleTimeout", d(h.streamIdleTimeout, "StreamIdleTimeout"));
    out["http"] = http;
  }
  if (errs.length > 0) throw new SettingsError(errs.join("\n"));
  return out;
}

function uint32(v: number | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new SettingsError(`invalid ${name} value ${v}`);
  return v;
}

function circuitBreaker(p: J | undefined): J | undefined {
  if (p === undefined) return undefined;
  const out: J = {};
  set(out, "maxConnections", uint32(p["maxConnections"], "MaxConnections"));
  set(out, "maxParallelRequests", uint32(p["maxParallelRequests"], "MaxParallelRequests"));
  set(out, "maxPendingRequests", uint32(p["maxPendingRequests"], "MaxPendingRequests"));
  set(out, "maxParallelRetries", uint32(p["maxParallelRetries"], "MaxParallelRetries"));
  set(out, "maxRequestsPerConnection", uint32(p["maxRequestsPerConnection"], "MaxRequestsPerConnection"));
  if (p["perEndpoint"] !== undefined) {
    const pe: J = {};
    const mc = p["perEndpoint"].maxConnections;
    if (mc !== undefined && Number.isInteger(mc) && mc >= 0 && mc <= 0xffffffff) pe["maxConnections"] = mc;
    out["perEndpoint"] = pe;
  }
  const rb = p["retryBudget"];
  if (rb !== undefined) {
    const pct = rb.percent ?? {};
    out["retryBudget"] = { percent: ((pct.numerator ?? 0) * 100) / (pct.denominator ?? 100), minRetryConcurrency: rb.minRetryConcurrency ?? 3 };
  }
  return out;
}

function isPrime(n: number): boolean {
  if (n < 2) return false;
  for (let i = 2; i * i <= n; i++) if (n % i === 0) return false;
  return true;
}

function loadBalancer(p: J | undefined): J | undefined {
  if (p === undefined) return undefined;
  const lb: J = {};
  const slowStart = (): J | undefined => {
    const w = p["slowStart"]?.window;
    if (w === undefined) return undefined;
    const d = lenientDuration(w);
    if (d === undefined) throw new SettingsError(goDurationMessage(w));
    return { window: d };
  };
  switch (p["type"]) {
    case "ConsistentHash": {
      const ch = p["consistentHash"] ?? {};
      const out: J = {};
      if (ch.tableSize !== undefined) {
        if (ch.tableSize > 5000011 || !isPrime(ch.tableSize)) throw new SettingsError(`ConsistentHash: invalid TableSize value ${ch.tableSize}`);
        out["tableSize"] = ch.tableSize;
      }
      switch (ch.type) {
        case "SourceIP":
          out["sourceIP"] = true;
          break;
        case "Header":
          out["headers"] = [{ name: ch.header?.name }];
          break;
        case "Headers":
          out["headers"] = (ch.headers ?? []).map((h: J) => ({ name: h["name"] }));
          break;
        case "Cookie":
          out["cookie"] = ch.cookie;
          break;
        case "QueryParams":
          out["queryParams"] = (ch.queryParams ?? []).map((q: J) => ({ name: q["name"] }));
          break;
      }
      lb["consistentHash"] = out;
      break;
    }
    case "LeastRequest":
      lb["leastRequest"] = {};
      set(lb["leastRequest"], "slowStart", slowStart());
      break;
    case "Random":
      lb["random"] = {};
      break;
    case "RoundRobin":
      lb["roundRobin"] = {};
      set(lb["roundRobin"], "slowStart", slowStart());
      break;
    case "BackendUtilization": {
      const bu = p["backendUtilization"];
      const out: J = {};
      if (bu !== undefined) {
        for (const k of ["blackoutPeriod", "weightExpirationPeriod", "weightUpdatePeriod"]) {
          if (bu[k] !== undefined) {
            const d = lenientDuration(bu[k]);
            if (d === undefined) throw new SettingsError(`invalid ${k[0]?.toUpperCase()}${k.slice(1)} value ${bu[k]}: ${goDurationError(String(bu[k])) ?? ""}`);
            out[k] = d;
          }
        }
        set(out, "errorUtilizationPenaltyPercent", bu.errorUtilizationPenaltyPercent);
        if ((bu.metricNamesForComputingUtilization ?? []).length > 0) out["metricNamesForComputingUtilization"] = [...bu.metricNamesForComputingUtilization];
        out["keepResponseHeaders"] = bu.keepResponseHeaders ?? false;
        if (bu.outOfBand !== undefined) {
          const oob: J = {};
          set(oob, "port", bu.outOfBand.port);
          set(oob, "authority", bu.outOfBand.authority);
          const period = bu.outOfBand.reportingPeriod;
          if (period !== undefined) {
            const d = lenientDuration(period);
            if (d === undefined) throw new SettingsError(`invalid OutOfBand ReportingPeriod value ${period}: ${goDurationError(String(period)) ?? ""}`);
            oob["reportingPeriod"] = d;
          }
          out["outOfBand"] = oob;
        }
      }
      set(out, "slowStart", slowStart());
      lb["backendUtilization"] = out;
      break;
    }
  }
  const za = p["zoneAware"];
  if (za?.preferLocal !== undefined) {
    const pl: J = {};
    set(pl, "minEndpointsThreshold", za.preferLocal.minEndpointsThreshold);
    set(pl, "percentageEnabled", za.preferLocal.percentageEnabled);
    if (za.preferLocal.force !== undefined) pl["force"] = { minEndpointsInZoneThreshold: za.preferLocal.force.minEndpointsInZoneThreshold };
    lb["preferLocal"] = pl;
  }
  if ((za?.weightedZones ?? []).length > 0) lb["weightedZones"] = za.weightedZones.map((z: J) => ({ zone: z["zone"], weight: z["weight"] }));
  if (p["endpointOverride"] !== undefined) {
    lb["endpointOverride"] = {
      extractFrom: (p["endpointOverride"].extractFrom ?? []).map((s: J) => (s["header"] !== undefined ? { header: s["header"] } : {})),
    };
  }
  return lb;
}

function payload(p: J | undefined): J | undefined {
  if (p === undefined) return undefined;
  if (p["type"] === "Text") return { text: p["text"] };
  if (p["type"] === "Binary") return { binary: p["binary"] };
  return {};
}

function healthCheck(p: J | undefined): J | undefined {
  if (p === undefined) return undefined;
  const out: J = {};
  const passive = p["passive"];
  if (passive !== undefined) {
    const od: J = {};
    for (const k of [
      "splitExternalLocalOriginErrors",
      "consecutiveLocalOriginFailures",
      "consecutiveGatewayErrors",
      "consecutive5XxErrors",
      "failurePercentageThreshold",
      "alwaysEjectOneEndpoint",
    ]) {
      set(od, k, passive[k]);
    }
    if (passive.consecutive5XxErrors === undefined) set(od, "consecutive5XxErrors", passive.consecutive5xxErrors);
    set(od, "maxEjectionPercent", passive.maxEjectionPercent);
    let ok = true;
    for (const k of ["interval", "baseEjectionTime"]) {
      if (passive[k] === undefined) continue;
      const d = lenientDuration(passive[k]);
      if (d === undefined) ok = false;
      else od[k] = d;
    }
    if (ok) out["passive"] = od;
  }
  const active = p["active"];
  if (active !== undefined) {
    const hc: J = {};
    set(hc, "initialJitter", active.initialJitter);
    set(hc, "unhealthyThreshold", active.unhealthyThreshold);
    set(hc, "healthyThreshold", active.healthyThreshold);
    set(hc, "timeout", lenientDuration(active.timeout));
    set(hc, "interval", lenientDuration(active.interval));
    if (active.type === "HTTP" && active.http !== undefined) {
      const h = active.http;
      const http: J = { path: h.path, host: h.hostname ?? "" };
      if (h.method !== undefined) http["method"] = String(h.method).toUpperCase();
      const statuses = [...new Set<number>(h.expectedStatuses ?? [])].sort((a, b) => a - b);
      http["expectedStatuses"] = statuses.length > 0 ? statuses : [200];
      const retriable = [...new Set<number>(h.retriableStatuses ?? [])].sort((a, b) => a - b);
      if (retriable.length > 0) http["retriableStatuses"] = retriable;
      set(http, "expectedResponse", payload(h.expectedResponse));
      set(http, "requestBody", payload(h.requestBody));
      hc["http"] = http;
    } else if (active.type === "TCP" && active.tcp !== undefined) {
      const tcp: J = {};
      set(tcp, "send", payload(active.tcp.send));
      set(tcp, "receive", payload(active.tcp.receive));
      hc["tcp"] = tcp;
    } else if (active.type === "GRPC") {
      hc["grpc"] = active.grpc?.service !== undefined ? { service: active.grpc.service } : {};
    }
    if (active.overrides !== undefined) hc["overrides"] = { port: active.overrides.port ?? 0 };
    if (active.healthCheckLog !== undefined) {
      const log = processHealthCheckLog({ spec: { telemetry: { healthCheckLog: active.healthCheckLog } } } as never);
      if (log !== undefined) hc["backendHealthCheckLog"] = log;
    }
    out["active"] = hc;
  }
  set(out, "panicThreshold", p["panicThreshold"]);
  return out;
}

function http2(p: J | undefined): J | undefined {
  if (p === undefined) return undefined;
  const out: J = {};
  const errs: string[] = [];
  // Upstream's IR swaps the JSON names of the two window sizes; the emitted JSON keeps that swap.
  const window = (value: string | number | undefined, name: string, jsonKey: string): void => {
    if (value === undefined) return;
    const n = quantityAsInteger(value);
    if (n === undefined) errs.push(`invalid ${name} value ${quantityText(value)}`);
    else if (n < 65535n || n > 2147483647n) errs.push(`${name} value ${quantityText(value)} is out of range, must be between 65535 and 2147483647`);
    else out[jsonKey] = Number(n);
  };
  window(p["initialStreamWindowSize"], "InitialStreamWindowSize", "initialConnectionWindowSize");
  window(p["initialConnectionWindowSize"], "InitialConnectionWindowSize", "initialStreamWindowSize");
  set(out, "maxConcurrentStreams", p["maxConcurrentStreams"]);
  if (p["onInvalidMessage"] === "TerminateStream") out["resetStreamOnError"] = true;
  else if (p["onInvalidMessage"] === "TerminateConnection") out["resetStreamOnError"] = false;
  const ka = p["connectionKeepalive"];
  if (ka !== undefined) {
    const k: J = {};
    for (const f of ["interval", "timeout", "idleInterval"]) {
      if (ka[f] === undefined) continue;
      const d = lenientDuration(ka[f]);
      if (d === undefined) errs.push(`invalid ConnectionKeepalive.${f[0]?.toUpperCase()}${f.slice(1)}: ${goDurationMessage(ka[f])}`);
      else k[f] = d;
    }
    set(k, "intervalJitter", ka.intervalJitter);
    out["connectionKeepalive"] = k;
  }
  if (errs.length > 0) throw new SettingsError(errs.join("\n"));
  return out;
}

function retry(r: J | undefined): J | undefined {
  if (r === undefined) return undefined;
  const out: J = {};
  set(out, "numRetries", r["numRetries"]);
  set(out, "numAttemptsPerPriority", r["numAttemptsPerPriority"]);
  if (r["retryOn"] !== undefined) {
    const ro: J = {};
    // Upstream turns both lists into sorted sets.
    if (r["retryOn"].httpStatusCodes !== undefined) ro["httpStatusCodes"] = [...new Set<number>(r["retryOn"].httpStatusCodes)].sort((x, y) => x - y);
    if (r["retryOn"].triggers !== undefined) ro["triggers"] = [...new Set<string>(r["retryOn"].triggers)].sort();
    if (Object.keys(ro).length > 0) out["retryOn"] = ro;
  }
  const pr = r["perRetry"];
  if (pr !== undefined) {
    const o: J = {};
    if (pr.timeout !== undefined) o["timeout"] = duration(pr.timeout, () => goDurationMessage(pr.timeout));
    const bo = pr.backOff;
    if (bo !== undefined && (bo.baseInterval !== undefined || bo.maxInterval !== undefined)) {
      const b: J = {};
      const base = bo.baseInterval !== undefined ? parseGoDuration(bo.baseInterval) : undefined;
      const max = bo.maxInterval !== undefined ? parseGoDuration(bo.maxInterval) : undefined;
      if (base !== undefined) {
        if (base === 0) throw new SettingsError("baseInterval cannot be set to 0s");
        b["baseInterval"] = formatGoDuration(base);
      }
      if (max !== undefined) {
        if (max === 0) throw new SettingsError("maxInterval cannot be set to 0s");
        if (base !== undefined && base > max) throw new SettingsError("maxInterval cannot be less than baseInterval");
        b["maxInterval"] = formatGoDuration(max);
      }
      o["backOff"] = b;
    }
    if (Object.keys(o).length > 0) out["perRetry"] = o;
  }
  return out;
}

/** Translates ClusterSettings into IR traffic features; undefined when nothing is set, a message on error. */
export function translateTrafficFeatures(settings: J | undefined): ir.TrafficFeatures | undefined | string {
  if (settings === undefined) return undefined;
  try {
    const out: J = {};
    set(out, "timeout", timeout(settings["timeout"]));
    const conn = settings["connection"];
    if (conn !== undefined) {
      const bc: J = {};
      if (conn.bufferLimit !== undefined) {
        const n = quantityAsInteger(conn.bufferLimit);
        if (n === undefined) throw new SettingsError(`invalid BufferLimit value ${quantityText(conn.bufferLimit)}`);
        if (n < 0n || n > 0xffffffffn) throw new SettingsError(`BufferLimit value ${quantityText(conn.bufferLimit)} is out of range`);
        bc["bufferLimit"] = Number(n);
      }
      if (conn.preconnect !== undefined) {
        const pc: J = {};
        set(pc, "perEndpointPercent", conn.preconnect.perEndpointPercent);
        set(pc, "predictivePercent", conn.preconnect.predictivePercent);
        bc["preconnect"] = pc;
      }
      out["backendConnection"] = bc;
    }
    const ka = settings["tcpKeepalive"];
    if (ka !== undefined) {
      const k: J = {};
      set(k, "probes", ka.probes);
      for (const [f, name] of [
        ["idleTime", "IdleTime"],
        ["interval", "Interval"],
      ] as const) {
        if (ka[f] === undefined) continue;
        const ns = parseGoDuration(ka[f]);
        if (ns === undefined) throw new SettingsError(`invalid ${name} value ${ka[f]}`);
        k[f] = Math.trunc(ns / 1e9);
      }
      out["tcpKeepalive"] = k;
    }
    set(out, "circuitBreaker", circuitBreaker(settings["circuitBreaker"]));
    set(out, "loadBalancer", loadBalancer(settings["loadBalancer"]));
    const pp = settings["proxyProtocol"]?.version;
    if (pp === "V1" || pp === "V2") out["proxyProtocol"] = { version: pp };
    set(out, "healthCheck", healthCheck(settings["healthCheck"]));
    const dns = settings["dns"];
    if (dns !== undefined) {
      const d: J = { name: "" };
      set(d, "lookupFamily", dns.lookupFamily);
      set(d, "respectDnsTtl", dns.respectDnsTtl);
      set(d, "dnsRefreshRate", lenientDuration(dns.dnsRefreshRate));
      out["dns"] = d;
    }
    set(out, "http2", http2(settings["http2"]));
    set(out, "retry", retry(settings["retry"]));
    return Object.keys(out).length === 0 ? undefined : (out as ir.TrafficFeatures);
  } catch (e) {
    if (e instanceof SettingsError) return e.message;
    throw e;
  }
}
