import { describe, expect, it } from "vitest";
import { makeBus, sameTranslation } from "./Bus.js";
import { WatchableMap, type MapUpdate } from "./MessageBus.js";

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("WatchableMap", () => {
  it("elides stores deep-equal to the current value and coalesces a burst into one update", async () => {
    const map = new WatchableMap<{ routes: string[] }>("test");
    const updates: MapUpdate<{ routes: string[] }>[] = [];
    map.subscribe((u) => updates.push(u));
    expect(map.store("a", { routes: ["x"] })).toBe(true);
    expect(map.store("a", { routes: ["x"] })).toBe(false);
    map.store("b", { routes: ["y"] });
    map.store("a", { routes: ["x", "z"] });
    await nextTurn();
    expect(updates).toHaveLength(1);
    expect([...updates[0]!.changed]).toEqual([
      ["a", { routes: ["x", "z"] }],
      ["b", { routes: ["y"] }],
    ]);
    expect(map.publishCount).toBe(1);

    // A burst that ends where it started publishes nothing; neither does storing an equal value.
    map.store("a", { routes: ["other"] });
    map.store("a", { routes: ["x", "z"] });
    map.store("c", { routes: [] });
    map.delete("c");
    map.store("b", { routes: ["y"] });
    await nextTurn();
    expect(updates).toHaveLength(1);
    expect(map.publishCount).toBe(1);
  });

  it("replaceAll deletes missing keys, and late subscribers get the current state first", async () => {
    const map = new WatchableMap<number>("test");
    map.replaceAll(
      new Map([
        ["a", 1],
        ["b", 2],
      ]),
    );
    await nextTurn();
    expect(
      map.replaceAll(
        new Map([
          ["b", 2],
          ["c", 3],
        ]),
      ),
    ).toBe(2);
    const seen: MapUpdate<number>[] = [];
    map.subscribe((u) => seen.push(u));
    await nextTurn();
    expect(seen.map((u) => [...u.changed])).toEqual([
      [
        ["b", 2],
        ["c", 3],
      ],
      [
        ["a", undefined],
        ["c", 3],
      ],
    ]);
    expect([...seen[1]!.state]).toEqual([
      ["b", 2],
      ["c", 3],
    ]);
  });
});

describe("WatchableMap identity", () => {
  it("drops a store of the very value it holds without looking into it", async () => {
    const map = new WatchableMap<object>("test");
    let reads = 0;
    // A value that counts every property read: a deep compare would read its keys.
    const value = new Proxy(
      { routes: ["x"] },
      {
        ownKeys: (t) => {
          reads++;
          return Reflect.ownKeys(t);
        },
        get: (t, k) => {
          reads++;
          return Reflect.get(t, k);
        },
      },
    );
    map.store("a", value);
    await nextTurn();
    reads = 0;
    expect(map.store("a", value)).toBe(false);
    expect(reads).toBe(0);
  });
});

describe("the xds map's equality", () => {
  const bytes = new Uint8Array([1, 2, 3]);
  const translation = (b: Uint8Array, name = "c") => ({
    resources: { listeners: [], routes: [], clusters: [{ name, message: {}, bytes: b }], endpoints: [], secrets: [] },
    errors: [],
  });

  it("treats translations holding the same resource objects as the same, and new bytes as a change", async () => {
    const bus = makeBus();
    const updates: number[] = [];
    bus.xds.subscribe((u) => updates.push(u.changed.size));
    expect(bus.xds.store("k", translation(bytes))).toBe(true);
    expect(bus.xds.store("k", translation(bytes))).toBe(false);
    expect(sameTranslation(translation(bytes), translation(bytes, "d"))).toBe(false);
    // Equal content in new bytes is published (the snapshot cache finds the versions unchanged).
    expect(bus.xds.store("k", translation(new Uint8Array([1, 2, 3])))).toBe(true);
    await nextTurn();
    expect(updates).toEqual([1]);
  });
});
