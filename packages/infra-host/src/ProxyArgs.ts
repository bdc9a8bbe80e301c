import { createHash } from "node:crypto";
import { parseGoDuration, type ProxyInfra } from "@egts/ir";
import { parse, stringify } from "yaml";
import {
  applyJsonPatch,
  mergeBootstrap,
  metricSinksOf,
  renderBootstrapYaml,
  statsMatcherOf,
  type BootstrapOptions,
  type JsonPatchOperation,
} from "@egts/bootstrap";

/**
 * A name with a short hash suffix, `/` turned into `-`, trimmed to `length` characters before the hash
 * (upstream utils.GetHashedName): the proxy's `--service-node`.
 */
export function hashedName(namespacedName: string, length: number): string {
  const digest = createHash("sha256").update(namespacedName).digest("hex").slice(0, 8);
  let name = namespacedName.replaceAll("/", "-");
  if (length > 0 && name.length > length) name = name.slice(0, length).replace(/-+$/, "");
  return `${name}-${digest}`;
}

/** The parts of an EnvoyProxy spec that shape a proxy's command line and bootstrap (loosely typed JSON). */
interface EnvoyProxySpecView {
  readonly logging?: { readonly level?: Readonly<Record<string, string>> };
  readonly concurrency?: number;
  readonly extraArgs?: ReadonlyArray<string>;
  readonly shutdown?: { readonly drainTimeout?: string };
  readonly ipFamily?: "IPv4" | "IPv6" | "DualStack";
  readonly telemetry?: {
    readonly metrics?: {
      readonly prometheus?: { readonly disable?: boolean; readonly compression?: { readonly type?: "Gzip" | "Brotli" | "Zstd" } };
      readonly matches?: ReadonlyArray<{ readonly type?: string; readonly value: string }>;
    };
  };
  readonly bootstrap?: { readonly type?: "Merge" | "Replace" | "JSONPatch"; readonly value?: string; readonly jsonPatches?: ReadonlyArray<JsonPatchOperation> };
}

/** The EnvoyProxy spec carried in the infra IR (`proxy.config.spec`), or an empty one. */
export function envoyProxySpecOf(proxy: ProxyInfra): EnvoyProxySpecView {
  const spec = (proxy.config as { spec?: unknown } | undefined)?.spec;
  return typeof spec === "object" && spec !== null ? (spec as EnvoyProxySpecView) : {};
}

/** How a proxy running on this host reaches the controller. */
export interface HostProxySettings {
  /** Address of the xDS server as the proxy dials it. Upstream host mode uses 0.0.0.0. */
  readonly xdsServerHost: string;
  readonly xdsServerPort: number;
  /** mTLS to the xDS server (the default); false for a plaintext local setup. */
  readonly xdsTls: boolean;
  /** Directory holding the SDS files xds-certificate.json and xds-trusted-ca.json. */
  readonly sdsDirectory: string;
}

/** The command line for one proxy, or why it cannot be built. */
export type ProxyArgsResult = { readonly ok: true; readonly args: ReadonlyArray<string> } | { readonly ok: false; readonly error: string };

/** The bootstrap options host mode uses for a proxy (upstream host infra: no Prometheus, no topology injector, OS-picked admin and stats ports). */
export function hostBootstrapOptions(proxy: ProxyInfra, settings: HostProxySettings): BootstrapOptions {
  const spec = envoyProxySpecOf(proxy);
  const metrics = spec.telemetry?.metrics;
  const statsMatcher = metrics?.matches !== undefined ? statsMatcherOf(metrics.matches) : undefined;
  return {
    xdsServerHost: settings.xdsServerHost,
    xdsServerPort: settings.xdsServerPort,
    xdsTls: settings.xdsTls,
    sdsCertificatePath: `${settings.sdsDirectory}/xds-certificate.json`,
    sdsTrustedCAPath: `${settings.sdsDirectory}/xds-trusted-ca.json`,
    adminServerPort: 0,
    statsServerPort: 0,
    enablePrometheus: false,
    metricSinks: metricSinksOf(proxy.resolvedMetricSinks),
    ...(statsMatcher !== undefined ? { statsMatcher } : {}),
    ...(spec.ipFamily !== undefined ? { ipFamily: spec.ipFamily } : {}),
    serviceClusterName: proxy.name,
    topologyInjectorDisabled: true,
  };
}

/**
 * Builds Envoy's command line for one proxy as upstream does (common.BuildProxyArgs): `--service-cluster` is the
 * IR key, `--service-node` its hashed name, the bootstrap inline, log levels from the EnvoyProxy (default warn,
 * components misc:error), `--cpuset-threads`, immediate drain, the drain time (default 60 s), concurrency and the
 * EnvoyProxy's extra args. A `Replace` bootstrap from the EnvoyProxy is used verbatim, a `Merge` one is merged
 * into the rendered default ({@link mergeBootstrap}), `JSONPatch` operations are applied to it (by `path`;
 * `jsonPath` is not supported yet and yields an error).
 */
export function buildProxyArgs(proxy: ProxyInfra, bootstrap: BootstrapOptions): ProxyArgsResult {
  const spec = envoyProxySpecOf(proxy);
  let config = renderBootstrapYaml(bootstrap);
  if (spec.bootstrap !== undefined) {
    const type = spec.bootstrap.type ?? "Replace";
    if (type === "Replace" && spec.bootstrap.value !== undefined) config = spec.bootstrap.value;
    else if (type === "Merge" && spec.bootstrap.value !== undefined) {
      const merged = mergeBootstrap(config, spec.bootstrap.value);
      if (!merged.ok) return { ok: false, error: `EnvoyProxy spec.bootstrap: ${merged.error}` };
      config = merged.yaml;
    } else if (type === "JSONPatch") {
      try {
        config = stringify(applyJsonPatch(parse(config), spec.bootstrap.jsonPatches ?? []), { lineWidth: 0 });
      } catch (error) {
        return { ok: false, error: `EnvoyProxy spec.bootstrap.jsonPatches: ${(error as Error).message}` };
      }
    }
  }
  const levels = spec.logging?.level ?? {};
  const components = Object.entries(levels)
    .filter(([component, level]) => component !== "default" && level !== "")
    .map(([component, level]) => `${component}:${level}`)
    .sort();
  const args = [
    "--service-cluster",
    proxy.name,
    "--service-node",
    hashedName(proxy.name, 64),
    "--config-yaml",
    config,
    "--log-level",
    levels["default"] || "warn",
    "--cpuset-threads",
    "--drain-strategy",
    "immediate",
  ];
  if (spec.concurrency !== undefined) args.push("--concurrency", String(spec.concurrency));
  args.push("--component-log-level", components.length > 0 ? components.join(",") : "misc:error");
  let drainSeconds = 60;
  if (spec.shutdown?.drainTimeout !== undefined) {
    const nanos = parseGoDuration(spec.shutdown.drainTimeout);
    if (nanos === undefined)
      return { ok: false, error: `EnvoyProxy spec.shutdown.drainTimeout: invalid duration ${JSON.stringify(spec.shutdown.drainTimeout)}` };
    drainSeconds = nanos / 1e9;
  }
  args.push("--drain-time-s", String(Math.round(drainSeconds)));
  args.push(...(spec.extraArgs ?? []));
  return { ok: true, args };
}
