import { hash } from "node:crypto";
import type { DescMessage } from "@bufbuild/protobuf";
import { BinaryReader, BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import { messageDescriptor } from "@egts/envoy-api";

type Field = { readonly no: number; readonly rank: number; readonly raw: Uint8Array; readonly sortKey?: string };

/**
 * Re-encodes a message's wire bytes the way Go's deterministic marshal writes them: plain fields in field
 * number order, then oneof members (protobuf-go writes those last), repeated fields in their order, map
 * entries sorted by key, recursively. Names that embed a hash
 * of a proto (upstream's JWT provider/requirement names) then come out byte-identical.
 */
export function goDeterministicBytes(desc: DescMessage, bytes: Uint8Array): Uint8Array {
  const reader = new BinaryReader(bytes);
  const fields: Field[] = [];
  // Whether any field's bytes differ from the input's: without that and with the fields in order, the input
  // is its own canonical form (the common case; no bytes are copied then).
  let rewritten = false;
  while (reader.pos < reader.len) {
    const start = reader.pos;
    const [no, wireType] = reader.tag();
    const field = desc.fields.find((f) => f.number === no);
    const rank = (field?.oneof !== undefined ? 1 << 30 : 0) + no;
    const nested =
      field === undefined
        ? undefined
        : field.fieldKind === "message"
          ? field.message
          : field.fieldKind === "list" && field.listKind === "message"
            ? field.message
            : field.fieldKind === "map"
              ? "map"
              : undefined;
    if (wireType === WireType.LengthDelimited && nested !== undefined && field !== undefined) {
      const payload = reader.bytes();
      if (nested === "map" && field.fieldKind === "map") {
        // Entry: key = 1, value = 2; canonicalize a message value, sort entries by key.
        const entry = new BinaryReader(payload);
        let keyText = "";
        let valueRewritten = false;
        const parts: Uint8Array[] = [];
        while (entry.pos < entry.len) {
          const s = entry.pos;
          const [eno, ewt] = entry.tag();
          if (eno === 2 && ewt === WireType.LengthDelimited && field.mapKind === "message") {
            const original = entry.bytes();
            const value = goDeterministicBytes(field.message, original);
            if (value !== original) valueRewritten = true;
            parts.push(value === original ? payload.subarray(s, entry.pos) : new BinaryWriter().tag(2, WireType.LengthDelimited).bytes(value).finish());
          } else if (eno === 1 && ewt === WireType.LengthDelimited) {
            keyText = entry.string();
            parts.push(payload.subarray(s, entry.pos));
          } else {
            entry.skip(ewt, eno);
            parts.push(payload.subarray(s, entry.pos));
          }
        }
        if (valueRewritten) {
          rewritten = true;
          fields.push({ no, rank, raw: new BinaryWriter().tag(no, WireType.LengthDelimited).bytes(Buffer.concat(parts)).finish(), sortKey: keyText });
        } else {
          fields.push({ no, rank, raw: bytes.subarray(start, reader.pos), sortKey: keyText });
        }
      } else if (typeof nested !== "string") {
        const canonical = goDeterministicBytes(nested, payload);
        if (canonical === payload) fields.push({ no, rank, raw: bytes.subarray(start, reader.pos) });
        else {
          rewritten = true;
          fields.push({ no, rank, raw: new BinaryWriter().tag(no, WireType.LengthDelimited).bytes(canonical).finish() });
        }
      }
    } else {
      reader.skip(wireType, no);
      fields.push({ no, rank, raw: bytes.subarray(start, reader.pos) });
    }
  }
  const order = (a: Field, b: Field): number =>
    a.rank - b.rank || (a.sortKey !== undefined && b.sortKey !== undefined ? (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0) : 0);
  let sorted = true;
  for (let i = 1; i < fields.length && sorted; i++) sorted = order(fields[i - 1] as Field, fields[i] as Field) <= 0;
  if (sorted && !rewritten) return bytes;
  // A stable sort: fields that compare equal keep their order.
  const ordered = sorted
    ? fields
    : fields
        .map((f, i) => ({ f, i }))
        .sort((a, b) => order(a.f, b.f) || a.i - b.i)
        .map((x) => x.f);
  return Buffer.concat(ordered.map((f) => f.raw));
}

/** Hex of the first 8 bytes of the SHA-256 of a message's Go-deterministic encoding (upstream's protoHash). */
export function protoHash(typeName: string, bytes: Uint8Array): string {
  const canonical = goDeterministicBytes(messageDescriptor(typeName), bytes);
  return hash("sha256", canonical, "hex").slice(0, 16);
}
