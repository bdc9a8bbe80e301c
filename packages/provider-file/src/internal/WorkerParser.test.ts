import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { WorkerParser } from "./WorkerParser.js";

const configMap = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}, namespace: default}\ndata: {a: b}\n`;

/** One mapping of `keys` keys: a few MB of text whose parse needs far more heap than the text. */
function wideConfigMap(keys: number): string {
  const lines = ["apiVersion: v1", "kind: ConfigMap", "metadata: {name: wide, namespace: default}", "data:"];
  for (let k = 0; k < keys; k++) lines.push(`  k${k}: v${k}`);
  return `${lines.join("\n")}\n`;
}

describe("WorkerParser", () => {
  const parsers: WorkerParser[] = [];
  afterEach(() => {
    for (const parser of parsers.splice(0)) parser.close();
  });

  it("stops its worker after idleMs without work and starts a new one for the next file", async () => {
    const parser = new WorkerParser({ idleMs: 50 });
    parsers.push(parser);
    expect(parser.running).toBe(false);
    const first = await parser.parse(configMap("one"), "/one.yaml");
    expect(first.objects.map((o) => o.metadata.name)).toEqual(["one"]);
    expect(parser.running).toBe(true);
    await sleep(300);
    expect(parser.running).toBe(false);
    const second = await parser.parse(configMap("two"), "/two.yaml");
    expect(second.objects.map((o) => o.metadata.name)).toEqual(["two"]);
    expect(second.problems).toEqual([]);
  }, 30_000);

  it("keeps the worker while requests follow each other closer than idleMs", async () => {
    const parser = new WorkerParser({ idleMs: 60_000 });
    parsers.push(parser);
    await parser.parse(configMap("one"), "/one.yaml");
    await sleep(100);
    expect(parser.running).toBe(true);
  }, 30_000);

  it("answers a file whose parse outgrows the heap bound as too large to parse, and parses the next file in a new worker", async () => {
    const parser = new WorkerParser({ maxHeapMiB: 48 });
    parsers.push(parser);
    const [wide, next] = await Promise.all([parser.parse(wideConfigMap(200_000), "/wide.yaml"), parser.parse(configMap("next"), "/next.yaml")]);
    expect(wide).toEqual({
      objects: [],
      problems: [{ file: "/wide.yaml", message: "too large to parse: parsing it needs more than 48 MiB of memory" }],
    });
    expect(next.objects.map((o) => o.metadata.name)).toEqual(["next"]);
    expect(parser.running).toBe(true);
  }, 60_000);
});
