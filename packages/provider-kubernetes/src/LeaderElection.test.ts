import { TestApiServer } from "@egts/test-apiserver";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createKubeClient, loadKubeConfig, type KubeClient } from "./KubeClient.js";
import { LEADER_ELECTION_LEASE_NAME, startLeaderElection, type LeaderElection } from "./LeaderElection.js";

// The real @kubernetes/client-node against TestApiServer, a Kubernetes API server test double.

let server: TestApiServer;
let client: KubeClient;
const electors: LeaderElection[] = [];

beforeEach(async () => {
  server = new TestApiServer();
  await server.start(0);
  server.put({ apiVersion: "v1", kind: "Namespace", metadata: { name: "envoy-gateway-system" } });
  client = createKubeClient(loadKubeConfig({ kubeconfigText: server.kubeconfig() }));
});
afterEach(async () => {
  for (const e of electors.splice(0)) await e.close();
  await server.stop();
});

const timing = { leaseDurationMs: 1_000, renewDeadlineMs: 600, retryPeriodMs: 100 };

function elect(identity: string, extra: Partial<Parameters<typeof startLeaderElection>[0]> = {}) {
  const e = startLeaderElection({ client, namespace: "envoy-gateway-system", identity, ...timing, ...extra });
  electors.push(e);
  return e;
}

async function eventually(check: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const holder = () =>
  (server.get("Lease", "envoy-gateway-system", LEADER_ELECTION_LEASE_NAME)?.["spec"] as { holderIdentity?: string } | undefined)?.holderIdentity;

describe("startLeaderElection", () => {
  it("elects exactly one of two replicas and hands over when the leader stops", async () => {
    const a = elect("a");
    await eventually(() => a.isLeader(), "a leads");
    const b = elect("b");
    await new Promise((r) => setTimeout(r, 300));
    expect([a.isLeader(), b.isLeader()]).toEqual([true, false]);
    expect(holder()).toBe("a");
    await a.close();
    await eventually(() => b.isLeader(), "b leads");
    expect(holder()).toBe("b");
  });

  it("takes over a crashed leader's Lease only after the lease duration", async () => {
    server.put({
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      metadata: { name: LEADER_ELECTION_LEASE_NAME, namespace: "envoy-gateway-system" },
      spec: { holderIdentity: "crashed", leaseDurationSeconds: 1, renewTime: new Date().toISOString() },
    });
    const started = Date.now();
    const b = elect("b");
    await eventually(() => b.isLeader(), "b leads");
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(holder()).toBe("b");
  });

  it("stops leading when it cannot renew within the deadline", async () => {
    let stopped = false;
    const a = elect("a", { onStoppedLeading: () => (stopped = true) });
    await eventually(() => a.isLeader(), "a leads");
    await server.stop();
    await eventually(() => !a.isLeader() && stopped, "a stops leading");
  });
});
