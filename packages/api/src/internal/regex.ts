// Regular expressions that come from the CRDs (schema patterns and CEL matches() arguments): trusted text,
// written for RE2, compiled once into JavaScript RegExps.

const regexCache = new Map<string, RegExp | null>();

/**
 * Translates the RE2 features the CRDs use that JavaScript spells differently: leading inline flags such as
 * `(?i)` (also right after `^`). Returns null for RE2 syntax JavaScript cannot express.
 */
function toJavaScript(pattern: string): { source: string; flags: string } | null {
  let source = pattern;
  let flags = "";
  const lead = /^(\^?)\(\?([imsU]+)\)/.exec(source);
  if (lead) {
    if (lead[2]!.includes("U")) return null;
    flags = lead[2]!.replace(/m/g, "m");
    source = lead[1] + source.slice(lead[0].length);
  }
  if (/\(\?[a-zA-Z]+\)|\(\?P<|\\[AzQE]|\[\[:/.test(source)) return null;
  return { source, flags };
}

/** Compiles a CRD regex once; null if JavaScript cannot express it (the check is then skipped). */
export function schemaRegex(pattern: string): RegExp | null {
  let re = regexCache.get(pattern);
  if (re === undefined) {
    re = null;
    const js = toJavaScript(pattern);
    if (js) {
      for (const flags of [js.flags + "u", js.flags]) {
        try {
          re = new RegExp(js.source, flags);
          break;
        } catch {
          // try again without the unicode flag (it rejects some escapes RE2 accepts)
        }
      }
    }
    regexCache.set(pattern, re);
  }
  return re;
}

/**
 * Longest string a CRD regex is applied to. JavaScript regexes backtrack (RE2 does not), so a pattern with
 * nested quantifiers could take exponential time on a long crafted value: longer values are not matched.
 */
export const MAX_REGEX_INPUT = 1024;
