// The fast path (js-yaml on each document) against the precise path (the yaml package), over the reference
// corpus and generated streams: same documents (values, key order, lines), same problems.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseDocuments, parseDocumentsPrecisely, parseStreamPrecisely, type SourceDocument } from "./Loader.js";

const reference = resolve(import.meta.dirname, "../../../../shared/reference");

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return yamlFiles(path);
      return /\.ya?ml$/.test(name) ? [path] : [];
    });
}

/** A value with key order, NaN and -0 made visible to toEqual. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (typeof value === "object" && value !== null) return Object.entries(value).map(([k, v]) => [k, shape(v)]);
  if (Number.isNaN(value)) return "NaN";
  if (Object.is(value, -0)) return "-0";
  return value;
}

/** Field paths of a value (first levels), to compare where each is located. */
function fieldPaths(value: unknown, prefix = "", depth = 0): string[] {
  if (depth > 3) return [];
  const entries: Array<[string, unknown]> = Array.isArray(value)
    ? value.map((v, i) => [`${prefix}[${i}]`, v])
    : typeof value === "object" && value !== null
      ? Object.entries(value)
          .filter(([k]) => /^[\w-]+$/.test(k))
          .map(([k, v]) => [prefix === "" ? k : `${prefix}.${k}`, v])
      : [];
  return entries.flatMap(([path, v]) => [path, ...fieldPaths(v, path, depth + 1)]);
}

/** What a parse gives, comparable with toEqual; with the lines of fields when `locate` (each costs a precise parse). */
function comparable(parsed: ReturnType<typeof parseDocuments>, locate = true) {
  return {
    documents: parsed.documents.map((d: SourceDocument) => ({
      source: d.source,
      index: d.index,
      item: d.item,
      line: d.line,
      value: shape(d.value),
      lines: locate ? ["", ...fieldPaths(d.value).slice(0, 40)].map((p) => d.locate?.(p)) : [],
    })),
    problems: parsed.problems,
  };
}

/** The fast path gives what the precise path gives, document by document and, for a clean stream, as a whole. */
function expectSameAsPrecise(text: string, name: string): void {
  const fast = comparable(parseDocuments(text, name));
  const precise = parseDocumentsPrecisely(text, name);
  expect(fast, name).toEqual(comparable(precise));
  const stream = parseStreamPrecisely(text, name);
  if (precise.problems.length === 0 && stream.problems.length === 0) expect(fast, name).toEqual(comparable(stream));
}

describe.skipIf(!existsSync(join(reference, "gatewayapi")))("the fast path on the reference corpus", () => {
  it("parses every corpus YAML file (inputs and outputs) as the yaml package does", { timeout: 300_000 }, () => {
    const files = yamlFiles(reference);
    expect(files.length).toBeGreaterThan(900);
    files.forEach((file, i) => {
      const text = readFileSync(file, "utf8");
      // every file is clean: compare with the stream parsed as a whole, field lines in one file of ten
      const locate = i % 10 === 0;
      expect(comparable(parseDocuments(text, file), locate), file).toEqual(comparable(parseStreamPrecisely(text, file), locate));
    });
  });
});

// Generated streams: the constructs Kubernetes manifests use, the ones the fast path declines, and slips.
const plain = fc.constantFrom(
  "a",
  "b c",
  "x:y",
  "http://e.com/p?q=1#f",
  "1",
  "0x1f",
  "1e3",
  "yes",
  "off",
  "~",
  "null",
  ".5",
  "-1",
  "12:30",
  "a#b",
  "é",
  "007",
  "<<",
  "@x",
);
const quoted = fc.constantFrom('"a"', '""', '"a\\nb"', '"\\x41\\u00e9"', '"a\n  b"', '"a\\\n  b"', "'it''s'", "'a\n\n  b'", '"bad\\q"', "'open");
const blockScalar = fc
  .tuple(
    fc.constantFrom("|", "|-", "|+", ">", ">-", "|2", "| # c"),
    fc.array(fc.constantFrom("line", "  more", "", "x: y", "# not", "   "), { minLength: 1, maxLength: 3 }),
  )
  .map(
    ([header, lines]) =>
      (indent: number) =>
        `${header}\n${lines.map((l) => (l === "" ? "" : " ".repeat(indent + 2) + l)).join("\n")}`,
  );
const key = fc.constantFrom("k", "key", "a b", '"q k"', "'s k'", "1", "true", "null", "~", "dup", "dup", "-k");

type Node = (indent: number) => string;
const { node } = fc.letrec<{ node: Node; mapping: Node; sequence: Node }>((tie) => ({
  node: fc.oneof(
    { weight: 3, arbitrary: plain.map((s) => () => s) },
    { weight: 2, arbitrary: quoted.map((s) => (indent: number) => s.replace(/\n/g, `\n${" ".repeat(indent)}`)) },
    { weight: 1, arbitrary: blockScalar },
    { weight: 1, arbitrary: fc.constantFrom("[a, b]", "[]", "{a: 1, b: [x]}", "{}", "[a,\n   b]", "&x [1]", "*x", "!!str s").map((s) => () => s) },
    { weight: 2, arbitrary: tie("mapping") },
    { weight: 2, arbitrary: tie("sequence") },
  ),
  mapping: fc
    .array(fc.tuple(key, fc.constantFrom(" ", "  ", "\t"), tie("node"), fc.constantFrom("", " # c")), { minLength: 1, maxLength: 3 })
    .map(
      (pairs) => (indent: number) =>
        `\n${pairs.map(([k, sep, value, comment]) => `${" ".repeat(indent)}${k}:${sep}${value(indent + 2)}${comment}`).join("\n")}`,
    ),
  sequence: fc
    .array(tie("node"), { minLength: 1, maxLength: 3 })
    .map((items) => (indent: number) => `\n${items.map((item) => `${" ".repeat(indent)}- ${item(indent + 2)}`).join("\n")}`),
}));
const documentText = fc
  .tuple(fc.constantFrom("", "# c\n", "--- # c\n", "---\n"), node, fc.constantFrom("", "z: 1\n", "  bad: indent\n", "k: dup\n", "\n\n"))
  .map(([head, value, tail]) => `${head}k: ${value(2)}\n${tail}`);
const stream = fc
  .tuple(
    fc.array(documentText, { minLength: 1, maxLength: 4 }),
    fc.nat(),
    fc.constantFrom("", " ", "\n", "-", ":", "#", '"', "'", "\t", "[", "{", "?", "&a ", "*a", "|"),
  )
  .map(([documents, at, slip]) => {
    const text = documents.join("---\n");
    const i = at % (text.length + 1);
    return text.slice(0, i) + slip + text.slice(i);
  });

describe("the fast path on generated streams", () => {
  it("gives the documents, lines and problems of the precise path", { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(stream, (text) => expectSameAsPrecise(text, "generated.yaml")),
      { numRuns: 1500 },
    );
  });

  it("keeps the documents after one with an unclosed quote", () => {
    const text = 'a: 1\n---\nb: "open\n---\nc: 3\n';
    const parsed = parseDocuments(text, "q.yaml");
    expect(parsed.documents.map((d) => d.value)).toEqual([{ a: 1 }, { c: 3 }]);
    expect(parsed.problems).toMatchObject([{ index: 1, code: "yaml", line: 3, message: 'Missing closing "quote' }]);
  });

  it("counts documents as the yaml package does (comments before the first ---, empty documents)", () => {
    const text = "# header\n---\na: 1\n---\n---\nb: 2\n--- |\n  text\n";
    const parsed = parseDocuments(text, "c.yaml");
    expect(parsed.documents.map((d) => [d.index, d.line, d.value])).toEqual([
      [0, 3, { a: 1 }],
      [2, 6, { b: 2 }],
      [3, 7, "text\n"],
    ]);
    expectSameAsPrecise(text, "c.yaml");
  });
});
