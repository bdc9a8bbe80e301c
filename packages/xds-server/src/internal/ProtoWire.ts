// A minimal protobuf writer for the few messages the server assembles from pre-encoded parts. Responses are
// built by concatenating bytes that were encoded once per resource version, so no stream re-encodes a
// resource and no intermediate message objects are allocated per stream.

const textEncoder = new TextEncoder();

/** A list of byte chunks whose concatenation is a protobuf message body. */
export class ChunkList {
  readonly chunks: Uint8Array[] = [];
  length = 0;

  push(chunk: Uint8Array): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  /** Field `field` as a varint. */
  varint(field: number, value: number): void {
    this.push(varintBytes(field * 8));
    this.push(varintBytes(value));
  }

  /** The key and length of length-delimited field `field`, whose `length` bytes are to follow. */
  lengthPrefix(field: number, length: number): void {
    this.push(varintBytes(field * 8 + 2));
    this.push(varintBytes(length));
  }

  /** Field `field` as length-delimited bytes (strings, messages). Empty values are still written. */
  bytes(field: number, value: Uint8Array): void {
    this.lengthPrefix(field, value.length);
    this.push(value);
  }

  /** Field `field` as a UTF-8 string, skipped when empty (proto3 default). */
  string(field: number, value: string): void {
    if (value.length > 0) this.bytes(field, textEncoder.encode(value));
  }

  /** Field `field` as a nested message built from another chunk list. */
  message(field: number, value: ChunkList): void {
    this.lengthPrefix(field, value.length);
    this.append(value);
  }

  /** The chunks of another list, after these. */
  append(other: ChunkList): void {
    for (const chunk of other.chunks) this.chunks.push(chunk);
    this.length += other.length;
  }

  /** Concatenates the chunks into one buffer. */
  finish(): Buffer {
    const out = Buffer.allocUnsafe(this.length);
    let offset = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }
}

/** The varint encoding of a non-negative integer below 2^53. */
export function varintBytes(value: number): Uint8Array {
  if (value < 0x80) return SMALL_VARINTS[value]!;
  let size = 1;
  for (let rest = value; rest >= 0x80; rest = Math.floor(rest / 0x80)) size++;
  const bytes = new Uint8Array(size);
  let rest = value;
  for (let i = 0; i < size - 1; i++) {
    bytes[i] = (rest % 0x80) | 0x80;
    rest = Math.floor(rest / 0x80);
  }
  bytes[size - 1] = rest;
  return bytes;
}

const SMALL_VARINTS: readonly Uint8Array[] = Array.from({ length: 0x80 }, (_, i) => Uint8Array.of(i));

/** UTF-8 bytes of a string. */
export const utf8 = (value: string): Uint8Array => textEncoder.encode(value);
