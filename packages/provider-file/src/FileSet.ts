import type { KubernetesObject, UnstructuredObject } from "@egts/api";
import type { DocumentParser, FileProblem } from "./Documents.js";

/** What one file currently contributes. */
export interface FileEntry {
  /** The text last read (used to skip re-parsing an unchanged file). */
  readonly text: string;
  /** The objects this file contributes: those of its last good version when the current one is broken. */
  readonly objects: ReadonlyArray<KubernetesObject>;
  /** The 1-based document of each of `objects`, where known. */
  readonly documents: ReadonlyArray<number | undefined>;
  /** Objects of kinds the parser does not model, kept the same way. */
  readonly unknown: ReadonlyArray<UnstructuredObject>;
  /** Problems of the current text (errors and warnings); no errors when it loaded cleanly. */
  readonly problems: ReadonlyArray<FileProblem>;
  /** True when `objects` come from an earlier version because the current text has problems. */
  readonly stale: boolean;
  /** The text `objects` were parsed from when that text loaded cleanly; undefined when no version ever did. */
  readonly goodText: string | undefined;
}

/** Bounds on the problems kept per file, so one huge broken file cannot flood status and logs. */
export interface ProblemLimits {
  /** Most problems kept per file; the rest are summarized in one more problem. Default 100. */
  readonly maxProblemsPerFile?: number;
  /** Longest message (and object, path) kept, in characters. Default 1024. */
  readonly maxProblemLength?: number;
}

/**
 * Every watched file and what it contributes, plus problems that belong to no single file (a configured path
 * that does not exist, a directory that cannot be read). Immutable; {@link updateFileSet} returns a new one.
 */
export interface FileSet {
  readonly files: ReadonlyMap<string, FileEntry>;
  readonly pathProblems: ReadonlyArray<FileProblem>;
}

/** The objects and problems of a {@link FileSet}, flattened in file-name order. */
export interface FileSnapshot {
  readonly objects: ReadonlyArray<KubernetesObject>;
  readonly unknown: ReadonlyArray<UnstructuredObject>;
  readonly problems: ReadonlyArray<FileProblem>;
  /** Files whose current text is broken and which therefore still serve their last good objects. */
  readonly staleFiles: ReadonlyArray<string>;
}

/** A {@link FileSet} with no files. */
export const emptyFileSet: FileSet = { files: new Map(), pathProblems: [] };

/**
 * Folds freshly read file texts into the previous set. A file whose text is unchanged keeps its entry as is.
 * A changed file is parsed: if it is clean its objects replace the old ones; if it has problems, they are
 * reported and the objects it held last time are kept (warnings alone do not count as broken) (on first sight of a broken file: the documents that did
 * load). Files absent from `texts` are dropped. Returns `previous` itself when nothing changed, so callers can
 * compare by identity. Each file's problems are bounded by `limits` (count and length).
 */
export function updateFileSet(
  previous: FileSet,
  texts: ReadonlyMap<string, string>,
  pathProblems: ReadonlyArray<FileProblem>,
  parse: DocumentParser,
  limits: ProblemLimits = {},
): FileSet {
  let changed = texts.size !== previous.files.size || !sameProblems(previous.pathProblems, pathProblems);
  const files = new Map<string, FileEntry>();
  for (const [file, text] of [...texts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const before = previous.files.get(file);
    if (before !== undefined && before.text === text) {
      files.set(file, before);
      continue;
    }
    changed = true;
    const parsed = parse(text, file);
    const problems = boundProblems(parsed.problems, file, limits);
    const broken = parsed.problems.some((p) => p.severity !== "warning");
    const documents = parsed.objects.map((_, i) => parsed.documents?.[i]);
    if (!broken) {
      files.set(file, { text, objects: parsed.objects, documents, unknown: parsed.unknown ?? [], problems, stale: false, goodText: text });
    } else if (before === undefined) {
      files.set(file, { text, objects: parsed.objects, documents, unknown: parsed.unknown ?? [], problems, stale: false, goodText: undefined });
    } else {
      files.set(file, { ...before, text, problems, stale: true });
    }
  }
  if (!changed) {
    for (const file of previous.files.keys()) if (!files.has(file)) changed = true;
  }
  return changed ? { files, pathProblems } : previous;
}

/**
 * Flattens a {@link FileSet}: all objects and all problems, in file-name order. An object defined more than
 * once (same API group, kind, namespace and name, in one file or several) is kept once: the first definition
 * in file-name and document order wins, every later one is left out and reported where it is, naming where
 * the kept one is. (Translating both would let them collide on generated names, such as cluster names.)
 */
export function snapshotOf(set: FileSet): FileSnapshot {
  return snapshotWith(set, new WeakMap());
}

/**
 * Identity keys by object. Loaded objects are immutable and stay the same objects while their text is
 * unchanged, so with a memo kept across snapshots an edit computes keys for the edited objects only.
 */
type IdentityKeyMemo = WeakMap<object, string>;

/**
 * A {@link snapshotOf} for sets that change a few files at a time: while no object is defined twice, a new set's
 * snapshot counts the identities of the changed files' objects only and joins every file's objects, instead of
 * checking every object again. It gives what `snapshotOf` gives.
 */
export function createSnapshotter(): (set: FileSet) => FileSnapshot {
  const keys: IdentityKeyMemo = new WeakMap();
  /** How many times each identity is defined in `last`; `duplicated` counts identities defined more than once. */
  const counts = new Map<string, number>();
  let duplicated = 0;
  let last: FileSet = emptyFileSet;
  const count = (entry: FileEntry, by: 1 | -1) => {
    for (const list of [entry.objects, entry.unknown]) {
      for (const object of list) {
        const key = identityKeyOf(object, keys);
        const before = counts.get(key) ?? 0;
        const after = before + by;
        if (after === 0) counts.delete(key);
        else counts.set(key, after);
        if (before <= 1 && after > 1) duplicated++;
        else if (before > 1 && after <= 1) duplicated--;
      }
    }
  };
  return (set) => {
    for (const [file, entry] of last.files) if (set.files.get(file) !== entry) count(entry, -1);
    for (const [file, entry] of set.files) if (last.files.get(file) !== entry) count(entry, 1);
    last = set;
    if (duplicated > 0) return snapshotWith(set, keys);
    // No identity twice: every object is admitted, in file order. The lists are made at their final length (pushing
    // thousands of objects one by one would copy the list each time it grows).
    let objectCount = 0;
    let unknownCount = 0;
    for (const entry of set.files.values()) {
      objectCount += entry.objects.length;
      unknownCount += entry.unknown.length;
    }
    const objects = new Array<KubernetesObject>(objectCount);
    const unknown = new Array<UnstructuredObject>(unknownCount);
    const problems: FileProblem[] = [...set.pathProblems];
    const staleFiles: string[] = [];
    let o = 0;
    let u = 0;
    for (const [file, entry] of set.files) {
      for (let i = 0; i < entry.objects.length; i++) objects[o++] = entry.objects[i]!;
      for (let i = 0; i < entry.unknown.length; i++) unknown[u++] = entry.unknown[i]!;
      for (const problem of entry.problems) problems.push(problem);
      if (entry.stale) staleFiles.push(file);
    }
    return { objects, unknown, problems, staleFiles };
  };
}

/** {@link snapshotOf} with identity keys of objects seen before taken from `keys`. */
function snapshotWith(set: FileSet, keys: IdentityKeyMemo): FileSnapshot {
  const objects: KubernetesObject[] = [];
  const unknown: UnstructuredObject[] = [];
  const problems: FileProblem[] = [...set.pathProblems];
  const duplicates: FileProblem[] = [];
  const staleFiles: string[] = [];
  /** Identity key -> where it was first defined. */
  const seen = new Map<string, { readonly file: string; readonly document: number | undefined }>();
  const where = (file: string, document: number | undefined) => (document === undefined ? file : `${file} (document ${document})`);
  const admit = (object: KubernetesObject | UnstructuredObject, file: string, document: number | undefined): boolean => {
    const key = identityKeyOf(object, keys);
    const kept = seen.get(key);
    if (kept === undefined) {
      seen.set(key, { file, document });
      return true;
    }
    const meta = (object.metadata ?? {}) as { name?: unknown; namespace?: unknown };
    const namespace = typeof meta.namespace === "string" ? meta.namespace : "";
    const name = typeof meta.name === "string" ? meta.name : "";
    duplicates.push({
      file,
      ...(document !== undefined ? { document } : {}),
      object: `${object.kind} ${namespace === "" ? name : `${namespace}/${name}`}`,
      message: `duplicate object: also defined in ${where(kept.file, kept.document)}, which is used; this definition is ignored`,
    });
    return false;
  };
  for (const [file, entry] of set.files) {
    entry.objects.forEach((object, i) => {
      if (admit(object, file, entry.documents[i])) objects.push(object);
    });
    for (const object of entry.unknown) if (admit(object, file, undefined)) unknown.push(object);
    problems.push(...entry.problems);
    if (entry.stale) staleFiles.push(file);
  }
  problems.push(...duplicates);
  return { objects, unknown, problems, staleFiles };
}

/** API group, kind, namespace and name: what makes two definitions the same object. */
function identityKeyOf(object: KubernetesObject | UnstructuredObject, keys: IdentityKeyMemo): string {
  let key = keys.get(object);
  if (key !== undefined) return key;
  const meta = (object.metadata ?? {}) as { name?: unknown; namespace?: unknown };
  const group = typeof object.apiVersion === "string" && object.apiVersion.includes("/") ? object.apiVersion.slice(0, object.apiVersion.lastIndexOf("/")) : "";
  const namespace = typeof meta.namespace === "string" ? meta.namespace : "";
  const name = typeof meta.name === "string" ? meta.name : "";
  key = `${group}\u0000${object.kind}\u0000${namespace}\u0000${name}`;
  keys.set(object, key);
  return key;
}

/** Caps a file's problems in number and length (see {@link ProblemLimits}). */
export function boundProblems(problems: ReadonlyArray<FileProblem>, file: string, limits: ProblemLimits = {}): ReadonlyArray<FileProblem> {
  const maxCount = limits.maxProblemsPerFile ?? 100;
  const maxLength = limits.maxProblemLength ?? 1024;
  const cut = (text: string): string =>
    text.length <= maxLength ? text : `${text.slice(0, maxLength)}... (${text.length - maxLength} more characters not shown)`;
  const kept = problems.slice(0, maxCount).map((p) => {
    const long = p.message.length > maxLength || (p.object?.length ?? 0) > maxLength || (p.path?.length ?? 0) > maxLength;
    if (!long) return p;
    return {
      ...p,
      message: cut(p.message),
      ...(p.object !== undefined ? { object: cut(p.object) } : {}),
      ...(p.path !== undefined ? { path: cut(p.path) } : {}),
    };
  });
  if (problems.length > maxCount) kept.push({ file, message: `${problems.length - maxCount} more problems in this file are not shown` });
  return kept;
}

function sameProblems(a: ReadonlyArray<FileProblem>, b: ReadonlyArray<FileProblem>): boolean {
  if (a.length !== b.length) return false;
  return a.every((p, i) => {
    const q = b[i];
    return q !== undefined && p.file === q.file && p.document === q.document && p.path === q.path && p.message === q.message;
  });
}
