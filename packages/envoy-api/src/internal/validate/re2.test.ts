import { describe, expect, it } from "vitest";
import { compileRe2 } from "./re2.js";

const matches = (pattern: string, text: string): boolean => compileRe2(pattern).regexp.test(text);

describe("compileRe2", () => {
  it("keeps the meaning of the patterns Envoy's protos use", () => {
    expect(matches("^[^?#]+[^?#/]$", "/api")).toBe(true);
    expect(matches("^[^?#]+[^?#/]$", "/api/")).toBe(false);
    expect(matches("^[0-9a-zA-Z_\\-\\./~:]+$", "a-b/c~d:e.f")).toBe(true);
    expect(matches("^[0-9a-zA-Z_\\-\\./~:]+$", "a b")).toBe(false);
    expect(matches("^$|^.*\\.mmdb$", "")).toBe(true);
    expect(matches("^$|^.*\\.mmdb$", "/data/GeoLite2.mmdb")).toBe(true);
    expect(matches("^$|^.*\\.mmdb$", "/data/GeoLite2.db")).toBe(false);
    expect(matches('^$|^[^\\x00-\\x1f\\x7f ",;<>\\\\]+$', "example.com")).toBe(true);
    expect(matches('^$|^[^\\x00-\\x1f\\x7f ",;<>\\\\]+$', "a;b")).toBe(false);
  });

  it("translates RE2-only syntax", () => {
    expect(matches("(?i)^abc\\z", "ABC")).toBe(true);
    expect(matches("^abc\\z", "abc\n")).toBe(false);
    expect(matches("\\Aab", "ab")).toBe(true);
    expect(matches("^\\Qa.b\\E$", "a.b")).toBe(true);
    expect(matches("^\\Qa.b\\E$", "axb")).toBe(false);
    expect(matches("^[[:digit:]]+$", "123")).toBe(true);
    expect(matches("^[[:alpha:]_]+$", "a_b")).toBe(true);
    expect(matches("^(?P<word>\\w+)$", "abc")).toBe(true);
    expect(matches("^\\pL+$", "héllo")).toBe(true);
    expect(matches("^\\x{1F600}$", "😀")).toBe(true);
    // Go matches runes, not UTF-16 units.
    expect(matches("^.$", "😀")).toBe(true);
    expect(matches("^[]a]+$", "]a")).toBe(true);
    // `.` takes \r (not \n) and `\s` is ASCII whitespace, as in Go.
    expect(matches("^a.b$", "a\rb")).toBe(true);
    expect(matches("^a.b$", "a\nb")).toBe(false);
    expect(matches("(?s)^a.b$", "a\nb")).toBe(true);
    expect(matches("^\\s$", "\u00a0")).toBe(false);
    expect(matches("^\\s$", "\t")).toBe(true);
    expect(matches("^[\\s,]+$", " ,\n")).toBe(true);
  });

  it("refuses what ECMAScript cannot express, naming the pattern", () => {
    expect(() => compileRe2("(?U)a+")).toThrow(/\(\?U\)/);
    expect(() => compileRe2("a\\Cb")).toThrow(/a\\\\Cb/);
    expect(() => compileRe2("a(?i)b")).toThrow(/inline flags/);
  });

  it("flags patterns whose repetitions nest, which may backtrack", () => {
    expect(compileRe2("^[a-z]+(\\.[a-z]+)*$").backtracks).toBe(true);
    expect(compileRe2("^(a+)+$").backtracks).toBe(true);
    expect(compileRe2("^[^?#]+[^?#/]$").backtracks).toBe(false);
    expect(compileRe2("^(?:ab)?c{2,3}$").backtracks).toBe(false);
    expect(compileRe2("^(?:a|b)*$").backtracks).toBe(false);
  });
});
