// A small field-descriptor DSL: one descriptor per IR type drives decoding (with path-precise
// issues), encoding (upstream's JSON names and omitempty rules) and zero values.
import { formatGoDuration, parseGoDuration } from "../GoDuration.js";
import type { JsonObject, JsonValue } from "../Json.js";

/** Options for encoding. */
export interface EncodeOptions {
  /** Write private key bytes as base64 instead of upstream's "[redacted]". */
  readonly revealPrivateKeys?: boolean;
  /**
   * Order object keys alphabetically, as upstream's YAML output (sigs.k8s.io/yaml) does; by
   * default keys follow upstream's struct field order, as its JSON output does.
   */
  readonly sortKeys?: boolean;
}

/** Decodes, encodes and zero-initialises values of one type. */
export interface Codec<T> {
  /** What the JSON form looks like, for error messages ("integer", "HTTPRoute", ...). */
  readonly expected: string;
  /** Decodes `input`, pushing problems to `issues`; returns a best-effort value. */
  decode(input: unknown, path: Path, ctx: DecodeContext): T;
  encode(value: T, options: EncodeOptions): unknown;
  isZero(value: T): boolean;
  zero(): T;
}

/** State of one decode: the problems found so far and how strictly scalars are read. */
export interface DecodeContext {
  readonly issues: string[];
  /**
   * YAML input: accept numbers and booleans where a string is expected, as upstream's
   * YAML loader (sigs.k8s.io/yaml) does when the Go field is a string.
   */
  readonly yamlScalars: boolean;
  /** Skip fields the IR does not declare instead of reporting them (Go's non-strict YAML decoding). */
  readonly ignoreUnknownFields?: boolean;
}

/**
 * How a struct field is present, after Go's rules:
 * - `req`: a Go value without omitempty: required, always written;
 * - `opt`: a Go value (or slice/map) with omitempty: optional, omitted when zero;
 * - `ptr`: a Go pointer with omitempty: optional, omitted when absent, written even when zero;
 * - `nul`: a Go pointer/slice/map without omitempty: optional, written as `null` when absent.
 */
export type FieldMode = "req" | "opt" | "ptr" | "nul";

export interface Field<T> {
  readonly codec: Codec<T>;
  readonly mode: FieldMode;
  /** JSON name when it differs from the TypeScript property name. */
  readonly json?: string;
}

export type FieldMap<T> = { readonly [K in keyof T]-?: Field<Exclude<T[K], undefined>> };

export const req = <T>(codec: Codec<T>, json?: string): Field<T> => (json === undefined ? { codec, mode: "req" } : { codec, mode: "req", json });
export const opt = <T>(codec: Codec<T>, json?: string): Field<T> => (json === undefined ? { codec, mode: "opt" } : { codec, mode: "opt", json });
export const ptr = <T>(codec: Codec<T>, json?: string): Field<T> => (json === undefined ? { codec, mode: "ptr" } : { codec, mode: "ptr", json });
export const nul = <T>(codec: Codec<T>, json?: string): Field<T> => (json === undefined ? { codec, mode: "nul" } : { codec, mode: "nul", json });
export const fields = <T>(map: FieldMap<T>): FieldMap<T> => map;

/** A field map without some fields (an embedded struct's fields that the outer struct redeclares). */
export function omit<T, K extends keyof T>(map: FieldMap<T>, keys: readonly K[]): Omit<FieldMap<T>, K> {
  const out: Record<string, unknown> = { ...map };
  for (const k of keys) delete out[k as string];
  return out as Omit<FieldMap<T>, K>;
}

/** Describes a JSON value briefly for an error message. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  switch (typeof value) {
    case "string": {
      const s = JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
      return s;
    }
    case "number":
    case "boolean":
      return String(value);
    case "object":
      return value instanceof Uint8Array ? "bytes" : "object";
    default:
      return typeof value;
  }
}

/**
 * Where a value sits in the input: a root prefix, or a key/index under a parent. Built as small
 * linked nodes and only rendered to text when an issue is reported, so decoding valid input
 * does no string work for paths.
 */
export type Path = string | { readonly up: Path; readonly key: string | number };

/** Renders a path as `a.b[0]["c/d"]`. */
export function renderPath(path: Path): string {
  if (typeof path === "string") return path;
  const parent = renderPath(path.up);
  return typeof path.key === "number" ? `${parent}[${path.key}]` : joinPath(parent, path.key);
}

/** Appends a property name to a rendered path. */
export const joinPath = (path: string, key: string): string => {
  const plain = /^[A-Za-z_$][\w$-]*$/.test(key) ? key : JSON.stringify(key);
  if (!path) return plain;
  return plain.startsWith('"') ? `${path}[${plain}]` : `${path}.${plain}`;
};

const issue = (ctx: DecodeContext, path: Path, message: string): void => {
  const where = renderPath(path);
  ctx.issues.push(where ? `${where}: ${message}` : message);
};
const expectedGot = (ctx: DecodeContext, path: Path, expected: string, value: unknown): void =>
  issue(ctx, path, `expected ${expected}, got ${describe(value)}`);

function primitive<T>(expected: string, check: (v: unknown) => v is T, zeroValue: T): Codec<T> {
  return {
    expected,
    decode(input, path, ctx) {
      if (check(input)) return input;
      expectedGot(ctx, path, expected, input);
      return zeroValue;
    },
    encode: (v) => v,
    isZero: (v) => v === zeroValue,
    zero: () => zeroValue,
  };
}

export const str: Codec<string> = {
  expected: "string",
  decode(input, path, ctx) {
    if (typeof input === "string") return input;
    if (ctx.yamlScalars && (typeof input === "number" || typeof input === "boolean")) return String(input);
    expectedGot(ctx, path, "string", input);
    return "";
  },
  encode: (v) => v,
  isZero: (v) => v === "",
  zero: () => "",
};
export const bool: Codec<boolean> = primitive("boolean", (v): v is boolean => typeof v === "boolean", false);
export const float: Codec<number> = primitive("number", (v): v is number => typeof v === "number" && Number.isFinite(v), 0);

function integer(expected: string, min: number, max: number): Codec<number> {
  return primitive(expected, (v): v is number => typeof v === "number" && Number.isInteger(v) && v >= min && v <= max, 0);
}
export const int32 = integer("integer (int32)", -2147483648, 2147483647);
export const uint32 = integer("integer (uint32)", 0, 4294967295);
export const int64 = integer("integer", Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
export const uint64 = integer("integer (uint64)", 0, Number.MAX_SAFE_INTEGER);

/**
 * A string enum. Like upstream's Go, decoding keeps any string (the translators report
 * unsupported values with their own messages); `values` documents the known ones.
 */
export function literal<T extends string>(values: readonly T[]): Codec<T> {
  return { ...(str as unknown as Codec<T>), expected: `string (${values.join(", ")})` };
}

/** A Go `metav1.Duration`: checked on decode, canonical spelling on encode. */
export const duration: Codec<string> = {
  expected: "duration string",
  decode(input, path, ctx) {
    if (typeof input === "string" && parseGoDuration(input) !== undefined) return input;
    expectedGot(ctx, path, 'duration (such as "10s" or "1m30s")', input);
    return "0s";
  },
  encode(v) {
    const ns = parseGoDuration(v);
    return ns === undefined ? v : formatGoDuration(ns);
  },
  isZero: (v) => v === "" || parseGoDuration(v) === 0,
  zero: () => "0s",
};

/** A Kubernetes quantity: a string, or a number written as one. */
export const quantity: Codec<string> = {
  expected: "quantity",
  decode(input, path, ctx) {
    if (typeof input === "string") return input;
    if (typeof input === "number" && Number.isFinite(input)) return String(input);
    expectedGot(ctx, path, "quantity string", input);
    return "";
  },
  encode: (v) => v,
  isZero: (v) => v === "" || v === "0",
  zero: () => "",
};

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);

/** Sets a property even when its name is "__proto__", which plain assignment would treat as the prototype. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** Copies a JSON value, checking that it is JSON (finite numbers, plain objects) and bounded in depth. */
function copyJson(input: unknown, path: Path, ctx: DecodeContext, depth: number): JsonValue | undefined {
  if (depth > 256) {
    issue(ctx, path, "JSON nested too deeply");
    return undefined;
  }
  if (input === null || typeof input === "string" || typeof input === "boolean") return input;
  if (typeof input === "number") {
    if (Number.isFinite(input)) return input;
    expectedGot(ctx, path, "finite number", input);
    return undefined;
  }
  if (Array.isArray(input)) {
    const out: JsonValue[] = [];
    for (let i = 0; i < input.length; i++) {
      const v = copyJson(input[i], { up: path, key: i }, ctx, depth + 1);
      if (v === undefined) return undefined;
      out.push(v);
    }
    return out;
  }
  if (isPlainObject(input)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(input)) {
      const v = copyJson(x, { up: path, key: k }, ctx, depth + 1);
      if (v === undefined) return undefined;
      setOwn(out, k, v);
    }
    return out as JsonObject;
  }
  expectedGot(ctx, path, "JSON value", input);
  return undefined;
}

/** Raw JSON (`apiextensionsv1.JSON`), copied. */
export const json: Codec<JsonValue> = {
  expected: "JSON value",
  decode(input, path, ctx) {
    return copyJson(input, path, ctx, 0) ?? null;
  },
  encode: (v) => v,
  isZero: (v) => v === null,
  zero: () => null,
};

/** An opaque JSON object (unstructured resources, embedded API objects). */
export const jsonObject: Codec<JsonObject> = {
  expected: "object",
  decode(input, path, ctx) {
    if (!isPlainObject(input)) {
      expectedGot(ctx, path, "object", input);
      return {};
    }
    return (copyJson(input, path, ctx, 0) as JsonObject | undefined) ?? {};
  },
  encode: (v) => v,
  isZero: (v) => Object.keys(v).length === 0,
  zero: () => ({}),
};

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function decodeBytes(input: unknown, path: Path, ctx: DecodeContext): Uint8Array {
  if (input instanceof Uint8Array) return input;
  if (typeof input === "string") {
    const compact = input.replace(/\s+/g, "");
    if (compact.length % 4 === 0 && BASE64.test(compact)) return new Uint8Array(Buffer.from(compact, "base64"));
    expectedGot(ctx, path, "base64 string or byte array", input);
    return new Uint8Array(0);
  }
  if (Array.isArray(input)) {
    const out = new Uint8Array(input.length);
    for (let i = 0; i < input.length; i++) {
      const b: unknown = input[i];
      if (typeof b !== "number" || !Number.isInteger(b) || b < 0 || b > 255) {
        expectedGot(ctx, { up: path, key: i }, "byte (0-255)", b);
        return new Uint8Array(0);
      }
      out[i] = b;
    }
    return out;
  }
  expectedGot(ctx, path, "base64 string or byte array", input);
  return new Uint8Array(0);
}

const toBase64 = (v: Uint8Array): string => Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("base64");

/** Go `[]byte`: base64 in JSON; decodes from base64 or an integer array. */
export const bytes: Codec<Uint8Array> = {
  expected: "bytes",
  decode: decodeBytes,
  encode: (v) => toBase64(v),
  isZero: (v) => v.length === 0,
  zero: () => new Uint8Array(0),
};

/** The text upstream writes in place of private key bytes. */
export const REDACTED = "[redacted]";
const redactedBytes = new Uint8Array(Buffer.from(REDACTED, "utf8"));

/** Upstream's `PrivateBytes`: written as "[redacted]"; "[redacted]" reads back as those ten bytes. */
export const privateBytes: Codec<Uint8Array> = {
  expected: "bytes",
  decode(input, path, ctx) {
    if (input === REDACTED) return new Uint8Array(redactedBytes);
    return decodeBytes(input, path, ctx);
  },
  encode: (v, options) => (v.length === 0 ? "" : options.revealPrivateKeys === true ? toBase64(v) : REDACTED),
  isZero: (v) => v.length === 0,
  zero: () => new Uint8Array(0),
};

/** A Go slice. */
export function array<T>(item: Codec<T>): Codec<readonly T[]> {
  return {
    expected: `list of ${item.expected}`,
    decode(input, path, ctx) {
      if (!Array.isArray(input)) {
        expectedGot(ctx, path, "list", input);
        return [];
      }
      const out: T[] = new Array<T>(input.length);
      for (let i = 0; i < input.length; i++) {
        const v: unknown = input[i];
        // A null element of a pointer slice stays a zero element rather than failing the whole list.
        out[i] = v === null ? item.zero() : item.decode(v, { up: path, key: i }, ctx);
      }
      return out;
    },
    encode: (v, options) => v.map((x) => item.encode(x, options)),
    isZero: (v) => v.length === 0,
    zero: () => [],
  };
}

/** A Go `map[string]T`. */
export function record<T>(item: Codec<T>): Codec<Readonly<Record<string, T>>> {
  return {
    expected: `map of ${item.expected}`,
    decode(input, path, ctx) {
      if (!isPlainObject(input)) {
        expectedGot(ctx, path, "map", input);
        return {};
      }
      const out: Record<string, T> = {};
      for (const [k, v] of Object.entries(input)) setOwn(out, k, item.decode(v, { up: path, key: k }, ctx));
      return out;
    },
    encode(v, options) {
      const out: Record<string, unknown> = {};
      const keys = options.sortKeys === true ? Object.keys(v).sort() : Object.keys(v);
      for (const k of keys) setOwn(out, k, item.encode(v[k] as T, options));
      return out;
    },
    isZero: (v) => Object.keys(v).length === 0,
    zero: () => ({}),
  };
}

interface Entry {
  readonly prop: string;
  readonly json: string;
  readonly field: Field<unknown>;
}

/** Codec of a Go struct: known fields only, required ones zero-filled. */
export function struct<T>(name: string, map: FieldMap<T>): Codec<T> {
  const entries: Entry[] = Object.entries(map as Record<string, Field<unknown>>).map(([prop, field]) => ({
    prop,
    json: field.json ?? prop,
    field,
  }));
  const sortedEntries = [...entries].sort((a, b) => (a.json < b.json ? -1 : a.json > b.json ? 1 : 0));
  const byJson = new Map(entries.map((e) => [e.json, e]));
  // Go's encoding/json falls back to a case-insensitive match of field names.
  const byFolded = new Map(entries.map((e) => [e.json.toLowerCase(), e]));
  const required = entries.filter((e) => e.field.mode === "req");
  const zero = (): T => {
    const out: Record<string, unknown> = {};
    for (const e of required) out[e.prop] = e.field.codec.zero();
    return out as T;
  };
  return {
    expected: name,
    decode(input, path, ctx) {
      if (!isPlainObject(input)) {
        expectedGot(ctx, path, `object (${name})`, input);
        return zero();
      }
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(input)) {
        const value = input[key];
        const entry = byJson.get(key) ?? byFolded.get(key.toLowerCase());
        const childPath: Path = { up: path, key };
        if (entry === undefined) {
          if (ctx.ignoreUnknownFields !== true) issue(ctx, childPath, `unknown field of ${name}`);
          continue;
        }
        if (value === null || value === undefined) continue;
        out[entry.prop] = entry.field.codec.decode(value, childPath, ctx);
      }
      for (const e of required) if (!(e.prop in out)) out[e.prop] = e.field.codec.zero();
      return out as T;
    },
    encode(value, options) {
      const v = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const e of options.sortKeys === true ? sortedEntries : entries) {
        const x = v[e.prop];
        if (x === undefined) {
          if (e.field.mode === "nul") out[e.json] = null;
          continue;
        }
        if (e.field.mode === "opt" && e.field.codec.isZero(x)) continue;
        out[e.json] = e.field.codec.encode(x, options);
      }
      return out;
    },
    isZero(value) {
      const v = value as Record<string, unknown>;
      return entries.every((e) => v[e.prop] === undefined || (e.field.mode !== "ptr" && e.field.mode !== "nul" && e.field.codec.isZero(v[e.prop])));
    },
    zero,
  };
}
