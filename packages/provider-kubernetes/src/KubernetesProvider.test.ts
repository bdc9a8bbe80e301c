import { builtinKinds, gatewayApiKinds, TestApiServer, allKinds } from "@egts/test-apiserver";
import { afterEach, describe, expect, it } from "vitest";
import { createKubeClient, loadKubeConfig, type KubeClient } from "./KubeClient.js";
import { startKubernetesProvider, type KubernetesProvider, type KubernetesProviderOptions, type ProviderSnapshot } from "./KubernetesProvider.js";

// These tests run the real @kubernetes/client-node against TestApiServer, a Kubernetes API server test double.

const fast = { backoff: { initialMs: 20, maxMs: 200 }, discoveryBackoff: { initialMs: 50, maxMs: 200 }, debounceMs: 5 };

let server: TestApiServer;
let provider: KubernetesProvider | undefined;

afterEach(async () => {
  provider?.close();
  provider = undefined;
  await server?.stop();
});

async function setup(kinds = allKinds) {
  server = new TestApiServer({ kinds, bookmarkIntervalMs: 50 });
  await server.start(0);
  for (const ns of ["default", "envoy-gateway-system", "team-a", "team-b"])
    server.put({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns, labels: { team: ns } } });
  return createKubeClient(loadKubeConfig({ kubeconfigText: server.kubeconfig() }));
}

function start(client: KubeClient, extra: Partial<KubernetesProviderOptions> = {}) {
  const snapshots: ProviderSnapshot[] = [];
  const logs: string[] = [];
  provider = startKubernetesProvider({
    client,
    controllerNamespace: "envoy-gateway-system",
    onChange: (s) => snapshots.push(s),
    log: (level, message, fields) => logs.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`),
    ...fast,
    ...extra,
  });
  return { snapshots, logs, provider };
}

/** Waits (polling) until `check` holds; fails after 5 s. */
async function eventually(check: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const names = (s: ProviderSnapshot | undefined, kind: string) =>
  (s?.objects ?? [])
    .filter((o) => o.kind === kind)
    .map((o) => `${o.metadata.namespace ?? ""}/${o.metadata.name}`)
    .sort();

const route = (name: string, namespace = "default", hostnames: string[] = []) => ({
  apiVersion: "gateway.networking.k8s.io/v1",
  kind: "HTTPRoute",
  metadata: { name, namespace },
  spec: { parentRefs: [{ name: "eg" }], hostnames },
});

describe("startKubernetesProvider against the test API server", () => {
  it("lists every kind, then follows changes; built-in list items get apiVersion and kind", async () => {
    const client = await setup();
    server.put(route("a"));
    server.put({ apiVersion: "v1", kind: "Service", metadata: { name: "backend", namespace: "default" }, spec: {} });
    const { snapshots, provider } = start(client);
    await provider.synced;
    await eventually(() => snapshots.length > 0, "first snapshot");
    expect(names(snapshots.at(-1), "HTTPRoute")).toEqual(["default/a"]);
    expect(snapshots.at(-1)?.objects.find((o) => o.kind === "Service")?.apiVersion).toBe("v1");
    server.put(route("b"));
    server.remove("HTTPRoute", "default", "a");
    await eventually(() => names(snapshots.at(-1), "HTTPRoute").join() === "default/b", "b only");
    expect(provider.health()).toEqual({ synced: true, connected: true });
  });

  it("disables a missing optional CRD with one log line and watches it once it is installed", async () => {
    const client = await setup([...builtinKinds, ...gatewayApiKinds]);
    const { snapshots, logs, provider } = start(client);
    await provider.synced;
    await eventually(() => snapshots.length > 0, "first snapshot");
    expect(snapshots.at(-1)?.disabledKinds).toContain("Backend.gateway.envoyproxy.io");
    expect(logs.filter((l) => l.includes("not served") && l.includes("Backend.gateway")).length).toBe(1);
    server.addKind(allKinds.find((k) => k.kind === "Backend")!);
    server.put({ apiVersion: "gateway.envoyproxy.io/v1alpha1", kind: "Backend", metadata: { name: "be", namespace: "default" }, spec: {} });
    await eventually(() => names(snapshots.at(-1), "Backend").join() === "default/be", "the Backend");
    expect(snapshots.at(-1)?.disabledKinds).not.toContain("Backend.gateway.envoyproxy.io");
  });

  it("resumes a dropped watch from its resourceVersion without relisting, losing nothing", async () => {
    const client = await setup();
    const { snapshots, provider } = start(client);
    await provider.synced;
    const listsBefore = server.requests.filter((r) => r.method === "GET" && r.path.includes("/httproutes?")).length;
    server.dropWatches();
    server.put(route("during-drop"));
    await eventually(() => names(snapshots.at(-1), "HTTPRoute").join() === "default/during-drop", "the route made while the watch was down");
    const lists = server.requests.filter((r) => r.method === "GET" && r.path.includes("/httproutes?") && !r.path.includes("watch=")).length;
    expect(lists).toBe(listsBefore);
  });

  it("relists after 410 Gone and sees creations and deletions made meanwhile", async () => {
    const client = await setup();
    server.put(route("old"));
    const { snapshots, provider } = start(client);
    await provider.synced;
    await eventually(() => names(snapshots.at(-1), "HTTPRoute").join() === "default/old", "old");
    await server.stop();
    server.remove("HTTPRoute", "default", "old");
    server.put(route("new"));
    server.compact();
    await server.start();
    await eventually(() => names(snapshots.at(-1), "HTTPRoute").join() === "default/new", "new only");
    expect(server.requests.some((r) => r.path.includes("/httproutes?") && !r.path.includes("watch="))).toBe(true);
  });

  it("reports the API server unreachable while it is down and recovers after a restart", async () => {
    const client = await setup();
    const { snapshots, provider } = start(client);
    await provider.synced;
    await server.stop();
    await eventually(() => !provider.health().connected, "disconnected health");
    expect(provider.health().error).toMatch(/ECONNREFUSED|connect|close|socket/i);
    await server.start();
    server.put(route("after-restart"));
    await eventually(() => names(snapshots.at(-1), "HTTPRoute").join() === "default/after-restart", "the change after restart");
    await eventually(() => provider.health().connected, "connected again");
  });

  it("keeps working against a slow API server", async () => {
    const client = await setup();
    server.latencyMs = 100;
    server.put(route("slow"));
    const { snapshots, provider } = start(client);
    await provider.synced;
    await eventually(() => names(snapshots.at(-1), "HTTPRoute").join() === "default/slow", "slow route");
  });

  it("watches only the configured namespaces", async () => {
    const client = await setup();
    server.put(route("a", "team-a"));
    server.put(route("b", "team-b"));
    const { snapshots, provider } = start(client, { watch: { type: "Namespaces", namespaces: ["team-a"] } });
    await provider.synced;
    await eventually(() => snapshots.length > 0, "first snapshot");
    expect(names(snapshots.at(-1), "HTTPRoute")).toEqual(["team-a/a"]);
    expect(server.requests.some((r) => r.path.startsWith("/apis/gateway.networking.k8s.io/v1/namespaces/team-a/httproutes"))).toBe(true);
  });

  it("watches namespaces matching the namespace selector, following label changes", async () => {
    const client = await setup();
    server.put(route("a", "team-a"));
    server.put(route("b", "team-b"));
    const { snapshots, provider } = start(client, {
      watch: { type: "NamespaceSelector", namespaceSelector: { matchExpressions: [{ key: "team", operator: "In", values: ["team-b"] }] } },
    });
    await provider.synced;
    await eventually(() => snapshots.length > 0, "first snapshot");
    expect(names(snapshots.at(-1), "HTTPRoute")).toEqual(["team-b/b"]);
    server.put({ apiVersion: "v1", kind: "Namespace", metadata: { name: "team-a", labels: { team: "team-b" } } });
    await eventually(() => names(snapshots.at(-1), "HTTPRoute").length === 2, "both routes");
  });

  it("keeps the Envoy workloads of the controller namespace apart", async () => {
    const client = await setup();
    const labels = {
      "app.kubernetes.io/managed-by": "envoy-gateway",
      "app.kubernetes.io/component": "proxy",
      "gateway.envoyproxy.io/owning-gateway-name": "eg",
    };
    server.put({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "envoy-eg", namespace: "envoy-gateway-system", labels }, spec: {} });
    server.put({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "other", namespace: "envoy-gateway-system" }, spec: {} });
    const { snapshots, provider } = start(client);
    await provider.synced;
    await eventually(() => snapshots.length > 0, "first snapshot");
    expect(snapshots.at(-1)?.envoyWorkloads.map((o) => o.metadata.name)).toEqual(["envoy-eg"]);
  });
});
