import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { decodeXdsIRMap, irEqual } from "@egts/ir";

describe("irEqual", () => {
  it("compares structure, treating undefined properties as absent", () => {
    expect(irEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(irEqual({ a: 1 }, { a: 1, b: 0 })).toBe(false);
    expect(irEqual([1, { x: [2] }], [1, { x: [2] }])).toBe(true);
    expect(irEqual([1, 2], [2, 1])).toBe(false);
    expect(irEqual([], {})).toBe(false);
    expect(irEqual(null, {})).toBe(false);
  });

  it("compares bytes and maps by content", () => {
    expect(irEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2]))).toBe(true);
    expect(irEqual(new Uint8Array([1, 2]), new Uint8Array([1, 3]))).toBe(false);
    expect(irEqual(new Map([["k", { a: 1 }]]), new Map([["k", { a: 1 }]]))).toBe(true);
    expect(irEqual(new Map([["k", { a: 1 }]]), new Map([["j", { a: 1 }]]))).toBe(false);
  });

  const file = path.resolve(import.meta.dirname, "../../../../shared/reference/gatewayapi/httproute-with-mirror-filter-percentage-mirroring/expected.json");
  it.skipIf(!existsSync(file))("sees a change deep inside a decoded IR and nothing else", () => {
    const raw = JSON.parse(readFileSync(file, "utf8")) as { xdsIR: Record<string, { http: { routes: { name: string }[] }[] }> };
    const a = decodeXdsIRMap(raw.xdsIR);
    expect(irEqual(a, decodeXdsIRMap(raw.xdsIR))).toBe(true);
    const key = Object.keys(raw.xdsIR)[0] ?? "";
    const route = raw.xdsIR[key]?.http[0]?.routes[0];
    if (route === undefined) throw new Error("fixture changed: no route");
    route.name = `${route.name}-changed`;
    expect(irEqual(a, decodeXdsIRMap(raw.xdsIR))).toBe(false);
  });
});
