// goDeterministicBytes returns its input when that is already canonical and copies only rewritten fields;
// these check it against the plain algorithm (every field copied and re-assembled) on the corpus's resources.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { DescMessage } from "@bufbuild/protobuf";
import { BinaryReader, BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import { messageDescriptor } from "@egts/envoy-api";
import { JwtAuthentication } from "@egts/envoy-api/generated/envoy/extensions/filters/http/jwt_authn/v3/config";
import { parseXdsYaml } from "@egts/ir";
import { describe, expect, it } from "vitest";
import { translateXds } from "../index.js";
import { goDeterministicBytes } from "./DeterministicHash.js";

/** The plain algorithm: every field re-encoded and the fields sorted (Go's order), always a new buffer. */
function plainDeterministicBytes(desc: DescMessage, bytes: Uint8Array): Uint8Array {
  const reader = new BinaryReader(bytes);
  const fields: { no: number; rank: number; raw: Uint8Array; sortKey?: string }[] = [];
  while (reader.pos < reader.len) {
    const start = reader.pos;
    const [no, wireType] = reader.tag();
    const field = desc.fields.find((f) => f.number === no);
    const rank = (field?.oneof !== undefined ? 1 << 30 : 0) + no;
    if (wireType === WireType.LengthDelimited && field !== undefined && field.fieldKind === "map") {
      const payload = reader.bytes();
      const entry = new BinaryReader(payload);
      let keyText = "";
      const parts: Uint8Array[] = [];
      while (entry.pos < entry.len) {
        const s = entry.pos;
        const [eno, ewt] = entry.tag();
        if (eno === 2 && ewt === WireType.LengthDelimited && field.mapKind === "message") {
          parts.push(new BinaryWriter().tag(2, WireType.LengthDelimited).bytes(plainDeterministicBytes(field.message, entry.bytes())).finish());
        } else if (eno === 1 && ewt === WireType.LengthDelimited) {
          keyText = entry.string();
          parts.push(payload.subarray(s, entry.pos));
        } else {
          entry.skip(ewt, eno);
          parts.push(payload.subarray(s, entry.pos));
        }
      }
      fields.push({ no, rank, raw: new BinaryWriter().tag(no, WireType.LengthDelimited).bytes(Buffer.concat(parts)).finish(), sortKey: keyText });
    } else if (
      wireType === WireType.LengthDelimited &&
      field !== undefined &&
      (field.fieldKind === "message" || (field.fieldKind === "list" && field.listKind === "message"))
    ) {
      const nested = plainDeterministicBytes(field.message, reader.bytes());
      fields.push({ no, rank, raw: new BinaryWriter().tag(no, WireType.LengthDelimited).bytes(nested).finish() });
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

const xdsCorpus = resolve(import.meta.dirname, "../../../../../shared/reference/xds");
const cases = existsSync(xdsCorpus) ? readdirSync(xdsCorpus).sort() : [];

describe("goDeterministicBytes", () => {
  it.skipIf(cases.length === 0)("gives the plain algorithm's bytes for every resource of the xds corpus (maps, oneofs, nesting)", () => {
    let checked = 0;
    let unchanged = 0;
    for (const name of cases) {
      const irPath = join(xdsCorpus, name, "ir.yaml");
      if (!existsSync(irPath)) continue;
      const result = translateXds(parseXdsYaml(readFileSync(irPath, "utf8")), {});
      const typed = [
        ["envoy.config.listener.v3.Listener", result.listeners],
        ["envoy.config.route.v3.RouteConfiguration", result.routes],
        ["envoy.config.cluster.v3.Cluster", result.clusters],
        ["envoy.config.endpoint.v3.ClusterLoadAssignment", result.endpoints],
        ["envoy.extensions.transport_sockets.tls.v3.Secret", result.secrets],
      ] as const;
      for (const [type, resources] of typed) {
        const desc = messageDescriptor(type);
        for (const r of resources) {
          const fast = goDeterministicBytes(desc, r.bytes);
          expect(Buffer.from(fast).equals(Buffer.from(plainDeterministicBytes(desc, r.bytes))), `${name}: ${type} ${r.name}`).toBe(true);
          checked++;
          if (fast === r.bytes) unchanged++;
        }
      }
    }
    expect(checked).toBeGreaterThan(1000);
    // Both paths are exercised: inputs already canonical, and inputs with fields to reorder.
    expect(unchanged).toBeGreaterThan(0);
    expect(unchanged).toBeLessThan(checked);
  });

  it("reorders a oneof member and map entries as Go writes them", () => {
    const desc = messageDescriptor(JwtAuthentication.$type);
    const message = JwtAuthentication.fromPartial({
      providers: {
        b: { issuer: "b", jwksSourceSpecifier: { $case: "localJwks", value: { specifier: { $case: "inlineString", value: "{}" } } }, forward: true },
        a: { issuer: "a", audiences: ["x"] },
      },
      requirementMap: { z: { requiresType: { $case: "providerName", value: "b" } }, y: { requiresType: { $case: "allowMissing", value: {} } } },
    });
    const bytes = JwtAuthentication.encode(message).finish();
    const fast = goDeterministicBytes(desc, bytes);
    expect(fast).not.toBe(bytes);
    expect(Buffer.from(fast).equals(Buffer.from(plainDeterministicBytes(desc, bytes)))).toBe(true);
  });
});
