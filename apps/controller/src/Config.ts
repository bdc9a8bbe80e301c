import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { isAbsolute, join, resolve } from "node:path";
import { decodeEnvoyGateway, validateEnvoyGateway, type EnvoyGateway } from "@egts/api";
import { hostPaths, type HostPaths } from "@egts/infra-host";
import type { ProblemLimits } from "@egts/provider-file";
import type { XdsLimits } from "@egts/xds-server";
import { parse } from "yaml";

/** Upstream's default controller name (`gateway.envoyproxy.io/gatewayclass-controller`). */
export const DEFAULT_CONTROLLER_NAME = "gateway.envoyproxy.io/gatewayclass-controller";
/** Namespace the controller considers its own (names in the IR, certificates). */
export const DEFAULT_CONTROLLER_NAMESPACE = "envoy-gateway-system";
/** Default xDS server port (upstream's). */
export const DEFAULT_XDS_PORT = 18000;
/** Default admin server address and port (upstream's). */
export const DEFAULT_ADMIN_HOST = "127.0.0.1";
/** Default admin server port (upstream's). */
export const DEFAULT_ADMIN_PORT = 19000;

/**
 * The configuration used when no `--config-path` is given: the File provider on ./examples/quickstart and Host
 * infrastructure, as upstream's standalone quickstart.
 */
export const defaultEnvoyGatewayConfig: EnvoyGateway = {
  apiVersion: "gateway.envoyproxy.io/v1alpha1",
  kind: "EnvoyGateway",
  gateway: { controllerName: DEFAULT_CONTROLLER_NAME },
  provider: {
    type: "Custom",
    custom: {
      resource: { type: "File", file: { paths: ["./examples/quickstart"] } },
      infrastructure: { type: "Host", host: {} },
    },
  },
  logging: { level: { default: "info" } },
};

/** A configuration file that cannot be used, with every reason. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(
    readonly file: string,
    readonly problems: ReadonlyArray<string>,
  ) {
    super(`${file}: invalid EnvoyGateway configuration:\n  ${problems.join("\n  ")}`);
  }
}

/** Reads and validates an EnvoyGateway configuration file (YAML or JSON). Throws {@link ConfigError}. */
export async function loadEnvoyGatewayConfig(file: string): Promise<EnvoyGateway> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new ConfigError(file, [`cannot read: ${(error as Error).message}`]);
  }
  let raw: unknown;
  try {
    raw = parse(text, { maxAliasCount: 100 });
  } catch (error) {
    throw new ConfigError(file, [`invalid YAML: ${(error as Error).message}`]);
  }
  const decoded = decodeEnvoyGateway(raw);
  if (!decoded.ok)
    throw new ConfigError(
      file,
      decoded.errors.map((e) => (e.path === "" ? e.message : `${e.path}: ${e.message}`)),
    );
  const invalid = validateEnvoyGateway(decoded.config);
  if (invalid.length > 0)
    throw new ConfigError(
      file,
      invalid.map((e) => `${e.path}: ${e.message}`),
    );
  return decoded.config;
}

/** Settings egts adds to upstream's EnvoyGateway configuration (command-line flags or environment). */
export interface ControllerFlags {
  /** xDS server port. Default 18000. */
  readonly xdsPort?: number;
  /**
   * Serve xDS without TLS on 127.0.0.1, for local experiments (flag `--xds-plaintext`, env EGTS_XDS_PLAINTEXT=1).
   * Proxies started by the Host infrastructure are then bootstrapped without TLS too.
   */
  readonly xdsPlaintext?: boolean;
  /** Admin server port; overrides `admin.address.port`. 0 picks a free port. */
  readonly adminPort?: number;
  /** Envoy binary (path or name on PATH); default `envoy` on PATH (flag `--envoy-path`, env EGTS_ENVOY_PATH). */
  readonly envoyPath?: string;
  /** Quiet period of the File provider's watcher, in milliseconds. Default 150. */
  readonly fileDebounceMs?: number;
  /** The controller's namespace (upstream reads ENVOY_GATEWAY_NAMESPACE). Default envoy-gateway-system. */
  readonly controllerNamespace?: string;
  /** Port of the rate limit xDS server (served only when `rateLimit` is configured). Default 18001; 0 picks a free port. */
  readonly rateLimitXdsPort?: number;
  /** envoyproxy/ratelimit binary; default `ratelimit` on PATH (flag `--ratelimit-path`, env EGTS_RATELIMIT_PATH). */
  readonly rateLimitPath?: string;
  /** Longest the File provider holds a reload back while files keep changing, in milliseconds. Default 1000. */
  readonly fileMaxDelayMs?: number;
  /**
   * Directory of persistent state (the File provider's last good texts, so a file broken across a restart
   * keeps serving); flag `--state-dir`. Default the host's stateHome (~/.local/state/envoy-gateway).
   */
  readonly stateDirectory?: string;
  /** Bounds on the problems kept per file (status and log). */
  readonly problemLimits?: ProblemLimits;
  /** Per-stream bounds of the xDS server (send backlog, NACK message, types, names). */
  readonly xdsLimits?: XdsLimits;
  /** Warn about xDS certificates expiring within this many days. Default 30. */
  readonly certificateWarnDays?: number;
  /** Kubernetes mode: a kubeconfig file (default: in-cluster configuration, else KUBECONFIG or ~/.kube/config). */
  readonly kubeconfig?: string;
}

/** Everything the controller runs with, resolved from the EnvoyGateway configuration and flags. */
export interface ControllerSettings {
  readonly envoyGateway: EnvoyGateway;
  /** Where resources come from: files, or a Kubernetes API server (`provider.type: Kubernetes`). */
  readonly providerType: "File" | "Kubernetes";
  /** Kubernetes mode: the kubeconfig file given, if any. */
  readonly kubeconfig?: string;
  readonly controllerName: string;
  readonly controllerNamespace: string;
  /** Files and directories the File provider reads, absolute. */
  readonly filePaths: ReadonlyArray<string>;
  readonly fileDebounceMs: number;
  readonly hostInfrastructure: boolean;
  readonly paths: HostPaths;
  /** Where certificates live: `<configHome>/certs/{envoy-gateway,envoy}` (upstream's `certgen --local` layout). */
  readonly certDirectory: string;
  readonly xds: { readonly host: string; readonly port: number; readonly tls: boolean };
  readonly admin: { readonly host: string; readonly port: number };
  readonly envoyPath?: string;
  /** Port of the rate limit xDS server; default 18001. */
  readonly rateLimitXdsPort?: number;
  /** envoyproxy/ratelimit binary (path or name on PATH); default `ratelimit` on PATH. */
  readonly rateLimitPath?: string;
  readonly fileMaxDelayMs: number;
  /** Where the File provider keeps its last good texts (one file per set of configured paths). */
  readonly fileStateFile: string;
  readonly problemLimits: ProblemLimits;
  readonly xdsLimits: XdsLimits;
  /** Certificates expiring sooner than this are reported (log, status, metric). */
  readonly certificateWarnBeforeMs: number;
}

/**
 * Resolves the controller's settings. Relative File provider paths are taken from `baseDir` (the working
 * directory). The Kubernetes provider, or the Custom provider with a File resource provider and Host
 * infrastructure; anything else is a {@link ConfigError}.
 */
export function resolveSettings(config: EnvoyGateway, flags: ControllerFlags, baseDir: string, source = "<config>"): ControllerSettings {
  const problems: string[] = [];
  const provider = config.provider;
  if (provider?.type === "Kubernetes") return kubernetesSettings(config, flags);
  if (provider?.type !== "Custom")
    problems.push(`provider.type: only "Kubernetes" or "Custom" (File resources) is supported, got ${JSON.stringify(provider?.type ?? null)}`);
  const custom = provider?.custom;
  if (provider?.type === "Custom" && custom?.resource.type !== "File")
    problems.push(`provider.custom.resource.type: only "File" is supported, got ${JSON.stringify(custom?.resource.type ?? null)}`);
  const paths = custom?.resource.file?.paths ?? [];
  if (custom?.resource.type === "File" && paths.length === 0) problems.push("provider.custom.resource.file.paths: at least one path is required");
  const infraType = custom?.infrastructure?.type ?? "Host";
  if (infraType !== "Host") problems.push(`provider.custom.infrastructure.type: only "Host" is supported, got ${JSON.stringify(infraType)}`);
  if (problems.length > 0) throw new ConfigError(source, problems);

  const host = hostPaths(custom?.infrastructure?.host ?? {});
  const filePaths = paths.map((p) => (isAbsolute(p) ? p : resolve(baseDir, p)));
  const pathsHash = createHash("sha256").update(JSON.stringify(filePaths)).digest("hex").slice(0, 16);
  return {
    envoyGateway: config,
    providerType: "File",
    controllerName: config.gateway?.controllerName ?? DEFAULT_CONTROLLER_NAME,
    controllerNamespace: flags.controllerNamespace ?? DEFAULT_CONTROLLER_NAMESPACE,
    filePaths,
    fileDebounceMs: flags.fileDebounceMs ?? 150,
    hostInfrastructure: true,
    paths: host,
    ...modeIndependentSettings(config, flags, host),
    fileStateFile: join(flags.stateDirectory ?? host.stateHome, "provider-file", `last-good-${pathsHash}.json`),
  };
}

/** The settings both provider modes resolve the same way. */
function modeIndependentSettings(config: EnvoyGateway, flags: ControllerFlags, host: HostPaths) {
  const plaintext = flags.xdsPlaintext ?? false;
  const adminAddress = config.admin?.address;
  return {
    certDirectory: join(host.configHome, "certs"),
    // Upstream listens on all interfaces with mTLS; plaintext is only ever offered on loopback.
    xds: { host: plaintext ? "127.0.0.1" : "0.0.0.0", port: flags.xdsPort ?? DEFAULT_XDS_PORT, tls: !plaintext },
    admin: { host: adminAddress?.host ?? DEFAULT_ADMIN_HOST, port: flags.adminPort ?? adminAddress?.port ?? DEFAULT_ADMIN_PORT },
    ...(flags.envoyPath !== undefined ? { envoyPath: flags.envoyPath } : {}),
    ...(flags.rateLimitXdsPort !== undefined ? { rateLimitXdsPort: flags.rateLimitXdsPort } : {}),
    ...(flags.rateLimitPath !== undefined ? { rateLimitPath: flags.rateLimitPath } : {}),
    fileMaxDelayMs: flags.fileMaxDelayMs ?? 1000,
    problemLimits: flags.problemLimits ?? {},
    xdsLimits: flags.xdsLimits ?? {},
    certificateWarnBeforeMs: (flags.certificateWarnDays ?? 30) * 86_400_000,
  };
}

/** Settings of Kubernetes mode: resources from the API server, statuses written back, no host proxies. */
function kubernetesSettings(config: EnvoyGateway, flags: ControllerFlags): ControllerSettings {
  const host = hostPaths({});
  return {
    envoyGateway: config,
    providerType: "Kubernetes",
    ...(flags.kubeconfig !== undefined ? { kubeconfig: flags.kubeconfig } : {}),
    controllerName: config.gateway?.controllerName ?? DEFAULT_CONTROLLER_NAME,
    controllerNamespace: flags.controllerNamespace ?? DEFAULT_CONTROLLER_NAMESPACE,
    filePaths: [],
    fileDebounceMs: flags.fileDebounceMs ?? 150,
    hostInfrastructure: false,
    paths: host,
    ...modeIndependentSettings(config, flags, host),
    // The File provider does not run in this mode; its state file is named for completeness only.
    fileStateFile: join(flags.stateDirectory ?? host.stateHome, "provider-file", "unused.json"),
  };
}
