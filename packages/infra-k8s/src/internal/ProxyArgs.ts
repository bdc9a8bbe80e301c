import { applyBootstrapConfig, renderBootstrapYaml, resolveBootstrapOptions, type ProxyMetrics, type RenderBootstrapOptions } from "@egts/bootstrap";
import type { ProxyInfra } from "@egts/ir";
import { durationSeconds, formatWhole } from "./Common.js";
import type { EnvoyProxySpecView } from "./Views.js";

/** Envoy's command line in a pod, or why it cannot be built. */
export type ArgsResult = { readonly ok: true; readonly args: string[] } | { readonly ok: false; readonly error: string };

/**
 * Envoy's command line as upstream builds it (common.BuildProxyArgs): the service cluster (the IR key, or
 * namespace/name in gateway-namespace mode), the node from the pod name, the bootstrap inline (the EnvoyProxy's
 * Replace or Merge bootstrap applied), log levels, `--cpuset-threads`, immediate drain, concurrency, the drain
 * time and the EnvoyProxy's extra arguments.
 */
export function buildProxyArgs(
  proxy: ProxyInfra,
  spec: EnvoyProxySpecView,
  options: Omit<RenderBootstrapOptions, "serviceClusterName" | "ipFamily" | "gatewayNamespaceMode">,
  serviceNode: string,
  gatewayNamespaceMode: boolean,
): ArgsResult {
  const serviceCluster = gatewayNamespaceMode ? `${proxy.namespace ?? ""}/${proxy.name}` : proxy.name;
  const resolved = resolveBootstrapOptions({
    ...options,
    serviceClusterName: serviceCluster,
    ...(spec.ipFamily !== undefined ? { ipFamily: spec.ipFamily } : {}),
    gatewayNamespaceMode,
  });
  if (!resolved.ok) return resolved;
  let bootstrap = renderBootstrapYaml(resolved.options);
  if (spec.bootstrap !== undefined) {
    const applied = applyBootstrapConfig(spec.bootstrap, bootstrap);
    if (!applied.ok) return { ok: false, error: `EnvoyProxy spec.bootstrap: ${applied.error}` };
    bootstrap = applied.yaml;
  }
  const levels = spec.logging?.level ?? {};
  const components = Object.entries(levels)
    .filter(([component, level]) => component !== "default" && level !== "")
    .map(([component, level]) => `${component}:${level}`)
    .sort();
  const args = [
    "--service-cluster",
    serviceCluster,
    "--service-node",
    serviceNode,
    "--config-yaml",
    bootstrap,
    "--log-level",
    levels["default"] || "warn",
    "--cpuset-threads",
    "--drain-strategy",
    "immediate",
  ];
  if (spec.concurrency !== undefined) args.push("--concurrency", String(spec.concurrency));
  args.push("--component-log-level", components.length > 0 ? components.join(",") : "misc:error");
  let drain = 60;
  if (spec.shutdown?.drainTimeout !== undefined) {
    const seconds = durationSeconds(spec.shutdown.drainTimeout);
    if (seconds === undefined)
      return { ok: false, error: `EnvoyProxy spec.shutdown.drainTimeout: invalid duration ${JSON.stringify(spec.shutdown.drainTimeout)}` };
    drain = seconds;
  }
  args.push("--drain-time-s", formatWhole(drain), ...(spec.extraArgs ?? []));
  return { ok: true, args };
}

/** The EnvoyProxy's metrics settings, as the bootstrap renderer reads them. */
export const proxyMetricsOf = (spec: EnvoyProxySpecView): ProxyMetrics | undefined => spec.telemetry?.metrics as ProxyMetrics | undefined;
