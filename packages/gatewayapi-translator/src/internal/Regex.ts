// Validation of user regular expressions before they reach Envoy (RE2 syntax, bounded size).

const maxRegexLength = 4096;

/**
 * Checks that a pattern is a usable regular expression; returns an error text or undefined.
 * JavaScript's engine stands in for RE2 here: patterns it rejects are rejected, and RE2-only
 * constructs such as `(?i)` flags at the start are accepted.
 */
export function checkRegex(pattern: string): string | undefined {
  if (pattern.length > maxRegexLength) return `regex ${pattern} is too long`;
  const body = pattern.replace(/^\(\?[imsU]+\)/, "");
  try {
    new RegExp(body, "u");
    return undefined;
  } catch {
    try {
      new RegExp(body);
      return undefined;
    } catch (e) {
      return `error parsing regexp: ${(e as Error).message}`;
    }
  }
}
