import { describe, expect, it } from "vitest";
import { formatGoDuration, parseGoDuration } from "@egts/ir";

describe("Go durations", () => {
  it("parses Go's syntax", () => {
    expect(parseGoDuration("1h30m")).toBe(5400e9);
    expect(parseGoDuration("1.5s")).toBe(1.5e9);
    expect(parseGoDuration("300ms")).toBe(300e6);
    expect(parseGoDuration("2us")).toBe(2000);
    expect(parseGoDuration("-1m")).toBe(-60e9);
    expect(parseGoDuration("0")).toBe(0);
    for (const bad of ["", "1", "s", "1x", "1.s.", "ten seconds", "1h 2m"]) expect(parseGoDuration(bad), bad).toBeUndefined();
  });

  it("formats like Go's Duration.String", () => {
    expect(formatGoDuration(0)).toBe("0s");
    expect(formatGoDuration(60e9)).toBe("1m0s");
    expect(formatGoDuration(3600e9)).toBe("1h0m0s");
    expect(formatGoDuration(90e9)).toBe("1m30s");
    expect(formatGoDuration(1.5e9)).toBe("1.5s");
    expect(formatGoDuration(300e6)).toBe("300ms");
    expect(formatGoDuration(1500)).toBe("1.5µs");
    expect(formatGoDuration(15)).toBe("15ns");
    expect(formatGoDuration(-61e9)).toBe("-1m1s");
  });
});
