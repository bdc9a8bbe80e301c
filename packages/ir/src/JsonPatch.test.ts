import { describe, expect, it } from "vitest";
import { applyJsonPatchOperation as applyOperation, jsonPathToPointers, type MutableJson as Json } from "./JsonPatch.js";

describe("JSON Patch and JSONPath", () => {
  it("adds into arrays and creates missing parent objects", () => {
    const doc: Json = { a: [1, 3] };
    applyOperation(doc, { op: "add", path: "/a/1", value: 2 }, "/a/1");
    applyOperation(doc, { op: "add", path: "/b/c", value: "x" }, "/b/c");
    expect(doc).toEqual({ a: [1, 2, 3], b: { c: "x" } });
  });

  it("fails replace and remove on a missing path, and a failed test", () => {
    expect(() => applyOperation({ a: 1 }, { op: "replace", path: "/b", value: 2 }, "/b")).toThrow();
    expect(() => applyOperation({ a: 1 }, { op: "remove", path: "/b" }, "/b")).toThrow();
    expect(() => applyOperation({ a: 1 }, { op: "test", path: "/a", value: 2 }, "/a")).toThrow("testing value failed");
  });

  it("selects with recursive descent and filters", () => {
    const doc: Json = { virtual_hosts: [{ routes: [{ name: "a" }, { name: "b" }] }] };
    expect(jsonPathToPointers(doc, "..routes[?(@.name=='b')]")).toEqual(["/virtual_hosts/0/routes/1"]);
    expect(jsonPathToPointers(doc, "$.virtual_hosts[0].routes[*].name")).toEqual(["/virtual_hosts/0/routes/0/name", "/virtual_hosts/0/routes/1/name"]);
    expect(() => jsonPathToPointers(doc, "$")).toThrow();
  });
});
