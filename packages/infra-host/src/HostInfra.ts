import { accessSync, constants, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, isAbsolute, join, resolve } from "node:path";
import type { Infra } from "@egts/ir";
import { buildProxyArgs, hashedName, hostBootstrapOptions, type HostProxySettings } from "./ProxyArgs.js";
import { ProcessSupervisor, type BackoffPolicy, type ProcessEvent } from "./ProcessSupervisor.js";

const isExecutableFile = (path: string): boolean => {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * Finds the Envoy binary: the configured path if given (and executable), else the first executable `envoy` on
 * PATH. Returns undefined when there is none.
 */
export function findEnvoyBinary(configured: string | undefined, pathVariable: string | undefined = process.env["PATH"]): string | undefined {
  if (configured !== undefined && configured !== "") {
    if (configured.includes("/") || isAbsolute(configured)) {
      const full = resolve(configured);
      return isExecutableFile(full) ? full : undefined;
    }
    return searchPath(configured, pathVariable);
  }
  return searchPath("envoy", pathVariable);
}

function searchPath(name: string, pathVariable: string | undefined): string | undefined {
  for (const dir of (pathVariable ?? "").split(delimiter)) {
    if (dir === "") continue;
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

/** What the manager knows about one proxy. */
export interface ProxyState {
  /** The infra IR key (`namespace/name` of the Gateway, or of the GatewayClass when merged). */
  readonly irKey: string;
  /** The proxy's `--service-node`. */
  readonly serviceNode: string;
  /** Whether a process is running for it (false without an Envoy binary). */
  readonly running: boolean;
  readonly pid?: number;
  /** How many times its process was spawned. */
  readonly starts: number;
  /** Why no process runs for it, if that is the case. */
  readonly error?: string;
  /**
   * `host:port` of the running process's admin interface, as Envoy wrote it to its `--admin-address-path`
   * file (the bootstrap asks for port 0, so the OS picks it); absent until the process has written it.
   */
  readonly adminAddress?: string;
}

/** An infrastructure change the manager made: a proxy process started or restarted (apply), or stopped (delete). */
export interface ProxyResourceEvent {
  readonly action: "apply" | "delete";
  readonly irKey: string;
  /** The proxy's `--service-node`. */
  readonly serviceNode: string;
  /** How long the change took, in seconds. */
  readonly seconds: number;
  readonly ok: boolean;
}

/** A log line from the manager. */
export interface HostInfraLogEntry {
  readonly level: "info" | "warn" | "error";
  readonly message: string;
  readonly irKey?: string;
}

/** Settings of a {@link HostInfraManager}. */
export interface HostInfraOptions {
  /** Envoy binary: a path, or a name looked up on PATH; default `envoy` on PATH. */
  readonly envoyPath?: string;
  /** How proxies reach the xDS server. */
  readonly proxy: HostProxySettings;
  readonly backoff?: Partial<BackoffPolicy>;
  readonly stopGraceMs?: number;
  /** Where Envoy's output goes; default inherited. */
  readonly output?: "inherit" | "ignore" | ((irKey: string, stream: "stdout" | "stderr", chunk: Buffer) => void);
  readonly log?: (entry: HostInfraLogEntry) => void;
  /** Process events per proxy (started, exited, restart-scheduled...). */
  readonly onProcessEvent?: (irKey: string, event: ProcessEvent) => void;
  /** PATH used to look the binary up; default process.env.PATH. */
  readonly pathVariable?: string;
  /**
   * Directory of the proxies' admin address files (`<service node>.admin-address`); default a fresh
   * temporary directory, removed on close.
   */
  readonly runDirectory?: string;
}

interface Managed {
  readonly args: ReadonlyArray<string> | undefined;
  readonly supervisor: ProcessSupervisor | undefined;
  readonly error?: string;
  readonly adminAddressPath?: string;
}

const ADMIN_ADDRESS_FLAG = "--admin-address-path";

/** Reads the admin address Envoy wrote; undefined while the file is missing or empty. */
function readAdminAddress(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  try {
    const text = readFileSync(path, "utf8").trim();
    return text === "" ? undefined : text;
  } catch {
    return undefined;
  }
}

/**
 * Runs one Envoy process per infra IR entry on this host (upstream's host infrastructure): creates a process
 * for every new key, restarts it when its command line changes, stops it when the key goes away, and restarts a
 * process that died with exponential backoff. Without an Envoy binary it says so once and runs nothing; the
 * controller keeps serving xDS.
 */
export class HostInfraManager {
  /** The Envoy binary in use, or undefined when none was found. */
  readonly envoyPath: string | undefined;
  private readonly managed = new Map<string, Managed>();
  private readonly resourceListeners = new Set<(event: ProxyResourceEvent) => void>();
  private runDirectory: string | undefined;
  private closed = false;

  constructor(private readonly options: HostInfraOptions) {
    this.envoyPath = findEnvoyBinary(options.envoyPath, options.pathVariable);
    if (this.envoyPath === undefined) {
      const what = options.envoyPath
        ? `the configured Envoy binary ${JSON.stringify(options.envoyPath)} was not found or is not executable`
        : "no `envoy` binary found on PATH";
      this.log({ level: "warn", message: `${what}: no proxy processes will run; xDS is still served for proxies started elsewhere` });
    }
  }

  /** Brings the running proxies in line with the infra IR: start new keys, restart changed ones, stop removed ones. */
  async apply(infra: ReadonlyMap<string, Infra>): Promise<void> {
    if (this.closed) return;
    const stops: Promise<void>[] = [];
    for (const [key, entry] of this.managed) {
      if (!infra.has(key) || infra.get(key)?.proxy === undefined) {
        this.managed.delete(key);
        if (entry.supervisor !== undefined) {
          this.log({ level: "info", message: "stopping proxy: its Gateway is gone", irKey: key });
          const started = performance.now();
          stops.push(
            entry.supervisor.stop().then(
              () => this.emitResource("delete", key, started, true),
              (error: unknown) => {
                this.emitResource("delete", key, started, false);
                throw error;
              },
            ),
          );
        }
      }
    }
    await Promise.all(stops);
    for (const [key, value] of infra) {
      const proxy = value.proxy;
      if (proxy === undefined) continue;
      const built = buildProxyArgs(proxy, hostBootstrapOptions(proxy, this.options.proxy));
      const before = this.managed.get(key);
      if (!built.ok) {
        if (before?.error !== built.error) {
          this.log({ level: "error", message: built.error, irKey: key });
          this.emitResource("apply", key, performance.now(), false);
        }
        await before?.supervisor?.stop();
        this.managed.set(key, { args: undefined, supervisor: undefined, error: built.error });
        continue;
      }
      if (before !== undefined && sameArgs(before.args, built.args)) continue;
      const started = performance.now();
      if (before?.supervisor !== undefined) {
        this.log({ level: "info", message: "restarting proxy: its command line changed", irKey: key });
        await before.supervisor.stop();
      }
      const adminAddressPath = this.adminAddressPathFor(key, built.args);
      const supervisor = this.startProxy(key, adminAddressPath, built.args);
      this.managed.set(key, { args: built.args, supervisor, ...(adminAddressPath !== undefined ? { adminAddressPath } : {}) });
      if (supervisor !== undefined) this.emitResource("apply", key, started, true);
    }
  }

  /**
   * Subscribes to the processes the manager starts (apply) and stops because their Gateway went away
   * (delete); returns the unsubscribe function.
   */
  onResourceEvent(listener: (event: ProxyResourceEvent) => void): () => void {
    this.resourceListeners.add(listener);
    return () => this.resourceListeners.delete(listener);
  }

  private emitResource(action: ProxyResourceEvent["action"], irKey: string, startedAt: number, ok: boolean): void {
    const event = { action, irKey, serviceNode: hashedName(irKey, 64), seconds: (performance.now() - startedAt) / 1000, ok };
    for (const listener of this.resourceListeners) listener(event);
  }

  /**
   * Where the proxy's admin address is written: the path its EnvoyProxy's extra args give (Envoy refuses the
   * flag twice), else a file under the run directory, removed first so a stale address is never reported.
   */
  private adminAddressPathFor(key: string, args: ReadonlyArray<string>): string | undefined {
    if (this.envoyPath === undefined) return undefined;
    const given = args.indexOf(ADMIN_ADDRESS_FLAG);
    if (given >= 0) return args[given + 1];
    if (this.runDirectory === undefined) {
      if (this.options.runDirectory !== undefined) mkdirSync((this.runDirectory = this.options.runDirectory), { recursive: true });
      else this.runDirectory = mkdtempSync(join(tmpdir(), "egts-proxies-"));
    }
    const path = join(this.runDirectory, `${hashedName(key, 64)}.admin-address`);
    rmSync(path, { force: true });
    return path;
  }

  private startProxy(key: string, adminAddressPath: string | undefined, args: ReadonlyArray<string>): ProcessSupervisor | undefined {
    if (this.envoyPath === undefined) return undefined;
    const output = this.options.output;
    const supervisor = new ProcessSupervisor({
      command: this.envoyPath,
      args: adminAddressPath === undefined || args.includes(ADMIN_ADDRESS_FLAG) ? args : [ADMIN_ADDRESS_FLAG, adminAddressPath, ...args],
      ...(this.options.backoff !== undefined ? { backoff: this.options.backoff } : {}),
      ...(this.options.stopGraceMs !== undefined ? { stopGraceMs: this.options.stopGraceMs } : {}),
      ...(output !== undefined ? { output: typeof output === "function" ? (stream, chunk) => output(key, stream, chunk) : output } : {}),
      onEvent: (event) => {
        if (event.type === "exited") {
          if (event.expected) this.log({ level: "info", message: "proxy stopped", irKey: key });
          else this.log({ level: "warn", message: `proxy exited (code ${event.code}, signal ${event.signal}); restarting`, irKey: key });
        }
        if (event.type === "spawn-failed") this.log({ level: "error", message: `cannot start proxy: ${event.error}`, irKey: key });
        this.options.onProcessEvent?.(key, event);
      },
    });
    this.log({ level: "info", message: `starting proxy ${this.envoyPath}`, irKey: key });
    supervisor.start();
    return supervisor;
  }

  /** The state of every proxy the infra IR asks for. */
  proxies(): ProxyState[] {
    return [...this.managed].map(([irKey, entry]) => {
      const pid = entry.supervisor?.pid;
      const error = entry.error ?? (this.envoyPath === undefined ? "no Envoy binary" : undefined);
      const adminAddress = pid !== undefined ? readAdminAddress(entry.adminAddressPath) : undefined;
      return {
        irKey,
        serviceNode: hashedName(irKey, 64),
        running: pid !== undefined,
        ...(pid !== undefined ? { pid } : {}),
        starts: entry.supervisor?.starts ?? 0,
        ...(error !== undefined ? { error } : {}),
        ...(adminAddress !== undefined ? { adminAddress } : {}),
      };
    });
  }

  /** Stops every proxy (in parallel) and waits for them to exit. */
  async close(): Promise<void> {
    this.closed = true;
    const entries = [...this.managed.values()];
    this.managed.clear();
    await Promise.all(entries.map((entry) => entry.supervisor?.stop()));
    if (this.runDirectory !== undefined && this.options.runDirectory === undefined) rmSync(this.runDirectory, { recursive: true, force: true });
  }

  private log(entry: HostInfraLogEntry): void {
    this.options.log?.(entry);
  }
}

function sameArgs(a: ReadonlyArray<string> | undefined, b: ReadonlyArray<string>): boolean {
  return a !== undefined && a.length === b.length && a.every((x, i) => x === b[i]);
}
