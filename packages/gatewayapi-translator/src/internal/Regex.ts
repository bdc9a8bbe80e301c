// Validation of user regular expressions before they reach Envoy: RE2 syntax (checked by @egts/api's RE2
// matcher, bounded in size), with errors in the words of Go's regexp/syntax, which upstream's golden output quotes.
import { compileRe2, Re2SyntaxError } from "@egts/api";

const maxRegexLength = 4096;

/** Checks that a pattern is a valid RE2 expression; returns upstream's error text or undefined. */
export function checkRegex(pattern: string): string | undefined {
  if (pattern.length > maxRegexLength) return `regex ${JSON.stringify(pattern)} is invalid: expression too large`;
  try {
    compileRe2(pattern, { maxPatternLength: maxRegexLength });
    return undefined;
  } catch (e) {
    if (!(e instanceof Re2SyntaxError)) throw e;
    return `regex ${JSON.stringify(pattern)} is invalid: error parsing regexp: ${e.message}`;
  }
}
