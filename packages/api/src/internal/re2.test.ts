import { describe, expect, it } from "vitest";
import { compileRe2, Re2SyntaxError } from "./re2.js";

// Patterns of the kinds the CRDs use, checked against JavaScript's RegExp on inputs where both agree.
const cases: Array<[string, string[], string[]]> = [
  ["^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", ["foo.com", "*.a-b.c", "x"], ["-a.com", "A.com", "a..b", ""]],
  ["^[A-Za-z0-9!#$%&'*+\\-.^_\\x60|~]+$", ["x-header", "a`b"], ["a:b", "", "a b"]],
  ["^([0-9]{1,5}(h|m|s|ms)){1,4}$", ["1s", "10ms", "1h2m3s4ms"], ["1.5s", "123456s", "1h1h1h1h1h", "s"]],
  ["^(?i)\\.?[a-z_][a-z_0-9]*(\\.[a-z_][a-z_0-9]*)*$", ["Foo.Bar", ".a_b"], ["foo/bar", "1a"]],
  ["^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", ["", "abc"], ["-", "a-"]],
  ["^[^:]+:[0-9]{2,3}$", ["host:80", "h:443"], ["h:8", ":80", "h:8080"]],
  ["^\\d+\\s\\w+$", ["12 ab_c"], ["12  ab", "x 1"]],
  ["^[[:alpha:]]+[[:^digit:]]?$", ["abc", "ab-"], ["ab12", "1"]],
  ["foo|bar", ["xxbarxx", "foo"], ["fo", "ba"]],
  ["^a{2,}b?$", ["aa", "aaab"], ["a", "ab", "aabb"]],
];

describe("compileRe2", () => {
  for (const [pattern, yes, no] of cases) {
    it(`matches like RE2: ${pattern}`, () => {
      const re = compileRe2(pattern);
      for (const s of yes) expect(re.test(s), s).toBe(true);
      for (const s of no) expect(re.test(s), s).toBe(false);
    });
  }

  it("runs in linear time where JavaScript's RegExp backtracks exponentially", () => {
    // JavaScript's RegExp needs seconds for 26 characters of this input; RE2 handles 100k.
    const re = compileRe2("^[!-~]+([\\t ]?[!-~]+)*$");
    expect(re.test(`${"a".repeat(100_000)}\n`)).toBe(false);
    expect(re.test("a b\tc")).toBe(true);
  });

  it("rejects unsupported or oversized patterns", () => {
    expect(() => compileRe2("(?<=a)b")).toThrow(Re2SyntaxError);
    expect(() => compileRe2("a{1001}")).toThrow(Re2SyntaxError);
    expect(() => compileRe2("(a{1000}){1000}")).toThrow("invalid repeat count: `{1000}`");
    expect(() => compileRe2("x".repeat(5000))).toThrow(/longer than/);
    expect(() => compileRe2("a(b")).toThrow(Re2SyntaxError);
  });

  it("reports syntax errors in the words of Go's regexp/syntax", () => {
    expect(() => compileRe2("a(b")).toThrow("missing closing ): `a(b`");
    expect(() => compileRe2("*.foo")).toThrow("missing argument to repetition operator: `*`");
    expect(() => compileRe2("foo(?=bar)")).toThrow("invalid or unsupported Perl syntax: `(?=`");
    expect(() => compileRe2("(a)\\1")).toThrow("invalid escape sequence: `\\1`");
    expect(() => compileRe2("x\\")).toThrow("trailing backslash at end of expression: ``");
  });

  it("keeps Go's matching semantics where JavaScript's RegExp differs", () => {
    const matches = (pattern: string, text: string): boolean => compileRe2(pattern).test(text);
    expect(matches("(?i)^abc\\z", "ABC")).toBe(true);
    expect(matches("^abc\\z", "abc\n")).toBe(false);
    expect(matches("^\\Qa.b\\E$", "axb")).toBe(false);
    expect(matches("^(?P<word>\\w+)$", "abc")).toBe(true);
    expect(matches("^\\pL+$", "héllo")).toBe(true);
    expect(matches("^\\x{1F600}$", "😀")).toBe(true);
    // Go matches runes, not UTF-16 units; `.` takes \r (not \n); `\s` is ASCII whitespace.
    expect(matches("^.$", "😀")).toBe(true);
    expect(matches("^[]a]+$", "]a")).toBe(true);
    expect(matches("^a.b$", "a\rb")).toBe(true);
    expect(matches("^a.b$", "a\nb")).toBe(false);
    expect(matches("(?s)^a.b$", "a\nb")).toBe(true);
    expect(matches("^\\s$", "\u00a0")).toBe(false);
    expect(matches("^[\\s,]+$", " ,\n")).toBe(true);
  });
});

describe("the CRDs' own patterns", () => {
  it("all compile to RE2 matchers (none is skipped)", async () => {
    const { crdBundle } = await import("./generated/crdSchemas.js");
    const { schemaRegex } = await import("./regex.js");
    const patterns = new Set<string>();
    const walk = (n: unknown): void => {
      if (Array.isArray(n)) return n.forEach(walk);
      if (n === null || typeof n !== "object") return;
      const o = n as Record<string, unknown>;
      if (typeof o["pattern"] === "string") patterns.add(o["pattern"]);
      for (const r of (o["x-kubernetes-validations"] as Array<{ rule: string }> | undefined) ?? []) {
        for (const m of r.rule.matchAll(/matches\(r?("""|"|')(.*?)\1\)/g)) patterns.add(m[2]!.replace(/\\\\/g, "\\"));
      }
      Object.values(o).forEach(walk);
    };
    crdBundle().schemas.forEach(walk);
    expect(patterns.size).toBeGreaterThan(30);
    expect([...patterns].filter((p) => schemaRegex(p) === null)).toEqual([]);
  });
});
