import { readFileSync } from "node:fs";
import { createFileRegistry, fromBinary, type DescMessage, type FileRegistry } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";

let cached: FileRegistry | undefined;

/** `FileDescriptorSet.file` and `FileDescriptorProto.source_code_info`. */
const SET_FILE_FIELD = 1;
const SOURCE_CODE_INFO_FIELD = 9;

/** The bytes of each field of a message except those of one field number, in order, as slices of the input. */
function fieldsWithout(message: Uint8Array, dropField: number, out: Uint8Array[]): number {
  const reader = new BinaryReader(message);
  let length = 0;
  while (reader.pos < reader.len) {
    const start = reader.pos;
    const [field, wireType] = reader.tag();
    reader.skip(wireType, field);
    if (field !== dropField) {
      out.push(message.subarray(start, reader.pos));
      length += reader.pos - start;
    }
  }
  return length;
}

function varint(value: number): number[] {
  const bytes: number[] = [];
  while (value > 0x7f) {
    bytes.push((value & 0x7f) | 0x80);
    value >>>= 7;
  }
  bytes.push(value);
  return bytes;
}

/**
 * A descriptor set without its files' source code info (comments and spans, about three quarters of the bytes,
 * which nothing here reads), so decoding it takes a fraction of the time. Fields are copied byte for byte.
 */
export function withoutSourceCodeInfo(set: Uint8Array): Uint8Array {
  const reader = new BinaryReader(set);
  const parts: Uint8Array[] = [];
  let total = 0;
  while (reader.pos < reader.len) {
    const start = reader.pos;
    const [field, wireType] = reader.tag();
    if (field === SET_FILE_FIELD && wireType === WireType.LengthDelimited) {
      const fileParts: Uint8Array[] = [];
      const length = fieldsWithout(reader.bytes(), SOURCE_CODE_INFO_FIELD, fileParts);
      const header = Uint8Array.from([(SET_FILE_FIELD << 3) | WireType.LengthDelimited, ...varint(length)]);
      parts.push(header, ...fileParts);
      total += header.length + length;
    } else {
      reader.skip(wireType, field);
      parts.push(set.subarray(start, reader.pos));
      total += reader.pos - start;
    }
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * The descriptor registry of every proto this package was generated from (Envoy, xds, OpenTelemetry, the
 * well-known types, protoc-gen-validate). It carries field options such as `validate.rules`, and drives the
 * canonical proto3 JSON codec. Loaded once, on first use, from the descriptor set shipped beside the code
 * (without its source code info, which is not needed).
 */
export function descriptorRegistry(): FileRegistry {
  if (cached === undefined) {
    const bytes = withoutSourceCodeInfo(readFileSync(new URL("./generated/descriptors.binpb", import.meta.url)));
    cached = createFileRegistry(fromBinary(FileDescriptorSetSchema, bytes));
  }
  return cached;
}

/** The descriptor of a message type by full name (`envoy.config.listener.v3.Listener`); throws if unknown. */
export function messageDescriptor(typeName: string): DescMessage {
  const desc = descriptorRegistry().getMessage(typeName);
  if (desc === undefined) throw new Error(`unknown protobuf message type ${typeName}`);
  return desc;
}
