import { watch, type FSWatcher } from "node:fs";
import type { DocumentParser } from "./Documents.js";
import { validatingParser } from "./Documents.js";
import { isIgnoredFileName } from "./FileNames.js";
import { emptyFileSet, snapshotOf, updateFileSet, type FileSet, type FileSnapshot } from "./FileSet.js";
import { scanPaths, type CachedFile, type ScanResult } from "./internal/scan.js";

/** Settings of the File provider. */
export interface FileProviderOptions {
  /** Files and directories to read; directories are walked recursively. */
  readonly paths: ReadonlyArray<string>;
  /** Quiet time after the last file-system event before reloading. Default 150 ms. */
  readonly debounceMs?: number;
  /** Turns a file's text into objects and problems. Default {@link validatingParser} (CRD-schema validation). */
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
  /** Stops watching; pending reloads are dropped. */
  readonly close: () => void;
}

/**
 * Reads the configured paths once and returns the objects and problems found. The pure core of the provider
 * ({@link updateFileSet}) with a single scan in front of it.
 */
export async function loadFiles(options: FileProviderOptions): Promise<FileSnapshot> {
  const scan = await scanPaths(options.paths, new Map(), limitsOf(options));
  return snapshotOf(updateFileSet(emptyFileSet, scan.texts, scan.problems, options.parse ?? validatingParser()));
}

/**
 * Loads the configured paths, calls `onChange` with the first snapshot, then watches every directory involved
 * (see {@link FileProviderOptions.recursiveWatch}) and, after a quiet
 * period, rescans and calls `onChange` again, but only when some file's content, the file list or a path
 * problem changed. Events on ignored names (dotfiles, editor backups) do not trigger a rescan.
 */
export async function watchFiles(options: FileProviderOptions, onChange: (snapshot: FileSnapshot) => void): Promise<FileWatch> {
  const parse = options.parse ?? validatingParser();
  const limits = limitsOf(options);
  const debounceMs = options.debounceMs ?? 150;
  const watchers = new Map<string, FSWatcher>();
  let cache: ReadonlyMap<string, CachedFile> = new Map();
  let set: FileSet = emptyFileSet;
  let snapshot: FileSnapshot = snapshotOf(set);
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<FileSnapshot> | undefined;
  let rerun = false;

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
          // A recursive watcher reports paths relative to its root: judge the last segment.
          const base = name === null ? null : String(name).split(/[\\/]/).at(-1) ?? "";
          if (base !== null && isIgnoredFileName(base)) return;
          schedule();
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
    const scan = await scanPaths(options.paths, cache, limits);
    if (closed) return snapshot;
    cache = scan.cache;
    syncWatchers(targetsOf(scan), false);
    const next = updateFileSet(set, scan.texts, scan.problems, parse);
    if (next !== set) {
      set = next;
      snapshot = snapshotOf(set);
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

  function schedule(): void {
    if (closed) return;
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      reload().catch(() => undefined);
    }, debounceMs);
  }

  // The first load always reports, even when there is nothing to read.
  const first = await scanPaths(options.paths, cache, limits);
  cache = first.cache;
  set = updateFileSet(emptyFileSet, first.texts, first.problems, parse);
  snapshot = snapshotOf(set);
  syncWatchers(targetsOf(first), true);
  onChange(snapshot);

  return {
    current: () => snapshot,
    reload,
    close: () => {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}

function limitsOf(options: FileProviderOptions) {
  return {
    maxFileBytes: options.maxFileBytes ?? 8 * 1024 * 1024,
    maxFiles: options.maxFiles ?? 10_000,
    maxDepth: options.maxDepth ?? 32,
  };
}
