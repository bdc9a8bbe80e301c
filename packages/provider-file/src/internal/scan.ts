import { lstatSync, readFileSync, type Stats } from "node:fs";
import { readdir, readFile, realpath, stat } from "node:fs/promises";
import { basename, dirname, join, resolve, sep } from "node:path";
import type { FileProblem } from "../Documents.js";
import { isIgnoredFileName, isResourceFileName } from "../FileNames.js";

/** A file as last read, keyed by what stat says so an untouched file is not read again. */
export interface CachedFile {
  readonly ino: number;
  readonly size: number;
  readonly mtimeMs: number;
  readonly text: string;
}

/**
 * Files up to this size are read on the spot, as a file just stat'ed reads in microseconds: the thread pool's
 * open, stat, read and close would be four round trips on the way from an edit to its translation.
 */
const READ_AT_ONCE_BYTES = 64 * 1024;

/** How many files of a directory have their stat asked ahead of the one being read. */
const STATS_AHEAD = 32;

/** A stat's outcome, held without a pending rejection (one may wait in a window for a while). */
type StatResult = { readonly info: Stats } | { readonly error: unknown };

const settledStat = (file: string): Promise<StatResult> =>
  stat(file).then(
    (info) => ({ info }),
    (error: unknown) => ({ error }),
  );

const statOutcome = (result: StatResult): Stats => {
  if ("error" in result) throw result.error;
  return result.info;
};

/** Result of one scan of the configured paths. */
export interface ScanResult {
  readonly texts: ReadonlyMap<string, string>;
  /** Directories to watch: every directory walked, and the parent of every configured file. */
  readonly watchDirs: ReadonlySet<string>;
  /** The configured directories (roots of the walks): enough to watch where recursive watching is native. */
  readonly rootDirs: ReadonlySet<string>;
  /** Parents of configured files and of configured paths that do not exist (watched non-recursively). */
  readonly parentDirs: ReadonlySet<string>;
  readonly problems: ReadonlyArray<FileProblem>;
  readonly cache: ReadonlyMap<string, CachedFile>;
}

/** Limits on what a scan reads. */
export interface ScanLimits {
  readonly maxFileBytes: number;
  readonly maxDepth: number;
  readonly maxFiles: number;
}

/** What a scan takes from a file: its text (with its stat), or none; and a problem with it. */
interface FileOutcome {
  readonly kept: CachedFile | undefined;
  readonly problem?: FileProblem;
}

/**
 * A file's outcome from its stat alone (too large: a problem, and what it held when last read; untouched: the
 * cached text), or `read` when its text must be read.
 */
function judgeStat(file: string, info: Stats, cached: CachedFile | undefined, limits: ScanLimits): FileOutcome | { readonly read: true } {
  if (info.size > limits.maxFileBytes)
    return { problem: { file, message: `file is ${info.size} bytes, larger than the limit of ${limits.maxFileBytes}` }, kept: cached };
  if (cached !== undefined && cached.ino === info.ino && cached.size === info.size && cached.mtimeMs === info.mtimeMs) return { kept: cached };
  return { read: true };
}

const readTextOf = (info: Stats, text: string): FileOutcome => ({ kept: { ino: info.ino, size: info.size, mtimeMs: info.mtimeMs, text } });

/**
 * A file whose stat or read failed keeps contributing what it held when it last could be read; one removed
 * meanwhile simply is not there any more.
 */
const failedRead = (file: string, error: unknown, cached: CachedFile | undefined): FileOutcome =>
  (error as NodeJS.ErrnoException).code === "ENOENT"
    ? { kept: undefined }
    : { problem: { file, message: `cannot read: ${(error as Error).message}` }, kept: cached };

/**
 * Walks the configured paths: a file is read whatever its name; a directory is walked recursively, reading
 * `.yaml`, `.yml` and `.json` files and skipping dotfiles, dot-directories and editor backups.
 */
export async function scanPaths(paths: ReadonlyArray<string>, previous: ReadonlyMap<string, CachedFile>, limits: ScanLimits): Promise<ScanResult> {
  const texts = new Map<string, string>();
  const cache = new Map<string, CachedFile>();
  const watchDirs = new Set<string>();
  const rootDirs = new Set<string>();
  const parentDirs = new Set<string>();
  const problems: FileProblem[] = [];
  const visitedDirs = new Set<string>();
  let overLimit = false;

  const readOne = async (file: string, statAhead?: Promise<StatResult>): Promise<void> => {
    if (texts.has(file)) return;
    if (texts.size >= limits.maxFiles) {
      // Said once, on the first file left out.
      if (!overLimit) problems.push({ file, message: `more than ${limits.maxFiles} files; the rest are not read` });
      overLimit = true;
      return;
    }
    const cached = previous.get(file);
    let outcome: FileOutcome;
    try {
      const info = statAhead === undefined ? await stat(file) : statOutcome(await statAhead);
      const verdict = judgeStat(file, info, cached, limits);
      outcome = "read" in verdict ? readTextOf(info, info.size <= READ_AT_ONCE_BYTES ? readFileSync(file, "utf8") : await readFile(file, "utf8")) : verdict;
    } catch (error) {
      outcome = failedRead(file, error, cached);
    }
    if (outcome.problem !== undefined) problems.push(outcome.problem);
    if (outcome.kept === undefined) return;
    texts.set(file, outcome.kept.text);
    cache.set(file, outcome.kept);
  };

  const keepPreviousUnder = (dir: string): void => {
    const prefix = dir.endsWith(sep) ? dir : `${dir}${sep}`;
    for (const [file, cached] of previous) {
      if (!file.startsWith(prefix) || texts.has(file)) continue;
      texts.set(file, cached.text);
      cache.set(file, cached);
    }
  };

  const walk = async (dir: string, depth: number): Promise<void> => {
    let real: string;
    try {
      real = await realpath(dir);
    } catch (error) {
      problems.push({ file: dir, message: `cannot read directory: ${(error as Error).message}` });
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") keepPreviousUnder(dir);
      return;
    }
    if (visitedDirs.has(real)) return; // a symlink loop or the same tree reached twice
    visitedDirs.add(real);
    watchDirs.add(dir);
    if (depth > limits.maxDepth) {
      problems.push({ file: dir, message: `directory nesting deeper than ${limits.maxDepth}; not read` });
      return;
    }
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      problems.push({ file: dir, message: `cannot read directory: ${(error as Error).message}` });
      // A directory that cannot be listed now (permissions) keeps what its files held when it last could be;
      // one that is gone takes its files with it.
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") keepPreviousUnder(dir);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const items: Array<{ readonly path: string; readonly isDir: boolean }> = [];
    for (const entry of entries) {
      if (isIgnoredFileName(entry.name)) continue;
      const full = join(dir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const target = await stat(full);
          isDir = target.isDirectory();
          isFile = target.isFile();
        } catch {
          continue; // dangling link
        }
      }
      if (isDir || (isFile && isResourceFileName(entry.name))) items.push({ path: full, isDir });
    }
    // Files are read in name order, their stats asked a window ahead: one stat after another cost a round
    // trip to the thread pool each, which for a directory of thousands of files made the rescan after an edit.
    const files = items.filter((item) => !item.isDir).map((item) => item.path);
    const stats = new Map<string, Promise<StatResult>>();
    let asked = 0;
    let fileAt = 0;
    for (const item of items) {
      if (item.isDir) {
        await walk(item.path, depth + 1);
        continue;
      }
      for (; asked < files.length && asked < fileAt + STATS_AHEAD; asked++) stats.set(files[asked]!, settledStat(files[asked]!));
      fileAt++;
      const ahead = stats.get(item.path);
      stats.delete(item.path);
      await readOne(item.path, ahead);
    }
  };

  for (const configured of paths) {
    const path = resolve(configured);
    let info;
    try {
      info = await stat(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      problems.push({ file: path, message: code === "ENOENT" ? "path does not exist" : `cannot read: ${(error as Error).message}` });
      if (code !== "ENOENT") {
        keepPreviousUnder(path);
        const cached = previous.get(path);
        if (cached !== undefined && !texts.has(path)) {
          texts.set(path, cached.text);
          cache.set(path, cached);
        }
      }
      // Watch the parent so the path is picked up once it appears.
      watchDirs.add(dirname(path));
      parentDirs.add(dirname(path));
      continue;
    }
    if (info.isDirectory()) {
      rootDirs.add(path);
      await walk(path, 0);
    } else {
      watchDirs.add(dirname(path));
      parentDirs.add(dirname(path));
      await readOne(path);
    }
  }
  return { texts, watchDirs, rootDirs, parentDirs, problems, cache };
}

/**
 * Whether a watch event about `path` cannot change what a scan reads, given the last scan: an entry of a directory
 * the scan walked (not the parent of a configured file, where any name may be configured) that the scan did not
 * read and would not read now: a regular file of another name than a resource file's, or nothing (an entry that came
 * and went, as an editor's or a tool's temporary file before its rename), not a file or directory the scan knew.
 */
export function isOutsideScan(scan: ScanResult, path: string): boolean {
  const dir = dirname(path);
  if (scan.cache.has(path) || scan.watchDirs.has(path) || !scan.watchDirs.has(dir) || scan.parentDirs.has(dir)) return false;
  try {
    // Not there: no error thrown (an error's stack trace would cost more than the rest of this event).
    const info = lstatSync(path, { throwIfNoEntry: false });
    return info === undefined || (info.isFile() && !isResourceFileName(basename(path)));
  } catch {
    return false;
  }
}

/**
 * The scan after changes to `paths` only, from the last scan, read on the spot; undefined when only a full scan can
 * tell (a file added, removed or replaced by a link or directory, a directory changed, a file too large to read on
 * the spot, or a problem with a file). Paths {@link isOutsideScan} are passed over.
 */
export function rescanFiles(scan: ScanResult, paths: ReadonlySet<string>, limits: ScanLimits): ScanResult | undefined {
  let texts: Map<string, string> | undefined;
  let cache: Map<string, CachedFile> | undefined;
  for (const path of paths) {
    const cached = scan.cache.get(path);
    if (cached === undefined) {
      if (isOutsideScan(scan, path)) continue;
      return undefined;
    }
    // A file with a problem last time: the full scan words and orders the problems.
    if (scan.problems.some((problem) => problem.file === path)) return undefined;
    let info: Stats | undefined;
    try {
      info = lstatSync(path, { throwIfNoEntry: false });
    } catch {
      return undefined;
    }
    if (info === undefined || !info.isFile()) return undefined;
    const verdict = judgeStat(path, info, cached, limits);
    if ("read" in verdict) {
      if (info.size > READ_AT_ONCE_BYTES) return undefined;
      let text: string;
      try {
        text = readFileSync(path, "utf8");
      } catch {
        return undefined;
      }
      (texts ??= new Map(scan.texts)).set(path, text);
      (cache ??= new Map(scan.cache)).set(path, { ino: info.ino, size: info.size, mtimeMs: info.mtimeMs, text });
    } else if (verdict.problem !== undefined || verdict.kept !== cached) return undefined;
  }
  return texts === undefined || cache === undefined ? scan : { ...scan, texts, cache };
}
