import fc from "fast-check";
import { isScalar, parseDocument } from "yaml";
import { describe, expect, it } from "vitest";
import { parseDocumentFast, RESOLVING_FIRST_CHARACTERS, resolvePlainScalar, YAML_PARSE_OPTIONS } from "./fastYaml.js";

/** The value the yaml package gives `scalar` as a mapping value, or undefined when it reports an error. */
function preciseValue(scalar: string): { value: unknown } | undefined {
  const doc = parseDocument(`k: ${scalar}\n`, YAML_PARSE_OPTIONS);
  if (doc.errors.length > 0) return undefined;
  return { value: (doc.toJS() as { k: unknown }).k };
}

/** Characters that change how a plain scalar resolves in YAML 1.1, and some that end or break one. */
const scalarAlphabet = "0123456789_:.-+eExXbBoO~nNuUlLyYsStTrRfFaAiIZz \t,/<";
const scalarWords = [
  "yes",
  "No",
  "ON",
  "off",
  "y",
  "n",
  "True",
  "FALSE",
  "null",
  "Null",
  "~",
  ".inf",
  "-.Inf",
  ".NaN",
  "0x",
  "0b",
  "0o",
  "2001-12-14",
  "T21:59:43",
  ":30",
  "<<",
];
const plainScalar = fc
  .array(fc.oneof(fc.constantFrom(...scalarAlphabet.split("")), fc.constantFrom(...scalarWords)), { minLength: 1, maxLength: 8 })
  .map((parts) => parts.join("").trim())
  .filter((s) => s.length > 0);

describe("plain scalar resolution", () => {
  it("gives what the yaml package gives (YAML 1.1: yes/no/on/off, octal 0755, sexagesimal 1:30, .inf)", () => {
    for (const s of [
      "yes",
      "Off",
      "y",
      "~",
      "null",
      "0755",
      "0x1F",
      "0b101",
      "1_000",
      "1:30",
      "1:30.5",
      "+.inf",
      ".NaN",
      "1e3",
      "e5",
      "1.",
      "08",
      "abc",
      "-a",
      "0o17",
    ]) {
      const precise = preciseValue(s);
      expect(precise, s).toBeDefined();
      expect(resolvePlainScalar(s), s).toEqual(precise!.value);
    }
  });

  it("agrees with the yaml package on generated scalars", () => {
    fc.assert(
      fc.property(plainScalar, (s) => {
        const precise = preciseValue(s);
        const fast = parseDocumentFast(`k: ${s}\n`);
        // the fast path may decline, but what it gives is what the yaml package gives
        if (fast !== undefined) expect(precise).toEqual({ value: (fast.value as { k: unknown }).k });
      }),
      { numRuns: 3000 },
    );
  });

  it("lists every first character a YAML 1.1 tag can resolve from", () => {
    const tags = parseDocument("", YAML_PARSE_OPTIONS).schema.tags.filter((t) => t.default === true && "test" in t && t.test instanceof RegExp);
    // each tag's pattern, tried on a matching sample for every first character outside the list, never matches
    const samples = ["", "0", "1_0", ".5", "e5", "1:30", "2001-12-14", "x", "rue", "ull", "inf", "es", "n"];
    for (let code = 0x20; code < 0x250; code++) {
      const first = String.fromCharCode(code);
      if (RESOLVING_FIRST_CHARACTERS.includes(first)) continue;
      for (const tag of tags) for (const rest of samples) expect((tag as { test: RegExp }).test.test(first + rest), `${first}${rest}`).toBe(false);
    }
    expect(isScalar(resolvePlainScalar("a"))).toBe(false);
  });
});

describe("parseDocumentFast", () => {
  it("parses a plain Kubernetes document", () => {
    expect(parseDocumentFast("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: |\n    line\n")).toEqual({
      value: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a" }, data: { k: "line\n" } },
    });
    expect(parseDocumentFast("---\n# nothing\n")).toEqual({ value: null });
  });

  it("leaves to the precise path what it could read otherwise or cannot bound", () => {
    const declined = [
      "a: &x [1]\nb: *x\n", // anchors and aliases (alias limits)
      "a: !!str 1\n", // tags
      "a: {x: 1}\nb:\n  <<: {y: 2}\n", // merge keys
      "~: 1\n", // a null key: "" for the yaml package
      "? a\n: b\n", // explicit keys
      "[a]: 1\n", // a collection as a key
      "a:\n\t- b\n", // a tab as indentation
      'a: "x"#c\n', // a comment glued to a quote
      "a: 2001-12-14\n", // timestamps
      "a: |2\n   x\n", // an explicit indentation indicator
      "a: |\n  x\n   \n  y\n", // a line of only white space
      "a: 1\rb: 2\n", // a carriage return alone
      "- - a\n  - b\n", // a sequence opening on its parent's line
      `${"k".repeat(1100)}: v\n`, // an implicit key over 1024 characters
      "a: 1\na: 2\n", // duplicate keys
      "a: [\n", // a syntax error
    ];
    for (const text of declined) expect(parseDocumentFast(text), JSON.stringify(text)).toBeUndefined();
  });

  it("keeps a __proto__ key as data", () => {
    const fast = parseDocumentFast("__proto__:\n  polluted: true\n");
    expect(Object.getOwnPropertyDescriptor(fast?.value, "__proto__")?.value).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });
});
