import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { hashedName } from "@egts/infra-k8s";
import { clientNodeObjectStore } from "@egts/infra-k8s/client-node";
import { loadKubeConfig } from "@egts/provider-kubernetes";
import { TestApiServer, type StoredObject } from "@egts/test-apiserver";
import { afterEach, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { createKubernetesInfraReconciler } from "../src/KubernetesInfraRunner.js";
import { silentLogger, startController, type RunningController } from "../src/index.js";

// Kubernetes infrastructure end to end: the controller renders the quickstart Gateway's Envoy objects with
// @egts/infra-k8s and writes them through the real client-node to TestApiServer, a Kubernetes API server TEST DOUBLE.

const controllerNamespace = "envoy-gateway-system";
const envoyName = `envoy-${hashedName("default/eg", 48)}`;
const infraPath =
  /\/namespaces\/envoy-gateway-system\/(serviceaccounts|configmaps|deployments|daemonsets|services|horizontalpodautoscalers|poddisruptionbudgets)/;
const infraWrites = (server: TestApiServer) => server.requests.filter((r) => r.method !== "GET" && infraPath.test(r.path)).length;

async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function loadQuickstart(server: TestApiServer): void {
  server.put({ apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } });
  server.put({ apiVersion: "v1", kind: "Namespace", metadata: { name: controllerNamespace } });
  const dir = resolve(import.meta.dirname, "../../../examples/quickstart");
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".yaml"))) {
    for (const doc of parseAllDocuments(readFileSync(join(dir, file), "utf8"))) server.put(doc.toJS() as StoredObject);
  }
}

type InfraStatus = { leader: boolean; objects: number; notOwned: string[]; errors: string[] };

describe("controller in Kubernetes mode writes the Envoy infrastructure (test API server)", () => {
  let server: TestApiServer;
  let controller: RunningController | undefined;
  let dir: string;

  afterEach(async () => {
    await controller?.close();
    controller = undefined;
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(prepare: (server: TestApiServer) => void = () => undefined): Promise<{ kubeconfig: string; controller: RunningController }> {
    server = new TestApiServer({ bookmarkIntervalMs: 200 });
    await server.start(0);
    loadQuickstart(server);
    prepare(server);
    dir = mkdtempSync(join(tmpdir(), "egts-k8s-infra-"));
    const kubeconfig = join(dir, "kubeconfig");
    writeFileSync(kubeconfig, server.kubeconfig());
    controller = await startController({
      config: {
        apiVersion: "gateway.envoyproxy.io/v1alpha1",
        kind: "EnvoyGateway",
        provider: { type: "Kubernetes", kubernetes: { leaderElection: { leaseDuration: "1s", renewDeadline: "600ms", retryPeriod: "100ms" } } },
      },
      kubeconfig,
      controllerNamespace,
      xdsPort: 0,
      adminPort: 0,
      xdsPlaintext: true,
      logger: silentLogger,
    });
    return { kubeconfig, controller };
  }

  const infraStatus = async (c: RunningController) =>
    ((await (await fetch(`${c.adminUrl}/api/status`)).json()) as { infrastructure: InfraStatus }).infrastructure;

  it("creates the Gateway's Deployment, Service and ServiceAccount; the same IR again writes nothing; deleting the Gateway removes them", async () => {
    const { kubeconfig, controller: c } = await start();
    await eventually(
      () => ["Deployment", "Service", "ServiceAccount"].every((k) => server.get(k, controllerNamespace, envoyName) !== undefined),
      "Envoy Deployment, Service and ServiceAccount",
    );
    const deployment = server.get("Deployment", controllerNamespace, envoyName)!;
    expect(deployment.metadata.labels?.["gateway.envoyproxy.io/owning-gateway-name"]).toBe("eg");
    expect((deployment.metadata as { ownerReferences?: unknown[] }).ownerReferences?.[0]).toMatchObject({
      kind: "GatewayClass",
      name: "eg",
      uid: server.get("GatewayClass", undefined, "eg")!.metadata.uid,
    });
    const ports = (server.get("Service", controllerNamespace, envoyName)!["spec"] as { ports: Array<{ port: number }> }).ports;
    expect(ports.map((p) => p.port)).toEqual([8888]);
    await eventually(async () => (await infraStatus(c)).objects > 0, "status reports the objects");
    expect(await infraStatus(c)).toMatchObject({ leader: true, notOwned: [], errors: [] });

    // A second replica applying the same IR finds nothing to write; one that does not lead writes nothing at all.
    const store = clientNodeObjectStore(loadKubeConfig({ kubeconfigText: readFileSync(kubeconfig, "utf8") }));
    const ir = c.bus.infraIR.snapshot();
    const states: InfraStatus[] = [];
    const other = createKubernetesInfraReconciler({
      store,
      envoyGateway: c.settings.envoyGateway,
      controllerNamespace,
      log: silentLogger,
      report: (s) => states.push({ ...s, notOwned: [...s.notOwned], errors: [...s.errors] }),
    });
    const before = infraWrites(server);
    await other.update(ir, ir);
    await other.update(new Map([...ir.keys()].map((k) => [k, undefined])), new Map());
    expect(infraWrites(server)).toBe(before);
    await other.update(ir, ir);
    await other.setLeader(true);
    expect(infraWrites(server)).toBe(before);
    expect(states.at(-1)).toMatchObject({ leader: true, notOwned: [], errors: [] });
    expect(states.at(-1)!.objects).toBeGreaterThanOrEqual(3);

    server.remove("Gateway", "default", "eg");
    await eventually(
      () => ["Deployment", "Service", "ServiceAccount", "ConfigMap"].every((k) => server.get(k, controllerNamespace, envoyName) === undefined),
      "Envoy objects deleted",
    );
  });

  it("leaves alone, and reports, an object of the same name that egts does not own", async () => {
    const { controller: c } = await start((s) =>
      s.put({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: envoyName, namespace: controllerNamespace, labels: { team: "platform" } } }),
    );
    await eventually(() => server.get("Deployment", controllerNamespace, envoyName) !== undefined, "Envoy Deployment");
    await eventually(async () => (await infraStatus(c)).notOwned.length > 0, "not-owned object reported");
    expect((await infraStatus(c)).notOwned).toEqual([`ServiceAccount ${controllerNamespace}/${envoyName}`]);
    const account = server.get("ServiceAccount", controllerNamespace, envoyName)!;
    expect(account.metadata.labels).toEqual({ team: "platform" });
    expect(server.requests.some((r) => r.method !== "GET" && r.path.includes(`/serviceaccounts/${envoyName}`))).toBe(false);
  });

  it("the leader also keeps the global rate-limit service's objects when EnvoyGateway.rateLimit is set", async () => {
    server = new TestApiServer();
    await server.start(0);
    server.put({ apiVersion: "v1", kind: "Namespace", metadata: { name: controllerNamespace } });
    dir = mkdtempSync(join(tmpdir(), "egts-k8s-infra-"));
    const reconciler = createKubernetesInfraReconciler({
      store: clientNodeObjectStore(loadKubeConfig({ kubeconfigText: server.kubeconfig() })),
      envoyGateway: { provider: { type: "Kubernetes" }, rateLimit: { backend: { type: "Redis", redis: { url: "redis:6379" } } } },
      controllerNamespace,
      log: silentLogger,
      report: () => undefined,
    });
    await reconciler.update(new Map(), new Map());
    expect(server.get("Deployment", controllerNamespace, "envoy-ratelimit")).toBeUndefined();
    await reconciler.setLeader(true);
    for (const kind of ["Deployment", "Service", "ServiceAccount"]) expect(server.get(kind, controllerNamespace, "envoy-ratelimit")).toBeDefined();
    const before = infraWrites(server);
    await reconciler.update(new Map(), new Map());
    expect(infraWrites(server)).toBe(before);
  });
});
