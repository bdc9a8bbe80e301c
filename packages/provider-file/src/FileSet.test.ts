import { describe, expect, it } from "vitest";
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
