// RE2 syntax (the regex dialect of Go, Kubernetes and Envoy) matched by re2js, a port of Go's regexp through
// RE2/J: linear-time matching, so no input can make it backtrack exponentially as JavaScript's RegExp does on
// patterns like ^[!-~]+([\t ]?[!-~]+)*$, and syntax errors in the words of Go's regexp/syntax, which
// upstream's status messages quote. Only matching is offered (no capture extraction).
import { RE2JS, RE2JSSyntaxException } from "re2js";

/** Thrown for a pattern outside RE2 syntax or over the length limit; the message is Go's `regexp/syntax` error. */
export class Re2SyntaxError extends Error {}

/** A compiled RE2 pattern: `test` finds a match anywhere in the input (use ^ and $ to anchor). */
export interface Re2Pattern {
  readonly source: string;
  test(input: string): boolean;
}

/** Options for {@link compileRe2}. */
export interface Re2Options {
  /** Longest accepted pattern, in characters (default 4096). */
  readonly maxPatternLength?: number;
}

const goErrorPrefix = "error parsing regexp: ";

/** Compiles an RE2 pattern into a linear-time matcher. Throws {@link Re2SyntaxError} when it cannot. */
export function compileRe2(pattern: string, options: Re2Options = {}): Re2Pattern {
  const maxLen = options.maxPatternLength ?? 4096;
  if (pattern.length > maxLen) throw new Re2SyntaxError(`pattern longer than ${maxLen} characters`);
  try {
    const re = RE2JS.compile(pattern);
    return { source: pattern, test: (input) => re.test(input) };
  } catch (e) {
    if (!(e instanceof RE2JSSyntaxException)) throw e;
    // Go always quotes the offending text, even when it is empty (`trailing backslash at end of expression: ``).
    const message = e.message.startsWith(goErrorPrefix) ? e.message.slice(goErrorPrefix.length) : e.message;
    throw new Re2SyntaxError(message.includes(": `") ? message : `${message}: \`\``);
  }
}
