import type { CelConstant, CelExpr, CelStructEntry, ParsedCel } from "./ast.js";

/**
 * A CEL parser producing the AST in `cel.expr` form with the node ids and source positions the reference
 * parser (cel-go) assigns, so Envoy's pre-parsed CEL matches upstream's byte for byte; macros (has, all,
 * exists, exists_one/existsOne, map, filter) are expanded as cel-go expands them.
 */

const MAX_CODE_POINTS = 100_000;
const MAX_DEPTH = 250;

/** Words the lexer makes tokens of their own, so they never name a field. */
const KEYWORDS = new Set(["in", "true", "false", "null"]);

const RESERVED = new Set([
  "as",
  "break",
  "const",
  "continue",
  "else",
  "false",
  "for",
  "function",
  "if",
  "import",
  "in",
  "let",
  "loop",
  "package",
  "namespace",
  "null",
  "return",
  "true",
  "var",
  "void",
  "while",
]);

/** The fold accumulator cel-go names by default (since v0.23); the older name may not be an iteration variable either. */
const ACCUMULATOR = "@result";
const LEGACY_ACCUMULATOR = "__result__";

type TokenKind = "ident" | "int" | "uint" | "double" | "string" | "bytes" | "punct" | "eof";

interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  /** Offset in code points. */
  readonly offset: number;
  /** Decoded value of string and bytes literals. */
  readonly value?: string | Uint8Array;
}

const PUNCTUATION = ["==", "!=", "<=", ">=", "&&", "||", "<", ">", "!", "?", ":", "+", "-", "*", "/", "%", ".", "(", ")", "[", "]", "{", "}", ","];

const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";
const isHex = (c: string | undefined) => c !== undefined && /^[0-9a-fA-F]$/.test(c);
const isIdentStart = (c: string | undefined) => c !== undefined && /^[_a-zA-Z]$/.test(c);
const isIdentPart = (c: string | undefined) => c !== undefined && /^[_a-zA-Z0-9]$/.test(c);

/** A syntax error with its position. */
export class CelSyntaxError extends Error {}

function tokenize(cps: readonly string[]): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const fail = (msg: string, at: number): never => {
    throw new CelSyntaxError(`${msg} at offset ${at}`);
  };
  while (i < cps.length) {
    const c = cps[i] as string;
    if (c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\f") {
      i++;
      continue;
    }
    if (c === "/" && cps[i + 1] === "/") {
      while (i < cps.length && cps[i] !== "\n") i++;
      continue;
    }
    const start = i;
    // String and bytes literals, with optional r (raw) and b (bytes) prefixes in either order.
    let j = i;
    let raw = false;
    let bytes = false;
    while (j < cps.length && j - i < 2 && /^[rRbB]$/.test(cps[j] as string)) {
      if (/[rR]/.test(cps[j] as string)) raw = true;
      else bytes = true;
      j++;
    }
    if (cps[j] === '"' || cps[j] === "'") {
      const quote = cps[j] as string;
      const triple = cps[j + 1] === quote && cps[j + 2] === quote;
      const delim = triple ? quote.repeat(3) : quote;
      let k = j + delim.length;
      const body: string[] = [];
      for (;;) {
        if (k >= cps.length) fail("unterminated string literal", start);
        if (cps.slice(k, k + delim.length).join("") === delim) break;
        if (!triple && (cps[k] === "\n" || cps[k] === "\r")) fail("newline in string literal", start);
        if (cps[k] === "\\" && !raw) {
          body.push(cps[k] as string, cps[k + 1] ?? "");
          k += 2;
          continue;
        }
        body.push(cps[k] as string);
        k++;
      }
      const text = cps.slice(start, k + delim.length).join("");
      const value = raw ? body.join("") : decodeEscapes(body, bytes, start);
      tokens.push({ kind: bytes ? "bytes" : "string", text, offset: start, value: bytes ? encodeBytes(value) : value });
      i = k + delim.length;
      continue;
    }
    if (isIdentStart(c)) {
      while (isIdentPart(cps[i])) i++;
      tokens.push({ kind: "ident", text: cps.slice(start, i).join(""), offset: start });
      continue;
    }
    if (isDigit(c) || (c === "." && isDigit(cps[i + 1]))) {
      if (c === "0" && (cps[i + 1] === "x" || cps[i + 1] === "X")) {
        i += 2;
        while (isHex(cps[i])) i++;
        if (cps[i] === "u" || cps[i] === "U") {
          i++;
          tokens.push({ kind: "uint", text: cps.slice(start, i).join(""), offset: start });
        } else tokens.push({ kind: "int", text: cps.slice(start, i).join(""), offset: start });
        continue;
      }
      let isFloat = false;
      while (isDigit(cps[i])) i++;
      if (cps[i] === "." && isDigit(cps[i + 1])) {
        isFloat = true;
        i++;
        while (isDigit(cps[i])) i++;
      }
      if ((cps[i] === "e" || cps[i] === "E") && (isDigit(cps[i + 1]) || ((cps[i + 1] === "+" || cps[i + 1] === "-") && isDigit(cps[i + 2])))) {
        isFloat = true;
        i += 2;
        while (isDigit(cps[i])) i++;
      }
      if (!isFloat && (cps[i] === "u" || cps[i] === "U")) {
        i++;
        tokens.push({ kind: "uint", text: cps.slice(start, i).join(""), offset: start });
        continue;
      }
      tokens.push({ kind: isFloat ? "double" : "int", text: cps.slice(start, i).join(""), offset: start });
      continue;
    }
    const two = c + (cps[i + 1] ?? "");
    const p = PUNCTUATION.find((x) => (x.length === 2 ? x === two : x === c));
    if (p === undefined) fail(`unexpected character ${JSON.stringify(c)}`, start);
    tokens.push({ kind: "punct", text: p as string, offset: start });
    i += (p as string).length;
  }
  tokens.push({ kind: "eof", text: "", offset: cps.length });
  return tokens;
}

const encodeBytes = (latin: string): Uint8Array => Uint8Array.from(Array.from(latin, (ch) => ch.codePointAt(0) as number));

/** Decodes CEL escapes; for bytes, non-ASCII text becomes its UTF-8 bytes and \x/octal escapes single bytes. */
function decodeEscapes(body: readonly string[], bytes: boolean, at: number): string {
  let out = "";
  const utf8 = (ch: string) => (bytes ? Array.from(new TextEncoder().encode(ch), (b) => String.fromCharCode(b)).join("") : ch);
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c !== "\\") {
      out += utf8(c);
      continue;
    }
    const e = body[++i] ?? "";
    const simple: Record<string, string> = {
      a: "\x07",
      b: "\b",
      f: "\f",
      n: "\n",
      r: "\r",
      t: "\t",
      v: "\v",
      "\\": "\\",
      "'": "'",
      '"': '"',
      "`": "`",
      "?": "?",
    };
    if (e in simple) {
      out += simple[e];
      continue;
    }
    const hexRun = (n: number) => {
      const h = body.slice(i + 1, i + 1 + n).join("");
      if (h.length !== n || !/^[0-9a-fA-F]+$/.test(h)) throw new CelSyntaxError(`invalid escape sequence at offset ${at}`);
      i += n;
      return parseInt(h, 16);
    };
    if (e === "x" || e === "X") {
      const v = hexRun(2);
      out += bytes ? String.fromCharCode(v) : String.fromCodePoint(v);
    } else if ((e === "u" || e === "U") && !bytes) {
      const v = hexRun(e === "u" ? 4 : 8);
      if ((v >= 0xd800 && v <= 0xdfff) || v > 0x10ffff) throw new CelSyntaxError(`invalid unicode code point at offset ${at}`);
      out += String.fromCodePoint(v);
    } else if (/^[0-3]$/.test(e)) {
      const o = body.slice(i, i + 3).join("");
      if (!/^[0-7]{3}$/.test(o)) throw new CelSyntaxError(`invalid octal escape at offset ${at}`);
      i += 2;
      out += bytes ? String.fromCharCode(parseInt(o, 8)) : String.fromCodePoint(parseInt(o, 8));
    } else throw new CelSyntaxError(`invalid escape sequence \\${e} at offset ${at}`);
  }
  return out;
}

class Parser {
  private pos = 0;
  private nextId = 1;
  private depth = 0;
  readonly positions: Record<string, number> = {};

  constructor(private readonly tokens: readonly Token[]) {}

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.pos + ahead, this.tokens.length - 1)] as Token;
  }
  private next(): Token {
    const t = this.peek();
    if (t.kind !== "eof") this.pos++;
    return t;
  }
  private isPunct(text: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === "punct" && t.text === text;
  }
  private expect(text: string): Token {
    const t = this.next();
    if (t.kind !== "punct" || t.text !== text)
      throw new CelSyntaxError(`expected '${text}' at offset ${t.offset}, found ${t.text === "" ? "end of input" : `'${t.text}'`}`);
    return t;
  }
  /** A fresh node id, recording where its token starts. */
  private id(offset: number): string {
    const id = String(this.nextId++);
    this.positions[id] = offset;
    return id;
  }
  private enter(): void {
    if (++this.depth > MAX_DEPTH) throw new CelSyntaxError("max recursion depth exceeded");
  }

  parseAll(): CelExpr {
    const e = this.expr();
    const t = this.peek();
    if (t.kind !== "eof") throw new CelSyntaxError(`unexpected '${t.text}' at offset ${t.offset}`);
    return e;
  }

  private call(id: string, fn: string, args: CelExpr[], target?: CelExpr): CelExpr {
    if (target === undefined && fn === "has" && args.length === 1) return this.presenceTest(id, args[0] as CelExpr);
    if (target !== undefined) {
      const expanded = this.comprehension(id, fn, target, args);
      if (expanded !== undefined) return expanded;
    }
    return { id, exprKind: { $case: "callExpr", value: { function: fn, args, ...(target !== undefined ? { target } : {}) } } } as CelExpr;
  }

  /**
   * `has(a.b)`: a presence-test select under a fresh id placed where the call was; the call's own id
   * loses its position, as cel-go's macro expansion leaves it.
   */
  private presenceTest(callId: string, arg: CelExpr): CelExpr {
    if (arg.exprKind?.$case !== "selectExpr") throw new CelSyntaxError("invalid argument to has() macro");
    const id = String(this.nextId++);
    this.positions[id] = this.positions[callId] as number;
    delete this.positions[callId];
    const { operand, field } = arg.exprKind.value;
    return { id, exprKind: { $case: "selectExpr", value: { ...(operand !== undefined ? { operand } : {}), field, testOnly: true } } } as CelExpr;
  }

  /**
   * The comprehension macros. Every node they add gets a fresh id placed where the call was, allocated in
   * the order cel-go's expanders evaluate their arguments; the call's own id loses its position.
   */
  private comprehension(callId: string, fn: string, range: CelExpr, args: CelExpr[]): CelExpr | undefined {
    const arity = `${fn}/${args.length}`;
    if (!["all/2", "exists/2", "exists_one/2", "existsOne/2", "map/2", "map/3", "filter/2"].includes(arity)) return undefined;
    const iter = args[0] as CelExpr;
    if (iter.exprKind?.$case !== "identExpr") {
      throw new CelSyntaxError(fn === "map" || fn === "filter" ? "argument is not an identifier" : "argument must be a simple name");
    }
    const iterVar = iter.exprKind.value.name;
    if (iterVar === ACCUMULATOR || iterVar === LEGACY_ACCUMULATOR) throw new CelSyntaxError("iteration variable overwrites accumulator variable");
    const at = this.positions[callId] as number;
    const fresh = (): string => {
      const id = String(this.nextId++);
      this.positions[id] = at;
      return id;
    };
    const lit = (constantKind: CelConstant["constantKind"]): CelExpr => ({ id: fresh(), exprKind: { $case: "constExpr", value: { constantKind } } }) as CelExpr;
    const accu = (): CelExpr => ({ id: fresh(), exprKind: { $case: "identExpr", value: { name: ACCUMULATOR } } }) as CelExpr;
    // Arguments first, then the call's id: Go evaluates a call's arguments before the call.
    const call = (name: string, ...argList: Array<() => CelExpr>): CelExpr => {
      const built = argList.map((a) => a());
      return { id: fresh(), exprKind: { $case: "callExpr", value: { function: name, args: built } } } as CelExpr;
    };
    const list = (...elements: Array<() => CelExpr>): CelExpr => {
      const built = elements.map((e) => e());
      return { id: fresh(), exprKind: { $case: "listExpr", value: { elements: built, optionalIndices: [] } } } as CelExpr;
    };
    const arg = (i: number) => () => args[i] as CelExpr;
    const t = { $case: "boolValue" as const, value: true };
    let init: CelExpr;
    let condition: CelExpr;
    let step: CelExpr;
    let result: CelExpr;
    switch (arity) {
      case "all/2":
        init = lit(t);
        condition = call("@not_strictly_false", accu);
        step = call("_&&_", accu, arg(1));
        result = accu();
        break;
      case "exists/2":
        init = lit({ $case: "boolValue", value: false });
        condition = call("@not_strictly_false", () => call("!_", accu));
        step = call("_||_", accu, arg(1));
        result = accu();
        break;
      case "exists_one/2":
      case "existsOne/2":
        init = lit({ $case: "int64Value", value: "0" });
        condition = lit(t);
        step = call("_?_:_", arg(1), () => call("_+_", accu, () => lit({ $case: "int64Value", value: "1" })), accu);
        result = call("_==_", accu, () => lit({ $case: "int64Value", value: "1" }));
        break;
      case "filter/2": {
        init = list();
        condition = lit(t);
        const add = call("_+_", accu, () => list(arg(0)));
        step = call("_?_:_", arg(1), () => add, accu);
        result = accu();
        break;
      }
      default: {
        // map(x, fn) and map(x, filter, fn)
        init = list();
        condition = lit(t);
        const add = call("_+_", accu, () => list(arg(args.length - 1)));
        step = args.length === 3 ? call("_?_:_", arg(1), () => add, accu) : add;
        result = accu();
      }
    }
    const id = fresh();
    delete this.positions[callId];
    return {
      id,
      exprKind: {
        $case: "comprehensionExpr",
        value: { iterVar, iterVar2: "", iterRange: range, accuVar: ACCUMULATOR, accuInit: init, loopCondition: condition, loopStep: step, result },
      },
    } as CelExpr;
  }

  private expr(): CelExpr {
    this.enter();
    const cond = this.logical("||", "_||_", () => this.logical("&&", "_&&_", () => this.relation()));
    let out = cond;
    if (this.isPunct("?")) {
      const op = this.next();
      const id = this.id(op.offset);
      const ifTrue = this.logical("||", "_||_", () => this.logical("&&", "_&&_", () => this.relation()));
      this.expect(":");
      const ifFalse = this.expr();
      out = this.call(id, "_?_:_", [cond, ifTrue, ifFalse]);
    }
    this.depth--;
    return out;
  }

  /** `||` and `&&` chains, balanced as cel-go balances them (each operator's id assigned after its right term). */
  private logical(op: string, fn: string, term: () => CelExpr): CelExpr {
    const terms = [term()];
    const ops: string[] = [];
    while (this.isPunct(op)) {
      const tok = this.next();
      const next = term();
      ops.push(this.id(tok.offset));
      terms.push(next);
    }
    if (ops.length === 0) return terms[0] as CelExpr;
    const balanced = (lo: number, hi: number): CelExpr => {
      const mid = Math.floor((lo + hi + 1) / 2);
      const left = mid === lo ? (terms[mid] as CelExpr) : balanced(lo, mid - 1);
      const right = mid === hi ? (terms[mid + 1] as CelExpr) : balanced(mid + 1, hi);
      return this.call(ops[mid] as string, fn, [left, right]);
    };
    return balanced(0, ops.length - 1);
  }

  private static readonly RELATIONS: Readonly<Record<string, string>> = {
    "<": "_<_",
    "<=": "_<=_",
    ">": "_>_",
    ">=": "_>=_",
    "==": "_==_",
    "!=": "_!=_",
  };

  private relation(): CelExpr {
    let lhs = this.calc(0);
    for (;;) {
      const t = this.peek();
      const fn = t.kind === "punct" ? Parser.RELATIONS[t.text] : t.kind === "ident" && t.text === "in" ? "@in" : undefined;
      if (fn === undefined) return lhs;
      this.next();
      const id = this.id(t.offset);
      const rhs = this.calc(0);
      lhs = this.call(id, fn, [lhs, rhs]);
    }
  }

  private static readonly CALC: ReadonlyArray<Readonly<Record<string, string>>> = [
    { "+": "_+_", "-": "_-_" },
    { "*": "_*_", "/": "_/_", "%": "_%_" },
  ];

  private calc(level: number): CelExpr {
    if (level >= Parser.CALC.length) return this.unary();
    let lhs = this.calc(level + 1);
    for (;;) {
      const t = this.peek();
      const fn = t.kind === "punct" ? Parser.CALC[level]?.[t.text] : undefined;
      if (fn === undefined) return lhs;
      this.next();
      const id = this.id(t.offset);
      const rhs = this.calc(level + 1);
      lhs = this.call(id, fn, [lhs, rhs]);
    }
  }

  private unary(): CelExpr {
    const t = this.peek();
    if (t.kind === "punct" && (t.text === "!" || t.text === "-")) {
      // A minus directly before a number is part of the literal.
      if (t.text === "-" && (this.peek(1).kind === "int" || this.peek(1).kind === "double") && this.peek(1).offset >= t.offset) return this.member();
      const ops: Token[] = [];
      while (this.isPunct(t.text)) ops.push(this.next());
      const first = ops[0] as Token;
      if (ops.length % 2 === 0) return this.member();
      const id = this.id(first.offset);
      const target = this.member();
      return this.call(id, t.text === "!" ? "!_" : "-_", [target]);
    }
    return this.member();
  }

  private member(): CelExpr {
    this.enter();
    let e = this.primary();
    for (;;) {
      if (this.isPunct(".")) {
        const dot = this.next();
        const name = this.next();
        if (name.kind !== "ident" || KEYWORDS.has(name.text)) throw new CelSyntaxError(`expected a field name at offset ${name.offset}`);
        if (this.isPunct("(")) {
          const open = this.next();
          const id = this.id(open.offset);
          const args = this.exprList(")");
          e = this.call(id, name.text, args, e);
        } else {
          e = { id: this.id(dot.offset), exprKind: { $case: "selectExpr", value: { operand: e, field: name.text, testOnly: false } } } as CelExpr;
        }
      } else if (this.isPunct("[")) {
        const open = this.next();
        const id = this.id(open.offset);
        const index = this.expr();
        this.expect("]");
        e = this.call(id, "_[_]", [e, index]);
      } else break;
    }
    this.depth--;
    return e;
  }

  private exprList(close: string): CelExpr[] {
    const out: CelExpr[] = [];
    if (this.isPunct(close)) {
      this.next();
      return out;
    }
    for (;;) {
      out.push(this.expr());
      if (this.isPunct(",")) {
        this.next();
        if (this.isPunct(close)) break;
        continue;
      }
      break;
    }
    this.expect(close);
    return out;
  }

  private literal(t: Token, constant: CelConstant["constantKind"]): CelExpr {
    return { id: this.id(t.offset), exprKind: { $case: "constExpr", value: { constantKind: constant } } } as CelExpr;
  }

  private primary(): CelExpr {
    const t = this.next();
    switch (t.kind) {
      case "int":
      case "uint":
      case "double":
        return this.number(t, undefined);
      case "string":
        return this.literal(t, { $case: "stringValue", value: t.value as string });
      case "bytes":
        return this.literal(t, { $case: "bytesValue", value: Buffer.from(t.value as Uint8Array) });
      case "ident":
        return this.messageOrIdentifier(t, false);
      case "punct":
        break;
      default:
        throw new CelSyntaxError("unexpected end of input");
    }
    switch (t.text) {
      case "-": {
        const num = this.next();
        return this.number(num, t);
      }
      case ".": {
        const name = this.next();
        if (name.kind !== "ident") throw new CelSyntaxError(`expected an identifier at offset ${name.offset}`);
        return this.messageOrIdentifier(name, true);
      }
      case "(": {
        const e = this.expr();
        this.expect(")");
        return e;
      }
      case "[": {
        const id = this.id(t.offset);
        const elements = this.exprList("]");
        return { id, exprKind: { $case: "listExpr", value: { elements, optionalIndices: [] } } } as CelExpr;
      }
      case "{": {
        const id = this.id(t.offset);
        const entries: CelStructEntry[] = [];
        while (!this.isPunct("}")) {
          // cel-go numbers the entry (at its ':') before the key.
          const entryId = String(this.nextId++);
          const key = this.expr();
          const col = this.expect(":");
          this.positions[entryId] = col.offset;
          const value = this.expr();
          entries.push({ id: entryId, keyKind: { $case: "mapKey", value: key }, value, optionalEntry: false });
          if (!this.isPunct(",")) break;
          this.next();
        }
        this.expect("}");
        return { id, exprKind: { $case: "structExpr", value: { messageName: "", entries } } } as CelExpr;
      }
      default:
        throw new CelSyntaxError(`unexpected '${t.text}' at offset ${t.offset}`);
    }
  }

  private number(t: Token, minus: Token | undefined): CelExpr {
    const at = minus ?? t;
    const sign = minus !== undefined ? "-" : "";
    if (t.kind === "double") {
      const v = Number(sign + t.text);
      if (!Number.isFinite(v)) throw new CelSyntaxError(`invalid double literal at offset ${at.offset}`);
      return this.literal(at, { $case: "doubleValue", value: v });
    }
    if (t.kind === "uint") {
      if (minus !== undefined) throw new CelSyntaxError(`invalid uint literal at offset ${at.offset}`);
      const body = t.text.slice(0, -1);
      const v = BigInt(body);
      if (v > 18446744073709551615n) throw new CelSyntaxError(`invalid uint literal at offset ${at.offset}`);
      return this.literal(at, { $case: "uint64Value", value: v.toString() });
    }
    if (t.kind !== "int") throw new CelSyntaxError(`expected a number at offset ${t.offset}`);
    const v = t.text.startsWith("0x") || t.text.startsWith("0X") ? BigInt(t.text) : BigInt(t.text);
    const signed = minus !== undefined ? -v : v;
    if (signed > 9223372036854775807n || signed < -9223372036854775808n) throw new CelSyntaxError(`invalid int literal at offset ${at.offset}`);
    return this.literal(at, { $case: "int64Value", value: signed.toString() });
  }

  /** `a.b.Msg{field: value, ...}` when a qualified name is followed by '{'; otherwise an identifier or call. */
  private messageOrIdentifier(first: Token, leadingDot: boolean): CelExpr {
    let ahead = 0;
    const parts = [first.text];
    while (this.isPunct(".", ahead) && this.peek(ahead + 1).kind === "ident") {
      parts.push(this.peek(ahead + 1).text);
      ahead += 2;
    }
    if (!this.isPunct("{", ahead) || KEYWORDS.has(first.text)) return this.identifier(first, leadingDot);
    for (let i = 0; i < ahead; i++) this.next();
    const open = this.next();
    const id = this.id(open.offset);
    const entries: CelStructEntry[] = [];
    while (!this.isPunct("}")) {
      const field = this.next();
      if (field.kind !== "ident") throw new CelSyntaxError(`expected a field name at offset ${field.offset}`);
      const col = this.expect(":");
      const entryId = this.id(col.offset);
      const value = this.expr();
      entries.push({ id: entryId, keyKind: { $case: "fieldKey", value: field.text }, value, optionalEntry: false });
      if (!this.isPunct(",")) break;
      this.next();
    }
    this.expect("}");
    return { id, exprKind: { $case: "structExpr", value: { messageName: (leadingDot ? "." : "") + parts.join("."), entries } } } as CelExpr;
  }

  private identifier(t: Token, leadingDot: boolean): CelExpr {
    switch (t.text) {
      case "true":
        return this.literal(t, { $case: "boolValue", value: true });
      case "false":
        return this.literal(t, { $case: "boolValue", value: false });
      case "null":
        return this.literal(t, { $case: "nullValue", value: 0 });
      default:
    }
    if (RESERVED.has(t.text)) throw new CelSyntaxError(`reserved identifier: ${t.text}`);
    const name = (leadingDot ? "." : "") + t.text;
    if (this.isPunct("(")) {
      const open = this.next();
      const id = this.id(open.offset);
      return this.call(id, name, this.exprList(")"));
    }
    return { id: this.id(t.offset), exprKind: { $case: "identExpr", value: { name } } } as CelExpr;
  }
}

/** Parses a CEL expression as cel-go does: the AST with its ids, the node positions and the line offsets. */
export function parseCel(expression: string): ParsedCel {
  const cps = Array.from(expression);
  if (cps.length > MAX_CODE_POINTS) throw new CelSyntaxError(`expression code point size exceeds limit: size: ${cps.length}, limit ${MAX_CODE_POINTS}`);
  const parser = new Parser(tokenize(cps));
  const expr = parser.parseAll();
  const lineOffsets: number[] = [];
  let offset = 0;
  for (const line of expression.split("\n")) {
    offset += Array.from(line).length + 1;
    lineOffsets.push(offset);
  }
  return { expr, lineOffsets, positions: parser.positions };
}
