import { readFileSync } from "node:fs";
import type { DescMessage, FileRegistry } from "@bufbuild/protobuf";
import { createLazyFileRegistry } from "./internal/LazyFileRegistry.js";

let cached: FileRegistry | undefined;

/**
 * The descriptor registry of every proto this package was generated from (Envoy, xds, OpenTelemetry, the
 * well-known types, protoc-gen-validate). It carries field options such as `validate.rules`, and drives the
 * canonical proto3 JSON codec. Read once, on first use, from the descriptor set shipped beside the code
 * (generated without source code info, which nothing here reads, so it stays small and quick to decode).
 * A file's descriptors are built when a name it declares is first looked up (with the files it imports): a
 * process that serves the usual resources builds a fifth of Envoy's API, not all of it. Every descriptor is
 * the one a registry built from the whole set up front would hold.
 */
export function descriptorRegistry(): FileRegistry {
  if (cached === undefined) cached = createLazyFileRegistry(readFileSync(new URL("./generated/descriptors.binpb", import.meta.url)));
  return cached;
}

/** The descriptor of a message type by full name (`envoy.config.listener.v3.Listener`); throws if unknown. */
export function messageDescriptor(typeName: string): DescMessage {
  const desc = descriptorRegistry().getMessage(typeName);
  if (desc === undefined) throw new Error(`unknown protobuf message type ${typeName}`);
  return desc;
}
