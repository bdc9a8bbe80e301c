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

/**
 * Parses files with the default validating parser in one worker thread, so a large file (a 60 000-key mapping
 * takes the YAML parser a second or more) does not stall the event loop serving xDS. Requests are answered in
 * order. When no worker can run (no compiled worker script, the worker died), `parse` rejects and the caller
 * parses on its own thread.
 */
export class WorkerParser {
  private worker: Worker | undefined;
  private broken = false;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (result: ParsedFile) => void; reject: (error: Error) => void }>();

  parse(text: string, file: string): Promise<ParsedFile> {
    const worker = this.ensureWorker();
    if (worker === undefined) return Promise.reject(new Error("no parse worker available"));
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      if (this.pending.size === 1) worker.ref();
      worker.postMessage({ id, text, file });
    });
  }

  close(): void {
    this.broken = true;
    this.failAll(new Error("parse worker closed"));
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private ensureWorker(): Worker | undefined {
    if (this.worker !== undefined || this.broken) return this.worker;
    const script = workerScript();
    if (script === undefined) {
      this.broken = true;
      return undefined;
    }
    const worker = new Worker(script);
    worker.unref();
    worker.on("message", (message: { id: number; result: ParsedFile }) => {
      const waiter = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (this.pending.size === 0) worker.unref();
      waiter?.resolve(message.result);
    });
    const fail = (error: Error): void => {
      this.broken = true;
      this.worker = undefined;
      this.failAll(error);
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`parse worker exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }

  private failAll(error: Error): void {
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }
}
