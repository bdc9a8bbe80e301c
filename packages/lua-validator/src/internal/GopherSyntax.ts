// Syntax errors in gopher-lua's words. Upstream validates with gopher-lua (Lua 5.1), whose parser reports
// "<string> line:L(column:C) near 'TOKEN':   syntax error" with the column where the offending token ends,
// while the VM here (Lua 5.4) reports "<string>:L: 'then' expected near 'TOKEN'". A scanner that reads source
// the way gopher-lua's does gives the token positions (and gopher-lua's own lexical errors); Lua 5.4's message
// says which token the parser stopped at. Lua 5.4 syntax that Lua 5.1 lacks (`//`, shifts, bitwise operators,
// local attributes) is reported where gopher-lua would stop.

/** Name gopher-lua gives chunks run with DoString / LoadString. */
const chunkName = "<string>";

/** A token as gopher-lua's scanner sees it: its text (strings unescaped), where it ends, and its raw text. */
interface Token {
  readonly text: string;
  readonly raw: string;
  readonly line: number;
  /** 1-based column of the token's last byte on its last line (gopher-lua's scanner position after it). */
  readonly column: number;
  /** Byte offset of the token's first byte. */
  readonly start: number;
  /** Byte offset just past the token. */
  readonly end: number;
}

/** A place gopher-lua stops parsing, and why. */
interface Stop {
  readonly line: number;
  readonly column: number;
  readonly near: string;
  readonly message: string;
  /** The scanner ran off the end of the source (gopher-lua then says "at EOF"). */
  readonly atEOF: boolean;
}

const EOF = -1;
const isDecimal = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isHex = (c: number): boolean => isDecimal(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
const isIdent = (c: number, first: boolean): boolean => c === 0x5f || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (!first && isDecimal(c));

const escapes: Record<string, string> = { a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\", '"': '"', "'": "'", "\n": "\n" };

class LexError extends Error {
  constructor(readonly stop: Stop) {
    super(stop.message);
  }
}

/** gopher-lua's scanner over the source bytes: tokens in order, or the lexical error that stops it. */
function scan(source: string): { tokens: Token[]; error?: Stop } {
  const bytes = Buffer.from(source, "utf8");
  let offset = 0;
  let line = 1;
  let column = 0;
  const peek = (): number => (offset < bytes.length ? (bytes[offset] as number) : EOF);
  const next = (): number => {
    if (offset >= bytes.length) {
      line = EOF;
      column = 0;
      return EOF;
    }
    const c = bytes[offset++] as number;
    if (c === 0x0a || c === 0x0d) {
      line++;
      column = 0;
      const n = peek();
      if ((c === 0x0a && n === 0x0d) || (c === 0x0d && n === 0x0a)) offset++;
      return 0x0a;
    }
    column++;
    return c;
  };
  const fail = (near: string, message: string): never => {
    throw new LexError({ line, column, near, message, atEOF: line === EOF });
  };
  const longBracket = (open: number): string => {
    let level = 0;
    let c = open;
    while (c === 0x3d) {
      level++;
      c = next();
    }
    if (c !== 0x5b) fail(String.fromCharCode(Math.max(c, 0)), "invalid multiline string");
    let out = "";
    c = next();
    if (c === 0x0a) c = next();
    for (;;) {
      if (c === EOF) fail(out, "unterminated multiline string");
      if (c === 0x5d) {
        let closing = 0;
        c = next();
        while (c === 0x3d) {
          closing++;
          c = next();
        }
        if (closing === level && c === 0x5d) return out;
        out += "]" + "=".repeat(closing);
        continue;
      }
      out += String.fromCharCode(c);
      c = next();
    }
  };
  const tokens: Token[] = [];
  try {
    for (;;) {
      let c = next();
      while (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0b || c === 0x0c) c = next();
      if (c === EOF) break;
      const start = offset - 1;
      let text: string;
      if (isIdent(c, true)) {
        text = String.fromCharCode(c);
        while (isIdent(peek(), false)) text += String.fromCharCode(next());
      } else if (isDecimal(c) || (c === 0x2e && isDecimal(peek()))) {
        text = String.fromCharCode(c);
        if (c === 0x30 && (peek() === 0x78 || peek() === 0x58)) {
          text += String.fromCharCode(next());
          let digits = false;
          while (isHex(peek())) {
            text += String.fromCharCode(next());
            digits = true;
          }
          if (!digits) fail(text, "illegal hexadecimal number");
        } else {
          while (isDecimal(peek())) text += String.fromCharCode(next());
          if (peek() === 0x2e) {
            text += String.fromCharCode(next());
            while (isDecimal(peek())) text += String.fromCharCode(next());
          }
          if (peek() === 0x65 || peek() === 0x45) {
            text += String.fromCharCode(next());
            if (peek() === 0x2d || peek() === 0x2b) text += String.fromCharCode(next());
            while (isDecimal(peek())) text += String.fromCharCode(next());
          }
        }
      } else if (c === 0x2d && peek() === 0x2d) {
        next();
        if (peek() === 0x5b) {
          next();
          if (peek() === 0x5b || peek() === 0x3d) {
            try {
              longBracket(next());
            } catch (e) {
              if (e instanceof LexError) fail(e.stop.near, "invalid multiline comment");
              throw e;
            }
            continue;
          }
        }
        while (peek() !== 0x0a && peek() !== 0x0d && peek() !== EOF) next();
        continue;
      } else if (c === 0x22 || c === 0x27) {
        text = "";
        let ch = next();
        while (ch !== c) {
          if (ch === 0x0a || ch === EOF) fail(text, "unterminated string");
          if (ch === 0x5c) {
            const e = next();
            const key = String.fromCharCode(Math.max(e, 0));
            if (isDecimal(e)) {
              let digits = key;
              for (let i = 0; i < 2 && isDecimal(peek()); i++) digits += String.fromCharCode(next());
              text += String.fromCharCode(Number(digits) & 0xff);
            } else text += escapes[key] ?? key;
          } else text += String.fromCharCode(ch);
          ch = next();
        }
      } else if (c === 0x5b && (peek() === 0x5b || peek() === 0x3d)) {
        text = longBracket(next());
      } else if (c === 0x3d || c === 0x3c || c === 0x3e) {
        text = String.fromCharCode(c);
        if (peek() === 0x3d) text += String.fromCharCode(next());
      } else if (c === 0x7e) {
        if (peek() !== 0x3d) fail("~", "Invalid '~' token");
        next();
        text = "~=";
      } else if (c === 0x2e) {
        // gopher-lua leaves a lone '.' with empty text.
        text = "";
        if (peek() === 0x2e) {
          next();
          text = "..";
          if (peek() === 0x2e) {
            next();
            text = "...";
          }
        }
      } else if (c === 0x3a) {
        text = ":";
        if (peek() === 0x3a) text += String.fromCharCode(next());
      } else if ("+-*/%^#(){}[];,".includes(String.fromCharCode(c))) {
        text = String.fromCharCode(c);
      } else {
        fail(String.fromCharCode(c), "Invalid token");
      }
      const raw = bytes.subarray(start, offset).toString("utf8");
      tokens.push({ text: text!, raw, line, column, start, end: offset });
    }
  } catch (e) {
    if (e instanceof LexError) return { tokens, error: e.stop };
    throw e;
  }
  return { tokens };
}

/** Where gopher-lua's Lua 5.1 parser stops on syntax that Lua 5.4 accepts, if anywhere. */
function newerSyntax(tokens: ReadonlyArray<Token>): Stop | undefined {
  for (let i = 1; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    const prev = tokens[i - 1] as Token;
    const adjacent = prev.end === t.start;
    const doubled = adjacent && prev.raw === t.raw && (t.raw === "/" || t.raw === "<" || t.raw === ">");
    const attribute = t.raw === "<" && i >= 2 && (tokens[i - 2] as Token).raw === "local" && isIdent(prev.raw.charCodeAt(0), true);
    if (doubled || attribute) return { line: t.line, column: t.column, near: t.text, message: "syntax error", atEOF: false };
  }
  return undefined;
}

const before = (a: Stop, b: Stop): boolean => !a.atEOF && (b.atEOF || a.line < b.line || (a.line === b.line && a.column < b.column));

/** Where Lua 5.4's parser stopped, from its message and the tokens. */
function luaStop(tokens: ReadonlyArray<Token>, luaMessage: string): Stop | undefined {
  const m = /^<string>:(\d+): (.*) near (<eof>|'(.*)')$/s.exec(luaMessage);
  if (m === null) return undefined;
  if (m[3] === "<eof>") return { line: EOF, column: 0, near: "", message: "syntax error", atEOF: true };
  const line = Number(m[1]);
  const near = m[4] ?? "";
  const onLine = tokens.filter((t) => t.line === line);
  const token = onLine.find((t) => t.raw === near);
  if (token === undefined) return undefined;
  return { line, column: token.column, near: token.text, message: "syntax error", atEOF: false };
}

function format(stop: Stop): string {
  if (stop.atEOF) return `${chunkName} at EOF:   ${stop.message}\n`;
  return `${chunkName} line:${stop.line}(column:${stop.column}) near '${stop.near}':   ${stop.message}\n`;
}

/**
 * gopher-lua's own stop for the source, before anything Lua 5.4 reports: a lexical error or Lua 5.4-only
 * syntax. Undefined when gopher-lua's scanner and the 5.1 grammar checks here find nothing.
 */
export function gopherOnlyStop(source: string): { readonly stop?: Stop; readonly tokens: ReadonlyArray<Token> } {
  const { tokens, error } = scan(source);
  const newer = newerSyntax(tokens);
  const stop = error !== undefined && newer !== undefined ? (before(newer, error) ? newer : error) : (error ?? newer);
  return stop !== undefined ? { stop, tokens } : { tokens };
}

/**
 * The syntax error gopher-lua would report for the source, given Lua 5.4's syntax error message (if Lua
 * 5.4 found one) and what the gopher-lua scanner found.
 */
export function gopherSyntaxError(source: string, luaMessage: string | undefined): string | undefined {
  const { stop, tokens } = gopherOnlyStop(source);
  const lua = luaMessage !== undefined ? luaStop(tokens, luaMessage) : undefined;
  if (lua !== undefined && (stop === undefined || before(lua, stop) || (stop.atEOF && lua.atEOF))) return format(lua);
  if (stop !== undefined) return format(stop);
  // A message the scanner cannot place: keep Lua's words rather than inventing a position.
  return luaMessage;
}
