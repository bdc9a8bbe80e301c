// Evaluates the CEL subset of ./parse.ts against JSON values, with CEL's error semantics for && / || and the
// macros (an error is absorbed when the other side decides the result). Functions: size, has, matches,
// startsWith, endsWith, contains, split, substring, lowerAscii, upperAscii, duration, isIP, int, string, double.
import type { SchemaNode } from "../schemaTypes.js";
import { schemaRegex } from "../regex.js";
import { parseCel, type CelExpr, CelSyntaxError } from "./parse.js";

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

function evalMacro(e: CelExpr & { t: "call" }, env: Env): unknown {
  const target = ev(e.target!, env);
  const varExpr = e.args[0]!;
  if (varExpr.t !== "ident") throw new CelUnsupported("macro variable must be an identifier");
  const bind = (x: unknown) => new Map(env).set(varExpr.name, x);
  const items = iterate(target);
  const pred = e.args[1]!;
  switch (e.fn) {
    case "all": {
      let err: unknown = null;
      for (const x of items) {
        try {
          if (!truthy(ev(pred, bind(x)))) return false;
        } catch (ex) {
          err ??= ex;
        }
      }
      if (err) throw err;
      return true;
    }
    case "exists": {
      let err: unknown = null;
      for (const x of items) {
        try {
          if (truthy(ev(pred, bind(x)))) return true;
        } catch (ex) {
          err ??= ex;
        }
      }
      if (err) throw err;
      return false;
    }
    case "exists_one":
      return items.filter((x) => truthy(ev(pred, bind(x)))).length === 1;
    case "filter":
      return items.filter((x) => truthy(ev(pred, bind(x))));
    case "map":
      if (e.args.length === 3) return items.filter((x) => truthy(ev(pred, bind(x)))).map((x) => ev(e.args[2]!, bind(x)));
      return items.map((x) => ev(pred, bind(x)));
    default:
      throw new CelUnsupported(`unknown macro ${e.fn}`);
  }
}

function call(e: CelExpr & { t: "call" }, env: Env): unknown {
  if (e.fn === "has" && e.target === null) {
    const arg = e.args[0];
    if (arg?.t !== "select") throw new CelUnsupported("has() needs a field selection");
    const obj = ev(arg.target, env);
    if (!isMap(obj)) throw new CelError("has() on a non-object");
    return Object.hasOwn(obj, arg.field) && obj[arg.field] !== undefined;
  }
  if (e.target !== null && ["all", "exists", "exists_one", "filter", "map"].includes(e.fn)) return evalMacro(e, env);
  const recv = e.target === null ? undefined : ev(e.target, env);
  const args = e.args.map((a) => ev(a, env));
  const [a0, a1] = e.target === null ? [args[0], args[1]] : [recv, args[0]];
  switch (e.fn) {
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
      throw new CelUnsupported(`unsupported function ${e.fn}`);
  }
}

function ev(e: CelExpr, env: Env): unknown {
  switch (e.t) {
    case "lit":
      return e.value;
    case "ident":
      if (!env.has(e.name)) throw new CelError(`undeclared reference to ${e.name}`);
      return env.get(e.name);
    case "list":
      return e.items.map((i) => ev(i, env));
    case "map":
      return Object.fromEntries(e.entries.map(([k, v]) => [String(ev(k, env)), ev(v, env)]));
    case "select": {
      const obj = ev(e.target, env);
      if (!isMap(obj)) throw new CelError(`cannot select ${e.field} from a non-object`);
      if (!Object.hasOwn(obj, e.field) || obj[e.field] === undefined) throw new CelError(`no such key: ${e.field}`);
      return obj[e.field];
    }
    case "index": {
      const obj = ev(e.target, env);
      const idx = ev(e.index, env);
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
    case "call":
      return call(e, env);
    case "unary": {
      const v = ev(e.arg, env);
      if (e.op === "!") return !truthy(v);
      if (typeof v !== "number") throw new CelError("negation of a non-number");
      return -v;
    }
    case "cond":
      return truthy(ev(e.test, env)) ? ev(e.then, env) : ev(e.else, env);
    case "binary":
      return binary(e, env);
  }
}

function logical(e: CelExpr & { t: "binary" }, env: Env, short: boolean): boolean {
  // CEL's commutative && / ||: a side that decides the result wins over an error on the other side.
  let err: unknown = null;
  for (const side of [e.left, e.right]) {
    try {
      if (truthy(ev(side, env)) === short) return short;
    } catch (ex) {
      err ??= ex;
    }
  }
  if (err) throw err;
  return !short;
}

function binary(e: CelExpr & { t: "binary" }, env: Env): unknown {
  if (e.op === "&&") return logical(e, env, false);
  if (e.op === "||") return logical(e, env, true);
  const l = ev(e.left, env);
  const r = ev(e.right, env);
  switch (e.op) {
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
      if (typeof l !== "number" || typeof r !== "number") throw new CelError(`no such overload for ${e.op}`);
      if (e.op === "*") return l * r;
      if (r === 0 && Number.isInteger(l) && Number.isInteger(r)) throw new CelError("division by zero");
      if (e.op === "%") return l % r;
      return Number.isInteger(l) && Number.isInteger(r) ? Math.trunc(l / r) : l / r;
    }
    default:
      throw new CelUnsupported(`unsupported operator ${e.op}`);
  }
}

/**
 * Evaluates one CEL rule with `self` bound to `value` (the schema node is accepted for future type-aware
 * functions). Syntax outside the subset and runtime errors come back as `kind: "error"`, never thrown.
 */
export function evaluateRule(rule: string, value: unknown, _node?: SchemaNode): CelOutcome {
  try {
    const expr = parseCel(rule);
    return { kind: "ok", value: ev(expr, new Map([["self", value]])) };
  } catch (ex) {
    if (ex instanceof CelError) return { kind: "error", message: ex.message };
    if (ex instanceof CelUnsupported || ex instanceof CelSyntaxError) return { kind: "unsupported", message: ex.message };
    throw ex;
  }
}
