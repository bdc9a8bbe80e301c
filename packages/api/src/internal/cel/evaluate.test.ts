import { describe, expect, it } from "vitest";
import { evaluateRule } from "./evaluate.js";

const value = (rule: string, self: unknown) => {
  const r = evaluateRule(rule, self);
  if (r.kind !== "ok") throw new Error(r.message);
  return r.value;
};

describe("CEL subset", () => {
  it("evaluates macros over lists and maps", () => {
    const listeners = [{ name: "a" }, { name: "b" }, { name: "a" }];
    expect(value("self.all(l1, self.exists_one(l2, l1.name == l2.name))", listeners)).toBe(false);
    expect(value("self.all(l1, self.exists_one(l2, l1.name == l2.name))", listeners.slice(0, 2))).toBe(true);
    expect(value("self.filter(l, l.name == 'a').size()", listeners)).toBe(2);
    expect(value("self.map(l, l.name)", listeners)).toEqual(["a", "b", "a"]);
    expect(value("self.all(k, k.split('/')[0].size() < 3)", { "ab/c": 1, "x/y": 2 })).toBe(true);
  });

  it("absorbs errors in && and || when the other side decides, as CEL does", () => {
    expect(value("has(self.a) && self.a.b == 1", {})).toBe(false);
    expect(value("self.missing == 1 || true", {})).toBe(true);
    expect(evaluateRule("self.missing == 1", {}).kind).toBe("error");
  });

  it("folds macros as cel-go does: a false element decides all() even after an error, otherwise the error stands", () => {
    expect(value("self.all(x, x.a == 1)", [{}, { a: 2 }])).toBe(false);
    expect(evaluateRule("self.all(x, x.a == 1)", [{}, { a: 1 }])).toEqual({ kind: "error", message: "no such key: a" });
    expect(value("self.exists(x, x.a == 1)", [{}, { a: 1 }])).toBe(true);
    expect(evaluateRule("self.exists_one(x, x.a == 1)", [{ a: 1 }, {}]).kind).toBe("error");
    expect(value("self.map(x, x > 1, x * 2)", [1, 2, 3])).toEqual([4, 6]);
  });

  it("supports strings, durations, IPs and the conditional operator", () => {
    expect(value("self.startsWith('*.') && self.substring(2).matches('^[a-z.]+$')", "*.foo.com")).toBe(true);
    expect(value("self.lowerAscii() != 'host'", "HOST")).toBe(false);
    expect(value("duration(self) > duration('0s')", "1m30s")).toBe(true);
    expect(value("duration('1500ms') < duration('1s')", null)).toBe(false);
    expect(value("isIP(self)", "::1")).toBe(true);
    expect(value("isIP(self)", "10.0.0.256")).toBe(false);
    expect(value("size(self) > 2 ? 'long' : 'short'", [1, 2, 3])).toBe("long");
    expect(value("self.x in ['POST','PUT']", { x: "PUT" })).toBe(true);
    expect(value("{'Auto':0,'1.2':3}[self] <= 3", "1.2")).toBe(true);
  });

  it("reads raw and triple-quoted string literals with RE2 inline flags", () => {
    expect(value('self.matches(r"""^(?i)[a-z]+$""")', "ABC")).toBe(true);
    expect(value("self.matches('^\\\\d+$')", "123")).toBe(true);
  });

  it("reports syntax outside the subset as an error instead of throwing", () => {
    expect(evaluateRule("self.@", 1).kind).toBe("unsupported");
    expect(evaluateRule("self.unknownFn()", "x").kind).toBe("unsupported");
  });
});
