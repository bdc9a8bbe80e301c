// Structural-schema processing as the Kubernetes apiserver (and upstream's local validator, kubectl-validate)
// does it for custom resources: drop nulls, apply defaults, check types and OpenAPI constraints, list-map key
// uniqueness, unknown fields, then evaluate the CEL rules (x-kubernetes-validations) on the defaulted value.
import type { CelRule, SchemaNode } from "./schemaTypes.js";
import { evaluateRule, type CelOutcome } from "./cel/evaluate.js";
import { MAX_REGEX_INPUT, schemaRegex } from "./regex.js";

/** One field problem, in the words of Kubernetes' field errors (path + body). */
export interface FieldIssue {
  /** Field path such as `spec.listeners[0].port` (empty for the object itself). */
  readonly path: string;
  /** The error body such as `Required value` or `Invalid value: 0: ... should be greater than or equal to 1`. */
  readonly message: string;
  /** Warnings do not make an object invalid (e.g. a CEL rule this evaluator could not run). */
  readonly severity: "error" | "warning";
}

/** What to do with a field that the schema does not declare. */
export type UnknownFieldPolicy = "error" | "warn" | "drop";

/** Which checks {@link processValue} performs. */
export interface ProcessOptions {
  /** Apply schema defaults (as the apiserver and upstream's loader do). */
  readonly applyDefaults: boolean;
  /** Check OpenAPI constraints (enum, bounds, lengths, patterns, formats, list-map keys) and CEL rules. */
  readonly validate: boolean;
  /** Unknown fields: an error, a warning (field dropped) or silently dropped. */
  readonly unknownFields: UnknownFieldPolicy;
  /**
   * Decode as Go's sigs.k8s.io/yaml into typed structs does (upstream's translator tests): field names match
   * case-insensitively when there is no exact match, numbers/booleans given for string fields become
   * strings, and (without validation) required fields the input omits get Go's zero values.
   */
  readonly goDecoding?: boolean;
  /**
   * Top-level fields whose subtrees are decoded (types, defaults, pruning) but not validated; `status` for
   * objects read from files, since the apiserver ignores status on create.
   */
  readonly unvalidatedFields?: ReadonlySet<string>;
}

interface Ctx {
  readonly opts: ProcessOptions;
  readonly issues: FieldIssue[];
  /** CEL results go last, as the apiserver reports schema errors before rule errors. */
  readonly celIssues: FieldIssue[];
}

/** Renders a value the way Kubernetes field errors do: strings quoted, numbers bare, the rest as JSON. */
export function renderValue(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

function jsonType(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function join(path: string, key: string): string {
  if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(key)) return path === "" ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

function typeMatches(node: SchemaNode, v: unknown): boolean {
  if (node["x-kubernetes-int-or-string"]) return typeof v === "string" || (typeof v === "number" && Number.isInteger(v));
  switch (node.type) {
    case undefined:
      return true;
    case "object":
      return isPlainObject(v);
    case "array":
      return Array.isArray(v);
    case "string":
      return typeof v === "string";
    case "integer":
      return typeof v === "number" && Number.isInteger(v);
    case "number":
      return typeof v === "number";
    case "boolean":
      return typeof v === "boolean";
    default:
      return true;
  }
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const IPV4 = /^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$/;

function formatOk(format: string, v: string): boolean {
  switch (format) {
    case "byte":
      return true; // checked while decoding (see walk)
    case "ipv4":
      return IPV4.test(v);
    case "ipv6":
      return v.includes(":") && /^[0-9A-Fa-f:.]+$/.test(v);
    default:
      return true; // formats the apiserver does not enforce on strings here (int32, int64, date-time...)
  }
}

function error(ctx: Ctx, path: string, message: string): void {
  ctx.issues.push({ path, message, severity: "error" });
}

/** The number of Unicode code points in `s` (what `[...s].length` counts, without building the array). */
function codePointLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length - 1; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

function constraints(node: SchemaNode, v: unknown, path: string, ctx: Ctx): void {
  if (node.enum && !node.enum.some((e) => e === v || JSON.stringify(e) === JSON.stringify(v))) {
    error(ctx, path, `Unsupported value: ${renderValue(v)}: supported values: ${node.enum.map(renderValue).join(", ")}`);
  }
  if (typeof v === "number") {
    if (node.maximum !== undefined && (node.exclusiveMaximum ? v >= node.maximum : v > node.maximum)) {
      error(ctx, path, `Invalid value: ${v}: ${path} in body should be less than ${node.exclusiveMaximum ? "" : "or equal to "}${node.maximum}`);
    }
    if (node.minimum !== undefined && (node.exclusiveMinimum ? v <= node.minimum : v < node.minimum)) {
      error(ctx, path, `Invalid value: ${v}: ${path} in body should be greater than ${node.exclusiveMinimum ? "" : "or equal to "}${node.minimum}`);
    }
    if (node.multipleOf !== undefined && v % node.multipleOf !== 0) {
      error(ctx, path, `Invalid value: ${v}: ${path} in body should be a multiple of ${node.multipleOf}`);
    }
  }
  if (typeof v === "string" && (node.maxLength !== undefined || node.minLength !== undefined || node.pattern !== undefined || node.format !== undefined)) {
    // lengths in code points, as the apiserver counts them; counted only when a bound needs them
    const len = node.maxLength !== undefined || node.minLength !== undefined ? codePointLength(v) : 0;
    if (node.maxLength !== undefined && len > node.maxLength) {
      error(ctx, path, `Too long: may not be more than ${node.maxLength} bytes`);
    }
    if (node.minLength !== undefined && len < node.minLength) {
      error(ctx, path, `Invalid value: ${renderValue(v)}: ${path} in body should be at least ${node.minLength} chars long`);
    }
    if (node.pattern !== undefined && !(node.maxLength !== undefined && len > node.maxLength)) {
      const re = schemaRegex(node.pattern);
      if (re && v.length > MAX_REGEX_INPUT) {
        ctx.issues.push({ path, message: `value longer than ${MAX_REGEX_INPUT} characters: pattern not checked`, severity: "warning" });
      } else if (re && !re.test(v)) {
        error(ctx, path, `Invalid value: ${renderValue(v)}: ${path} in body should match '${node.pattern}'`);
      }
    }
    if (node.format !== undefined && !formatOk(node.format, v)) {
      error(ctx, path, `Invalid value: ${renderValue(v)}: ${path} in body must be of type ${node.format}: ${renderValue(v)}`);
    }
  }
  if (Array.isArray(v)) {
    if (node.maxItems !== undefined && v.length > node.maxItems) {
      error(ctx, path, `Too many: ${v.length}: must have at most ${node.maxItems} items`);
    }
    if (node.minItems !== undefined && v.length < node.minItems) {
      error(ctx, path, `Invalid value: ${v.length}: ${path} in body should have at least ${node.minItems} items`);
    }
    const listType = node["x-kubernetes-list-type"];
    if (listType === "map") {
      const keys = node["x-kubernetes-list-map-keys"] ?? [];
      const seen = new Set<string>();
      v.forEach((item, i) => {
        if (!isPlainObject(item)) return;
        const keyObj: Record<string, unknown> = {};
        for (const k of keys) if (item[k] !== undefined) keyObj[k] = item[k];
        const key = JSON.stringify(keyObj);
        if (seen.has(key)) error(ctx, `${path}[${i}]`, `Duplicate value: ${key}`);
        seen.add(key);
      });
    } else if (listType === "set" || node.uniqueItems) {
      const seen = new Set<string>();
      v.forEach((item, i) => {
        const key = JSON.stringify(item);
        if (seen.has(key)) error(ctx, `${path}[${i}]`, `Duplicate value: ${renderValue(item)}`);
        seen.add(key);
      });
    }
  }
  if (isPlainObject(v)) {
    const n = Object.keys(v).length;
    if (node.maxProperties !== undefined && n > node.maxProperties) {
      error(ctx, path, `Too many: ${n}: must have at most ${node.maxProperties} items`);
    }
    if (node.minProperties !== undefined && n < node.minProperties) {
      error(ctx, path, `Invalid value: ${n}: ${path} in body should have at least ${node.minProperties} properties`);
    }
  }
}

/** Checks `v` against a combinator branch (which only constrains, never prunes); returns its errors. */
function branchErrors(node: SchemaNode, v: unknown, path: string): FieldIssue[] {
  const probe: Ctx = { opts: { applyDefaults: false, validate: true, unknownFields: "drop" }, issues: [], celIssues: [] };
  walk(node, v, path, probe, false);
  return probe.issues.filter((i) => i.severity === "error");
}

function satisfies(node: SchemaNode, v: unknown): boolean {
  return branchErrors(node, v, "").length === 0;
}

function combinators(node: SchemaNode, v: unknown, path: string, ctx: Ctx): void {
  if (node.allOf) {
    // like kube-openapi: each failing branch's own errors, then one summary
    const failures = node.allOf.map((sub) => branchErrors(sub, v, path));
    for (const f of failures) ctx.issues.push(...f);
    if (failures.some((f) => f.length > 0)) error(ctx, path, `Invalid value: ${renderValue(v)}: ${path} in body must validate all the schemas (allOf)`);
  }
  if (node.anyOf && !node.anyOf.some((sub) => satisfies(sub, v))) {
    error(ctx, path, `Invalid value: ${renderValue(v)}: ${path} in body must validate at least one schema (anyOf)`);
  }
  if (node.oneOf && node.oneOf.filter((sub) => satisfies(sub, v)).length !== 1) {
    error(ctx, path, `Invalid value: ${renderValue(v)}: ${path} in body must validate one and only one schema (oneOf)`);
  }
  if (node.not && satisfies(node.not, v)) {
    error(ctx, path, `Invalid value: ${renderValue(v)}: ${path} in body should not validate the schema (not)`);
  }
}

/**
 * The zero value Go's typed decoding leaves in a required (non-pointer) field that the input omits: "", 0,
 * false, an empty list or map, or a struct whose own required fields hold zero values.
 */
function zeroOf(node: SchemaNode): unknown {
  if (node["x-kubernetes-int-or-string"]) return 0;
  switch (node.type) {
    case "string":
      return "";
    case "integer":
    case "number":
      return 0;
    case "boolean":
      return false;
    case "array":
      return [];
    default: {
      const out: Record<string, unknown> = {};
      for (const r of node.required ?? []) {
        const child = node.properties?.[r];
        if (child) out[r] = zeroOf(child);
      }
      return out;
    }
  }
}

/** Sets a field as an own property, so an input key "__proto__" cannot replace the object's prototype. */
function setField(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

/**
 * Walks `v` against `node`, returning the processed value (nulls dropped, defaults applied, unknown fields
 * pruned) and collecting issues. `celPass` is false while probing combinators.
 */
function walk(node: SchemaNode, v: unknown, path: string, ctx: Ctx, celPass: boolean): unknown {
  if (ctx.opts.goDecoding && node.type === "string" && (typeof v === "number" || typeof v === "boolean")) {
    v = String(v); // sigs.k8s.io/yaml turns YAML scalars into strings when the Go field is a string
  }
  if (node.format === "byte" && typeof v === "string" && !BASE64.test(v)) {
    // base64 is part of decoding ([]byte fields), so it is checked even when validation is off
    // The value is not echoed: byte fields hold Secret data (a raw PEM key pasted into `data` is a common mistake).
    error(ctx, path, `Invalid value: (${v.length} characters, not shown): ${path} in body must be of type byte (base64-encoded)`);
    return v;
  }
  if (!typeMatches(node, v)) {
    const t = jsonType(v);
    const want = node["x-kubernetes-int-or-string"] ? "integer or string" : node.type;
    error(ctx, path, `Invalid value: ${renderValue(t)}: ${path} in body must be of type ${want}: ${renderValue(t)}`);
    return v;
  }
  let out: unknown = v;
  if (isPlainObject(v) && (node.type === "object" || node.properties || node.additionalProperties)) {
    const result: Record<string, unknown> = {};
    const props = node.properties ?? {};
    const preserve = node["x-kubernetes-preserve-unknown-fields"] === true || node.additionalProperties === true;
    for (const [written, child] of Object.entries(v)) {
      let key = written;
      if (ctx.opts.goDecoding && props[key] === undefined && node.properties) {
        // encoding/json falls back to a case-insensitive match of the field name
        const lower = key.toLowerCase();
        key = Object.keys(props).find((p) => p.toLowerCase() === lower) ?? key;
      }
      const childPath = join(path, key);
      const childNode = props[key] ?? (typeof node.additionalProperties === "object" ? node.additionalProperties : undefined);
      if (child === null && !(childNode?.nullable ?? false)) continue; // the apiserver prunes nulls of non-nullable fields
      if (childNode && path === "" && ctx.opts.unvalidatedFields?.has(key)) {
        const relaxed: Ctx = { opts: { ...ctx.opts, validate: false }, issues: [], celIssues: [] };
        setField(result, key, walk(childNode, child, childPath, relaxed, false));
        ctx.issues.push(...relaxed.issues);
      } else if (childNode) {
        setField(result, key, walk(childNode, child, childPath, ctx, celPass));
      } else if (preserve) {
        setField(result, key, child);
      } else if (ctx.opts.unknownFields === "error") {
        // upstream's validator decodes strictly first: "strict decoding error: unknown field \"spec.x\""
        error(ctx, childPath, `unknown field ${JSON.stringify(childPath)}`);
      } else if (ctx.opts.unknownFields === "warn") {
        ctx.issues.push({ path: childPath, message: "unknown field, dropped", severity: "warning" });
      }
    }
    if (ctx.opts.applyDefaults) {
      for (const [key, child] of Object.entries(props)) {
        if (result[key] === undefined && child.default !== undefined) {
          result[key] = walk(child, clone(child.default), join(path, key), ctx, celPass);
        }
      }
    }
    if (ctx.opts.validate) {
      for (const r of node.required ?? []) {
        if (result[r] === undefined) error(ctx, join(path, r), "Required value");
      }
    } else if (ctx.opts.goDecoding) {
      for (const r of node.required ?? []) {
        const child = props[r];
        if (result[r] === undefined && child) result[r] = zeroOf(child);
      }
    }
    out = result;
  } else if (Array.isArray(v) && node.items) {
    const items = node.items;
    out = v.map((item, i) => walk(items, item, `${path}[${i}]`, ctx, celPass));
  }
  if (ctx.opts.validate) {
    constraints(node, out, path, ctx);
    if (node.allOf || node.anyOf || node.oneOf || node.not) combinators(node, out, path, ctx);
    const rules = node["x-kubernetes-validations"];
    if (celPass && rules) celRules(rules, node, out, path, ctx);
  }
  return out;
}

function reasonBody(rule: CelRule, message: string): string {
  switch (rule.reason) {
    case "FieldValueRequired":
      return `Required value: ${message}`;
    case "FieldValueForbidden":
      return `Forbidden: ${message}`;
    case "FieldValueDuplicate":
      return `Duplicate value: ${message}`;
    default:
      return `Invalid value: ${message}`;
  }
}

function celRules(rules: ReadonlyArray<CelRule>, node: SchemaNode, v: unknown, path: string, ctx: Ctx): void {
  for (const rule of rules) {
    if (/\boldSelf\b/.test(rule.rule)) continue; // transition rules need the previous object; none when loading
    const outcome: CelOutcome = evaluateRule(rule.rule, v, node);
    if (outcome.kind === "unsupported") {
      ctx.celIssues.push({ path, message: `CEL rule not evaluated (${outcome.message}): ${rule.rule}`, severity: "warning" });
      continue;
    }
    if (outcome.kind === "error") {
      // the apiserver fails the object when a rule cannot be evaluated on it (e.g. a field it reads is absent)
      const type = node.type ?? "object";
      const what = (rule.message ?? rule.rule).trim();
      ctx.celIssues.push({ path, message: `Invalid value: "${type}": ${outcome.message} evaluating rule: ${what}`, severity: "error" });
      continue;
    }
    if (outcome.value === true) continue;
    let message = rule.message ?? `failed rule: ${rule.rule}`;
    if (rule.messageExpression) {
      const m = evaluateRule(rule.messageExpression, v, node);
      if (m.kind === "ok" && typeof m.value === "string" && m.value !== "") message = m.value;
    }
    const at = rule.fieldPath ? (path === "" ? rule.fieldPath.replace(/^\./, "") : path + rule.fieldPath) : path;
    ctx.celIssues.push({ path: at, message: reasonBody(rule, message), severity: "error" });
  }
}

/** Processes one value against a structural schema: returns the new value and the issues found. */
export function processValue(
  node: SchemaNode,
  value: unknown,
  path: string,
  opts: ProcessOptions,
): { readonly value: unknown; readonly issues: ReadonlyArray<FieldIssue> } {
  const ctx: Ctx = { opts, issues: [], celIssues: [] };
  const out = walk(node, value, path, ctx, true);
  return { value: out, issues: [...ctx.issues, ...ctx.celIssues] };
}
