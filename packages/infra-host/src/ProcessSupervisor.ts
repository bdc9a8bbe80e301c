import { spawn, type ChildProcess } from "node:child_process";

/** Exponential backoff between restarts of a process that died. */
export interface BackoffPolicy {
  /** Delay before the first restart. Default 500 ms. */
  readonly initialMs: number;
  /** Largest delay. Default 30 s. */
  readonly maxMs: number;
  /** Growth factor per consecutive failure. Default 2. */
  readonly factor: number;
  /** A process that ran at least this long before dying restarts with the initial delay again. Default 10 s. */
  readonly resetAfterMs: number;
}

/** The default {@link BackoffPolicy}. */
export const defaultBackoff: BackoffPolicy = { initialMs: 500, maxMs: 30_000, factor: 2, resetAfterMs: 10_000 };

/** The delay before restart number `attempt` (0-based count of consecutive failures). */
export function backoffDelay(policy: BackoffPolicy, attempt: number): number {
  return Math.min(policy.maxMs, policy.initialMs * policy.factor ** Math.max(0, attempt));
}

/** What happened to a supervised process. */
export type ProcessEvent =
  | { readonly type: "started"; readonly pid: number; readonly start: number }
  | {
      readonly type: "exited";
      readonly code: number | null;
      readonly signal: NodeJS.Signals | null;
      readonly ranMs: number;
      /** True when the exit follows `stop` (no restart follows). */
      readonly expected: boolean;
    }
  | { readonly type: "restart-scheduled"; readonly delayMs: number; readonly attempt: number }
  | { readonly type: "spawn-failed"; readonly error: string }
  | { readonly type: "stopped" };

/** Settings of a {@link ProcessSupervisor}. */
export interface SupervisorOptions {
  readonly command: string;
  readonly args: ReadonlyArray<string>;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly backoff?: Partial<BackoffPolicy>;
  /** How long `stop` waits after SIGTERM before SIGKILL. Default 10 s. */
  readonly stopGraceMs?: number;
  /** Where the child's stdout and stderr go; default: inherited from this process. */
  readonly output?: "inherit" | "ignore" | ((stream: "stdout" | "stderr", chunk: Buffer) => void);
  readonly onEvent?: (event: ProcessEvent) => void;
}

/**
 * Runs one process and keeps it running: when it exits on its own it is restarted after an exponentially
 * growing delay (reset once a run lasted long enough); `stop` ends it (SIGTERM, then SIGKILL after a grace
 * period) and resolves once it is gone.
 */
export class ProcessSupervisor {
  private child: ChildProcess | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopping = false;
  private failures = 0;
  private startCount = 0;
  private readonly backoff: BackoffPolicy;

  constructor(private readonly options: SupervisorOptions) {
    this.backoff = { ...defaultBackoff, ...options.backoff };
  }

  /** How many times the process has been spawned. */
  get starts(): number {
    return this.startCount;
  }

  /** The running child's pid, if any. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Spawns the process (once; later calls do nothing while it is supervised). */
  start(): void {
    if (this.child !== undefined || this.timer !== undefined || this.stopping) return;
    this.spawnOnce();
  }

  private spawnOnce(): void {
    const { output } = this.options;
    const stdio = output === "ignore" ? "ignore" : typeof output === "function" ? "pipe" : "inherit";
    const startedAt = Date.now();
    let child: ChildProcess;
    try {
      child = spawn(this.options.command, [...this.options.args], {
        stdio: ["ignore", stdio, stdio],
        ...(this.options.env !== undefined ? { env: this.options.env } : {}),
        ...(this.options.cwd !== undefined ? { cwd: this.options.cwd } : {}),
      });
    } catch (error) {
      this.emit({ type: "spawn-failed", error: (error as Error).message });
      this.scheduleRestart(0);
      return;
    }
    this.child = child;
    this.startCount += 1;
    if (typeof output === "function") {
      child.stdout?.on("data", (chunk: Buffer) => output("stdout", chunk));
      child.stderr?.on("data", (chunk: Buffer) => output("stderr", chunk));
    }
    child.once("spawn", () => this.emit({ type: "started", pid: child.pid ?? -1, start: this.startCount }));
    child.once("error", (error) => {
      // ENOENT/EACCES: the process never ran; "exit" will not follow, so restart from here.
      if (child.pid === undefined) {
        this.child = undefined;
        this.emit({ type: "spawn-failed", error: error.message });
        if (!this.stopping) this.scheduleRestart(Date.now() - startedAt);
      }
    });
    child.once("exit", (code, signal) => {
      this.child = undefined;
      const ranMs = Date.now() - startedAt;
      this.emit({ type: "exited", code, signal, ranMs, expected: this.stopping });
      if (!this.stopping) this.scheduleRestart(ranMs);
    });
  }

  private scheduleRestart(ranMs: number): void {
    if (ranMs >= this.backoff.resetAfterMs) this.failures = 0;
    const attempt = this.failures;
    const delayMs = backoffDelay(this.backoff, attempt);
    this.failures += 1;
    this.emit({ type: "restart-scheduled", delayMs, attempt });
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.stopping) this.spawnOnce();
    }, delayMs);
  }

  /** Stops supervising and ends the process; resolves when it has exited. */
  stop(): Promise<void> {
    this.stopping = true;
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const child = this.child;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) {
      this.emit({ type: "stopped" });
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const kill = setTimeout(() => child.kill("SIGKILL"), this.options.stopGraceMs ?? 10_000);
      child.once("exit", () => {
        clearTimeout(kill);
        this.emit({ type: "stopped" });
        resolve();
      });
      child.kill("SIGTERM");
    });
  }

  private emit(event: ProcessEvent): void {
    this.options.onEvent?.(event);
  }
}
