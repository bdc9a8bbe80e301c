// Proxy-wide resources: the proxy's own Service as a cluster, and the Envoy client certificate used by
// global rate limiting and Wasm (upstream globalresources.go).
import type { Resources } from "@egts/api";
import type * as ir from "@egts/ir";
import { RouteStatusError } from "./Conditions.js";
import { serviceDestinationSetting, isServiceRouting } from "./Backends.js";
import type { ResourceIndex } from "./Index.js";
import type { GatewayContext, TranslateOptions } from "./Model.js";
import type { Mutable } from "./Mutable.js";

/** Fills in global resources of each proxy's xds IR. */
export function processGlobalResources(
  gateways: ReadonlyArray<GatewayContext>,
  xdsIR: Map<string, Mutable<ir.Xds>>,
  index: ResourceIndex,
  options: TranslateOptions,
  mergeGateways: boolean,
  resources: Resources,
): void {
  for (const g of gateways) {
    const labels: Record<string, string> = mergeGateways
      ? { "gateway.envoyproxy.io/owning-gatewayclass": g.gateway.spec.gatewayClassName }
      : { "gateway.envoyproxy.io/owning-gateway-namespace": g.namespace, "gateway.envoyproxy.io/owning-gateway-name": g.name };
    const ns = options.gatewayNamespaceMode === true ? g.namespace : options.controllerNamespace;
    const svc = index.serviceByLabels(labels, ns);
    const x = xdsIR.get(g.irKey);
    const port = svc?.spec?.ports?.[0];
    if (svc !== undefined && x !== undefined && port !== undefined) {
      const ds = serviceDestinationSetting(
        g.irKey,
        svc,
        port.port,
        (port.protocol ?? "TCP") as ir.AppProtocol,
        isServiceRouting(resources.envoyProxyForGatewayClass, options),
        index,
      );
      if (!(ds instanceof RouteStatusError)) {
        const dest: Mutable<ir.RouteDestination> = { name: ds.name, settings: [ds] };
        if (ds.metadata !== undefined) dest.metadata = ds.metadata;
        x.globalResources = { ...(x.globalResources ?? {}), proxyServiceCluster: dest };
      }
    }
    if (mergeGateways) break;
  }
  const secret = index.secret(options.controllerNamespace, "envoy");
  if (secret === undefined) return;
  for (const x of xdsIR.values()) {
    const needsClientCert = (x.http ?? []).some((l) =>
      (l.routes ?? []).some((r) => r.traffic?.rateLimit?.global !== undefined || (r.envoyExtensions?.wasms ?? []).length > 0),
    );
    if (!needsClientCert) continue;
    x.globalResources = {
      ...(x.globalResources ?? {}),
      envoyClientCertificate: {
        name: `${secret.metadata.namespace ?? ""}/${secret.metadata.name}`,
        certificate: new Uint8Array(Buffer.from(secret.data?.["tls.crt"] ?? "", "base64")),
        privateKey: new Uint8Array(Buffer.from(secret.data?.["tls.key"] ?? "", "base64")),
      },
    };
  }
}
