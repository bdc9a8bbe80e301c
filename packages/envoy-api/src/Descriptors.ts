import { readFileSync } from "node:fs";
import { createFileRegistry, fromBinary, type DescMessage, type FileRegistry } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";

let cached: FileRegistry | undefined;

/**
 * The descriptor registry of every proto this package was generated from (Envoy, xds, OpenTelemetry, the
 * well-known types, protoc-gen-validate). It carries field options such as `validate.rules`, and drives the
 * canonical proto3 JSON codec. Loaded once, on first use, from the descriptor set shipped beside the code
 * (generated without source code info, which nothing here reads, so it stays small and quick to decode).
 */
export function descriptorRegistry(): FileRegistry {
  if (cached === undefined) {
    const bytes = readFileSync(new URL("./generated/descriptors.binpb", import.meta.url));
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
