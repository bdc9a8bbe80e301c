// Valid listeners -> xds IR listeners and infra IR proxy ports, plus per-proxy settings from the EnvoyProxy
// (readiness listener, observability). Upstream listener.go ProcessListeners.
import type { EnvoyProxy } from "@egts/api";
import type * as ir from "@egts/ir";
import { condition, setCondition } from "./Conditions.js";
import type { ResourceIndex } from "./Index.js";
import { finalizeListenerConditions, type ListenerTLS } from "./Listeners.js";
import { egAnnotations } from "./Metadata.js";
import { irListenerName, listenerIsReady, type GatewayContext, type ListenerContext, type TranslateOptions } from "./Model.js";
import type { Mutable } from "./Mutable.js";
import { processAccessLog, processHealthCheckLog, processMetrics } from "./Observability.js";
import { telemetryBackendResolver } from "./Telemetry.js";
import { sdsConfig, type BackendTLSPolicyStatuses } from "./BackendTLS.js";
import { processTracing } from "./Tracing.js";

function ipFamilyOf(ep: EnvoyProxy | undefined): ir.CoreListenerDetails["ipFamily"] | undefined {
  const f = ep?.spec.ipFamily;
  return f === "IPv4" || f === "IPv6" || f === "DualStack" ? (f as ir.CoreListenerDetails["ipFamily"]) : undefined;
}

function needToSwitchPorts(ep: EnvoyProxy | undefined): boolean {
  const k8s = ep?.spec.provider?.kubernetes as { useListenerPortAsContainerPort?: boolean } | undefined;
  return k8s?.useListenerPortAsContainerPort !== true;
}

function containerPort(port: number, ep: EnvoyProxy | undefined, options: TranslateOptions): number {
  if (options.runningOnHost === true) return port;
  if (ep !== undefined && !needToSwitchPorts(ep)) return port;
  return port < 1024 ? port + 10000 : port;
}

function listenerMetadata(l: ListenerContext): ir.ResourceMetadata {
  const g = l.gateway.gateway;
  const md: Mutable<ir.ResourceMetadata> = { kind: "Gateway", name: g.metadata.name, namespace: g.metadata.namespace ?? "", sectionName: l.listener.name };
  const annotations = egAnnotations(g.metadata.annotations);
  if (annotations !== undefined) md.annotations = annotations;
  return md;
}

function tlsCertificates(l: ListenerContext, tls: ListenerTLS): ir.TLSCertificate[] {
  return (tls.get(l) ?? []).map((s) => {
    const name = `${s.secret.metadata.namespace ?? ""}/${s.secret.metadata.name}`;
    if (s.sds) {
      const cfg = sdsConfig(s.secret);
      return typeof cfg === "string" ? { name } : { name, sds: cfg };
    }
    const cert: Mutable<ir.TLSCertificate> = { name, certificate: new Uint8Array(s.certificate), privateKey: new Uint8Array(s.privateKey) };
    const ocsp = s.secret.data?.["tls.ocsp-staple"];
    if (ocsp !== undefined && ocsp !== "") cert.ocspStaple = new Uint8Array(Buffer.from(ocsp, "base64"));
    return cert;
  });
}

/** Proxy-level IR and IR listeners of every accepted Gateway, in upstream's order. */
export function buildListenerIR(
  gateways: ReadonlyArray<GatewayContext>,
  xdsIR: Map<string, Mutable<ir.Xds>>,
  infraIR: Map<string, Mutable<ir.ProxyInfra>>,
  tls: ListenerTLS,
  options: TranslateOptions,
  index: ResourceIndex,
  mergeGateways: boolean,
  btlsStatuses: BackendTLSPolicyStatuses,
): void {
  const foundPorts = new Map<string, Array<{ layer: string; port: number }>>();
  for (const g of gateways) {
    const x = xdsIR.get(g.irKey);
    const proxy = infraIR.get(g.irKey);
    if (x === undefined || proxy === undefined) continue;
    const ep = g.envoyProxy;
    if (ep !== undefined) proxy.config = ep as never;
    const family = ep?.spec.ipFamily ?? "IPv4";
    x.readyListener = {
      ipFamily: family as ir.ReadyListener["ipFamily"],
      address: family === "IPv6" || family === "DualStack" ? "::" : "0.0.0.0",
      port: 19003,
      path: "/ready",
    };
    const resolver = telemetryBackendResolver(ep, g, index, options, btlsStatuses);
    const notAccepted = (what: string, err: string): void =>
      setCondition(
        g.status.conditions,
        condition("Accepted", "False", "InvalidParameters", `Invalid ${what} backendRefs in the referenced EnvoyProxy: ${err}`, g.gateway.metadata.generation),
      );
    observability: {
      const accessLog = processAccessLog(ep, resolver);
      if (typeof accessLog === "string") {
        notAccepted("access log", accessLog);
        delete x.accessLog;
        break observability;
      }
      if (accessLog !== undefined) x.accessLog = accessLog;
      const tracing = processTracing(ep, g, resolver, mergeGateways);
      if (typeof tracing === "string") {
        notAccepted("tracing", tracing);
        break observability;
      }
      if (tracing !== undefined) x.tracing = tracing;
      const metrics = processMetrics(ep, resolver);
      if (typeof metrics === "string") {
        notAccepted("metrics", metrics);
        break observability;
      }
      if (metrics.metrics !== undefined) x.metrics = metrics.metrics;
      if (metrics.sinks.length > 0) proxy.resolvedMetricSinks = metrics.sinks;
      const hc = processHealthCheckLog(ep);
      if (hc !== undefined) x.healthCheckLog = hc;
    }

    for (const l of g.listeners) {
      finalizeListenerConditions(l);
      if (!listenerIsReady(l)) continue;
      if (l.frontendValidation !== undefined && "error" in l.frontendValidation) continue;
      const family = ipFamilyOf(ep);
      const address = family === "IPv6" || family === "DualStack" ? "::" : "0.0.0.0";
      const cPort = containerPort(l.listener.port, ep, options);
      const core: Mutable<ir.CoreListenerDetails> = {
        name: irListenerName(l),
        address,
        port: cPort,
        externalPort: l.listener.port,
        metadata: listenerMetadata(l),
      };
      if (family !== undefined) core.ipFamily = family;
      const protocol = l.listener.protocol;
      if (protocol === "HTTP" || protocol === "HTTPS") {
        const certs = tlsCertificates(l, tls);
        const httpListener: Mutable<ir.HTTPListener> = {
          ...core,
          hostnames: [l.listener.hostname ?? "*"],
          path: { mergeSlashes: true, escapedSlashesAction: "UnescapeAndRedirect" },
        };
        const fv = l.frontendValidation;
        if (certs.length > 0 || fv !== undefined) {
          const tlsConfig: Mutable<ir.TLSConfig> = { certificates: certs };
          if (fv !== undefined && !("error" in fv)) {
            tlsConfig.caCertificate = fv.caCertificate;
            tlsConfig.clientValidationEnabled = true;
            tlsConfig.requireClientCertificate = fv.mode === "RequireAndVerify";
            tlsConfig.acceptUntrusted = fv.mode === "Request";
          }
          httpListener.tls = tlsConfig;
        }
        if (ep?.spec.preserveRouteOrder === true) httpListener.preserveRouteOrder = true;
        const requestId = (ep?.spec.telemetry as { requestID?: { tracing?: string } } | undefined)?.requestID?.tracing;
        if (requestId !== undefined) httpListener.requestID = requestId as ir.RequestIDExtensionAction;
        const grpcStats = (ep?.spec.telemetry?.metrics as { enableGRPCStats?: boolean } | undefined)?.enableGRPCStats;
        if (grpcStats !== undefined) httpListener.grpc = { enableGRPCStats: grpcStats };
        x.http = [...(x.http ?? []), httpListener];
        l.httpIR = httpListener;
      } else if (protocol === "TCP" || protocol === "TLS") {
        const certs = tlsCertificates(l, tls);
        const tcpListener: Mutable<ir.TCPListener> = { ...core };
        if (certs.length > 0) tcpListener.tls = { certificates: certs, alpnProtocols: [] };
        x.tcp = [...(x.tcp ?? []), tcpListener];
      } else if (protocol === "UDP") {
        x.udp = [...(x.udp ?? []), { ...core }];
      }
      const layer = protocol === "UDP" ? "UDP" : protocol === "TCP" ? "TCP/L4" : "TCP/L7";
      const ports = foundPorts.get(g.irKey) ?? [];
      if (!ports.some((p) => p.port === l.listener.port && p.layer === layer)) {
        const irProtocol = protocol as ir.ProtocolType;
        const port: ir.ListenerPort = {
          name: `${protocol.toLowerCase()}-${l.listener.port}`,
          protocol: irProtocol,
          servicePort: l.listener.port,
          containerPort: cPort,
        };
        proxy.listeners = [...(proxy.listeners ?? []), { name: irListenerName(l), ports: [port] }];
        ports.push({ port: l.listener.port, layer });
        foundPorts.set(g.irKey, ports);
      }
    }
  }
}
