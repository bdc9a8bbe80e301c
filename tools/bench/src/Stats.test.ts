import { describe, expect, it } from "vitest";
import { formatTable, median, percentile } from "./Stats.js";

describe("percentile", () => {
  it("takes the nearest rank of unsorted samples", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(percentile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.9)).toBe(90);
    expect(percentile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.99)).toBe(100);
    expect(Number.isNaN(median([]))).toBe(true);
  });
});

describe("formatTable", () => {
  it("pads every column to its widest cell", () => {
    expect(formatTable(["a", "bb"], [["long cell", "x"]])).toBe("| a         | bb |\n|-----------|----|\n| long cell | x  |");
  });
});
