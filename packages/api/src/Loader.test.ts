import { describe, expect, it } from "vitest";
import { formatProblem, isError, loadText, parseDocuments, type HTTPRoute } from "@egts/api";

const mixed = `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata:
  name: eg
spec:
  controllerName: gateway.envoyproxy.io/gatewayclass-controller
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: broken
  namespace: apps
spec:
  gatewayClassName: eg
  listeners:
  - name: http
    protocol: HTTP
    port: 99999
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: good
spec:
  parentRefs:
  - name: eg
---
this: [is not: valid yaml
---
apiVersion: example.io/v1
kind: Widget
metadata:
  name: w
---
`;

describe("loadText", () => {
  const result = loadText(mixed, "mixed.yaml");

  it("keeps the good documents of a file that also has bad ones", () => {
    expect(result.objects.map((o) => `${o.object.kind}/${o.object.metadata.name}`)).toEqual(["GatewayClass/eg", "HTTPRoute/good"]);
    expect(result.objects.map((o) => o.index)).toEqual([0, 2]);
  });

  it("reports each bad document with file, document index, line, kind/namespace/name and field path", () => {
    const lines = result.problems.filter(isError).map(formatProblem);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe(
      "mixed.yaml:18: document 2: Gateway apps/broken: spec.listeners[0].port: Invalid value: 99999: spec.listeners[0].port in body should be less than or equal to 65535",
    );
    expect(lines[1]).toMatch(/^mixed\.yaml:\d+: document 4: /);
    expect(lines[2]).toBe('mixed.yaml:30: document 5: Widget w: no kind "Widget" is registered for version "example.io/v1"');
  });

  it("keeps unknown kinds aside (namespace defaulted) instead of dropping them", () => {
    expect(result.unknown.map((u) => u.object.kind)).toEqual(["Widget"]);
    expect(result.unknown[0]?.object.metadata.namespace).toBe("envoy-gateway-system");
  });

  it("gives a namespaced object without namespace Envoy Gateway's namespace (as upstream) and applies CRD defaults", () => {
    const route = result.objects[1]?.object as HTTPRoute;
    expect(route.metadata.namespace).toBe("envoy-gateway-system");
    expect(route.spec.parentRefs?.[0]?.kind).toBe("Gateway");
  });

  it("loads JSON and kind: List documents", () => {
    const json = JSON.stringify({
      apiVersion: "v1",
      kind: "List",
      items: [
        { apiVersion: "v1", kind: "Namespace", metadata: { name: "a" } },
        { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", namespace: "a" }, data: { k: "v" } },
      ],
    });
    const r = loadText(json, "list.json");
    expect(r.problems).toEqual([]);
    expect(r.objects.map((o) => [o.object.kind, o.item])).toEqual([
      ["Namespace", 0],
      ["ConfigMap", 1],
    ]);
  });
});

describe("bounds on untrusted input", () => {
  it("refuses an alias bomb without exhausting memory", () => {
    const bomb = [
      "a: &a [x, x, x, x, x, x, x, x, x]",
      "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]",
      "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]",
      "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]",
      "e: [*d, *d, *d, *d, *d, *d, *d, *d, *d]",
    ].join("\n");
    const r = parseDocuments(bomb, "bomb.yaml");
    expect(r.documents).toHaveLength(0);
    expect(r.problems[0]?.code).toBe("yaml");
    expect(r.problems[0]?.message).toMatch(/alias/i);
  });

  it("refuses brackets nested deeper than the limit, accepting ordinary depth", () => {
    const deep = `a: ${"[".repeat(100_000)}${"]".repeat(100_000)}\n`;
    expect(parseDocuments(deep, "deep.yaml").problems.map((p) => p.code)).toEqual(["too-large"]);
    const fine = `a: ${"[".repeat(200)}1${"]".repeat(200)}\n`;
    expect(parseDocuments(fine, "fine.yaml").documents).toHaveLength(1);
    const block = Array.from({ length: 2000 }, (_, i) => `${" ".repeat(i)}k:`).join("\n");
    expect(parseDocuments(block, "block.yaml").problems.map((p) => p.message)).toEqual(["lines indented more than 1024 spaces"]);
  });

  it("parses a mapping of 60 000 keys (the yaml package's duplicate-key check is quadratic) and reports a repeated key", () => {
    const keys = Array.from({ length: 60_000 }, (_, i) => `  k${i}: v${i}`).join("\n");
    const big = parseDocuments(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n${keys}\n`, "big.yaml");
    expect(big.problems).toEqual([]);
    expect(Object.keys((big.documents[0]!.value as { data: object }).data)).toHaveLength(60_000);
    const dup = parseDocuments("a: 1\nb:\n  c: 1\n  c: 2\n<<: {x: 1}\n", "dup.yaml");
    expect(dup.documents).toEqual([]);
    expect(dup.problems).toMatchObject([{ code: "yaml", line: 4, message: 'Map keys must be unique: "c"' }]);
  }, 30_000);

  it("refuses a source over the size limit and too many documents", () => {
    expect(parseDocuments("a: 1\n".repeat(100), "big.yaml", { maxSourceLength: 100 }).problems[0]?.code).toBe("too-large");
    const many = parseDocuments("a: 1\n---\n".repeat(5), "many.yaml", { maxDocuments: 3 });
    expect(many.documents).toHaveLength(3);
    expect(many.problems.map((p) => p.code)).toEqual(["too-large"]);
  });
});

describe("hostile keys", () => {
  it("keeps a __proto__ key as plain data without touching prototypes", () => {
    const r = loadText('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","labels":{"__proto__":"x"}},"data":{"__proto__":"y"}}', "p.json");
    expect(r.problems).toEqual([]);
    const cm = r.objects[0]?.object as { data?: Record<string, string> };
    expect(Object.getPrototypeOf(cm.data)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(cm.data, "__proto__")?.value).toBe("y");
    expect(({} as Record<string, unknown>)["y"]).toBeUndefined();
  });
});
