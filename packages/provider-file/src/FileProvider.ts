import { watch, type FSWatcher } from "node:fs";
import { join, resolve, sep } from "node:path";
import type { DocumentParser, ParsedFile, ValidatingParser } from "./Documents.js";
import { validatingParser } from "./Documents.js";
import { isIgnoredFileName } from "./FileNames.js";
import { createSnapshotter, emptyFileSet, snapshotOf, updateFileSet, type FileSet, type FileSnapshot, type ProblemLimits } from "./FileSet.js";
import { createCoalescer } from "@egts/api";
import { isOutsideScan, rescanFiles, scanPaths, type CachedFile, type ScanResult } from "./internal/scan.js";
import { createStateWriter, readState } from "./internal/state.js";
import { WorkerParser } from "./internal/WorkerParser.js";

/** Settings of the File provider. */
export interface FileProviderOptions {
  /** Files and directories to read; directories are walked recursively. */
  readonly paths: ReadonlyArray<string>;
  /**
   * An event after this much quiet reloads at once; events closer together form a burst, reloaded once this
   * long after its last event. Default 150 ms.
   */
  readonly debounceMs?: number;
  /**
   * Longest a burst's reload waits after its first event, however busy the directory stays (a file
   * rewritten every few milliseconds would otherwise postpone it forever). Default 1000 ms.
   */
  readonly maxDelayMs?: number;
  /**
   * A file where the last good text of every file is kept across restarts. On start, a file that is broken
   * or unreadable serves the objects of its saved last good text instead of nothing. Default: none.
   */
  readonly stateFile?: string;
  /** Called when the state file cannot be read or written (the provider carries on without it). */
  readonly onStateError?: (message: string) => void;
  /** Bounds on the problems kept per file. */
  readonly problemLimits?: ProblemLimits;
  /**
   * With the default parser, a changed file with at least this many bytes of documents not parsed before is
   * parsed in a worker thread, so a large file does not stall the event loop (other work, such as serving xDS,
   * goes on meanwhile). The first load is parsed on the calling thread. 0 turns it off. Default 256 KiB.
   */
  readonly workerParseBytes?: number;
  /**
   * Heap (V8 old generation, MiB) the parse worker may use; a file whose parse needs more is reported as too
   * large to parse and keeps its last good objects. The worker runs only while there are large files to parse.
   * Default 512.
   */
  readonly workerHeapMiB?: number;
  /**
   * Turns a file's text into objects and problems. Default {@link validatingParser} (CRD-schema validation);
   * a {@link ValidatingParser} given here has its memory of documents kept to the files that exist.
   */
  readonly parse?: DocumentParser;
  /** Largest file read. Default 8 MiB. */
  readonly maxFileBytes?: number;
  /** Most files read in total. Default 10 000. */
  readonly maxFiles?: number;
  /** Deepest directory nesting walked. Default 32. */
  readonly maxDepth?: number;
  /**
   * Watch each configured directory with one recursive watcher (true) or every directory with its own
   * (false). Default: recursive where the platform watches recursively natively (macOS, Windows); on Linux,
   * where Node emulates it, one watcher per directory.
   */
  readonly recursiveWatch?: boolean;
}

/** A running File provider: its current snapshot, a manual reload, and a way to stop watching. */
export interface FileWatch {
  /** The latest snapshot. */
  readonly current: () => FileSnapshot;
  /** Rescans now (without waiting for a file-system event) and returns the resulting snapshot. */
  readonly reload: () => Promise<FileSnapshot>;
  /** Stops watching; pending reloads are dropped, a pending state write starts at once (see stateSaved). */
  readonly close: () => void;
  /** Resolves once the state file (if any) holds the last good texts of the latest snapshot. */
  readonly stateSaved: () => Promise<void>;
}

/**
 * Reads the configured paths once and returns the objects and problems found. The pure core of the provider
 * ({@link updateFileSet}) with a single scan in front of it.
 */
export async function loadFiles(options: FileProviderOptions): Promise<FileSnapshot> {
  const scan = await scanPaths(options.paths, new Map(), limitsOf(options));
  return snapshotOf(updateFileSet(emptyFileSet, scan.texts, scan.problems, options.parse ?? validatingParser(), options.problemLimits));
}

/**
 * Loads the configured paths, calls `onChange` with the first snapshot, then watches every directory involved
 * (see {@link FileProviderOptions.recursiveWatch}) and, on an event, rescans and calls `onChange` again,
 * but only when some file's content, the file list or a path problem changed. Events on ignored names
 * (dotfiles, editor backups) do not trigger a rescan. An isolated event rescans at once; a burst of events
 * gets one more rescan after it, at most `maxDelayMs` after its first event; a rescan always reads the
 * latest state, so a file seen half-written is read again once its writer is done. With `stateFile`, last good texts survive restarts.
 */
export async function watchFiles(options: FileProviderOptions, onChange: (snapshot: FileSnapshot) => void): Promise<FileWatch> {
  // The default parser remembers documents by their text, so an edit costs the documents it changed; that
  // memory (the default's or a caller's ValidatingParser) is kept to the files that exist.
  const localParse = options.parse ?? validatingParser();
  const documents = (localParse as Partial<ValidatingParser>).documents;
  const workerParseBytes = options.parse === undefined ? (options.workerParseBytes ?? 256 * 1024) : 0;
  const workerParser =
    workerParseBytes > 0 ? new WorkerParser({ ...(options.workerHeapMiB !== undefined ? { maxHeapMiB: options.workerHeapMiB } : {}) }) : undefined;
  /** Results the worker computed for this rescan, by file; used when updateFileSet asks for that text. */
  let parsedAhead = new Map<string, { text: string; result: ParsedFile }>();
  const parse: DocumentParser = (text, file) => {
    const ahead = parsedAhead.get(file);
    return ahead !== undefined && ahead.text === text ? ahead.result : localParse(text, file);
  };
  /**
   * Parses the changed files of a scan that hold much new text in the worker (one at a time), ahead of
   * updateFileSet. Documents this thread has seen are cheap here, so only their new text counts.
   */
  const parseLargeAhead = async (texts: ReadonlyMap<string, string>, previous: FileSet): Promise<void> => {
    parsedAhead = new Map();
    if (workerParser === undefined) return;
    for (const [file, text] of texts) {
      if (text.length < workerParseBytes || previous.files.get(file)?.text === text) continue;
      if (documents !== undefined && documents.uncachedLength(text) < workerParseBytes) continue;
      try {
        parsedAhead.set(file, { text, result: await workerParser.parse(text, file) });
      } catch {
        return; // no worker: updateFileSet parses on this thread
      }
    }
  };
  /** Forgets the documents of files that are gone. */
  const forgetRemoved = (): void => documents?.retain(set.files.keys());
  const limits = limitsOf(options);
  const problemLimits = options.problemLimits ?? {};
  const watchers = new Map<string, FSWatcher>();
  let cache: ReadonlyMap<string, CachedFile> = new Map();
  let set: FileSet = emptyFileSet;
  let snapshot: FileSnapshot = snapshotOf(set);
  // Snapshots after an edit cost about what the edit changed.
  const snapshotAfter = createSnapshotter();
  let closed = false;
  let running: Promise<FileSnapshot> | undefined;
  let rerun = false;
  /** The last scan, which an edit of files it read updates in place (rescanFiles). */
  let lastScan: ScanResult | undefined;
  /** Paths named by watch events since the last scan began; undefined: everything is looked at again. */
  let changedPaths: Set<string> | undefined;

  const recursive = options.recursiveWatch ?? (process.platform === "darwin" || process.platform === "win32");
  /** Directory -> watched recursively? */
  const targetsOf = (scan: ScanResult): Map<string, boolean> => {
    if (!recursive) return new Map([...scan.watchDirs].map((dir) => [dir, false]));
    const targets = new Map<string, boolean>([...scan.parentDirs].map((dir) => [dir, false]));
    for (const dir of scan.rootDirs) targets.set(dir, true);
    return targets;
  };

  const syncWatchers = (targets: ReadonlyMap<string, boolean>, initial: boolean): void => {
    let added = false;
    for (const [key, watcher] of watchers) {
      if (!targets.has(key.slice(2)) || key.startsWith("r") !== targets.get(key.slice(2))) {
        watcher.close();
        watchers.delete(key);
      }
    }
    for (const [dir, deep] of targets) {
      const key = `${deep ? "r" : "d"}:${dir}`;
      if (watchers.has(key)) continue;
      try {
        const watcher = watch(dir, { persistent: true, recursive: deep }, (_event, name) => {
          if (name === null) return schedule();
          // A recursive watcher reports paths relative to its root: judge the last segment.
          if (isIgnoredFileName(String(name).split(/[\\/]/).at(-1) ?? "")) return;
          const path = join(dir, String(name));
          // An event about a file no scan reads (a temporary file written before its rename over a resource
          // file) must not start a reload, whose burst would then hold the rename's reload back.
          if (lastScan !== undefined && isOutsideScan(lastScan, path)) return;
          schedule(path);
        });
        watcher.on("error", () => {
          // The directory went away (or became unreadable): forget the watcher, let the rescan decide.
          watcher.close();
          watchers.delete(key);
          schedule();
        });
        watchers.set(key, watcher);
        added = true;
      } catch {
        // A directory that vanished between scan and watch is picked up by the parent's watcher.
      }
    }
    // A file created in a new directory between its scan and its watcher would be missed: look once more.
    if (added && !initial) schedule();
  };

  const rescan = async (): Promise<FileSnapshot> => {
    const paths = changedPaths;
    changedPaths = new Set();
    // Edits of files the last scan read are read on the spot; anything else walks the paths again.
    const edited = paths !== undefined && lastScan !== undefined ? rescanFiles(lastScan, paths, limits) : undefined;
    if (edited !== undefined && edited === lastScan) return snapshot;
    const scan = edited ?? (await scanPaths(options.paths, cache, limits));
    if (closed) return snapshot;
    lastScan = scan;
    await parseLargeAhead(scan.texts, set);
    if (closed) return snapshot;
    cache = scan.cache;
    syncWatchers(targetsOf(scan), false);
    const next = updateFileSet(set, scan.texts, scan.problems, parse, problemLimits);
    parsedAhead = new Map();
    if (next !== set) {
      set = next;
      forgetRemoved();
      snapshot = snapshotAfter(set);
      saveState();
      onChange(snapshot);
    }
    return snapshot;
  };

  // One scan at a time; a request arriving during a scan runs one more scan after it.
  const reload = (): Promise<FileSnapshot> => {
    if (running !== undefined) {
      rerun = true;
      return running;
    }
    running = (async () => {
      try {
        let result = await rescan();
        while (rerun && !closed) {
          rerun = false;
          result = await rescan();
        }
        return result;
      } finally {
        running = undefined;
      }
    })();
    return running;
  };

  // An isolated event reloads at once; a burst reloads once more after it (see createCoalescer).
  const coalescer = createCoalescer({
    quietMs: options.debounceMs ?? 150,
    maxDelayMs: options.maxDelayMs ?? 1000,
    run: () => {
      reload().catch(() => undefined);
    },
  });
  /** Reloads soon (see the coalescer), looking at `path` only, or at everything when no path is given. */
  function schedule(path?: string): void {
    if (closed) return;
    if (path === undefined) changedPaths = undefined;
    else changedPaths?.add(path);
    coalescer.trigger();
  }

  // The last good texts, saved a moment after they change (one write at a time, the latest wins). The delay
  // keeps collecting and writing every file's text off the path from an edit to its translation, and folds a
  // burst of edits into one write; stateSaved() writes at once.
  const stateWriter = options.stateFile !== undefined ? createStateWriter(options.stateFile) : undefined;
  let saved: ReadonlyMap<string, string> = new Map();
  let saving: Promise<void> = Promise.resolve();
  let unsaved: FileSet | undefined;
  let stateTimer: ReturnType<typeof setTimeout> | undefined;
  function saveState(): void {
    if (stateWriter === undefined) return;
    unsaved = set;
    stateTimer ??= setTimeout(writeUnsaved, STATE_WRITE_DELAY_MS);
  }
  function writeUnsaved(): Promise<void> {
    clearTimeout(stateTimer);
    stateTimer = undefined;
    const from = unsaved;
    unsaved = undefined;
    if (stateWriter === undefined || from === undefined) return saving;
    const good = new Map<string, string>();
    for (const [file, entry] of from.files) if (entry.goodText !== undefined) good.set(file, entry.goodText);
    if (good.size === saved.size && [...good].every(([file, text]) => saved.get(file) === text)) return saving;
    saved = good;
    saving = saving
      .then(() => stateWriter.write(good))
      .catch((error: unknown) => options.onStateError?.(`cannot save the last good state to ${options.stateFile}: ${(error as Error).message}`));
    return saving;
  }

  // Seed from the saved state: files that are broken or unreadable now start from their last good text.
  let seed: FileSet = emptyFileSet;
  if (options.stateFile !== undefined) {
    const state = await readState(options.stateFile);
    if (state.problem !== undefined) options.onStateError?.(state.problem);
    const roots = options.paths.map((p) => resolve(p));
    const under = (file: string) => roots.some((root) => file === root || file.startsWith(root.endsWith(sep) ? root : `${root}${sep}`));
    const texts = new Map([...state.texts].filter(([file]) => under(file)));
    seed = updateFileSet(emptyFileSet, texts, [], parse, problemLimits);
    saved = texts;
    // Never matches a stat, so every readable file is read afresh; an unreadable one keeps this text.
    cache = new Map([...texts].map(([file, text]) => [file, { ino: -1, size: -1, mtimeMs: -1, text }]));
  }

  // The first load always reports, even when there is nothing to read. It parses on this thread: nothing
  // waits on the event loop yet (no snapshot to serve), starting the worker would delay it, and the documents
  // parsed here are remembered for the edits to come.
  const first = await scanPaths(options.paths, cache, limits);
  cache = first.cache;
  lastScan = first;
  changedPaths = new Set();
  set = updateFileSet(seed, first.texts, first.problems, parse, problemLimits);
  forgetRemoved();
  snapshot = snapshotAfter(set);
  saveState();
  syncWatchers(targetsOf(first), true);
  onChange(snapshot);

  return {
    current: () => snapshot,
    reload: () => {
      changedPaths = undefined;
      return reload();
    },
    stateSaved: writeUnsaved,
    close: () => {
      closed = true;
      coalescer.close();
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
      workerParser?.close();
      // A state change still waiting for its delay is written now, not after the provider is gone.
      void writeUnsaved();
    },
  };
}

/** How long a changed state waits before it is written (see saveState in watchFiles). */
const STATE_WRITE_DELAY_MS = 100;

function limitsOf(options: FileProviderOptions) {
  return {
    maxFileBytes: options.maxFileBytes ?? 8 * 1024 * 1024,
    maxFiles: options.maxFiles ?? 10_000,
    maxDepth: options.maxDepth ?? 32,
  };
}
