import { createHash } from "node:crypto";
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
        let value: Uint8Array | undefined;
        const parts: Uint8Array[] = [];
        while (entry.pos < entry.len) {
          const s = entry.pos;
          const [eno, ewt] = entry.tag();
          if (eno === 2 && ewt === WireType.LengthDelimited && field.mapKind === "message") {
            value = goDeterministicBytes(field.message, entry.bytes());
            parts.push(new BinaryWriter().tag(2, WireType.LengthDelimited).bytes(value).finish());
          } else if (eno === 1 && ewt === WireType.LengthDelimited) {
            keyText = entry.string();
            parts.push(payload.subarray(s, entry.pos));
          } else {
            entry.skip(ewt, eno);
            parts.push(payload.subarray(s, entry.pos));
          }
        }
        const body = Buffer.concat(parts);
        fields.push({ no, rank, raw: new BinaryWriter().tag(no, WireType.LengthDelimited).bytes(body).finish(), sortKey: keyText });
      } else if (typeof nested !== "string") {
        fields.push({ no, rank, raw: new BinaryWriter().tag(no, WireType.LengthDelimited).bytes(goDeterministicBytes(nested, payload)).finish() });
      }
    } else {
      reader.skip(wireType, no);
      fields.push({ no, rank, raw: bytes.subarray(start, reader.pos) });
    }
  }
  const ordered = fields
    .map((f, i) => ({ f, i }))
    .sort(
      (a, b) =>
        a.f.rank - b.f.rank ||
        (a.f.sortKey !== undefined && b.f.sortKey !== undefined ? (a.f.sortKey < b.f.sortKey ? -1 : a.f.sortKey > b.f.sortKey ? 1 : 0) : 0) ||
        a.i - b.i,
    );
  return Buffer.concat(ordered.map((x) => x.f.raw));
}

/** Hex of the first 8 bytes of the SHA-256 of a message's Go-deterministic encoding (upstream's protoHash). */
export function protoHash(typeName: string, bytes: Uint8Array): string {
  const canonical = goDeterministicBytes(messageDescriptor(typeName), bytes);
  return createHash("sha256").update(canonical).digest("hex").slice(0, 16);
}
