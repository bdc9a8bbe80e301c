// Validation of user regular expressions before they reach Envoy (RE2 syntax, bounded size), reporting
// errors in the words of Go's regexp/syntax, as upstream does.

const maxRegexLength = 4096;

function goSyntaxError(pattern: string): string | undefined {
  // Constructs RE2 rejects that JavaScript accepts.
  const perl = /\(\?(<?[=!])/.exec(pattern);
  if (perl !== null) return `invalid or unsupported Perl syntax: \`${perl[0]}\``;
  const backref = /\\[1-9]/.exec(pattern);
  if (backref !== null) return `invalid escape sequence: \`${backref[0]}\``;
  // A repetition operator with nothing to repeat.
  const rep = /(^|(?<!\\)\||(?<!\\)\()([*+]|\{\d+(,\d*)?\})|(^|(?<!\\)\|)(\?)/.exec(pattern);
  if (rep !== null) return `missing argument to repetition operator: \`${rep[2] ?? rep[5] ?? ""}\``;
  const nested = /([*+?]|\})([*+])/.exec(pattern);
  if (nested !== null && !pattern.slice(0, nested.index + 1).endsWith("\\")) return `invalid nested repetition operator: \`${nested[0]}\``;
  if (pattern.endsWith("\\") && !pattern.endsWith("\\\\")) return "trailing backslash at end of expression: ``";
  return undefined;
}

/**
 * Checks that a pattern is a usable regular expression; returns upstream's error text or undefined.
 * JavaScript's engine stands in for RE2, with RE2's extra restrictions checked first.
 */
export function checkRegex(pattern: string): string | undefined {
  if (pattern.length > maxRegexLength) return `regex ${JSON.stringify(pattern)} is invalid: expression too large`;
  const goError = goSyntaxError(pattern);
  if (goError !== undefined) return `regex ${JSON.stringify(pattern)} is invalid: error parsing regexp: ${goError}`;
  const body = pattern.replace(/^\(\?[imsU]+\)/, "");
  try {
    new RegExp(body);
    return undefined;
  } catch (e) {
    const m = /: (.*)$/.exec((e as Error).message);
    return `regex ${JSON.stringify(pattern)} is invalid: error parsing regexp: ${m?.[1] ?? "invalid syntax"}`;
  }
}
