// Backend references of EnvoyProxy telemetry sinks (access log, tracing, metrics) -> destination settings
// (upstream listener.go processBackendRefsForTelemetry).
import type { EnvoyProxy } from "@egts/api";
import type * as ir from "@egts/ir";
import { RouteStatusError } from "./Conditions.js";
import { backendDestinationSetting, isServiceRouting, serviceDestinationSetting, validateBackendRefBackend, type BackendRefLike } from "./Backends.js";
import type { ResourceIndex } from "./Index.js";
import type { GatewayContext, TranslateOptions } from "./Model.js";
import type { TelemetryBackendResolver } from "./Observability.js";
import { backendTLSSetting, type BackendTLSPolicyStatuses } from "./BackendTLS.js";
import type { Mutable } from "./Mutable.js";
import { translateTrafficFeatures, type ClusterSettings } from "./ClusterSettings.js";

/** A resolver of telemetry backendRefs for one Gateway's EnvoyProxy. */
export function telemetryBackendResolver(
  ep: EnvoyProxy | undefined,
  _gateway: GatewayContext,
  index: ResourceIndex,
  options: TranslateOptions,
  btlsStatuses: BackendTLSPolicyStatuses,
): TelemetryBackendResolver {
  return (settingName, cluster) => {
    const refs = ((cluster as { backendRefs?: BackendRefLike[] } | undefined)?.backendRefs ?? []) as BackendRefLike[];
    const settings: ir.DestinationSetting[] = [];
    const epNamespace = ep?.metadata.namespace ?? "";
    const ancestor = { group: "gateway.envoyproxy.io", kind: "EnvoyProxy", namespace: epNamespace, name: ep?.metadata.name ?? "" };
    const applyTLS = (ds: Mutable<ir.DestinationSetting>, ref: BackendRefLike, ns: string, kind: string): string | undefined => {
      const tls = backendTLSSetting(ref, ns, ancestor, _gateway, index, options, btlsStatuses);
      if (tls instanceof RouteStatusError) return tls.message;
      if (tls === undefined) return undefined;
      const out: Mutable<ir.TLSUpstreamConfig> = { ...tls };
      if (out.sni === undefined && kind === "Backend") {
        const eps = index.backend(ns, ref.name)?.spec.endpoints ?? [];
        const fqdn = eps.length === 1 ? eps[0]?.fqdn : undefined;
        if (fqdn !== undefined) out.sni = fqdn.hostname;
      }
      ds.tls = out;
      return undefined;
    };
    for (const ref of refs) {
      const ns = ref.namespace !== undefined && ref.namespace !== "" ? ref.namespace : epNamespace;
      const kind = ref.kind !== undefined && ref.kind !== "" ? ref.kind : "Service";
      if (kind === "Service") {
        const svc = index.service(ns, ref.name);
        if (svc === undefined) return `service ${ns}/${ref.name} not found`;
        if (svc.spec?.type === "ExternalName") {
          return `Service ${ns}/${ref.name} is of type ExternalName, which is not supported as a backend; use an Envoy Gateway Backend resource with an FQDN endpoint instead`;
        }
        if (!(svc.spec?.ports ?? []).some((p) => p.port === ref.port && (p.protocol ?? "TCP") === "TCP")) {
          return `TCP Port ${ref.port ?? 0} not found on Service ${ns}/${ref.name}`;
        }
        const ds = serviceDestinationSetting(settingName, svc, ref.port ?? 0, "TCP", isServiceRouting(ep, options), index);
        if (ds instanceof RouteStatusError) return ds.message;
        const err = applyTLS(ds, ref, ns, kind);
        if (err !== undefined) return err;
        settings.push(ds);
      } else if (kind === "Backend") {
        const err = validateBackendRefBackend(ref.name, ns, index, options, true);
        if (err !== undefined) return err.message;
        const backend = index.backend(ns, ref.name);
        if (backend === undefined) return `Backend ${ns}/${ref.name} not found`;
        const ds = backendDestinationSetting(settingName, backend, "TCP");
        if (ds.isDynamicResolver === true) return "dynamic resolver destinations are not supported";
        const tlsErr = applyTLS(ds, ref, ns, kind);
        if (tlsErr !== undefined) return tlsErr;
        settings.push(ds);
      } else return `unsupported kind for backendRefs: ${kind}`;
    }
    const traffic = translateTrafficFeatures((cluster as { backendSettings?: ClusterSettings } | undefined)?.backendSettings);
    if (typeof traffic === "string") return traffic;
    return traffic === undefined ? { settings } : { settings, traffic };
  };
}
