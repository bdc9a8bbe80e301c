// A fast path for parsing one YAML document: js-yaml builds plain values directly, several times faster than the
// `yaml` package's CST and document nodes. It is only trusted where it provably gives what the `yaml` package
// gives (with YAML 1.1 resolution as Loader.ts configures it): plain scalars resolve through the `yaml`
// package's own YAML 1.1 tags, and every document that uses what could differ (anchors, aliases, tags, merge
// keys, complex or null keys, over-long implicit keys, anything js-yaml warns about or rejects) is left to the
// precise path, which also reports errors with their lines.
import { FAILSAFE_SCHEMA, load, type Schema as JsYamlSchema, Type } from "js-yaml";
import { isScalar, parseDocument, type ParseOptions, type DocumentOptions, type SchemaOptions, type ToJSOptions } from "yaml";

/** The options the precise path parses with (Loader.ts); the fast path resolves scalars with the same schema. */
export const YAML_PARSE_OPTIONS = { version: "1.1", prettyErrors: false, uniqueKeys: false } as const satisfies ParseOptions &
  DocumentOptions &
  SchemaOptions &
  ToJSOptions;

interface PlainScalarTag {
  readonly test: RegExp;
  readonly resolve: (source: string, onError: (message: string) => void, options: unknown) => unknown;
}

/** The `yaml` package's document, schema and options for YAML 1.1: plain scalars are resolved by its tags. */
const reference = parseDocument("", YAML_PARSE_OPTIONS);
/** The tags the `yaml` package tries, in its order, on a plain scalar that is not a mapping key. */
const plainScalarTags: ReadonlyArray<PlainScalarTag> = reference.schema.tags.flatMap((tag) =>
  tag.default === true && "test" in tag && tag.test instanceof RegExp && typeof tag.resolve === "function" ? [tag as unknown as PlainScalarTag] : [],
);

/**
 * First characters of every plain scalar some tag of {@link plainScalarTags} matches (null, booleans, numbers,
 * sexagesimal numbers, timestamps, `.inf`, and `e5`, which is a float in YAML 1.1); any other plain scalar is a
 * string. A test checks this against the tags themselves.
 */
export const RESOLVING_FIRST_CHARACTERS = "~nNyYtTfFoOeE.+-0123456789";

const resolvingFirst = new Set(RESOLVING_FIRST_CHARACTERS);

/** A plain scalar that needs the precise path: a merge key (`<<`, whose meaning depends on its position), a timestamp. */
const UNRESOLVED = Symbol("unresolved");

/**
 * The value the `yaml` package gives a plain scalar that is not a mapping key, as `toJS` returns it: its YAML 1.1
 * tag's value; {@link UNRESOLVED} for `<<` and timestamps.
 */
export function resolvePlainScalar(source: string): unknown {
  if (source === "<<") return UNRESOLVED;
  if (source.length > 0 && !resolvingFirst.has(source[0]!)) return source;
  const tag = plainScalarTags.find((t) => t.test.test(source));
  if (tag === undefined) return source;
  let failed = false;
  let value: unknown;
  try {
    value = tag.resolve(
      source,
      () => {
        failed = true;
      },
      reference.options,
    );
  } catch {
    return UNRESOLVED;
  }
  if (failed) return UNRESOLVED;
  if (isScalar(value)) value = value.value;
  if (typeof value === "bigint") return Number(value);
  // the yaml package keeps a Date in some places and turns it into a string in others (keys, values): let it
  if (value instanceof Date) return UNRESOLVED;
  return value;
}

const PLAIN_TAG = "tag:egts.io,2026:plain";

/** A js-yaml schema with only strings, sequences and mappings, plus every plain scalar resolved as above. */
const schema: JsYamlSchema = FAILSAFE_SCHEMA.extend({
  implicit: [new Type(PLAIN_TAG, { kind: "scalar", resolve: () => true, construct: (source: string) => resolvePlainScalar(source) })],
});

/** The part of js-yaml's parser state a listener reads (js-yaml's published types leave these out). */
interface ParserState {
  readonly input: string;
  readonly position: number;
  readonly kind: string | null;
  readonly tag: string | null;
  readonly anchor: string | null;
  readonly result: unknown;
}

/** An explicit key (`? `) or a key left empty (`: ` with nothing before it): a null or complex key may follow. */
const EXPLICIT_OR_EMPTY_KEY = /(?:^|[ \t[{,])[?:](?=[ \t\r\n,\]}]|$)/m;

/** A tab in a line's indentation, which the yaml package rejects in places js-yaml accepts. */
const TAB_INDENT = /^ *\t/m;

/**
 * What js-yaml reads otherwise than the yaml package: a comment glued to a quote, bracket or comma, a line
 * starting with `---` or `...` glued to more text (js-yaml takes it for a document marker), a carriage return
 * alone and the Unicode line breaks (js-yaml breaks lines there), and a sequence entry that opens another
 * sequence on its line (`- - a`) or holds nothing on it (`-`): js-yaml may attach the following entries to the
 * wrong sequence.
 */
const READ_OTHERWISE = /["'[\]{},]#|^(?:---|\.\.\.)[^ \t\r\n]|\r(?!\n)|[\u0085\u2028\u2029]|^[ \t]*-(?:[ \t]+-(?:[ \t]|$)|[ \t]*(?:#.*)?$)/m;

/**
 * What makes multi-line scalars read differently by the two parsers: a line of only white space (inside a block
 * or quoted scalar, its white space counts for the yaml package), a block scalar's explicit indentation
 * indicator (`|2`), which the two interpret differently around such lines, and an escaped line break (a
 * backslash ending a line of a double-quoted scalar), before empty lines.
 */
const SCALAR_LAYOUT = /^[ \t]+$|[|>][-+]?[0-9][ \t]*(?:#.*)?$|\\\r?$/m;

/** Longest line the implicit-key length check below can skip. */
const SHORT_LINE = 1000;

/**
 * Whether a line longer than {@link SHORT_LINE} might hold an implicit key of more than 1024 characters, which the
 * `yaml` package rejects and js-yaml accepts. A plain key ends at the first `: `; quoted keys and flow sequences
 * (whose pairs are checked too) are left to the precise path.
 */
function mayHoldLongKey(line: string): boolean {
  const content = line.match(/^[ \t]*(?:-[ \t]+)*/)?.[0].length ?? 0;
  const first = line.charCodeAt(content);
  if (first === 0x22 || first === 0x27 || line.includes("[")) return true;
  const colon = line.slice(content).search(/:(?:[ \t\r]|$)/);
  return colon > SHORT_LINE;
}

function hasLongKeyRisk(text: string): boolean {
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    if (end - start > SHORT_LINE && mayHoldLongKey(text.slice(start, end))) return true;
    start = end + 1;
  }
  return false;
}

function hasNullKey(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasNullKey);
  if (typeof value !== "object" || value === null) return false;
  for (const key of Object.keys(value)) {
    if (key === "null" || hasNullKey((value as Record<string, unknown>)[key])) return true;
  }
  return false;
}

/**
 * The value of one YAML document (text holding at most one document) as the `yaml` package's precise path would
 * give it, or undefined when this fast path cannot tell (see the module comment). An empty document is `null`.
 */
export function parseDocumentFast(text: string): { readonly value: unknown } | undefined {
  if (EXPLICIT_OR_EMPTY_KEY.test(text) || TAB_INDENT.test(text) || READ_OTHERWISE.test(text) || hasLongKeyRisk(text)) return undefined;
  if (SCALAR_LAYOUT.test(text)) return undefined;
  let unsafe = false;
  let sawNull = false;
  /** The nodes being read, outermost first: where each starts, and whether a collection entry of it may be a key. */
  const open: Array<{ readonly start: number; collectionEntry: boolean }> = [];
  const listener = (event: "open" | "close", state: ParserState): void => {
    if (event === "open") {
      open.push({ start: state.position, collectionEntry: false });
      return;
    }
    const node = open.pop();
    if (unsafe) return;
    if (state.anchor !== null || (state.tag !== null && state.tag !== PLAIN_TAG)) unsafe = true;
    else if (state.tag === PLAIN_TAG) {
      if (state.result === UNRESOLVED) unsafe = true;
      else if (state.result === null) sawNull = true;
    } else if (state.kind === "mapping" || state.kind === "sequence") {
      // A collection followed by `:` is a mapping key, as is one opening an entry of a flow mapping: js-yaml
      // and the yaml package stringify such keys differently.
      const input = state.input;
      let next = state.position;
      while (input.charCodeAt(next) === 0x20 || input.charCodeAt(next) === 0x09) next++;
      if (input.charCodeAt(next) === 0x3a) unsafe = true;
      let before = (node?.start ?? 0) - 1;
      while (before >= 0 && /\s/.test(input.charAt(before))) before--;
      const opener = input.charAt(before);
      if ((opener === "{" || opener === ",") && open.length > 0) open[open.length - 1]!.collectionEntry = true;
    }
    if (state.kind === "mapping" && node?.collectionEntry === true) unsafe = true;
  };
  let value: unknown;
  try {
    value = load(text, {
      schema,
      json: false,
      listener: listener as unknown as (eventType: "open" | "close", state: unknown) => void,
      onWarning: () => {
        unsafe = true;
      },
    });
  } catch {
    return undefined;
  }
  if (unsafe || (sawNull && hasNullKey(value))) return undefined;
  return { value: value === undefined ? null : value };
}
