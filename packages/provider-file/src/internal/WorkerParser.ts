import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { ParsedFile } from "../Documents.js";

/** The compiled worker beside this module; when running from sources (tests), the package's built one. */
function workerScript(): string | undefined {
  const candidates = [new URL("./parseWorker.js", import.meta.url), new URL("../../dist/internal/parseWorker.js", import.meta.url)];
  for (const url of candidates) {
    const path = fileURLToPath(url);
    if (existsSync(path)) return path;
  }
  return undefined;
}

/** Settings of a {@link WorkerParser}. */
export interface WorkerParserOptions {
  /**
   * Old-generation heap the worker may use, in MiB. A file whose parse needs more is answered with a "too
   * large to parse" problem (the worker is replaced), instead of growing the process without bound.
   * Default 512 (an 8 MiB file of 20 000 HTTPRoutes needs about 350).
   */
  readonly maxHeapMiB?: number;
  /**
   * The worker is stopped after this long without work and started again on demand. An idle V8 isolate does
   * not collect, so without this the garbage of the last large parse (hundreds of MiB after a 60 000-key
   * mapping) would stay resident. Default 2000 ms, more than the File provider's longest reload delay, so a
   * file rewritten again and again keeps one worker.
   */
  readonly idleMs?: number;
}

interface Request {
  readonly text: string;
  readonly file: string;
  readonly resolve: (result: ParsedFile) => void;
  readonly reject: (error: Error) => void;
}

/** Young generation of the worker, in MiB: a third of V8's default here, no slower on the files measured. */
const youngGenerationMiB = 16;

/**
 * Parses files with the default validating parser in a worker thread, so a large file (a 60 000-key mapping
 * takes the YAML parser a second or more) does not stall the event loop serving xDS. Requests are answered in
 * order. The worker runs only while there is work (see {@link WorkerParserOptions.idleMs}) and within a heap
 * bound (see {@link WorkerParserOptions.maxHeapMiB}). When no worker can run (no compiled worker script, a
 * worker that failed before answering anything, an unexpected crash), `parse` rejects and the caller parses
 * on its own thread.
 */
export class WorkerParser {
  private worker: Worker | undefined;
  /** Whether the current worker has answered at least once (a worker that never does is not restarted). */
  private answered = false;
  private broken = false;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private nextId = 0;
  /** In the order sent, which is the order the worker answers in. */
  private readonly pending = new Map<number, Request>();
  private readonly maxHeapMiB: number;
  private readonly idleMs: number;

  constructor(options: WorkerParserOptions = {}) {
    this.maxHeapMiB = options.maxHeapMiB ?? 512;
    this.idleMs = options.idleMs ?? 2000;
  }

  /** Whether a worker thread is running now (it is started on demand and stopped when idle). */
  get running(): boolean {
    return this.worker !== undefined;
  }

  parse(text: string, file: string): Promise<ParsedFile> {
    const worker = this.ensureWorker();
    if (worker === undefined) return Promise.reject(new Error("no parse worker available"));
    clearTimeout(this.idleTimer);
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { text, file, resolve, reject });
      if (this.pending.size === 1) worker.ref();
      worker.postMessage({ id, text, file });
    });
  }

  close(): void {
    this.broken = true;
    clearTimeout(this.idleTimer);
    this.failAll(new Error("parse worker closed"));
    this.stop();
  }

  private ensureWorker(): Worker | undefined {
    if (this.worker !== undefined || this.broken) return this.worker;
    const script = workerScript();
    if (script === undefined) {
      this.broken = true;
      return undefined;
    }
    const worker = new Worker(script, {
      resourceLimits: { maxOldGenerationSizeMb: this.maxHeapMiB, maxYoungGenerationSizeMb: youngGenerationMiB },
    });
    worker.unref();
    worker.on("message", (message: { id: number; result: ParsedFile }) => {
      const request = this.pending.get(message.id);
      this.pending.delete(message.id);
      this.answered = true;
      if (this.pending.size === 0) {
        worker.unref();
        this.idleTimer = setTimeout(() => this.stop(), this.idleMs);
        this.idleTimer.unref();
      }
      request?.resolve(message.result);
    });
    let failed = false;
    const fail = (error: Error & { code?: string }): void => {
      if (failed || this.worker !== worker) return; // stopped on purpose, or already handled
      failed = true;
      this.worker = undefined;
      clearTimeout(this.idleTimer);
      if (error.code === "ERR_WORKER_OUT_OF_MEMORY") this.answerTooLarge();
      else {
        if (!this.answered) this.broken = true;
        this.failAll(error);
      }
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`parse worker exited with code ${code}`)));
    this.worker = worker;
    this.answered = false;
    return worker;
  }

  /** The worker ran out of heap on the oldest request: that file is too large; the rest go to a new worker. */
  private answerTooLarge(): void {
    const [first, ...rest] = [...this.pending.values()];
    this.pending.clear();
    first?.resolve({
      objects: [],
      problems: [{ file: first.file, message: `too large to parse: parsing it needs more than ${this.maxHeapMiB} MiB of memory` }],
    });
    for (const request of rest) this.parse(request.text, request.file).then(request.resolve, request.reject);
  }

  /** Stops the worker (its heap goes back to the system); the next parse starts another. */
  private stop(): void {
    const worker = this.worker;
    this.worker = undefined;
    void worker?.terminate();
  }

  private failAll(error: Error): void {
    for (const request of this.pending.values()) request.reject(error);
    this.pending.clear();
  }
}
