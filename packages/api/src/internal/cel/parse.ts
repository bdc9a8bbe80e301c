// A parser for the subset of CEL (Common Expression Language) that Kubernetes CRD validation rules use:
// literals, lists, member access, indexing, calls, macros (has, all, exists, exists_one, filter, map),
// unary/binary operators and the conditional operator.

/** A CEL syntax tree node. */
export type CelExpr =
  | { readonly t: "lit"; readonly value: unknown }
  | { readonly t: "ident"; readonly name: string }
  | { readonly t: "list"; readonly items: ReadonlyArray<CelExpr> }
  | { readonly t: "map"; readonly entries: ReadonlyArray<readonly [CelExpr, CelExpr]> }
  | { readonly t: "select"; readonly target: CelExpr; readonly field: string }
  | { readonly t: "index"; readonly target: CelExpr; readonly index: CelExpr }
  | { readonly t: "call"; readonly target: CelExpr | null; readonly fn: string; readonly args: ReadonlyArray<CelExpr> }
  | { readonly t: "unary"; readonly op: "!" | "-"; readonly arg: CelExpr }
  | { readonly t: "binary"; readonly op: string; readonly left: CelExpr; readonly right: CelExpr }
  | { readonly t: "cond"; readonly test: CelExpr; readonly then: CelExpr; readonly else: CelExpr };

type Token =
  | { readonly k: "num"; readonly v: number; readonly double: boolean }
  | { readonly k: "str"; readonly v: string }
  | { readonly k: "id"; readonly v: string }
  | { readonly k: "op"; readonly v: string }
  | { readonly k: "eof" };

/** Thrown for expressions outside the supported grammar. */
export class CelSyntaxError extends Error {}

const OPS = ["==", "!=", "<=", ">=", "&&", "||", "<", ">", "+", "-", "*", "/", "%", "!", "?", ":", ".", ",", "(", ")", "[", "]", "{", "}"];

function decodeEscapes(body: string): string {
  return body.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|x[0-9a-fA-F]{2}|[0-7]{3}|.)/gs, (_, e: string) => {
    switch (e[0]) {
      case "n":
        return "\n";
      case "t":
        return "\t";
      case "r":
        return "\r";
      case "a":
        return "\x07";
      case "b":
        return "\b";
      case "f":
        return "\f";
      case "v":
        return "\v";
      case "u":
      case "U":
      case "x":
        return String.fromCodePoint(parseInt(e.slice(1), 16));
      default:
        return /^[0-7]{3}$/.test(e) ? String.fromCodePoint(parseInt(e, 8)) : e;
    }
  });
}

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    // string literals, optionally raw (r/R prefix), optionally triple-quoted
    const raw = (c === "r" || c === "R") && (src[i + 1] === "'" || src[i + 1] === '"');
    if (raw || c === "'" || c === '"') {
      const start = raw ? i + 1 : i;
      const q = src[start]!;
      const triple = src.startsWith(q.repeat(3), start);
      const delim = triple ? q.repeat(3) : q;
      let j = start + delim.length;
      let body = "";
      for (;;) {
        if (j >= src.length) throw new CelSyntaxError("unterminated string");
        if (!raw && src[j] === "\\") {
          body += src.slice(j, j + 2);
          j += 2;
          continue;
        }
        if (src.startsWith(delim, j)) break;
        body += src[j];
        j++;
      }
      out.push({ k: "str", v: raw ? body : decodeEscapes(body) });
      i = j + delim.length;
      continue;
    }
    const num = /^(\d+\.\d+([eE][+-]?\d+)?|\d+[eE][+-]?\d+|0x[0-9a-fA-F]+|\d+)[uU]?/.exec(src.slice(i));
    if (num) {
      const text = num[0].replace(/[uU]$/, "");
      out.push({ k: "num", v: Number(text), double: /[.eE]/.test(text) && !text.startsWith("0x") });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (id) {
      out.push({ k: "id", v: id[0] });
      i += id[0].length;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new CelSyntaxError(`unexpected character ${JSON.stringify(c)}`);
    out.push({ k: "op", v: op });
    i += op.length;
  }
  out.push({ k: "eof" });
  return out;
}

class Parser {
  private pos = 0;
  constructor(private readonly toks: Token[]) {}

  private peek(): Token {
    return this.toks[this.pos]!;
  }
  private isOp(v: string): boolean {
    const t = this.peek();
    return t.k === "op" && t.v === v;
  }
  private isId(v: string): boolean {
    const t = this.peek();
    return t.k === "id" && t.v === v;
  }
  private expect(v: string): void {
    if (!this.isOp(v)) throw new CelSyntaxError(`expected ${v}`);
    this.pos++;
  }

  parseAll(): CelExpr {
    const e = this.expr();
    if (this.peek().k !== "eof") throw new CelSyntaxError("trailing input");
    return e;
  }

  private expr(): CelExpr {
    const test = this.or();
    if (this.isOp("?")) {
      this.pos++;
      const then = this.or();
      this.expect(":");
      const els = this.expr();
      return { t: "cond", test, then, else: els };
    }
    return test;
  }
  private or(): CelExpr {
    let left = this.and();
    while (this.isOp("||")) {
      this.pos++;
      left = { t: "binary", op: "||", left, right: this.and() };
    }
    return left;
  }
  private and(): CelExpr {
    let left = this.rel();
    while (this.isOp("&&")) {
      this.pos++;
      left = { t: "binary", op: "&&", left, right: this.rel() };
    }
    return left;
  }
  private rel(): CelExpr {
    let left = this.add();
    for (;;) {
      const t = this.peek();
      if (t.k === "op" && ["==", "!=", "<", "<=", ">", ">="].includes(t.v)) {
        this.pos++;
        left = { t: "binary", op: t.v, left, right: this.add() };
      } else if (this.isId("in")) {
        this.pos++;
        left = { t: "binary", op: "in", left, right: this.add() };
      } else return left;
    }
  }
  private add(): CelExpr {
    let left = this.mul();
    for (;;) {
      const t = this.peek();
      if (t.k === "op" && (t.v === "+" || t.v === "-")) {
        this.pos++;
        left = { t: "binary", op: t.v, left, right: this.mul() };
      } else return left;
    }
  }
  private mul(): CelExpr {
    let left = this.unary();
    for (;;) {
      const t = this.peek();
      if (t.k === "op" && (t.v === "*" || t.v === "/" || t.v === "%")) {
        this.pos++;
        left = { t: "binary", op: t.v, left, right: this.unary() };
      } else return left;
    }
  }
  private unary(): CelExpr {
    if (this.isOp("!")) {
      this.pos++;
      return { t: "unary", op: "!", arg: this.unary() };
    }
    if (this.isOp("-")) {
      this.pos++;
      return { t: "unary", op: "-", arg: this.unary() };
    }
    return this.member();
  }
  private args(): CelExpr[] {
    this.expect("(");
    const args: CelExpr[] = [];
    if (!this.isOp(")")) {
      args.push(this.expr());
      while (this.isOp(",")) {
        this.pos++;
        args.push(this.expr());
      }
    }
    this.expect(")");
    return args;
  }
  private member(): CelExpr {
    let e = this.primary();
    for (;;) {
      if (this.isOp(".")) {
        this.pos++;
        const t = this.peek();
        if (t.k !== "id") throw new CelSyntaxError("expected field name");
        this.pos++;
        e = this.isOp("(") ? { t: "call", target: e, fn: t.v, args: this.args() } : { t: "select", target: e, field: t.v };
      } else if (this.isOp("[")) {
        this.pos++;
        const index = this.expr();
        this.expect("]");
        e = { t: "index", target: e, index };
      } else return e;
    }
  }
  private primary(): CelExpr {
    const t = this.peek();
    this.pos++;
    switch (t.k) {
      case "num":
        return { t: "lit", value: t.v };
      case "str":
        return { t: "lit", value: t.v };
      case "id":
        if (t.v === "true") return { t: "lit", value: true };
        if (t.v === "false") return { t: "lit", value: false };
        if (t.v === "null") return { t: "lit", value: null };
        if (this.isOp("(")) return { t: "call", target: null, fn: t.v, args: this.args() };
        return { t: "ident", name: t.v };
      case "op":
        if (t.v === "(") {
          const e = this.expr();
          this.expect(")");
          return e;
        }
        if (t.v === "[") {
          const items: CelExpr[] = [];
          if (!this.isOp("]")) {
            items.push(this.expr());
            while (this.isOp(",")) {
              this.pos++;
              if (this.isOp("]")) break;
              items.push(this.expr());
            }
          }
          this.expect("]");
          return { t: "list", items };
        }
        if (t.v === "{") {
          const entries: Array<readonly [CelExpr, CelExpr]> = [];
          while (!this.isOp("}")) {
            const k = this.expr();
            this.expect(":");
            entries.push([k, this.expr()]);
            if (this.isOp(",")) this.pos++;
          }
          this.expect("}");
          return { t: "map", entries };
        }
        throw new CelSyntaxError(`unexpected ${t.v}`);
      case "eof":
        throw new CelSyntaxError("unexpected end of expression");
    }
  }
}

const cache = new Map<string, CelExpr | CelSyntaxError>();

/** Parses a CEL expression (cached per source text). Throws {@link CelSyntaxError} outside the subset. */
export function parseCel(src: string): CelExpr {
  let e = cache.get(src);
  if (e === undefined) {
    try {
      e = new Parser(tokenize(src)).parseAll();
    } catch (err) {
      e = err instanceof CelSyntaxError ? err : new CelSyntaxError(String(err));
    }
    cache.set(src, e);
  }
  if (e instanceof CelSyntaxError) throw e;
  return e;
}
