import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { listManifestFiles, loadPaths, readStdin } from "@egts/api";

const dir = mkdtempSync(join(tmpdir(), "egts-api-files-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

mkdirSync(join(dir, "sub"));
writeFileSync(join(dir, "b.yaml"), "apiVersion: v1\nkind: Namespace\nmetadata: { name: b }\n");
writeFileSync(join(dir, "a.json"), JSON.stringify({ apiVersion: "v1", kind: "Namespace", metadata: { name: "a" } }));
writeFileSync(join(dir, "notes.txt"), "not a manifest");
writeFileSync(join(dir, "sub", "c.yml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\ndata: { k: 1 }\n");

describe("file loading", () => {
  it("lists manifest files recursively in sorted order", async () => {
    expect(await listManifestFiles(dir)).toEqual([join(dir, "a.json"), join(dir, "b.yaml"), join(dir, "sub", "c.yml")]);
  });

  it("loads files and directories, reporting an unreadable path without losing the rest", async () => {
    const r = await loadPaths([dir, join(dir, "missing.yaml")]);
    expect(r.objects.map((o) => `${o.source.slice(dir.length + 1)}:${o.object.kind}/${o.object.metadata.name}`)).toEqual([
      "a.json:Namespace/a",
      "b.yaml:Namespace/b",
    ]);
    // ConfigMap data must be strings: a number is a type error (core kinds are type-checked)
    expect(r.problems.map((p) => [p.code, p.path])).toEqual([
      ["invalid", "data.k"],
      ["io", ""],
    ]);
  });

  it("reads stdin", async () => {
    expect(await readStdin(Readable.from([Buffer.from("a: "), Buffer.from("1\n")]))).toBe("a: 1\n");
  });
});
