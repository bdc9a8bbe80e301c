import type { JsonObject, ProxyInfra } from "@egts/ir";
import { describe, expect, it } from "vitest";
import {
  applyObjects,
  containsFields,
  deleteObjects,
  proxyDesiredObjects,
  proxyObjectRefs,
  type KubeObject,
  type ObjectRef,
  type ObjectStore,
  type StoredObject,
} from "./index.js";

/** Test double: an in-memory object store that counts writes and, like an API server, adds fields of its own. */
function fakeObjectStore() {
  const objects = new Map<string, StoredObject>();
  const key = (r: ObjectRef) => `${r.kind}/${r.namespace}/${r.name}`;
  const keyOf = (o: KubeObject) => key({ apiVersion: o.apiVersion, kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name });
  const writes: string[] = [];
  const serverSide = (o: KubeObject): StoredObject => ({
    ...structuredClone(o),
    metadata: { ...structuredClone(o.metadata), ...{ uid: "u", resourceVersion: "1" } },
    status: {},
  });
  const store: ObjectStore = {
    get: async (ref) => objects.get(key(ref)),
    create: async (o) => {
      writes.push(`create ${keyOf(o)}`);
      objects.set(keyOf(o), serverSide(o));
    },
    update: async (o) => {
      writes.push(`update ${keyOf(o)}`);
      objects.set(keyOf(o), { ...objects.get(keyOf(o)), ...serverSide(o) });
    },
    delete: async (ref) => {
      writes.push(`delete ${key(ref)}`);
      objects.delete(key(ref));
    },
  };
  return { store, objects, writes };
}

const proxy = (config?: JsonObject): ProxyInfra => ({
  name: "default/eg",
  namespace: "default",
  metadata: {
    labels: { "gateway.envoyproxy.io/owning-gateway-name": "eg", "gateway.envoyproxy.io/owning-gateway-namespace": "default" },
    ownerReference: { kind: "GatewayClass", name: "eg" },
  },
  listeners: [{ name: "http", ports: [{ name: "http-80", protocol: "HTTP", servicePort: 80, containerPort: 10080 }] }],
  ...(config !== undefined ? { config } : {}),
});
const context = { envoyGateway: {}, controllerNamespace: "envoy-gateway-system", dnsDomain: "cluster.local", ownerReferenceUIDs: { GatewayClass: "uid" } };

describe("applyObjects", () => {
  it("creates the fleet's objects, then writes nothing when applied again", async () => {
    const { store, writes } = fakeObjectStore();
    const first = await applyObjects(store, proxyDesiredObjects(proxy(), context));
    expect(first.created.map((c) => c.split(" ")[0])).toEqual(["ServiceAccount", "ConfigMap", "Deployment", "Service"]);
    const count = writes.length;
    const second = await applyObjects(store, proxyDesiredObjects(proxy(), context));
    expect(writes.length).toBe(count);
    expect(second.unchanged).toHaveLength(4);
  });

  it("restores drift on a field egts sets", async () => {
    const { store, objects } = fakeObjectStore();
    const desired = proxyDesiredObjects(proxy(), context);
    await applyObjects(store, desired);
    const [key, service] = [...objects.entries()].find(([k]) => k.startsWith("Service/"))!;
    objects.set(key, { ...service, spec: { ...(service["spec"] as object), type: "NodePort" } });
    const report = await applyObjects(store, desired);
    expect(report.updated).toEqual([`Service envoy-gateway-system/${desired.objects.find((o) => o.kind === "Service")!.metadata.name}`]);
  });

  it("leaves alone and reports an object of the same name that egts does not own", async () => {
    const { store, objects, writes } = fakeObjectStore();
    const desired = proxyDesiredObjects(proxy(), context);
    const account = desired.objects.find((o) => o.kind === "ServiceAccount")!;
    objects.set(`ServiceAccount/${account.metadata.namespace}/${account.metadata.name}`, { metadata: { labels: { team: "other" } } });
    const report = await applyObjects(store, desired);
    expect(report.notOwned).toEqual([`ServiceAccount ${account.metadata.namespace}/${account.metadata.name}`]);
    expect(writes.some((w) => w.includes("ServiceAccount"))).toBe(false);
  });

  it("deletes an HPA the EnvoyProxy no longer asks for, and everything when the Gateway goes away", async () => {
    const { store, objects } = fakeObjectStore();
    const withHpa = { spec: { provider: { type: "Kubernetes", kubernetes: { envoyHpa: { maxReplicas: 3 } } } } };
    await applyObjects(store, proxyDesiredObjects(proxy(withHpa), context));
    expect([...objects.keys()].some((k) => k.startsWith("HorizontalPodAutoscaler/"))).toBe(true);
    const report = await applyObjects(store, proxyDesiredObjects(proxy(), context));
    expect(report.deleted.map((d) => d.split(" ")[0])).toEqual(["HorizontalPodAutoscaler"]);
    const { refs, ownerLabels } = proxyObjectRefs(proxy(), context);
    await deleteObjects(store, refs, ownerLabels);
    expect(objects.size).toBe(0);
  });
});

describe("containsFields", () => {
  it("ignores fields the server adds but not a changed list length", () => {
    expect(containsFields({ a: 1, b: { c: [1, 2], d: "x" } }, { b: { c: [1, 2] } })).toBe(true);
    expect(containsFields({ b: { c: [1, 2, 3] } }, { b: { c: [1, 2] } })).toBe(false);
    expect(containsFields({ a: "1" }, { a: "2" })).toBe(false);
  });
});
