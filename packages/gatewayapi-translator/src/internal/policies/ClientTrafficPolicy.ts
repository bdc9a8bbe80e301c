// ClientTrafficPolicy (upstream clienttrafficpolicy.go): downstream connection settings of Gateway and
// ListenerSet listeners. Section-specific policies are applied first, then ListenerSet-wide, then
// Gateway-wide ones, each to the listeners no more specific policy has claimed.
import { createHash } from "node:crypto";
import type { ClientTrafficPolicy, ClientTrafficPolicySpec, ListenerSet } from "@egts/api";
import type * as ir from "@egts/ir";
import { parseGoDuration } from "@egts/ir";
import { checkCertBlock, decodePemBlocks, encodePemBlock } from "../Certificates.js";
import { conditionMessage } from "../Conditions.js";
import { isReferencePermitted, type ResourceIndex } from "../Index.js";
import { irListenerName, type GatewayContext, type ListenerContext } from "../Model.js";
import type { Mutable } from "../Mutable.js";
import { parseCrlValidity } from "./Crl.js";
import { gatewayAncestorRef, listenerSetAncestorRef, PolicyStatus, type AncestorRef, type PolicyResolveError } from "./PolicyStatus.js";
import {
  gatewayCandidates,
  listenerBelongsTo,
  listenerSetCandidates,
  listenerSetParent,
  nsName,
  resolvePolicyTargets,
  targetsFromReferences,
  type PolicyTarget,
} from "./PolicyTargets.js";
import { canonicalDuration, irStringMatch, quantityAsInteger, quantityText, goDurationMessage } from "./Values.js";

type Spec = ClientTrafficPolicySpec;

/** What the ClientTrafficPolicy pass needs from the translation. */
export interface ClientTrafficPolicyContext {
  readonly gateways: ReadonlyArray<GatewayContext>;
  readonly listenerSets: ReadonlyArray<ListenerSet>;
  readonly xdsIR: ReadonlyMap<string, Mutable<ir.Xds>>;
  readonly infraIR: ReadonlyMap<string, Mutable<ir.ProxyInfra>>;
  readonly index: ResourceIndex;
  readonly controllerName: string;
  readonly now: Date;
}

/** Joins error texts the way Go's errors.Join does. */
function joinErrors(errors: ReadonlyArray<string>): string | undefined {
  return errors.length === 0 ? undefined : errors.join("\n");
}

function deprecatedFields(spec: Spec): Map<string, string> {
  const out = new Map<string, string>();
  if (spec.enableProxyProtocol !== undefined) out.set("spec.enableProxyProtocol", "spec.proxyProtocol");
  if (spec.headers?.preserveXRequestID !== undefined) out.set("spec.headers.preserveXRequestID", "spec.headers.requestID");
  if ((spec as { targetRef?: unknown }).targetRef !== undefined) out.set("spec.targetRef", "spec.targetRefs");
  if (spec.tls?.clientValidation?.optional === true) out.set("spec.tls.clientValidation.optional", "spec.tls.clientValidation.mode");
  return out;
}

interface ResolvedTarget {
  readonly gateway: GatewayContext;
  readonly listenerSet?: ListenerSet;
}

function resolveTarget(
  target: PolicyTarget,
  gateways: ReadonlyMap<string, GatewayContext>,
  listenerSets: ReadonlyMap<string, ListenerSet>,
): { resolved?: ResolvedTarget; error?: PolicyResolveError } {
  if (target.kind === "ListenerSet") {
    const ls = listenerSets.get(`${target.namespace}/${target.name}`);
    if (ls === undefined) return {};
    const gateway = listenerSetParent(ls, gateways);
    if (gateway === undefined) return {};
    if (target.sectionName !== undefined && !ls.spec.listeners.some((l) => l.name === target.sectionName)) {
      return {
        resolved: { gateway, listenerSet: ls },
        error: {
          reason: "TargetNotFound",
          message: `ListenerSet ${ls.metadata.namespace ?? ""}/${ls.metadata.name} does not have a listener named "${target.sectionName}"`,
        },
      };
    }
    return { resolved: { gateway, listenerSet: ls } };
  }
  const gateway = gateways.get(`${target.namespace}/${target.name}`);
  if (gateway === undefined) return {};
  if (target.sectionName !== undefined && !gateway.listeners.some((l) => l.listener.name === target.sectionName)) {
    return {
      resolved: { gateway },
      error: { reason: "TargetNotFound", message: `No section name ${target.sectionName} found for Gateway ${target.namespace}/${target.name}` },
    };
  }
  return { resolved: { gateway } };
}

function lsPrefix(ls: ListenerSet): string {
  return `${ls.metadata.namespace ?? ""}/${ls.metadata.name}/`;
}

function listenerSectionKey(l: ListenerContext): string {
  const ls = l.listenerSet?.listenerSet;
  return ls !== undefined ? `${lsPrefix(ls)}${l.listener.name}` : l.listener.name;
}

type Scope = "section" | "gateway" | "listenerSet";

function findHTTP(x: Mutable<ir.Xds> | undefined, name: string): Mutable<ir.HTTPListener> | undefined {
  return (x?.http ?? []).find((h) => h.name === name) as Mutable<ir.HTTPListener> | undefined;
}

function findTCP(x: Mutable<ir.Xds> | undefined, name: string): Mutable<ir.TCPListener> | undefined {
  return (x?.tcp ?? []).find((t) => t.name === name) as Mutable<ir.TCPListener> | undefined;
}

/** Other plain-HTTP listeners on the same port share one filter chain with this one. */
function listenersWithSameHTTPPort(x: Mutable<ir.Xds>, listener: ir.HTTPListener): string[] {
  if (listener.tls !== undefined) return [];
  return (x.http ?? []).filter((h) => h !== listener && h.port === listener.port).map((h) => h.name);
}

function validatePortOverlap(l: ListenerContext, x: Mutable<ir.Xds> | undefined, scope: Scope): string | undefined {
  const name = irListenerName(l);
  const httpIR = findHTTP(x, name);
  if (x === undefined || httpIR === undefined) return undefined;
  const same = listenersWithSameHTTPPort(x, httpIR);
  if (same.length === 0) return undefined;
  const message = (names: string[]): string =>
    `ClientTrafficPolicy is being applied to multiple http (non https) listeners (${names.join(", ")}) on the same port, which is not allowed`;
  if (scope === "section") return message(same);
  const parts = name.split("/");
  const prefix = scope === "gateway" ? `${parts[0] ?? ""}/${parts[1] ?? ""}` : `${parts.slice(0, 4).join("/")}/`;
  const conflicting = same.filter((n) => !n.startsWith(prefix));
  return conflicting.length > 0 ? message(conflicting) : undefined;
}

function http3Disabled(spec: Spec, httpIR: ir.HTTPListener | undefined): boolean {
  return httpIR?.tls !== undefined && spec.http3 !== undefined && spec.tls?.clientValidation !== undefined;
}

function http3WarningMessage(names: string[]): string {
  if (names.length === 0) return "";
  const target = names.length > 1 ? `listeners [${[...names].sort().join(" ")}]` : `listener "${names[0] ?? ""}"`;
  return `HTTP/3 was disabled for ${target} because Envoy does not support downstream client TLS validation over QUIC`;
}

/** Runs every ClientTrafficPolicy and returns the handled ones with their status, in upstream's order. */
export function processClientTrafficPolicies(policies: ReadonlyArray<ClientTrafficPolicy>, ctx: ClientTrafficPolicyContext): unknown[] {
  const gatewayMap = new Map(ctx.gateways.map((g) => [`${g.namespace}/${g.name}`, g]));
  const listenerSetMap = new Map(ctx.listenerSets.map((ls) => [nsName(ls.metadata), ls]));
  const claimedScopes = new Map<string, Set<string>>();
  const claimedSections = new Map<string, Set<string>>();
  const handled: ClientTrafficPolicy[] = [];
  const statuses = new Map<ClientTrafficPolicy, PolicyStatus>();
  const statusOf = (p: ClientTrafficPolicy): PolicyStatus => {
    let st = statuses.get(p);
    if (st === undefined) {
      st = new PolicyStatus(ctx.controllerName, p.metadata.generation);
      statuses.set(p, st);
      handled.push(p);
    }
    return st;
  };
  // Policies are identified by namespace/name: a later object with the same name stands for the first.
  const byName = new Map<string, ClientTrafficPolicy>();
  const canonical = (p: ClientTrafficPolicy): ClientTrafficPolicy => {
    const key = nsName(p.metadata);
    const first = byName.get(key);
    if (first !== undefined) return first;
    byName.set(key, p);
    return p;
  };
  const claim = (map: Map<string, Set<string>>, key: string, value: string): void => {
    let set = map.get(key);
    if (set === undefined) map.set(key, (set = new Set()));
    set.add(value);
  };

  // Policies targeting one section (listener) of a Gateway or ListenerSet.
  for (const input of policies) {
    for (const target of targetsFromReferences(input.spec, input.metadata.namespace ?? "")) {
      if (target.sectionName === undefined) continue;
      const policy = canonical(input);
      const spec = policy.spec;
      const status = statusOf(policy);
      const { resolved, error } = resolveTarget(target, gatewayMap, listenerSetMap);
      if (resolved === undefined) continue;
      const { gateway, listenerSet } = resolved;
      const gatewayKey = `${gateway.namespace}/${gateway.name}`;
      const ancestor: AncestorRef =
        target.kind === "ListenerSet" && listenerSet !== undefined
          ? listenerSetAncestorRef(listenerSet.metadata.namespace ?? "", listenerSet.metadata.name, target.sectionName)
          : gatewayAncestorRef(gateway.namespace, gateway.name, target.sectionName);
      if (error !== undefined) {
        status.setResolveError(ancestor, error);
        continue;
      }
      const section = target.sectionName;
      const sectionKey = target.kind === "ListenerSet" && listenerSet !== undefined ? `${lsPrefix(listenerSet)}${section}` : section;
      if (claimedSections.get(gatewayKey)?.has(sectionKey) === true) {
        status.setResolveError(ancestor, {
          reason: "Conflicted",
          message: `Unable to target section of ${target.name}, another ClientTrafficPolicy has already attached to it`,
        });
        continue;
      }
      claim(claimedSections, gatewayKey, sectionKey);
      let err: string | undefined;
      let warning = "";
      for (const l of gateway.listeners) {
        if (target.kind === "ListenerSet" && listenerSet !== undefined && !listenerBelongsTo(l, listenerSet)) continue;
        if (l.listener.name !== section) continue;
        const x = ctx.xdsIR.get(l.gateway.irKey);
        err = validatePortOverlap(l, x, "section");
        if (err === undefined) {
          if (http3Disabled(spec, findHTTP(x, irListenerName(l)))) warning = http3WarningMessage([l.listener.name]);
          err = translateForListener(policy, l, ctx);
        }
        break;
      }
      if (err !== undefined) status.setTranslationError(ancestor, conditionMessage(err));
      status.setAccepted(ancestor);
      if (warning !== "") status.setWarning(ancestor, "UnsupportedHTTP3ClientValidation", warning);
      status.setDeprecatedFields(ancestor, deprecatedFields(spec));
    }
  }

  // Whole ListenerSets first, then whole Gateways, so the more specific target wins whatever the input order.
  const candidates = [...gatewayCandidates(ctx.gateways), ...listenerSetCandidates(ctx.listenerSets)];
  const targets = policies.map((p) =>
    resolvePolicyTargets(p.spec, candidates, { group: "gateway.envoyproxy.io", kind: "ClientTrafficPolicy", namespace: p.metadata.namespace ?? "" }, ctx.index),
  );
  for (const passKind of ["ListenerSet", "Gateway"]) {
    policies.forEach((input, i) => {
      for (const target of targets[i] ?? []) {
        if (target.sectionName !== undefined || target.kind !== passKind) continue;
        const policy = canonical(input);
        const spec = policy.spec;
        const status = statusOf(policy);
        const { resolved, error } = resolveTarget(target, gatewayMap, listenerSetMap);
        if (resolved === undefined) continue;
        const { gateway, listenerSet } = resolved;
        const gatewayKey = `${gateway.namespace}/${gateway.name}`;
        const targetsListenerSet = target.kind === "ListenerSet" && listenerSet !== undefined;
        const ancestor = targetsListenerSet
          ? listenerSetAncestorRef(listenerSet.metadata.namespace ?? "", listenerSet.metadata.name)
          : gatewayAncestorRef(gateway.namespace, gateway.name);
        if (error !== undefined) {
          status.setResolveError(ancestor, error);
          continue;
        }
        const scopeKey = targetsListenerSet ? `listenerset/${nsName(listenerSet.metadata)}` : "/entireGatewayScope";
        if (claimedScopes.get(gatewayKey)?.has(scopeKey) === true) {
          status.setResolveError(ancestor, {
            reason: "Conflicted",
            message: `Unable to target ${targetsListenerSet ? "ListenerSet" : "Gateway"} ${target.name}, another ClientTrafficPolicy has already attached to it`,
          });
          continue;
        }
        const claimed = [...(claimedSections.get(gatewayKey) ?? [])];
        let overriding: string[];
        if (targetsListenerSet) {
          const prefix = lsPrefix(listenerSet);
          overriding = claimed.filter((s) => s.startsWith(prefix)).map((s) => s.slice(prefix.length));
        } else {
          overriding = claimed.map((s) => s.slice(s.lastIndexOf("/") + 1));
        }
        if (overriding.length > 0) {
          overriding.sort();
          status.set(
            ancestor,
            "Overridden",
            "True",
            "Overridden",
            `There are existing ClientTrafficPolicies that are overriding these sections [${overriding.join(" ")}]`,
          );
        }
        claim(claimedScopes, gatewayKey, scopeKey);

        const errors: string[] = [];
        const http3Off: string[] = [];
        for (const l of gateway.listeners) {
          if (targetsListenerSet && !listenerBelongsTo(l, listenerSet)) continue;
          if (claimedSections.get(gatewayKey)?.has(listenerSectionKey(l)) === true) continue;
          const x = ctx.xdsIR.get(l.gateway.irKey);
          const overlap = validatePortOverlap(l, x, targetsListenerSet ? "listenerSet" : "gateway");
          if (overlap !== undefined) {
            errors.push(overlap);
            continue;
          }
          if (http3Disabled(spec, findHTTP(x, irListenerName(l)))) http3Off.push(l.listener.name);
          const err = translateForListener(policy, l, ctx);
          if (err !== undefined) errors.push(err);
          if (targetsListenerSet) claim(claimedSections, gatewayKey, `${lsPrefix(listenerSet)}${l.listener.name}`);
        }
        const joined = joinErrors(errors);
        if (joined !== undefined) status.setTranslationError(ancestor, conditionMessage(joined));
        status.setAccepted(ancestor);
        if (http3Off.length > 0) status.setWarning(ancestor, "UnsupportedHTTP3ClientValidation", http3WarningMessage(http3Off));
        status.setDeprecatedFields(ancestor, deprecatedFields(spec));
      }
    });
  }

  return handled.map((p) => {
    const st = statuses.get(p) as PolicyStatus;
    st.truncate();
    return { ...p, status: st.json() };
  });
}

/** Applies a policy to one listener's IR; returns the joined error text when some field is invalid. */
function translateForListener(policy: ClientTrafficPolicy, l: ListenerContext, ctx: ClientTrafficPolicyContext): string | undefined {
  const spec = policy.spec;
  const x = ctx.xdsIR.get(l.gateway.irKey);
  const name = irListenerName(l);
  const httpIR = findHTTP(x, name);
  const tcpIR = findTCP(x, name);
  const errors: string[] = [];
  const keepalive = collect(errors, "TCP KeepAlive", buildKeepalive(spec.tcpKeepalive));
  const connection = collect(errors, "Connection", buildConnection(spec.connection));
  let proxyProtocol: ir.ProxyProtocolSettings | undefined;
  if (spec.proxyProtocol !== undefined) proxyProtocol = { optional: spec.proxyProtocol.optional ?? false };
  else if (spec.enableProxyProtocol === true) proxyProtocol = { optional: false };
  const timeout = collect(errors, "Timeout", buildClientTimeout(spec.timeout));

  if (httpIR !== undefined) {
    if (spec.clientIPDetection !== undefined) httpIR.clientIPDetection = spec.clientIPDetection as ir.ClientIPDetectionSettings;
    const headerErrors = joinErrors(translateHeaderSettings(spec.headers, httpIR));
    if (headerErrors !== undefined) errors.push(`Headers: ${headerErrors}`);
    if (spec.path !== undefined) {
      const path = { ...httpIR.path };
      if (spec.path.disableMergeSlashes !== undefined) path.mergeSlashes = !spec.path.disableMergeSlashes;
      if (spec.path.escapedSlashesAction !== undefined) path.escapedSlashesAction = spec.path.escapedSlashesAction as ir.PathEscapedSlashAction;
      httpIR.path = path;
    }
    const h1 = translateHTTP1(spec.http1, connection, httpIR);
    if (h1 !== undefined) errors.push(`HTTP1: ${h1}`);
    const h2 = buildHTTP2(spec.http2);
    if (h2.error !== undefined) errors.push(`HTTP2: ${h2.error}`);
    else if (h2.value !== undefined) httpIR.http2 = h2.value;
    else delete httpIR.http2;
    if (httpIR.tls !== undefined && spec.http3 !== undefined && !http3Disabled(spec, httpIR)) {
      const http3: ir.HTTP3Settings = {};
      httpIR.http3 = http3;
      const proxyListener = (ctx.infraIR.get(l.gateway.irKey)?.listeners ?? []).find((p) => p.name === name);
      if (proxyListener !== undefined) (proxyListener as Mutable<ir.ProxyListener>).http3 = http3;
    }
    if (spec.grpc !== undefined) httpIR.grpc = { ...(httpIR.grpc ?? {}), enableGRPCWeb: spec.grpc.enableWeb ?? false } as ir.GRPCSettings;
    if (spec.healthCheck !== undefined) httpIR.healthCheck = spec.healthCheck as ir.HealthCheckSettings;
    if (spec.scheme === "MatchBackend") httpIR.matchBackendScheme = true;
    const tls = buildListenerTLS(policy, httpIR.tls as Mutable<ir.TLSConfig> | undefined, ctx);
    if (tls.error !== undefined) errors.push(`TLS: ${tls.error}`);
    if (errors.length > 0) {
      for (const route of (httpIR.routes ?? []) as Array<Mutable<ir.HTTPRoute>>) route.directResponse = { statusCode: 500 } as ir.CustomResponse;
      return joinErrors(errors);
    }
    assign(httpIR, "tcpKeepalive", keepalive);
    assign(httpIR, "connection", connection);
    assign(httpIR, "proxyProtocol", proxyProtocol);
    assign(httpIR, "timeout", timeout);
    assign(httpIR, "tls", tls.value);
  }
  if (tcpIR !== undefined) {
    const tls = buildListenerTLS(policy, tcpIR.tls as Mutable<ir.TLSConfig> | undefined, ctx);
    if (tls.error !== undefined) errors.push(`TLS: ${tls.error}`);
    if (errors.length > 0) {
      delete tcpIR.routes;
      return joinErrors(errors);
    }
    assign(tcpIR, "tcpKeepalive", keepalive);
    assign(tcpIR, "connection", connection);
    assign(tcpIR, "proxyProtocol", proxyProtocol);
    assign(tcpIR, "tls", tls.value);
    assign(tcpIR, "timeout", timeout);
  }
  return undefined;
}

function assign<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value === undefined) delete target[key];
  else target[key] = value;
}

type Built<T> = { value?: T; error?: string };

function collect<T>(errors: string[], label: string, built: Built<T>): T | undefined {
  if (built.error !== undefined) {
    errors.push(`${label}: ${built.error}`);
    return undefined;
  }
  return built.value;
}

function seconds(text: string): number | undefined {
  const ns = parseGoDuration(text);
  return ns === undefined ? undefined : Math.trunc(ns / 1e9);
}

function buildKeepalive(k: Spec["tcpKeepalive"]): Built<ir.TCPKeepalive> {
  if (k === undefined) return {};
  const out: Mutable<ir.TCPKeepalive> = {};
  if (k.probes !== undefined) out.probes = k.probes;
  if (k.idleTime !== undefined) {
    const s = seconds(k.idleTime);
    if (s === undefined) return { error: `invalid IdleTime value ${k.idleTime}` };
    out.idleTime = s;
  }
  if (k.interval !== undefined) {
    const s = seconds(k.interval);
    if (s === undefined) return { error: `invalid Interval value ${k.interval}` };
    out.interval = s;
  }
  return { value: out };
}

/**
 * The durations a timeout block sets, in Go's canonical form; the first invalid one is reported with its
 * protocol and upstream's field label.
 */
function canonicalTimeouts(block: object, protocol: string, fields: ReadonlyArray<readonly [string, string]>): Built<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [key, label] of fields) {
    const v = (block as Record<string, string | undefined>)[key];
    if (v === undefined) continue;
    const d = canonicalDuration(v);
    if (d === undefined) return { error: `invalid ${protocol} ${label} value ${v}` };
    out[key] = d;
  }
  return { value: out };
}

function buildClientTimeout(t: Spec["timeout"]): Built<ir.ClientTimeout> {
  if (t === undefined) return {};
  const out: Mutable<ir.ClientTimeout> = {};
  if (t.tcp !== undefined) {
    const tcp = canonicalTimeouts(t.tcp, "TCP", [
      ["idleTimeout", "IdleTimeout"],
      ["tlsHandshakeTimeout", "TLSHandshakeTimeout"],
      ["connectionInspectionTimeout", "ConnectionInspectionTimeout"],
    ]);
    if (tcp.error !== undefined) return { error: tcp.error };
    out.tcp = tcp.value as ir.TCPClientTimeout;
  }
  if (t.http !== undefined) {
    const http = canonicalTimeouts(t.http, "HTTP", [
      ["requestReceivedTimeout", "RequestReceivedTimeout"],
      ["idleTimeout", "IdleTimeout"],
      ["streamIdleTimeout", "StreamIdleTimeout"],
      ["requestHeadersReceivedTimeout", "RequestHeadersReceivedTimeout"],
    ]);
    if (http.error !== undefined) return { error: http.error };
    out.http = http.value as ir.HTTPClientTimeout;
  }
  return { value: out };
}

function buildConnection(c: Spec["connection"]): Built<ir.ClientConnection> {
  if (c === undefined) return {};
  const out: Mutable<ir.ClientConnection> = {};
  const limit = c.connectionLimit;
  if (limit !== undefined) {
    const l: Record<string, unknown> = {};
    if (limit.value !== undefined) l["value"] = limit.value;
    const durations: Array<[keyof typeof limit, string]> = [
      ["closeDelay", "CloseDelay"],
      ["maxConnectionDuration", "MaxConnectionDuration"],
    ];
    for (const [key, label] of durations) {
      const v = limit[key] as string | undefined;
      if (v === undefined) continue;
      const d = canonicalDuration(v);
      if (d === undefined) return { error: `invalid ${label} value ${v}` };
      l[key] = d;
    }
    if (limit.maxRequestsPerConnection !== undefined) l["maxRequestsPerConnection"] = limit.maxRequestsPerConnection;
    if (limit.maxStreamDuration !== undefined) {
      const d = canonicalDuration(limit.maxStreamDuration);
      if (d === undefined) return { error: `invalid MaxStreamDuration value ${limit.maxStreamDuration}` };
      l["maxStreamDuration"] = d;
    }
    out.limit = l as ir.ConnectionLimit;
  }
  if (c.bufferLimit !== undefined) {
    const v = quantityAsInteger(c.bufferLimit);
    if (v === undefined) return { error: `invalid BufferLimit value ${quantityText(c.bufferLimit)}` };
    if (v < 0n || v > 4294967295n) {
      return { error: `BufferLimit value ${quantityText(c.bufferLimit)} is out of range, must be between 0 and 4294967295` };
    }
    out.bufferLimit = Number(v);
  }
  if (c.maxAcceptPerSocketEvent !== undefined) out.maxAcceptPerSocketEvent = c.maxAcceptPerSocketEvent;
  return { value: out };
}

const headerValuePattern = /^[!-~]+([\t ]?[!-~]+)*$/;

interface HeaderModifier {
  readonly add?: ReadonlyArray<{ readonly name: string; readonly value: string }>;
  readonly set?: ReadonlyArray<{ readonly name: string; readonly value: string }>;
  readonly addIfAbsent?: ReadonlyArray<{ readonly name: string; readonly value: string }>;
  readonly remove?: ReadonlyArray<string>;
  readonly removeOnMatch?: ReadonlyArray<{ readonly type?: string; readonly value: string }>;
}

/** Header additions/removals of an early-request or late-response modifier, with every problem found. */
function translateHeaderModifier(
  modifier: HeaderModifier,
  label: string,
): { add: ir.AddHeader[]; remove: string[]; removeOnMatch: ir.StringMatch[]; errors: string[] } {
  const add: ir.AddHeader[] = [];
  const remove: string[] = [];
  const removeOnMatch: ir.StringMatch[] = [];
  const errors: string[] = [];
  const quoted = (s: string): string => `'${JSON.stringify(s)}'`;
  const adder = (list: HeaderModifier["add"], verb: string, make: (name: string, value: string) => ir.AddHeader): void => {
    for (const h of list ?? []) {
      if (h.name === "") {
        errors.push(`${label} cannot ${verb} a header with an empty name`);
        continue;
      }
      if (/[/:]/.test(h.name)) {
        errors.push(`${label} cannot ${verb} a header with a '/' or ':' character in them. Header: ${quoted(h.name)}`);
        continue;
      }
      if (!headerValuePattern.test(h.value)) {
        errors.push(`${label} cannot ${verb} a header with an invalid value. Header: ${quoted(h.name)}`);
        continue;
      }
      if (add.some((a) => a.name.toLowerCase() === h.name.toLowerCase())) continue;
      add.push(make(h.name, h.value));
    }
  };
  adder(modifier.add, "add", (name, value) => ({ name, append: true, value: [value] }) as unknown as ir.AddHeader);
  adder(modifier.set, "set", (name, value) => ({ name, append: false, value: [value] }) as unknown as ir.AddHeader);
  adder(modifier.addIfAbsent, "addIfAbsent", (name, value) => ({ name, addIfAbsent: true, value: [value] }) as unknown as ir.AddHeader);
  for (const name of modifier.remove ?? []) {
    if (name === "") {
      errors.push(`${label} cannot remove a header with an empty name`);
      continue;
    }
    if (remove.some((r) => r.toLowerCase() === name.toLowerCase())) continue;
    remove.push(name);
  }
  for (const match of modifier.removeOnMatch ?? []) {
    if (match.value === "") {
      errors.push(`${label} cannot remove a header with an empty matcher value`);
      continue;
    }
    removeOnMatch.push(irStringMatch("", match));
  }
  if (add.length === 0 && remove.length === 0 && removeOnMatch.length === 0) {
    errors.push(`${label} did not provide valid configuration to add/set/remove any headers`);
  }
  return { add, remove, removeOnMatch, errors };
}

const maxRequestHeaderLimitKB = 8192n;

function translateHeaderSettings(h: Spec["headers"], httpIR: Mutable<ir.HTTPListener>): string[] {
  if (h === undefined) return [];
  const headers: Mutable<ir.HeaderSettings> = {
    enableEnvoyHeaders: h.enableEnvoyHeaders ?? false,
    disableRateLimitHeaders: h.disableRateLimitHeaders ?? false,
    withUnderscoresAction: (h.withUnderscoresAction ?? "RejectRequest") as ir.WithUnderscoresAction,
  };
  httpIR.headers = headers;
  if (h.requestID !== undefined) headers.requestID = h.requestID as ir.RequestIDAction;
  else if (h.preserveXRequestID === true) headers.requestID = "PreserveOrGenerate";
  if (h.xForwardedClientCert !== undefined) {
    const mode = h.xForwardedClientCert.mode ?? "Sanitize";
    const xfcc: Mutable<ir.XForwardedClientCert> = { mode: mode as ir.egv1a1.XFCCForwardMode };
    if ((mode === "AppendForward" || mode === "SanitizeSet") && h.xForwardedClientCert.certDetailsToAdd !== undefined) {
      xfcc.certDetailsToAdd = h.xForwardedClientCert.certDetailsToAdd as NonNullable<ir.XForwardedClientCert["certDetailsToAdd"]>;
    }
    headers.xForwardedClientCert = xfcc;
  }
  const strip = (h as { host?: { stripTrailingHostDot?: boolean } }).host?.stripTrailingHostDot;
  if (strip !== undefined) httpIR.host = { stripTrailingHostDot: strip };
  const errors: string[] = [];
  const limit = (h as { maxRequestHeaderLimit?: number | string }).maxRequestHeaderLimit;
  if (limit !== undefined) {
    const bytes = quantityAsInteger(limit);
    if (bytes === undefined || bytes < 1024n) errors.push(`MaxRequestHeaderLimit value ${quantityText(limit)} must be at least 1Ki`);
    else if (bytes > maxRequestHeaderLimitKB * 1024n) {
      errors.push(`MaxRequestHeaderLimit value ${quantityText(limit)} exceeds the maximum of ${maxRequestHeaderLimitKB}Ki`);
    } else headers.maxRequestHeadersKB = Number((bytes + 1023n) / 1024n);
  }
  const early = h.earlyRequestHeaders as HeaderModifier | undefined;
  if (early !== undefined) {
    const m = translateHeaderModifier(early, "EarlyRequestHeaders");
    errors.push(...m.errors);
    if (m.add.length > 0) headers.earlyAddRequestHeaders = m.add;
    if (m.remove.length > 0) headers.earlyRemoveRequestHeaders = m.remove;
    if (m.removeOnMatch.length > 0) headers.earlyRemoveRequestHeadersOnMatch = m.removeOnMatch;
  }
  const late = (h as { lateResponseHeaders?: HeaderModifier }).lateResponseHeaders;
  if (late !== undefined) {
    const m = translateHeaderModifier(late, "LateResponseHeaders");
    errors.push(...m.errors);
    if (m.add.length > 0) headers.lateAddResponseHeaders = m.add;
    if (m.remove.length > 0) headers.lateRemoveResponseHeaders = m.remove;
    if (m.removeOnMatch.length > 0) headers.lateRemoveResponseHeadersOnMatch = m.removeOnMatch;
  }
  return errors;
}

function translateHTTP1(h: Spec["http1"], connection: ir.ClientConnection | undefined, httpIR: Mutable<ir.HTTPListener>): string | undefined {
  if (h === undefined) return undefined;
  const upgrades = ((h as { ignoredUpgradeTypes?: ReadonlyArray<{ type?: string; value: string }> }).ignoredUpgradeTypes ?? []).map((m) =>
    irStringMatch("", m),
  );
  const http1: Mutable<ir.HTTP1Settings> = {
    enableTrailers: h.enableTrailers ?? false,
    preserveHeaderCase: h.preserveHeaderCase ?? false,
  };
  if (upgrades.length > 0) http1.ignoredUpgradeTypes = upgrades;
  if (connection?.limit?.maxConnectionDuration !== undefined) {
    http1.disableSafeMaxConnectionDuration = (h as { disableSafeMaxConnectionDuration?: boolean }).disableSafeMaxConnectionDuration ?? false;
  }
  httpIR.http1 = http1;
  if (h.http10 !== undefined) {
    let defaultHost: string | undefined;
    if (h.http10.useDefaultHost === true) {
      defaultHost = (httpIR.hostnames ?? []).find((n) => !n.includes("*"));
      if (defaultHost === undefined) {
        let matching = 0;
        for (const route of httpIR.routes ?? []) {
          const host = (route as { hostname?: string }).hostname ?? "";
          if (host !== "" && !host.includes("*")) {
            matching++;
            defaultHost = host;
          }
          if (matching > 1) break;
        }
        if (matching === 0) return "cannot set http10 default host on listener with only wildcard hostnames";
        if (matching > 1) return "cannot set http10 default host on listener with only wildcard hostnames and more than one possible default route";
      }
    }
    http1.http10 = defaultHost !== undefined ? { defaultHost } : {};
  }
  return undefined;
}

const minWindow = 65535n;
const maxWindow = 2147483647n;

function buildHTTP2(h: Spec["http2"]): Built<ir.HTTP2Settings> {
  if (h === undefined) return {};
  const out: Mutable<ir.HTTP2Settings> = {};
  const errors: string[] = [];
  const window = (value: number | string | undefined, label: string): number | undefined => {
    if (value === undefined) return undefined;
    const v = quantityAsInteger(value);
    if (v === undefined) {
      errors.push(`invalid ${label} value ${quantityText(value)}`);
      return undefined;
    }
    if (v < minWindow || v > maxWindow) {
      errors.push(`${label} value ${quantityText(value)} is out of range, must be between ${minWindow} and ${maxWindow}`);
      return undefined;
    }
    return Number(v);
  };
  // Upstream's IR swaps the JSON names of the two window sizes; the IR JSON follows upstream's names.
  const stream = window(h.initialStreamWindowSize, "InitialStreamWindowSize");
  if (stream !== undefined) out.initialConnectionWindowSize = stream;
  const conn = window(h.initialConnectionWindowSize, "InitialConnectionWindowSize");
  if (conn !== undefined) out.initialStreamWindowSize = conn;
  if (h.maxConcurrentStreams !== undefined) out.maxConcurrentStreams = h.maxConcurrentStreams;
  if (h.onInvalidMessage === "TerminateStream") out.resetStreamOnError = true;
  else if (h.onInvalidMessage === "TerminateConnection") out.resetStreamOnError = false;
  const ka = (h as { connectionKeepalive?: { interval?: string; timeout?: string; intervalJitter?: number; idleInterval?: string } }).connectionKeepalive;
  if (ka !== undefined) {
    const keepalive: Mutable<ir.HTTP2KeepaliveSettings> = {};
    for (const key of ["interval", "timeout", "idleInterval"] as const) {
      const v = ka[key];
      if (v === undefined) continue;
      const d = canonicalDuration(v);
      const label = key === "interval" ? "Interval" : key === "timeout" ? "Timeout" : "IdleInterval";
      if (d === undefined) errors.push(`invalid ConnectionKeepalive.${label}: ${goDurationMessage(v)}`);
      else keepalive[key] = d;
    }
    if (ka.intervalJitter !== undefined) keepalive.intervalJitter = ka.intervalJitter;
    out.connectionKeepalive = keepalive;
  }
  return errors.length > 0 ? { error: errors.join("\n") } : { value: out };
}

const validCiphers = new Set([
  "ECDHE-ECDSA-AES128-GCM-SHA256",
  "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
  "ECDHE-RSA-AES128-GCM-SHA256",
  "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
  "ECDHE-ECDSA-AES256-GCM-SHA384",
  "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
  "ECDHE-RSA-AES256-GCM-SHA384",
  "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
  "ECDHE-ECDSA-CHACHA20-POLY1305",
  "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
  "ECDHE-RSA-CHACHA20-POLY1305",
  "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
  "ECDHE-ECDSA-AES128-SHA",
  "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
  "ECDHE-RSA-AES128-SHA",
  "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
  "AES128-GCM-SHA256",
  "TLS_RSA_WITH_AES_128_GCM_SHA256",
  "AES128-SHA",
  "TLS_RSA_WITH_AES_128_CBC_SHA",
  "ECDHE-ECDSA-AES256-SHA",
  "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
  "ECDHE-RSA-AES256-SHA",
  "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
  "AES256-GCM-SHA384",
  "TLS_RSA_WITH_AES_256_GCM_SHA384",
  "AES256-SHA",
  "TLS_RSA_WITH_AES_256_CBC_SHA",
]);

type SecretObjectRef = { readonly group?: string; readonly kind?: string; readonly name: string; readonly namespace?: string };

/** The data at one of `keys` (or the only entry) of a referenced Secret, ConfigMap or ClusterTrustBundle. */
function dataAtRef(ref: SecretObjectRef, policyNamespace: string, keys: string[], index: ResourceIndex): Built<Buffer> {
  const kind = ref.kind ?? "Secret";
  const pick = <T>(data: Readonly<Record<string, T>>): T | undefined => {
    for (const k of keys) if (data[k] !== undefined) return data[k];
    const values = Object.values(data);
    return values.length === 1 ? values[0] : undefined;
  };
  const checkRef = (): string | undefined => {
    if (ref.group !== undefined && ref.group !== "") return "secret ref group must be unspecified/empty";
    if (kind !== "Secret" && kind !== "ConfigMap") return "secret ref kind must be Secret";
    if (ref.namespace !== undefined && ref.namespace !== "" && ref.namespace !== policyNamespace) {
      const permitted = isReferencePermitted(
        { group: "gateway.envoyproxy.io", kind: "ClientTrafficPolicy", namespace: policyNamespace },
        { group: "", kind, namespace: ref.namespace, name: ref.name },
        index.referenceGrants,
      );
      if (!permitted) return `ref to ${kind} ${ref.namespace}/${ref.name} not permitted by any ReferenceGrant`;
    }
    return undefined;
  };
  const ns = ref.namespace !== undefined && ref.namespace !== "" ? ref.namespace : policyNamespace;
  switch (kind) {
    case "Secret": {
      const bad = checkRef();
      if (bad !== undefined) return { error: bad };
      const secret = index.secret(ns, ref.name);
      if (secret === undefined) return { error: `secret ${ns}/${ref.name} does not exist` };
      const b64 = pick(secret.data ?? {});
      if (b64 === undefined || b64 === "") {
        return { error: `ref secret [${ref.name}] has none of the expected keys [${keys.join(" ")}] and more than one entry` };
      }
      return { value: Buffer.from(b64, "base64") };
    }
    case "ConfigMap": {
      const bad = checkRef();
      if (bad !== undefined) return { error: bad };
      const cm = index.configMap(ns, ref.name);
      if (cm === undefined) return { error: `configmap ${ns}/${ref.name} does not exist` };
      const text = pick(cm.data ?? {});
      if (text === undefined || text === "") {
        return { error: `ref configmap [${ref.name}] has none of the expected keys [${keys.join(" ")}] and more than one entry` };
      }
      return { value: Buffer.from(text, "latin1") };
    }
    case "ClusterTrustBundle": {
      const ctb = (index.resources.clusterTrustBundles ?? []).find((c) => c.metadata.name === ref.name);
      if (ctb === undefined) return { error: `ref ClusterTrustBundle [${ref.name}] not found` };
      return { value: Buffer.from((ctb as { spec?: { trustBundle?: string } }).spec?.trustBundle ?? "", "latin1") };
    }
    default:
      return { error: `unsupported ref kind:${kind}` };
  }
}

/** Keeps the currently valid certificates of a CA bundle; errors when none is left. */
function validCACertificates(data: Buffer, now: Date): { data?: Buffer; error?: string } {
  if (data.length === 0) return { error: "no certificate data provided" };
  const valid: Buffer[] = [];
  const errors: string[] = [];
  for (const block of decodePemBlocks(data)) {
    const checked = checkCertBlock(block, now);
    if (checked.error !== undefined) errors.push(checked.error);
    else valid.push(encodePemBlock(block));
  }
  if (valid.length === 0) return { error: errors.length > 0 ? errors.join("\n") : "unable to decode pem data for certificate" };
  return { data: Buffer.concat(valid) };
}

function appendDedup(dst: Buffer, src: Buffer, seen: Set<string>): Buffer {
  const out: Buffer[] = [dst];
  for (const block of decodePemBlocks(src)) {
    if (block.type !== "CERTIFICATE") continue;
    const hash = createHash("sha256").update(block.bytes).digest("hex");
    if (seen.has(hash)) continue;
    seen.add(hash);
    out.push(encodePemBlock(block));
  }
  return Buffer.concat(out);
}

function buildListenerTLS(policy: ClientTrafficPolicy, tls: Mutable<ir.TLSConfig> | undefined, ctx: ClientTrafficPolicyContext): Built<ir.TLSConfig> {
  if (tls === undefined) return {};
  const params = policy.spec.tls;
  tls.minVersion = "1.2";
  tls.maxVersion = "1.3";
  if (params === undefined) return { value: tls };
  if (params.alpnProtocols !== undefined) tls.alpnProtocols = [...params.alpnProtocols];
  if (params.minVersion !== undefined) tls.minVersion = params.minVersion as ir.TLSVersion;
  if (params.maxVersion !== undefined) tls.maxVersion = params.maxVersion as ir.TLSVersion;
  if (params.ciphers !== undefined && params.ciphers.length > 0) {
    const bad = params.ciphers.find((c) => !validCiphers.has(c));
    if (bad !== undefined) return { error: `unsupported cipher suite: ${bad}` };
    tls.ciphers = [...params.ciphers];
  }
  if (params.ecdhCurves !== undefined && params.ecdhCurves.length > 0) tls.ecdhCurves = [...params.ecdhCurves];
  if (params.signatureAlgorithms !== undefined && params.signatureAlgorithms.length > 0) tls.signatureAlgorithms = [...params.signatureAlgorithms];
  const fingerprints = (params as { fingerprints?: ReadonlyArray<string> }).fingerprints;
  if (fingerprints !== undefined) tls.fingerprints = fingerprints as ir.TLSFingerprintType[];
  const cv = params.clientValidation;
  if (cv !== undefined) {
    const policyNamespace = policy.metadata.namespace ?? "";
    const mode = (cv as { mode?: string }).mode ?? (cv.optional === true ? "VerifyIfGiven" : "RequireAndVerify");
    tls.clientValidationEnabled = true;
    tls.requireClientCertificate = mode === "RequireAny" || mode === "RequireAndVerify" || !["Request", "VerifyIfGiven"].includes(mode);
    tls.acceptUntrusted = mode === "Request" || mode === "RequireAny";
    let certificate: Buffer = Buffer.alloc(0);
    const seen = new Set<string>();
    for (const ref of cv.caCertificateRefs ?? []) {
      const data = dataAtRef(ref, policyNamespace, ["ca.crt"], ctx.index);
      if (data.error !== undefined) return { error: `failed to get certificate from ref: ${data.error}` };
      const valid = validCACertificates(data.value as Buffer, ctx.now);
      if (valid.data === undefined) return { error: `no valid certificates exist in ${ref.name}: ${valid.error ?? ""}` };
      certificate = appendDedup(certificate, valid.data, seen);
    }
    if ((mode === "VerifyIfGiven" || mode === "RequireAndVerify") && certificate.length === 0) {
      if ((cv as { mode?: string }).mode === undefined && cv.optional === true) {
        return { error: `tls.clientValidation.optional=true requires caCertificateRefs (maps to mode "${mode}")` };
      }
      return { error: `tls.clientValidation.mode "${mode}" requires caCertificateRefs` };
    }
    if (certificate.length > 0) tls.caCertificate = { name: `${policyNamespace}/${policy.metadata.name}/ca.crt`, certificate };
    applyValidationContext(cv as ValidationContext, tls);
    const crl = (cv as { crl?: { refs?: ReadonlyArray<SecretObjectRef>; onlyVerifyLeafCertificate?: boolean } }).crl;
    if (crl !== undefined) {
      const parts: Buffer[] = [];
      for (const ref of crl.refs ?? []) {
        const data = dataAtRef(ref, policyNamespace, ["ca.crl"], ctx.index);
        if (data.error !== undefined) return { error: `failed to get crl from ref: ${data.error}` };
        const problem = parseCrlValidity(data.value as Buffer, ctx.now);
        if (problem !== undefined) return { error: `invalid crl in ${ref.name}: ${problem}` };
        parts.push(data.value as Buffer);
      }
      const bytes = Buffer.concat(parts);
      if (bytes.length > 0) {
        const irCrl: Mutable<ir.TLSCrl> = { name: `${policyNamespace}/${policy.metadata.name}/ca.crl`, data: bytes };
        if (crl.onlyVerifyLeafCertificate !== undefined) irCrl.onlyVerifyLeafCertificate = crl.onlyVerifyLeafCertificate;
        tls.crl = irCrl;
      }
    }
  }
  const resumption = (params as { session?: { resumption?: { stateless?: unknown; stateful?: unknown } } }).session?.resumption;
  if (resumption?.stateless !== undefined) tls.statelessSessionResumption = true;
  if (resumption?.stateful !== undefined) tls.statefulSessionResumption = true;
  return { value: tls };
}

interface ValidationContext {
  readonly spkiHashes?: ReadonlyArray<string>;
  readonly certificateHashes?: ReadonlyArray<string>;
  readonly allowExpiredCertificate?: boolean;
  readonly subjectAltNames?: {
    readonly dnsNames?: ReadonlyArray<{ type?: string; value: string }>;
    readonly emailAddresses?: ReadonlyArray<{ type?: string; value: string }>;
    readonly ipAddresses?: ReadonlyArray<{ type?: string; value: string }>;
    readonly uris?: ReadonlyArray<{ type?: string; value: string }>;
    readonly otherNames?: ReadonlyArray<{ oid: string; type?: string; value: string }>;
  };
}

function applyValidationContext(cv: ValidationContext, tls: Mutable<ir.TLSConfig>): void {
  if (cv.spkiHashes !== undefined && cv.spkiHashes.length > 0) tls.verifyCertificateSpki = [...(tls.verifyCertificateSpki ?? []), ...cv.spkiHashes];
  if (cv.certificateHashes !== undefined && cv.certificateHashes.length > 0) {
    tls.verifyCertificateHash = [...(tls.verifyCertificateHash ?? []), ...cv.certificateHashes];
  }
  if (cv.allowExpiredCertificate === true) tls.allowExpiredCertificate = true;
  const san = cv.subjectAltNames;
  if (san === undefined) return;
  const matches = [...(tls.matchTypedSubjectAltNames ?? [])];
  for (const m of san.dnsNames ?? []) matches.push(irStringMatch("DNS", m));
  for (const m of san.emailAddresses ?? []) matches.push(irStringMatch("EMAIL", m));
  for (const m of san.ipAddresses ?? []) matches.push(irStringMatch("IP_ADDRESS", m));
  for (const m of san.uris ?? []) matches.push(irStringMatch("URI", m));
  for (const m of san.otherNames ?? []) matches.push(irStringMatch(m.oid, m));
  if (matches.length > 0) tls.matchTypedSubjectAltNames = matches;
}
