// A linear-time matcher for RE2 syntax (the regex dialect of Go, Kubernetes and Envoy): the pattern is
// compiled to an NFA program and run as a Pike VM, so no input can make it backtrack exponentially, as
// JavaScript's RegExp does on patterns like ^[!-~]+([\t ]?[!-~]+)*$. Only matching is supported (no
// capture extraction). Program size is bounded, so a hostile pattern cannot exhaust memory either.

/** Thrown for a pattern outside the supported RE2 syntax or over the size limit. */
export class Re2SyntaxError extends Error {}

type CharPred = (c: number) => boolean;

type Node =
  | { readonly t: "char"; readonly pred: CharPred }
  | { readonly t: "cat"; readonly items: ReadonlyArray<Node> }
  | { readonly t: "alt"; readonly items: ReadonlyArray<Node> }
  | { readonly t: "rep"; readonly item: Node; readonly min: number; readonly max: number } // max -1 = unbounded
  | { readonly t: "assert"; readonly kind: "bol" | "eol" | "wordb" | "nwordb" }
  | { readonly t: "empty" };

const isWord = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isDigit = (c: number) => c >= 48 && c <= 57;
const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);

const POSIX: Record<string, CharPred> = {
  alnum: (c) => isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122),
  alpha: (c) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122),
  ascii: (c) => c <= 0x7f,
  blank: (c) => c === 32 || c === 9,
  cntrl: (c) => c < 32 || c === 127,
  digit: isDigit,
  graph: (c) => c > 32 && c < 127,
  lower: (c) => c >= 97 && c <= 122,
  print: (c) => c >= 32 && c < 127,
  punct: (c) => (c > 32 && c < 48) || (c > 57 && c < 65) || (c > 90 && c < 97) || (c > 122 && c < 127),
  space: isSpace,
  upper: (c) => c >= 65 && c <= 90,
  word: isWord,
  xdigit: (c) => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102),
};

const MAX_REPEAT = 1000;

class Parser {
  private pos = 0;
  constructor(
    private readonly src: ReadonlyArray<number>,
    private foldCase: boolean,
  ) {}

  private peek(): number | undefined {
    return this.src[this.pos];
  }
  private eat(c: string): boolean {
    if (this.src[this.pos] === c.codePointAt(0)) {
      this.pos++;
      return true;
    }
    return false;
  }
  private fail(msg: string): never {
    throw new Re2SyntaxError(`${msg} at position ${this.pos}`);
  }

  parse(): Node {
    const n = this.alt();
    if (this.pos < this.src.length) this.fail("unexpected )");
    return n;
  }

  private alt(): Node {
    const items = [this.cat()];
    while (this.eat("|")) items.push(this.cat());
    return items.length === 1 ? items[0]! : { t: "alt", items };
  }

  private cat(): Node {
    const items: Node[] = [];
    for (;;) {
      const c = this.peek();
      if (c === undefined || c === 0x7c /* | */ || c === 0x29 /* ) */) break;
      const atom = this.atom();
      if (atom) items.push(this.quantified(atom));
    }
    return items.length === 1 ? items[0]! : { t: "cat", items };
  }

  private quantified(atom: Node): Node {
    let node = atom;
    let repeated = false;
    for (;;) {
      let min: number;
      let max: number;
      if (this.eat("*")) [min, max] = [0, -1];
      else if (this.eat("+")) [min, max] = [1, -1];
      else if (this.eat("?")) [min, max] = [0, 1];
      else if (this.peek() === 0x7b /* { */ && this.isRepeat()) [min, max] = this.repeat();
      else return node;
      this.eat("?"); // non-greedy: the same language for a yes/no match
      if (repeated) this.fail("invalid nested repetition operator");
      repeated = true;
      node = { t: "rep", item: node, min, max };
    }
  }

  private isRepeat(): boolean {
    let i = this.pos + 1;
    let digits = 0;
    while (this.src[i] !== undefined && isDigit(this.src[i]!)) {
      i++;
      digits++;
    }
    if (digits === 0) return false;
    if (this.src[i] === 0x7d) return true;
    if (this.src[i] !== 0x2c) return false;
    i++;
    while (this.src[i] !== undefined && isDigit(this.src[i]!)) i++;
    return this.src[i] === 0x7d;
  }

  private number(): number {
    let n = 0;
    while (this.peek() !== undefined && isDigit(this.peek()!)) {
      n = n * 10 + (this.peek()! - 48);
      if (n > MAX_REPEAT) this.fail(`repeat count over ${MAX_REPEAT}`);
      this.pos++;
    }
    return n;
  }

  private repeat(): [number, number] {
    this.pos++; // {
    const min = this.number();
    let max = min;
    if (this.eat(",")) max = this.peek() === 0x7d ? -1 : this.number();
    this.eat("}");
    if (max !== -1 && max < min) this.fail("invalid repeat count");
    return [min, max];
  }

  private fold(pred: CharPred): CharPred {
    if (!this.foldCase) return pred;
    return (c) => pred(c) || (c >= 65 && c <= 90 && pred(c + 32)) || (c >= 97 && c <= 122 && pred(c - 32));
  }

  private atom(): Node | undefined {
    const c = this.src[this.pos++]!;
    switch (c) {
      case 0x28: // (
        return this.group();
      case 0x5b: // [
        return { t: "char", pred: this.fold(this.charClass()) };
      case 0x2e: // .
        return { t: "char", pred: (x) => x !== 10 };
      case 0x5e: // ^
        return { t: "assert", kind: "bol" };
      case 0x24: // $
        return { t: "assert", kind: "eol" };
      case 0x5c: // \
        return this.escape(false) as Node;
      case 0x2a:
      case 0x2b:
      case 0x3f:
        return this.fail("missing argument to repetition operator");
      default:
        return { t: "char", pred: this.fold((x) => x === c) };
    }
  }

  private group(): Node | undefined {
    if (this.eat("?")) {
      if (this.eat("P") || this.peek() === 0x3c /* < */) {
        // named group (?P<name>...) or (?<name>...)
        if (!this.eat("<")) this.fail("bad named group");
        while (this.peek() !== undefined && this.peek() !== 0x3e) this.pos++;
        this.eat(">");
      } else {
        // flags: (?i) (?i:...) (?-i) (?s) (?m) (?U)
        let on = true;
        let fold = this.foldCase;
        for (;;) {
          const f = this.peek();
          if (f === 0x69 /* i */) fold = on;
          else if (f === 0x2d /* - */) on = false;
          else if (f === 0x73 || f === 0x6d || f === 0x55) {
            if (f !== 0x6d && on) this.fail("flag not supported");
          } else break;
          this.pos++;
        }
        if (this.eat(")")) {
          this.foldCase = fold;
          return undefined;
        }
        if (!this.eat(":")) this.fail("bad flag group");
        const saved = this.foldCase;
        this.foldCase = fold;
        const inner = this.alt();
        this.foldCase = saved;
        if (!this.eat(")")) this.fail("missing )");
        return inner;
      }
    }
    const saved = this.foldCase;
    const inner = this.alt();
    this.foldCase = saved;
    if (!this.eat(")")) this.fail("missing )");
    return inner;
  }

  /** Parses an escape after the backslash; inClass limits it to escapes valid in a character class. */
  private escape(inClass: boolean): Node | CharPred {
    const c = this.src[this.pos++];
    if (c === undefined) this.fail("trailing backslash");
    const ch = String.fromCodePoint(c);
    const single = (x: number): CharPred => (y) => y === x;
    switch (ch) {
      case "d":
        return wrap(isDigit);
      case "D":
        return wrap((x) => !isDigit(x));
      case "s":
        return wrap(isSpace);
      case "S":
        return wrap((x) => !isSpace(x));
      case "w":
        return wrap(isWord);
      case "W":
        return wrap((x) => !isWord(x));
      case "t":
        return wrap(single(9));
      case "n":
        return wrap(single(10));
      case "r":
        return wrap(single(13));
      case "f":
        return wrap(single(12));
      case "v":
        return wrap(single(11));
      case "a":
        return wrap(single(7));
      case "x": {
        let hex = "";
        if (this.eat("{")) {
          while (this.peek() !== undefined && this.peek() !== 0x7d) hex += String.fromCodePoint(this.src[this.pos++]!);
          this.eat("}");
        } else {
          hex = String.fromCodePoint(this.src[this.pos] ?? 0, this.src[this.pos + 1] ?? 0);
          this.pos += 2;
        }
        if (!/^[0-9a-fA-F]{1,6}$/.test(hex)) this.fail("bad \\x escape");
        return wrap(single(parseInt(hex, 16)));
      }
      case "A":
        if (!inClass) return { t: "assert", kind: "bol" };
        break;
      case "z":
        if (!inClass) return { t: "assert", kind: "eol" };
        break;
      case "b":
        if (!inClass) return { t: "assert", kind: "wordb" };
        break;
      case "B":
        if (!inClass) return { t: "assert", kind: "nwordb" };
        break;
      default:
        if (!/[A-Za-z0-9]/.test(ch)) return wrap(this.fold(single(c)));
    }
    return this.fail(`unsupported escape \\${ch}`);

    function wrap(pred: CharPred): Node | CharPred {
      return inClass ? pred : { t: "char", pred };
    }
  }

  private classAtom(): CharPred | number {
    const c = this.src[this.pos++];
    if (c === undefined) this.fail("missing ]");
    if (c === 0x5c) {
      const e = this.escape(true);
      return e as CharPred;
    }
    return c;
  }

  private charClass(): CharPred {
    const negate = this.eat("^");
    const preds: CharPred[] = [];
    let first = true;
    for (;;) {
      const c = this.peek();
      if (c === undefined) this.fail("missing ]");
      if (c === 0x5d && !first) {
        this.pos++;
        break;
      }
      first = false;
      if (c === 0x5b && this.src[this.pos + 1] === 0x3a) {
        // [:name:]
        const end = this.src.indexOf(0x5d, this.pos);
        const text = String.fromCodePoint(...this.src.slice(this.pos, end + 1));
        const m = /^\[:(\^?)([a-z]+):\]$/.exec(text);
        const p = m ? POSIX[m[2]!] : undefined;
        if (!m || !p) this.fail("bad POSIX class");
        preds.push(m[1] ? (x) => !p(x) : p);
        this.pos = end + 1;
        continue;
      }
      const lo = this.classAtom();
      if (typeof lo === "number" && this.peek() === 0x2d && this.src[this.pos + 1] !== undefined && this.src[this.pos + 1] !== 0x5d) {
        this.pos++;
        const hi = this.classAtom();
        if (typeof hi !== "number" || hi < lo) this.fail("bad character class range");
        preds.push((x) => x >= lo && x <= hi);
      } else if (typeof lo === "number") {
        preds.push((x) => x === lo);
      } else {
        preds.push(lo);
      }
    }
    const any = (x: number) => preds.some((p) => p(x));
    return negate ? (x) => !any(x) : any;
  }
}

// ---- compilation to a Pike VM program ----

type Inst =
  | { op: "char"; pred: CharPred; next: number }
  | { op: "split"; a: number; b: number }
  | { op: "jmp"; to: number }
  | { op: "assert"; kind: "bol" | "eol" | "wordb" | "nwordb"; next: number }
  | { op: "match" };

class Compiler {
  readonly prog: Inst[] = [];
  constructor(private readonly limit: number) {}

  private emit(i: Inst): number {
    if (this.prog.length >= this.limit) throw new Re2SyntaxError(`pattern too large (over ${this.limit} instructions)`);
    this.prog.push(i);
    return this.prog.length - 1;
  }

  /** Compiles `n` so that it continues at the instruction index patched in later; returns the holes. */
  compile(n: Node): { start: number; holes: Array<(to: number) => void> } {
    switch (n.t) {
      case "empty": {
        const j = this.emit({ op: "jmp", to: -1 });
        const inst = this.prog[j] as { op: "jmp"; to: number };
        return { start: j, holes: [(to) => (inst.to = to)] };
      }
      case "char": {
        const i = this.emit({ op: "char", pred: n.pred, next: -1 });
        const inst = this.prog[i] as { op: "char"; next: number };
        return { start: i, holes: [(to) => (inst.next = to)] };
      }
      case "assert": {
        const i = this.emit({ op: "assert", kind: n.kind, next: -1 });
        const inst = this.prog[i] as { op: "assert"; next: number };
        return { start: i, holes: [(to) => (inst.next = to)] };
      }
      case "cat": {
        if (n.items.length === 0) return this.compile({ t: "empty" });
        let first: ReturnType<Compiler["compile"]> | undefined;
        let holes: Array<(to: number) => void> = [];
        for (const item of n.items) {
          const c = this.compile(item);
          if (!first) first = c;
          else for (const h of holes) h(c.start);
          holes = c.holes;
        }
        return { start: first!.start, holes };
      }
      case "alt": {
        // split L1, next; L1: a; jmp end; next: split ...
        const holes: Array<(to: number) => void> = [];
        let prevSplit: { op: "split"; a: number; b: number } | undefined;
        let start = -1;
        n.items.forEach((item, idx) => {
          const last = idx === n.items.length - 1;
          let splitInst: { op: "split"; a: number; b: number } | undefined;
          let here: number;
          if (!last) {
            here = this.emit({ op: "split", a: -1, b: -1 });
            splitInst = this.prog[here] as { op: "split"; a: number; b: number };
          } else here = -1;
          const c = this.compile(item);
          if (splitInst) splitInst.a = c.start;
          const entry = splitInst ? here : c.start;
          if (prevSplit) prevSplit.b = entry;
          else start = entry;
          prevSplit = splitInst;
          holes.push(...c.holes);
        });
        return { start, holes };
      }
      case "rep": {
        const { item, min, max } = n;
        const parts: Node[] = [];
        for (let i = 0; i < min; i++) parts.push(item);
        if (max === -1) {
          // x* : L: split body, out; body: x; jmp L
          const prefix = parts.length > 0 ? this.compile({ t: "cat", items: parts }) : undefined;
          const l = this.emit({ op: "split", a: -1, b: -1 });
          const split = this.prog[l] as { op: "split"; a: number; b: number };
          const body = this.compile(item);
          split.a = body.start;
          for (const h of body.holes) h(l);
          if (prefix) for (const h of prefix.holes) h(l);
          return { start: prefix ? prefix.start : l, holes: [(to) => (split.b = to)] };
        }
        // optional copies: (x(x(x)?)?)?
        let optional: Node = { t: "empty" };
        for (let i = 0; i < max - min; i++) {
          optional = { t: "alt", items: [{ t: "cat", items: [item, optional] }, { t: "empty" }] };
        }
        return this.compile({ t: "cat", items: [...parts, optional] });
      }
    }
  }
}

/** A compiled RE2 pattern: `test` finds a match anywhere in the input (use ^ and $ to anchor). */
export interface Re2Pattern {
  readonly source: string;
  test(input: string): boolean;
}

/** Options for {@link compileRe2}. */
export interface Re2Options {
  /** Longest accepted pattern, in characters (default 4096). */
  readonly maxPatternLength?: number;
  /** Largest compiled program, in instructions (default 20 000). */
  readonly maxProgramSize?: number;
}

/** Compiles an RE2 pattern into a linear-time matcher. Throws {@link Re2SyntaxError} when it cannot. */
export function compileRe2(pattern: string, options: Re2Options = {}): Re2Pattern {
  const maxLen = options.maxPatternLength ?? 4096;
  if (pattern.length > maxLen) throw new Re2SyntaxError(`pattern longer than ${maxLen} characters`);
  const cps = Array.from(pattern, (ch) => ch.codePointAt(0)!);
  const ast = new Parser(cps, false).parse();
  const compiler = new Compiler(options.maxProgramSize ?? 20_000);
  const body = compiler.compile(ast);
  const m = compiler.prog.length;
  compiler.prog.push({ op: "match" });
  for (const h of body.holes) h(m);
  const prog = compiler.prog;
  const start = body.start;
  return { source: pattern, test: (input) => run(prog, start, input) };
}

function run(prog: ReadonlyArray<Inst>, start: number, input: string): boolean {
  const text = Array.from(input, (ch) => ch.codePointAt(0)!);
  const n = text.length;
  const mark = new Int32Array(prog.length).fill(-1);
  let clist: number[] = [];
  let nlist: number[] = [];
  const stack: number[] = [];
  // follows jumps, splits and assertions from pc at position pos, adding char/match states to list
  const add = (list: number[], pc0: number, pos: number): boolean => {
    stack.push(pc0);
    while (stack.length > 0) {
      const pc = stack.pop()!;
      if (mark[pc] === pos) continue;
      mark[pc] = pos;
      const inst = prog[pc]!;
      switch (inst.op) {
        case "jmp":
          stack.push(inst.to);
          break;
        case "split":
          stack.push(inst.b, inst.a);
          break;
        case "assert": {
          const prev = pos > 0 ? text[pos - 1]! : -1;
          const next = pos < n ? text[pos]! : -1;
          const boundary = (prev >= 0 && isWord(prev)) !== (next >= 0 && isWord(next));
          const ok = inst.kind === "bol" ? pos === 0 : inst.kind === "eol" ? pos === n : inst.kind === "wordb" ? boundary : !boundary;
          if (ok) stack.push(inst.next);
          break;
        }
        case "match":
          stack.length = 0;
          return true;
        case "char":
          list.push(pc);
          break;
      }
    }
    return false;
  };
  for (let pos = 0; pos <= n; pos++) {
    // unanchored search: a new thread may start at every position
    if (add(clist, start, pos)) return true;
    if (pos === n) break;
    const c = text[pos]!;
    nlist = [];
    for (const pc of clist) {
      const inst = prog[pc] as { op: "char"; pred: CharPred; next: number };
      if (inst.pred(c) && add(nlist, inst.next, pos + 1)) return true;
    }
    clist = nlist;
  }
  return false;
}
