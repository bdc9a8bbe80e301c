import { describe, expect, it } from "vitest";
import { createDocumentCache, loadText, type LoadOptions } from "@egts/api";

const options: LoadOptions = { applyDefaults: true, validate: true };

const route = (i: number, port = 8080) => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: route-${i}
  namespace: default
spec:
  parentRefs:
  - name: eg
  rules:
  - backendRefs:
    - name: backend-${i}
      port: ${port}
`;

const stream = (routes: ReadonlyArray<string>) => routes.map((r) => `---\n${r}`).join("");
const many = Array.from({ length: 200 }, (_, i) => route(i));

describe("DocumentCache", () => {
  it("loads what loadText loads", () => {
    const cache = createDocumentCache(options);
    const text = stream([...many.slice(0, 3), route(3, 99_999), "kind: [broken\n", route(5)]);
    expect(cache.load(text, "a.yaml")).toEqual(loadText(text, "a.yaml", options));
    // served from memory, still the same result
    expect(cache.load(text, "a.yaml")).toEqual(loadText(text, "a.yaml", options));
  });

  it("parses and validates only the edited document of a file of many", () => {
    const cache = createDocumentCache(options);
    const first = cache.load(stream(many), "routes.yaml");
    expect(cache.counts()).toMatchObject({ loaded: 200, reused: 0, entries: 200 });
    const edited = [...many];
    edited[120] = route(120, 9090);
    const second = cache.load(stream(edited), "routes.yaml");
    expect(cache.counts()).toMatchObject({ loaded: 201, reused: 199, entries: 200 });
    // the unchanged objects are the very same values; the edited one is new
    expect(second.objects[0]!.object).toBe(first.objects[0]!.object);
    expect(second.objects[120]!.object).not.toBe(first.objects[120]!.object);
    expect(second).toEqual(loadText(stream(edited), "routes.yaml", options));
  });

  it("places a remembered document where it is now: its index and the lines of its problems", () => {
    const cache = createDocumentCache(options);
    const bad = route(7, 99_999);
    cache.load(stream([bad]), "a.yaml");
    const moved = stream([route(1), route(2), bad]);
    const result = cache.load(moved, "a.yaml");
    expect(cache.counts().reused).toBe(1);
    expect(result).toEqual(loadText(moved, "a.yaml", options));
    expect(result.problems).toMatchObject([{ index: 2, line: 39, path: "spec.rules[0].backendRefs[0].port" }]);
  });

  it("keeps only the documents of each source's latest text, and forgets sources it is told are gone", () => {
    const cache = createDocumentCache(options);
    cache.load(stream(many.slice(0, 10)), "a.yaml");
    cache.load(stream(many.slice(5, 15)), "b.yaml"); // five documents shared with a.yaml
    expect(cache.counts()).toMatchObject({ loaded: 15, reused: 5, entries: 15 });
    cache.load(stream(many.slice(0, 2)), "a.yaml");
    expect(cache.counts().entries).toBe(12); // a.yaml's 2 and b.yaml's 10
    cache.retain(["a.yaml"]);
    expect(cache.counts().entries).toBe(2);
    cache.retain([]);
    expect(cache.counts().entries).toBe(0);
  });

  it("tells how much of a text it has not seen", () => {
    const cache = createDocumentCache(options);
    const text = stream(many.slice(0, 4));
    expect(cache.uncachedLength(text)).toBe(text.length);
    cache.load(text, "a.yaml");
    expect(cache.uncachedLength(text)).toBe(0);
    const grown = stream([...many.slice(0, 4), route(999)]);
    expect(cache.uncachedLength(grown)).toBe(`---\n${route(999)}`.length);
  });

  it("loads texts it cannot cut into documents as a whole, each time", () => {
    const cache = createDocumentCache(options);
    const json = JSON.stringify({ apiVersion: "v1", kind: "Namespace", metadata: { name: "n" } });
    const directive = `%YAML 1.1\n---\n${route(1)}`;
    expect(cache.load(json, "n.json")).toEqual(loadText(json, "n.json", options));
    expect(cache.load(directive, "d.yaml")).toEqual(loadText(directive, "d.yaml", options));
    cache.load(directive, "d.yaml");
    expect(cache.counts()).toMatchObject({ loaded: 0, wholeTexts: 3, entries: 0 });
  });
});
