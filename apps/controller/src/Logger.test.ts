import { describe, expect, it } from "vitest";
import { streamLogger } from "./Logger.js";

const capture = (encoder: "Text" | "JSON", maxFieldLength?: number) => {
  const lines: string[] = [];
  const logger = streamLogger({ encoder, write: (line) => lines.push(line), ...(maxFieldLength !== undefined ? { maxFieldLength } : {}) });
  return { lines, logger };
};

describe("streamLogger", () => {
  it("writes newlines and terminal escapes of a message or a field as escapes, one entry per line", () => {
    const hostile = "HTTPRoute default/x\n2026-01-01T00:00:00.000Z ERROR forged \u001b[31mred\u009b2J\u2028";
    for (const encoder of ["Text", "JSON"] as const) {
      const { lines, logger } = capture(encoder);
      logger.error(hostile, { object: hostile, [`key\n`]: 1 });
      expect(lines).toHaveLength(1);
      const line = lines[0]!;
      expect(line.endsWith("\n")).toBe(true);
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for raw control characters.
      expect(line.slice(0, -1)).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
      expect(line).toContain("\\u001b[31mred\\u009b2J");
    }
  });

  it("cuts a huge message or field value", () => {
    const { lines, logger } = capture("Text", 100);
    logger.warn("m".repeat(1000), { problem: "p".repeat(100_000), list: Array.from({ length: 1000 }, (_, i) => i) });
    expect(lines[0]!.length).toBeLessThan(600);
    expect(lines[0]).toContain("... (900 more characters)");
    expect(lines[0]).toContain("... (99900 more characters)");
  });
});
