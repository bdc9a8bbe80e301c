import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { credentials } from "@grpc/grpc-js";
import { unpackAnyAs } from "@egts/envoy-api";
import { Listener } from "@egts/envoy-api/generated/envoy/config/listener/v3/listener";
import { RouteConfiguration } from "@egts/envoy-api/generated/envoy/config/route/v3/route";
import { AggregatedDiscoveryServiceClient } from "@egts/envoy-api/generated/envoy/service/discovery/v3/ads";
import { DeltaDiscoveryRequest, type DeltaDiscoveryResponse } from "@egts/envoy-api/generated/envoy/service/discovery/v3/discovery";
import { TestApiServer, type StoredObject } from "@egts/test-apiserver";
import { afterEach, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { silentLogger, startController, type RunningController } from "../src/index.js";

// Kubernetes mode end to end: the controller's real client-node talks to TestApiServer, a Kubernetes API
// server TEST DOUBLE (no kube-apiserver can run here); a delta ADS client stands in for Envoy.

const LDS = "type.googleapis.com/envoy.config.listener.v3.Listener";
const RDS = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";

class DeltaAdsClient {
  private readonly client: AggregatedDiscoveryServiceClient;
  private readonly stream;
  private readonly queued: DeltaDiscoveryResponse[] = [];
  private readonly waiting: ((r: DeltaDiscoveryResponse) => void)[] = [];

  constructor(
    address: string,
    private readonly node: { id: string; cluster: string },
  ) {
    this.client = new AggregatedDiscoveryServiceClient(address, credentials.createInsecure());
    this.stream = this.client.deltaAggregatedResources();
    this.stream.on("data", (r: DeltaDiscoveryResponse) => {
      const waiter = this.waiting.shift();
      if (waiter) waiter(r);
      else this.queued.push(r);
    });
    this.stream.on("error", () => undefined);
  }

  subscribe(typeUrl: string, names: string[] = []): void {
    this.stream.write(DeltaDiscoveryRequest.fromPartial({ node: this.node, typeUrl, resourceNamesSubscribe: names }));
  }

  ack(response: DeltaDiscoveryResponse): void {
    this.stream.write(DeltaDiscoveryRequest.fromPartial({ typeUrl: response.typeUrl, responseNonce: response.nonce }));
  }

  next(): Promise<DeltaDiscoveryResponse> {
    const queued = this.queued.shift();
    return queued ? Promise.resolve(queued) : new Promise((r) => this.waiting.push(r));
  }

  close(): void {
    this.stream.cancel();
    this.client.close();
  }
}

const domains = (r: DeltaDiscoveryResponse) => r.resources.flatMap((x) => unpackAnyAs(RouteConfiguration, x.resource!).virtualHosts.flatMap((v) => v.domains));

async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

type Condition = { type: string; status: string; reason: string };
const conditions = (o: StoredObject | undefined): Condition[] => (o?.["status"] as { conditions?: Condition[] } | undefined)?.conditions ?? [];
const condition = (o: StoredObject | undefined, type: string) => conditions(o).find((c) => c.type === type);
const routeParentConditions = (server: TestApiServer): Condition[] =>
  ((server.get("HTTPRoute", "default", "backend")?.["status"] as { parents?: Array<{ conditions: Condition[] }> } | undefined)?.parents ?? []).flatMap(
    (p) => p.conditions,
  );

const controllerNamespace = "envoy-gateway-system";
const envoyLabels = {
  "app.kubernetes.io/managed-by": "envoy-gateway",
  "app.kubernetes.io/component": "proxy",
  "gateway.envoyproxy.io/owning-gateway-name": "eg",
  "gateway.envoyproxy.io/owning-gateway-namespace": "default",
};

/** The quickstart's objects, plus the Envoy Service and Deployment upstream's infrastructure would have made. */
function loadQuickstart(server: TestApiServer): void {
  server.put({ apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } });
  server.put({ apiVersion: "v1", kind: "Namespace", metadata: { name: controllerNamespace } });
  const dir = resolve(import.meta.dirname, "../../../examples/quickstart");
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".yaml"))) {
    for (const doc of parseAllDocuments(readFileSync(join(dir, file), "utf8"))) server.put(doc.toJS() as StoredObject);
  }
  server.put({
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "envoy-default-eg", namespace: controllerNamespace, labels: envoyLabels },
    spec: { type: "ClusterIP", clusterIPs: ["10.96.0.10"] },
  });
  server.put({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "envoy-default-eg", namespace: controllerNamespace, labels: envoyLabels },
    spec: {},
    status: { replicas: 1, availableReplicas: 1 },
  });
}

describe("controller in Kubernetes mode, against the test API server", () => {
  let server: TestApiServer;
  const controllers: RunningController[] = [];
  const clients: DeltaAdsClient[] = [];
  let dir: string;

  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    for (const c of controllers.splice(0)) await c.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function setup(): Promise<string> {
    server = new TestApiServer({ bookmarkIntervalMs: 200 });
    await server.start(0);
    loadQuickstart(server);
    dir = mkdtempSync(join(tmpdir(), "egts-k8s-"));
    const kubeconfig = join(dir, "kubeconfig");
    writeFileSync(kubeconfig, server.kubeconfig());
    return kubeconfig;
  }

  const start = async (kubeconfig: string) => {
    const controller = await startController({
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
    controllers.push(controller);
    return controller;
  };

  const providerState = async (c: RunningController) =>
    ((await (await fetch(`${c.adminUrl}/api/status`)).json()) as { provider: { connected: boolean; leader: boolean; error?: string } }).provider;

  it("serves the quickstart over xDS, writes its statuses, follows edits, and rides out an API server outage", async () => {
    const controller = await start(await setup());
    await eventually(async () => (await fetch(`${controller.adminUrl}/readyz`)).status === 200, "readyz");

    const client = new DeltaAdsClient(`127.0.0.1:${controller.xdsPort}`, { id: "default-eg-proxy", cluster: "default/eg" });
    clients.push(client);
    client.subscribe(LDS);
    const lds = await client.next();
    const listeners = lds.resources.map((r) => unpackAnyAs(Listener, r.resource!));
    expect(
      listeners.some(
        (l) =>
          l.address?.address?.$case === "socketAddress" &&
          l.address.address.value.portSpecifier?.$case === "portValue" &&
          l.address.address.value.portSpecifier.value === 8888,
      ),
    ).toBe(true);
    client.ack(lds);
    client.subscribe(RDS, ["default/eg/http"]);
    const rds = await client.next();
    expect(domains(rds)).toEqual(["www.example.com"]);
    client.ack(rds);

    await eventually(() => condition(server.get("GatewayClass", undefined, "eg"), "Accepted")?.status === "True", "GatewayClass Accepted");
    await eventually(() => condition(server.get("Gateway", "default", "eg"), "Programmed")?.status === "True", "Gateway Programmed");
    expect(condition(server.get("Gateway", "default", "eg"), "Accepted")?.status).toBe("True");
    expect((server.get("Gateway", "default", "eg")?.["status"] as { addresses?: unknown } | undefined)?.addresses).toEqual([
      { type: "IPAddress", value: "10.96.0.10" },
    ]);
    await eventually(() => routeParentConditions(server).some((c) => c.type === "ResolvedRefs" && c.status === "True"), "HTTPRoute ResolvedRefs");
    expect(routeParentConditions(server).find((c) => c.type === "Accepted")?.status).toBe("True");
    expect(server.get("GatewayClass", undefined, "eg")?.metadata.finalizers).toContain("gateway-exists-finalizer.gateway.networking.k8s.io");

    // An edit through the API reaches the connected client.
    const route = server.get("HTTPRoute", "default", "backend")!;
    const editedAt = performance.now();
    server.put({ ...route, spec: { ...(route["spec"] as object), hostnames: ["pushed.example.com"] } });
    const update = await client.next();
    const latencyMs = performance.now() - editedAt;
    expect(domains(update)).toEqual(["pushed.example.com"]);
    expect(latencyMs).toBeLessThan(1000);
    client.ack(update);

    // The API server goes away for 10 s: xDS keeps serving (a new proxy still gets its listener) and /api/status says why.
    await server.stop();
    await eventually(async () => !(await providerState(controller)).connected, "disconnected");
    expect((await providerState(controller)).error).toBeTruthy();
    const during = new DeltaAdsClient(`127.0.0.1:${controller.xdsPort}`, { id: "second-proxy", cluster: "default/eg" });
    clients.push(during);
    during.subscribe(LDS);
    expect((await during.next()).resources.map((r) => r.name)).toContain("default/eg/http");
    await new Promise((r) => setTimeout(r, 10_000));
    const routeNow = server.get("HTTPRoute", "default", "backend")!;
    server.put({ ...routeNow, spec: { ...(routeNow["spec"] as object), hostnames: ["after-restart.example.com"] } });
    await server.start();
    const afterRestart = await client.next();
    expect(domains(afterRestart)).toEqual(["after-restart.example.com"]);
    await eventually(async () => (await providerState(controller)).connected, "connected again");
  }, 40_000);

  it("elects one of two replicas to write status and hands over when it stops", async () => {
    const kubeconfig = await setup();
    const a = await start(kubeconfig);
    const b = await start(kubeconfig);
    await eventually(async () => [(await providerState(a)).leader, (await providerState(b)).leader].filter(Boolean).length === 1, "one leader");
    const [leader, follower] = (await providerState(a)).leader ? [a, b] : [b, a];
    await eventually(() => condition(server.get("Gateway", "default", "eg"), "Programmed")?.status === "True", "statuses written");
    const statusWrites = () => server.requests.filter((r) => r.method === "PUT" && r.path.endsWith("/status")).length;
    expect(statusWrites()).toBeGreaterThan(0);

    await leader.close();
    controllers.splice(controllers.indexOf(leader), 1);
    await eventually(async () => (await providerState(follower)).leader, "the follower leads", 2_000);
    // The new leader writes: a route change gets its status from it.
    const route = server.get("HTTPRoute", "default", "backend")!;
    server.put({ ...route, spec: { ...(route["spec"] as object), hostnames: ["handover.example.com"] } });
    const generation = server.get("HTTPRoute", "default", "backend")!.metadata.generation;
    await eventually(
      () =>
        (
          (server.get("HTTPRoute", "default", "backend")?.["status"] as { parents?: Array<{ conditions: Array<{ observedGeneration?: number }> }> })?.parents ??
          []
        ).some((p) => p.conditions.some((c) => c.observedGeneration === generation)),
      "status of the new generation",
    );
  }, 30_000);

  it("serves xDS over mTLS with certificates from the controller namespace's Secrets, creating them once", async () => {
    const kubeconfig = await setup();
    const config = { apiVersion: "gateway.envoyproxy.io/v1alpha1", kind: "EnvoyGateway", provider: { type: "Kubernetes" } } as const;
    const first = await startController({ config, kubeconfig, controllerNamespace, xdsPort: 0, adminPort: 0, logger: silentLogger });
    controllers.push(first);
    const created = server.get("Secret", controllerNamespace, "envoy-gateway");
    expect(Object.keys((created?.["data"] ?? {}) as object).sort()).toEqual(["ca.crt", "tls.crt", "tls.key"]);
    expect(server.get("Secret", controllerNamespace, "envoy")).toBeDefined();
    expect(server.get("Secret", controllerNamespace, "envoy-oidc-hmac")).toBeDefined();
    const second = await startController({ config, kubeconfig, controllerNamespace, xdsPort: 0, adminPort: 0, logger: silentLogger });
    controllers.push(second);
    expect(server.get("Secret", controllerNamespace, "envoy-gateway")?.metadata.resourceVersion).toBe(created?.metadata.resourceVersion);
  });
});
