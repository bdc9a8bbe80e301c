import { join } from "node:path";
import { findEnvoyBinary } from "./HostInfra.js";
import { ProcessSupervisor, type BackoffPolicy, type ProcessEvent } from "./ProcessSupervisor.js";

/** The `rateLimit` section of an EnvoyGateway configuration, as far as a host process can use it. */
export interface RateLimitBackendSettings {
  readonly backend: {
    readonly type: string;
    readonly redis?: {
      readonly url?: string;
      readonly urlRef?: unknown;
      readonly tls?: { readonly certificateRef?: unknown };
    };
  };
}

/** Where the rate limit service finds the controller and its own certificates. */
export interface RateLimitServiceSettings {
  /** `host:port` of the controller's rate limit xDS server (upstream `envoy-gateway:18001`). */
  readonly xdsServerAddress: string;
  /** mTLS towards the xDS server and for its own gRPC server (false with `--xds-plaintext`). */
  readonly tls: boolean;
  /** Directory with the `envoy-rate-limit` set: ca.crt, tls.crt, tls.key. */
  readonly certDirectory: string;
  /** The service's runtime root (`RUNTIME_ROOT`); upstream mounts `/data`. */
  readonly runtimeRoot: string;
}

/** The node id the service subscribes with (upstream's infra name). */
export const RATE_LIMIT_SERVICE_NODE_ID = "envoy-ratelimit";

/**
 * Why the rate limit service cannot run on this host with this configuration (a Redis URL held in a Secret,
 * a Redis client certificate from a Secret: the host provider reads no Secrets), or undefined when it can.
 */
export function rateLimitHostProblem(rateLimit: RateLimitBackendSettings): string | undefined {
  const redis = rateLimit.backend.redis;
  if (rateLimit.backend.type !== "Redis" || redis === undefined)
    return `rateLimit.backend.type ${JSON.stringify(rateLimit.backend.type)} has no Redis settings`;
  if (redis.url === undefined || redis.url === "") {
    return redis.urlRef !== undefined
      ? "rateLimit.backend.redis.urlRef (a Secret) cannot be read on a host; set rateLimit.backend.redis.url"
      : "rateLimit.backend.redis.url is not set";
  }
  if (redis.tls?.certificateRef !== undefined) return "rateLimit.backend.redis.tls.certificateRef (a Secret) cannot be read on a host";
  return undefined;
}

/**
 * The environment of envoyproxy/ratelimit as upstream's rate limit Deployment sets it: runtime settings,
 * configuration over state-of-the-world xDS from the controller (`GRPC_XDS_SOTW`, node `envoy-ratelimit`),
 * the Redis backend, and mutual TLS with the `envoy-rate-limit` certificates both for its gRPC server (Envoy
 * calls it) and towards the xDS server. Files are the host's certificate directory instead of `/certs`.
 */
export function rateLimitServiceEnv(rateLimit: RateLimitBackendSettings, settings: RateLimitServiceSettings): Record<string, string> {
  const cert = join(settings.certDirectory, "tls.crt");
  const key = join(settings.certDirectory, "tls.key");
  const ca = join(settings.certDirectory, "ca.crt");
  const env: Record<string, string> = {
    RUNTIME_ROOT: settings.runtimeRoot,
    RUNTIME_SUBDIRECTORY: "ratelimit",
    RUNTIME_IGNOREDOTFILES: "true",
    RUNTIME_WATCH_ROOT: "false",
    LOG_LEVEL: "info",
    USE_STATSD: "false",
    CONFIG_TYPE: "GRPC_XDS_SOTW",
    CONFIG_GRPC_XDS_SERVER_URL: settings.xdsServerAddress,
    CONFIG_GRPC_XDS_NODE_ID: RATE_LIMIT_SERVICE_NODE_ID,
    GRPC_SERVER_USE_TLS: String(settings.tls),
    CONFIG_GRPC_XDS_SERVER_USE_TLS: String(settings.tls),
    FORCE_START_WITHOUT_INITIAL_CONFIG: "true",
  };
  if (settings.tls) {
    Object.assign(env, {
      GRPC_SERVER_TLS_CERT: cert,
      GRPC_SERVER_TLS_KEY: key,
      GRPC_SERVER_TLS_CA_CERT: ca,
      CONFIG_GRPC_XDS_CLIENT_TLS_CERT: cert,
      CONFIG_GRPC_XDS_CLIENT_TLS_KEY: key,
      CONFIG_GRPC_XDS_SERVER_TLS_CACERT: ca,
    });
  }
  const redis = rateLimit.backend.redis;
  if (redis !== undefined) {
    env["REDIS_SOCKET_TYPE"] = "tcp";
    env["REDIS_URL"] = redis.url ?? "";
    if (redis.tls !== undefined) env["REDIS_TLS"] = "true";
  }
  return env;
}

/** A log line of the rate limit service manager. */
export interface RateLimitServiceLogEntry {
  readonly level: "info" | "warn" | "error";
  readonly message: string;
}

/** Settings of {@link startRateLimitService}. */
export interface RateLimitServiceOptions extends RateLimitServiceSettings {
  readonly rateLimit: RateLimitBackendSettings;
  /** The ratelimit binary: a path, or a name looked up on PATH; default `ratelimit` on PATH. */
  readonly binaryPath?: string;
  /** PATH used to look the binary up; default process.env.PATH. */
  readonly pathVariable?: string;
  /** Environment the service inherits besides its own settings; default process.env. */
  readonly baseEnv?: NodeJS.ProcessEnv;
  readonly backoff?: Partial<BackoffPolicy>;
  readonly stopGraceMs?: number;
  readonly output?: "inherit" | "ignore" | ((stream: "stdout" | "stderr", chunk: Buffer) => void);
  readonly onProcessEvent?: (event: ProcessEvent) => void;
  readonly log?: (entry: RateLimitServiceLogEntry) => void;
}

/** The rate limit service on this host: running, or why not. */
export type RateLimitServiceHandle =
  | { readonly running: true; readonly binary: string; readonly supervisor: ProcessSupervisor; stop(): Promise<void> }
  | { readonly running: false; readonly reason: string; stop(): Promise<void> };

/**
 * Starts envoyproxy/ratelimit as a supervised process (restarted with backoff when it dies) when its binary is
 * configured or on PATH and the configuration can run on a host. Otherwise says once, as a warning, that global
 * rate limits will not be enforced, and returns the reason (for the affected policies' status).
 */
export function startRateLimitService(options: RateLimitServiceOptions): RateLimitServiceHandle {
  const log = (entry: RateLimitServiceLogEntry) => options.log?.(entry);
  const notRunning = (reason: string): RateLimitServiceHandle => {
    log({ level: "warn", message: `global rate limits will not be enforced: ${reason}` });
    return { running: false, reason, stop: () => Promise.resolve() };
  };
  const problem = rateLimitHostProblem(options.rateLimit);
  if (problem !== undefined) return notRunning(problem);
  // The same lookup as Envoy's: a path, or a name searched on PATH.
  const binary = findEnvoyBinary(options.binaryPath ?? "ratelimit", options.pathVariable);
  if (binary === undefined) {
    return notRunning(
      options.binaryPath !== undefined
        ? `the configured rate limit service binary ${JSON.stringify(options.binaryPath)} was not found or is not executable`
        : "no envoyproxy/ratelimit binary (`ratelimit`) found on PATH",
    );
  }
  const supervisor = new ProcessSupervisor({
    command: binary,
    args: [],
    env: { ...(options.baseEnv ?? process.env), ...rateLimitServiceEnv(options.rateLimit, options) },
    ...(options.backoff !== undefined ? { backoff: options.backoff } : {}),
    ...(options.stopGraceMs !== undefined ? { stopGraceMs: options.stopGraceMs } : {}),
    ...(options.output !== undefined ? { output: options.output } : {}),
    onEvent: (event) => {
      if (event.type === "exited" && !event.expected)
        log({ level: "warn", message: `rate limit service exited (code ${event.code}, signal ${event.signal}); restarting` });
      if (event.type === "spawn-failed") log({ level: "error", message: `cannot start the rate limit service: ${event.error}` });
      options.onProcessEvent?.(event);
    },
  });
  log({ level: "info", message: `starting the rate limit service ${binary}` });
  supervisor.start();
  return { running: true, binary, supervisor, stop: () => supervisor.stop() };
}
