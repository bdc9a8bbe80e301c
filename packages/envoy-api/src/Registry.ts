/**
 * `@egts/envoy-api/registry`: every generated message type by full name, and what needs it (Any unpacking of
 * any type, codecs by name). Importing it loads all of the package's generated modules, which the main entry
 * point does not: a server that only encodes the resources it builds never pays for the rest.
 */
import type { Any } from "./generated/google/protobuf/any.js";
import { messageTypes, type MessageType } from "./generated/registry.js";
import { typeNameOfUrl } from "./Any.js";

export { messageTypes, type MessageType };

/** The generated codec of the message type a type URL (or full name) names, if this package has it. */
export function lookupMessageType(typeUrlOrName: string): MessageType | undefined {
  return messageTypes.get(typeNameOfUrl(typeUrlOrName));
}

/** The generated codec of a message type by full name; throws if this package does not have it. */
export function messageType(typeName: string): MessageType {
  const type = messageTypes.get(typeName);
  if (type === undefined) throw new Error(`unknown protobuf message type ${typeName}`);
  return type;
}

/** Unpacks an Any through the registry of generated types; throws on a type this package does not know. */
export function unpackAny(any: Any): { readonly typeName: string; readonly message: unknown } {
  const typeName = typeNameOfUrl(any.typeUrl);
  const type = messageTypes.get(typeName);
  if (type === undefined) throw new Error(`cannot unpack Any: unknown type ${any.typeUrl}`);
  return { typeName, message: type.decode(any.value) };
}
