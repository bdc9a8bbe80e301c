import { mkdtempSync, mkdirSync, rmSync, writeFileSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadFiles, watchFiles, type FileSnapshot, type FileWatch } from "./index.js";

const route = (name: string, host: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: ${name}
  namespace: default
spec:
  hostnames: ["${host}"]
`;

const names = (s: FileSnapshot) => s.objects.map((o) => o.metadata.name).sort();
const hostOf = (s: FileSnapshot, name: string) =>
  (s.objects.find((o) => o.metadata.name === name) as unknown as { spec: { hostnames: string[] } } | undefined)?.spec.hostnames[0];

/** Collects snapshots and lets a test wait for the first one that satisfies a predicate. */
function recorder() {
  const seen: FileSnapshot[] = [];
  const waiters: { test: (s: FileSnapshot) => boolean; resolve: (s: FileSnapshot) => void }[] = [];
  return {
    seen,
    push(s: FileSnapshot) {
      seen.push(s);
      for (const w of [...waiters])
        if (w.test(s)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(s);
        }
    },
    next(test: (s: FileSnapshot) => boolean): Promise<FileSnapshot> {
      return new Promise((resolve) => waiters.push({ test, resolve }));
    },
  };
}

describe("File provider", () => {
  let dir: string;
  let watcher: FileWatch | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "egts-provider-file-"));
  });
  afterEach(() => {
    watcher?.close();
    watcher = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it("reads directories recursively and skips dotfiles, dot-directories, editor backups and other extensions", async () => {
    mkdirSync(join(dir, "routes", "nested"), { recursive: true });
    mkdirSync(join(dir, ".git"));
    writeFileSync(join(dir, "routes", "a.yaml"), route("a", "a.example.com"));
    writeFileSync(join(dir, "routes", "nested", "b.yml"), route("b", "b.example.com"));
    writeFileSync(join(dir, ".hidden.yaml"), route("hidden", "h"));
    writeFileSync(join(dir, ".git", "c.yaml"), route("git", "g"));
    writeFileSync(join(dir, "routes", "a.yaml~"), route("backup", "x"));
    writeFileSync(join(dir, "routes", ".a.yaml.swp"), "binary junk");
    writeFileSync(join(dir, "routes", "#a.yaml#"), route("emacs", "e"));
    writeFileSync(join(dir, "README.md"), "# not a resource");
    const snapshot = await loadFiles({ paths: [dir] });
    expect(snapshot.problems).toEqual([]);
    expect(names(snapshot)).toEqual(["a", "b"]);
  });

  it("reports a missing path without failing the others", async () => {
    writeFileSync(join(dir, "a.yaml"), route("a", "a.example.com"));
    const missing = join(dir, "nope");
    const snapshot = await loadFiles({ paths: [join(dir, "a.yaml"), missing] });
    expect(names(snapshot)).toEqual(["a"]);
    expect(snapshot.problems).toEqual([{ file: missing, message: "path does not exist" }]);
  });

  it("reloads a changed file, keeps a broken file's last objects, and ignores dotfile events", async () => {
    const file = join(dir, "route.yaml");
    writeFileSync(file, route("r", "one.example.com"));
    writeFileSync(join(dir, "other.yaml"), route("other", "other.example.com"));
    const rec = recorder();
    watcher = await watchFiles({ paths: [dir], debounceMs: 20 }, (s) => rec.push(s));
    expect(rec.seen).toHaveLength(1);
    expect(hostOf(rec.seen[0]!, "r")).toBe("one.example.com");

    // An edit is picked up by the watcher.
    const edited = rec.next((s) => hostOf(s, "r") === "two.example.com");
    writeFileSync(file, route("r", "two.example.com"));
    const afterEdit = await edited;
    expect(afterEdit.problems).toEqual([]);
    expect(names(afterEdit)).toEqual(["other", "r"]);

    // A broken edit is reported; the file keeps serving its last good objects, the other file is untouched.
    const broken = rec.next((s) => s.problems.length > 0);
    writeFileSync(file, route("r", "three.example.com") + "---\napiVersion: v1\nkind: Service\nmetadata: {}\n");
    const afterBreak = await broken;
    expect(afterBreak.problems).toEqual([
      { file, document: 2, object: "Service", path: "metadata.name", message: "Required value: name or generateName is required" },
    ]);
    expect(afterBreak.staleFiles).toEqual([file]);
    expect(hostOf(afterBreak, "r")).toBe("two.example.com");
    expect(names(afterBreak)).toEqual(["other", "r"]);

    // Saving through a temporary file and a rename (as editors do) is picked up too, and fixes the file.
    const fixed = rec.next((s) => s.problems.length === 0);
    writeFileSync(join(dir, ".route.yaml.tmp"), route("r", "four.example.com"));
    renameSync(join(dir, ".route.yaml.tmp"), file);
    const afterFix = await fixed;
    expect(hostOf(afterFix, "r")).toBe("four.example.com");
    expect(afterFix.staleFiles).toEqual([]);

    // Dotfiles and backups change nothing: a rescan returns the very same snapshot and no new one is published.
    const count = rec.seen.length;
    writeFileSync(join(dir, ".scratch.yaml"), route("scratch", "s"));
    writeFileSync(join(dir, "route.yaml~"), route("backup", "b"));
    const same = await watcher.reload();
    expect(same).toBe(afterFix);
    expect(rec.seen.length).toBe(count);
  });

  it("reloads at once a file saved through a temporary file of another name, which starts no burst of its own", async () => {
    const file = join(dir, "route.yaml");
    writeFileSync(file, route("r", "one.example.com"));
    const rec = recorder();
    // A burst's reload would come only after an hour: the edit must be read by the reload its rename starts.
    watcher = await watchFiles({ paths: [dir], debounceMs: 3_600_000, maxDelayMs: 3_600_000 }, (s) => rec.push(s));
    const edited = rec.next((s) => hostOf(s, "r") === "two.example.com");
    writeFileSync(`${file}.tmp`, route("r", "two.example.com"));
    renameSync(`${file}.tmp`, file);
    await edited;
    expect(rec.seen.map((s) => hostOf(s, "r"))).toEqual(["one.example.com", "two.example.com"]);
  });

  it("keeps the objects of a file that grew past the size limit, and reports it", async () => {
    const file = join(dir, "route.yaml");
    writeFileSync(file, route("r", "small.example.com"));
    const rec = recorder();
    watcher = await watchFiles({ paths: [dir], debounceMs: 20, maxFileBytes: 4096 }, (s) => rec.push(s));
    const tooBig = rec.next((s) => s.problems.length > 0);
    writeFileSync(file, route("r", "big.example.com") + `# ${"x".repeat(5000)}\n`);
    const snapshot = await tooBig;
    expect(snapshot.problems).toEqual([{ file, message: expect.stringMatching(/larger than the limit of 4096$/) }]);
    expect(hostOf(snapshot, "r")).toBe("small.example.com");
  });

  it.each([false, true])("picks up files added to and removed from a new subdirectory (recursive watcher: %s)", async (recursiveWatch) => {
    const rec = recorder();
    watcher = await watchFiles({ paths: [dir], debounceMs: 20, recursiveWatch }, (s) => rec.push(s));
    expect(rec.seen[0]!.objects).toEqual([]);
    const added = rec.next((s) => names(s).includes("deep"));
    mkdirSync(join(dir, "sub"));
    writeFileSync(join(dir, "sub", "deep.yaml"), route("deep", "d"));
    await added;
    const removed = rec.next((s) => s.objects.length === 0);
    rmSync(join(dir, "sub"), { recursive: true });
    await removed;
  });
});

describe("validatingParser (the default)", () => {
  it("reports a schema violation with file, document, object and field, and keeps the other documents", async () => {
    const dir = mkdtempSync(join(tmpdir(), "egts-provider-file-"));
    try {
      const file = join(dir, "gw.yaml");
      writeFileSync(
        file,
        `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: eg, namespace: default}
spec:
  gatewayClassName: eg
  listeners:
  - {name: http, protocol: HTTP, port: 70000}
---
${route("ok", "ok.example.com")}`,
      );
      const snapshot = await loadFiles({ paths: [dir] });
      expect(names(snapshot)).toEqual(["ok"]);
      expect(snapshot.problems).toHaveLength(1);
      expect(snapshot.problems[0]).toMatchObject({ file, document: 1, object: "Gateway default/eg", path: "spec.listeners[0].port" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
