import { describe, expect, it } from "vitest";
import { decodePemBlocks, encodePemBlock } from "./Certificates.js";

describe("PEM blocks", () => {
  it("round-trips blocks through Go's canonical encoding, skipping text between blocks", () => {
    const a = { type: "CERTIFICATE", bytes: Buffer.from("a".repeat(100)) };
    const b = { type: "EC PRIVATE KEY", bytes: Buffer.from([1, 2, 3]) };
    const text = `junk\n${encodePemBlock(a).toString()}between\n${encodePemBlock(b).toString()}`;
    const blocks = decodePemBlocks(text);
    expect(blocks.map((x) => x.type)).toEqual(["CERTIFICATE", "EC PRIVATE KEY"]);
    expect(blocks[0]?.bytes.equals(a.bytes)).toBe(true);
    expect(
      encodePemBlock(a)
        .toString()
        .split("\n")
        .every((line) => line.length <= 64),
    ).toBe(true);
  });

  it("stops at a block without its END line", () => {
    expect(decodePemBlocks("-----BEGIN CERTIFICATE-----\nAAAA\n")).toEqual([]);
    expect(decodePemBlocks("-----BEGIN CERTIFICATE-----\n".repeat(1000))).toEqual([]);
  });
});

describe("PEM blocks with bad base64", () => {
  it("skips a block whose body is not valid base64, as Go does", () => {
    const good = encodePemBlock({ type: "CERTIFICATE", bytes: Buffer.from("xyz") }).toString();
    expect(decodePemBlocks(`-----BEGIN CERTIFICATE-----\nAAAAA\n-----END CERTIFICATE-----\n${good}`).map((b) => b.bytes.toString())).toEqual(["xyz"]);
  });
});
