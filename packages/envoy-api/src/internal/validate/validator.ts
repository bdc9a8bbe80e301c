/**
 * protoc-gen-validate rule checking driven by a descriptor registry.
 *
 * Each message type gets a plan the first time a message of that type is visited: one visitor per field that
 * has rules or leads (through message fields, lists, maps or Any) to a type with rules; every other field is
 * never looked at. Visitors read a message in one of two shapes, fixed per Validator:
 * - "reflect": @bufbuild/protobuf's (fields by local name, wrapper fields unboxed, oneofs as `{ case, value }`,
 *   maps as records, 64-bit integers as bigint), as decoded from bytes;
 * - "generated": ts-proto's (fields by camel-cased proto name, wrappers unboxed everywhere, oneofs as
 *   `{ $case, value }` or undefined, 64-bit integers as strings), so generated messages are checked as built,
 *   without encoding and decoding them first.
 * An Any is decoded (to the reflect shape) only when its type has rules somewhere beneath it.
 */
import {
  fromBinary,
  getOption,
  hasOption,
  isFieldSet,
  ScalarType,
  type DescEnum,
  type DescExtension,
  type DescField,
  type DescMessage,
  type Message,
  type Registry,
} from "@bufbuild/protobuf";
import { RE2JS } from "re2js";
import {
  emailError,
  goDuration,
  goFloat32,
  goList,
  goQuote,
  goTimestamp,
  goValue,
  HEADER_NAME_PATTERN,
  HEADER_STRING_PATTERN,
  HEADER_VALUE_PATTERN,
  hostnameError,
  isHeaderName,
  isHeaderString,
  isHeaderValue,
  isIpv4Bytes,
  isUuid,
  parseIp,
  parseUri,
  quotePattern,
  runeCount,
  utf8Length,
} from "./formats.js";

/** One broken rule: where (a field path from the validated message), which rule, and why. */
export interface Violation {
  readonly path: string;
  readonly rule: string;
  readonly message: string;
}

/**
 * The path of the value being visited, as a stack of segments kept in the walk context (pushed on the way down,
 * popped on the way back): field names, list indexes, and map key segments (`["key"]`). Nothing is allocated
 * per visited value; the text is built only for a violation.
 */
type Segment = string | number;

function pathText(segments: readonly Segment[]): string {
  let text = "";
  for (const segment of segments) {
    if (typeof segment === "number") text += `[${segment}]`;
    else text += segment.startsWith("[") || text === "" ? segment : `.${segment}`;
  }
  return text;
}

/** Deepest nesting of messages (Any included) the walker follows; deeper input is reported, not followed. */
const MAX_DEPTH = 100;

/** How far validation reaches. */
export interface ValidateOptions {
  /**
   * Validate the content of Any fields too (default true). Upstream's resource-level check (Go's ValidateAll)
   * stops at an Any, relying on each typed config having been validated when it was packed; pass false for
   * exactly that behaviour.
   */
  readonly recurseIntoAny?: boolean;
}

interface WalkContext {
  readonly out: Violation[];
  /** Where the walk is (see {@link Segment}). */
  readonly path: Segment[];
  readonly recurseIntoAny: boolean;
  depth: number;
}

type RawMessage = Record<string, unknown>;
/** Checks one value (a field's value, a list item, a map key or value) at the context's path. */
type ValueVisitor = (value: unknown, ctx: WalkContext) => void;
/** Visits one field (or oneof) of a message; the context's path is the message's own path. */
type FieldVisitor = (message: RawMessage, ctx: WalkContext) => void;
/**
 * A single test on a scalar value: the violation message (or, for tests covering several rules, the rule and
 * message), or undefined when the value passes.
 */
interface Test {
  readonly rule: string;
  readonly check: (value: never) => string | { readonly rule: string; readonly message: string } | undefined;
}

const report = (ctx: WalkContext, rule: string, message: string): void => {
  ctx.out.push({ path: pathText(ctx.path), rule, message });
};

/** Reports a broken rule one segment below the context's path. */
const reportAt = (ctx: WalkContext, segment: Segment, rule: string, message: string): void => {
  ctx.path.push(segment);
  report(ctx, rule, message);
  ctx.path.pop();
};

const SIXTY_FOUR_BIT = new Set<ScalarType>([ScalarType.INT64, ScalarType.UINT64, ScalarType.SINT64, ScalarType.FIXED64, ScalarType.SFIXED64]);

/** The rule message case (`FieldRules.type`) that applies to each scalar type. */
const RULE_CASE: Readonly<Record<ScalarType, string>> = {
  [ScalarType.DOUBLE]: "double",
  [ScalarType.FLOAT]: "float",
  [ScalarType.INT64]: "int64",
  [ScalarType.UINT64]: "uint64",
  [ScalarType.INT32]: "int32",
  [ScalarType.FIXED64]: "fixed64",
  [ScalarType.FIXED32]: "fixed32",
  [ScalarType.BOOL]: "bool",
  [ScalarType.STRING]: "string",
  [ScalarType.BYTES]: "bytes",
  [ScalarType.UINT32]: "uint32",
  [ScalarType.SFIXED32]: "sfixed32",
  [ScalarType.SFIXED64]: "sfixed64",
  [ScalarType.SINT32]: "sint32",
  [ScalarType.SINT64]: "sint64",
};

/** What a value is: a scalar, an enum or a message. */
type Element =
  | { readonly kind: "scalar"; readonly scalar: ScalarType }
  | { readonly kind: "enum"; readonly enum: DescEnum }
  | { readonly kind: "message"; readonly message: DescMessage };

/** `FeatureSet.FieldPresence.IMPLICIT`: a proto3 field without `optional`. */
const IMPLICIT_PRESENCE = 2;

const WRAPPERS = new Set([
  "google.protobuf.DoubleValue",
  "google.protobuf.FloatValue",
  "google.protobuf.Int64Value",
  "google.protobuf.UInt64Value",
  "google.protobuf.Int32Value",
  "google.protobuf.UInt32Value",
  "google.protobuf.BoolValue",
  "google.protobuf.StringValue",
  "google.protobuf.BytesValue",
]);

/** How a Validator reads messages: @bufbuild/protobuf's reflection shape or ts-proto's generated shape. */
export type MessageShape = "reflect" | "generated";

/** ts-proto's property name for a proto field or oneof name (its `snakeToCamel` for names with underscores). */
export function generatedName(protoName: string): string {
  if (!protoName.includes("_")) return protoName;
  const hasLowerCase = /[a-z]/.test(protoName);
  return protoName
    .split("_")
    .map((word, i) => {
      const w = hasLowerCase ? word : word.toLowerCase();
      return i === 0 ? w : w.slice(0, 1).toUpperCase() + w.slice(1);
    })
    .join("");
}

const EMPTY_LIST: readonly unknown[] = [];
const EMPTY_MAP: Readonly<Record<string, unknown>> = {};

/** Whether a wrapper value is boxed (`{ value }`) rather than the bare scalar (bytes are a Uint8Array). */
const isBoxed = (value: unknown): boolean => typeof value === "object" && value !== null && !(value instanceof Uint8Array);

/** The zero value of a scalar as it appears in a generated (ts-proto) message. */
function generatedZero(scalar: ScalarType): unknown {
  switch (scalar) {
    case ScalarType.STRING:
      return "";
    case ScalarType.BOOL:
      return false;
    case ScalarType.BYTES:
      return new Uint8Array(0);
    default:
      return SIXTY_FOUR_BIT.has(scalar) ? "0" : 0;
  }
}

/** Validates decoded messages against the `validate.*` options of the types in one registry. */
export class Validator {
  private readonly rulesExt: DescExtension | undefined;
  private readonly oneofRequiredExt: DescExtension | undefined;
  private readonly disabledExt: DescExtension | undefined;
  private readonly ignoredExt: DescExtension | undefined;
  private readonly plans = new Map<string, FieldVisitor[]>();
  private readonly walkNeeded = new Map<string, boolean>();
  private readonly ownRules = new Map<string, boolean>();
  private readonly rulesOfField = new Map<DescField, Message | undefined>();
  private readonly patterns = new Map<string, RE2JS>();

  /** Walks the content of Any fields, decoded to the reflect shape (this validator, or one for that shape). */
  private readonly anyContent: Validator;

  /**
   * `shape` says how the messages given to {@link validate} are laid out; the content of an Any is always
   * decoded to the reflect shape and walked by `anyContent` (a reflect-shape validator of the same registry;
   * created when not given).
   */
  constructor(
    private readonly registry: Registry,
    private readonly shape: MessageShape = "reflect",
    anyContent?: Validator,
  ) {
    this.anyContent = shape === "reflect" ? this : (anyContent ?? new Validator(registry, "reflect"));
    this.rulesExt = registry.getExtension("validate.rules");
    this.oneofRequiredExt = registry.getExtension("validate.required");
    this.disabledExt = registry.getExtension("validate.disabled");
    this.ignoredExt = registry.getExtension("validate.ignored");
  }

  /** Every violation in a decoded message of the given type. */
  validate(desc: DescMessage, message: Message, options: ValidateOptions = {}): Violation[] {
    const ctx: WalkContext = { out: [], path: [], depth: 0, recurseIntoAny: options.recurseIntoAny !== false };
    this.walk(desc, message as unknown as RawMessage, ctx);
    return ctx.out;
  }

  private walk(desc: DescMessage, message: RawMessage, ctx: WalkContext): void {
    if (desc.typeName === "google.protobuf.Any") {
      this.walkAny(message, ctx);
      return;
    }
    if (ctx.depth >= MAX_DEPTH) {
      report(ctx, "depth", `message nesting exceeds ${MAX_DEPTH} levels; not validated further`);
      return;
    }
    ctx.depth++;
    for (const visit of this.plan(desc)) visit(message, ctx);
    ctx.depth--;
  }

  private walkAny(any: RawMessage, ctx: WalkContext): void {
    const typeUrl = any["typeUrl"] as string;
    if (typeUrl === "" || !ctx.recurseIntoAny) return;
    const desc = this.registry.getMessage(typeUrl.slice(typeUrl.lastIndexOf("/") + 1));
    // A type this registry does not know cannot be checked; Envoy Gateway's Go validators never look inside an
    // Any either (the translator validates each message before packing it), so this is not a violation.
    if (desc === undefined || !this.needsWalk(desc)) return;
    let inner: Message;
    try {
      inner = fromBinary(desc, any["value"] as Uint8Array);
    } catch (error) {
      report(ctx, "any.decode", `value of type ${typeUrl} cannot be decoded: ${(error as Error).message}`);
      return;
    }
    this.anyContent.walk(desc, inner as unknown as RawMessage, ctx);
  }

  /** The property holding a field's value. */
  private fieldKey(field: DescField): string {
    return this.shape === "reflect" ? field.localName : generatedName(field.name);
  }

  private isDisabled(desc: DescMessage): boolean {
    const flag = (ext: DescExtension | undefined): boolean => ext !== undefined && hasOption(desc, ext) && getOption(desc, ext) === true;
    return flag(this.disabledExt) || flag(this.ignoredExt);
  }

  private fieldRules(field: DescField): Message | undefined {
    if (this.rulesOfField.has(field)) return this.rulesOfField.get(field);
    const ext = this.rulesExt;
    const rules = ext !== undefined && hasOption(field, ext) ? (getOption(field, ext) as Message) : undefined;
    this.rulesOfField.set(field, rules);
    return rules;
  }

  /** Whether a type has rules of its own (or is Any, whose content may). */
  private hasOwnRules(desc: DescMessage): boolean {
    let own = this.ownRules.get(desc.typeName);
    if (own === undefined) {
      const ext = this.oneofRequiredExt;
      own =
        desc.typeName === "google.protobuf.Any" ||
        (!this.isDisabled(desc) &&
          (desc.fields.some((f) => this.fieldRules(f) !== undefined) ||
            (ext !== undefined && desc.oneofs.some((o) => hasOption(o, ext) && getOption(o, ext) === true))));
      this.ownRules.set(desc.typeName, own);
    }
    return own;
  }

  /** Whether a message of this type, or anything reachable from it, can break a rule. */
  needsWalk(desc: DescMessage): boolean {
    const known = this.walkNeeded.get(desc.typeName);
    if (known !== undefined) return known;
    const seen = new Set<DescMessage>([desc]);
    const queue: DescMessage[] = [desc];
    let found = false;
    while (queue.length > 0 && !found) {
      const next = queue.pop() as DescMessage;
      const memo = this.walkNeeded.get(next.typeName);
      if (memo === false) continue;
      if (memo === true || this.hasOwnRules(next)) {
        found = true;
        break;
      }
      if (this.isDisabled(next)) continue;
      for (const field of next.fields) {
        const target = field.message;
        if (target !== undefined && !seen.has(target)) {
          seen.add(target);
          queue.push(target);
        }
      }
    }
    if (found) this.walkNeeded.set(desc.typeName, true);
    // A complete search found nothing: nothing reachable from any visited type has rules either.
    else for (const visited of seen) this.walkNeeded.set(visited.typeName, false);
    return found;
  }

  private plan(desc: DescMessage): FieldVisitor[] {
    let plan = this.plans.get(desc.typeName);
    if (plan === undefined) {
      plan = this.isDisabled(desc) ? [] : this.compileMessage(desc);
      this.plans.set(desc.typeName, plan);
    }
    return plan;
  }

  private compileMessage(desc: DescMessage): FieldVisitor[] {
    const visitors: FieldVisitor[] = [];
    for (const field of desc.fields) {
      if (field.oneof !== undefined) continue;
      const visitor = this.compileField(field);
      if (visitor !== undefined) visitors.push(visitor);
    }
    for (const oneof of desc.oneofs) {
      const ext = this.oneofRequiredExt;
      const required = ext !== undefined && hasOption(oneof, ext) && getOption(oneof, ext) === true;
      const members = new Map<string, { readonly name: string; readonly visit: ValueVisitor }>();
      for (const field of oneof.fields) {
        const visit = this.compileValue(this.fieldRules(field), elementOf(field), "");
        if (visit !== undefined) members.set(this.fieldKey(field), { name: field.jsonName, visit });
      }
      if (!required && members.size === 0) continue;
      const oneofName = oneof.name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
      const reflect = this.shape === "reflect";
      const oneofKey = reflect ? oneof.localName : generatedName(oneof.name);
      visitors.push((message, ctx) => {
        // reflect: always `{ case, value }`; generated: `{ $case, value }`, or undefined when unset.
        const selected = message[oneofKey] as { case?: string; $case?: string; value?: unknown } | undefined;
        const selectedCase = reflect ? selected?.case : selected?.$case;
        if (selectedCase === undefined) {
          if (required) reportAt(ctx, oneofName, "oneof.required", "value is required");
          return;
        }
        const member = members.get(selectedCase);
        if (member === undefined) return;
        ctx.path.push(member.name);
        member.visit((selected as { value?: unknown }).value, ctx);
        ctx.path.pop();
      });
    }
    return visitors;
  }

  private compileField(field: DescField): FieldVisitor | undefined {
    const rules = this.fieldRules(field);
    const name = field.jsonName;
    const key = this.fieldKey(field);
    switch (field.fieldKind) {
      case "scalar":
      case "enum":
      case "message": {
        const element = elementOf(field);
        const visit = this.compileValue(rules, element, "");
        if (visit === undefined) return undefined;
        // Proto3 `optional` scalars are undefined when unset and then not checked (Go: `if m.X != nil`).
        if (field.fieldKind !== "message") {
          // A generated message may leave an implicit-presence field out; encoding would write nothing, which
          // decodes to the zero value, so check that.
          if (this.shape === "generated" && field.presence === IMPLICIT_PRESENCE) {
            const zero = field.fieldKind === "enum" ? 0 : generatedZero(field.scalar);
            return (message, ctx) => {
              const value = message[key];
              ctx.path.push(name);
              visit(value === undefined ? zero : value, ctx);
              ctx.path.pop();
            };
          }
          return (message, ctx) => {
            const value = message[key];
            if (value === undefined) return;
            ctx.path.push(name);
            visit(value, ctx);
            ctx.path.pop();
          };
        }
        if (!this.requiresPresence(rules)) {
          // Nothing to report for an unset message: skip it without touching the path.
          return (message, ctx) => {
            const value = message[key];
            if (value === undefined) return;
            ctx.path.push(name);
            visit(value, ctx);
            ctx.path.pop();
          };
        }
        return (message, ctx) => {
          ctx.path.push(name);
          visit(message[key], ctx);
          ctx.path.pop();
        };
      }
      case "list":
        return this.compileList(field, rules);
      case "map":
        return this.compileMap(field, rules);
    }
  }

  /** Whether a message field's rules report it when unset (`message.required`, or `required` of its type's rules). */
  private requiresPresence(rules: Message | undefined): boolean {
    if (rules === undefined) return false;
    const messageRules = (rules as unknown as { message?: Message }).message;
    if (messageRules !== undefined && this.ruleValues(messageRules).get("required") === true) return true;
    const typeRules = (rules as unknown as { type: { case: string | undefined; value?: Message } }).type;
    return typeRules.value !== undefined && this.ruleValues(typeRules.value).get("required") === true;
  }

  private compileList(field: DescField & { fieldKind: "list" }, rules: Message | undefined): FieldVisitor | undefined {
    const repeated = caseOf(rules, "repeated");
    const r = repeated === undefined ? new Map<string, unknown>() : this.ruleValues(repeated);
    const element: Element =
      field.listKind === "scalar"
        ? { kind: "scalar", scalar: field.scalar }
        : field.listKind === "enum"
          ? { kind: "enum", enum: field.enum }
          : { kind: "message", message: field.message };
    const items = this.compileValue(r.get("items") as Message | undefined, element, "repeated.items.");
    const minItems = r.has("min_items") ? Number(r.get("min_items")) : 0;
    const maxItems = r.has("max_items") ? Number(r.get("max_items")) : undefined;
    const unique = r.get("unique") === true;
    const ignoreEmpty = r.get("ignore_empty") === true;
    if (items === undefined && minItems === 0 && maxItems === undefined && !unique) return undefined;
    const name = field.jsonName;
    const key = this.fieldKey(field);
    return (message, ctx) => {
      const list = (message[key] ?? EMPTY_LIST) as readonly unknown[];
      if (ignoreEmpty && list.length === 0) return;
      ctx.path.push(name);
      if (minItems > 0 && minItems === maxItems) {
        if (list.length !== minItems) report(ctx, "repeated.min_items", `value must contain exactly ${minItems} item(s)`);
      } else if (minItems > 0 && maxItems !== undefined) {
        if (list.length < minItems || list.length > maxItems) {
          report(ctx, "repeated.min_items", `value must contain between ${minItems} and ${maxItems} items, inclusive`);
        }
      } else if (minItems > 0) {
        if (list.length < minItems) report(ctx, "repeated.min_items", `value must contain at least ${minItems} item(s)`);
      } else if (maxItems !== undefined && list.length > maxItems) {
        report(ctx, "repeated.max_items", `value must contain no more than ${maxItems} item(s)`);
      }
      const seen = unique ? new Set<unknown>() : undefined;
      for (let i = 0; i < list.length; i++) {
        const item = list[i];
        if (seen !== undefined) {
          const identity = item instanceof Uint8Array ? Array.from(item).join(",") : item;
          if (seen.has(identity)) reportAt(ctx, i, "repeated.unique", "repeated value must contain unique items");
          else seen.add(identity);
        }
        if (items !== undefined) {
          ctx.path.push(i);
          items(item, ctx);
          ctx.path.pop();
        }
      }
      ctx.path.pop();
    };
  }

  private compileMap(field: DescField & { fieldKind: "map" }, rules: Message | undefined): FieldVisitor | undefined {
    const mapRules = caseOf(rules, "map");
    const r = mapRules === undefined ? new Map<string, unknown>() : this.ruleValues(mapRules);
    const keyScalar = field.mapKey;
    const valueElement: Element =
      field.mapKind === "scalar"
        ? { kind: "scalar", scalar: field.scalar }
        : field.mapKind === "enum"
          ? { kind: "enum", enum: field.enum }
          : { kind: "message", message: field.message };
    const keys = this.compileValue(r.get("keys") as Message | undefined, { kind: "scalar", scalar: keyScalar }, "map.keys.");
    const values = this.compileValue(r.get("values") as Message | undefined, valueElement, "map.values.");
    const minPairs = r.has("min_pairs") ? Number(r.get("min_pairs")) : 0;
    const maxPairs = r.has("max_pairs") ? Number(r.get("max_pairs")) : undefined;
    const noSparse = r.get("no_sparse") === true;
    const ignoreEmpty = r.get("ignore_empty") === true;
    if (keys === undefined && values === undefined && minPairs === 0 && maxPairs === undefined && !noSparse) return undefined;
    const name = field.jsonName;
    const localName = this.fieldKey(field);
    const typedKey = (text: string): unknown =>
      keyScalar === ScalarType.STRING ? text : keyScalar === ScalarType.BOOL ? text === "true" : SIXTY_FOUR_BIT.has(keyScalar) ? BigInt(text) : Number(text);
    return (message, ctx) => {
      const map = (message[localName] ?? EMPTY_MAP) as Record<string, unknown>;
      const entries = Object.keys(map);
      if (ignoreEmpty && entries.length === 0) return;
      ctx.path.push(name);
      if (minPairs > 0 && minPairs === maxPairs) {
        if (entries.length !== minPairs) report(ctx, "map.min_pairs", `value must contain exactly ${minPairs} pair(s)`);
      } else if (minPairs > 0 && maxPairs !== undefined) {
        if (entries.length < minPairs || entries.length > maxPairs) {
          report(ctx, "map.min_pairs", `value must contain between ${minPairs} and ${maxPairs} pairs, inclusive`);
        }
      } else if (minPairs > 0) {
        if (entries.length < minPairs) report(ctx, "map.min_pairs", `value must contain at least ${minPairs} pair(s)`);
      } else if (maxPairs !== undefined && entries.length > maxPairs) {
        report(ctx, "map.max_pairs", `value must contain no more than ${maxPairs} pair(s)`);
      }
      for (const entryKey of entries) {
        ctx.path.push(`[${keyScalar === ScalarType.STRING ? JSON.stringify(entryKey) : entryKey}]`);
        const value = map[entryKey];
        if (noSparse && value === undefined) report(ctx, "map.no_sparse", "value cannot be sparse, all pairs must be non-nil");
        if (keys !== undefined) keys(typedKey(entryKey), ctx);
        if (values !== undefined) values(value, ctx);
        ctx.path.pop();
      }
      ctx.path.pop();
    };
  }

  /** The visitor of one value under `rules` (a validate.FieldRules), or undefined when nothing can fail. */
  private compileValue(rules: Message | undefined, element: Element, prefix: string): ValueVisitor | undefined {
    const typeRules = rules === undefined ? undefined : (rules as unknown as { type: { case: string | undefined; value?: Message } }).type;
    if (element.kind === "scalar") {
      if (typeRules?.case !== RULE_CASE[element.scalar] || typeRules.value === undefined) return undefined;
      return this.scalarVisitor(element.scalar, typeRules.value, prefix + typeRules.case);
    }
    if (element.kind === "enum") {
      if (typeRules?.case !== "enum" || typeRules.value === undefined) return undefined;
      return this.testsVisitor(enumTests(element.enum, this.ruleValues(typeRules.value), prefix + "enum"));
    }
    const messageRules = rules === undefined ? undefined : (rules as unknown as { message?: Message }).message;
    const m = messageRules === undefined ? new Map<string, unknown>() : this.ruleValues(messageRules);
    const required = m.get("required") === true;
    const skip = m.get("skip") === true;
    const typeName = element.message.typeName;
    const requiredRule = `${prefix}message.required`;

    if (WRAPPERS.has(typeName) && typeRules?.case !== undefined && typeRules.value !== undefined) {
      const inner = element.message.fields[0] as DescField & { fieldKind: "scalar" };
      const check = typeRules.case === RULE_CASE[inner.scalar] ? this.scalarVisitor(inner.scalar, typeRules.value, prefix + typeRules.case) : undefined;
      // reflect: unboxed only for singular fields outside oneofs; generated: always unboxed. The value says which.
      return (value, ctx) => {
        if (value === undefined) {
          if (required) report(ctx, requiredRule, "value is required and must not be nil.");
          return;
        }
        check?.(isBoxed(value) ? (value as RawMessage)["value"] : value, ctx);
      };
    }
    if (typeName === "google.protobuf.Duration" && typeRules?.case === "duration" && typeRules.value !== undefined) {
      return this.timeVisitor("duration", this.ruleValues(typeRules.value), prefix + "duration", required, requiredRule);
    }
    if (typeName === "google.protobuf.Timestamp" && typeRules?.case === "timestamp" && typeRules.value !== undefined) {
      return this.timeVisitor("timestamp", this.ruleValues(typeRules.value), prefix + "timestamp", required, requiredRule);
    }
    if (typeName === "google.protobuf.Any" && typeRules?.case === "any" && typeRules.value !== undefined) {
      const a = this.ruleValues(typeRules.value);
      const anyRequired = a.get("required") === true;
      const allowed = a.get("in") as readonly string[] | undefined;
      const denied = a.get("not_in") as readonly string[] | undefined;
      const rule = prefix + "any";
      return (value, ctx) => {
        if (value === undefined) {
          if (anyRequired) report(ctx, `${rule}.required`, "value is required");
          else if (required) report(ctx, requiredRule, "value is required");
          return;
        }
        const typeUrl = (value as RawMessage)["typeUrl"] as string;
        if (allowed !== undefined && !allowed.includes(typeUrl)) report(ctx, `${rule}.in`, `type URL must be in list ${goList(allowed)}`);
        else if (denied !== undefined && denied.includes(typeUrl)) report(ctx, `${rule}.not_in`, `type URL must not be in list ${goList(denied)}`);
        this.walkAny(value as RawMessage, ctx);
      };
    }
    const recurse = !skip && this.needsWalk(element.message);
    if (!required && !recurse) return undefined;
    const desc = element.message;
    return (value, ctx) => {
      if (value === undefined) {
        if (required) report(ctx, requiredRule, "value is required");
        return;
      }
      if (recurse) this.walk(desc, value as RawMessage, ctx);
    };
  }

  private testsVisitor(tests: readonly Test[], ignoreEmpty?: (value: never) => boolean): ValueVisitor | undefined {
    if (tests.length === 0) return undefined;
    return (value, ctx) => {
      if (ignoreEmpty?.(value as never) === true) return;
      for (const test of tests) {
        const broken = test.check(value as never);
        if (typeof broken === "string") report(ctx, test.rule, broken);
        else if (broken !== undefined) report(ctx, broken.rule, broken.message);
      }
    };
  }

  private scalarVisitor(scalar: ScalarType, rules: Message, rule: string): ValueVisitor | undefined {
    const r = this.ruleValues(rules);
    if (scalar === ScalarType.STRING) {
      return this.testsVisitor(this.stringTests(r, rule), r.get("ignore_empty") === true ? (v: string) => v === "" : undefined);
    }
    if (scalar === ScalarType.BYTES) {
      return this.testsVisitor(this.bytesTests(r, rule), r.get("ignore_empty") === true ? (v: Uint8Array) => v.length === 0 : undefined);
    }
    if (scalar === ScalarType.BOOL) {
      const expected = r.get("const");
      return expected === undefined
        ? undefined
        : this.testsVisitor([{ rule: `${rule}.const`, check: (v: boolean) => (v === expected ? undefined : `value must equal ${String(expected)}`) }]);
    }
    const visit = this.testsVisitor(numberTests(r, rule, SIXTY_FOUR_BIT.has(scalar), scalar === ScalarType.FLOAT));
    // A generated message holds a float field as a double; the wire (and so Go) sees it rounded to 32 bits.
    if (visit !== undefined && scalar === ScalarType.FLOAT && this.shape === "generated") {
      return (value, ctx) => visit(Math.fround(value as number), ctx);
    }
    return visit;
  }

  // PGV patterns are RE2 (Go's regexp upstream); re2js matches them with Go's semantics in linear time.
  private pattern(source: string): RE2JS {
    let compiled = this.patterns.get(source);
    if (compiled === undefined) {
      compiled = RE2JS.compile(source);
      this.patterns.set(source, compiled);
    }
    return compiled;
  }

  private stringTests(r: ReadonlyMap<string, unknown>, rule: string): Test[] {
    const tests: Test[] = [];
    const add = (name: string, check: (v: string) => string | undefined): void => {
      tests.push({ rule: `${rule}.${name}`, check });
    };
    const constValue = r.get("const") as string | undefined;
    if (constValue !== undefined) add("const", (v) => (v === constValue ? undefined : `value must equal ${constValue}`));
    const allowed = r.get("in") as readonly string[] | undefined;
    const denied = r.get("not_in") as readonly string[] | undefined;
    if (allowed !== undefined) add("in", (v) => (allowed.includes(v) ? undefined : `value must be in list ${goList(allowed)}`));
    else if (denied !== undefined) add("not_in", (v) => (denied.includes(v) ? `value must not be in list ${goList(denied)}` : undefined));
    const lengthRules = (
      unit: string,
      measure: (v: string) => number,
      exact: number | undefined,
      min: number | undefined,
      max: number | undefined,
      names: readonly [string, string, string],
    ): void => {
      if (exact !== undefined || (min !== undefined && min === max)) {
        const n = exact ?? (min as number);
        add(exact !== undefined ? names[0] : names[1], (v) => (measure(v) === n ? undefined : `value length must be ${n} ${unit}`));
      } else if (min !== undefined && max !== undefined) {
        add(names[1], (v) => {
          const l = measure(v);
          return l < min || l > max ? `value length must be between ${min} and ${max} ${unit}, inclusive` : undefined;
        });
      } else if (min !== undefined) {
        add(names[1], (v) => (measure(v) < min ? `value length must be at least ${min} ${unit}` : undefined));
      } else if (max !== undefined) {
        add(names[2], (v) => (measure(v) > max ? `value length must be at most ${max} ${unit}` : undefined));
      }
    };
    const num = (key: string): number | undefined => (r.has(key) ? Number(r.get(key)) : undefined);
    lengthRules("runes", runeCount, num("len"), num("min_len"), num("max_len"), ["len", "min_len", "max_len"]);
    lengthRules("bytes", utf8Length, num("len_bytes"), num("min_bytes"), num("max_bytes"), ["len_bytes", "min_bytes", "max_bytes"]);
    const prefix = r.get("prefix") as string | undefined;
    if (prefix !== undefined) add("prefix", (v) => (v.startsWith(prefix) ? undefined : `value does not have prefix ${goQuote(prefix)}`));
    const suffix = r.get("suffix") as string | undefined;
    if (suffix !== undefined) add("suffix", (v) => (v.endsWith(suffix) ? undefined : `value does not have suffix ${goQuote(suffix)}`));
    const contains = r.get("contains") as string | undefined;
    if (contains !== undefined) add("contains", (v) => (v.includes(contains) ? undefined : `value does not contain substring ${goQuote(contains)}`));
    const notContains = r.get("not_contains") as string | undefined;
    if (notContains !== undefined) add("not_contains", (v) => (v.includes(notContains) ? `value contains substring ${goQuote(notContains)}` : undefined));
    if (r.get("ip") === true) add("ip", (v) => (parseIp(v) === undefined ? "value must be a valid IP address" : undefined));
    else if (r.get("ipv4") === true) {
      add("ipv4", (v) => {
        const ip = parseIp(v);
        return ip === undefined || !isIpv4Bytes(ip) ? "value must be a valid IPv4 address" : undefined;
      });
    } else if (r.get("ipv6") === true) {
      add("ipv6", (v) => {
        const ip = parseIp(v);
        return ip === undefined || isIpv4Bytes(ip) ? "value must be a valid IPv6 address" : undefined;
      });
    } else if (r.get("email") === true) {
      add("email", (v) => {
        const cause = emailError(v);
        return cause === undefined ? undefined : `value must be a valid email address | caused by: ${cause}`;
      });
    } else if (r.get("hostname") === true) {
      add("hostname", (v) => {
        const cause = hostnameError(v);
        return cause === undefined ? undefined : `value must be a valid hostname | caused by: ${cause}`;
      });
    } else if (r.get("address") === true) {
      add("address", (v) => (hostnameError(v) !== undefined && parseIp(v) === undefined ? "value must be a valid hostname, or ip address" : undefined));
    } else if (r.get("uri") === true) {
      add("uri", (v) => {
        const uri = parseUri(v);
        if ("error" in uri) return `value must be a valid URI | caused by: ${uri.error}`;
        return uri.scheme === "" ? "value must be absolute" : undefined;
      });
    } else if (r.get("uri_ref") === true) {
      add("uri_ref", (v) => {
        const uri = parseUri(v);
        return "error" in uri ? `value must be a valid URI | caused by: ${uri.error}` : undefined;
      });
    } else if (r.get("uuid") === true) {
      add("uuid", (v) => (isUuid(v) ? undefined : "value must be a valid UUID | caused by: invalid UUID string"));
    } else if (r.has("well_known_regex")) {
      const known = Number(r.get("well_known_regex"));
      const strict = r.get("strict") !== false;
      const [source, test] =
        known === 1 && strict
          ? [HEADER_NAME_PATTERN, isHeaderName]
          : known === 2 && strict
            ? [HEADER_VALUE_PATTERN, isHeaderValue]
            : [HEADER_STRING_PATTERN, isHeaderString];
      if (known === 1 || known === 2) {
        add("well_known_regex", (v) => (test(v) ? undefined : `value does not match regex pattern ${quotePattern(source)}`));
      }
    }
    const patternSource = r.get("pattern") as string | undefined;
    if (patternSource !== undefined) {
      const compiled = this.pattern(patternSource);
      add("pattern", (v) => (compiled.test(v) ? undefined : `value does not match regex pattern ${quotePattern(patternSource)}`));
    }
    return tests;
  }

  private bytesTests(r: ReadonlyMap<string, unknown>, rule: string): Test[] {
    const tests: Test[] = [];
    const add = (name: string, check: (v: Uint8Array) => string | undefined): void => {
      tests.push({ rule: `${rule}.${name}`, check });
    };
    const num = (key: string): number | undefined => (r.has(key) ? Number(r.get(key)) : undefined);
    const exact = num("len");
    const min = num("min_len");
    const max = num("max_len");
    if (exact !== undefined || (min !== undefined && min === max)) {
      const n = exact ?? (min as number);
      add(exact !== undefined ? "len" : "min_len", (v) => (v.length === n ? undefined : `value length must be ${n} bytes`));
    } else if (min !== undefined && max !== undefined) {
      add("min_len", (v) => (v.length < min || v.length > max ? `value length must be between ${min} and ${max} bytes, inclusive` : undefined));
    } else if (min !== undefined) {
      add("min_len", (v) => (v.length < min ? `value length must be at least ${min} bytes` : undefined));
    } else if (max !== undefined) {
      add("max_len", (v) => (v.length > max ? `value length must be at most ${max} bytes` : undefined));
    }
    const hex = (b: Uint8Array): string => `"${Array.from(b, (x) => `\\x${x.toString(16).toUpperCase()}`).join("")}"`;
    const prefix = r.get("prefix") as Uint8Array | undefined;
    if (prefix !== undefined) add("prefix", (v) => (indexOfBytes(v, prefix) === 0 ? undefined : `value does not have prefix ${hex(prefix)}`));
    const suffix = r.get("suffix") as Uint8Array | undefined;
    if (suffix !== undefined) {
      add("suffix", (v) =>
        v.length >= suffix.length && indexOfBytes(v.subarray(v.length - suffix.length), suffix) === 0 ? undefined : `value does not have suffix ${hex(suffix)}`,
      );
    }
    const contains = r.get("contains") as Uint8Array | undefined;
    if (contains !== undefined) add("contains", (v) => (indexOfBytes(v, contains) >= 0 ? undefined : `value does not contain ${hex(contains)}`));
    const key = (b: Uint8Array): string => Array.from(b).join(",");
    const allowed = r.get("in") as readonly Uint8Array[] | undefined;
    const denied = r.get("not_in") as readonly Uint8Array[] | undefined;
    if (allowed !== undefined) {
      const set = new Set(allowed.map(key));
      add("in", (v) => (set.has(key(v)) ? undefined : `value must be in list ${goList(allowed)}`));
    } else if (denied !== undefined) {
      const set = new Set(denied.map(key));
      add("not_in", (v) => (set.has(key(v)) ? `value must not be in list ${goList(denied)}` : undefined));
    }
    const constValue = r.get("const") as Uint8Array | undefined;
    if (constValue !== undefined) add("const", (v) => (key(v) === key(constValue) ? undefined : `value must equal ${goValue(constValue)}`));
    if (r.get("ip") === true) add("ip", (v) => (v.length === 4 || v.length === 16 ? undefined : "value must be a valid IP address"));
    else if (r.get("ipv4") === true)
      add("ipv4", (v) => (v.length === 4 || (v.length === 16 && isIpv4Bytes(v)) ? undefined : "value must be a valid IPv4 address"));
    else if (r.get("ipv6") === true) add("ipv6", (v) => (v.length === 16 && !isIpv4Bytes(v) ? undefined : "value must be a valid IPv6 address"));
    const patternSource = r.get("pattern") as string | undefined;
    if (patternSource !== undefined) {
      const compiled = this.pattern(patternSource);
      const decoder = new TextDecoder();
      add("pattern", (v) => (compiled.test(decoder.decode(v)) ? undefined : `value does not match regex pattern ${quotePattern(patternSource)}`));
    }
    return tests;
  }

  private timeVisitor(
    kind: "duration" | "timestamp",
    r: ReadonlyMap<string, unknown>,
    rule: string,
    messageRequired: boolean,
    requiredRule: string,
  ): ValueVisitor {
    const nanosOf = (m: unknown): bigint => {
      const raw = m as RawMessage;
      return BigInt(raw["seconds"] as bigint) * 1_000_000_000n + BigInt(raw["nanos"] as number);
    };
    const show = (m: unknown): string => {
      const raw = m as RawMessage;
      return kind === "duration" ? goDuration(nanosOf(m)) : goTimestamp(BigInt(raw["seconds"] as bigint), raw["nanos"] as number);
    };
    const bound = (key: string): { readonly value: bigint; readonly text: string } | undefined => {
      const m = r.get(key);
      return m === undefined ? undefined : { value: nanosOf(m), text: show(m) };
    };
    const required = r.get("required") === true;
    const constValue = bound("const");
    const range = rangeTest(bound("lt"), bound("lte"), bound("gt"), bound("gte"), rule);
    const list = (key: string): { readonly set: ReadonlySet<bigint>; readonly text: string } | undefined => {
      const values = r.get(key) as readonly unknown[] | undefined;
      return values === undefined ? undefined : { set: new Set(values.map(nanosOf)), text: `[${values.map(show).join(" ")}]` };
    };
    const allowed = list("in");
    const denied = list("not_in");
    const ltNow = r.get("lt_now") === true;
    const gtNow = r.get("gt_now") === true;
    // `within` is a duration even among timestamp rules.
    const withinRule = r.get("within");
    const within = withinRule === undefined ? undefined : { value: nanosOf(withinRule), text: goDuration(nanosOf(withinRule)) };
    return (value, ctx) => {
      if (value === undefined) {
        if (required) report(ctx, `${rule}.required`, "value is required");
        else if (messageRequired) report(ctx, requiredRule, "value is required");
        return;
      }
      const raw = value as RawMessage;
      const seconds = BigInt(raw["seconds"] as bigint);
      const nanos = raw["nanos"] as number;
      if (kind === "duration") {
        const limit = 315_576_000_000n;
        if (seconds < -limit || seconds > limit || nanos <= -1e9 || nanos >= 1e9 || (seconds > 0n && nanos < 0) || (seconds < 0n && nanos > 0)) {
          report(ctx, `${rule}.valid`, "value is not a valid duration");
          return;
        }
      } else if (seconds < -62_135_596_800n || seconds > 253_402_300_799n || nanos < 0 || nanos >= 1e9) {
        report(ctx, `${rule}.valid`, "value is not a valid timestamp");
        return;
      }
      const v = nanosOf(value);
      if (constValue !== undefined && v !== constValue.value) report(ctx, `${rule}.const`, `value must equal ${constValue.text}`);
      const broken = range?.(v);
      if (broken !== undefined) report(ctx, broken.rule, broken.message);
      if (kind === "timestamp" && (ltNow || gtNow || within !== undefined)) {
        const now = BigInt(Date.now()) * 1_000_000n;
        const w = within?.value;
        if (ltNow && (v >= now || (w !== undefined && v < now - w))) {
          report(ctx, `${rule}.lt_now`, w === undefined ? "value must be less than now" : `value must be less than now within ${within?.text}`);
        } else if (gtNow && (v <= now || (w !== undefined && v > now + w))) {
          report(ctx, `${rule}.gt_now`, w === undefined ? "value must be greater than now" : `value must be greater than now within ${within?.text}`);
        } else if (!ltNow && !gtNow && w !== undefined && (v >= now + w || v <= now - w)) {
          report(ctx, `${rule}.within`, `value must be within ${within?.text} of now`);
        }
      }
      if (allowed !== undefined && !allowed.set.has(v)) report(ctx, `${rule}.in`, `value must be in list ${allowed.text}`);
      else if (denied !== undefined && denied.set.has(v)) report(ctx, `${rule}.not_in`, `value must not be in list ${denied.text}`);
    };
  }

  /** The fields set in a rule message, by their proto names (`min_len`), oneof members included. */
  private ruleValues(rules: Message): Map<string, unknown> {
    const values = new Map<string, unknown>();
    const desc = this.registry.getMessage(rules.$typeName);
    if (desc === undefined) return values;
    const raw = rules as unknown as RawMessage;
    for (const field of desc.fields) {
      if (field.oneof !== undefined) {
        const selected = raw[field.oneof.localName] as { case: string | undefined; value?: unknown };
        if (selected.case === field.localName) values.set(field.name, selected.value);
      } else if (isFieldSet(rules, field)) {
        values.set(field.name, raw[field.localName]);
      }
    }
    return values;
  }
}

function elementOf(field: DescField): Element {
  switch (field.fieldKind) {
    case "scalar":
      return { kind: "scalar", scalar: field.scalar };
    case "enum":
      return { kind: "enum", enum: field.enum };
    case "message":
      return { kind: "message", message: field.message };
    default:
      throw new Error(`elementOf: ${field.toString()} is a ${field.fieldKind}`);
  }
}

function caseOf(rules: Message | undefined, name: string): Message | undefined {
  if (rules === undefined) return undefined;
  const type = (rules as unknown as { type: { case: string | undefined; value?: Message } }).type;
  return type.case === name ? type.value : undefined;
}

function indexOfBytes(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

type Bound<T> = { readonly value: T; readonly text: string } | undefined;

/**
 * The lt/lte/gt/gte test with protoc-gen-validate's semantics: a lower and an upper bound make a range, which
 * is "inside" when the upper bound is above the lower one and "outside" (exclusive) otherwise.
 */
function rangeTest<T extends number | bigint>(
  lt: Bound<T>,
  lte: Bound<T>,
  gt: Bound<T>,
  gte: Bound<T>,
  rule: string,
): ((v: T) => { readonly rule: string; readonly message: string } | undefined) | undefined {
  const upper = lt ?? lte;
  const lower = gt ?? gte;
  const upperName = lt !== undefined ? "lt" : "lte";
  const lowerName = gt !== undefined ? "gt" : "gte";
  if (upper !== undefined && lower !== undefined) {
    const name = `${rule}.${lowerName}_${upperName}`;
    const aboveLower = (v: T): boolean => (gt !== undefined ? v > gt.value : v >= (gte as NonNullable<Bound<T>>).value);
    const belowUpper = (v: T): boolean => (lt !== undefined ? v < lt.value : v <= (lte as NonNullable<Bound<T>>).value);
    const open = lowerName === "gt" ? "(" : "[";
    const close = upperName === "lt" ? ")" : "]";
    if (upper.value > lower.value) {
      const message = `value must be inside range ${open}${lower.text}, ${upper.text}${close}`;
      return (v) => (aboveLower(v) && belowUpper(v) ? undefined : { rule: name, message });
    }
    // Exclusive range: the value must lie outside [upper, lower] (with the bounds' own inclusivity flipped).
    const outsideOpen = upperName === "lt" ? "[" : "(";
    const outsideClose = lowerName === "gt" ? "]" : ")";
    const message = `value must be outside range ${outsideOpen}${upper.text}, ${lower.text}${outsideClose}`;
    return (v) => (aboveLower(v) || belowUpper(v) ? undefined : { rule: `${name}_exclusive`, message });
  }
  if (lt !== undefined) return (v) => (v < lt.value ? undefined : { rule: `${rule}.lt`, message: `value must be less than ${lt.text}` });
  if (lte !== undefined) return (v) => (v <= lte.value ? undefined : { rule: `${rule}.lte`, message: `value must be less than or equal to ${lte.text}` });
  if (gt !== undefined) return (v) => (v > gt.value ? undefined : { rule: `${rule}.gt`, message: `value must be greater than ${gt.text}` });
  if (gte !== undefined) return (v) => (v >= gte.value ? undefined : { rule: `${rule}.gte`, message: `value must be greater than or equal to ${gte.text}` });
  return undefined;
}

function numberTests(r: ReadonlyMap<string, unknown>, rule: string, sixtyFourBit: boolean, float32: boolean): Test[] {
  const norm = sixtyFourBit ? (v: unknown): number | bigint => BigInt(v as bigint) : (v: unknown): number | bigint => v as number;
  const show = (v: unknown): string => (float32 ? goFloat32(v as number) : goValue(v));
  const bound = (key: string): Bound<number | bigint> => {
    const v = r.get(key);
    return v === undefined ? undefined : { value: norm(v), text: show(v) };
  };
  const tests: Test[] = [];
  const constValue = bound("const");
  if (constValue !== undefined) {
    tests.push({ rule: `${rule}.const`, check: (v: number | bigint) => (norm(v) === constValue.value ? undefined : `value must equal ${constValue.text}`) });
  }
  const range = rangeTest(bound("lt"), bound("lte"), bound("gt"), bound("gte"), rule);
  if (range !== undefined) {
    tests.push({ rule: `${rule}.range`, check: (v: number | bigint) => range(norm(v)) });
  }
  const allowed = r.get("in") as readonly unknown[] | undefined;
  const denied = r.get("not_in") as readonly unknown[] | undefined;
  const listText = (values: readonly unknown[]): string => `[${values.map(show).join(" ")}]`;
  if (allowed !== undefined) {
    const set = new Set(allowed.map(norm));
    tests.push({ rule: `${rule}.in`, check: (v: number | bigint) => (set.has(norm(v)) ? undefined : `value must be in list ${listText(allowed)}`) });
  } else if (denied !== undefined) {
    const set = new Set(denied.map(norm));
    tests.push({ rule: `${rule}.not_in`, check: (v: number | bigint) => (set.has(norm(v)) ? `value must not be in list ${listText(denied)}` : undefined) });
  }
  return tests;
}

function enumTests(desc: DescEnum, r: ReadonlyMap<string, unknown>, rule: string): Test[] {
  const tests: Test[] = [];
  const constValue = r.get("const") as number | undefined;
  if (constValue !== undefined) tests.push({ rule: `${rule}.const`, check: (v: number) => (v === constValue ? undefined : `value must equal ${constValue}`) });
  const allowed = r.get("in") as readonly number[] | undefined;
  const denied = r.get("not_in") as readonly number[] | undefined;
  if (allowed !== undefined)
    tests.push({ rule: `${rule}.in`, check: (v: number) => (allowed.includes(v) ? undefined : `value must be in list ${goList(allowed)}`) });
  else if (denied !== undefined)
    tests.push({ rule: `${rule}.not_in`, check: (v: number) => (denied.includes(v) ? `value must not be in list ${goList(denied)}` : undefined) });
  if (r.get("defined_only") === true) {
    const defined = new Set(desc.values.map((v) => v.number));
    tests.push({ rule: `${rule}.defined_only`, check: (v: number) => (defined.has(v) ? undefined : "value must be one of the defined enum values") });
  }
  return tests;
}
