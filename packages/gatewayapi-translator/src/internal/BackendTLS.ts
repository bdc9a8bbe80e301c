// Upstream TLS for backends from BackendTLSPolicy, Backend.spec.tls and the Gateway/EnvoyProxy backend client
// certificate, plus BackendTLSPolicy statuses (upstream backendtlspolicy.go).
import type { BackendTLSPolicy, Secret } from "@egts/api";
import type * as ir from "@egts/ir";
import { condition, conditionMessage, setCondition, type StatusCondition } from "./Conditions.js";
import { RouteStatusError } from "./Conditions.js";
import type { BackendRefLike } from "./Backends.js";
import { isReferencePermitted, type ResourceIndex } from "./Index.js";
import type { GatewayContext, TranslateOptions } from "./Model.js";
import type { Mutable } from "./Mutable.js";
import type { ParentRefContext } from "./RouteContext.js";
import { ancestorsTruncatedMessage, boundAncestors, truncateAncestors } from "./policies/PolicyStatus.js";

/** An ancestor reference in a policy status. */
export type AncestorRef = Record<string, string | number>;

interface AncestorStatus {
  ancestorRef: AncestorRef;
  controllerName: string;
  conditions: StatusCondition[];
}

/** Per-translation state of BackendTLSPolicy statuses. */
export class BackendTLSPolicyStatuses {
  private readonly statuses = new Map<BackendTLSPolicy, AncestorStatus[]>();

  constructor(private readonly controllerName: string) {}

  ancestors(policy: BackendTLSPolicy): AncestorStatus[] {
    let st = this.statuses.get(policy);
    if (st === undefined) {
      const existing = ((policy.status as { ancestors?: AncestorStatus[] } | undefined)?.ancestors ?? []).map((a) => ({
        ...a,
        conditions: a.conditions.map((c) => ({ ...c })),
      }));
      st = existing;
      this.statuses.set(policy, st);
    }
    return st;
  }

  /** Sets a condition for one ancestor, creating the ancestor entry when new. */
  set(policy: BackendTLSPolicy, ref: AncestorRef, type: string, status: "True" | "False", reason: string, message: string): void {
    const ancestors = this.ancestors(policy);
    const cond = condition(type, status, reason, message, policy.metadata.generation);
    const entry = ancestors.find((a) => a.controllerName === this.controllerName && ancestorRefsEqual(a.ancestorRef, ref));
    if (entry !== undefined) setCondition(entry.conditions, cond);
    else {
      ancestors.push({ ancestorRef: ref, controllerName: this.controllerName, conditions: [cond] });
      boundAncestors(ancestors);
    }
  }

  /** Sets Accepted=True for an ancestor unless it already has an Accepted condition. */
  setAccepted(policy: BackendTLSPolicy, ref: AncestorRef): void {
    const entry = this.ancestors(policy).find((a) => a.controllerName === this.controllerName && ancestorRefsEqual(a.ancestorRef, ref));
    if (entry?.conditions.some((c) => c.type === "Accepted") === true) return;
    this.set(policy, ref, "Accepted", "True", "Accepted", "Policy has been accepted.");
  }

  /** The policies with their statuses, marking conflicting policies (same target as an earlier one). */
  finish(policies: ReadonlyArray<BackendTLSPolicy>): unknown[] {
    const targets = new Map<string, BackendTLSPolicy>();
    for (const policy of policies) {
      let conflict: BackendTLSPolicy | undefined;
      for (const ref of policy.spec.targetRefs) {
        const key = `${policy.metadata.namespace ?? ""}/${ref.group ?? ""}/${ref.kind}/${ref.name}/${ref.sectionName ?? ""}`;
        const existing = targets.get(key);
        if (existing !== undefined) {
          conflict = existing;
          break;
        }
        targets.set(key, policy);
      }
      if (conflict !== undefined) {
        for (const a of [...this.ancestors(conflict)]) {
          this.set(
            policy,
            a.ancestorRef,
            "Accepted",
            "False",
            "Conflicted",
            `Policy conflicts with BackendTLSPolicy ${conflict.metadata.namespace ?? ""}/${conflict.metadata.name}.`,
          );
        }
      }
      const st = this.statuses.get(policy);
      const last = st === undefined ? undefined : truncateAncestors(st);
      if (last !== undefined) this.set(policy, last.ancestorRef, "Aggregated", "True", "Aggregated", ancestorsTruncatedMessage);
    }
    return policies.map((p) => {
      const st = this.statuses.get(p);
      return st === undefined ? p : { ...p, status: { ancestors: st } };
    });
  }
}

function ancestorRefsEqual(a: AncestorRef, b: AncestorRef): boolean {
  for (const k of ["name", "group", "kind", "namespace", "sectionName"]) if (a[k] !== b[k]) return false;
  return true;
}

/** The ancestor reference for a route parent: the parent ref's fields as written. */
export function parentAncestorRef(parent: ParentRefContext): AncestorRef {
  const out: AncestorRef = {};
  for (const k of ["group", "kind", "namespace", "name", "sectionName", "port"] as const) {
    const v = parent.ref[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** Decodes an SDS reference secret (upstream ir.NewSDSConfig). */
export function sdsConfig(secret: Secret): ir.SDSConfig | string {
  const id = `${secret.metadata.namespace ?? ""}/${secret.metadata.name}`;
  const decode = (k: string): string => Buffer.from(secret.data?.[k] ?? "", "base64").toString();
  const secretName = decode("secretName");
  const url = decode("url");
  if (secretName === "") return `no secretName found in SDS reference secret ${id}`;
  if (url === "") return `no url found in SDS reference secret ${id}`;
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/]*)(.*)$/.exec(url);
  if (m === null) return `invalid URL in SDS reference secret ${id}: unsupported URL scheme: `;
  const [, scheme = "", host = "", path = ""] = m;
  if (scheme !== "unix") return `invalid URL in SDS reference secret ${id}: unsupported URL scheme: ${scheme}`;
  if (host !== "" && host !== ".") return `invalid URL in SDS reference secret ${id}: unix URL must not contain a host, use unix:///absolute/path`;
  if (path === "" && host !== ".") return `invalid URL in SDS reference secret ${id}: unix URL must contain a path`;
  return { secretName, scheme, address: host + path };
}

const errInvalidKind = "Unsupported reference kind, supported kinds are ConfigMap, Secret, and ClusterTrustBundle";
const errNoValidCA = "no valid CA certificate found in referenced resources";

/** Result of resolving CA certificate references. */
export type CAResult = { ca?: Buffer; sds?: ir.SDSConfig } | { error: string; kind?: "InvalidKind" | "NoValidCA" | "RefNotPermitted" };

/** Concatenates the CA bundles referenced by a resource (upstream getCaCertsFromCARefs). */
export function caCertsFromRefs(
  refs: ReadonlyArray<{ group?: string; kind: string; name: string; namespace?: string }>,
  owner: { group: string; kind: string; namespace: string },
  index: ResourceIndex,
  options: TranslateOptions,
  checkGrants: boolean,
): CAResult {
  let ca = "";
  let foundSupported = false;
  let sds: ir.SDSConfig | undefined;
  for (const ref of refs) {
    const ns = ref.namespace ?? owner.namespace;
    if (ns !== owner.namespace && checkGrants) {
      if (!isReferencePermitted(owner, { group: ref.group ?? "", kind: ref.kind, namespace: ns, name: ref.name }, index.referenceGrants)) {
        return {
          error: `cross-namespace reference is not permitted by any ReferenceGrant for caCertificateRef ${ref.group ?? ""}/${ref.name} (kind: ${ref.kind}, namespace: ${ns})`,
          kind: "RefNotPermitted",
        };
      }
    }
    const append = (text: string): void => {
      ca = ca === "" ? text : `${ca}\n${text}`;
    };
    switch (ref.kind) {
      case "ConfigMap": {
        foundSupported = true;
        const cm = index.configMap(ns, ref.name);
        if (cm === undefined) return { error: `configmap ${ref.name} not found in namespace ${ns}` };
        const data = cm.data ?? {};
        const values = Object.values(data);
        const crt = data["ca.crt"] ?? data["tls.crt"] ?? (values.length === 1 ? values[0] : undefined);
        if (crt === undefined) return { error: `no ca found in configmap ${cm.metadata.name}` };
        append(crt);
        break;
      }
      case "Secret": {
        foundSupported = true;
        const secret = index.secret(ns, ref.name);
        if (secret === undefined) return { error: `secret ${ref.name} not found in namespace ${ns}` };
        if (secret.type === "gateway.envoyproxy.io/sds") {
          if (options.sdsSecretRefEnabled !== true) return { error: "SDS Secret reference is not enabled in EnvoyGateway configuration" };
          if (sds !== undefined) return { error: "multiple SDS reference secrets are not supported" };
          const cfg = sdsConfig(secret);
          if (typeof cfg === "string") return { error: `invalid SDS reference secret ${secret.metadata.name}: ${cfg}` };
          sds = cfg;
          continue;
        }
        const data = secret.data ?? {};
        const values = Object.values(data);
        const b64 = data["ca.crt"] ?? data["tls.crt"] ?? (values.length === 1 ? values[0] : undefined);
        if (b64 === undefined) return { error: `no ca found in secret ${secret.metadata.name}` };
        append(Buffer.from(b64, "base64").toString("latin1"));
        break;
      }
      case "ClusterTrustBundle": {
        foundSupported = true;
        const ctb = (index.resources.clusterTrustBundles ?? []).find((c) => c.metadata.name === ref.name);
        if (ctb === undefined) return { error: `cluster trust bundle ${ref.name} not found` };
        append((ctb as { spec?: { trustBundle?: string } }).spec?.trustBundle ?? "");
        break;
      }
    }
  }
  if (sds !== undefined && ca !== "") return { error: "cannot mix SDS reference secrets with other CA certificate types" };
  if (sds !== undefined) return { sds };
  if (ca === "") return foundSupported ? { error: errNoValidCA, kind: "NoValidCA" } : { error: `${errInvalidKind} in caCertificateRefs`, kind: "InvalidKind" };
  return { ca: Buffer.from(ca, "latin1") };
}

function targetOf(ref: BackendRefLike, namespace: string, index: ResourceIndex): { group: string; kind: string; name: string; sectionName?: string } {
  const group = ref.group ?? "";
  const kind = ref.kind === undefined || ref.kind === "Service" ? "Service" : ref.kind;
  const out: { group: string; kind: string; name: string; sectionName?: string } = { group, kind, name: ref.name };
  if (ref.port === undefined) return out;
  if (kind === "Service") {
    const port = index.service(namespace, ref.name)?.spec?.ports?.find((p) => p.port === ref.port);
    if (port?.name !== undefined && port.name !== "") out.sectionName = port.name;
  } else if (kind === "ServiceImport") {
    const ports = ((index.serviceImport(namespace, ref.name)?.spec ?? {}) as { ports?: Array<{ port: number; name?: string }> }).ports ?? [];
    const port = ports.find((p) => p.port === ref.port);
    if (port?.name !== undefined && port.name !== "") out.sectionName = port.name;
  } else out.sectionName = String(ref.port);
  return out;
}

function policyMatches(policy: BackendTLSPolicy, target: ReturnType<typeof targetOf>, namespace: string, sectionMustMatch: boolean): boolean {
  if ((policy.metadata.namespace ?? "") !== namespace) return false;
  for (const t of policy.spec.targetRefs) {
    if ((t.group ?? "") !== target.group || t.kind !== target.kind || t.name !== target.name) continue;
    if (t.sectionName === undefined && target.sectionName !== undefined) return !sectionMustMatch;
    if (t.sectionName === target.sectionName) return true;
  }
  return false;
}

/** The BackendTLSPolicy that applies to a backend reference (section-specific first). */
export function backendTLSPolicyFor(ref: BackendRefLike, namespace: string, index: ResourceIndex): BackendTLSPolicy | undefined {
  const policies = index.resources.backendTLSPolicies ?? [];
  const target = targetOf(ref, namespace, index);
  if (target.sectionName !== undefined) {
    const exact = policies.find((p) => policyMatches(p, target, namespace, true));
    if (exact !== undefined) return exact;
  }
  return policies.find((p) => policyMatches(p, target, namespace, false));
}

function policyTLSBundle(
  policy: BackendTLSPolicy,
  index: ResourceIndex,
  options: TranslateOptions,
): Mutable<ir.TLSUpstreamConfig> | { error: string; kind?: string } {
  const v = policy.spec.validation;
  const sans: ir.SubjectAltName[] = [];
  for (const san of v.subjectAltNames ?? []) {
    if (san.type === "Hostname") sans.push({ hostname: san.hostname ?? "" });
    else if (san.type === "URI") sans.push({ uri: san.uri ?? "" });
  }
  const out: Mutable<ir.TLSUpstreamConfig> = { sni: v.hostname };
  if (sans.length > 0) out.subjectAltNames = sans;
  if (v.wellKnownCACertificates === "System") {
    out.useSystemTrustStore = true;
    out.caCertificate = {
      name: options.perResourceSystemCASecret === true ? `${policy.metadata.name}/${policy.metadata.namespace ?? ""}-ca` : "system_ca_certificates",
    };
    return out;
  }
  const ns = policy.metadata.namespace ?? "";
  const res = caCertsFromRefs(
    (v.caCertificateRefs ?? []).map((r) => ({ group: r.group, kind: r.kind, name: r.name, namespace: ns })),
    { group: "gateway.envoyproxy.io", kind: "BackendTLSPolicy", namespace: ns },
    index,
    options,
    false,
  );
  if ("error" in res) return res.kind === undefined ? { error: res.error } : { error: res.error, kind: res.kind };
  const ca: Mutable<ir.TLSCACertificate> = { name: `${policy.metadata.name}/${ns}-ca` };
  if (res.ca !== undefined) ca.certificate = new Uint8Array(res.ca);
  if (res.sds !== undefined) ca.sds = res.sds;
  out.caCertificate = ca;
  return out;
}

/** The backend client TLS settings in force for a Gateway: Gateway spec.tls.backend, else EnvoyProxy backendTLS. */
export function gatewayBackendTLS(
  g: GatewayContext,
): { config: Record<string, unknown>; owner: { kind: string; name: string; namespace: string } } | undefined {
  const gwBackend = (g.gateway.spec as { tls?: { backend?: { clientCertificateRef?: unknown } } }).tls?.backend;
  if (gwBackend !== undefined) {
    if (g.backendTLSResolved !== true || gwBackend.clientCertificateRef === undefined) return undefined;
    return { config: { clientCertificateRef: gwBackend.clientCertificateRef }, owner: { kind: "Gateway", name: g.name, namespace: g.namespace } };
  }
  const epBackend = g.envoyProxy?.spec.backendTLS as Record<string, unknown> | undefined;
  if (epBackend !== undefined && g.envoyProxy !== undefined) {
    return { config: epBackend, owner: { kind: "EnvoyProxy", name: g.envoyProxy.metadata.name, namespace: g.envoyProxy.metadata.namespace ?? "" } };
  }
  return undefined;
}

/** The certificate of a kubernetes.io/tls secret in IR form. */
export function tlsCertificateFromSecret(secret: Secret): ir.TLSCertificate {
  const data = secret.data ?? {};
  const cert: Mutable<ir.TLSCertificate> = {
    name: `${secret.metadata.namespace ?? ""}/${secret.metadata.name}`,
    certificate: new Uint8Array(Buffer.from(data["tls.crt"] ?? "", "base64")),
    privateKey: new Uint8Array(Buffer.from(data["tls.key"] ?? "", "base64")),
  };
  const ocsp = data["tls.ocsp-staple"];
  if (ocsp !== undefined && ocsp !== "") cert.ocspStaple = new Uint8Array(Buffer.from(ocsp, "base64"));
  return cert;
}

function clientTLSSettings(
  cfg: Record<string, unknown>,
  owner: { kind: string; name: string; namespace: string },
  index: ResourceIndex,
  options: TranslateOptions,
): Mutable<ir.TLSConfig> | string {
  const out: Mutable<ir.TLSConfig> = {};
  const arr = (k: string): string[] | undefined => {
    const v = cfg[k] as string[] | undefined;
    return v !== undefined && v.length > 0 ? [...v] : undefined;
  };
  const ciphers = arr("ciphers");
  if (ciphers !== undefined) out.ciphers = ciphers;
  const curves = arr("ecdhCurves");
  if (curves !== undefined) out.ecdhCurves = curves;
  const sigs = arr("signatureAlgorithms");
  if (sigs !== undefined) out.signatureAlgorithms = sigs;
  if (cfg["minVersion"] !== undefined) out.minVersion = cfg["minVersion"] as ir.TLSVersion;
  if (cfg["maxVersion"] !== undefined) out.maxVersion = cfg["maxVersion"] as ir.TLSVersion;
  if (cfg["alpnProtocols"] !== undefined) out.alpnProtocols = [...(cfg["alpnProtocols"] as string[])];
  const ref = cfg["clientCertificateRef"] as { name: string; namespace?: string } | undefined;
  if (ref !== undefined) {
    const ns = ref.namespace !== undefined && ref.namespace !== "" ? ref.namespace : owner.namespace;
    if (owner.kind !== "Gateway" && ns !== owner.namespace) {
      return `ClientCertificateRef Secret is not located in the same namespace as ${owner.kind}. Secret namespace: ${ns} does not match ${owner.kind} namespace: ${owner.namespace}`;
    }
    const secret = index.secret(ns, ref.name);
    if (secret === undefined) {
      return `failed to locate TLS secret for client auth: ${owner.namespace}/${ref.name} specified in ${owner.kind} ${owner.namespace}/${owner.name}`;
    }
    if (secret.type === "gateway.envoyproxy.io/sds") {
      if (options.sdsSecretRefEnabled !== true) return "SDS Secret reference is not enabled in EnvoyGateway configuration";
      const s = sdsConfig(secret);
      if (typeof s === "string") return `invalid SDS reference secret: ${s}`;
      out.clientCertificates = [{ name: "", sds: s }];
    } else out.clientCertificates = [tlsCertificateFromSecret(secret)];
  }
  return out;
}

/**
 * The upstream TLS settings for a backend reference (upstream applyBackendTLSSetting), an error message, or
 * undefined when the backend is plain text. Updates BackendTLSPolicy statuses as a side effect on `statuses`.
 */
export function backendTLSSetting(
  ref: BackendRefLike,
  namespace: string,
  ancestor: AncestorRef,
  gateway: GatewayContext | undefined,
  index: ResourceIndex,
  options: TranslateOptions,
  statuses: BackendTLSPolicyStatuses,
): ir.TLSUpstreamConfig | RouteStatusError | undefined {
  let backendValidation: Mutable<ir.TLSUpstreamConfig> | undefined;
  let backendClient: Mutable<ir.TLSConfig> | undefined;
  if (ref.kind === "Backend") {
    const backend = index.backend(namespace, ref.name);
    if (backend === undefined) return new RouteStatusError(`backend ${ref.name} not found`, "InvalidBackendTLS");
    const tls = backend.spec.tls as
      | (Record<string, unknown> & {
          insecureSkipVerify?: boolean;
          autoSNIFromEndpointHostname?: boolean;
          sni?: string;
          wellKnownCACertificates?: string;
          caCertificateRefs?: Array<{ group?: string; kind: string; name: string }>;
        })
      | undefined;
    if (tls !== undefined) {
      const v: Mutable<ir.TLSUpstreamConfig> = {};
      if (tls.insecureSkipVerify === true) v.insecureSkipVerify = true;
      if (tls.autoSNIFromEndpointHostname === true) v.autoSNIFromEndpointHostname = true;
      if (tls.sni !== undefined) v.sni = tls.sni;
      const bns = backend.metadata.namespace ?? "";
      if (tls.insecureSkipVerify !== true) {
        if (tls.wellKnownCACertificates === "System") {
          v.useSystemTrustStore = true;
          v.caCertificate = { name: options.perResourceSystemCASecret === true ? `${backend.metadata.name}/${bns}-ca` : "system_ca_certificates" };
        } else if ((tls.caCertificateRefs ?? []).length > 0) {
          const res = caCertsFromRefs(
            (tls.caCertificateRefs ?? []).map((r) => ({ ...r, namespace: bns })),
            { group: "gateway.envoyproxy.io", kind: "BackendTLSPolicy", namespace: bns },
            index,
            options,
            false,
          );
          if ("error" in res) return new RouteStatusError(res.error, "InvalidBackendTLS");
          const ca: Mutable<ir.TLSCACertificate> = { name: `${backend.metadata.name}/${bns}-ca` };
          if (res.ca !== undefined) ca.certificate = new Uint8Array(res.ca);
          if (res.sds !== undefined) ca.sds = res.sds;
          v.caCertificate = ca;
        }
      }
      backendValidation = v;
      const clientKeys = ["clientCertificateRef", "ciphers", "ecdhCurves", "signatureAlgorithms", "minVersion", "maxVersion", "alpnProtocols"];
      if (clientKeys.some((k) => tls[k] !== undefined)) {
        const c = clientTLSSettings(tls, { kind: "Backend", name: backend.metadata.name, namespace: bns }, index, options);
        if (typeof c === "string") return new RouteStatusError(c, "InvalidBackendTLS");
        backendClient = c;
      }
    }
  }
  let policyValidation: Mutable<ir.TLSUpstreamConfig> | undefined;
  const policy = backendTLSPolicyFor(ref, namespace, index);
  if (policy !== undefined) {
    const bundle = policyTLSBundle(policy, index, options);
    const ancestors = [...statuses.ancestors(policy).map((a) => a.ancestorRef), ancestor];
    if ("error" in bundle) {
      const msg = conditionMessage(bundle.error);
      for (const a of ancestors) {
        statuses.set(policy, a, "Accepted", "False", "NoValidCACertificate", msg);
        statuses.set(policy, a, "ResolvedRefs", "False", bundle.kind === "InvalidKind" ? "InvalidKind" : "InvalidCACertificateRef", msg);
      }
      return new RouteStatusError(bundle.error, "InvalidBackendTLS");
    }
    for (const a of ancestors) statuses.set(policy, a, "ResolvedRefs", "True", "ResolvedRefs", "Resolved all the Object references.");
    for (const a of ancestors) statuses.setAccepted(policy, a);
    policyValidation = bundle;
  }
  let merged: Mutable<ir.TLSUpstreamConfig> | undefined;
  if (backendValidation === undefined) merged = policyValidation;
  else if (policyValidation === undefined) merged = backendValidation;
  else {
    merged = backendValidation;
    if (policyValidation.caCertificate !== undefined) {
      merged.caCertificate = policyValidation.caCertificate;
      if (policyValidation.useSystemTrustStore !== true) delete merged.useSystemTrustStore;
    }
    if (policyValidation.sni !== undefined) {
      merged.sni = policyValidation.sni;
      delete merged.autoSNIFromEndpointHostname;
    }
    if (policyValidation.useSystemTrustStore === true) merged.useSystemTrustStore = true;
    if (policyValidation.subjectAltNames !== undefined) merged.subjectAltNames = policyValidation.subjectAltNames;
  }
  if (merged === undefined) return undefined;
  if (merged.insecureSkipVerify !== true && merged.caCertificate === undefined) {
    return new RouteStatusError("CACertificate must be specified when InsecureSkipVerify is false", "InvalidBackendTLS");
  }
  let proxyClient: Mutable<ir.TLSConfig> | undefined;
  if (gateway !== undefined) {
    const gw = gatewayBackendTLS(gateway);
    if (gw !== undefined) {
      const c = clientTLSSettings(gw.config, gw.owner, index, options);
      if (typeof c === "string") return new RouteStatusError(c, "InvalidBackendTLS");
      proxyClient = c;
    }
  }
  let client: Mutable<ir.TLSConfig> | undefined;
  if (backendClient === undefined) client = proxyClient;
  else if (proxyClient === undefined) client = backendClient;
  else {
    client = proxyClient;
    for (const k of ["clientCertificates", "ciphers", "ecdhCurves", "signatureAlgorithms"] as const) {
      const v = backendClient[k];
      if (v !== undefined && v.length > 0) (client as Record<string, unknown>)[k] = v;
    }
    if (backendClient.minVersion !== undefined) client.minVersion = backendClient.minVersion;
    if (backendClient.maxVersion !== undefined) client.maxVersion = backendClient.maxVersion;
    if (backendClient.alpnProtocols !== undefined) client.alpnProtocols = backendClient.alpnProtocols;
  }
  if (client !== undefined) Object.assign(merged, client);
  merged.minVersion ??= "1.2";
  merged.maxVersion ??= "1.3";
  return merged;
}
