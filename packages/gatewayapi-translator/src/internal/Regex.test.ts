import { describe, expect, it } from "vitest";
import { checkRegex } from "./Regex.js";

describe("checkRegex", () => {
  it("accepts RE2 patterns, including a leading flag group", () => {
    expect(checkRegex("^/api/v[0-9]+")).toBeUndefined();
    expect(checkRegex("(?i)\\.?[a-z_][a-z_0-9]*")).toBeUndefined();
  });

  it("reports a repetition with nothing to repeat in Go's words", () => {
    expect(checkRegex("*.foo.bar.com")).toBe('regex "*.foo.bar.com" is invalid: error parsing regexp: missing argument to repetition operator: `*`');
  });

  it("rejects lookaround and backreferences, which RE2 does not support", () => {
    expect(checkRegex("foo(?=bar)")).toContain("invalid or unsupported Perl syntax");
    expect(checkRegex("(a)\\1")).toContain("invalid escape sequence");
  });

  it("bounds pattern size", () => {
    expect(checkRegex("a".repeat(5000))).toContain("expression too large");
  });
});
