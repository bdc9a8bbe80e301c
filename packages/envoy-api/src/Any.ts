import type { Any } from "./generated/google/protobuf/any.js";
import { messageTypes, type MessageType } from "./generated/registry.js";

/** The type URL prefix Envoy and every xDS server use. */
export const TYPE_URL_PREFIX = "type.googleapis.com/";

/** The type URL of a message type (`type.googleapis.com/envoy.config.listener.v3.Listener`). */
export const typeUrlOf = (type: { readonly $type: string }): string => TYPE_URL_PREFIX + type.$type;

/** The full message name a type URL names (everything after the last `/`). */
export const typeNameOfUrl = (typeUrl: string): string => typeUrl.slice(typeUrl.lastIndexOf("/") + 1);

/** Packs a message into an Any, encoding it with its generated codec. */
export function packAny<T>(type: MessageType<T>, message: T): Any {
  return { typeUrl: typeUrlOf(type), value: type.encode(message).finish() };
}

/** The generated codec of the message type a type URL names, if this package has it. */
export function lookupMessageType(typeUrlOrName: string): MessageType | undefined {
  return messageTypes.get(typeNameOfUrl(typeUrlOrName));
}

/** Unpacks an Any through the registry of generated types; throws on a type this package does not know. */
export function unpackAny(any: Any): { readonly typeName: string; readonly message: unknown } {
  const typeName = typeNameOfUrl(any.typeUrl);
  const type = messageTypes.get(typeName);
  if (type === undefined) throw new Error(`cannot unpack Any: unknown type ${any.typeUrl}`);
  return { typeName, message: type.decode(any.value) };
}

/** Unpacks an Any of an expected type; throws when the Any holds another type. */
export function unpackAnyAs<T>(type: MessageType<T>, any: Any): T {
  if (typeNameOfUrl(any.typeUrl) !== type.$type) throw new Error(`expected Any of ${type.$type}, got ${any.typeUrl}`);
  return type.decode(any.value);
}
