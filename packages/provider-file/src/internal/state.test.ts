import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createStateWriter, readState } from "./state.js";

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** What the state file holds when written in one piece: the JSON of the texts in path order. */
const wholeJson = (texts: ReadonlyMap<string, string>): string =>
  JSON.stringify({ version: 1, files: Object.fromEntries([...texts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) });

describe("createStateWriter", () => {
  it("writes, after each of a sequence of changes, the same JSON a whole serialization gives, readable by readState", async () => {
    const dir = await mkdtemp(join(tmpdir(), "egts-state-"));
    dirs.push(dir);
    const file = join(dir, "nested", "state.json");
    const writer = createStateWriter(file);
    const texts = new Map<string, string>();
    // Edits, additions and removals over many files (more than one writev batch), with text JSON must escape.
    for (let i = 0; i < 1500; i++) texts.set(`/r/${String(i).padStart(4, "0")}.yaml`, `kind: Service\nmetadata: {name: "s${i}"}\n`);
    const steps: Array<(t: Map<string, string>) => void> = [
      () => {},
      (t) => t.set("/r/0007.yaml", 'kind: Secret\ndata: {"k": "v\\u0000"}\n\t\u00e9\u{1f600}'),
      (t) => t.delete("/r/0500.yaml"),
      (t) => t.set("/a-first.yaml", ""),
      (t) => t.set("/r/0007.yaml", "kind: Service\n"),
      (t) => t.clear(),
      (t) => t.set("/only.yaml", "x: 1\n"),
    ];
    for (const step of steps) {
      step(texts);
      await writer.write(new Map(texts));
      expect(await readFile(file, "utf8")).toBe(wholeJson(texts));
      expect((await readState(file)).texts).toEqual(texts);
    }
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });
});
