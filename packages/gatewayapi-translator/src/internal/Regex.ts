// Validation of user regular expressions before they reach Envoy: RE2 syntax (checked by @egts/api's RE2
// parser, bounded in size), with errors reported in the words of Go's regexp/syntax where upstream's
// golden output depends on them.
import { compileRe2, Re2SyntaxError } from "@egts/api";

const maxRegexLength = 4096;

function goSyntaxError(pattern: string): string | undefined {
  const perl = /\(\?(<?[=!])/.exec(pattern);
  if (perl !== null) return `invalid or unsupported Perl syntax: \`${perl[0]}\``;
  const backref = /\\[1-9]/.exec(pattern);
  if (backref !== null) return `invalid escape sequence: \`${backref[0]}\``;
  // A repetition operator with nothing to repeat.
  const rep = /(^|(?<!\\)\||(?<!\\)\()([*+]|\{\d+(,\d*)?\})|(^|(?<!\\)\|)(\?)/.exec(pattern);
  if (rep !== null) return `missing argument to repetition operator: \`${rep[2] ?? rep[5] ?? ""}\``;
  if (pattern.endsWith("\\") && !pattern.endsWith("\\\\")) return "trailing backslash at end of expression: ``";
  return undefined;
}

/** Checks that a pattern is a valid RE2 expression; returns upstream's error text or undefined. */
export function checkRegex(pattern: string): string | undefined {
  if (pattern.length > maxRegexLength) return `regex ${JSON.stringify(pattern)} is invalid: expression too large`;
  const goError = goSyntaxError(pattern);
  if (goError !== undefined) return `regex ${JSON.stringify(pattern)} is invalid: error parsing regexp: ${goError}`;
  try {
    compileRe2(pattern, { maxPatternLength: maxRegexLength });
    return undefined;
  } catch (e) {
    if (!(e instanceof Re2SyntaxError)) throw e;
    return `regex ${JSON.stringify(pattern)} is invalid: error parsing regexp: ${e.message}`;
  }
}
