import { KubeConfig } from "@kubernetes/client-node";
import { TestApiServer } from "@egts/test-apiserver";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyObjects, deleteObjects, type DesiredObjects, type ObjectOperationEvent } from "./Applier.js";
import { clientNodeObjectStore } from "./ClientNodeStore.js";
import type { KubeObject } from "./KubeObjects.js";

// The client-node store against TestApiServer, a Kubernetes API server TEST DOUBLE (real HTTP, real client-node).

const namespace = "envoy-gateway-system";
const ownerLabels = { "gateway.envoyproxy.io/owning-gateway-name": "eg", "gateway.envoyproxy.io/owning-gateway-namespace": "default" };
const labels = { "app.kubernetes.io/managed-by": "envoy-gateway", ...ownerLabels };
const serviceAccount = (name: string): KubeObject => ({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name, namespace, labels } }) as KubeObject;
const writes = (server: TestApiServer) => server.requests.filter((r) => r.method !== "GET").length;

describe("clientNodeObjectStore against the test API server", () => {
  let server: TestApiServer;
  let kc: KubeConfig;

  beforeEach(async () => {
    server = new TestApiServer();
    await server.start(0);
    server.put({ apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } });
    kc = new KubeConfig();
    kc.loadFromString(server.kubeconfig());
  });
  afterEach(() => server.stop());

  it("gets, creates, merge-patches and deletes; a missing object reads as undefined and deletes quietly", async () => {
    const store = clientNodeObjectStore(kc);
    const ref = { apiVersion: "apps/v1", kind: "Deployment", namespace, name: "envoy" };
    expect(await store.get(ref)).toBeUndefined();
    await store.create({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "envoy", namespace, labels }, spec: { replicas: 1 } } as KubeObject);
    expect(server.get("Deployment", namespace, "envoy")?.["spec"]).toEqual({ replicas: 1 });
    const read = await store.get(ref);
    expect(read?.metadata?.labels).toEqual(labels);
    await store.update({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "envoy", namespace }, spec: { replicas: 3 } } as KubeObject);
    expect(server.get("Deployment", namespace, "envoy")?.["spec"]).toEqual({ replicas: 3 });
    // The merge patch keeps fields it does not name.
    expect(server.get("Deployment", namespace, "envoy")?.metadata.labels).toEqual(labels);
    await store.delete(ref);
    expect(server.get("Deployment", namespace, "envoy")).toBeUndefined();
    await expect(store.delete(ref)).resolves.toBeUndefined();
  });

  it("applies through the applier: creates once, then no write; leaves an object it does not own alone", async () => {
    const store = clientNodeObjectStore(kc);
    server.put({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "foreign", namespace, labels: { team: "other" } } });
    const desired: DesiredObjects = { objects: [serviceAccount("envoy-eg"), serviceAccount("foreign")], unwanted: [], ownerLabels, errors: [] };
    const first = await applyObjects(store, desired);
    expect(first.created).toEqual([`ServiceAccount ${namespace}/envoy-eg`]);
    expect(first.notOwned).toEqual([`ServiceAccount ${namespace}/foreign`]);
    const before = writes(server);
    const second = await applyObjects(store, desired);
    expect(second.unchanged).toEqual([`ServiceAccount ${namespace}/envoy-eg`]);
    expect(writes(server)).toBe(before);
    expect(server.get("ServiceAccount", namespace, "foreign")?.metadata.labels).toEqual({ team: "other" });
  });

  it("tells its observer about every object applied and deleted, with the result; an absent object's deletion is not one", async () => {
    const store = clientNodeObjectStore(kc);
    server.put({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "foreign", namespace, labels: { team: "other" } } });
    const events: ObjectOperationEvent[] = [];
    const onObject = (e: ObjectOperationEvent) => events.push(e);
    const gone = { apiVersion: "v1", kind: "ServiceAccount", namespace, name: "never-there" };
    const desired: DesiredObjects = { objects: [serviceAccount("envoy-eg"), serviceAccount("foreign")], unwanted: [gone], ownerLabels, errors: [] };
    await applyObjects(store, desired, { onObject });
    await applyObjects(store, desired, { onObject });
    await deleteObjects(store, [{ apiVersion: "v1", kind: "ServiceAccount", namespace, name: "envoy-eg" }, gone], ownerLabels, { onObject });
    // The API server away: the apply fails.
    await server.stop();
    await applyObjects(store, { ...desired, objects: [serviceAccount("envoy-eg")], unwanted: [] }, { onObject });
    expect(events.map((e) => `${e.operation} ${e.ref.kind} ${e.ref.namespace}/${e.ref.name} ${e.result}`)).toEqual([
      `apply ServiceAccount ${namespace}/envoy-eg created`,
      `apply ServiceAccount ${namespace}/foreign notOwned`,
      `apply ServiceAccount ${namespace}/envoy-eg unchanged`,
      `apply ServiceAccount ${namespace}/foreign notOwned`,
      `delete ServiceAccount ${namespace}/envoy-eg deleted`,
      `apply ServiceAccount ${namespace}/envoy-eg error`,
    ]);
    expect(events.every((e) => e.seconds >= 0)).toBe(true);
  });
});
