import { describe, expect, it } from "vitest";
import type { CelExpr } from "./ast.js";
import { parseCel } from "./parse.js";

/** A compact rendering of an AST with node ids, in the spirit of cel-go's parser test output. */
function show(e: CelExpr | undefined): string {
  if (e === undefined) return "?";
  const k = e.exprKind;
  switch (k?.$case) {
    case "identExpr":
      return `${k.value.name}#${e.id}`;
    case "selectExpr":
      return `${show(k.value.operand)}.${k.value.field}#${e.id}`;
    case "constExpr": {
      const c = k.value.constantKind;
      return `${c?.$case === "stringValue" ? JSON.stringify(c.value) : String(c?.value)}#${e.id}`;
    }
    case "callExpr":
      return `${k.value.target !== undefined ? `${show(k.value.target)}.` : ""}${k.value.function}(${k.value.args.map(show).join(", ")})#${e.id}`;
    case "listExpr":
      return `[${k.value.elements.map(show).join(", ")}]#${e.id}`;
    case "structExpr":
      return `${k.value.messageName}{${k.value.entries
        .map((en) => `${en.keyKind?.$case === "mapKey" ? show(en.keyKind.value) : (en.keyKind?.value ?? "")}:${show(en.value)}#${en.id}`)
        .join(", ")}}#${e.id}`;
    default:
      return "?";
  }
}
const ast = (s: string) => show(parseCel(s).expr);

describe("CEL parser", () => {
  it("numbers nodes as cel-go does, with source positions and line offsets", () => {
    const parsed = parseCel("request.path.startsWith('/admin')");
    expect(show(parsed.expr)).toBe('request#1.path#2.startsWith("/admin"#4)#3');
    expect(parsed).toMatchObject({ lineOffsets: [34], positions: { "1": 0, "2": 7, "3": 23, "4": 24 } });
    expect(parseCel("a\n&& b").lineOffsets).toEqual([2, 7]);
  });

  it("balances chains of || and && and numbers each operator after its right operand", () => {
    expect(ast("a || b")).toBe("_||_(a#1, b#2)#3");
    expect(ast("a || b || c || d || e || f")).toBe("_||_(_||_(_||_(a#1, b#2)#3, c#4)#5, _||_(_||_(d#6, e#8)#9, f#10)#11)#7");
    expect(ast("a && b && c && d || e && f && g && h")).toBe(
      "_||_(_&&_(_&&_(a#1, b#2)#3, _&&_(c#4, d#6)#7)#5, _&&_(_&&_(e#8, f#9)#10, _&&_(g#11, h#13)#14)#12)#15",
    );
  });

  it("parses operators, conditionals, negative literals, indexing, lists and maps", () => {
    expect(ast("a?b:c")).toBe("_?_:_(a#1, b#3, c#4)#2");
    expect(ast("4--4")).toBe("_-_(4#1, -4#3)#2");
    expect(ast("!a")).toBe("!_(a#2)#1");
    expect(ast("a in [1, 2]")).toBe("@in(a#1, [1#4, 2#5]#3)#2");
    expect(ast("a.b(5)[0] * 2 + x")).toBe("_+_(_*_(_[_](a#1.b(5#3)#2, 0#5)#4, 2#7)#6, x#9)#8");
    expect(ast("{a:b, c:d}")).toBe("{a#3:b#4#2, c#6:d#7#5}#1");
    expect(ast('SomeMessage{foo: 5, bar: "xyz"}')).toBe('SomeMessage{foo:5#3#2, bar:"xyz"#5#4}#1');
    expect(ast(".a.B{}")).toBe(".a.B{}#1");
    expect(ast(`request.headers['x-team'] == "blue\\x21"`)).toBe('_==_(_[_](request#1.headers#2, "x-team"#4)#3, "blue!"#6)#5');
  });

  it("expands has() into a presence test placed at the call, as cel-go does", () => {
    const parsed = parseCel("has(a.b)");
    expect(parsed.expr).toEqual({
      id: "4",
      exprKind: { $case: "selectExpr", value: { operand: { id: "2", exprKind: { $case: "identExpr", value: { name: "a" } } }, field: "b", testOnly: true } },
    });
    expect(parsed.positions).toEqual({ "2": 4, "3": 5, "4": 3 });
  });

  it("expands the comprehension macros with cel-go's ids", () => {
    const all = parseCel("m.all(v, f)").expr;
    expect(all?.id).toBe("11");
    const c = all?.exprKind?.$case === "comprehensionExpr" ? all.exprKind.value : undefined;
    expect(c?.iterVar).toBe("v");
    expect(c?.accuVar).toBe("@result");
    expect(show(c?.iterRange)).toBe("m#1");
    expect(show(c?.accuInit)).toBe("true#5");
    expect(show(c?.loopCondition)).toBe("@not_strictly_false(@result#6)#7");
    expect(show(c?.loopStep)).toBe("_&&_(@result#8, f#4)#9");
    expect(show(c?.result)).toBe("@result#10");

    const one = parseCel("m.existsOne(v, f)").expr;
    const oc = one?.exprKind?.$case === "comprehensionExpr" ? one.exprKind.value : undefined;
    expect(one?.id).toBe("15");
    expect(show(oc?.loopStep)).toBe("_?_:_(f#4, _+_(@result#7, 1#8)#9, @result#10)#11");
    expect(show(oc?.result)).toBe("_==_(@result#12, 1#13)#14");
    const exists = parseCel("m.exists(v, f)").expr;
    const ec = exists?.exprKind?.$case === "comprehensionExpr" ? exists.exprKind.value : undefined;
    expect(show(ec?.loopCondition)).toBe("@not_strictly_false(!_(@result#6)#7)#8");
    expect(show(ec?.loopStep)).toBe("_||_(@result#9, f#4)#10");

    const filter = parseCel("m.filter(v, p)").expr;
    const fc = filter?.exprKind?.$case === "comprehensionExpr" ? filter.exprKind.value : undefined;
    expect(filter?.id).toBe("13");
    expect(show(fc?.accuInit)).toBe("[]#5");
    expect(show(fc?.loopStep)).toBe("_?_:_(p#4, _+_(@result#7, [v#3]#8)#9, @result#10)#11");
    expect(show(fc?.result)).toBe("@result#12");

    const map3 = parseCel("m.map(v, p, f)").expr;
    const mc = map3?.exprKind?.$case === "comprehensionExpr" ? map3.exprKind.value : undefined;
    expect(map3?.id).toBe("14");
    expect(show(mc?.loopStep)).toBe("_?_:_(p#4, _+_(@result#8, [f#5]#9)#10, @result#11)#12");
    // The call's own id (at the '(') no longer has a position; the new nodes sit where it was.
    const positions = parseCel("m.map(v, f)").positions ?? {};
    expect(positions["2"]).toBeUndefined();
    expect(positions["11"]).toBe(5);
  });

  it("reports syntax errors, reserved words and unsupported macros", () => {
    expect(() => parseCel("a &&")).toThrow(/unexpected end of input/);
    expect(() => parseCel("(a")).toThrow("expected ')' at offset 2, found end of input");
    expect(() => parseCel("if")).toThrow("reserved identifier: if");
    expect(() => parseCel("self.true == 1")).toThrow(/expected a field name/);
    expect(() => parseCel("1.99e90000009")).toThrow(/invalid double literal/);
    expect(() => parseCel("'\\udead'")).toThrow(/invalid unicode code point/);
    expect(() => parseCel("has(x)")).toThrow("invalid argument to has() macro");
    expect(() => parseCel("m.map(__result__, __result__)")).toThrow("iteration variable overwrites accumulator variable");
    expect(() => parseCel("m.filter(a.b, false)")).toThrow("argument is not an identifier");
    expect(() => parseCel("a".repeat(100_001))).toThrow(/exceeds limit/);
    expect(() => parseCel("(".repeat(300) + "a" + ")".repeat(300))).toThrow("max recursion depth exceeded");
  });
});
