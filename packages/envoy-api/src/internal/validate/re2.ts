/**
 * Translation of RE2 patterns (the syntax protoc-gen-validate's `pattern` rules are written in, matched by Go's
 * regexp package upstream) into ECMAScript regular expressions with the same meaning.
 *
 * RE2 matches in linear time; ECMAScript backtracks. The patterns come from the descriptor set (trusted), the
 * strings they are matched against do not, so a pattern whose star height exceeds one (a repeated group that
 * itself repeats) is flagged `backtracks`: callers refuse to match long input against it instead of hanging.
 */

/** A compiled pattern, and whether ECMAScript may take super-linear time on it. */
export interface CompiledPattern {
  readonly source: string;
  readonly regexp: RegExp;
  readonly backtracks: boolean;
}

const posixClasses: Readonly<Record<string, string>> = {
  alnum: "0-9A-Za-z",
  alpha: "A-Za-z",
  ascii: "\\x00-\\x7F",
  blank: "\\t ",
  cntrl: "\\x00-\\x1F\\x7F",
  digit: "0-9",
  graph: "!-~",
  lower: "a-z",
  print: " -~",
  punct: "!-\\/:-@\\[-`{-~",
  space: "\\t\\n\\v\\f\\r ",
  upper: "A-Z",
  word: "0-9A-Za-z_",
  xdigit: "0-9A-Fa-f",
};

const escapeLiteral = (text: string): string => text.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");

/** Translates an RE2 pattern; throws on syntax RE2 has and ECMAScript cannot express. */
export function compileRe2(pattern: string): CompiledPattern {
  let flags = "u";
  let body = pattern;
  // Leading flag groups `(?i)`, `(?s)`, `(?m)`, `(?is)`: ECMAScript only has them for the whole pattern.
  const leading = /^\(\?([imsU]+)\)/.exec(body);
  if (leading !== undefined && leading !== null) {
    const set = leading[1] ?? "";
    if (set.includes("U")) throw new Error(`RE2 pattern ${JSON.stringify(pattern)}: ungreedy flag (?U) is not supported`);
    for (const f of set) if (!flags.includes(f)) flags += f;
    body = body.slice(leading[0].length);
  }
  let out = "";
  let inClass = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c === "\\") {
      const n = body[i + 1];
      if (n === undefined) throw new Error(`RE2 pattern ${JSON.stringify(pattern)}: trailing backslash`);
      if (n === "z") {
        out += "$(?![\\s\\S])";
        i++;
      } else if (n === "A") {
        out += "^";
        i++;
      } else if (n === "Q") {
        const end = body.indexOf("\\E", i + 2);
        const literal = end < 0 ? body.slice(i + 2) : body.slice(i + 2, end);
        out += escapeLiteral(literal);
        i = end < 0 ? body.length : end + 1;
      } else if (n === "x" && body[i + 2] === "{") {
        const end = body.indexOf("}", i + 3);
        if (end < 0) throw new Error(`RE2 pattern ${JSON.stringify(pattern)}: unterminated \\x{`);
        out += `\\u{${body.slice(i + 3, end)}}`;
        i = end;
      } else if ((n === "p" || n === "P") && body[i + 2] !== "{") {
        // `\pL` is shorthand for `\p{L}`.
        out += `\\${n}{${body[i + 2] ?? ""}}`;
        i += 2;
      } else if (n === "C") {
        throw new Error(`RE2 pattern ${JSON.stringify(pattern)}: \\C is not supported`);
      } else if (/[0-9A-Za-z]/.test(n) && !"dDsSwWbBtnrfvpPx0".includes(n)) {
        throw new Error(`RE2 pattern ${JSON.stringify(pattern)}: unsupported escape \\${n}`);
      } else if (n === "s" || n === "S") {
        // Go's \s is ASCII whitespace without \v; ECMAScript's also takes \v and Unicode spaces.
        out += inClass ? (n === "s" ? "\\t\\n\\f\\r " : "\\S") : n === "s" ? "[\\t\\n\\f\\r ]" : "[^\\t\\n\\f\\r ]";
        i++;
      } else if (/[0-9A-Za-z]/.test(n)) {
        out += c + n;
        i++;
      } else {
        // Escaped punctuation: ECMAScript's `u` mode only accepts escapes of syntax characters (and `-` in classes).
        out += /[\\^$.*+?()[\]{}|/]/.test(n) || (n === "-" && inClass) ? c + n : escapeLiteral(n);
        i++;
      }
      continue;
    }
    if (inClass) {
      if (c === "[" && body[i + 1] === ":") {
        const end = body.indexOf(":]", i + 2);
        const name = end < 0 ? "" : body.slice(i + 2, end);
        const negated = name.startsWith("^");
        const set = posixClasses[negated ? name.slice(1) : name];
        if (set === undefined) throw new Error(`RE2 pattern ${JSON.stringify(pattern)}: unknown class [:${name}:]`);
        if (negated) throw new Error(`RE2 pattern ${JSON.stringify(pattern)}: negated POSIX classes are not supported`);
        out += set;
        i = end + 1;
        continue;
      }
      if (c === "]") inClass = false;
      // In `u` mode a literal `[`, `{`, `}`, `/`, `|`, `(`, `)` inside a class is fine; `-` keeps its range meaning.
      out += c === "[" ? "\\[" : c;
      continue;
    }
    if (c === "[") {
      inClass = true;
      out += c;
      if (body[i + 1] === "^") {
        out += "^";
        i++;
      }
      // A `]` right after the opening bracket is a literal in RE2.
      if (body[i + 1] === "]") {
        out += "\\]";
        i++;
      }
      continue;
    }
    if (c === "(" && body[i + 1] === "?") {
      if (body[i + 2] === "P" && body[i + 3] === "<") {
        out += "(?<";
        i += 3;
        continue;
      }
      if (body[i + 2] === ":" ) {
        out += "(?:";
        i += 2;
        continue;
      }
      if (body[i + 2] === "<") {
        out += "(?<";
        i += 2;
        continue;
      }
      throw new Error(`RE2 pattern ${JSON.stringify(pattern)}: inline flags inside the pattern are not supported`);
    }
    if (c === "/") {
      out += "\\/";
      continue;
    }
    if (c === ".") {
      // Go's `.` excludes only \n (nothing under (?s)); ECMAScript's also excludes \r, U+2028 and U+2029.
      out += flags.includes("s") ? "[\\s\\S]" : "[^\\n]";
      continue;
    }
    out += c;
  }
  let regexp: RegExp;
  try {
    regexp = new RegExp(out, flags);
  } catch (error) {
    throw new Error(`RE2 pattern ${JSON.stringify(pattern)} has no ECMAScript equivalent: ${(error as Error).message}`);
  }
  return { source: pattern, regexp, backtracks: starHeight(out) > 1 };
}

/**
 * How deeply unbounded repetitions nest in a (translated) pattern: `a*` is 1, `(a+)*` is 2. `?` and `{n}` do not
 * repeat, so they do not add height. A heuristic: alternations of overlapping branches under one star can also
 * backtrack, but no pattern in Envoy's API has them.
 */
function starHeight(source: string): number {
  const stack: number[] = [0];
  let max = 0;
  let lastGroupHeight = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === "\\") {
      i++;
      lastGroupHeight = 0;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      continue;
    }
    if (c === "[") {
      inClass = true;
      lastGroupHeight = 0;
    } else if (c === "(") {
      stack.push(0);
      if (source[i + 1] === "?") {
        // Skip the group's prefix: `(?:`, `(?=`, `(?!`, `(?<name>`, `(?<=`, `(?<!`.
        const close = source[i + 2] === "<" && /[A-Za-z_]/.test(source[i + 3] ?? "") ? source.indexOf(">", i) : i + (source[i + 2] === "<" ? 3 : 2);
        i = close;
      }
    } else if (c === ")") {
      lastGroupHeight = stack.pop() ?? 0;
      const top = stack.length - 1;
      stack[top] = Math.max(stack[top] ?? 0, lastGroupHeight);
    } else if (c === "*" || c === "+" || c === "{") {
      let repeats = true;
      if (c === "{") {
        const end = source.indexOf("}", i);
        repeats = end > i && source.slice(i, end).includes(",");
        if (end > i) i = end;
      }
      const height = lastGroupHeight + (repeats ? 1 : 0);
      const top = stack.length - 1;
      stack[top] = Math.max(stack[top] ?? 0, height);
      max = Math.max(max, height);
      lastGroupHeight = 0;
    } else if (c !== "?") {
      lastGroupHeight = 0;
    }
  }
  return Math.max(max, stack[0] ?? 0);
}
