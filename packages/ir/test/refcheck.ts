// The reference judge's comparison rules (see ../shared/reference/refcheck.mjs), for round-trip tests:
// key order is ignored, zero values (null, "", 0, false, [], {}) equal absence, an expected
// "[redacted]" matches anything and a number equals the same number written as a string.
// One addition for IR inputs: a byte array written as a list of integers equals the same bytes in base64.
// Hand-written IR inputs (upstream's xds test inputs) may also spell field names in any case and write
// durations non-canonically ("120s"), both of which upstream's loader accepts: `lenientInput` allows that.
import { parseGoDuration } from "@egts/ir";

/** Extra tolerance for hand-written expected values. */
export interface DiffOptions {
  /** Match object keys case-insensitively and Go durations by value. */
  readonly lenientInput?: boolean;
}

const isZero = (v: unknown): boolean =>
  v === undefined ||
  v === null ||
  v === "" ||
  v === 0 ||
  v === false ||
  (Array.isArray(v) ? v.length === 0 : typeof v === "object" && Object.keys(v as object).length === 0);

/** Drops zero values recursively, as the judge does before comparing. */
export function normalize(v: unknown): unknown {
  if (Array.isArray(v)) return v.map((x) => normalize(x) ?? null);
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (k === "lastTransitionTime") continue;
      const n = normalize(x);
      if (!isZero(n)) out[k] = n;
    }
    return out;
  }
  return v;
}

const isByteList = (v: unknown): v is number[] =>
  Array.isArray(v) && v.length > 0 && v.every((b) => typeof b === "number" && Number.isInteger(b) && b >= 0 && b <= 255);

/** The first path where `actual` differs from `expected` under the judge's rules, or undefined. */
export function firstDifference(expected: unknown, actual: unknown, options: DiffOptions = {}): string | undefined {
  return diff(normalize(expected), normalize(actual), "", options.lenientInput === true);
}

const lowerKeys = (o: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(o).map(([k, v]) => [k.toLowerCase(), v]));

function diff(exp: unknown, act: unknown, path: string, lenient: boolean): string | undefined {
  const here = path || "/";
  if (exp === "[redacted]") return undefined;
  if (typeof exp === "number" && typeof act === "string" && String(exp) === act) return undefined;
  if (typeof exp === "string" && typeof act === "number" && exp === String(act)) return undefined;
  if (lenient && typeof exp === "string" && typeof act === "string") {
    const e = parseGoDuration(exp);
    if (e !== undefined && e === parseGoDuration(act)) return undefined;
  }
  if (isByteList(exp) && typeof act === "string") {
    return Buffer.from(exp).equals(Buffer.from(act, "base64")) ? undefined : `${here}: bytes differ`;
  }
  if (Array.isArray(exp) || Array.isArray(act)) {
    if (!Array.isArray(exp) || !Array.isArray(act)) return `${here}: ${show(exp)} != ${show(act)}`;
    if (exp.length !== act.length) return `${path}/length: ${exp.length} != ${act.length}`;
    for (let i = 0; i < exp.length; i++) {
      const d = diff(exp[i], act[i], `${path}/${i}`, lenient);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  if (exp !== null && typeof exp === "object" && act !== null && typeof act === "object") {
    const e = lenient ? lowerKeys(exp as Record<string, unknown>) : (exp as Record<string, unknown>);
    const a = lenient ? lowerKeys(act as Record<string, unknown>) : (act as Record<string, unknown>);
    for (const k of [...new Set([...Object.keys(e), ...Object.keys(a)])].sort()) {
      const d = diff(e[k], a[k], `${path}/${k}`, lenient);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  return Object.is(exp, act) ? undefined : `${here}: ${show(exp)} != ${show(act)}`;
}

const show = (v: unknown): string => {
  const s = v === undefined ? "(absent)" : JSON.stringify(v);
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
};
