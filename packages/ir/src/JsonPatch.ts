// RFC 6902 JSON Patch with RFC 6901 pointers and the JSONPath subset EnvoyPatchPolicy uses, shared by the xDS
// translator (EnvoyPatchPolicy) and the host infrastructure (EnvoyProxy bootstrap patches). Adds create missing
// parent objects, as upstream's evanphx/json-patch does with EnsurePathExistsOnAdd; fast-json-patch and rfc6902
// were measured and both refuse such adds, so this stays hand-written (see README).
import type { JSONPatchOperation } from "./PatchPolicy.js";

/** A mutable JSON value (patches edit documents in place). */
export type MutableJson = null | boolean | number | string | MutableJson[] | { [key: string]: MutableJson };

const isObject = (v: MutableJson | undefined): v is { [key: string]: MutableJson } => typeof v === "object" && v !== null && !Array.isArray(v);

/** Splits an RFC 6901 JSON pointer into unescaped tokens. */
export function parseJsonPointer(pointer: string): string[] {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) throw new Error(`JSON pointer ${JSON.stringify(pointer)} must start with "/"`);
  return pointer
    .slice(1)
    .split("/")
    .map((t) => t.replaceAll("~1", "/").replaceAll("~0", "~"));
}

const escapeToken = (t: string) => t.replaceAll("~", "~0").replaceAll("/", "~1");

function arrayIndex(arr: MutableJson[], token: string, forAdd: boolean): number {
  if (forAdd && token === "-") return arr.length;
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw new Error(`invalid array index ${JSON.stringify(token)}`);
  const i = Number(token);
  if (i > arr.length || (!forAdd && i === arr.length)) throw new Error(`array index ${i} out of bounds`);
  return i;
}

/** The container holding the pointer's last token; with `create`, missing objects on the way are made. */
function parentOf(doc: MutableJson, tokens: readonly string[], create: boolean): { parent: MutableJson; key: string } {
  let cur: MutableJson = doc;
  for (let i = 0; i < tokens.length - 1; i++) {
    const t = tokens[i] as string;
    if (Array.isArray(cur)) {
      const idx = arrayIndex(cur, t, false);
      cur = cur[idx] as MutableJson;
    } else if (isObject(cur)) {
      if (!(t in cur)) {
        if (!create) throw new Error(`path component ${JSON.stringify(t)} not found`);
        const next = tokens[i + 1] as string;
        cur[t] = next === "-" || /^[0-9]+$/.test(next) ? [] : {};
      }
      cur = cur[t] as MutableJson;
    } else {
      throw new Error(`cannot traverse into a scalar at ${JSON.stringify(t)}`);
    }
  }
  return { parent: cur, key: tokens[tokens.length - 1] as string };
}

function get(doc: MutableJson, tokens: readonly string[]): MutableJson {
  let cur: MutableJson = doc;
  for (const t of tokens) {
    if (Array.isArray(cur)) cur = cur[arrayIndex(cur, t, false)] as MutableJson;
    else if (isObject(cur) && t in cur) cur = cur[t] as MutableJson;
    else throw new Error(`path component ${JSON.stringify(t)} not found`);
  }
  return cur;
}

function add(doc: MutableJson, tokens: readonly string[], value: MutableJson): MutableJson {
  if (tokens.length === 0) return value;
  const { parent, key } = parentOf(doc, tokens, true);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, true), 0, value);
  else if (isObject(parent)) parent[key] = value;
  else throw new Error("cannot add to a scalar");
  return doc;
}

function remove(doc: MutableJson, tokens: readonly string[]): MutableJson {
  if (tokens.length === 0) throw new Error("cannot remove the document root");
  const { parent, key } = parentOf(doc, tokens, false);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, false), 1);
  else if (isObject(parent)) {
    if (!(key in parent)) throw new Error(`path component ${JSON.stringify(key)} not found`);
    delete parent[key];
  } else throw new Error("cannot remove from a scalar");
  return doc;
}

const clone = (v: MutableJson): MutableJson => JSON.parse(JSON.stringify(v)) as MutableJson;

function deepEqual(a: MutableJson, b: MutableJson): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(v: MutableJson): MutableJson {
  if (Array.isArray(v)) return v.map(canonical);
  if (isObject(v)) {
    const out: { [key: string]: MutableJson } = {};
    for (const k of Object.keys(v).sort()) out[k] = canonical(v[k] as MutableJson);
    return out;
  }
  return v;
}

/** Applies one RFC 6902 operation at `pointer`; adds create missing parent objects (EnsurePathExistsOnAdd). */
export function applyJsonPatchOperation(doc: MutableJson, op: JSONPatchOperation, pointer: string): MutableJson {
  const tokens = parseJsonPointer(pointer);
  const value = op.value === undefined ? null : clone(op.value as MutableJson);
  switch (op.op) {
    case "add":
      return add(doc, tokens, value);
    case "remove":
      return remove(doc, tokens);
    case "replace":
      get(doc, tokens);
      return add(remove(doc, tokens), tokens, value);
    case "test":
      if (!deepEqual(get(doc, tokens), value)) throw new Error("testing value failed");
      return doc;
    case "copy":
      return add(doc, tokens, clone(get(doc, parseJsonPointer(op.from ?? ""))));
    case "move": {
      const from = parseJsonPointer(op.from ?? "");
      const v = get(doc, from);
      return add(remove(doc, from), tokens, v);
    }
    default:
      throw new Error("unsupported JSONPatch operation");
  }
}

type Segment =
  | { readonly kind: "child"; readonly name: string; readonly deep: boolean }
  | { readonly kind: "index"; readonly index: number; readonly deep: boolean }
  | { readonly kind: "wildcard"; readonly deep: boolean }
  | { readonly kind: "filter"; readonly path: readonly string[]; readonly op: "==" | "!=" | "=~"; readonly value: MutableJson; readonly deep: boolean };

const MAX_JSONPATH = 4096;

/** Parses the JSONPath subset patch policies use: `$`, `.a`, `['a']`, `[0]`, `[*]`, `..a`, `[?(@.a.b == 'x')]`. */
function parseJsonPath(path: string): Segment[] {
  if (path.length > MAX_JSONPATH) throw new Error("jsonPath too long");
  let s = path.trim();
  if (s.startsWith("$")) s = s.slice(1);
  const out: Segment[] = [];
  let i = 0;
  let first = true;
  while (i < s.length) {
    let deep = false;
    if (s.startsWith("..", i)) {
      deep = true;
      i += 2;
    } else if (s[i] === ".") {
      i += 1;
    } else if (s[i] !== "[" && !first) {
      throw new Error(`unexpected ${JSON.stringify(s[i])} at ${i}`);
    }
    first = false;
    if (s[i] === "[") {
      const end = findClose(s, i);
      const inner = s.slice(i + 1, end).trim();
      i = end + 1;
      if (inner === "*") out.push({ kind: "wildcard", deep });
      else if (/^-?[0-9]+$/.test(inner)) out.push({ kind: "index", index: Number(inner), deep });
      else if (/^'.*'$|^".*"$/.test(inner)) out.push({ kind: "child", name: inner.slice(1, -1), deep });
      else if (inner.startsWith("?(") && inner.endsWith(")")) {
        const m = /^@((?:\.[A-Za-z0-9_-]+)+)\s*(==|!=|=~)\s*(.+)$/.exec(inner.slice(2, -1).trim());
        if (m === null) throw new Error(`unsupported filter ${inner}`);
        const raw = (m[3] as string).trim();
        const value: MutableJson = /^'.*'$|^\/.*\/$/.test(raw) ? raw.slice(1, -1) : (JSON.parse(raw) as MutableJson);
        out.push({ kind: "filter", path: (m[1] as string).slice(1).split("."), op: m[2] as "==" | "!=" | "=~", value, deep });
      } else throw new Error(`unsupported bracket expression [${inner}]`);
      continue;
    }
    const m = /^(\*|[A-Za-z0-9_\-@]+)/.exec(s.slice(i));
    if (m === null) throw new Error(`unexpected ${JSON.stringify(s.slice(i, i + 10))}`);
    i += (m[1] as string).length;
    out.push(m[1] === "*" ? { kind: "wildcard", deep } : { kind: "child", name: m[1] as string, deep });
  }
  return out;
}

function findClose(s: string, open: number): number {
  let quote: string | undefined;
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === "[") depth++;
    else if (c === "]" && --depth === 0) return i;
  }
  throw new Error("unclosed [");
}

type Located = { readonly value: MutableJson; readonly pointer: string };

function children(v: Located): Located[] {
  if (Array.isArray(v.value)) return v.value.map((x, i) => ({ value: x, pointer: `${v.pointer}/${i}` }));
  if (isObject(v.value))
    return Object.keys(v.value).map((k) => ({ value: (v.value as { [k: string]: MutableJson })[k] as MutableJson, pointer: `${v.pointer}/${escapeToken(k)}` }));
  return [];
}

function descendants(v: Located): Located[] {
  const out: Located[] = [v];
  for (const c of children(v)) out.push(...descendants(c));
  return out;
}

function step(v: Located, seg: Segment): Located[] {
  switch (seg.kind) {
    case "child":
      return isObject(v.value) && seg.name in v.value ? [{ value: v.value[seg.name] as MutableJson, pointer: `${v.pointer}/${escapeToken(seg.name)}` }] : [];
    case "index": {
      if (!Array.isArray(v.value)) return [];
      const i = seg.index < 0 ? v.value.length + seg.index : seg.index;
      return i >= 0 && i < v.value.length ? [{ value: v.value[i] as MutableJson, pointer: `${v.pointer}/${i}` }] : [];
    }
    case "wildcard":
      return children(v);
    case "filter":
      return children(v).filter((c) => {
        let cur: MutableJson | undefined = c.value;
        for (const p of seg.path) cur = isObject(cur) ? cur[p] : undefined;
        if (seg.op === "=~") return typeof cur === "string" && typeof seg.value === "string" && boundedRegex(seg.value).test(cur);
        const eq = cur !== undefined && deepEqual(cur, seg.value);
        return seg.op === "==" ? eq : cur !== undefined && !eq;
      });
  }
}

/** A regex from an untrusted pattern, bounded in length; a partial match, as Go's regexp.MatchString that ojg uses for =~. */
function boundedRegex(pattern: string): RegExp {
  if (pattern.length > 1024) throw new Error("regex too long");
  return new RegExp(pattern);
}

/** Evaluates a JSONPath to the JSON pointers of the values it selects, in document order. */
export function jsonPathToPointers(doc: MutableJson, path: string): string[] {
  const segs = parseJsonPath(path);
  if (segs.length === 0) throw new Error("Using only Root ('$') in json path expression is not allowed!");
  let cur: Located[] = [{ value: doc, pointer: "" }];
  for (const seg of segs) {
    const next: Located[] = [];
    for (const v of cur) for (const base of seg.deep ? descendants(v) : [v]) next.push(...step(base, seg));
    cur = next;
  }
  return cur.map((l) => l.pointer);
}
