// Evaluates CRD validation rules on the CEL AST of @egts/cel (the parser shared with xds-translator) against
// JSON values, with CEL's error semantics for && / || and the folds the macros expand into (an error is
// absorbed when the other side decides the result). Functions: size, has, matches, startsWith, endsWith,
// contains, split, substring, lowerAscii, upperAscii, trim, duration, isIP, int, string, double.
import { type CelCall, type CelComprehension, type CelExpr, CelSyntaxError, parseCel } from "@egts/cel";
import type { SchemaNode } from "../schemaTypes.js";
import { schemaRegex } from "../regex.js";

/**
 * The result of evaluating a rule: a value; a runtime error that real CEL raises too (missing field, bad
 * index, no matching overload...); or "unsupported" when the rule is outside what this evaluator implements.
 */
export type CelOutcome =
  | { readonly kind: "ok"; readonly value: unknown }
  | { readonly kind: "error"; readonly message: string }
  | { readonly kind: "unsupported"; readonly message: string };

/** A CEL runtime error, raised by real CEL implementations as well. */
class CelError extends Error {}
/** Something this evaluator does not implement; the rule is then skipped, never failed. */
class CelUnsupported extends Error {}

/** A CEL duration, held in seconds. */
class Duration {
  constructor(readonly seconds: number) {}
}

const UNIT_SECONDS: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 1e-3, us: 1e-6, µs: 1e-6, ns: 1e-9 };

function parseDuration(text: string): Duration {
  const m = /^([-+])?((?:\d+(?:\.\d*)?|\.\d+)(?:h|ms|m|s|us|µs|ns))+$/.exec(text);
  if (!m && text !== "0") throw new CelError(`invalid duration ${JSON.stringify(text)}`);
  let total = 0;
  for (const part of text.matchAll(/(\d+(?:\.\d*)?|\.\d+)(h|ms|m|s|us|µs|ns)/g)) {
    total += Number(part[1]) * UNIT_SECONDS[part[2]!]!;
  }
  return new Duration(text.startsWith("-") ? -total : total);
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
function isIPv6(s: string): boolean {
  if (s.includes("%")) return false;
  let text = s;
  const groupsNeeded = 8;
  const lastColon = text.lastIndexOf(":");
  if (lastColon >= 0 && text.slice(lastColon + 1).includes(".")) {
    if (!IPV4.test(text.slice(lastColon + 1))) return false;
    text = text.slice(0, lastColon + 1) + "0:0";
  }
  const halves = text.split("::");
  if (halves.length > 2) return false;
  const parse = (h: string) => (h === "" ? [] : h.split(":"));
  const groups = halves.flatMap(parse);
  if (!groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  return halves.length === 2 ? groups.length < groupsNeeded : groups.length === groupsNeeded;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Duration);
}

function equal(a: unknown, b: unknown): boolean {
  if (a instanceof Duration && b instanceof Duration) return a.seconds === b.seconds;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && equal(a[k], b[k]));
  }
  return a === b;
}

function size(v: unknown): number {
  if (typeof v === "string") return [...v].length;
  if (Array.isArray(v)) return v.length;
  if (isMap(v)) return Object.keys(v).length;
  throw new CelError("size() of unsupported type");
}

function str(v: unknown, fn: string): string {
  if (typeof v !== "string") throw new CelError(`${fn}() needs a string`);
  return v;
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  if (a instanceof Duration && b instanceof Duration) return a.seconds - b.seconds;
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  throw new CelError("no such overload for comparison");
}

type Env = ReadonlyMap<string, unknown>;

function truthy(v: unknown): boolean {
  if (typeof v !== "boolean") throw new CelError("expected a bool");
  return v;
}

function iterate(target: unknown): unknown[] {
  if (Array.isArray(target)) return target;
  if (isMap(target)) return Object.keys(target);
  throw new CelError("macro over unsupported type");
}

/** A fold's accumulator that holds an error: a later step may still absorb it (`false && error` is false). */
class ErrorValue {
  constructor(readonly error: unknown) {}
}

const bind = (env: Env, name: string, value: unknown): Env => new Map(env).set(name, value);

/** A comprehension, as cel-go runs the macros' expansions: step until the condition is false, then the result. */
function fold(c: CelComprehension, env: Env): unknown {
  const items = iterate(ev(need(c.iterRange), env));
  let accu: unknown = ev(need(c.accuInit), env);
  for (const item of items) {
    const scope = bind(bind(env, c.iterVar, item), c.accuVar, accu);
    if (!truthy(ev(need(c.loopCondition), scope))) break;
    try {
      accu = ev(need(c.loopStep), scope);
    } catch (ex) {
      if (!(ex instanceof CelError)) throw ex;
      accu = new ErrorValue(ex);
    }
  }
  return ev(need(c.result), bind(env, c.accuVar, accu));
}

function need(e: CelExpr | undefined): CelExpr {
  if (e === undefined) throw new CelUnsupported("incomplete expression");
  return e;
}

/** cel-go's operator functions, by the operator they came from (for the messages). */
const BINARY: Readonly<Record<string, string>> = {
  "_==_": "==",
  "_!=_": "!=",
  "_<_": "<",
  "_<=_": "<=",
  "_>_": ">",
  "_>=_": ">=",
  "@in": "in",
  "_+_": "+",
  "_-_": "-",
  "_*_": "*",
  "_/_": "/",
  "_%_": "%",
};

function call(e: CelCall, env: Env): unknown {
  const arg = (i: number) => need(e.args[i]);
  switch (e.function) {
    case "_&&_":
      return logical(arg(0), arg(1), env, false);
    case "_||_":
      return logical(arg(0), arg(1), env, true);
    case "_?_:_":
      return truthy(ev(arg(0), env)) ? ev(arg(1), env) : ev(arg(2), env);
    case "!_":
      return !truthy(ev(arg(0), env));
    case "-_": {
      const v = ev(arg(0), env);
      if (typeof v !== "number") throw new CelError("negation of a non-number");
      return -v;
    }
    case "@not_strictly_false":
      // Keeps a fold going while its accumulator is true or an error; only a definite false stops it.
      try {
        return ev(arg(0), env) !== false;
      } catch (ex) {
        if (ex instanceof CelError) return true;
        throw ex;
      }
    case "_[_]":
      return index(ev(arg(0), env), ev(arg(1), env));
    default:
  }
  const op = BINARY[e.function];
  if (op !== undefined && e.target === undefined && e.args.length === 2) return binary(op, ev(arg(0), env), ev(arg(1), env));
  const recv = e.target === undefined ? undefined : ev(e.target, env);
  const args = e.args.map((a) => ev(a, env));
  const [a0, a1] = e.target === undefined ? [args[0], args[1]] : [recv, args[0]];
  switch (e.function) {
    case "size":
      return size(a0);
    case "matches": {
      const re = schemaRegex(str(a1, "matches"));
      if (!re) throw new CelUnsupported("regex not supported");
      return re.test(str(a0, "matches"));
    }
    case "startsWith":
      return str(a0, "startsWith").startsWith(str(a1, "startsWith"));
    case "endsWith":
      return str(a0, "endsWith").endsWith(str(a1, "endsWith"));
    case "contains":
      return str(a0, "contains").includes(str(a1, "contains"));
    case "lowerAscii":
      return str(a0, "lowerAscii").replace(/[A-Z]/g, (c) => c.toLowerCase());
    case "upperAscii":
      return str(a0, "upperAscii").replace(/[a-z]/g, (c) => c.toUpperCase());
    case "split": {
      const s = str(a0, "split");
      const parts = s.split(str(a1, "split"));
      return args.length > 1 && typeof args[1] === "number" && args[1] >= 0 ? parts.slice(0, args[1]) : parts;
    }
    case "substring": {
      const cps = [...str(a0, "substring")];
      const start = a1 as number;
      const end = (args.length > 1 ? args[1] : cps.length) as number;
      if (start < 0 || end > cps.length || start > end) throw new CelError("substring index out of range");
      return cps.slice(start, end).join("");
    }
    case "trim":
      return str(a0, "trim").trim();
    case "duration":
      return parseDuration(str(a0, "duration"));
    case "isIP": {
      const s = str(a0, "isIP");
      return IPV4.test(s) || isIPv6(s);
    }
    case "int":
      if (typeof a0 === "number") return Math.trunc(a0);
      if (typeof a0 === "string" && /^-?\d+$/.test(a0)) return Number(a0);
      throw new CelError("int() conversion failed");
    case "double":
      return Number(a0);
    case "string":
      return typeof a0 === "string" ? a0 : JSON.stringify(a0);
    default:
      throw new CelUnsupported(`unsupported function ${e.function}`);
  }
}

function index(obj: unknown, idx: unknown): unknown {
  if (Array.isArray(obj) && typeof idx === "number") {
    if (idx < 0 || idx >= obj.length) throw new CelError(`index out of bounds: ${idx}`);
    return obj[idx];
  }
  if (isMap(obj) && typeof idx === "string") {
    if (!(idx in obj)) throw new CelError(`no such key: ${idx}`);
    return obj[idx];
  }
  throw new CelError("unsupported index");
}

function ev(e: CelExpr, env: Env): unknown {
  const k = e.exprKind;
  switch (k?.$case) {
    case "constExpr": {
      const c = k.value.constantKind;
      switch (c?.$case) {
        case "nullValue":
          return null;
        case "int64Value":
        case "uint64Value":
          return Number(c.value);
        case "boolValue":
        case "doubleValue":
        case "stringValue":
          return c.value;
        default:
          throw new CelUnsupported(`unsupported literal ${c?.$case ?? "(none)"}`);
      }
    }
    case "identExpr": {
      const { name } = k.value;
      if (!env.has(name)) throw new CelError(`undeclared reference to ${name}`);
      const v = env.get(name);
      if (v instanceof ErrorValue) throw v.error;
      return v;
    }
    case "listExpr":
      return k.value.elements.map((i) => ev(i, env));
    case "structExpr": {
      if (k.value.messageName !== "") throw new CelUnsupported(`message construction ${k.value.messageName}`);
      return Object.fromEntries(
        k.value.entries.map((en) => {
          if (en.keyKind?.$case !== "mapKey") throw new CelUnsupported("map entry without a key");
          return [String(ev(en.keyKind.value, env)), ev(need(en.value), env)];
        }),
      );
    }
    case "selectExpr": {
      const { operand, field, testOnly } = k.value;
      const obj = ev(need(operand), env);
      if (testOnly) {
        if (!isMap(obj)) throw new CelError("has() on a non-object");
        return Object.hasOwn(obj, field) && obj[field] !== undefined;
      }
      if (!isMap(obj)) throw new CelError(`cannot select ${field} from a non-object`);
      if (!Object.hasOwn(obj, field) || obj[field] === undefined) throw new CelError(`no such key: ${field}`);
      return obj[field];
    }
    case "callExpr":
      return call(k.value, env);
    case "comprehensionExpr":
      return fold(k.value, env);
    default:
      throw new CelUnsupported("empty expression");
  }
}

function logical(left: CelExpr, right: CelExpr, env: Env, short: boolean): boolean {
  // CEL's commutative && / ||: a side that decides the result wins over an error on the other side.
  let err: unknown = null;
  for (const side of [left, right]) {
    try {
      if (truthy(ev(side, env)) === short) return short;
    } catch (ex) {
      err ??= ex;
    }
  }
  if (err) throw err;
  return !short;
}

function binary(op: string, l: unknown, r: unknown): unknown {
  switch (op) {
    case "==":
      return equal(l, r);
    case "!=":
      return !equal(l, r);
    case "<":
      return compare(l, r) < 0;
    case "<=":
      return compare(l, r) <= 0;
    case ">":
      return compare(l, r) > 0;
    case ">=":
      return compare(l, r) >= 0;
    case "in":
      if (Array.isArray(r)) return r.some((x) => equal(x, l));
      if (isMap(r) && typeof l === "string") return l in r;
      throw new CelError("'in' needs a list or map");
    case "+":
      if (typeof l === "number" && typeof r === "number") return l + r;
      if (typeof l === "string" && typeof r === "string") return l + r;
      if (Array.isArray(l) && Array.isArray(r)) return [...l, ...r];
      if (l instanceof Duration && r instanceof Duration) return new Duration(l.seconds + r.seconds);
      throw new CelError("no such overload for +");
    case "-":
      if (typeof l === "number" && typeof r === "number") return l - r;
      if (l instanceof Duration && r instanceof Duration) return new Duration(l.seconds - r.seconds);
      throw new CelError("no such overload for -");
    case "*":
    case "/":
    case "%": {
      if (typeof l !== "number" || typeof r !== "number") throw new CelError(`no such overload for ${op}`);
      if (op === "*") return l * r;
      if (r === 0 && Number.isInteger(l) && Number.isInteger(r)) throw new CelError("division by zero");
      if (op === "%") return l % r;
      return Number.isInteger(l) && Number.isInteger(r) ? Math.trunc(l / r) : l / r;
    }
    default:
      throw new CelUnsupported(`unsupported operator ${op}`);
  }
}

const parsed = new Map<string, CelExpr | CelSyntaxError>();

/** The tree of a rule, parsed once per rule text (the CRDs hold a few hundred rules, evaluated per object). */
function parseRule(rule: string): CelExpr {
  let e = parsed.get(rule);
  if (e === undefined) {
    try {
      e = parseCel(rule).expr;
    } catch (ex) {
      if (!(ex instanceof CelSyntaxError)) throw ex;
      e = ex;
    }
    parsed.set(rule, e);
  }
  if (e instanceof CelSyntaxError) throw e;
  return e;
}

/**
 * Evaluates one CEL rule with `self` bound to `value` (the schema node is accepted for future type-aware
 * functions). Never throws: runtime errors come back as `kind: "error"`, syntax errors and what this evaluator
 * does not implement as `kind: "unsupported"`.
 */
export function evaluateRule(rule: string, value: unknown, _node?: SchemaNode): CelOutcome {
  try {
    return { kind: "ok", value: ev(parseRule(rule), new Map([["self", value]])) };
  } catch (ex) {
    if (ex instanceof CelError) return { kind: "error", message: ex.message };
    if (ex instanceof CelUnsupported || ex instanceof CelSyntaxError) return { kind: "unsupported", message: ex.message };
    throw ex;
  }
}
