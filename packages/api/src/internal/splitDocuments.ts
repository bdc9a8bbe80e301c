// Cuts a YAML stream into its documents without parsing them, so each document can be parsed (and cached) on
// its own. A `---` at the start of a line always starts a document: YAML forbids that marker inside block
// scalars, quoted scalars and flow collections alike, so no content can hide one.

/** One document of a YAML stream: its text (from its `---` marker, when it has one) and where it starts. */
export interface DocumentChunk {
  /** 0-based index of the document in the stream, as the `yaml` package counts them. */
  readonly index: number;
  /** Offset of the document's first character (its `---` marker, when it has one) in the stream. */
  readonly offset: number;
  readonly text: string;
}

/** `---` (document start), `...` (document end) or `%` (a directive) at the start of a line. */
const MARKER = /^(?:---|\.\.\.)(?=[ \t\r\n]|$)|^%/gm;

/** Offset of the first character of `text` from `from` on that is neither white space nor part of a comment, or -1. */
export function contentStart(text: string, from = 0): number {
  let i = from;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
    else if (c === 0x23) {
      const eol = text.indexOf("\n", i);
      if (eol === -1) return -1;
      i = eol + 1;
    } else return i;
  }
  return -1;
}

/**
 * The documents of a YAML stream, or undefined when the stream uses what a plain cut cannot follow (directives,
 * `...` end markers, a byte-order mark): the caller then parses the stream as a whole. Text before the first
 * `---` is a document only when it holds more than white space and comments (as the `yaml` package counts);
 * every `---` starts one, even an empty one.
 */
export function splitDocuments(text: string): ReadonlyArray<DocumentChunk> | undefined {
  if (text.charCodeAt(0) === 0xfeff) return undefined;
  const starts: number[] = [];
  for (const m of text.matchAll(MARKER)) {
    if (m[0] !== "---") return undefined;
    starts.push(m.index);
  }
  const chunks: DocumentChunk[] = [];
  const first = starts[0] ?? text.length;
  if (contentStart(text.slice(0, first)) !== -1) chunks.push({ index: 0, offset: 0, text: text.slice(0, first) });
  starts.forEach((start, i) => {
    const end = starts[i + 1] ?? text.length;
    chunks.push({ index: chunks.length, offset: start, text: text.slice(start, end) });
  });
  return chunks;
}
