import { fromBinary, isMessage, type Message, type Registry } from "@bufbuild/protobuf";
import { descriptorRegistry, messageDescriptor } from "./Descriptors.js";
import type { MessageType } from "./generated/registry.js";
import { Validator, type ValidateOptions as InternalValidateOptions, type Violation as InternalViolation } from "./internal/validate/validator.js";

/**
 * One broken protoc-gen-validate rule.
 * - `path`: the field from the validated message, in proto3 JSON names, with list indexes and map keys
 *   (`filterChains[0].filters[1].typedConfig.httpFilters[3].name`); an Any's content continues its path.
 * - `rule`: the rule, named as in validate.proto (`string.min_len`, `message.required`, `oneof.required`,
 *   `repeated.items.string.well_known_regex`, `uint32.gte_lte`, `map.keys.string.min_len`, ...).
 * - `message`: why, worded as the Go validators Envoy Gateway runs word it (`value length must be at least 1 runes`).
 */
export type Violation = InternalViolation;

/**
 * How far {@link validate} reaches. `recurseIntoAny` (default true) validates the content of Any fields; false
 * stops at an Any as upstream's resource-level check (Go's `ValidateAll`) does, for exact parity with it.
 */
export type ValidateOptions = InternalValidateOptions;

/** The validators of one registry: one reading @bufbuild/protobuf messages, one reading generated ones. */
interface Validators {
  readonly reflect: Validator;
  readonly generated: Validator;
}

const validators = new WeakMap<Registry, Validators>();

function validatorsFor(registry: Registry): Validators {
  let found = validators.get(registry);
  if (found === undefined) {
    const reflect = new Validator(registry, "reflect");
    found = { reflect, generated: new Validator(registry, "generated", reflect) };
    validators.set(registry, found);
  }
  return found;
}

/**
 * Checks a message against the protoc-gen-validate rules (`validate.rules`, `validate.required`,
 * `validate.disabled`) of its type and, recursively, of every message inside it: message fields, list items,
 * map values, and the content of Any fields whose type the descriptor registry knows. Returns every violation,
 * or an empty list when the message is valid.
 *
 * The message is its wire bytes or an @bufbuild/protobuf message of that type. Rule tables are built per
 * message type on first use and kept for the life of the process. Throws when the type is unknown or the bytes
 * do not decode.
 */
export function validate(typeName: string, bytesOrMessage: Uint8Array | Message, options?: ValidateOptions): Violation[] {
  const desc = messageDescriptor(typeName);
  let message: Message;
  if (bytesOrMessage instanceof Uint8Array) {
    try {
      message = fromBinary(desc, bytesOrMessage);
    } catch (error) {
      throw new Error(`validate: bytes are not a valid ${typeName}: ${(error as Error).message}`);
    }
  } else {
    const actual = bytesOrMessage.$typeName;
    if (!isMessage(bytesOrMessage, desc)) throw new Error(`validate: expected a ${typeName}, got a ${actual}`);
    message = bytesOrMessage;
  }
  return validatorsFor(descriptorRegistry()).reflect.validate(desc, message, options);
}

/**
 * Checks a generated (ts-proto) message against its type's protoc-gen-validate rules; see {@link validate}.
 * The message is read as it is, not encoded first: the result is that of validating its wire bytes (a field
 * left out counts as its zero value, a float as its 32-bit rounding), at a fraction of the cost.
 */
export function validateMessage<T>(type: MessageType<T>, message: T, options?: ValidateOptions): Violation[] {
  return validatorsFor(descriptorRegistry()).generated.validate(messageDescriptor(type.$type), message as unknown as Message, options);
}

/** Violations as text, one line each: `path: message [rule]` (the path is `<root>` for the message itself). */
export function formatViolations(violations: readonly Violation[]): string {
  return violations.map((v) => `${v.path === "" ? "<root>" : v.path}: ${v.message} [${v.rule}]`).join("\n");
}
