import { describe, expect, it } from "vitest";
import { conditionMessage, RouteErrorCollector, RouteStatusError } from "./Conditions.js";

/** The plain definition: split into code points, upper-case a leading letter, end with a period. */
function plainConditionMessage(message: string): string {
  if (message === "") return message;
  const chars = Array.from(message);
  const first = chars[0] as string;
  if (/\p{L}/u.test(first)) chars[0] = first.toUpperCase();
  if (chars[chars.length - 1] !== ".") chars.push(".");
  return chars.join("");
}

describe("conditionMessage", () => {
  it("gives the code-point definition's result, surrogate pairs and lone surrogates included", () => {
    const samples = [
      "",
      ".",
      "a",
      "A.",
      "service default/foo not found",
      "TCP Port 80 not found on Service default/foo.",
      "ǆ titlecase digraph",
      "ß sharp s",
      "éclair",
      "1 leading digit",
      " leading space",
      "😀 emoji first",
      "𝒶 mathematical letter (astral)",
      "\uD835 lone high surrogate",
      "ends with lone high \uD835",
      "\uDC00",
      "ends with a period.",
      "ends with two..",
      "multi\nline",
    ];
    for (const s of samples) expect(conditionMessage(s), JSON.stringify(s)).toBe(plainConditionMessage(s));
  });
});

describe("RouteErrorCollector", () => {
  it("joins messages per condition type and sorts distinct reasons", () => {
    const c = new RouteErrorCollector();
    c.add(new RouteStatusError("service a not found", "BackendNotFound"));
    c.add(new RouteStatusError("port 1 not found", "PortNotFound"));
    c.add(new RouteStatusError("bad filter", "UnsupportedValue", "Accepted"));
    const all = c.all();
    expect(all.map((e) => [e.conditionType, e.reason, e.message])).toEqual([
      ["ResolvedRefs", "BackendNotFound,PortNotFound", "Service a not found.\nPort 1 not found."],
      ["Accepted", "UnsupportedValue", "bad filter"],
    ]);
  });
});
