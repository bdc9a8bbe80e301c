import { applyObjects, deleteObjects, type KubeObject } from "@egts/infra-k8s";
import { clientNodeObjectStore } from "@egts/infra-k8s/client-node";
import { createKubeClient, createStatusWriter, loadKubeConfig } from "@egts/provider-kubernetes";
import { TestApiServer } from "@egts/test-apiserver";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ControlPlaneMetrics } from "./OtelMetrics.js";
import { objectOperationFeed, statusUpdateFeed } from "./OtelMetricsFeeds.js";

// The feeds on the packages' real code paths: the status writer and the applier over the real client-node, against
// TestApiServer, a Kubernetes API server TEST DOUBLE.

let server: TestApiServer;
let metrics: ControlPlaneMetrics;
beforeEach(async () => {
  server = new TestApiServer();
  await server.start(0);
  server.put({ apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } });
  metrics = new ControlPlaneMetrics(undefined);
});
afterEach(async () => {
  await metrics.shutdown();
  await server.stop();
});

const ours = "gateway.envoyproxy.io/gatewayclass-controller";
const accepted = (reason: string) => ({
  parents: [
    {
      parentRef: { group: "gateway.networking.k8s.io", kind: "Gateway", name: "eg" },
      controllerName: ours,
      conditions: [{ type: "Accepted", status: "True", reason, message: "m", observedGeneration: 1, lastTransitionTime: "2026-01-01T00:00:00Z" }],
    },
  ],
});

describe("statusUpdateFeed", () => {
  it("counts as upstream's status updater: a conflict failure per 409, no_action and success for an equal status, one duration per update", async () => {
    server.put({
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "HTTPRoute",
      metadata: { name: "r", namespace: "default" },
      spec: { parentRefs: [{ name: "eg" }] },
    });
    const client = createKubeClient(loadKubeConfig({ kubeconfigText: server.kubeconfig() }));
    const writer = createStatusWriter({ client, isLeader: () => true, onStatusUpdate: statusUpdateFeed(metrics) });
    server.injectConflicts(2, { subresource: "status" });
    await writer.write([{ kind: "HTTPRoute", namespace: "default", name: "r", status: accepted("Accepted") }]);
    await writer.write([{ kind: "HTTPRoute", namespace: "default", name: "r", status: accepted("Accepted") }]);
    const text = (await metrics.renderPrometheus())!;
    expect(text).toMatch(/^status_update_total\{kind="HTTPRoute",status="failure",reason="conflict"\} 2$/m);
    expect(text).toMatch(/^status_update_total\{kind="HTTPRoute",status="no_action"\} 1$/m);
    expect(text).toMatch(/^status_update_total\{kind="HTTPRoute",status="success"\} 2$/m);
    expect(text).toMatch(/^status_update_duration_seconds_count\{kind="HTTPRoute"\} 2$/m);
  });
});

describe("objectOperationFeed", () => {
  it("counts applied and deleted objects by kind, name and namespace; one egts does not own is a failure", async () => {
    const namespace = "default";
    const ownerLabels = { "gateway.envoyproxy.io/owning-gateway-name": "eg" };
    const labels = { "app.kubernetes.io/managed-by": "envoy-gateway", ...ownerLabels };
    const account = (name: string) => ({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name, namespace, labels } }) as KubeObject;
    server.put({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "foreign", namespace, labels: { team: "other" } } });
    const kc = loadKubeConfig({ kubeconfigText: server.kubeconfig() });
    const store = clientNodeObjectStore(kc);
    const onObject = objectOperationFeed(metrics);
    const desired = { objects: [account("envoy-eg"), account("foreign")], unwanted: [], ownerLabels, errors: [] };
    await applyObjects(store, desired, { onObject });
    await applyObjects(store, desired, { onObject });
    await deleteObjects(store, [{ apiVersion: "v1", kind: "ServiceAccount", namespace, name: "envoy-eg" }], ownerLabels, { onObject });
    const text = (await metrics.renderPrometheus())!;
    expect(text).toMatch(/^resource_apply_total\{kind="ServiceAccount",name="envoy-eg",namespace="default",status="success"\} 2$/m);
    expect(text).toMatch(/^resource_apply_total\{kind="ServiceAccount",name="foreign",namespace="default",status="failure",reason="error"\} 2$/m);
    expect(text).toMatch(/^resource_apply_duration_seconds_count\{kind="ServiceAccount",name="envoy-eg",namespace="default"\} 2$/m);
    expect(text).toMatch(/^resource_delete_total\{kind="ServiceAccount",name="envoy-eg",namespace="default",status="success"\} 1$/m);
    expect(text).toMatch(/^resource_delete_duration_seconds_count\{kind="ServiceAccount",name="envoy-eg",namespace="default"\} 1$/m);
  });
});
