import { fromBinary, fromJson, toBinary, toJson, type JsonValue } from "@bufbuild/protobuf";
import { descriptorRegistry, messageDescriptor } from "./Descriptors.js";
import type { MessageType } from "./generated/registry.js";

/**
 * Canonical proto3 JSON of a generated message: `@type` on Any, durations as `"10s"`, enums by name, int64 as
 * strings, default values omitted, lowerCamelCase field names. The message is encoded with its generated codec
 * and re-read through the descriptor registry, whose JSON codec is conformance-tested.
 */
export function toProtoJson<T>(type: MessageType<T>, message: T): JsonValue {
  return binaryToProtoJson(type.$type, type.encode(message).finish());
}

/** Canonical proto3 JSON of a message given as its wire bytes. */
export function binaryToProtoJson(typeName: string, bytes: Uint8Array): JsonValue {
  const registry = descriptorRegistry();
  const desc = messageDescriptor(typeName);
  return toJson(desc, fromBinary(desc, bytes), { registry });
}

/** Parses canonical proto3 JSON into a generated message; unknown fields and `@type`s are errors. */
export function fromProtoJson<T>(type: MessageType<T>, json: JsonValue): T {
  return type.decode(protoJsonToBinary(type.$type, json));
}

/** Parses canonical proto3 JSON of a message type (by full name) into its wire bytes. */
export function protoJsonToBinary(typeName: string, json: JsonValue): Uint8Array {
  const registry = descriptorRegistry();
  const desc = messageDescriptor(typeName);
  return toBinary(desc, fromJson(desc, json, { registry }));
}
