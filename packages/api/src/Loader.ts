// Multi-document YAML/JSON loading: pure functions from text to decoded objects plus per-document problems.
// A bad document never hides the good ones. File and stdin access live in ./files.ts.
import { isMap, isNode, isScalar, isSeq, parseAllDocuments, visit, type Document } from "yaml";
import { parseDocumentFast, YAML_PARSE_OPTIONS } from "./internal/fastYaml.js";
import { contentStart, splitDocuments, type DocumentChunk } from "./internal/splitDocuments.js";
import { DEFAULT_NAMESPACE, decodeObject, formatInvalid, identityOf, type DecodeOptions, type ObjectIdentity } from "./Decode.js";
import type { KindInfo, KnownObject } from "./Kinds.js";
import type { UnstructuredObject } from "./Resources.js";

/** One parsed document (or one item of a `kind: List`) and where it came from. */
export interface SourceDocument {
  /** File name, `<stdin>` or a caller-chosen label. */
  readonly source: string;
  /** 0-based index of the document in its source. */
  readonly index: number;
  /** 0-based index inside a `kind: List` document, when it came from one. */
  readonly item?: number;
  /** 1-based line where the document starts, when known. */
  readonly line?: number;
  readonly value: unknown;
  /** Finds the 1-based line of a field path (`spec.rules[0].matches`) in the source, when known. */
  readonly locate?: (path: string) => number | undefined;
}

/** What kind of problem a document had. */
export type ProblemCode = "io" | "yaml" | "malformed" | "invalid" | "unknown-kind" | "too-large" | "warning";

/** One problem with one document (or one field of it). */
export interface LoadProblem {
  readonly source: string;
  readonly index: number;
  readonly item?: number;
  readonly line?: number;
  readonly code: ProblemCode;
  readonly identity: ObjectIdentity;
  /** Field path inside the object ("" for the whole document). */
  readonly path: string;
  readonly message: string;
}

/** A successfully decoded object with its origin. */
export interface LoadedObject {
  readonly source: string;
  readonly index: number;
  readonly item?: number;
  readonly object: KnownObject;
  readonly info: KindInfo;
}

/** An object of a kind egts does not model: kept (namespace defaulted) for extension handling, and reported. */
export interface LoadedUnknown {
  readonly source: string;
  readonly index: number;
  readonly item?: number;
  readonly object: UnstructuredObject;
}

/** The outcome of loading some documents: everything good, everything unknown, every problem. */
export interface LoadResult {
  readonly objects: ReadonlyArray<LoadedObject>;
  readonly unknown: ReadonlyArray<LoadedUnknown>;
  readonly problems: ReadonlyArray<LoadProblem>;
}

/** Limits on untrusted input, on top of {@link DecodeOptions}. */
export interface LoadOptions extends DecodeOptions {
  /** Largest accepted source text, in UTF-16 code units (default 64 Mi). */
  readonly maxSourceLength?: number;
  /** Most documents accepted from one source (default 100 000). */
  readonly maxDocuments?: number;
  /** Most alias dereferences per document, against "billion laughs" inputs (default 100). */
  readonly maxAliasCount?: number;
  /** Deepest bracket nesting accepted, against stack exhaustion in the parser (default 256). */
  readonly maxNesting?: number;
  /** Widest line indentation accepted, in spaces, against deep block nesting (default 1024). */
  readonly maxIndent?: number;
}

const DEFAULT_MAX_SOURCE = 64 * 1024 * 1024;
const DEFAULT_MAX_DOCUMENTS = 100_000;
const DEFAULT_MAX_NESTING = 256;
const DEFAULT_MAX_INDENT = 1024;

/**
 * Which nesting limit a text breaks, if any: the deepest nesting of [ and {, or the widest line indentation
 * (block nesting). Quotes are deliberately not tracked (a YAML plain scalar may hold an apostrophe), so brackets
 * inside strings count too: balanced ones cancel out, and a real manifest never comes close to the limit.
 * Regular expressions find the brackets and wide indentations, far faster than a loop over every character.
 */
function brokenNestingLimit(text: string, maxNesting: number, maxIndent: number): string | undefined {
  let depth = 0;
  for (const [bracket] of text.matchAll(/[[\]{}]/g)) {
    if (bracket === "[" || bracket === "{") {
      if (++depth > maxNesting) return `brackets nested more than ${maxNesting} deep`;
    } else if (depth > 0) depth--;
  }
  // a line's indentation counts once something (even a line break) follows it
  if (new RegExp(`(?:^|\\n) {${maxIndent + 1}} *[^ ]`).test(text)) return `lines indented more than ${maxIndent} spaces`;
  return undefined;
}

/** Offset -> 1-based line of one text, from its newline offsets found once (a scan per lookup is quadratic in a large file). */
type LineOf = (offset: number) => number;

function lineIndex(text: string): LineOf {
  const newlines: number[] = [];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) newlines.push(i);
  return (offset) => {
    // the number of newlines before `offset`, by binary search
    let lo = 0;
    let hi = newlines.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (newlines[mid]! < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };
}

function isList(value: unknown): value is { kind: "List"; items: unknown[] } {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    (value as Record<string, unknown>)["kind"] === "List" &&
    Array.isArray((value as Record<string, unknown>)["items"])
  );
}

/** The value of a text that is one JSON object (the common machine-written form), else undefined. */
function parseJsonDocument(text: string): unknown {
  const start = text.trimStart();
  if (!start.startsWith("{")) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined; // not strict JSON (or several documents): the YAML parser handles it and reports errors
  }
}

/** Splits a field path such as `spec.rules[0]["a.b"]` into keys and indexes. */
function pathKeys(path: string): Array<string | number> {
  const keys: Array<string | number> = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g)) {
    if (m[1] !== undefined) keys.push(m[1]);
    else if (m[2] !== undefined) keys.push(Number(m[2]));
    else if (m[3] !== undefined) keys.push(JSON.parse(m[3]) as string);
  }
  return keys;
}

function locator(doc: Document, lineOf: LineOf, fallback: number | undefined): (path: string) => number | undefined {
  return (path) => {
    const keys = pathKeys(path);
    // the deepest node of the path that exists (a missing field is reported at its parent); a map entry is
    // located at its key, where a reader looks for it
    for (let n = keys.length; n > 0; n--) {
      const parent = n === 1 ? doc.contents : doc.getIn(keys.slice(0, n - 1), true);
      const last = keys[n - 1];
      if (isMap(parent) && typeof last === "string") {
        const pair = parent.items.find((p) => (isScalar(p.key) ? String(p.key.value) : p.key) === last);
        const at = isNode(pair?.key) ? pair.key.range : undefined;
        if (at) return lineOf(at[0]);
      } else if (isSeq(parent) && typeof last === "number") {
        const item = parent.items[last];
        if (isNode(item) && item.range) return lineOf(item.range[0]);
      }
    }
    return fallback;
  };
}

function at<T extends { readonly item?: number; readonly line?: number }>(
  base: Omit<T, "item" | "line">,
  item: number | undefined,
  line: number | undefined,
): T {
  const out: Record<string, unknown> = { ...base };
  if (item !== undefined) out["item"] = item;
  if (line !== undefined) out["line"] = line;
  return out as T;
}

/** The limits every text is checked against before it is parsed: a problem when the text breaks one. */
function textProblem(text: string, source: string, options: LoadOptions): LoadProblem | undefined {
  const maxSource = options.maxSourceLength ?? DEFAULT_MAX_SOURCE;
  if (text.length > maxSource) {
    return {
      source,
      index: 0,
      code: "too-large",
      identity: {},
      path: "",
      message: `input is ${text.length} characters long, more than the limit of ${maxSource}`,
    };
  }
  const broken = brokenNestingLimit(text, options.maxNesting ?? DEFAULT_MAX_NESTING, options.maxIndent ?? DEFAULT_MAX_INDENT);
  return broken === undefined ? undefined : { source, index: 0, code: "too-large", identity: {}, path: "", message: broken };
}

/** Documents and problems of some parsed text. */
interface Parsed {
  readonly documents: ReadonlyArray<SourceDocument>;
  readonly problems: ReadonlyArray<LoadProblem>;
}

/** The documents of a text that is one JSON object (or `kind: List`), which JSON.parse reads much faster; else undefined. */
function parseJsonText(text: string, source: string, maxDocs: number): Parsed | undefined {
  const json = parseJsonDocument(text);
  if (json === undefined) return undefined;
  // lines are not tracked
  const documents: SourceDocument[] = [];
  const items = isList(json) ? json["items"] : undefined;
  if (Array.isArray(items)) items.slice(0, maxDocs).forEach((value, i) => documents.push({ source, index: 0, item: i, value }));
  else if (json !== null) documents.push({ source, index: 0, value: json });
  return { documents, problems: [] };
}

/** The documents (one per item of a `kind: List`) holding `value`, parsed from document `index`. */
function documentsOf(value: unknown, source: string, index: number, line: number | undefined, locate: (path: string) => number | undefined): SourceDocument[] {
  if (value === null || value === undefined) return []; // empty document, e.g. after a trailing ---
  if (isList(value)) {
    return value.items.map((item, i) =>
      at<SourceDocument>({ source, index, value: item, locate: (p: string) => locate(p === "" ? `items[${i}]` : `items[${i}].${p}`) }, i, line),
    );
  }
  return [at<SourceDocument>({ source, index, value, locate }, undefined, line)];
}

/**
 * One document parsed by the `yaml` package (with CST and nodes: errors with lines, duplicate keys, alias limits),
 * lines counted by `lineOf`.
 */
function parsePreciseDocument(doc: Document, source: string, index: number, lineOf: LineOf, options: LoadOptions): Parsed {
  const start = isNode(doc.contents) && doc.contents.range ? doc.contents.range[0] : doc.range?.[0];
  const line = start !== undefined ? lineOf(start) : undefined;
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((e) =>
      at<LoadProblem>(
        { source, index, code: "yaml", identity: {}, path: "", message: e.message.split("\n")[0] ?? e.message },
        undefined,
        e.linePos?.[0]?.line ?? line,
      ),
    );
    return { documents: [], problems };
  }
  const duplicate = firstDuplicateKey(doc);
  if (duplicate !== undefined) {
    const dupLine = duplicate.offset !== undefined ? lineOf(duplicate.offset) : line;
    const message = `Map keys must be unique: ${JSON.stringify(duplicate.key)}`;
    return { documents: [], problems: [at<LoadProblem>({ source, index, code: "yaml", identity: {}, path: "", message }, undefined, dupLine)] };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: options.maxAliasCount ?? 100 });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { documents: [], problems: [at<LoadProblem>({ source, index, code: "yaml", identity: {}, path: "", message }, undefined, line)] };
  }
  return { documents: documentsOf(value, source, index, line, locator(doc, lineOf, line)), problems: [] };
}

/** A whole stream through the `yaml` package, for what {@link splitDocuments} does not cut (directives, `...`). */
function parsePreciseText(text: string, source: string, options: LoadOptions, maxDocs: number): Parsed {
  let docs: ReturnType<typeof parseAllDocuments>;
  try {
    docs = parseAllDocuments(text, YAML_PARSE_OPTIONS);
  } catch (e) {
    return { documents: [], problems: [{ source, index: 0, code: "yaml", identity: {}, path: "", message: e instanceof Error ? e.message : String(e) }] };
  }
  const list = Array.isArray(docs) ? docs : [];
  const lineOf = lineIndex(text);
  const documents: SourceDocument[] = [];
  const problems: LoadProblem[] = [];
  for (const [index, doc] of list.entries()) {
    if (index >= maxDocs) {
      problems.push(tooManyDocuments(source, maxDocs));
      break;
    }
    const parsed = parsePreciseDocument(doc, source, index, lineOf, options);
    documents.push(...parsed.documents);
    problems.push(...parsed.problems);
  }
  return { documents, problems };
}

function tooManyDocuments(source: string, maxDocs: number): LoadProblem {
  return { source, index: maxDocs, code: "too-large", identity: {}, path: "", message: `more than ${maxDocs} documents; the rest are ignored` };
}

/**
 * One document of a stream, its lines counted from the document's own first line (1): the fast path when it
 * applies, else the `yaml` package. Undefined when the `yaml` package does not see exactly one document in it
 * (the stream is then parsed as a whole).
 */
function parseChunk(chunk: DocumentChunk, source: string, options: LoadOptions, fastPath = true): Parsed | undefined {
  const { text, index } = chunk;
  const fast = fastPath ? parseDocumentFast(text) : undefined;
  if (fast !== undefined) {
    const begin = contentStart(text, text.startsWith("---") ? 3 : 0);
    const line = begin === -1 ? undefined : linesBefore(text, begin) + 1;
    // lines of fields are only wanted for problems: the document is parsed precisely when one is asked for
    let locate: ((path: string) => number | undefined) | undefined;
    const lazyLocate = (path: string): number | undefined => {
      if (locate === undefined) {
        const doc = parseAllDocuments(text, YAML_PARSE_OPTIONS);
        locate = Array.isArray(doc) && doc[0] !== undefined ? locator(doc[0], lineIndex(text), line) : () => line;
      }
      return locate(path);
    };
    return { documents: documentsOf(fast.value, source, index, line, lazyLocate), problems: [] };
  }
  let docs: ReturnType<typeof parseAllDocuments>;
  try {
    docs = parseAllDocuments(text, YAML_PARSE_OPTIONS);
  } catch {
    return undefined;
  }
  if (!Array.isArray(docs) || docs.length !== 1) return undefined;
  return parsePreciseDocument(docs[0]!, source, index, lineIndex(text), options);
}

function linesBefore(text: string, offset: number): number {
  let lines = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) lines++;
  return lines;
}

/** Moves the lines of parsed documents and problems down by `shift`. */
function shiftParsed(parsed: Parsed, shift: number): Parsed {
  if (shift === 0) return parsed;
  const move = (line: number | undefined) => (line === undefined ? undefined : line + shift);
  return {
    documents: parsed.documents.map((d) => {
      const inner = d.locate;
      const moved: SourceDocument = { ...d, ...(d.line !== undefined ? { line: d.line + shift } : {}) };
      return inner === undefined ? moved : { ...moved, locate: (p: string) => move(inner(p)) };
    }),
    problems: shiftProblems(parsed.problems, shift),
  };
}

function shiftProblems(problems: ReadonlyArray<LoadProblem>, shift: number): ReadonlyArray<LoadProblem> {
  return shift === 0 ? problems : problems.map((p) => (p.line === undefined ? p : { ...p, line: p.line + shift }));
}

/** Counts lines as a stream's chunks go by, in order: the 1-based line each chunk starts on. */
function chunkLines(text: string): (chunk: DocumentChunk) => number {
  let offset = 0;
  let line = 1;
  return (chunk) => {
    for (let i = text.indexOf("\n", offset); i !== -1 && i < chunk.offset; i = text.indexOf("\n", i + 1)) line++;
    offset = chunk.offset;
    return line;
  };
}

/** How a text is to be parsed: refused, JSON, as a whole, or document by document. */
type Plan =
  | { readonly kind: "done"; readonly parsed: Parsed }
  | { readonly kind: "chunks"; readonly chunks: ReadonlyArray<DocumentChunk>; readonly maxDocs: number };

function planOf(text: string, source: string, options: LoadOptions): Plan {
  const refused = textProblem(text, source, options);
  if (refused !== undefined) return { kind: "done", parsed: { documents: [], problems: [refused] } };
  const maxDocs = options.maxDocuments ?? DEFAULT_MAX_DOCUMENTS;
  const json = parseJsonText(text, source, maxDocs);
  if (json !== undefined) return { kind: "done", parsed: json };
  const chunks = splitDocuments(text);
  if (chunks === undefined) return { kind: "done", parsed: parsePreciseText(text, source, options, maxDocs) };
  return { kind: "chunks", chunks, maxDocs };
}

function parseText(text: string, source: string, options: LoadOptions, fastPath: boolean): Parsed {
  const plan = planOf(text, source, options);
  if (plan.kind === "done") return plan.parsed;
  const documents: SourceDocument[] = [];
  const problems: LoadProblem[] = [];
  const lineOfChunk = chunkLines(text);
  for (const chunk of plan.chunks) {
    if (chunk.index >= plan.maxDocs) {
      problems.push(tooManyDocuments(source, plan.maxDocs));
      break;
    }
    const parsed = parseChunk(chunk, source, options, fastPath);
    if (parsed === undefined) return parsePreciseText(text, source, options, plan.maxDocs);
    const shifted = shiftParsed(parsed, lineOfChunk(chunk) - 1);
    documents.push(...shifted.documents);
    problems.push(...shifted.problems);
  }
  return { documents, problems };
}

/**
 * Splits YAML (or JSON) text into documents, YAML 1.1 semantics as Kubernetes' Go YAML reader. Empty
 * documents are skipped; a document that does not parse becomes a problem and the others are kept (each
 * document is parsed on its own, so not even an unclosed quote spills into the next one).
 */
export function parseDocuments(text: string, source: string, options: LoadOptions = {}): Parsed {
  return parseText(text, source, options, true);
}

/**
 * {@link parseDocuments} with every document through the `yaml` package (CST and nodes), none through the fast
 * path: the reference the fast path is tested against.
 */
export function parseDocumentsPrecisely(text: string, source: string, options: LoadOptions = {}): Parsed {
  return parseText(text, source, options, false);
}

/** {@link parseDocuments} with the whole stream parsed at once by the `yaml` package (as before documents were cut apart). */
export function parseStreamPrecisely(text: string, source: string, options: LoadOptions = {}): Parsed {
  const refused = textProblem(text, source, options);
  if (refused !== undefined) return { documents: [], problems: [refused] };
  const maxDocs = options.maxDocuments ?? DEFAULT_MAX_DOCUMENTS;
  return parseJsonText(text, source, maxDocs) ?? parsePreciseText(text, source, options, maxDocs);
}

/**
 * The first key repeated within one mapping of a parsed YAML document, with its offset, or undefined. The
 * `yaml` package's own check (`uniqueKeys`) compares every key with every other (quadratic: a 60 000-key
 * mapping took a minute); this one is linear. Merge keys (`<<`) may repeat.
 */
export function firstDuplicateKey(doc: Document): { readonly key: string; readonly offset: number | undefined } | undefined {
  let found: { key: string; offset: number | undefined } | undefined;
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        const key = pair.key.value;
        if (key === "<<") continue;
        if (seen.has(key)) {
          found = { key: String(key).slice(0, 100), offset: pair.key.range?.[0] };
          return visit.BREAK;
        }
        seen.add(key);
      }
      return undefined;
    },
  });
  return found;
}

/** Decodes parsed documents (see {@link decodeObject}); unknown kinds are kept aside and reported. */
export function loadDocuments(documents: ReadonlyArray<SourceDocument>, options: LoadOptions = {}): LoadResult {
  const objects: LoadedObject[] = [];
  const unknown: LoadedUnknown[] = [];
  const problems: LoadProblem[] = [];
  for (const doc of documents) {
    const where = { source: doc.source, index: doc.index };
    const r = decodeObject(doc.value, options);
    if (r.ok) {
      objects.push(at<LoadedObject>({ ...where, object: r.object, info: r.info }, doc.item, undefined));
      const identity = identityOf(r.object);
      for (const w of r.warnings)
        problems.push(at<LoadProblem>({ ...where, code: "warning", identity, path: w.path, message: w.message }, doc.item, doc.locate?.(w.path) ?? doc.line));
      continue;
    }
    if (r.reason === "unknown-kind") {
      const raw = doc.value as UnstructuredObject;
      const meta = (raw.metadata ?? {}) as unknown as Record<string, unknown>;
      const defaultNamespace = options.defaultNamespace ?? DEFAULT_NAMESPACE;
      const object =
        meta["namespace"] === undefined && defaultNamespace !== false
          ? ({ ...raw, metadata: { ...meta, namespace: defaultNamespace } } as UnstructuredObject)
          : raw;
      unknown.push(at<LoadedUnknown>({ ...where, object }, doc.item, undefined));
    }
    for (const e of r.errors) {
      problems.push(
        at<LoadProblem>({ ...where, code: r.reason, identity: r.identity, path: e.path, message: e.message }, doc.item, doc.locate?.(e.path) ?? doc.line),
      );
    }
    for (const w of r.warnings) {
      problems.push(
        at<LoadProblem>({ ...where, code: "warning", identity: r.identity, path: w.path, message: w.message }, doc.item, doc.locate?.(w.path) ?? doc.line),
      );
    }
  }
  return { objects, unknown, problems };
}

function loadParsed(parsed: Parsed, options: LoadOptions): LoadResult {
  const loaded = loadDocuments(parsed.documents, options);
  // in document order (a stable sort keeps each document's own problems in their order)
  const problems = [...parsed.problems, ...loaded.problems].sort((a, b) => a.index - b.index);
  return { objects: loaded.objects, unknown: loaded.unknown, problems };
}

/** Parses and decodes one document of a stream; lines counted from the document's first line. */
function loadChunk(chunk: DocumentChunk, source: string, options: LoadOptions): LoadResult | undefined {
  const parsed = parseChunk(chunk, source, options);
  return parsed === undefined ? undefined : loadParsed(parsed, options);
}

/** A document's outcome placed in a stream: its source, its index and its first line (`shift` + 1). */
function placeOutcome(outcome: LoadResult, source: string, index: number, shift: number): LoadResult {
  const first = outcome.objects[0] ?? outcome.unknown[0] ?? outcome.problems[0];
  const moved = first !== undefined && (first.source !== source || first.index !== index);
  if (!moved && (shift === 0 || outcome.problems.length === 0)) return outcome;
  return {
    objects: moved ? outcome.objects.map((o) => ({ ...o, source, index })) : outcome.objects,
    unknown: moved ? outcome.unknown.map((u) => ({ ...u, source, index })) : outcome.unknown,
    problems: outcome.problems.map((p) => ({ ...p, source, index, ...(p.line !== undefined ? { line: p.line + shift } : {}) })),
  };
}

/**
 * Loads a text document by document, asking `outcomeOf` for each document's outcome (lines counted from the
 * document's first line); a text that is not cut into documents is loaded as a whole.
 */
function loadStream(
  text: string,
  source: string,
  options: LoadOptions,
  outcomeOf: (chunk: DocumentChunk) => LoadResult | undefined,
  onWholeText: () => void,
): LoadResult {
  const plan = planOf(text, source, options);
  if (plan.kind === "done") {
    onWholeText();
    return loadParsed(plan.parsed, options);
  }
  const objects: LoadedObject[] = [];
  const unknown: LoadedUnknown[] = [];
  const problems: LoadProblem[] = [];
  const lineOfChunk = chunkLines(text);
  for (const chunk of plan.chunks) {
    if (chunk.index >= plan.maxDocs) {
      problems.push(tooManyDocuments(source, plan.maxDocs));
      break;
    }
    const outcome = outcomeOf(chunk);
    if (outcome === undefined) {
      onWholeText();
      return loadParsed(parsePreciseText(text, source, options, plan.maxDocs), options);
    }
    const placed = placeOutcome(outcome, source, chunk.index, lineOfChunk(chunk) - 1);
    objects.push(...placed.objects);
    unknown.push(...placed.unknown);
    problems.push(...placed.problems);
  }
  return { objects, unknown, problems };
}

/** Parses and decodes one source text (multi-document YAML or JSON). */
export function loadText(text: string, source = "<input>", options: LoadOptions = {}): LoadResult {
  return loadStream(
    text,
    source,
    options,
    (chunk) => loadChunk(chunk, source, options),
    () => undefined,
  );
}

/** How much work a {@link DocumentCache} has done and saved. */
export interface DocumentCacheCounts {
  /** Documents parsed and validated. */
  readonly loaded: number;
  /** Documents whose outcome was reused because their text was seen before. */
  readonly reused: number;
  /** Texts loaded as a whole (JSON, directives, `...` markers, refused texts), which are not cached. */
  readonly wholeTexts: number;
  /** Outcomes remembered now. */
  readonly entries: number;
}

/**
 * Remembers the outcome of every document (parsed, validated, its problems) by the document's text, so loading a
 * source again parses and validates only the documents whose text changed: editing one object of a file of
 * thousands costs that object. Only documents of each source's latest load are kept; {@link DocumentCache.retain}
 * drops sources that are gone. The objects are shared between loads: treat them as immutable.
 */
export interface DocumentCache {
  /** Loads a source's text exactly as {@link loadText} does, reusing the documents seen before. */
  readonly load: (text: string, source: string) => LoadResult;
  /** Forgets every source not listed (for example, files that no longer exist). */
  readonly retain: (sources: Iterable<string>) => void;
  /**
   * How many characters of `text` are in documents this cache has no outcome for (all of them when the text is
   * not cut into documents): a measure of the work loading it would take.
   */
  readonly uncachedLength: (text: string) => number;
  /** Work done and saved so far. */
  readonly counts: () => DocumentCacheCounts;
}

/** A {@link DocumentCache} that loads with `options`. */
export function createDocumentCache(options: LoadOptions = {}): DocumentCache {
  /** Document text -> its outcome (placed at its first source and index) and how many sources hold it now. */
  const outcomes = new Map<string, { readonly outcome: LoadResult; holders: number }>();
  const textsOfSource = new Map<string, ReadonlySet<string>>();
  let loaded = 0;
  let reused = 0;
  let wholeTexts = 0;
  const release = (texts: Iterable<string>): void => {
    for (const text of texts) {
      const entry = outcomes.get(text);
      if (entry !== undefined && --entry.holders === 0) outcomes.delete(text);
    }
  };
  return {
    load: (text, source) => {
      const held = new Set<string>();
      const result = loadStream(
        text,
        source,
        options,
        (chunk) => {
          const known = outcomes.get(chunk.text);
          if (known !== undefined) {
            reused++;
            if (!held.has(chunk.text)) {
              held.add(chunk.text);
              known.holders++;
            }
            return known.outcome;
          }
          const outcome = loadChunk(chunk, source, options);
          if (outcome === undefined) return undefined;
          loaded++;
          outcomes.set(chunk.text, { outcome, holders: 1 });
          held.add(chunk.text);
          return outcome;
        },
        () => {
          wholeTexts++;
        },
      );
      release(textsOfSource.get(source) ?? []);
      textsOfSource.set(source, held);
      return result;
    },
    retain: (sources) => {
      const keep = new Set(sources);
      for (const [source, texts] of textsOfSource) {
        if (keep.has(source)) continue;
        release(texts);
        textsOfSource.delete(source);
      }
    },
    uncachedLength: (text) => {
      // a text opening with `{` is likely JSON, loaded as a whole
      const chunks = text.trimStart().startsWith("{") ? undefined : splitDocuments(text);
      if (chunks === undefined) return text.length;
      let length = 0;
      for (const chunk of chunks) if (!outcomes.has(chunk.text)) length += chunk.text.length;
      return length;
    },
    counts: () => ({ loaded, reused, wholeTexts, entries: outcomes.size }),
  };
}

/** Concatenates load results (e.g. of several files), keeping their order. */
export function mergeLoadResults(results: ReadonlyArray<LoadResult>): LoadResult {
  return {
    objects: results.flatMap((r) => r.objects),
    unknown: results.flatMap((r) => r.unknown),
    problems: results.flatMap((r) => r.problems),
  };
}

/** True when a problem makes its document unusable (everything but warnings). */
export function isError(problem: LoadProblem): boolean {
  return problem.code !== "warning";
}

/**
 * One line per problem: `file:line: document N: Kind namespace/name: path: message`
 * (parts that are unknown are left out).
 */
export function formatProblem(p: LoadProblem): string {
  const where = `${p.source}${p.line !== undefined ? `:${p.line}` : ""}`;
  const doc = `document ${p.index + 1}${p.item !== undefined ? ` item ${p.item + 1}` : ""}`;
  const id = p.identity;
  const name = id.name !== undefined ? (id.namespace !== undefined ? `${id.namespace}/${id.name}` : id.name) : undefined;
  const what = id.kind !== undefined ? `${id.kind}${name !== undefined ? ` ${name}` : ""}` : name;
  const field = p.path !== "" ? `${p.path}: ` : "";
  const level = p.code === "warning" ? "warning: " : "";
  return `${where}: ${doc}: ${what !== undefined ? `${what}: ` : ""}${level}${field}${p.message}`;
}

/** Groups a result's problems per document and renders each invalid object as upstream's validator does. */
export function formatInvalidDocuments(result: LoadResult): ReadonlyArray<string> {
  const byDoc = new Map<string, LoadProblem[]>();
  for (const p of result.problems) {
    if (p.code !== "invalid") continue;
    const key = `${p.source}\u0000${p.index}\u0000${p.item ?? ""}`;
    const list = byDoc.get(key) ?? [];
    list.push(p);
    byDoc.set(key, list);
  }
  return [...byDoc.values()].map((ps) =>
    formatInvalid(
      ps[0]!.identity,
      ps.map((p) => ({ path: p.path, message: p.message, severity: "error" as const })),
    ),
  );
}
