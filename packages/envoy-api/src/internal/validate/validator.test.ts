// Rule families Envoy's protos do not use (or use rarely) are checked on a small proto file written here, built
// as a descriptor with validate.proto's options set, so every rule runs through the same compile-and-walk path.
import { describe, expect, it } from "vitest";
import {
  create,
  createFileRegistry,
  fromJson,
  setExtension,
  toBinary,
  type DescMessage,
  type FileRegistry,
  type JsonValue,
  type Message,
} from "@bufbuild/protobuf";
import {
  AnySchema,
  DescriptorProtoSchema,
  FieldDescriptorProto_Label,
  FieldDescriptorProto_Type,
  FieldDescriptorProtoSchema,
  FieldOptionsSchema,
  FileDescriptorProtoSchema,
  MessageOptionsSchema,
  OneofOptionsSchema,
  type DescriptorProto,
  type FieldDescriptorProto,
} from "@bufbuild/protobuf/wkt";
import { descriptorRegistry } from "../../Descriptors.js";
import { Validator, type Violation } from "./validator.js";

const base = descriptorRegistry();
const ext = (name: string) => {
  const found = base.getExtension(name);
  if (found === undefined) throw new Error(`missing extension ${name}`);
  return found;
};
const fieldRulesDesc = base.getMessage("validate.FieldRules") as DescMessage;

const scalarTypes: Readonly<Record<string, FieldDescriptorProto_Type>> = {
  double: FieldDescriptorProto_Type.DOUBLE,
  float: FieldDescriptorProto_Type.FLOAT,
  int64: FieldDescriptorProto_Type.INT64,
  uint64: FieldDescriptorProto_Type.UINT64,
  int32: FieldDescriptorProto_Type.INT32,
  fixed64: FieldDescriptorProto_Type.FIXED64,
  fixed32: FieldDescriptorProto_Type.FIXED32,
  bool: FieldDescriptorProto_Type.BOOL,
  string: FieldDescriptorProto_Type.STRING,
  bytes: FieldDescriptorProto_Type.BYTES,
  uint32: FieldDescriptorProto_Type.UINT32,
  sfixed32: FieldDescriptorProto_Type.SFIXED32,
  sfixed64: FieldDescriptorProto_Type.SFIXED64,
  sint32: FieldDescriptorProto_Type.SINT32,
  sint64: FieldDescriptorProto_Type.SINT64,
};

interface FieldSpec {
  readonly type: string; // a scalar name, `.egts.test.Color` (enum) or `.pkg.Message`
  readonly rules?: JsonValue;
  readonly repeated?: boolean;
  readonly optional?: boolean;
  readonly oneof?: string;
  readonly map?: readonly [string, string];
}

const isEnumType = (type: string): boolean => type === ".egts.test.Color";

function fieldProto(name: string, number: number, type: string, extra: Partial<FieldDescriptorProto> = {}): FieldDescriptorProto {
  const scalar = scalarTypes[type];
  const field = create(FieldDescriptorProtoSchema, {
    name,
    // protoc and buf always fill in json_name.
    jsonName: name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()),
    number,
    label: FieldDescriptorProto_Label.OPTIONAL,
  });
  if (scalar !== undefined) field.type = scalar;
  else {
    field.type = isEnumType(type) ? FieldDescriptorProto_Type.ENUM : FieldDescriptorProto_Type.MESSAGE;
    field.typeName = type;
  }
  return Object.assign(field, extra);
}

/** A message descriptor proto from field specs (declaration order = field numbers 1, 2, ...). */
function messageProto(
  name: string,
  fields: Readonly<Record<string, FieldSpec>>,
  options: { disabled?: boolean; requiredOneofs?: readonly string[] } = {},
): DescriptorProto {
  const message = create(DescriptorProtoSchema, { name });
  const oneofIndex = new Map<string, number>();
  const oneofOf = (oneof: string): number => {
    let index = oneofIndex.get(oneof);
    if (index === undefined) {
      index = message.oneofDecl.length;
      oneofIndex.set(oneof, index);
      const oneofOptions = create(OneofOptionsSchema);
      if (options.requiredOneofs?.includes(oneof) === true) setExtension(oneofOptions, ext("validate.required"), true);
      message.oneofDecl.push({ $typeName: "google.protobuf.OneofDescriptorProto", name: oneof, options: oneofOptions });
    }
    return index;
  };
  let number = 0;
  for (const [fieldName, spec] of Object.entries(fields)) {
    number++;
    const extra: Partial<FieldDescriptorProto> = {};
    if (spec.rules !== undefined) {
      const fieldOptions = create(FieldOptionsSchema);
      setExtension(fieldOptions, ext("validate.rules"), fromJson(fieldRulesDesc, spec.rules, { registry: base }) as never);
      extra.options = fieldOptions;
    }
    if (spec.oneof !== undefined) extra.oneofIndex = oneofOf(spec.oneof);
    if (spec.optional === true) {
      extra.proto3Optional = true;
      extra.oneofIndex = oneofOf(`_${fieldName}`);
    }
    if (spec.map !== undefined) {
      const entryName = `${fieldName.replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase())}Entry`;
      const entry = create(DescriptorProtoSchema, {
        name: entryName,
        field: [fieldProto("key", 1, spec.map[0]), fieldProto("value", 2, spec.map[1])],
        options: create(MessageOptionsSchema, { mapEntry: true }),
      });
      message.nestedType.push(entry);
      message.field.push(fieldProto(fieldName, number, `.egts.test.${name}.${entryName}`, { ...extra, label: FieldDescriptorProto_Label.REPEATED }));
      continue;
    }
    if (spec.repeated === true) extra.label = FieldDescriptorProto_Label.REPEATED;
    message.field.push(fieldProto(fieldName, number, spec.type, extra));
  }
  if (options.disabled === true) {
    const messageOptions = create(MessageOptionsSchema);
    setExtension(messageOptions, ext("validate.disabled"), true);
    message.options = messageOptions;
  }
  return message;
}

const str = (rules: JsonValue): FieldSpec => ({ type: "string", rules: { string: rules } });
const opt = (type: string, rules: JsonValue): FieldSpec => ({ type, rules, optional: true });

const file = create(FileDescriptorProtoSchema, {
  name: "egts/test/pgv.proto",
  package: "egts.test",
  syntax: "proto3",
  dependency: [
    "validate/validate.proto",
    "google/protobuf/any.proto",
    "google/protobuf/duration.proto",
    "google/protobuf/timestamp.proto",
    "google/protobuf/wrappers.proto",
  ],
  enumType: [{ name: "Color", value: [0, 1, 2].map((n) => ({ name: `COLOR_${n}`, number: n })) }],
  messageType: [
    messageProto("Inner", { name: str({ min_len: 1 }) }),
    messageProto("Disabled", { name: str({ min_len: 1 }) }, { disabled: true }),
    messageProto("Node", { id: str({ min_len: 1 }), child: { type: ".egts.test.Node" } }),
    messageProto("Strings", {
      exact: str({ const: "abc" }),
      runes: str({ len: 2 }),
      between: str({ min_len: 2, max_len: 3 }),
      bytes_len: str({ min_bytes: 2, max_bytes: 4 }),
      affixes: str({ prefix: "pre", suffix: "suf", contains: "mid", not_contains: "bad" }),
      listed: str({ in: ["a", "b"] }),
      unlisted: str({ not_in: ["x"] }),
      pattern: str({ pattern: "(?i)^[a-z]+\\z" }),
      header_value: str({ well_known_regex: "HTTP_HEADER_VALUE" }),
      ignored: str({ min_len: 3, ignore_empty: true }),
    }),
    messageProto("Risky", { nested: str({ pattern: "^([a-z]+)*$" }) }),
    messageProto("Formats", {
      hostname: opt("string", { string: { hostname: true } }),
      ip: opt("string", { string: { ip: true } }),
      ipv4: opt("string", { string: { ipv4: true } }),
      ipv6: opt("string", { string: { ipv6: true } }),
      address: opt("string", { string: { address: true } }),
      uri: opt("string", { string: { uri: true } }),
      uri_ref: opt("string", { string: { uri_ref: true } }),
      email: opt("string", { string: { email: true } }),
      uuid: opt("string", { string: { uuid: true } }),
    }),
    messageProto("Bytes", {
      data: opt("bytes", { bytes: { min_len: 2, max_len: 4, prefix: "AQ==", contains: "Ag==" } }),
      exact: opt("bytes", { bytes: { const: "AQI=" } }),
      ip: opt("bytes", { bytes: { ipv4: true } }),
      pattern: opt("bytes", { bytes: { pattern: "^[a-z]+$" } }),
    }),
    messageProto("Numbers", {
      i32: opt("int32", { int32: { gt: 10, lt: 5 } }),
      i64: opt("int64", { int64: { in: ["1", "2"] } }),
      u32: opt("uint32", { uint32: { const: 7 } }),
      s32: opt("sint32", { sint32: { not_in: [3] } }),
      s64: opt("sint64", { sint64: { gte: "-5", lte: "5" } }),
      f32: opt("float", { float: { gt: 0.1 } }),
      f64: opt("double", { double: { gte: -1, lt: 1 } }),
      fx32: opt("fixed32", { fixed32: { lte: 100 } }),
      fx64: opt("fixed64", { fixed64: { lt: "18446744073709551615" } }),
      sfx32: opt("sfixed32", { sfixed32: { gte: -5 } }),
      sfx64: opt("sfixed64", { sfixed64: { lte: "-1", gte: "1" } }),
      flag: opt("bool", { bool: { const: true } }),
    }),
    messageProto("Enums", {
      defined: { type: ".egts.test.Color", rules: { enum: { defined_only: true, not_in: [2] } } },
      exact: opt(".egts.test.Color", { enum: { const: 1 } }),
      listed: opt(".egts.test.Color", { enum: { in: [1, 2] } }),
    }),
    messageProto("Times", {
      dur: { type: ".google.protobuf.Duration", rules: { duration: { required: true, gte: "1s", lt: "10s" } } },
      dur_in: { type: ".google.protobuf.Duration", rules: { duration: { in: ["1s", "1.5s"] } } },
      ts: { type: ".google.protobuf.Timestamp", rules: { timestamp: { gt: "2020-01-01T00:00:00Z" } } },
      ts_past: { type: ".google.protobuf.Timestamp", rules: { timestamp: { lt_now: true } } },
      ts_soon: { type: ".google.protobuf.Timestamp", rules: { timestamp: { within: "3600s" } } },
    }),
    messageProto("Anys", {
      only_inner: { type: ".google.protobuf.Any", rules: { any: { in: ["type.googleapis.com/egts.test.Inner"] } } },
      not_node: { type: ".google.protobuf.Any", rules: { any: { not_in: ["type.googleapis.com/egts.test.Node"] } } },
      list: { type: ".google.protobuf.Any", repeated: true },
    }),
    messageProto("Messages", {
      required: { type: ".egts.test.Inner", rules: { message: { required: true } } },
      skipped: { type: ".egts.test.Inner", rules: { message: { skip: true } } },
      plain: { type: ".egts.test.Inner" },
      disabled: { type: ".egts.test.Disabled" },
      wrapped: { type: ".google.protobuf.UInt32Value", rules: { uint32: { gt: 0 }, message: { required: true } } },
      wrapped_string: { type: ".google.protobuf.StringValue", rules: { string: { min_len: 2 } } },
      node: { type: ".egts.test.Node" },
    }),
    messageProto("Repeated", {
      names: { type: "string", repeated: true, rules: { repeated: { min_items: 1, max_items: 3, unique: true, items: { string: { min_len: 1 } } } } },
      exact: { type: "int32", repeated: true, rules: { repeated: { min_items: 2, max_items: 2 } } },
      inners: { type: ".egts.test.Inner", repeated: true, rules: { repeated: { items: { message: { required: true } } } } },
      plain_inners: { type: ".egts.test.Inner", repeated: true },
    }),
    messageProto("Maps", {
      by_name: { type: "", map: ["string", ".egts.test.Inner"], rules: { map: { min_pairs: 1, max_pairs: 2, keys: { string: { prefix: "k" } } } } },
      by_number: { type: "", map: ["int32", "string"], rules: { map: { keys: { int32: { gt: 0 } }, values: { string: { min_len: 1 } } } } },
      plain: { type: "", map: ["bool", ".egts.test.Inner"] },
    }),
    messageProto(
      "Oneofs",
      { a: { ...str({ min_len: 2 }), oneof: "choice" }, b: { type: ".egts.test.Inner", oneof: "choice" }, c: { type: "string", oneof: "free" } },
      { requiredOneofs: ["choice"] },
    ),
  ],
});

const registry: FileRegistry = createFileRegistry(
  createFileRegistry(file, (name) => base.getFile(name)),
  base,
);
const validator = new Validator(registry);
const descOf = (name: string): DescMessage => registry.getMessage(`egts.test.${name}`) as DescMessage;
const check = (name: string, json: JsonValue): Violation[] => {
  const desc = descOf(name);
  return validator.validate(desc, fromJson(desc, json, { registry }));
};
const v = (path: string, rule: string, message: string): Violation => ({ path, rule, message });

describe("string rules", () => {
  it("reports each broken rule, with Go's wording", () => {
    expect(
      check("Strings", {
        exact: "abd",
        runes: "😀",
        between: "abcd",
        bytesLen: "é",
        affixes: "xx",
        listed: "c",
        unlisted: "x",
        pattern: "ABc1",
        headerValue: "a\u0001",
        ignored: "ab",
      }),
    ).toEqual([
      v("exact", "string.const", "value must equal abc"),
      // One rune, though two UTF-16 code units.
      v("runes", "string.len", "value length must be 2 runes"),
      v("between", "string.min_len", "value length must be between 2 and 3 runes, inclusive"),
      v("affixes", "string.prefix", 'value does not have prefix "pre"'),
      v("affixes", "string.suffix", 'value does not have suffix "suf"'),
      v("affixes", "string.contains", 'value does not contain substring "mid"'),
      v("listed", "string.in", "value must be in list [a b]"),
      v("unlisted", "string.not_in", "value must not be in list [x]"),
      v("pattern", "string.pattern", 'value does not match regex pattern "(?i)^[a-z]+\\z"'),
      v("headerValue", "string.well_known_regex", 'value does not match regex pattern "^[^\\x00-\\x08\\x0A-\\x1F\\x7F]*$"'),
      v("ignored", "string.min_len", "value length must be at least 3 runes"),
    ]);
    // `é` is 2 bytes, within [2, 4]; and the empty string is exempt under ignore_empty.
    expect(
      check("Strings", { exact: "abc", runes: "ab", between: "ab", bytesLen: "éé", affixes: "premidsuf", listed: "a", pattern: "AbC", ignored: "" }),
    ).toEqual([]);
    expect(check("Strings", { exact: "abc", runes: "ab", between: "ab", bytesLen: "ééé", affixes: "premidbadsuf", listed: "b", pattern: "abc" })).toEqual([
      v("bytesLen", "string.min_bytes", "value length must be between 2 and 4 bytes, inclusive"),
      v("affixes", "string.not_contains", 'value contains substring "bad"'),
    ]);
  });

  it("matches a backtracking-prone pattern over long input in linear time (RE2)", () => {
    expect(check("Risky", { nested: "abc" })).toEqual([]);
    expect(check("Risky", { nested: `${"a".repeat(100_000)}!` })).toEqual([v("nested", "string.pattern", 'value does not match regex pattern "^([a-z]+)*$"')]);
  });

  it("checks the well-known formats as Go does", () => {
    const ok = {
      hostname: "Example.COM.",
      ip: "::ffff:10.0.0.1",
      ipv4: "10.0.0.1",
      ipv6: "fe80::1",
      address: "10.0.0.1",
      uri: "https://a.b/c?d#e",
      uriRef: "/relative/path",
      email: "Jane <jane@example.com>",
      uuid: "123e4567-E89B-12d3-a456-426614174000",
    };
    expect(check("Formats", ok)).toEqual([]);
    expect(
      check("Formats", {
        hostname: "-bad.example",
        ip: "10.0.0.256",
        ipv4: "::1",
        ipv6: "::ffff:1.2.3.4",
        address: "bad_host",
        uri: "relative/path",
        uriRef: "%zz",
        email: "jane",
        uuid: "123e4567e89b12d3a456426614174000",
      }),
    ).toEqual([
      v("hostname", "string.hostname", "value must be a valid hostname | caused by: hostname parts cannot begin with hyphens"),
      v("ip", "string.ip", "value must be a valid IP address"),
      v("ipv4", "string.ipv4", "value must be a valid IPv4 address"),
      v("ipv6", "string.ipv6", "value must be a valid IPv6 address"),
      v("address", "string.address", "value must be a valid hostname, or ip address"),
      v("uri", "string.uri", "value must be absolute"),
      v("uriRef", "string.uri_ref", 'value must be a valid URI | caused by: invalid URL escape "%zz"'),
      v("email", "string.email", "value must be a valid email address | caused by: mail: missing '@' or angle-addr"),
      v("uuid", "string.uuid", "value must be a valid UUID | caused by: invalid UUID string"),
    ]);
    // proto3 `optional` fields that are unset are not checked at all.
    expect(check("Formats", {})).toEqual([]);
  });
});

describe("bytes, numbers, bools and enums", () => {
  it("bytes rules", () => {
    expect(check("Bytes", { data: "AQID", exact: "AQI=", ip: "CgAAAQ==", pattern: "YWJj" })).toEqual([]);
    expect(check("Bytes", { data: "AgEBAQEB", exact: "AQ==", ip: "AQID", pattern: "QUJD" })).toEqual([
      v("data", "bytes.min_len", "value length must be between 2 and 4 bytes, inclusive"),
      v("data", "bytes.prefix", 'value does not have prefix "\\x1"'),
      v("exact", "bytes.const", "value must equal [1 2]"),
      v("ip", "bytes.ipv4", "value must be a valid IPv4 address"),
      v("pattern", "bytes.pattern", 'value does not match regex pattern "^[a-z]+$"'),
    ]);
  });

  it("numeric ranges, exclusive ranges, const, in and not_in for every numeric type", () => {
    expect(
      check("Numbers", {
        i32: 11,
        i64: "2",
        u32: 7,
        s32: 4,
        s64: "-5",
        f32: 0.75,
        f64: -1,
        fx32: 100,
        fx64: "18446744073709551614",
        sfx32: -5,
        sfx64: "-1",
        flag: true,
      }),
    ).toEqual([]);
    expect(
      check("Numbers", {
        i32: 7,
        i64: "3",
        u32: 8,
        s32: 3,
        s64: "6",
        f32: 0.1,
        f64: 1,
        fx32: 101,
        fx64: "18446744073709551615",
        sfx32: -6,
        sfx64: "0",
        flag: false,
      }),
    ).toEqual([
      v("i32", "int32.gt_lt_exclusive", "value must be outside range [5, 10]"),
      v("i64", "int64.in", "value must be in list [1 2]"),
      v("u32", "uint32.const", "value must equal 7"),
      v("s32", "sint32.not_in", "value must not be in list [3]"),
      v("s64", "sint64.gte_lte", "value must be inside range [-5, 5]"),
      v("f32", "float.gt", "value must be greater than 0.1"),
      v("f64", "double.gte_lt", "value must be inside range [-1, 1)"),
      v("fx32", "fixed32.lte", "value must be less than or equal to 100"),
      v("fx64", "fixed64.lt", "value must be less than 18446744073709551615"),
      v("sfx32", "sfixed32.gte", "value must be greater than or equal to -5"),
      v("sfx64", "sfixed64.gte_lte_exclusive", "value must be outside range (-1, 1)"),
      v("flag", "bool.const", "value must equal true"),
    ]);
  });

  it("enum defined_only, const, in and not_in", () => {
    const desc = descOf("Enums");
    const message = create(desc, { defined: 7, exact: 2, listed: 0 } as never);
    expect(validator.validate(desc, message)).toEqual([
      v("defined", "enum.defined_only", "value must be one of the defined enum values"),
      v("exact", "enum.const", "value must equal 1"),
      v("listed", "enum.in", "value must be in list [1 2]"),
    ]);
    expect(check("Enums", { defined: "COLOR_2" })).toEqual([v("defined", "enum.not_in", "value must not be in list [2]")]);
  });
});

describe("durations and timestamps", () => {
  it("required, ranges, in, and validity", () => {
    expect(
      check("Times", { dur: "1s", durIn: "1.500s", ts: "2021-01-01T00:00:00Z", tsPast: "2021-01-01T00:00:00Z", tsSoon: new Date().toISOString() }),
    ).toEqual([]);
    expect(check("Times", {})).toEqual([v("dur", "duration.required", "value is required")]);
    expect(check("Times", { dur: "10s", durIn: "2s", ts: "2020-01-01T00:00:00Z", tsPast: "2999-01-01T00:00:00Z", tsSoon: "2000-01-01T00:00:00Z" })).toEqual([
      v("dur", "duration.gte_lt", "value must be inside range [1s, 10s)"),
      v("durIn", "duration.in", "value must be in list [1s 1.5s]"),
      v("ts", "timestamp.gt", "value must be greater than 2020-01-01 00:00:00 +0000 UTC"),
      v("tsPast", "timestamp.lt_now", "value must be less than now"),
      v("tsSoon", "timestamp.within", "value must be within 1h0m0s of now"),
    ]);
  });
});

describe("messages, Any, repeated, maps, oneofs", () => {
  const inner = (name: string): Message => create(descOf("Inner"), { name } as never);
  const anyOf = (message: Message): Message =>
    create(AnySchema, { typeUrl: `type.googleapis.com/${message.$typeName}`, value: toBinary(registry.getMessage(message.$typeName) as DescMessage, message) });

  it("message.required, skip, disabled types, wrappers, and recursion through a self-referencing type", () => {
    expect(check("Messages", {})).toEqual([
      v("required", "message.required", "value is required"),
      v("wrapped", "message.required", "value is required and must not be nil."),
    ]);
    expect(
      check("Messages", {
        required: { name: "" },
        skipped: { name: "" },
        plain: { name: "" },
        disabled: { name: "" },
        wrapped: 0,
        wrappedString: "a",
        node: { id: "a", child: { id: "b", child: { id: "" } } },
      }),
    ).toEqual([
      v("required.name", "string.min_len", "value length must be at least 1 runes"),
      v("plain.name", "string.min_len", "value length must be at least 1 runes"),
      v("wrapped", "uint32.gt", "value must be greater than 0"),
      v("wrappedString", "string.min_len", "value length must be at least 2 runes"),
      v("node.child.child.id", "string.min_len", "value length must be at least 1 runes"),
    ]);
  });

  it("stops at a nesting depth bound instead of recursing without end", () => {
    const nodeDesc = descOf("Node");
    let node = create(nodeDesc, { id: "leaf" } as never);
    for (let i = 0; i < 150; i++) node = create(nodeDesc, { id: "n", child: node } as never);
    const desc = descOf("Messages");
    const violations = validator.validate(desc, create(desc, { required: inner("x"), wrapped: 1, node } as never));
    expect(violations).toHaveLength(1);
    expect(violations[0]?.rule).toBe("depth");
  });

  it("any in/not_in, and the content of an Any validated under the Any's path", () => {
    const desc = descOf("Anys");
    const message = create(desc, {
      onlyInner: anyOf(create(descOf("Node"), { id: "x" } as never)),
      notNode: anyOf(create(descOf("Node"), { id: "" } as never)),
      list: [anyOf(inner("ok")), anyOf(inner("")), create(AnySchema, { typeUrl: "type.googleapis.com/unknown.Type", value: new Uint8Array([1, 2]) })],
    } as never);
    expect(validator.validate(desc, message)).toEqual([
      v("onlyInner", "any.in", "type URL must be in list [type.googleapis.com/egts.test.Inner]"),
      v("notNode", "any.not_in", "type URL must not be in list [type.googleapis.com/egts.test.Node]"),
      v("notNode.id", "string.min_len", "value length must be at least 1 runes"),
      v("list[1].name", "string.min_len", "value length must be at least 1 runes"),
    ]);
    expect(validator.validate(desc, message, { recurseIntoAny: false })).toEqual([
      v("onlyInner", "any.in", "type URL must be in list [type.googleapis.com/egts.test.Inner]"),
      v("notNode", "any.not_in", "type URL must not be in list [type.googleapis.com/egts.test.Node]"),
    ]);
    const broken = create(desc, {
      list: [create(AnySchema, { typeUrl: "type.googleapis.com/egts.test.Inner", value: new Uint8Array([0x0a, 0x09]) })],
    } as never);
    expect(validator.validate(desc, broken).map((x) => x.rule)).toEqual(["any.decode"]);
  });

  it("repeated min/max items, unique, item rules, and items' own rules", () => {
    expect(check("Repeated", { names: ["a", "b"], exact: [1, 2] })).toEqual([]);
    expect(check("Repeated", { names: [], exact: [1] })).toEqual([
      v("names", "repeated.min_items", "value must contain between 1 and 3 items, inclusive"),
      v("exact", "repeated.min_items", "value must contain exactly 2 item(s)"),
    ]);
    expect(check("Repeated", { names: ["a", "", "a"], exact: [1, 2], inners: [{ name: "" }], plainInners: [{ name: "x" }, { name: "" }] })).toEqual([
      v("names[1]", "repeated.items.string.min_len", "value length must be at least 1 runes"),
      v("names[2]", "repeated.unique", "repeated value must contain unique items"),
      v("inners[0].name", "string.min_len", "value length must be at least 1 runes"),
      v("plainInners[1].name", "string.min_len", "value length must be at least 1 runes"),
    ]);
  });

  it("map pairs, key rules with typed keys, value rules, and message values", () => {
    expect(check("Maps", { byName: { k1: { name: "a" } }, byNumber: { "1": "x" } })).toEqual([]);
    expect(
      check("Maps", { byName: { a: { name: "" }, k2: { name: "b" }, k3: { name: "c" } }, byNumber: { "-1": "", "2": "ok" }, plain: { true: { name: "" } } }),
    ).toEqual([
      v("byName", "map.min_pairs", "value must contain between 1 and 2 pairs, inclusive"),
      v('byName["a"]', "map.keys.string.prefix", 'value does not have prefix "k"'),
      v('byName["a"].name', "string.min_len", "value length must be at least 1 runes"),
      v("byNumber[-1]", "map.keys.int32.gt", "value must be greater than 0"),
      v("byNumber[-1]", "map.values.string.min_len", "value length must be at least 1 runes"),
      v("plain[true].name", "string.min_len", "value length must be at least 1 runes"),
    ]);
  });

  it("required oneofs and rules on oneof members", () => {
    expect(check("Oneofs", {})).toEqual([v("choice", "oneof.required", "value is required")]);
    expect(check("Oneofs", { a: "x" })).toEqual([v("a", "string.min_len", "value length must be at least 2 runes")]);
    expect(check("Oneofs", { b: { name: "" } })).toEqual([v("b.name", "string.min_len", "value length must be at least 1 runes")]);
    expect(check("Oneofs", { b: { name: "ok" }, c: "" })).toEqual([]);
  });
});
