import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { CoordinationV1Api, CoreV1Api, CustomObjectsApi, KubeConfig, KubernetesObjectApi, PatchStrategy, Watch } from "@kubernetes/client-node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TestApiServer } from "./TestApiServer.js";

let server: TestApiServer;
let kc: KubeConfig;

beforeEach(async () => {
  server = new TestApiServer({ bookmarkIntervalMs: 50 });
  await server.start(0);
  kc = new KubeConfig();
  kc.loadFromString(server.kubeconfig());
  server.put({ apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } });
});
afterEach(() => server.stop());

const route = (name: string, labels: Record<string, string> = {}) => ({
  apiVersion: "gateway.networking.k8s.io/v1",
  kind: "HTTPRoute",
  metadata: { name, namespace: "default", labels },
  spec: { parentRefs: [{ name: "eg" }] },
});

const apiCode = (error: unknown): number | undefined => (error as { code?: number }).code;

/** Collects watch events until `until` says stop, or the watch ends. */
function collect(path: string, params: Record<string, string>, until: (events: Array<{ type: string; object: any }>) => boolean) {
  const events: Array<{ type: string; object: any }> = [];
  return new Promise<{ events: typeof events; error: unknown }>((resolve) => {
    let controller: AbortController | undefined;
    void new Watch(kc)
      .watch(
        path,
        params,
        (type, object) => {
          events.push({ type, object });
          if (until(events)) {
            controller?.abort();
            resolve({ events, error: undefined });
          }
        },
        (error) => resolve({ events, error }),
      )
      .then((c) => (controller = c));
  });
}

describe("TestApiServer (a test double) with the real client-node", () => {
  it("creates, reads, lists with selectors, patches and deletes through discovery", async () => {
    const api = KubernetesObjectApi.makeApiClient(kc);
    await api.create(route("a", { app: "x" }));
    await api.create(route("b", { app: "y" }));
    const read = await api.read({ apiVersion: "gateway.networking.k8s.io/v1", kind: "HTTPRoute", metadata: { name: "a", namespace: "default" } });
    expect(read.metadata?.uid).toBeTruthy();
    const byLabel = await api.list("gateway.networking.k8s.io/v1", "HTTPRoute", "default", undefined, undefined, undefined, undefined, "app=x");
    expect(byLabel.items.map((o) => o.metadata?.name)).toEqual(["a"]);
    const byField = await api.list("gateway.networking.k8s.io/v1", "HTTPRoute", undefined, undefined, undefined, undefined, "metadata.name!=a");
    expect(byField.items.map((o) => o.metadata?.name)).toEqual(["b"]);
    const patched = await api.patch(
      { ...route("a"), metadata: { name: "a", namespace: "default", labels: { app: "z" } } },
      undefined,
      undefined,
      undefined,
      undefined,
      PatchStrategy.MergePatch,
    );
    expect(patched.metadata?.labels).toEqual({ app: "z" });
    expect((patched.metadata as { generation?: number } | undefined)?.generation).toBe(1);
    await api.delete(route("b"));
    await expect(api.read(route("b"))).rejects.toSatisfy((e) => apiCode(e) === 404);
  });

  it("refuses a create in a namespace that does not exist, and a duplicate", async () => {
    const core = kc.makeApiClient(CoreV1Api);
    await expect(core.createNamespacedConfigMap({ namespace: "nope", body: { metadata: { name: "c" } } })).rejects.toSatisfy((e) => apiCode(e) === 404);
    await core.createNamespacedConfigMap({ namespace: "default", body: { metadata: { name: "c" } } });
    await expect(core.createNamespacedConfigMap({ namespace: "default", body: { metadata: { name: "c" } } })).rejects.toSatisfy((e) => apiCode(e) === 409);
  });

  it("answers a stale resourceVersion with 409 and an injected conflict once", async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const created = await core.createNamespacedConfigMap({ namespace: "default", body: { metadata: { name: "c" }, data: { a: "1" } } });
    await core.replaceNamespacedConfigMap({ name: "c", namespace: "default", body: { ...created, data: { a: "2" } } });
    await expect(core.replaceNamespacedConfigMap({ name: "c", namespace: "default", body: { ...created, data: { a: "3" } } })).rejects.toSatisfy(
      (e) => apiCode(e) === 409,
    );
    server.injectConflicts(1, { kind: "ConfigMap" });
    const current = await core.readNamespacedConfigMap({ name: "c", namespace: "default" });
    await expect(core.replaceNamespacedConfigMap({ name: "c", namespace: "default", body: { ...current, data: { a: "4" } } })).rejects.toSatisfy(
      (e) => apiCode(e) === 409,
    );
    const written = await core.replaceNamespacedConfigMap({ name: "c", namespace: "default", body: { ...current, data: { a: "4" } } });
    expect(written.data).toEqual({ a: "4" });
  });

  it("writes status only through /status, and spec only through the main resource", async () => {
    const custom = kc.makeApiClient(CustomObjectsApi);
    const gvp = { group: "gateway.networking.k8s.io", version: "v1", plural: "httproutes", namespace: "default" };
    await custom.createNamespacedCustomObject({ ...gvp, body: { ...route("a"), status: { parents: ["ignored"] } } });
    expect(server.get("HTTPRoute", "default", "a")?.["status"]).toBeUndefined();
    const current = await custom.getNamespacedCustomObject({ ...gvp, name: "a" });
    await custom.replaceNamespacedCustomObjectStatus({ ...gvp, name: "a", body: { ...current, spec: { parentRefs: [] }, status: { parents: [] } } });
    const afterStatus = server.get("HTTPRoute", "default", "a")!;
    expect(afterStatus["status"]).toEqual({ parents: [] });
    expect(afterStatus["spec"]).toEqual(route("a").spec);
    await custom.replaceNamespacedCustomObject({ ...gvp, name: "a", body: { ...afterStatus, spec: { hostnames: ["x"] }, status: { parents: ["ignored"] } } });
    const afterSpec = server.get("HTTPRoute", "default", "a")!;
    expect(afterSpec["status"]).toEqual({ parents: [] });
    expect(afterSpec.metadata.generation).toBe(2);
  });

  it("applies a JSON patch", async () => {
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespacedConfigMap({ namespace: "default", body: { metadata: { name: "c" }, data: { a: "1" } } });
    const patched = await core.patchNamespacedConfigMap(
      {
        name: "c",
        namespace: "default",
        body: [
          { op: "add", path: "/data/b", value: "2" },
          { op: "remove", path: "/data/a" },
        ],
      },
      { middleware: [], middlewareMergeStrategy: "append" } as never,
    );
    expect(patched.data).toEqual({ b: "2" });
  });

  it("watches from a resourceVersion, sends bookmarks, and answers a compacted one with 410", async () => {
    const api = KubernetesObjectApi.makeApiClient(kc);
    await api.create(route("a"));
    const list = await api.list("gateway.networking.k8s.io/v1", "HTTPRoute", "default");
    const from = list.metadata?.resourceVersion ?? "";
    await api.create(route("b"));
    const seen = collect("/apis/gateway.networking.k8s.io/v1/namespaces/default/httproutes", { resourceVersion: from, allowWatchBookmarks: "true" }, (e) =>
      e.some((x) => x.type === "BOOKMARK"),
    );
    const { events } = await seen;
    expect(events.filter((e) => e.type !== "BOOKMARK").map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(["ADDED b"]);
    server.compact();
    const gone = await collect("/apis/gateway.networking.k8s.io/v1/namespaces/default/httproutes", { resourceVersion: from }, (e) => e.length > 0);
    expect(gone.events[0]?.type).toBe("ERROR");
    expect(gone.events[0]?.object.code).toBe(410);
  });

  it("turns a label change out of a watch's selection into DELETED", async () => {
    const api = KubernetesObjectApi.makeApiClient(kc);
    await api.create(route("a", { app: "x" }));
    const seen = collect("/apis/gateway.networking.k8s.io/v1/httproutes", { labelSelector: "app=x" }, (e) => e.length === 2);
    await new Promise((r) => setTimeout(r, 50));
    await api.patch(
      { ...route("a"), metadata: { name: "a", namespace: "default", labels: { app: "y" } } },
      undefined,
      undefined,
      undefined,
      undefined,
      PatchStrategy.MergePatch,
    );
    const { events } = await seen;
    expect(events.map((e) => e.type)).toEqual(["ADDED", "DELETED"]);
  });

  it("keeps its state across a restart, dropping open watches", async () => {
    const api = KubernetesObjectApi.makeApiClient(kc);
    await api.create(route("a"));
    const watch = collect("/apis/gateway.networking.k8s.io/v1/httproutes", {}, () => false);
    while (server.openWatches === 0) await new Promise((r) => setTimeout(r, 10));
    await server.stop();
    await watch;
    await expect(api.read(route("a"))).rejects.toBeDefined();
    await server.start();
    expect((await api.read(route("a"))).metadata?.name).toBe("a");
  });

  it("keeps an object with finalizers until they are removed", async () => {
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespacedConfigMap({ namespace: "default", body: { metadata: { name: "c", finalizers: ["x/y"] } } });
    await core.deleteNamespacedConfigMap({ name: "c", namespace: "default" });
    const marked = await core.readNamespacedConfigMap({ name: "c", namespace: "default" });
    expect(marked.metadata?.deletionTimestamp).toBeDefined();
    await core.replaceNamespacedConfigMap({ name: "c", namespace: "default", body: { ...marked, metadata: { ...marked.metadata, finalizers: [] } } });
    expect(server.get("ConfigMap", "default", "c")).toBeUndefined();
  });

  it("serves Leases and discovery changes when a kind is added or removed", async () => {
    const leases = kc.makeApiClient(CoordinationV1Api);
    await leases.createNamespacedLease({ namespace: "default", body: { metadata: { name: "l" }, spec: { holderIdentity: "me", leaseDurationSeconds: 15 } } });
    expect((await leases.readNamespacedLease({ name: "l", namespace: "default" })).spec?.holderIdentity).toBe("me");
    const custom = kc.makeApiClient(CustomObjectsApi);
    server.removeKind("gateway.envoyproxy.io", "Backend");
    await expect(custom.listClusterCustomObject({ group: "gateway.envoyproxy.io", version: "v1alpha1", plural: "backends" })).rejects.toSatisfy(
      (e) => apiCode(e) === 404,
    );
  });

  it("answers kubectl", async () => {
    const dir = mkdtempSync(join(tmpdir(), "egts-kubectl-"));
    writeFileSync(join(dir, "config"), server.kubeconfig());
    server.put(route("from-store"));
    const run = promisify(execFile);
    let out: string;
    try {
      out = (await run("kubectl", ["--kubeconfig", join(dir, "config"), "get", "httproutes.gateway.networking.k8s.io", "-n", "default", "-o", "name"])).stdout;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return; // no kubectl on this machine
      throw error;
    }
    expect(out.trim()).toBe("httproute.gateway.networking.k8s.io/from-store");
  });
});
