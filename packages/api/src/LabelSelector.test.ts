import { describe, expect, it } from "vitest";
import { labelSelectorMatches } from "./index.js";

describe("labelSelectorMatches", () => {
  const labels = { team: "a", tier: "web" };

  it("matches everything with an empty selector and checks every matchLabels pair", () => {
    expect(labelSelectorMatches({}, labels)).toBe(true);
    expect(labelSelectorMatches({ matchLabels: { team: "a" } }, labels)).toBe(true);
    expect(labelSelectorMatches({ matchLabels: { team: "a", tier: "db" } }, labels)).toBe(false);
  });

  it("evaluates In, NotIn, Exists and DoesNotExist as Kubernetes does", () => {
    const match = (operator: string, key: string, values?: string[]) =>
      labelSelectorMatches({ matchExpressions: [{ key, operator, ...(values !== undefined ? { values } : {}) }] }, labels);
    expect([match("In", "team", ["a", "b"]), match("In", "team", ["b"]), match("In", "zone", ["a"])]).toEqual([true, false, false]);
    expect([match("NotIn", "team", ["b"]), match("NotIn", "team", ["a"]), match("NotIn", "zone", ["a"])]).toEqual([true, false, true]);
    expect([match("Exists", "tier"), match("Exists", "zone"), match("DoesNotExist", "zone"), match("DoesNotExist", "tier")]).toEqual([
      true,
      false,
      true,
      false,
    ]);
  });

  it("matches nothing with an operator Kubernetes does not know", () => {
    expect(labelSelectorMatches({ matchExpressions: [{ key: "team", operator: "Equals", values: ["a"] }] }, labels)).toBe(false);
  });
});
