import type { KubernetesObject, UnstructuredObject } from "@egts/api";
import type { DocumentParser, FileProblem } from "./Documents.js";

/** What one file currently contributes. */
export interface FileEntry {
  /** The text last read (used to skip re-parsing an unchanged file). */
  readonly text: string;
  /** The objects this file contributes: those of its last good version when the current one is broken. */
  readonly objects: ReadonlyArray<KubernetesObject>;
  /** Objects of kinds the parser does not model, kept the same way. */
  readonly unknown: ReadonlyArray<UnstructuredObject>;
  /** Problems of the current text (errors and warnings); no errors when it loaded cleanly. */
  readonly problems: ReadonlyArray<FileProblem>;
  /** True when `objects` come from an earlier version because the current text has problems. */
  readonly stale: boolean;
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
 * compare by identity.
 */
export function updateFileSet(
  previous: FileSet,
  texts: ReadonlyMap<string, string>,
  pathProblems: ReadonlyArray<FileProblem>,
  parse: DocumentParser,
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
    const broken = parsed.problems.some((p) => p.severity !== "warning");
    if (!broken || before === undefined) {
      files.set(file, { text, objects: parsed.objects, unknown: parsed.unknown ?? [], problems: parsed.problems, stale: false });
    } else {
      files.set(file, { text, objects: before.objects, unknown: before.unknown, problems: parsed.problems, stale: true });
    }
  }
  if (!changed) {
    for (const file of previous.files.keys()) if (!files.has(file)) changed = true;
  }
  return changed ? { files, pathProblems } : previous;
}

/** Flattens a {@link FileSet}: all objects and all problems, in file-name order. */
export function snapshotOf(set: FileSet): FileSnapshot {
  const objects: KubernetesObject[] = [];
  const unknown: UnstructuredObject[] = [];
  const problems: FileProblem[] = [...set.pathProblems];
  const staleFiles: string[] = [];
  for (const [file, entry] of set.files) {
    objects.push(...entry.objects);
    unknown.push(...entry.unknown);
    problems.push(...entry.problems);
    if (entry.stale) staleFiles.push(file);
  }
  return { objects, unknown, problems, staleFiles };
}

function sameProblems(a: ReadonlyArray<FileProblem>, b: ReadonlyArray<FileProblem>): boolean {
  if (a.length !== b.length) return false;
  return a.every((p, i) => {
    const q = b[i];
    return q !== undefined && p.file === q.file && p.document === q.document && p.path === q.path && p.message === q.message;
  });
}
