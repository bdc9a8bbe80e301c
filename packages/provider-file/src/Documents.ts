import {
  createDocumentCache,
  firstDuplicateKey,
  isError,
  type DocumentCache,
  type KubernetesObject,
  type LoadOptions,
  type LoadResult,
  type UnstructuredObject,
} from "@egts/api";
import { LineCounter, parseAllDocuments } from "yaml";

/** Something wrong with one file, one document in it, or one field of that document. */
export interface FileProblem {
  /** The file, as found on disk (absolute when the configured path was). */
  readonly file: string;
  /** 1-based index of the YAML document within the file, when the problem is inside one. */
  readonly document?: number;
  /** The object the problem is about, as `Kind namespace/name`, when known. */
  readonly object?: string;
  /** Dotted path of the offending field inside the document (`metadata.name`, `spec.rules[0]`). */
  readonly path?: string;
  readonly message: string;
  /** A warning does not make the file's content unusable; absent means error. */
  readonly severity?: "warning";
}

/** The outcome of reading one file: the objects it holds and what was wrong with it. */
export interface ParsedFile {
  readonly objects: ReadonlyArray<KubernetesObject>;
  /** The 1-based document each of `objects` came from (same order), when the parser knows it. */
  readonly documents?: ReadonlyArray<number>;
  /** Objects of kinds the parser does not model (kept for extension managers). */
  readonly unknown?: ReadonlyArray<UnstructuredObject>;
  readonly problems: ReadonlyArray<FileProblem>;
}

/**
 * Turns one file's text into objects and problems: {@link validatingParser} (the default) or
 * {@link parseKubernetesYaml}, or a caller's own. Must not throw.
 */
export type DocumentParser = (text: string, file: string) => ParsedFile;

/** {@link validatingParser}'s parser: a {@link DocumentParser} with a memory of the documents it parsed. */
export interface ValidatingParser extends DocumentParser {
  /**
   * The outcome of every document of each file's latest text, by the document's text: a file parsed again costs
   * only its changed documents. Call `retain` with the files that still exist to forget the others.
   */
  readonly documents: DocumentCache;
}

/**
 * The default parser: @egts/api's loader, which decodes every document against its kind's CRD schema (defaults,
 * OpenAPI constraints, CEL rules) as upstream's file provider and egctl do. Invalid documents are reported with
 * their index, object and field; objects of unknown kinds are kept aside with a warning. Documents seen before
 * (in the latest text of any file) are not parsed again: see {@link ValidatingParser.documents}.
 */
export function validatingParser(options: LoadOptions = {}): ValidatingParser {
  const documents = createDocumentCache(options);
  const parse: DocumentParser = (text, file) => parsedFileOf(documents.load(text, file), file);
  return Object.assign(parse, { documents });
}

function parsedFileOf(result: LoadResult, file: string): ParsedFile {
  const problems: FileProblem[] = result.problems.map((p) => {
    const id = p.identity;
    const name = id.name === undefined ? undefined : id.namespace === undefined ? id.name : `${id.namespace}/${id.name}`;
    const object = id.kind === undefined ? name : name === undefined ? id.kind : `${id.kind} ${name}`;
    const item = p.item === undefined ? "" : `items[${p.item}]`;
    const path = item === "" ? p.path : p.path === "" ? item : `${item}.${p.path}`;
    return {
      file,
      document: p.index + 1,
      ...(object !== undefined ? { object } : {}),
      ...(path !== "" ? { path } : {}),
      message: p.message,
      ...(!isError(p) || p.code === "unknown-kind" ? { severity: "warning" as const } : {}),
    };
  });
  return {
    objects: result.objects.map((o) => o.object),
    documents: result.objects.map((o) => o.index + 1),
    unknown: result.unknown.map((u) => u.object),
    problems,
  };
}

/** Bounds on untrusted input for {@link parseKubernetesYaml}. */
export interface ParseLimits {
  /** Most documents read from one file; the rest are reported, not read. Default 10 000. */
  readonly maxDocuments?: number;
  /** Most YAML alias expansions per document (guards against "billion laughs"). Default 100. */
  readonly maxAliasCount?: number;
}

/** Renders a problem as one line: `file: document N: Kind ns/name: path: message`. */
export function formatFileProblem(problem: FileProblem): string {
  const parts = [problem.file];
  if (problem.document !== undefined) parts.push(`document ${problem.document}`);
  if (problem.object !== undefined) parts.push(problem.object);
  if (problem.path !== undefined && problem.path !== "") parts.push(problem.path);
  parts.push(problem.message);
  return parts.join(": ");
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** Checks the fields every Kubernetes object needs; returns the problems, empty when the object is usable. */
export function checkObjectShape(value: unknown, file: string, document: number, prefix = ""): FileProblem[] {
  const at = (field: string) => (prefix === "" ? field : `${prefix}.${field}`);
  if (!isRecord(value)) {
    return [{ file, document, ...(prefix === "" ? {} : { path: prefix }), message: "expected a mapping (a Kubernetes object)" }];
  }
  const problems: FileProblem[] = [];
  for (const field of ["apiVersion", "kind"] as const) {
    const v = value[field];
    if (typeof v !== "string" || v === "") problems.push({ file, document, path: at(field), message: "required string field is missing or empty" });
  }
  const metadata = value["metadata"];
  if (!isRecord(metadata)) {
    problems.push({ file, document, path: at("metadata"), message: "required mapping is missing" });
  } else {
    const name = metadata["name"];
    if (typeof name !== "string" || name === "")
      problems.push({ file, document, path: at("metadata.name"), message: "required string field is missing or empty" });
    const namespace = metadata["namespace"];
    if (namespace !== undefined && typeof namespace !== "string")
      problems.push({ file, document, path: at("metadata.namespace"), message: "must be a string" });
  }
  return problems;
}

/**
 * Parses multi-document Kubernetes-style YAML (JSON is YAML too) checking only the shape every object has
 * (apiVersion, kind, metadata.name), not its kind's schema. Empty documents are skipped; a `kind: List`
 * document contributes its `items`. Every document that is not a Kubernetes object is reported with its index
 * and the offending field; the other documents still load.
 */
export function parseKubernetesYaml(text: string, file: string, limits: ParseLimits = {}): ParsedFile {
  const maxDocuments = limits.maxDocuments ?? 10_000;
  const maxAliasCount = limits.maxAliasCount ?? 100;
  const objects: KubernetesObject[] = [];
  const objectDocuments: number[] = [];
  const problems: FileProblem[] = [];
  const lines = new LineCounter();
  let documents;
  try {
    documents = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: false, lineCounter: lines });
  } catch (error) {
    return { objects, problems: [{ file, message: `cannot parse YAML: ${(error as Error).message}` }] };
  }
  const list = Array.isArray(documents) ? documents : [documents];
  list.forEach((doc, index) => {
    const document = index + 1;
    if (document > maxDocuments) {
      if (document === maxDocuments + 1) problems.push({ file, document, message: `more than ${maxDocuments} documents; the rest are not read` });
      return;
    }
    if (doc.errors.length > 0) {
      for (const error of doc.errors) {
        const line = lines.linePos(error.pos[0]);
        const where = ` (line ${line.line}, column ${line.col})`;
        problems.push({ file, document, message: `invalid YAML${where}: ${error.message.split("\n")[0] ?? error.message}` });
      }
      return;
    }
    const duplicate = firstDuplicateKey(doc);
    if (duplicate !== undefined) {
      const where = duplicate.offset === undefined ? "" : (({ line, col }) => ` (line ${line}, column ${col})`)(lines.linePos(duplicate.offset));
      problems.push({ file, document, message: `invalid YAML${where}: Map keys must be unique: ${JSON.stringify(duplicate.key)}` });
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount });
    } catch (error) {
      problems.push({ file, document, message: (error as Error).message });
      return;
    }
    if (value === null || value === undefined) return;
    if (isRecord(value) && typeof value["kind"] === "string" && value["kind"].endsWith("List") && Array.isArray(value["items"])) {
      value["items"].forEach((item: unknown, i: number) => {
        const itemProblems = checkObjectShape(item, file, document, `items[${i}]`);
        if (itemProblems.length > 0) problems.push(...itemProblems);
        else {
          objects.push(item as KubernetesObject);
          objectDocuments.push(document);
        }
      });
      return;
    }
    const shapeProblems = checkObjectShape(value, file, document);
    if (shapeProblems.length > 0) problems.push(...shapeProblems);
    else {
      objects.push(value as KubernetesObject);
      objectDocuments.push(document);
    }
  });
  return { objects, documents: objectDocuments, problems };
}
