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

  it("reads a directory of many files, subdirectories among them, in name order up to the file limit, reusing unchanged texts", async () => {
    const dir = mkdtempSync(join(tmpdir(), "egts-scan-"));
    dirs.push(dir);
    // More files than the stat window, with subdirectories sorted between them, an oversize file and a dotfile.
    const names: string[] = [];
    for (let i = 0; i < 90; i++) {
      const name = `f${String(i).padStart(3, "0")}.yaml`;
      writeFileSync(join(dir, name), `text ${i}`);
      names.push(join(dir, name));
      if (i % 30 === 7) {
        mkdirSync(join(dir, `${name}.d`));
        writeFileSync(join(dir, `${name}.d`, "inner.yaml"), `inner ${i}`);
        names.push(join(dir, `${name}.d`, "inner.yaml"));
      }
    }
    writeFileSync(join(dir, "f050.yaml"), "x".repeat(200));
    writeFileSync(join(dir, ".hidden.yaml"), "hidden");
    const small = { ...limits, maxFileBytes: 100, maxFiles: 60 };
    const first = await scanPaths([dir], new Map(), small);
    // The first 60 readable files in walk order (f050 is too large), subdirectories read where they sort.
    const expected = names.filter((n) => !n.endsWith("f050.yaml")).slice(0, 60);
    expect([...first.texts.keys()]).toEqual(expected);
    expect(first.texts.get(join(dir, "f007.yaml.d", "inner.yaml"))).toBe("inner 7");
    expect(first.problems.map((p) => p.message)).toEqual(["file is 200 bytes, larger than the limit of 100", "more than 60 files; the rest are not read"]);
    // A changed file is read again; an unchanged one keeps what its stat said.
    writeFileSync(join(dir, "f001.yaml"), "changed, longer");
    const second = await scanPaths([dir], first.cache, small);
    expect(second.texts.get(join(dir, "f001.yaml"))).toBe("changed, longer");
    expect(second.cache.get(join(dir, "f002.yaml"))).toEqual(first.cache.get(join(dir, "f002.yaml")));
    expect([...second.texts.keys()]).toEqual(expected);
  });
});
