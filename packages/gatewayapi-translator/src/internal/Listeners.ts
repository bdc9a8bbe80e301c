// Listener validation, conflict detection and listener conditions (upstream listener.go / validate.go).
import type { X509Certificate } from "node:crypto";
import { type LabelSelectorLike, labelSelectorMatches, type Secret } from "@egts/api";
import { condition, setCondition } from "./Conditions.js";
import {
  parseCertBlock,
  validityError,
  decodePemBlocks,
  dnsNames,
  commonName,
  encodePemBlock,
  firstPrivateKeyBlock,
  keyMatchesCertificate,
  privateKeyParses,
  publicKeyAlgorithm,
} from "./Certificates.js";
import { isReferencePermitted, type ResourceIndex } from "./Index.js";
import { sdsConfig } from "./BackendTLS.js";
import { listenerNamespace, type GatewayContext, type ListenerContext, type RouteGroupKind, type TranslateOptions } from "./Model.js";

const gatewayGroup = "gateway.networking.k8s.io";

/** Sets a listener condition; ListenerSet listeners report "Invalid" as "ListenersNotValid". */
export function setListenerCondition(l: ListenerContext, type: string, status: "True" | "False", reason: string, message: string): void {
  const r = l.listenerSet !== undefined && reason === "Invalid" ? "ListenersNotValid" : reason;
  const generation = l.listenerSet !== undefined ? l.listenerSet.listenerSet.metadata.generation : l.gateway.gateway.metadata.generation;
  setCondition(l.status.conditions, condition(type, status, r, message, generation));
}

function allowedRouteKindsForProtocol(protocol: string, tlsMode: string | undefined): string[] {
  switch (protocol) {
    case "HTTP":
    case "HTTPS":
      return ["HTTPRoute", "GRPCRoute"];
    case "TLS":
      return tlsMode === "Passthrough" ? ["TLSRoute"] : ["TCPRoute", "TLSRoute"];
    case "TCP":
      return ["TCPRoute"];
    case "UDP":
      return ["UDPRoute"];
    default:
      return [];
  }
}

/** Whether the protocol is one Envoy Gateway serves. */
export function isSupportedListenerProtocol(protocol: string): boolean {
  return ["HTTP", "HTTPS", "TLS", "TCP", "UDP"].includes(protocol);
}

/** A label selector as written in Gateway API objects. */
export type Selector = LabelSelectorLike;

/** Whether a namespace's labels satisfy a label selector (the one implementation, @egts/api's). */
export const selectorMatches = labelSelectorMatches;

function validateAllowedNamespaces(l: ListenerContext): boolean {
  const ns = l.listener.allowedRoutes?.namespaces;
  if (ns?.from === "Selector" && ns.selector !== undefined) {
    for (const expr of ns.selector.matchExpressions ?? []) {
      const values = expr.values ?? [];
      let problem: string | undefined;
      if ((expr.operator === "In" || expr.operator === "NotIn") && values.length === 0) problem = "for 'in', 'notin' operators, values set can't be empty";
      else if ((expr.operator === "Exists" || expr.operator === "DoesNotExist") && values.length > 0)
        problem = "values set must be empty for exists and does not exist";
      else if (!["In", "NotIn", "Exists", "DoesNotExist"].includes(expr.operator)) {
        setListenerCondition(
          l,
          "Programmed",
          "False",
          "Invalid",
          `The allowedRoutes.namespaces.selector could not be parsed: ${JSON.stringify(expr.operator)} is not a valid label selector operator.`,
        );
        return false;
      }
      if (problem !== undefined) {
        setListenerCondition(
          l,
          "Programmed",
          "False",
          "Invalid",
          `The allowedRoutes.namespaces.selector could not be parsed: values: Invalid value: [${values.map((v) => JSON.stringify(v)).join(" ")}]: ${problem}.`,
        );
        return false;
      }
    }
  }
  if (ns?.from === "Selector" && ns.selector === undefined) {
    setListenerCondition(
      l,
      "Programmed",
      "False",
      "Invalid",
      'The allowedRoutes.namespaces.selector field must be specified when allowedRoutes.namespaces.from is set to "Selector".',
    );
    return false;
  }
  return true;
}

function goKindList(kinds: ReadonlyArray<string>): string {
  return `[${kinds.join(" ")}]`;
}

function validateAllowedRoutes(l: ListenerContext, routeKinds: ReadonlyArray<string>): boolean {
  const requested = l.listener.allowedRoutes?.kinds;
  if (requested === undefined || requested.length === 0) {
    l.status.supportedKinds = routeKinds.map((kind) => ({ group: gatewayGroup, kind }));
    return true;
  }
  let valid = true;
  const supported: RouteGroupKind[] = [];
  const supportedNames: string[] = [];
  const unsupported: string[] = [];
  for (const kind of requested) {
    if (kind.group !== undefined && kind.group !== gatewayGroup) {
      setListenerCondition(l, "ResolvedRefs", "False", "InvalidRouteKinds", `Group is not supported, group must be ${gatewayGroup}`);
      valid = false;
      continue;
    }
    if (routeKinds.includes(kind.kind)) {
      supported.push(kind.group === undefined ? { kind: kind.kind } : { group: kind.group, kind: kind.kind });
      supportedNames.push(kind.kind);
    } else unsupported.push(kind.kind);
  }
  for (const kind of unsupported) {
    const printed = supported.length === 0 ? routeKinds : supportedNames;
    setListenerCondition(l, "ResolvedRefs", "False", "InvalidRouteKinds", `${kind} is not supported, kind must be one of ${goKindList(printed)}`);
    valid = false;
  }
  l.status.supportedKinds = supported;
  return valid;
}

interface CertError {
  readonly message: string;
  readonly reason: string;
}

function secretBytes(secret: Secret, key: string): Buffer {
  const b64 = secret.data?.[key];
  if (b64 !== undefined) return Buffer.from(b64, "base64");
  const plain = secret.stringData?.[key];
  return plain !== undefined ? Buffer.from(plain) : Buffer.alloc(0);
}

/** A TLS secret whose certificate chain and key were normalized to canonical PEM. */
export interface ResolvedTLSSecret {
  readonly secret: Secret;
  readonly certificate: Buffer;
  readonly privateKey: Buffer;
  readonly sds: boolean;
}

/**
 * What the checks of a listener's TLS Secret find that does not depend on the time: each certificate block
 * parsed (up to the first that does not), and the key checked against the first certificate, or the first
 * problem of the key. The validity periods are checked against `now` on every use.
 */
export interface TlsSecretFacts {
  /** Set when tls.crt holds no data at all. */
  readonly noData: boolean;
  readonly blocks: ReadonlyArray<{ readonly cert?: X509Certificate; readonly error?: string; readonly pem: Buffer }>;
  /** Why tls.key fails (its own problem, or not matching the first certificate); undefined when it passes. */
  readonly keyError?: string;
  readonly privateKey?: Buffer;
}

function tlsSecretFactsOf(secret: Secret): TlsSecretFacts {
  const certData = secretBytes(secret, "tls.crt");
  if (certData.length === 0) return { noData: true, blocks: [] };
  const blocks: Array<{ cert?: X509Certificate; error?: string; pem: Buffer }> = [];
  for (const block of decodePemBlocks(certData)) {
    const parsed = parseCertBlock(block);
    blocks.push({ ...parsed, pem: encodePemBlock(block) });
    if (parsed.error !== undefined) break;
  }
  const leaf = blocks[0]?.cert;
  if (leaf === undefined) return { noData: false, blocks };
  const keyBlock = firstPrivateKeyBlock(secretBytes(secret, "tls.key"));
  if (keyBlock === undefined) return { noData: false, blocks, keyError: "must contain valid tls.crt and tls.key, unable to decode pem data in tls.key" };
  const formats: Record<string, string> = { "PRIVATE KEY": "PKCS8", "RSA PRIVATE KEY": "PKCS1", "EC PRIVATE KEY": "EC" };
  const format = formats[keyBlock.type];
  if (format === undefined)
    return {
      noData: false,
      blocks,
      keyError: `must contain valid tls.crt and tls.key, ${keyBlock.type} key format found in tls.key, supported formats are PKCS1, PKCS8 or EC`,
    };
  if (!privateKeyParses(keyBlock))
    return { noData: false, blocks, keyError: `must contain valid tls.crt and tls.key, unable to parse ${format} formatted private key in tls.key` };
  if (!keyMatchesCertificate(leaf, keyBlock))
    return { noData: false, blocks, keyError: "must contain a matching tls.crt and tls.key: tls: private key does not match public key" };
  return { noData: false, blocks, privateKey: encodePemBlock(keyBlock) };
}

function parseTLSSecrets(
  secrets: ReadonlyArray<Secret>,
  now: Date,
  memo: WeakMap<object, TlsSecretFacts> | undefined,
): { valid: ResolvedTLSSecret[]; dnsNames: string[]; error?: CertError } {
  const errs: string[] = [];
  const valid: ResolvedTLSSecret[] = [];
  const names: string[] = [];
  const algorithmDomains = new Set<string>();
  let certCount = 0;
  for (const secret of secrets) {
    const id = `${secret.metadata.namespace ?? ""}/${secret.metadata.name}`;
    let facts = memo?.get(secret);
    if (facts === undefined) {
      facts = tlsSecretFactsOf(secret);
      memo?.set(secret, facts);
    }
    // The serving chain must be intact: one bad member rejects the secret.
    let chainError: string | undefined;
    const chain: Buffer[] = [];
    let leaf: X509Certificate | undefined;
    if (facts.noData) chainError = "no certificate data provided";
    else {
      for (const block of facts.blocks) {
        const error = block.cert === undefined ? block.error : validityError(block.cert, now);
        if (error !== undefined) {
          chainError = error;
          break;
        }
        leaf ??= block.cert;
        chain.push(block.pem);
      }
      if (chainError === undefined && chain.length === 0) chainError = "unable to decode pem data for certificate";
    }
    if (chainError !== undefined || leaf === undefined) {
      errs.push(`${id} must contain valid tls.crt and tls.key, unable to validate certificate in tls.crt: ${chainError ?? ""}`);
      continue;
    }
    if (facts.keyError !== undefined || facts.privateKey === undefined) {
      errs.push(`${id} ${facts.keyError ?? ""}`);
      continue;
    }
    const algorithm = publicKeyAlgorithm(leaf);
    const sans = dnsNames(leaf);
    const domains = sans.length > 0 ? sans : commonName(leaf) !== "" ? [commonName(leaf)] : [];
    let conflict = false;
    for (const domain of new Set(domains)) {
      const key = `${algorithm}/${domain}`;
      if (algorithmDomains.has(key)) {
        errs.push(`${id} public key algorithm must be unique, certificate domain ${domain} has a conflicting algorithm [${algorithm}]`);
        conflict = true;
        break;
      }
      algorithmDomains.add(key);
    }
    if (conflict) continue;
    valid.push({ secret, certificate: Buffer.concat(chain), privateKey: facts.privateKey, sds: false });
    names.push(...sans);
    certCount++;
  }
  if (errs.length > 0) {
    return certCount === 0
      ? { valid: [], dnsNames: [], error: { message: errs.join("\n"), reason: "InvalidCertificateRef" } }
      : { valid, dnsNames: names, error: { message: errs.join("\n"), reason: "PartiallyInvalidCertificateRef" } };
  }
  return { valid, dnsNames: names };
}

/** Resolved TLS material of each listener, keyed by listener context. */
export type ListenerTLS = Map<ListenerContext, ResolvedTLSSecret[]>;

function validateTerminateMode(
  l: ListenerContext,
  index: ResourceIndex,
  options: TranslateOptions,
  now: Date,
): { secrets: ResolvedTLSSecret[]; dnsNames: string[]; ok: boolean } {
  const refs = l.listener.tls?.certificateRefs ?? [];
  if (refs.length === 0) {
    setListenerCondition(l, "Programmed", "False", "Invalid", "Listener must have at least 1 TLS certificate ref");
    return { secrets: [], dnsNames: [], ok: false };
  }
  const errs: CertError[] = [];
  const tlsSecrets: Secret[] = [];
  const sdsSecrets: Secret[] = [];
  const ordered: Secret[] = [];
  const seenSds = new Set<string>();
  const ns = listenerNamespace(l);
  refs.forEach((ref, idx) => {
    if (ref.group !== undefined && ref.group !== "") {
      errs.push({ message: `certificate refs ${idx}: Listener's TLS certificate ref group must be unspecified/empty.`, reason: "InvalidCertificateRef" });
      return;
    }
    if (ref.kind !== undefined && ref.kind !== "Secret") {
      errs.push({ message: `certificate refs ${idx}: Listener's TLS certificate ref kind must be Secret.`, reason: "InvalidCertificateRef" });
      return;
    }
    let secretNs = ns;
    if (ref.namespace !== undefined && ref.namespace !== "" && ref.namespace !== ns) {
      const from =
        l.listenerSet !== undefined ? { group: gatewayGroup, kind: "ListenerSet", namespace: ns } : { group: gatewayGroup, kind: "Gateway", namespace: ns };
      if (!isReferencePermitted(from, { group: "", kind: "Secret", namespace: ref.namespace, name: ref.name }, index.referenceGrants)) {
        errs.push({
          message: `certificate refs ${idx}: Certificate ref to secret ${ref.namespace}/${ref.name} not permitted by any ReferenceGrant.`,
          reason: "RefNotPermitted",
        });
        return;
      }
      secretNs = ref.namespace;
    }
    const secret = index.secret(secretNs, ref.name);
    if (secret === undefined) {
      errs.push({ message: `certificate refs ${idx}: Secret ${secretNs}/${ref.name} does not exist.`, reason: "InvalidCertificateRef" });
      return;
    }
    if (secret.type === "gateway.envoyproxy.io/sds") {
      if (options.sdsSecretRefEnabled !== true) {
        errs.push({
          message: `certificate refs ${idx}: SDS Secret ${secretNs}/${ref.name} cannot be used because SDS Secret references are not enabled in EnvoyGateway configuration.`,
          reason: "InvalidCertificateRef",
        });
        return;
      }
      const cfg = sdsConfig(secret);
      if (typeof cfg === "string") {
        errs.push({
          message: `certificate refs ${idx}: Secret ${secretNs}/${ref.name} is not a valid SDS reference secret: ${cfg}.`,
          reason: "InvalidCertificateRef",
        });
        return;
      }
      const key = `${secret.metadata.namespace ?? ""}/${secret.metadata.name}`;
      if (seenSds.has(key)) return;
      seenSds.add(key);
      sdsSecrets.push(secret);
      ordered.push(secret);
      return;
    }
    if (secret.type !== "kubernetes.io/tls") {
      errs.push({ message: `certificate refs ${idx}: Secret ${secretNs}/${ref.name} must be of type kubernetes.io/tls.`, reason: "InvalidCertificateRef" });
      return;
    }
    if (secretBytes(secret, "tls.crt").length === 0 || secretBytes(secret, "tls.key").length === 0) {
      errs.push({ message: `certificate refs ${idx}: Secret ${secretNs}/${ref.name} must contain tls.crt and tls.key.`, reason: "InvalidCertificateRef" });
      return;
    }
    tlsSecrets.push(secret);
    ordered.push(secret);
  });
  if (tlsSecrets.length + sdsSecrets.length === 0) {
    const reason = errs.every((e) => e.reason === "RefNotPermitted") ? "RefNotPermitted" : "InvalidCertificateRef";
    setListenerCondition(l, "ResolvedRefs", "False", reason, `No valid secrets exist: ${errs.map((e) => e.message).join("\n")}`);
    return { secrets: [], dnsNames: [], ok: false };
  }
  const parsed = parseTLSSecrets(tlsSecrets, now, index.observer?.tlsSecrets);
  if (parsed.error !== undefined) {
    if (parsed.error.reason !== "PartiallyInvalidCertificateRef") {
      if (parsed.valid.length === 0 && sdsSecrets.length > 0) errs.push(parsed.error);
      else {
        setListenerCondition(l, "ResolvedRefs", "False", parsed.error.reason, `No valid secrets exist: ${parsed.error.message}.`);
        return { secrets: [], dnsNames: [], ok: false };
      }
    } else errs.push(parsed.error);
  }
  if (errs.length > 0) {
    setListenerCondition(l, "ResolvedRefs", "False", "PartiallyInvalidCertificateRef", `Some secrets are invalid: ${errs.map((e) => e.message).join("\n")}`);
  }
  const byName = new Map<string, ResolvedTLSSecret[]>();
  for (const v of parsed.valid) {
    const key = `${v.secret.metadata.namespace ?? ""}/${v.secret.metadata.name}`;
    byName.set(key, [...(byName.get(key) ?? []), v]);
  }
  const resolved: ResolvedTLSSecret[] = [];
  for (const secret of ordered) {
    if (secret.type === "gateway.envoyproxy.io/sds") {
      resolved.push({ secret, certificate: Buffer.alloc(0), privateKey: Buffer.alloc(0), sds: true });
      continue;
    }
    const key = `${secret.metadata.namespace ?? ""}/${secret.metadata.name}`;
    const matching = byName.get(key) ?? [];
    const first = matching[0];
    if (first === undefined) continue;
    resolved.push(first);
    byName.set(key, matching.slice(1));
  }
  return { secrets: resolved, dnsNames: parsed.dnsNames, ok: true };
}

function validateTLSConfiguration(l: ListenerContext, index: ResourceIndex, options: TranslateOptions, tls: ListenerTLS, now: Date): boolean {
  const { protocol } = l.listener;
  const listenerTls = l.listener.tls;
  switch (protocol) {
    case "HTTP":
    case "UDP":
    case "TCP":
      if (listenerTls !== undefined) {
        setListenerCondition(l, "Programmed", "False", "Invalid", `Listener must not have TLS set when protocol is ${protocol}.`);
        return false;
      }
      return true;
    case "HTTPS": {
      if (listenerTls === undefined) {
        setListenerCondition(l, "Programmed", "False", "Invalid", `Listener must have TLS set when protocol is ${protocol}.`);
        return false;
      }
      if (listenerTls.mode !== undefined && listenerTls.mode !== "Terminate") {
        setListenerCondition(l, "Programmed", "False", "UnsupportedTLSMode", `TLS ${listenerTls.mode} mode is not supported, TLS mode must be Terminate.`);
        return false;
      }
      const result = validateTerminateMode(l, index, options, now);
      tls.set(l, result.secrets);
      l.certDNSNames = result.dnsNames;
      return result.ok;
    }
    case "TLS": {
      if (listenerTls === undefined) {
        setListenerCondition(l, "Programmed", "False", "Invalid", `Listener must have TLS set when protocol is ${protocol}.`);
        return false;
      }
      let valid = true;
      if (listenerTls.mode === "Passthrough" && (listenerTls.certificateRefs ?? []).length > 0) {
        setListenerCondition(l, "Programmed", "False", "Invalid", "Listener must not have TLS certificate refs set for TLS mode Passthrough.");
        valid = false;
      }
      if (listenerTls.mode === "Terminate") {
        if ((listenerTls.certificateRefs ?? []).length === 0) {
          setListenerCondition(l, "Programmed", "False", "Invalid", "Listener must have TLS certificate refs set for TLS mode Terminate.");
          valid = false;
        } else {
          const result = validateTerminateMode(l, index, options, now);
          tls.set(l, result.secrets);
          if (!result.ok) valid = false;
        }
      }
      return valid;
    }
    default:
      return true;
  }
}

/** Validates one listener's own spec, setting its conditions and supported kinds. */
export function validateListenerSpec(l: ListenerContext, index: ResourceIndex, options: TranslateOptions, tls: ListenerTLS, now: Date): boolean {
  let valid = validateAllowedNamespaces(l);
  const { protocol } = l.listener;
  if (isSupportedListenerProtocol(protocol)) {
    if (!validateAllowedRoutes(l, allowedRouteKindsForProtocol(protocol, l.listener.tls?.mode))) valid = false;
  } else {
    valid = false;
    l.status.supportedKinds = [];
    setListenerCondition(l, "Accepted", "False", "UnsupportedProtocol", `Protocol ${protocol} is unsupported, must be HTTP, HTTPS, TCP or UDP.`);
  }
  if (!validateTLSConfiguration(l, index, options, tls, now)) valid = false;
  const fv = l.frontendValidation;
  if (fv !== undefined && "error" in fv) {
    const message = `Listener has invalid caCertificateRef for frontend TLS validation: ${fv.error}`;
    const reason =
      fv.errorKind === "InvalidKind"
        ? "InvalidCACertificateKind"
        : fv.errorKind === "NoValidCA"
          ? "NoValidCACertificate"
          : fv.errorKind === "RefNotPermitted"
            ? "RefNotPermitted"
            : "InvalidCACertificateRef";
    setListenerCondition(l, "ResolvedRefs", "False", reason, message);
    setListenerCondition(l, "Programmed", "False", reason, message);
    setListenerCondition(l, "Accepted", "False", "NoValidCACertificate", message);
    valid = false;
  }
  if ((protocol === "UDP" || protocol === "TCP") && l.listener.hostname !== undefined) {
    setListenerCondition(l, "Programmed", "False", "Invalid", `Listener must not have hostname set when protocol is ${protocol}.`);
    valid = false;
  }
  return valid;
}

/** Whether a listener carries a condition that makes it invalid. */
export function hasInvalidCondition(l: ListenerContext): boolean {
  return l.status.conditions.some(
    (c) =>
      (c.type === "Programmed" && c.status === "False") ||
      (c.type === "Accepted" && c.status === "False") ||
      (c.type === "ResolvedRefs" && c.status === "False" && c.reason !== "PartiallyInvalidCertificateRef"),
  );
}

function validForConflictChecks(l: ListenerContext): boolean {
  return l.specValid || !hasInvalidCondition(l);
}

function setConflicted(l: ListenerContext, reason: string, message: string): void {
  setListenerCondition(l, "Conflicted", "True", reason, message);
  if (l.listenerSet !== undefined) {
    setListenerCondition(l, "Accepted", "False", reason, message);
    setListenerCondition(l, "Programmed", "False", reason, message);
  }
  if (reason === "ProtocolConflict") l.protocolConflicted = true;
}

function displayName(l: ListenerContext): string {
  if (l.listenerSet !== undefined) {
    const m = l.listenerSet.listenerSet.metadata;
    return `${m.namespace ?? ""}/${m.name}/${l.listener.name}`;
  }
  return `${l.gateway.namespace}/${l.gateway.name}/${l.listener.name}`;
}

function protocolClass(l: ListenerContext): string {
  return l.listener.protocol === "HTTPS" || l.listener.protocol === "TLS" ? "https/tls" : l.listener.protocol;
}

function lsKey(l: ListenerContext): string {
  const m = l.listenerSet?.listenerSet.metadata;
  return m === undefined ? "" : `${m.namespace ?? ""}/${m.name}`;
}

function groupByPort(listeners: ReadonlyArray<ListenerContext>, keep: (l: ListenerContext) => boolean): Map<number, ListenerContext[]> {
  const byPort = new Map<number, ListenerContext[]>();
  for (const l of listeners) {
    if (!keep(l)) continue;
    const list = byPort.get(l.listener.port);
    if (list === undefined) byPort.set(l.listener.port, [l]);
    else list.push(l);
  }
  return byPort;
}

function validateProtocolConflictsByPort(listeners: ReadonlyArray<ListenerContext>): void {
  const byPort = groupByPort(listeners, (l) => validForConflictChecks(l) && isSupportedListenerProtocol(l.listener.protocol));
  for (const onPort of byPort.values()) {
    const nonUDP = new Set<string>();
    const gatewayProtocols = new Set<string>();
    const sameSetConflicts = new Set<string>();
    const setProtocols = new Map<string, Set<string>>();
    for (const l of onPort) {
      const p = protocolClass(l);
      if (p === "UDP") continue;
      nonUDP.add(p);
      if (l.listenerSet === undefined) gatewayProtocols.add(p);
      else {
        const k = lsKey(l);
        const set = setProtocols.get(k) ?? new Set<string>();
        set.add(p);
        setProtocols.set(k, set);
        if (set.size > 1) sameSetConflicts.add(k);
      }
    }
    if (nonUDP.size <= 1) continue;
    const names = onPort
      .filter((l) => protocolClass(l) !== "UDP")
      .map(displayName)
      .sort();
    const message = `All listeners for a given port must use a compatible protocol, conflicting listeners: ${names.join(", ")}`;
    if (gatewayProtocols.size > 1) {
      for (const l of onPort) if (protocolClass(l) !== "UDP") setConflicted(l, "ProtocolConflict", message);
      continue;
    }
    let winner = gatewayProtocols.size === 1 ? ([...gatewayProtocols][0] as string) : "";
    for (const l of onPort) {
      const p = protocolClass(l);
      if (p === "UDP") continue;
      if (l.listenerSet !== undefined && gatewayProtocols.size === 0 && sameSetConflicts.has(lsKey(l))) {
        setConflicted(l, "ProtocolConflict", message);
        continue;
      }
      if (winner !== "") {
        if (p !== winner) setConflicted(l, "ProtocolConflict", message);
      } else winner = p;
    }
  }
}

function validateHostnameConflicts(gateway: GatewayContext): void {
  const byPort = groupByPort(
    gateway.listeners,
    (l) => l.listener.protocol !== "UDP" && l.listener.protocol !== "TCP" && validForConflictChecks(l) && !l.protocolConflicted,
  );
  for (const onPort of byPort.values()) {
    const hostnameCount = new Map<string, number>();
    const host = (l: ListenerContext): string => l.listener.hostname ?? "";
    for (const l of onPort) hostnameCount.set(host(l), (hostnameCount.get(host(l)) ?? 0) + 1);
    const gatewayCount = new Map<string, number>();
    const sameSetConflicts = new Set<string>();
    const setCounts = new Map<string, Map<string, number>>();
    for (const l of onPort) {
      const h = host(l);
      if ((hostnameCount.get(h) ?? 0) <= 1) continue;
      if (l.listenerSet === undefined) gatewayCount.set(h, (gatewayCount.get(h) ?? 0) + 1);
      else {
        const counts = setCounts.get(lsKey(l)) ?? new Map<string, number>();
        counts.set(h, (counts.get(h) ?? 0) + 1);
        setCounts.set(lsKey(l), counts);
        if ((counts.get(h) ?? 0) > 1) sameSetConflicts.add(h);
      }
    }
    const winners = new Map<string, ListenerContext>();
    for (const l of onPort) {
      const h = host(l);
      if ((hostnameCount.get(h) ?? 0) <= 1 || (gatewayCount.get(h) ?? 0) > 1) continue;
      if (sameSetConflicts.has(h) && l.listenerSet !== undefined) continue;
      const existing = winners.get(h);
      if (existing === undefined || (existing.listenerSet !== undefined && l.listenerSet === undefined)) winners.set(h, l);
    }
    const conflictingNames = new Map<string, string[]>();
    for (const l of onPort) {
      const h = host(l);
      if ((hostnameCount.get(h) ?? 0) <= 1) continue;
      conflictingNames.set(h, [...(conflictingNames.get(h) ?? []), displayName(l)]);
    }
    for (const l of onPort) {
      const h = host(l);
      const message = `All listeners for a given port must use a unique hostname, conflicting listeners: ${(conflictingNames.get(h) ?? []).sort().join(", ")}`;
      const winner = winners.get(h);
      if (winner !== undefined) {
        if (winner !== l) setConflicted(l, "HostnameConflict", message);
      } else if ((hostnameCount.get(h) ?? 0) > 1) setConflicted(l, "HostnameConflict", message);
    }
  }
}

function validateLayer4Conflicts(gateway: GatewayContext, protocol: "TCP" | "UDP"): void {
  const byPort = groupByPort(gateway.listeners, (l) => validForConflictChecks(l) && l.listener.protocol === protocol);
  for (const onPort of byPort.values()) {
    for (const l of onPort.slice(1)) {
      setListenerCondition(l, "Conflicted", "True", "ProtocolConflict", `Only one ${protocol} listener is allowed in a given port`);
    }
  }
}

function validateMergedConflicts(gateways: ReadonlyArray<GatewayContext>): void {
  const seen = new Set<string>();
  for (const gateway of gateways) {
    for (const l of gateway.listeners) {
      if (!validForConflictChecks(l)) continue;
      const key = `${l.listener.protocol}:${l.listener.hostname ?? ""}:${l.listener.port}`;
      if (seen.has(key)) {
        setListenerCondition(l, "Conflicted", "True", "HostnameConflict", "Port, protocol and hostname tuple must be unique for every listener");
      }
      seen.add(key);
    }
  }
}

/** Runs every conflict check over the Gateways' listeners, in upstream's order. */
export function validateListenerConflicts(gateways: ReadonlyArray<GatewayContext>, mergeGateways: boolean): void {
  for (const g of gateways) validateProtocolConflictsByPort(g.listeners);
  if (mergeGateways) validateProtocolConflictsByPort(gateways.flatMap((g) => g.listeners));
  for (const g of gateways) validateHostnameConflicts(g);
  for (const g of gateways) validateLayer4Conflicts(g, "TCP");
  for (const g of gateways) validateLayer4Conflicts(g, "UDP");
  if (mergeGateways) validateMergedConflicts(gateways);
}

/** Completes a listener's conditions once validation is done (Programmed/Accepted/ResolvedRefs). */
export function finalizeListenerConditions(l: ListenerContext): void {
  const conds = l.status.conditions;
  if (conds.length === 0) {
    setListenerCondition(l, "Programmed", "True", "Programmed", "Sending translated listener configuration to the data plane");
    setListenerCondition(l, "Accepted", "True", "Accepted", "Listener has been successfully translated");
    setListenerCondition(l, "ResolvedRefs", "True", "ResolvedRefs", "Listener references have been resolved");
    if (l.listenerSet !== undefined) setListenerCondition(l, "Conflicted", "False", "NoConflicts", "No conflicts detected");
    return;
  }
  const only = conds[0];
  if (conds.length === 1 && only !== undefined && only.type === "ResolvedRefs") {
    if (only.reason === "PartiallyInvalidCertificateRef") {
      setListenerCondition(l, "Accepted", "True", "Accepted", "Listener has been successfully translated");
      setListenerCondition(l, "Programmed", "True", "Programmed", "Sending translated listener configuration to the data plane");
      return;
    }
    if (only.reason === "InvalidCertificateRef") {
      setListenerCondition(l, "Accepted", "True", "Accepted", "Listener has been successfully translated");
      setListenerCondition(l, "Programmed", "False", "Invalid", "Listener is invalid, see other Conditions for details.");
      return;
    }
  }
  const first = conds[0];
  if (first !== undefined && (first.type !== "Programmed" || first.status !== "True")) {
    const hasProgrammed = conds.some((c) => c.type === "Programmed");
    const hasRefs = conds.some((c) => c.type === "ResolvedRefs");
    if (!hasProgrammed) setListenerCondition(l, "Programmed", "False", "Invalid", "Listener is invalid, see other Conditions for details.");
    if (!hasRefs) setListenerCondition(l, "ResolvedRefs", "True", "ResolvedRefs", "Listener references have been resolved");
  }
}

function hasWildcardPrefix(h: string | undefined): boolean {
  return h !== undefined && h.length > 1 && h.startsWith("*");
}

function hostnameMatchesWithOther(a: string, b: string): boolean {
  if (hasWildcardPrefix(b) && !hasWildcardPrefix(a)) {
    const suffix = b.slice(1);
    return a.endsWith(suffix) && !a.slice(0, a.length - suffix.length).includes(".");
  }
  return a === b;
}

/** Whether two listener hostnames can match the same request host (absent matches everything). */
export function areOverlappingHostnames(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return true;
  return hostnameMatchesWithOther(a, b) || hostnameMatchesWithOther(b, a);
}

function findOverlappingSANs(a: ReadonlyArray<string>, b: ReadonlyArray<string>): [string, string] | undefined {
  for (const x of a) for (const y of b) if (areOverlappingHostnames(x, y)) return [x, y];
  return undefined;
}

function checkOverlapsAmong(https: ReadonlyArray<ListenerContext>, tlsSecrets: ListenerTLS): void {
  type Overlap = { other: ListenerContext; a: string; b: string };
  const hostOverlap: Array<Overlap | undefined> = new Array(https.length).fill(undefined);
  for (let i = 0; i < https.length; i++) {
    const li = https[i] as ListenerContext;
    if (hostOverlap[i] !== undefined || hasInvalidCondition(li)) continue;
    for (let j = i + 1; j < https.length; j++) {
      const lj = https[j] as ListenerContext;
      if (hostOverlap[j] !== undefined || hasInvalidCondition(lj) || li.listener.port !== lj.listener.port) continue;
      if (areOverlappingHostnames(li.listener.hostname, lj.listener.hostname)) {
        hostOverlap[i] = { other: lj, a: li.listener.hostname ?? "", b: lj.listener.hostname ?? "" };
        hostOverlap[j] = { other: li, a: lj.listener.hostname ?? "", b: li.listener.hostname ?? "" };
      }
    }
  }
  https.forEach((l, i) => {
    const o = hostOverlap[i];
    if (o === undefined) return;
    const sameGateway = o.other.gateway === l.gateway;
    const message = sameGateway
      ? `The hostname ${o.a} overlaps with the hostname ${o.b} in listener ${o.other.listener.name}.`
      : `The hostname ${o.a} overlaps with the hostname ${o.b} in listener ${o.other.listener.name} of gateway ${o.other.gateway.name}.`;
    setListenerCondition(l, "OverlappingTLSConfig", "True", "OverlappingHostnames", message);
  });

  // Certificates whose SANs overlap make HTTP/2 connection coalescing unsafe.
  const validPerPort = new Map<number, number>();
  const sdsPerPort = new Map<number, ListenerContext[]>();
  for (const l of https) {
    if (hasInvalidCondition(l)) continue;
    validPerPort.set(l.listener.port, (validPerPort.get(l.listener.port) ?? 0) + 1);
    if ((tlsSecrets.get(l) ?? []).some((s) => s.sds)) sdsPerPort.set(l.listener.port, [...(sdsPerPort.get(l.listener.port) ?? []), l]);
  }
  for (const l of https) {
    if (hasInvalidCondition(l) || (validPerPort.get(l.listener.port) ?? 0) < 2) continue;
    let disable = false;
    for (const sdsListener of sdsPerPort.get(l.listener.port) ?? []) {
      if (l === sdsListener || sdsListener.listener.hostname === undefined) disable = true;
      else if (l.certDNSNames.some((n) => areOverlappingHostnames(sdsListener.listener.hostname, n))) disable = true;
      if (disable) break;
    }
    if (!disable) continue;
    if (l.httpIR !== undefined) l.httpIR.tlsOverlaps = true;
    setListenerCondition(
      l,
      "OverlappingTLSConfig",
      "True",
      "SDSCertificateOpaque",
      "HTTP/2 is disabled by default because one or more HTTPS listeners on this port use an SDS-backed certificate whose DNS names cannot be inspected. Configure ALPN explicitly with ClientTrafficPolicy to override this default.",
    );
  }
  const certOverlap: Array<Overlap | undefined> = new Array(https.length).fill(undefined);
  for (let i = 0; i < https.length; i++) {
    const li = https[i] as ListenerContext;
    if (certOverlap[i] !== undefined || hasInvalidCondition(li)) continue;
    for (let j = i + 1; j < https.length; j++) {
      const lj = https[j] as ListenerContext;
      if (certOverlap[j] !== undefined || hasInvalidCondition(lj) || li.listener.port !== lj.listener.port) continue;
      const o = findOverlappingSANs(li.certDNSNames, lj.certDNSNames);
      if (o !== undefined) {
        certOverlap[i] = { other: lj, a: o[0], b: o[1] };
        certOverlap[j] = { other: li, a: o[1], b: o[0] };
      }
    }
  }
  https.forEach((l, i) => {
    const o = certOverlap[i];
    if (o === undefined) return;
    const sameGateway = o.other.gateway === l.gateway;
    const where = sameGateway ? `listener ${o.other.listener.name}` : `listener ${o.other.listener.name} of gateway ${o.other.gateway.name}`;
    const message = `The certificate SAN ${o.a} overlaps with the certificate SAN ${o.b} in ${where}. ALPN will default to HTTP/1.1 to prevent HTTP/2 connection coalescing, unless explicitly configured via ClientTrafficPolicy`;
    if (l.httpIR !== undefined) l.httpIR.tlsOverlaps = true;
    setListenerCondition(l, "OverlappingTLSConfig", "True", "OverlappingCertificates", message);
  });
}

/** Flags HTTPS listeners on the same port whose hostnames or certificates overlap. */
export function checkOverlappingTLSConfig(gateways: ReadonlyArray<GatewayContext>, mergeGateways: boolean, tls: ListenerTLS): void {
  const httpsOf = (g: GatewayContext): ListenerContext[] => g.listeners.filter((l) => l.listener.protocol === "HTTPS");
  if (mergeGateways) checkOverlapsAmong(gateways.flatMap(httpsOf), tls);
  else for (const g of gateways) checkOverlapsAmong(httpsOf(g), tls);
}
