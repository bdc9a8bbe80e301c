import { TestApiServer } from "@egts/test-apiserver";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createKubeClient, loadKubeConfig, type KubeClient } from "./KubeClient.js";
import { aggregateStatuses, withEnvoyWorkloadStatus } from "./Status.js";
import { createStatusWriter, GATEWAY_CLASS_FINALIZER, type StatusUpdateEvent } from "./StatusWriter.js";

// The real @kubernetes/client-node against TestApiServer, a Kubernetes API server test double.

let server: TestApiServer;
let client: KubeClient;

beforeEach(async () => {
  server = new TestApiServer();
  await server.start(0);
  server.put({ apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } });
  client = createKubeClient(loadKubeConfig({ kubeconfigText: server.kubeconfig() }));
});
afterEach(() => server.stop());

const ours = "gateway.envoyproxy.io/gatewayclass-controller";
const parent = (gateway: string, controllerName: string, reason: string, time = "2026-01-01T00:00:00Z") => ({
  parentRef: { group: "gateway.networking.k8s.io", kind: "Gateway", name: gateway },
  controllerName,
  conditions: [{ type: "Accepted", status: "True", reason, message: "m", observedGeneration: 1, lastTransitionTime: time }],
});

function putRoute(status?: unknown) {
  server.put({
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "HTTPRoute",
    metadata: { name: "r", namespace: "default" },
    spec: { parentRefs: [{ name: "eg" }] },
    ...(status !== undefined ? { status } : {}),
  });
}

const putCount = () => server.requests.filter((r) => r.method === "PUT" && r.path.endsWith("/status")).length;

describe("createStatusWriter", () => {
  it("writes a changed status and skips one that differs only in lastTransitionTime", async () => {
    putRoute();
    const writer = createStatusWriter({ client, isLeader: () => true });
    const first = await writer.write([{ kind: "HTTPRoute", namespace: "default", name: "r", status: { parents: [parent("eg", ours, "Accepted")] } }]);
    expect(first).toMatchObject({ written: 1, unchanged: 0 });
    expect(server.get("HTTPRoute", "default", "r")?.["status"]).toEqual({ parents: [parent("eg", ours, "Accepted")] });
    const again = await writer.write([
      { kind: "HTTPRoute", namespace: "default", name: "r", status: { parents: [parent("eg", ours, "Accepted", "2030-01-01T00:00:00Z")] } },
    ]);
    expect(again).toMatchObject({ written: 0, unchanged: 1 });
    expect(putCount()).toBe(1);
  });

  it("keeps the parent statuses of other controllers", async () => {
    putRoute({ parents: [parent("other-gw", "example.com/other", "Accepted")] });
    const writer = createStatusWriter({ client, isLeader: () => true });
    await writer.write([{ kind: "HTTPRoute", namespace: "default", name: "r", status: { parents: [parent("eg", ours, "Accepted")] } }]);
    const parents = (server.get("HTTPRoute", "default", "r")!["status"] as { parents: Array<{ controllerName: string }> }).parents;
    expect(parents.map((p) => p.controllerName)).toEqual(["example.com/other", ours]);
  });

  it("re-reads and retries on 409 Conflict", async () => {
    putRoute();
    server.injectConflicts(2, { subresource: "status" });
    const writer = createStatusWriter({ client, isLeader: () => true });
    const summary = await writer.write([{ kind: "HTTPRoute", namespace: "default", name: "r", status: { parents: [parent("eg", ours, "Accepted")] } }]);
    expect(summary).toMatchObject({ written: 1, conflicts: 2 });
    expect(server.get("HTTPRoute", "default", "r")?.["status"]).toBeDefined();
  });

  it("tells its observer how each object's update ended: written, unchanged, gone, conflicts, error", async () => {
    putRoute();
    const events: StatusUpdateEvent[] = [];
    const writer = createStatusWriter({ client, isLeader: () => true, maxAttempts: 2, onStatusUpdate: (e) => events.push(e) });
    const status = { parents: [parent("eg", ours, "Accepted")] };
    server.injectConflicts(1, { subresource: "status" });
    await writer.write([
      { kind: "HTTPRoute", namespace: "default", name: "r", status },
      { kind: "HTTPRoute", namespace: "default", name: "missing", status },
    ]);
    await writer.write([{ kind: "HTTPRoute", namespace: "default", name: "r", status }]);
    server.injectConflicts(2, { subresource: "status" });
    await writer.write([{ kind: "HTTPRoute", namespace: "default", name: "r", status: { parents: [parent("eg", ours, "NotAllowedByListeners")] } }]);
    expect(events.map(({ kind, namespace, name, result, conflicts }) => ({ kind, namespace, name, result, conflicts }))).toEqual([
      { kind: "HTTPRoute", namespace: "default", name: "r", result: "written", conflicts: 1 },
      { kind: "HTTPRoute", namespace: "default", name: "missing", result: "gone", conflicts: 0 },
      { kind: "HTTPRoute", namespace: "default", name: "r", result: "unchanged", conflicts: 0 },
      { kind: "HTTPRoute", namespace: "default", name: "r", result: "error", conflicts: 2 },
    ]);
    expect(events.every((e) => e.seconds >= 0 && e.seconds < 60)).toBe(true);
  });

  it("writes nothing when not the leader", async () => {
    putRoute();
    const writer = createStatusWriter({ client, isLeader: () => false });
    const summary = await writer.write([{ kind: "HTTPRoute", namespace: "default", name: "r", status: { parents: [] } }]);
    expect(summary.notLeader).toBe(true);
    expect(putCount()).toBe(0);
  });

  it("adds the GatewayClass finalizer while Gateways use the class and removes it after", async () => {
    server.put({ apiVersion: "gateway.networking.k8s.io/v1", kind: "GatewayClass", metadata: { name: "eg" }, spec: { controllerName: ours } });
    const writer = createStatusWriter({ client, isLeader: () => true });
    const gateway = {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "Gateway",
      metadata: { name: "g", namespace: "default" },
      spec: { gatewayClassName: "eg" },
    };
    await writer.syncFinalizers([server.get("GatewayClass", undefined, "eg")! as never], [gateway]);
    expect(server.get("GatewayClass", undefined, "eg")?.metadata.finalizers).toEqual([GATEWAY_CLASS_FINALIZER]);
    await writer.syncFinalizers([server.get("GatewayClass", undefined, "eg")! as never], []);
    expect(server.get("GatewayClass", undefined, "eg")?.metadata.finalizers).toEqual([]);
  });
});

describe("aggregateStatuses", () => {
  it("unions route parents and policy ancestors across GatewayClasses", () => {
    const merged = aggregateStatuses([
      [{ kind: "HTTPRoute", namespace: "default", name: "r", status: { parents: [parent("a", ours, "Accepted")] } }],
      [{ kind: "HTTPRoute", namespace: "default", name: "r", status: { parents: [parent("b", ours, "Accepted")] } }],
    ]);
    expect(merged).toHaveLength(1);
    expect((merged[0]!.status as { parents: unknown[] }).parents).toHaveLength(2);
  });
});

describe("withEnvoyWorkloadStatus", () => {
  const gateway = {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "Gateway",
    metadata: { name: "eg", namespace: "default", generation: 3 },
    spec: { gatewayClassName: "eg" },
  };
  const accepted = {
    conditions: [{ type: "Accepted", status: "True", reason: "Accepted", message: "ok", observedGeneration: 3, lastTransitionTime: "2026-01-01T00:00:00Z" }],
  };
  const now = new Date("2026-02-02T00:00:00Z");

  it("takes a LoadBalancer's ingress addresses and the Deployment's available replicas", () => {
    const service = {
      kind: "Service",
      metadata: { name: "s" },
      spec: { type: "LoadBalancer" },
      status: { loadBalancer: { ingress: [{ ip: "10.0.0.9" }, { hostname: "lb.example" }] } },
    };
    const deployment = { kind: "Deployment", metadata: { name: "d" }, status: { availableReplicas: 1, replicas: 2 } };
    const status = withEnvoyWorkloadStatus(gateway, accepted, { service, workload: deployment }, now) as {
      addresses: unknown;
      conditions: Array<{ type: string; status: string; message: string }>;
    };
    expect(status.addresses).toEqual([
      { type: "IPAddress", value: "10.0.0.9" },
      { type: "Hostname", value: "lb.example" },
    ]);
    expect(status.conditions.find((c) => c.type === "Programmed")).toMatchObject({
      status: "True",
      message: "Address assigned to the Gateway, 1/2 envoy replicas available",
    });
  });

  it("says AddressNotAssigned without a Service and NoResources without ready replicas", () => {
    const none = withEnvoyWorkloadStatus(gateway, accepted, {}, now) as { conditions: Array<{ type: string; reason: string }> };
    expect(none.conditions.find((c) => c.type === "Programmed")?.reason).toBe("AddressNotAssigned");
    const service = { kind: "Service", metadata: { name: "s" }, spec: { type: "ClusterIP", clusterIPs: ["10.96.0.5"] } };
    const noReplicas = withEnvoyWorkloadStatus(gateway, accepted, { service }, now) as { conditions: Array<{ type: string; reason: string }> };
    expect(noReplicas.conditions.find((c) => c.type === "Programmed")?.reason).toBe("NoResources");
  });
});
