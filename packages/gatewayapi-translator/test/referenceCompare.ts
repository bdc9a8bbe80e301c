// The reference corpus's comparison rules (see ../shared/reference/README.md "Judging"): parsed values,
// key order ignored, zero values equal absence, lastTransitionTime ignored, "[redacted]" matches anything,
// numbers equal their string form.

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === "" || v === 0 || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === "object") return Object.keys(v).length === 0;
  return false;
}

function normalize(v: unknown): unknown {
  if (Array.isArray(v)) return v.map((x) => normalize(x) ?? null);
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      if (k === "lastTransitionTime") continue;
      const n = normalize((v as Record<string, unknown>)[k]);
      if (!isEmpty(n)) out[k] = n;
    }
    return out;
  }
  return v;
}

function diff(exp: unknown, act: unknown, path: string): string | undefined {
  if (exp === "[redacted]") return undefined;
  if (typeof exp === "number" && typeof act === "string" && String(exp) === act) return undefined;
  if (typeof exp === "string" && typeof act === "number" && exp === String(act)) return undefined;
  if (Array.isArray(exp) || Array.isArray(act)) {
    if (!Array.isArray(exp) || !Array.isArray(act)) return path || "/";
    if (exp.length !== act.length) return `${path}/length`;
    for (let i = 0; i < exp.length; i++) {
      const d = diff(exp[i], act[i], `${path}/${i}`);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  if (exp !== null && typeof exp === "object" && act !== null && typeof act === "object") {
    const e = exp as Record<string, unknown>;
    const a = act as Record<string, unknown>;
    for (const k of [...new Set([...Object.keys(e), ...Object.keys(a)])].sort()) {
      const d = diff(e[k], a[k], `${path}/${k}`);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  return Object.is(exp, act) ? undefined : path || "/";
}

/** The first path where `actual` differs from `expected` under the corpus rules, or undefined when equal. */
export function firstDifference(expected: unknown, actual: unknown): string | undefined {
  return diff(normalize(expected), normalize(JSON.parse(JSON.stringify(actual))), "");
}
