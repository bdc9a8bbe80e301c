// Regular expressions that come from the CRDs (patterns and CEL matches()): trusted, compiled once.

const regexCache = new Map<string, RegExp | null>();
/** Compiles a schema pattern (trusted: it comes from the CRDs) once; null if JavaScript cannot express it. */
export function schemaRegex(pattern: string): RegExp | null {
  let re = regexCache.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(pattern, "u");
    } catch {
      try {
        re = new RegExp(pattern);
      } catch {
        re = null;
      }
    }
    regexCache.set(pattern, re);
  }
  return re;
}

