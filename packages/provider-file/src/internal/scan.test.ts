import { mkdirSync, mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import fc from "fast-check";
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

const { isOutsideScan, rescanFiles, scanPaths } = await import("./scan.js");
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

describe("rescanFiles", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  /** What one change does on disk and the paths its watch events name; `quick`: whether rescanFiles may answer. */
  type Change = (dir: string, n: number) => { readonly paths: string[]; readonly quick: boolean };
  const changes: Record<string, Change> = {
    // Written in place, or written beside and renamed over it (as editors and the benchmark do).
    edit: (dir, n) => {
      writeFileSync(join(dir, "a.yaml"), `a ${n} ${"x".repeat(n % 3)}`);
      return { paths: [join(dir, "a.yaml")], quick: true };
    },
    replace: (dir, n) => {
      writeFileSync(join(dir, "sub", "c.yaml.tmp"), `c ${n}`);
      renameSync(join(dir, "sub", "c.yaml.tmp"), join(dir, "sub", "c.yaml"));
      return { paths: [join(dir, "sub", "c.yaml.tmp"), join(dir, "sub", "c.yaml")], quick: true };
    },
    // Files no scan reads.
    notes: (dir, n) => {
      writeFileSync(join(dir, "notes.txt"), `notes ${n}`);
      return { paths: [join(dir, "notes.txt")], quick: true };
    },
    // A file added, one removed, a directory made: only a full scan can tell.
    add: (dir, n) => {
      writeFileSync(join(dir, `new-${n}.yaml`), `new ${n}`);
      return { paths: [join(dir, `new-${n}.yaml`)], quick: false };
    },
    remove: (dir) => {
      rmSync(join(dir, "b.yaml"), { force: true });
      return { paths: [join(dir, "b.yaml")], quick: false };
    },
    mkdir: (dir, n) => {
      mkdirSync(join(dir, `d${n}`));
      writeFileSync(join(dir, `d${n}`, "x.yaml"), `x ${n}`);
      return { paths: [join(dir, `d${n}`)], quick: false };
    },
  };

  it("after any sequence of changes, gives what a full scan gives, answering itself for edits of files it read", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...Object.keys(changes)), { minLength: 1, maxLength: 8 }), async (sequence) => {
        const dir = mkdtempSync(join(tmpdir(), "egts-rescan-"));
        dirs.push(dir);
        mkdirSync(join(dir, "sub"));
        writeFileSync(join(dir, "a.yaml"), "a");
        writeFileSync(join(dir, "b.yaml"), "b");
        writeFileSync(join(dir, "sub", "c.yaml"), "c");
        let last = await scanPaths([dir], new Map(), limits);
        for (const [n, name] of sequence.entries()) {
          const { paths, quick } = changes[name]!(dir, n);
          const answered = rescanFiles(last, new Set(paths), limits);
          const full = await scanPaths([dir], last.cache, limits);
          if (quick) {
            expect(answered).toBeDefined();
            expect([...answered!.texts]).toEqual([...full.texts]);
            expect(answered!.problems).toEqual(full.problems);
            expect([...answered!.watchDirs].sort()).toEqual([...full.watchDirs].sort());
          } else if (answered !== undefined) {
            // An added or removed file may be undone by the time it is looked at; then nothing changed.
            expect([...answered.texts]).toEqual([...full.texts]);
          }
          last = full;
        }
      }),
      { numRuns: 25 },
    );
  });

  it("tells events about files no scan reads from those that can change a scan", async () => {
    const dir = mkdtempSync(join(tmpdir(), "egts-rescan-"));
    dirs.push(dir);
    writeFileSync(join(dir, "a.yaml"), "a");
    const scan = await scanPaths([dir], new Map(), limits);
    writeFileSync(join(dir, "a.yaml.tmp"), "a2");
    expect(isOutsideScan(scan, join(dir, "a.yaml.tmp"))).toBe(true);
    renameSync(join(dir, "a.yaml.tmp"), join(dir, "a.yaml"));
    expect(isOutsideScan(scan, join(dir, "a.yaml.tmp"))).toBe(true);
    expect(isOutsideScan(scan, join(dir, "a.yaml"))).toBe(false);
    // A new resource file, a new directory, a file removed: a scan must look.
    writeFileSync(join(dir, "b.yaml"), "b");
    mkdirSync(join(dir, "sub"));
    expect(isOutsideScan(scan, join(dir, "b.yaml"))).toBe(false);
    expect(isOutsideScan(scan, join(dir, "sub"))).toBe(false);
    unlinkSync(join(dir, "a.yaml"));
    expect(isOutsideScan(scan, join(dir, "a.yaml"))).toBe(false);
    // Next to a configured file any name may be configured: nothing there is passed over.
    const file = await scanPaths([join(dir, "b.yaml")], new Map(), limits);
    writeFileSync(join(dir, "other.txt"), "x");
    expect(isOutsideScan(file, join(dir, "other.txt"))).toBe(false);
  });
});
