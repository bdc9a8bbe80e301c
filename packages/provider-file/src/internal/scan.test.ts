import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";

/** Directories the readdir double refuses, as a `chmod 000` does for anyone but root. */
const deniedDirs = new Set<string>();
vi.mock("node:fs/promises", async (importOriginal) => {
  const original = await importOriginal<typeof import("node:fs/promises")>();
  return {
    ...original,
    readdir: ((path: string, options: never) => {
      if (deniedDirs.has(String(path)))
        return Promise.reject(Object.assign(new Error(`EACCES: permission denied, scandir '${String(path)}'`), { code: "EACCES" }));
      return original.readdir(path, options);
    }) as typeof original.readdir,
  };
});

const { scanPaths } = await import("./scan.js");
const limits = { maxFileBytes: 1 << 20, maxDepth: 8, maxFiles: 100 };

describe("scanPaths", () => {
  const dirs: string[] = [];
  afterEach(() => {
    deniedDirs.clear();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it("keeps the files of a directory that cannot be listed any more, and drops those of one that is gone", async () => {
    const dir = mkdtempSync(join(tmpdir(), "egts-scan-"));
    dirs.push(dir);
    mkdirSync(join(dir, "sub"));
    writeFileSync(join(dir, "sub", "a.yaml"), "a");
    writeFileSync(join(dir, "b.yaml"), "b");
    const first = await scanPaths([dir], new Map(), limits);
    expect([...first.texts.keys()].sort()).toEqual([join(dir, "b.yaml"), join(dir, "sub", "a.yaml")]);

    deniedDirs.add(dir);
    const denied = await scanPaths([dir], first.cache, limits);
    expect([...denied.texts]).toEqual([...first.texts].sort());
    expect(denied.problems).toEqual([{ file: dir, message: expect.stringMatching(/^cannot read directory: EACCES/) }]);

    deniedDirs.clear();
    rmSync(join(dir, "sub"), { recursive: true });
    const gone = await scanPaths([dir], denied.cache, limits);
    expect([...gone.texts.keys()]).toEqual([join(dir, "b.yaml")]);
  });
});
