// Backend references -> destination settings (Services, ServiceImports, Envoy Gateway Backends), with the
// validation and status errors upstream reports (route.go processDestination, validate.go, backend.go).
import { isIP } from "node:net";
import type { Backend, BackendTLSPolicy, EndpointSlice, EnvoyProxy, Service } from "@egts/api";
import type * as ir from "@egts/ir";
import { condition, RouteStatusError, type StatusCondition } from "./Conditions.js";
import { isReferencePermitted, type ResourceIndex } from "./Index.js";
import { resourceMetadata } from "./Metadata.js";
import type { Mutable } from "./Mutable.js";
import type { TranslateOptions } from "./Model.js";

/** A backend reference as it appears in any route kind. */
export interface BackendRefLike {
  readonly group?: string;
  readonly kind?: string;
  readonly name: string;
  readonly namespace?: string;
  readonly port?: number;
  readonly weight?: number;
}

/** The app protocol a route kind implies for its backends. */
export function appProtocolForRouteKind(kind: string): ir.AppProtocol {
  switch (kind) {
    case "UDPRoute":
      return "UDP";
    case "HTTPRoute":
      return "HTTP";
    case "GRPCRoute":
      return "GRPC";
    default:
      return "TCP";
  }
}

function resolveBackendProtocol(appProtocol: string, defaultProtocol: ir.AppProtocol): ir.AppProtocol {
  if (defaultProtocol !== "HTTP") return defaultProtocol;
  if (appProtocol === "kubernetes.io/h2c" || appProtocol === "gateway.envoyproxy.io/h2c") return "HTTP2";
  if (appProtocol === "grpc") return "GRPC";
  return defaultProtocol;
}

function isWebSocketAppProtocol(ap: string): boolean {
  return ["kubernetes.io/ws", "kubernetes.io/wss", "gateway.envoyproxy.io/ws", "gateway.envoyproxy.io/wss"].includes(ap);
}

function shouldForceHTTP1(protocol: ir.AppProtocol, appProtocol: string | undefined): boolean {
  return appProtocol !== undefined && (protocol === "HTTP" || protocol === "HTTP2" || protocol === "GRPC") && isWebSocketAppProtocol(appProtocol);
}

function portProtocol(p: string | undefined): string {
  return p === undefined || p === "" ? "TCP" : p;
}

/** Whether the EnvoyProxy (or translator options) route to Service cluster IPs rather than endpoints. */
export function isServiceRouting(envoyProxy: EnvoyProxy | undefined, options: TranslateOptions, btpRoutingType?: string): boolean {
  if (options.endpointRoutingDisabled === true) return true;
  if (btpRoutingType === "Service") return true;
  if (btpRoutingType === "Endpoint") return false;
  return envoyProxy?.spec.routingType === "Service";
}

/** The IR endpoints (and their address type) of a Service or ServiceImport port, from its EndpointSlices. */
export function endpointsFromSlices(
  slices: ReadonlyArray<EndpointSlice>,
  portName: string,
  protocol: string,
): { endpoints: ir.DestinationEndpoint[]; addressType?: ir.DestinationAddressType } {
  const endpoints: ir.DestinationEndpoint[] = [];
  let fqdn = 0;
  let ip = 0;
  for (const slice of slices) {
    if (slice.addressType === "FQDN") fqdn++;
    else ip++;
    for (const ep of slice.endpoints ?? []) {
      for (const port of slice.ports ?? []) {
        if ((port.name ?? "") !== portName || portProtocol(port.protocol) !== protocol) continue;
        // The API server never admits such a port; without one in front, it must not take the cluster down.
        if (port.port !== undefined && !(Number.isInteger(port.port) && port.port >= 0 && port.port <= 65535)) continue;
        const c = ep.conditions ?? {};
        const draining = c.serving !== undefined && c.terminating !== undefined ? c.terminating || !c.serving : c.ready !== undefined && !c.ready;
        for (const address of ep.addresses ?? []) {
          const e: Mutable<ir.DestinationEndpoint> = { host: address, port: port.port ?? 0 };
          if (draining) e.draining = true;
          if (ep.zone !== undefined) e.zone = ep.zone;
          endpoints.push(e);
        }
      }
    }
  }
  if (slices.length === 0) return { endpoints };
  const addressType: ir.DestinationAddressType = fqdn === slices.length ? "FQDN" : ip === slices.length ? "IP" : "Mixed";
  return { endpoints, addressType };
}

/** {@link endpointsFromSlices} of an owner's slices, reported to the index's observer when it has one. */
function ownerEndpoints(
  index: ResourceIndex,
  kind: "Service" | "ServiceImport",
  namespace: string,
  name: string,
  portName: string,
  protocol: string,
): { endpoints: ir.DestinationEndpoint[]; addressType?: ir.DestinationAddressType } {
  const result = endpointsFromSlices(index.endpointSlicesFor(kind, namespace, name), portName, protocol);
  index.observer?.endpointUses.push({
    owner: `${kind}/${namespace}/${name}`,
    kind,
    namespace,
    name,
    portName,
    protocol,
    endpoints: result.endpoints,
    addressType: result.addressType,
  });
  return result;
}

function serviceIPFamily(svc: Service): ir.DestinationSetting["ipFamily"] | undefined {
  if (svc.spec?.ipFamilyPolicy === "RequireDualStack") return "DualStack";
  const families = svc.spec?.ipFamilies ?? [];
  if (families.length > 1) return "DualStack";
  if (families[0] === "IPv4") return "IPv4";
  if (families[0] === "IPv6") return "IPv6";
  return undefined;
}

function preferLocalZone(svc: Service): ir.DestinationSetting["preferLocal"] | undefined {
  if (svc.spec?.trafficDistribution !== undefined) return { minEndpointsThreshold: 1, force: { minEndpointsInZoneThreshold: 1 } };
  const mode = svc.metadata.annotations?.["service.kubernetes.io/topology-mode"];
  if (mode === "Auto" || mode === "auto") return { minEndpointsThreshold: 3, force: { minEndpointsInZoneThreshold: 3 } };
  return undefined;
}

/** Destination setting of a Service backend port (endpoint or cluster-IP routing). */
export function serviceDestinationSetting(
  name: string,
  svc: Service,
  port: number,
  defaultProtocol: ir.AppProtocol,
  serviceRouting: boolean,
  index: ResourceIndex,
): Mutable<ir.DestinationSetting> | RouteStatusError {
  const ns = svc.metadata.namespace ?? "";
  if (svc.spec?.type === "ExternalName") {
    return new RouteStatusError(
      `Service ${ns}/${svc.metadata.name} is of type ExternalName, which is not supported as a backend; use an Envoy Gateway Backend resource with an FQDN endpoint instead`,
      "UnsupportedValue",
    );
  }
  const servicePort = (svc.spec?.ports ?? []).find((p) => p.port === port);
  let protocol = defaultProtocol;
  if (servicePort?.appProtocol !== undefined) protocol = resolveBackendProtocol(servicePort.appProtocol, protocol);
  const forceHTTP1 = shouldForceHTTP1(protocol, servicePort?.appProtocol);
  const headless = svc.spec?.clusterIP === "None";
  const ds: Mutable<ir.DestinationSetting> = { name, protocol };
  if (!serviceRouting || headless) {
    const { endpoints, addressType } = ownerEndpoints(index, "Service", ns, svc.metadata.name, servicePort?.name ?? "", portProtocol(servicePort?.protocol));
    if (endpoints.length === 0) {
      return new RouteStatusError(`no ready endpoints for the related Service ${ns}/${svc.metadata.name}`, "EndpointsNotFound");
    }
    ds.endpoints = endpoints;
    if (addressType !== undefined) ds.addressType = addressType;
  } else {
    ds.endpoints = [{ host: svc.spec?.clusterIP ?? "", port }];
  }
  if (forceHTTP1) ds.forceHTTP1Upstream = true;
  const preferLocal = preferLocalZone(svc);
  if (preferLocal !== undefined) ds.preferLocal = preferLocal;
  ds.metadata = resourceMetadata("Service", svc.metadata, String(port));
  return ds;
}

function serviceImportDestinationSetting(
  name: string,
  ref: BackendRefLike,
  namespace: string,
  defaultProtocol: ir.AppProtocol,
  serviceRouting: boolean,
  index: ResourceIndex,
): Mutable<ir.DestinationSetting> | RouteStatusError {
  const si = index.serviceImport(namespace, ref.name);
  const spec = (si?.spec ?? {}) as {
    ports?: ReadonlyArray<{ name?: string; port: number; protocol?: string; appProtocol?: string }>;
    ips?: ReadonlyArray<string>;
  };
  const servicePort = (spec.ports ?? []).find((p) => p.port === ref.port);
  let protocol = defaultProtocol;
  if (servicePort?.appProtocol !== undefined) protocol = resolveBackendProtocol(servicePort.appProtocol, protocol);
  const ips = spec.ips ?? [];
  const ds: Mutable<ir.DestinationSetting> = { name, protocol };
  if (!serviceRouting || ips.length === 0) {
    const { endpoints, addressType } = ownerEndpoints(
      index,
      "ServiceImport",
      namespace,
      ref.name,
      servicePort?.name ?? "",
      portProtocol(servicePort?.protocol),
    );
    if (endpoints.length === 0) {
      return new RouteStatusError(`no ready endpoints for the related ServiceImport ${namespace}/${ref.name}`, "EndpointsNotFound");
    }
    ds.endpoints = endpoints;
    if (addressType !== undefined) ds.addressType = addressType;
  } else {
    ds.endpoints = ips.map((ip) => ({ host: ip, port: ref.port ?? 0 }));
  }
  if (shouldForceHTTP1(protocol, servicePort?.appProtocol)) ds.forceHTTP1Upstream = true;
  if (si !== undefined) ds.metadata = resourceMetadata("ServiceImport", si.metadata, String(ref.port ?? 0));
  return ds;
}

/** Destination setting of an Envoy Gateway Backend. */
export function backendDestinationSetting(name: string, backend: Backend, defaultProtocol: ir.AppProtocol): Mutable<ir.DestinationSetting> {
  let protocol = defaultProtocol;
  let forceHTTP1 = false;
  for (const ap of backend.spec.appProtocols ?? []) {
    protocol = resolveBackendProtocol(ap, protocol);
    forceHTTP1 = forceHTTP1 || shouldForceHTTP1(protocol, ap);
  }
  const ds: Mutable<ir.DestinationSetting> = { name };
  if (backend.spec.type === "DynamicResolver") {
    ds.isDynamicResolver = true;
    ds.protocol = protocol;
    if (forceHTTP1) ds.forceHTTP1Upstream = true;
    return ds;
  }
  const counts = new Map<ir.DestinationAddressType, number>();
  const endpoints: ir.DestinationEndpoint[] = [];
  const eps = backend.spec.endpoints ?? [];
  for (const ep of eps) {
    const e: Mutable<ir.DestinationEndpoint> = { host: "", port: 0 };
    if (ep.ip !== undefined) {
      if (isIP(ep.ip.address) === 0) continue;
      counts.set("IP", (counts.get("IP") ?? 0) + 1);
      e.host = ep.ip.address;
      e.port = ep.ip.port;
    } else if (ep.fqdn !== undefined) {
      counts.set("FQDN", (counts.get("FQDN") ?? 0) + 1);
      e.host = ep.fqdn.hostname;
      e.port = ep.fqdn.port;
    } else if (ep.unix !== undefined) {
      counts.set("UDS", (counts.get("UDS") ?? 0) + 1);
      e.path = ep.unix.path;
    }
    if (ep.hostname !== undefined) e.hostname = ep.hostname;
    if (ep.zone !== undefined) e.zone = ep.zone;
    endpoints.push(e);
  }
  let addressType: ir.DestinationAddressType | undefined;
  for (const [t, n] of counts) if (n === eps.length) addressType = t;
  if (counts.size > 0 && addressType === undefined) addressType = counts.has("FQDN") ? "Mixed" : "STATIC";
  ds.endpoints = endpoints;
  if (addressType !== undefined) ds.addressType = addressType;
  ds.protocol = protocol;
  if (forceHTTP1) ds.forceHTTP1Upstream = true;
  if (backend.spec.fallback === true) ds.priority = 1;
  ds.metadata = resourceMetadata("Backend", backend.metadata);
  return ds;
}

const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function validateBackendHostname(hostname: string, typeName: string, runningOnHost: boolean): RouteStatusError | undefined {
  const h = hostname.endsWith(".") ? hostname.slice(0, -1) : hostname;
  if (h.length > 253 || !dns1123Subdomain.test(h)) {
    return new RouteStatusError(`hostname ${hostname} is not a valid ${typeName}`, "InvalidAddress");
  }
  if (!runningOnHost && hostname.split(".").length < 2) {
    return new RouteStatusError(`hostname ${hostname} should be a domain with at least two segments separated by dots`, "InvalidAddress");
  }
  if (isIP(hostname) !== 0) return new RouteStatusError(`hostname ${hostname} is an IP address`, "InvalidAddress");
  return undefined;
}

function isLoopback(address: string): boolean {
  if (isIP(address) === 4) return address.startsWith("127.");
  return address === "::1" || address === "0:0:0:0:0:0:0:1";
}

function validateBackendTLS(backend: Backend, policies: ReadonlyArray<BackendTLSPolicy>): RouteStatusError | undefined {
  const tls = backend.spec.tls;
  if (tls === undefined) return undefined;
  if (tls.insecureSkipVerify !== true) {
    const hasCA = tls.wellKnownCACertificates !== undefined || (tls.caCertificateRefs ?? []).length > 0;
    if (!hasCA) {
      const ports = new Map<string, boolean>();
      for (const ep of backend.spec.endpoints ?? []) {
        if (ep.fqdn !== undefined) ports.set(String(ep.fqdn.port), false);
        else if (ep.ip !== undefined) ports.set(String(ep.ip.port), false);
      }
      let policyHasCA = false;
      for (const policy of policies) {
        for (const target of policy.spec.targetRefs) {
          if (target.group !== "gateway.envoyproxy.io" || target.kind !== "Backend" || target.name !== backend.metadata.name) continue;
          if (target.sectionName === undefined) {
            if (policy.spec.validation.wellKnownCACertificates !== undefined || (policy.spec.validation.caCertificateRefs ?? []).length > 0) {
              policyHasCA = true;
              break;
            }
          } else if (ports.has(target.sectionName)) ports.set(target.sectionName, true);
        }
      }
      if (!policyHasCA && ports.size > 0 && [...ports.values()].every((v) => v)) policyHasCA = true;
      if (!policyHasCA) {
        return new RouteStatusError(
          "must specify either CACertificateRefs or WellKnownCACertificates when InsecureSkipVerify is unset or false",
          "InvalidBackendRef",
        );
      }
    }
  }
  const clientRef = (tls as { clientCertificateRef?: { namespace?: string } }).clientCertificateRef;
  if (clientRef !== undefined) {
    const ns = clientRef.namespace !== undefined && clientRef.namespace !== "" ? clientRef.namespace : (backend.metadata.namespace ?? "");
    if (ns !== (backend.metadata.namespace ?? "")) {
      return new RouteStatusError(
        `clientCertificateRef Secret is not located in the same namespace as Backend. Secret namespace: ${ns} does not match Backend namespace: ${backend.metadata.namespace ?? ""}`,
        "InvalidBackendRef",
      );
    }
  }
  return undefined;
}

/** Validates an Envoy Gateway Backend; undefined when valid. */
export function validateBackend(backend: Backend, policies: ReadonlyArray<BackendTLSPolicy>, runningOnHost: boolean): RouteStatusError | undefined {
  if (backend.spec.type === "DynamicResolver" && (backend.spec.endpoints ?? []).length > 0) {
    return new RouteStatusError("DynamicResolver type cannot have endpoints specified", "InvalidBackendRef");
  }
  const tlsErr = validateBackendTLS(backend, policies);
  if (tlsErr !== undefined) return tlsErr;
  for (const ep of backend.spec.endpoints ?? []) {
    if (ep.hostname !== undefined) {
      const err = validateBackendHostname(ep.hostname, "hostname", runningOnHost);
      if (err !== undefined) return err;
    }
    if (ep.fqdn !== undefined) {
      const err = validateBackendHostname(ep.fqdn.hostname, "FQDN", runningOnHost);
      if (err !== undefined) return err;
    } else if (ep.ip !== undefined) {
      if (isIP(ep.ip.address) === 0) return new RouteStatusError(`IP address ${ep.ip.address} is invalid`, "InvalidAddress");
      if (isLoopback(ep.ip.address) && !runningOnHost) {
        return new RouteStatusError(`IP address ${ep.ip.address} in the loopback range is only supported when using the Host infrastructure`, "InvalidAddress");
      }
    }
  }
  return undefined;
}

/** The Accepted status of each Backend (upstream ProcessBackends; note upstream puts the reason in `type`). */
export function backendStatus(backend: Backend, options: TranslateOptions, policies: ReadonlyArray<BackendTLSPolicy>): StatusCondition[] {
  const gen = backend.metadata.generation;
  if (options.backendEnabled !== true) {
    return [condition("Invalid", "False", "Accepted", "The Backend was not accepted since Backend is not enabled in Envoy Gateway Config", gen)];
  }
  const err = validateBackend(backend, policies, options.runningOnHost === true);
  return err !== undefined
    ? [condition("Invalid", "False", "Accepted", `The Backend was not accepted: ${err.message}`, gen)]
    : [condition("Accepted", "True", "Accepted", "The Backend was accepted", gen)];
}

/** Validates a route's backend reference (group, kind, namespace grant, port, existence). */
export function validateBackendRef(
  ref: BackendRefLike,
  routeKind: string,
  routeNamespace: string,
  index: ResourceIndex,
  options: TranslateOptions,
): RouteStatusError | undefined {
  if (ref.group !== undefined && ref.group !== "" && ref.group !== "multicluster.x-k8s.io" && ref.group !== "gateway.envoyproxy.io") {
    return new RouteStatusError(
      "Group is invalid, only the core API group (specified by omitting the group field or setting it to an empty string), multicluster.x-k8s.io and gateway.envoyproxy.io are supported",
      "InvalidKind",
    );
  }
  if (ref.kind !== undefined && ref.kind !== "Service" && ref.kind !== "ServiceImport" && ref.kind !== "Backend") {
    return new RouteStatusError("Kind is invalid, only Service, MCS ServiceImport and Envoy Gateway Backend are supported", "InvalidKind");
  }
  const nsErr = validateBackendNamespace(ref, routeKind, routeNamespace, index);
  if (nsErr !== undefined) return nsErr;
  const kind = ref.kind ?? "Service";
  if (kind !== "Backend" && ref.port === undefined) {
    return new RouteStatusError("A valid port number corresponding to a port on the Service must be specified", "PortNotSpecified");
  }
  const protocol = routeKind === "UDPRoute" ? "UDP" : "TCP";
  const ns = ref.namespace !== undefined && ref.namespace !== "" ? ref.namespace : routeNamespace;
  switch (kind) {
    case "Service": {
      const svc = index.service(ns, ref.name);
      if (svc === undefined) return new RouteStatusError(`service ${ns}/${ref.name} not found`, "BackendNotFound");
      if (svc.spec?.type === "ExternalName") {
        return new RouteStatusError(
          `Service ${ns}/${ref.name} is of type ExternalName, which is not supported as a backend; use an Envoy Gateway Backend resource with an FQDN endpoint instead`,
          "UnsupportedValue",
        );
      }
      if (!(svc.spec?.ports ?? []).some((p) => p.port === ref.port && portProtocol(p.protocol) === protocol)) {
        return new RouteStatusError(`${protocol} Port ${ref.port ?? 0} not found on Service ${ns}/${ref.name}`, "PortNotFound");
      }
      return undefined;
    }
    case "ServiceImport": {
      const si = index.serviceImport(ns, ref.name);
      if (si === undefined) return new RouteStatusError(`service import ${ns}/${ref.name} not found`, "BackendNotFound");
      const ports = ((si.spec ?? {}) as { ports?: ReadonlyArray<{ port: number; protocol?: string }> }).ports ?? [];
      if (!ports.some((p) => p.port === ref.port && portProtocol(p.protocol) === protocol)) {
        return new RouteStatusError(`${protocol} port ${ref.port ?? 0} not found on service import ${ns}/${ref.name}`, "PortNotFound");
      }
      return undefined;
    }
    case "Backend":
      return validateBackendRefBackend(ref.name, ns, index, options, false);
    default:
      return undefined;
  }
}

/** Validates a reference to an Envoy Gateway Backend. */
export function validateBackendRefBackend(
  name: string,
  namespace: string,
  index: ResourceIndex,
  options: TranslateOptions,
  allowUDS: boolean,
): RouteStatusError | undefined {
  if (options.backendEnabled !== true) return new RouteStatusError("Backend is disabled in Envoy Gateway configuration", "UnsupportedValue");
  const backend = index.backend(namespace, name);
  if (backend === undefined) return new RouteStatusError(`Backend ${namespace}/${name} not found`, "BackendNotFound");
  const err = validateBackend(backend, index.resources.backendTLSPolicies ?? [], options.runningOnHost === true);
  if (err !== undefined) return err;
  if (!allowUDS && (backend.spec.endpoints ?? []).some((ep) => ep.unix !== undefined)) {
    return new RouteStatusError("unix domain sockets are not supported in backend references", "UnsupportedAddressType");
  }
  return undefined;
}

/** Checks that a cross-namespace backend reference is allowed by a ReferenceGrant. */
export function validateBackendNamespace(ref: BackendRefLike, routeKind: string, routeNamespace: string, index: ResourceIndex): RouteStatusError | undefined {
  if (ref.namespace === undefined || ref.namespace === "" || ref.namespace === routeNamespace) return undefined;
  const kind = ref.kind !== undefined && ref.kind !== "" ? ref.kind : "Service";
  const permitted = isReferencePermitted(
    { group: "gateway.networking.k8s.io", kind: routeKind, namespace: routeNamespace },
    { group: ref.group ?? "", kind, namespace: ref.namespace, name: ref.name },
    index.referenceGrants,
  );
  return permitted
    ? undefined
    : new RouteStatusError(`Backend ref to ${kind} ${ref.namespace}/${ref.name} not permitted by any ReferenceGrant.`, "RefNotPermitted");
}

/** Builds the destination setting of one resolved backend reference (no validation). */
export function destinationSettingFor(
  name: string,
  ref: BackendRefLike,
  routeNamespace: string,
  protocol: ir.AppProtocol,
  serviceRouting: boolean,
  index: ResourceIndex,
): Mutable<ir.DestinationSetting> | RouteStatusError {
  const ns = ref.namespace !== undefined && ref.namespace !== "" ? ref.namespace : routeNamespace;
  const kind = ref.kind !== undefined && ref.kind !== "" ? ref.kind : "Service";
  switch (kind) {
    case "ServiceImport":
      return serviceImportDestinationSetting(name, ref, ns, protocol, serviceRouting, index);
    case "Backend": {
      const backend = index.backend(ns, ref.name);
      return backend === undefined
        ? new RouteStatusError(`Backend ${ns}/${ref.name} not found`, "BackendNotFound")
        : backendDestinationSetting(name, backend, protocol);
    }
    default: {
      const svc = index.service(ns, ref.name);
      if (svc === undefined) return new RouteStatusError(`service ${ns}/${ref.name} not found`, "BackendNotFound");
      const ds = serviceDestinationSetting(name, svc, ref.port ?? 0, protocol, serviceRouting, index);
      if (ds instanceof RouteStatusError) return ds;
      const family = serviceIPFamily(svc);
      if (family !== undefined) ds.ipFamily = family;
      return ds;
    }
  }
}
