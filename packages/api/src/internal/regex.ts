// Regular expressions that come from the CRDs (schema patterns and CEL matches() arguments): RE2 syntax,
// compiled once into linear-time matchers (see ./re2.ts), so crafted values cannot make validation hang.
import { compileRe2, type Re2Pattern } from "./re2.js";

const cache = new Map<string, Re2Pattern | null>();

/** Compiles a CRD regex once; null if it uses RE2 syntax the matcher does not support (the check is skipped). */
export function schemaRegex(pattern: string): Re2Pattern | null {
  let re = cache.get(pattern);
  if (re === undefined) {
    try {
      re = compileRe2(pattern);
    } catch {
      re = null;
    }
    cache.set(pattern, re);
  }
  return re;
}

/** Longest string a CRD regex is applied to; longer values are reported as not checked (a warning). */
export const MAX_REGEX_INPUT = 16 * 1024;
