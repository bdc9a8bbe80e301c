// Just enough ASN.1 DER to write X.509 v3 certificates (RFC 5280): node:crypto signs and parses
// certificates but cannot build one.

/** A DER-encoded value. */
export type Der = Uint8Array;

function lengthBytes(length: number): number[] {
  if (length < 0x80) return [length];
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return [0x80 | bytes.length, ...bytes];
}

/** A tag-length-value with the given tag byte. */
export function tlv(tag: number, content: Uint8Array): Der {
  return Buffer.concat([Uint8Array.of(tag, ...lengthBytes(content.length)), content]);
}

export const sequence = (...items: Der[]): Der => tlv(0x30, Buffer.concat(items));
export const set = (...items: Der[]): Der => tlv(0x31, Buffer.concat(items));
export const nullValue = (): Der => Uint8Array.of(0x05, 0x00);
export const boolean = (value: boolean): Der => Uint8Array.of(0x01, 0x01, value ? 0xff : 0x00);
export const octetString = (content: Uint8Array): Der => tlv(0x04, content);
export const utf8String = (value: string): Der => tlv(0x0c, Buffer.from(value, "utf8"));
export const printableString = (value: string): Der => tlv(0x13, Buffer.from(value, "ascii"));
/** A context-specific constructed tag ([n] EXPLICIT). */
export const explicit = (n: number, content: Der): Der => tlv(0xa0 | n, content);
/** A context-specific primitive tag ([n] IMPLICIT of a primitive type). */
export const implicitPrimitive = (n: number, content: Uint8Array): Der => tlv(0x80 | n, content);

/** An INTEGER from unsigned big-endian magnitude bytes (a leading zero is added when the top bit is set). */
export function unsignedInteger(magnitude: Uint8Array): Der {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  const trimmed = magnitude.subarray(start);
  const content = trimmed[0]! & 0x80 ? Buffer.concat([Uint8Array.of(0), trimmed]) : trimmed;
  return tlv(0x02, content);
}

export const smallInteger = (value: number): Der => unsignedInteger(Uint8Array.of(value));

/** An OBJECT IDENTIFIER from dotted form. */
export function objectIdentifier(dotted: string): Der {
  const arcs = dotted.split(".").map(Number);
  const bytes: number[] = [arcs[0]! * 40 + arcs[1]!];
  for (const arc of arcs.slice(2)) {
    const chunk: number[] = [arc & 0x7f];
    for (let rest = Math.floor(arc / 128); rest > 0; rest = Math.floor(rest / 128)) chunk.unshift((rest & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return tlv(0x06, Uint8Array.from(bytes));
}

/** A BIT STRING holding whole bytes. */
export const bitString = (content: Uint8Array): Der => tlv(0x03, Buffer.concat([Uint8Array.of(0), content]));

/** A named-bit BIT STRING (KeyUsage) with bits numbered from the most significant bit of the first byte. */
export function namedBits(bits: readonly number[]): Der {
  const highest = Math.max(...bits);
  const bytes = new Uint8Array(Math.floor(highest / 8) + 1);
  for (const bit of bits) bytes[Math.floor(bit / 8)]! |= 0x80 >> (bit % 8);
  const last = bytes[bytes.length - 1]!;
  let unused = 0;
  while (unused < 7 && (last & (1 << unused)) === 0) unused++;
  return tlv(0x03, Buffer.concat([Uint8Array.of(unused), bytes]));
}

/** UTCTime through 2049, GeneralizedTime after (RFC 5280 4.1.2.5). */
export function time(date: Date): Der {
  const iso = date.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const digits = iso.slice(0, 19).replace(/[-T:]/g, "");
  const year = date.getUTCFullYear();
  return year < 2050 ? tlv(0x17, Buffer.from(`${digits.slice(2)}Z`, "ascii")) : tlv(0x18, Buffer.from(`${digits}Z`, "ascii"));
}
