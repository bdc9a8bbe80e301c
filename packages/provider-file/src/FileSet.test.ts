import { describe, expect, it } from "vitest";
import { createSnapshotter, type FileEntry, type FileSet } from "./FileSet.js";
import { emptyFileSet, formatFileProblem, parseKubernetesYaml, snapshotOf, updateFileSet } from "./index.js";

const parse = (text: string, file: string) => parseKubernetesYaml(text, file);
const svc = (name: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: default\n`;

describe("updateFileSet", () => {
  it("returns the previous set itself when no text changed", () => {
    const texts = new Map([["/a.yaml", svc("a")]]);
    const first = updateFileSet(emptyFileSet, texts, [], parse);
    expect(updateFileSet(first, new Map(texts), [], parse)).toBe(first);
    expect(updateFileSet(first, new Map(), [], parse).files.size).toBe(0);
  });

  it("keeps a broken file's last good objects and reports document and field", () => {
    const good = updateFileSet(
      emptyFileSet,
      new Map([
        ["/a.yaml", svc("a")],
        ["/b.yaml", svc("b")],
      ]),
      [],
      parse,
    );
    const broken = updateFileSet(
      good,
      new Map([
        ["/a.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: [unclosed\n"],
        ["/b.yaml", svc("b2")],
      ]),
      [],
      parse,
    );
    const snapshot = snapshotOf(broken);
    expect(snapshot.objects.map((o) => o.metadata.name)).toEqual(["a", "b2"]);
    expect(snapshot.staleFiles).toEqual(["/a.yaml"]);
    expect(snapshot.problems).toHaveLength(1);
    expect(snapshot.problems[0]).toMatchObject({ file: "/a.yaml", document: 1 });
    expect(formatFileProblem(snapshot.problems[0]!)).toMatch(/^\/a\.yaml: document 1: invalid YAML \(line \d+, column \d+\)/);
  });

  it("loads the good documents of a file that is broken on first sight", () => {
    const set = updateFileSet(emptyFileSet, new Map([["/a.yaml", `${svc("a")}---\nkind: Service\nmetadata: {name: x}\n---\n`]]), [], parse);
    const snapshot = snapshotOf(set);
    expect(snapshot.objects.map((o) => o.metadata.name)).toEqual(["a"]);
    expect(snapshot.problems).toEqual([{ file: "/a.yaml", document: 2, path: "apiVersion", message: "required string field is missing or empty" }]);
  });
});

describe("parseKubernetesYaml", () => {
  it("expands List documents and bounds alias expansion", () => {
    const list = parseKubernetesYaml(`apiVersion: v1\nkind: List\nitems:\n- ${svc("a").trimEnd().split("\n").join("\n  ")}\n- {kind: Service}\n`, "/l.yaml");
    expect(list.objects.map((o) => o.metadata.name)).toEqual(["a"]);
    expect(list.problems.map((p) => p.path)).toEqual(["items[1].apiVersion", "items[1].metadata"]);
    const bomb =
      "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n";
    const result = parseKubernetesYaml(bomb, "/bomb.yaml", { maxAliasCount: 10 });
    expect(result.objects).toEqual([]);
    expect(result.problems[0]?.message).toMatch(/alias/i);
  });
});

describe("createSnapshotter", () => {
  // A small pool of identities, so that random sets define some objects twice (in one file or in two).
  const object = (kind: string, name: string, serial: number) => ({
    apiVersion: kind === "Service" ? "v1" : "gateway.networking.k8s.io/v1",
    kind,
    metadata: { name, namespace: "default", labels: { serial: String(serial) } },
  });
  const randomOf = (seed: number) => () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };

  it("gives what snapshotOf gives, set after set, as files change a few at a time", () => {
    const random = randomOf(20261206);
    const pick = <T>(list: ReadonlyArray<T>): T => list[Math.floor(random() * list.length)]!;
    let serial = 0;
    const entry = (file: string): FileEntry => {
      const objects = Array.from({ length: Math.floor(random() * 4) }, () =>
        object(pick(["Service", "HTTPRoute"]), pick(["a", "b", "c", "d", "e", "f"]), serial++),
      );
      const broken = random() < 0.2;
      return {
        text: `text ${serial++}`,
        objects,
        documents: objects.map((_, i) => i + 1),
        unknown: random() < 0.2 ? [{ apiVersion: "x.example.io/v1", kind: "Thing", metadata: { name: pick(["a", "b"]) } }] : [],
        problems: broken ? [{ file, message: `broken ${serial}` }] : [],
        stale: broken,
        goodText: undefined,
      };
    };
    let duplicateRuns = 0;
    for (let run = 0; run < 200; run++) {
      const snapshotAfter = createSnapshotter();
      let files = new Map<string, FileEntry>();
      for (let step = 0; step < 12; step++) {
        const next = new Map(files);
        const changes = 1 + Math.floor(random() * 2);
        for (let c = 0; c < changes; c++) {
          const file = pick(["/a.yaml", "/b.yaml", "/c.yaml", "/d.yaml"]);
          if (next.has(file) && random() < 0.25) next.delete(file);
          else next.set(file, entry(file));
        }
        files = new Map([...next].sort(([a], [b]) => (a < b ? -1 : 1)));
        const set: FileSet = { files, pathProblems: random() < 0.1 ? [{ file: "/missing", message: "no such path" }] : [] };
        const expected = snapshotOf(set);
        if (expected.problems.some((p) => p.message.startsWith("duplicate object"))) duplicateRuns++;
        expect(snapshotAfter(set)).toEqual(expected);
      }
    }
    // Both ways were taken: sets with objects defined twice and sets without.
    expect(duplicateRuns).toBeGreaterThan(100);
    expect(duplicateRuns).toBeLessThan(2400);
  });
});
