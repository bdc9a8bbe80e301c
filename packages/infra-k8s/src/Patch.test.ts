import { describe, expect, it } from "vitest";
import { applyPatch } from "./index.js";

// Cases follow the rules in Kubernetes' "Update API Objects in Place Using kubectl patch" task page and the
// strategic-merge-patch design document (sig-api-machinery), written for these tests.
const deployment = () => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", namespace: "default", finalizers: ["a"] },
  spec: {
    replicas: 2,
    template: {
      spec: {
        containers: [
          {
            name: "app",
            image: "app:1",
            env: [
              { name: "A", value: "1" },
              { name: "B", value: "2" },
            ],
            ports: [{ containerPort: 80, name: "http" }],
          },
          { name: "sidecar", image: "side:1" },
        ],
        tolerations: [{ key: "x", operator: "Exists" }],
        volumes: [{ name: "certs", secret: { secretName: "certs" } }],
      },
    },
  },
});

type Obj = ReturnType<typeof deployment>;
const patch = (value: unknown, type?: string) => {
  const result = applyPatch(deployment(), { value, ...(type !== undefined ? { type } : {}) }, "Deployment");
  if (!result.ok) throw new Error(result.error);
  return result.object as Obj;
};
const spec = (o: Obj) => o.spec.template.spec;

describe("applyPatch, StrategicMerge (the default type)", () => {
  it("merges containers by name instead of replacing the list", () => {
    const out = patch({ spec: { template: { spec: { containers: [{ name: "sidecar", image: "side:2" }] } } } });
    expect(spec(out).containers.map((c) => [c.name, c.image])).toEqual([
      ["app", "app:1"],
      ["sidecar", "side:2"],
    ]);
  });

  it("merges env by name and ports by containerPort inside a merged container", () => {
    const out = patch({
      spec: { template: { spec: { containers: [{ name: "app", env: [{ name: "B", value: "3" }], ports: [{ containerPort: 80, protocol: "TCP" }] }] } } },
    });
    const app = spec(out).containers[0]!;
    expect(app.env).toEqual([
      { name: "A", value: "1" },
      { name: "B", value: "3" },
    ]);
    expect(app.ports).toEqual([{ containerPort: 80, name: "http", protocol: "TCP" }]);
  });

  it("puts new elements the patch names before the original's, as Kubernetes orders a merged list", () => {
    const out = patch({ spec: { template: { spec: { containers: [{ name: "app", env: [{ name: "C", value: "new" }] }] } } } });
    expect(spec(out).containers[0]!.env!.map((e) => e.name)).toEqual(["C", "A", "B"]);
  });

  it("replaces lists that have no merge strategy (tolerations)", () => {
    const out = patch({ spec: { template: { spec: { tolerations: [{ key: "y", operator: "Exists" }] } } } });
    expect(spec(out).tolerations).toEqual([{ key: "y", operator: "Exists" }]);
  });

  it("deletes a list element with $patch: delete and a field with null", () => {
    const out = patch({ spec: { replicas: null, template: { spec: { containers: [{ name: "sidecar", $patch: "delete" }] } } } });
    expect(spec(out).containers.map((c) => c.name)).toEqual(["app"]);
    expect("replicas" in out.spec).toBe(false);
  });

  it("replaces a whole list with a $patch: replace element, and a map with $patch: replace", () => {
    const out = patch({
      spec: {
        template: { spec: { volumes: [{ $patch: "replace" }, { name: "data", emptyDir: {} }], containers: [{ name: "app", ports: [{ $patch: "replace" }] }] } },
      },
    }).spec;
    expect(out.template.spec.volumes).toEqual([{ name: "data", emptyDir: {} }]);
    expect(out.template.spec.containers[0]!.ports).toEqual([]);
    const mapReplaced = patch({ spec: { template: { $patch: "replace", spec: { containers: [] } } } });
    expect(mapReplaced.spec.template).toEqual({ spec: { containers: [] } });
  });

  it("unions scalar lists with a merge strategy (finalizers) and removes with $deleteFromPrimitiveList", () => {
    expect(patch({ metadata: { finalizers: ["b", "a"] } }).metadata.finalizers).toEqual(["b", "a"]);
    expect(patch({ metadata: { "$deleteFromPrimitiveList/finalizers": ["a"] } }).metadata.finalizers).toEqual([]);
  });

  it("reorders a merged list with $setElementOrder", () => {
    const out = patch({ spec: { template: { spec: { "$setElementOrder/containers": [{ name: "sidecar" }, { name: "app" }] } } } });
    expect(spec(out).containers.map((c) => c.name)).toEqual(["sidecar", "app"]);
  });

  it("fails, naming the field, when a merged element lacks its merge key", () => {
    const result = applyPatch(deployment(), { value: { spec: { template: { spec: { containers: [{ image: "x" }] } } } } }, "Deployment");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain("spec.template.spec.containers");
  });

  it("does not modify the object it patches", () => {
    const original = deployment();
    applyPatch(original, { value: { spec: { template: { spec: { containers: [{ name: "app", image: "x" }] } } } } }, "Deployment");
    expect(original).toEqual(deployment());
  });
});

describe("applyPatch, JSONMerge (RFC 7386)", () => {
  it("replaces lists whole, merges objects and removes members set to null", () => {
    const out = patch({ metadata: { finalizers: null, labels: { a: "b" } }, spec: { template: { spec: { containers: [{ name: "only" }] } } } }, "JSONMerge");
    expect(spec(out).containers).toEqual([{ name: "only" }]);
    expect(out.metadata).toEqual({ name: "web", namespace: "default", labels: { a: "b" } });
  });

  it("rejects an unknown merge type", () => {
    expect(applyPatch(deployment(), { type: "Replace", value: {} }, "Deployment")).toEqual({ ok: false, error: "unsupported merge type: Replace" });
  });
});
