// Destinations of services a policy calls out to (ext auth, JWKS, OIDC, ext proc): the policy's backendRefs
// validated and resolved with the route backends' own functions (upstream ext_service.go).
import type * as ir from "@egts/ir";
import { destinationSettingFor, isServiceRouting, type BackendRefLike } from "../Backends.js";
import { RouteStatusError } from "../Conditions.js";
import { isReferencePermitted, type ResourceIndex } from "../Index.js";
import { resourceMetadata } from "../Metadata.js";
import type { GatewayContext, TranslateOptions } from "../Model.js";
import type { Mutable } from "../Mutable.js";

/** A backendRef of a policy: a backend object reference with optional weight and fallback. */
export interface ExtServiceBackendRef extends BackendRefLike {
  readonly weight?: number;
  readonly fallback?: boolean;
}

/** The policy that owns the references. */
export interface ExtServiceOwner {
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly annotations?: Readonly<Record<string, string>> };
}

/** What resolving external service references needs from the translation. */
export interface ExtServiceEnv {
  readonly index: ResourceIndex;
  readonly options: TranslateOptions;
  /** Backend TLS settings of a reference, reported against the owning policy. */
  readonly backendTLS: (
    ref: BackendRefLike,
    namespace: string,
    ancestor: Readonly<Record<string, string>>,
    gateway: GatewayContext,
  ) => ir.TLSUpstreamConfig | RouteStatusError | undefined;
}

function tcpPorts(ports: ReadonlyArray<{ readonly port: number; readonly protocol?: string }>): number[] {
  return ports.filter((p) => (p.protocol ?? "TCP") === "TCP").map((p) => p.port);
}

/** Validates one external service reference; returns the error text. */
export function validateExtServiceBackendRef(ref: BackendRefLike, owner: ExtServiceOwner, env: ExtServiceEnv): string | undefined {
  const ownerNs = owner.metadata.namespace ?? "";
  if (ref.group !== undefined && ref.group !== "" && ref.group !== "multicluster.x-k8s.io" && ref.group !== "gateway.envoyproxy.io") {
    return "group is invalid, only the core API group (specified by omitting the group field or setting it to an empty string), the multicluster.x-k8s.io API group, and the gateway.envoyproxy.io API group are supported";
  }
  if (ref.kind !== undefined && ref.kind !== "Service" && ref.kind !== "ServiceImport" && ref.kind !== "Backend") {
    return "kind is invalid, only Service (specified by omitting the kind field or setting it to 'Service'), ServiceImport, and Backend are supported";
  }
  if (ref.port === undefined && ref.kind !== "Backend") return "a valid port number corresponding to a port on the Service must be specified";
  const kind = ref.kind ?? "Service";
  const ns = ref.namespace !== undefined && ref.namespace !== "" ? ref.namespace : ownerNs;
  if (kind === "Service") {
    const svc = env.index.service(ns, ref.name);
    if (svc === undefined) return `service ${ns}/${ref.name} not found`;
    if (!tcpPorts(svc.spec?.ports ?? []).includes(ref.port ?? -1)) return `TCP Port ${ref.port ?? 0} not found on service ${ns}/${ref.name}`;
  } else if (kind === "ServiceImport") {
    const si = env.index.serviceImport(ns, ref.name);
    if (si === undefined) return `serviceimport ${ns}/${ref.name} not found`;
    const ports = ((si.spec ?? {}) as { ports?: ReadonlyArray<{ port: number; protocol?: string }> }).ports ?? [];
    if (!tcpPorts(ports).includes(ref.port ?? -1)) return `TCP Port ${ref.port ?? 0} not found on service ${ns}/${ref.name}`;
  } else {
    const backend = env.index.backend(ns, ref.name);
    if (backend === undefined) return `backend ${ns}/${ref.name} not found`;
    if (backend.spec.type === "DynamicResolver") return `dynamic resolver backend ${ns}/${ref.name} is not supported`;
  }
  if (ref.namespace !== undefined && ref.namespace !== "" && ref.namespace !== ownerNs) {
    const permitted = isReferencePermitted(
      { group: "gateway.envoyproxy.io", kind: owner.kind, namespace: ownerNs },
      { group: ref.group ?? "", kind, namespace: ref.namespace, name: ref.name },
      env.index.referenceGrants,
    );
    if (!permitted) return `backend ref to ${kind} ${ref.namespace}/${ref.name} not permitted by any ReferenceGrant`;
  }
  return undefined;
}

/** The IR destination name of a policy's external service: `<kind>/<ns>/<name>/<configType>/<index>`, lower-cased. */
export function extServiceDestinationName(owner: ExtServiceOwner, configType: string, index: number): string {
  return `${owner.kind}/${owner.metadata.namespace ?? ""}/${owner.metadata.name}/${configType}/${index}`.toLowerCase();
}

/**
 * Resolves a policy's backendRefs to one route destination for the given Gateway; returns the error text
 * when a reference is invalid.
 */
export function translateExtServiceBackendRefs(
  owner: ExtServiceOwner,
  refs: ReadonlyArray<ExtServiceBackendRef>,
  protocol: ir.AppProtocol,
  gateway: GatewayContext,
  configType: string,
  index: number,
  env: ExtServiceEnv,
): ir.RouteDestination | string {
  if (refs.length === 0) return "no backendRefs found for external service";
  const name = extServiceDestinationName(owner, configType, index);
  const ownerNs = owner.metadata.namespace ?? "";
  const settings: Array<Mutable<ir.DestinationSetting>> = [];
  for (let i = 0; i < refs.length; i++) {
    const ref = refs[i] as ExtServiceBackendRef;
    const invalid = validateExtServiceBackendRef(ref, owner, env);
    if (invalid !== undefined) return invalid;
    if (ref.weight === 0) continue;
    const kind = ref.kind ?? "Service";
    if (kind === "Backend" && env.options.backendEnabled !== true) {
      return `resource ${ref.name} of type Backend cannot be used since Backend is disabled in Envoy Gateway configuration`;
    }
    const serviceRouting = isServiceRouting(gateway.envoyProxy, env.options);
    const ds = destinationSettingFor(`${name}/backend/${i}`, ref, ownerNs, protocol, serviceRouting, env.index);
    if (ds instanceof RouteStatusError) return ds.message;
    if (ds.isDynamicResolver === true) return "dynamic resolver destinations are not supported";
    if (!serviceRouting && ds.addressType === "Mixed") return "mixed endpointslice address type for the same backendRef is not supported";
    const ns = ref.namespace !== undefined && ref.namespace !== "" ? ref.namespace : ownerNs;
    const tls = env.backendTLS(ref, ns, { group: "gateway.envoyproxy.io", kind: owner.kind, namespace: ownerNs, name: owner.metadata.name }, gateway);
    if (tls instanceof RouteStatusError) return tls.message;
    if (tls !== undefined) ds.tls = tls;
    ds.weight = ref.weight ?? 1;
    if (ref.fallback === true) ds.priority = 1;
    settings.push(ds);
  }
  const kinds = new Set(settings.map((s) => ((s.endpoints ?? []).length > 0 ? (s.addressType ?? "IP") : "none")));
  if (kinds.size > 1 && [...kinds].some((k) => k === "FQDN") && [...kinds].some((k) => k !== "FQDN")) {
    return "external service destinations having multiple endpoint types are not supported";
  }
  return { name, settings, metadata: resourceMetadata(owner.kind, owner.metadata as never) } as ir.RouteDestination;
}

/** The authority header for an external service: host:port of the first reference. */
export function backendRefAuthority(ref: BackendRefLike, ownerNamespace: string, index: ResourceIndex): string {
  const ns = ref.namespace !== undefined && ref.namespace !== "" ? ref.namespace : ownerNamespace;
  const kind = ref.kind ?? "Service";
  if (kind === "Backend") {
    const backend = index.backend(ns, ref.name);
    for (const ep of backend?.spec.endpoints ?? []) {
      if (ep.fqdn !== undefined) return `${ep.fqdn.hostname}:${ep.fqdn.port}`;
    }
  }
  if (kind === "Service" || kind === "ServiceImport") return `${ref.name}.${ns}:${ref.port ?? 0}`;
  return `${ref.name}.${ns}`;
}
