import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TestApiServer } from "@egts/test-apiserver";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commands, runCli } from "@egts/egctl";
import { loadKubeConfig, proxySourceOf, selectEnvoyPods } from "../internal/EnvoyProxies.js";

// A FAKE Envoy admin interface (a Node HTTP server, not Envoy): a small config dump and stats, recording the
// paths it was asked for.
const fakeConfigDump = {
  configs: [
    { "@type": "type.googleapis.com/envoy.admin.v3.BootstrapConfigDump", bootstrap: { node: { id: "default-eg-1" } } },
    { "@type": "type.googleapis.com/envoy.admin.v3.ClustersConfigDump", version_info: "3", dynamic_active_clusters: [{ cluster: { name: "web" } }] },
    { "@type": "type.googleapis.com/envoy.admin.v3.ListenersConfigDump", dynamic_listeners: [{ name: "default/eg/http" }] },
    { "@type": "type.googleapis.com/envoy.admin.v3.RoutesConfigDump", dynamic_route_configs: [] },
  ],
};
const eds = { "@type": "type.googleapis.com/envoy.admin.v3.EndpointsConfigDump", dynamic_endpoint_configs: [{ endpoint_config: { cluster_name: "web" } }] };

const listen = async (server: Server): Promise<string> => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
};

let fakeEnvoy: Server;
let fakeController: Server;
let admin = "";
const envoyRequests: string[] = [];
const proxies: unknown[] = [];

beforeAll(async () => {
  fakeEnvoy = createServer((req, res) => {
    const url = req.url ?? "";
    envoyRequests.push(url);
    if (url === "/config_dump") return res.end(JSON.stringify(fakeConfigDump));
    if (url === "/config_dump?include_eds") return res.end(JSON.stringify({ configs: [...fakeConfigDump.configs, eds] }));
    if (url === "/stats/prometheus") return res.end("# TYPE envoy_server_live gauge\nenvoy_server_live{} 1\n");
    if (url === "/stats?format=json") return res.end(JSON.stringify({ stats: [{ name: "server.live", value: 1 }] }));
    if (url === "/clusters") return res.end("web::10.0.0.1:8080::health_flags::healthy\n");
    res.writeHead(404).end("not found");
  });
  const envoyAddress = await listen(fakeEnvoy);
  proxies.push(
    { irKey: "default/eg", serviceNode: "default-eg-1", running: true, starts: 1, adminAddress: envoyAddress },
    { irKey: "team/other", serviceNode: "team-other-2", running: false, starts: 0, error: "no Envoy binary" },
  );
  // A FAKE of the egts controller's admin API: just /api/proxies.
  fakeController = createServer((req, res) =>
    req.url === "/api/proxies" ? res.end(JSON.stringify({ envoyPath: "/fake/envoy", proxies })) : res.writeHead(404).end(),
  );
  admin = `http://${await listen(fakeController)}`;
});
afterAll(async () => {
  await Promise.all([fakeEnvoy, fakeController].map((s) => new Promise((resolve) => s.close(resolve))));
});

async function egctl(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, commands, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: "/" });
  return { code, stdout, stderr };
}

describe("egctl config envoy-proxy (host proxies of an egts controller)", () => {
  it("dumps everything, EDS included, by namespace and proxy, keys sorted", async () => {
    envoyRequests.length = 0;
    const r = await egctl(["config", "envoy-proxy", "all", "eg", "--admin", admin]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(envoyRequests).toEqual(["/config_dump?include_eds"]);
    const out = JSON.parse(r.stdout) as Record<string, Record<string, { configs: unknown[] }>>;
    expect(Object.keys(out)).toEqual(["default"]);
    expect(out["default"]!["default-eg-1"]!.configs).toHaveLength(5);
    // Keys sorted in every object, as upstream prints it.
    expect(r.stdout.indexOf('"dynamic_active_clusters"')).toBeLessThan(r.stdout.indexOf('"version_info"'));
  });

  it("prints one part of the dump, as YAML on request; endpoints come from the EDS dump", async () => {
    envoyRequests.length = 0;
    const cluster = await egctl(["config", "envoy-proxy", "cluster", "default-eg-1", "-o", "yaml", "--admin", admin]);
    expect(cluster.code).toBe(0);
    expect(parse(cluster.stdout)).toEqual({ default: { "default-eg-1": fakeConfigDump.configs[1] } });
    const endpoint = await egctl(["config", "envoy-proxy", "endpoint", "-l", "gateway.envoyproxy.io/owning-gateway-name=eg", "--admin", admin]);
    expect(JSON.parse(endpoint.stdout)).toEqual({ default: { "default-eg-1": eds } });
    expect(envoyRequests).toEqual(["/config_dump", "/config_dump?include_eds"]);
  });

  it("names the proxy or flag at fault and exits non-zero", async () => {
    const unknown = await egctl(["config", "envoy-proxy", "route", "nope", "--admin", admin]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('proxy "nope" not found');
    const stopped = await egctl(["config", "envoy-proxy", "listener", "team/other", "--admin", admin]);
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toContain("proxy team/team-other-2 is not running (no Envoy binary)");
    const badOutput = await egctl(["config", "envoy-proxy", "all", "eg", "-o", "xml", "--admin", admin]);
    expect(badOutput.code).toBe(2);
    expect(badOutput.stderr).toContain('--output: "xml"');
    const noLabels = await egctl(["config", "envoy-proxy", "all", "-l", "app=none", "--admin", admin]);
    expect(noLabels.code).toBe(1);
    expect(noLabels.stderr).toContain("no proxies found for label selectors [app=none]");
    const noController = await egctl(["config", "envoy-proxy", "all", "eg", "--admin", "http://127.0.0.1:1"]);
    expect(noController.code).toBe(1);
    expect(noController.stderr).toContain("cannot reach the egts admin server");
  });
});

describe("egctl x stats envoy-proxy (host proxies)", () => {
  it("prints server stats in Prometheus text under namespace/name; cluster stats as JSON or YAML on request", async () => {
    envoyRequests.length = 0;
    const prom = await egctl(["x", "stats", "envoy-proxy", "eg", "--admin", admin]);
    expect(prom.code).toBe(0);
    expect(prom.stdout).toBe("default/default-eg-1:\n# TYPE envoy_server_live gauge\nenvoy_server_live{} 1\n");
    const clusters = await egctl(["x", "stats", "envoy-proxy", "eg", "-t", "clusters", "--admin", admin]);
    expect(clusters.stdout).toBe("default/default-eg-1:\nweb::10.0.0.1:8080::health_flags::healthy\n");
    const yaml = await egctl(["x", "stats", "envoy-proxy", "eg", "-o", "yaml", "--admin", admin]);
    expect(JSON.parse((parse(yaml.stdout) as Record<string, string>)["default/default-eg-1"]!)).toEqual({ stats: [{ name: "server.live", value: 1 }] });
    expect(envoyRequests).toEqual(["/stats/prometheus", "/clusters", "/stats?format=json"]);
  });

  it("requires a proxy name or labels, and a known stats type", async () => {
    expect((await egctl(["x", "stats", "envoy-proxy", "--admin", admin])).stderr).toContain("requires pod name or label selector");
    const badType = await egctl(["x", "stats", "envoy-proxy", "eg", "-t", "listeners", "--admin", admin]);
    expect(badType.code).toBe(2);
    expect(badType.stderr).toContain("--type: unknown stats type listeners");
  });
});

describe("Envoy pods in Kubernetes (against the project's TEST API server, a test double)", () => {
  const apiserver = new TestApiServer();
  let dir: string;
  let kubeconfig: string;
  const envoyLabels = { "app.kubernetes.io/name": "envoy", "app.kubernetes.io/component": "proxy", "app.kubernetes.io/managed-by": "envoy-gateway" };
  const pod = (namespace: string, name: string, phase: string, labels: Record<string, string> = envoyLabels) => ({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { namespace, name, labels },
    status: { phase },
  });

  beforeAll(async () => {
    apiserver.addKind({ group: "", version: "v1", kind: "Pod", plural: "pods", namespaced: true, statusSubresource: true });
    await apiserver.start();
    for (const ns of ["envoy-gateway-system", "other"]) apiserver.put({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
    apiserver.put(pod("envoy-gateway-system", "envoy-default-eg-abc", "Running", { ...envoyLabels, "gateway.envoyproxy.io/owning-gateway-name": "eg" }));
    apiserver.put(pod("other", "envoy-other-gw-def", "Running"));
    apiserver.put(pod("other", "envoy-other-pending-xyz", "Pending", { "gateway.envoyproxy.io/owning-gateway-name": "pending" }));
    dir = mkdtempSync(join(tmpdir(), "egctl-proxy-"));
    kubeconfig = join(dir, "kubeconfig");
    writeFileSync(kubeconfig, apiserver.kubeconfig());
  });
  afterAll(async () => {
    await apiserver.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("selects pods as upstream: by name, by labels, the namespace's Envoy pods, or all namespaces", async () => {
    const kc = loadKubeConfig({ kubeconfig });
    const ids = (pods: { namespace: string; name: string }[]) => pods.map((p) => `${p.namespace}/${p.name}`).sort();
    expect(ids(await selectEnvoyPods(kc, { labels: [], allNamespaces: false }))).toEqual(["envoy-gateway-system/envoy-default-eg-abc"]);
    expect(ids(await selectEnvoyPods(kc, { name: "envoy-other-gw-def", namespace: "other", labels: [], allNamespaces: false }))).toEqual([
      "other/envoy-other-gw-def",
    ]);
    expect(ids(await selectEnvoyPods(kc, { labels: ["gateway.envoyproxy.io/owning-gateway-name=eg"], allNamespaces: false }))).toEqual([
      "envoy-gateway-system/envoy-default-eg-abc",
    ]);
    expect(ids(await selectEnvoyPods(kc, { labels: [], allNamespaces: true }))).toEqual([
      "envoy-gateway-system/envoy-default-eg-abc",
      "other/envoy-other-gw-def",
    ]);
    await expect(selectEnvoyPods(kc, { name: "envoy-other-pending-xyz", namespace: "other", labels: [], allNamespaces: false })).rejects.toThrow(
      "pod other/envoy-other-pending-xyz is not running",
    );
    await expect(selectEnvoyPods(kc, { name: "gone", labels: [], allNamespaces: false })).rejects.toThrow(/^get pod envoy-gateway-system\/gone fail:/);
    await expect(selectEnvoyPods(kc, { labels: ["app=none"], allNamespaces: false })).rejects.toThrow("no Pods found for label selectors [app=none]");
  });

  it("port-forwards to the pod's admin port; the test API server cannot forward, and the error names the pod", async () => {
    const r = await egctl(["config", "envoy-proxy", "all", "envoy-default-eg-abc", "--kubeconfig", kubeconfig]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("envoy-gateway-system/envoy-default-eg-abc: port-forward to pod envoy-gateway-system/envoy-default-eg-abc:19000 failed");
    const badContext = await egctl(["config", "envoy-proxy", "all", "--kubeconfig", kubeconfig, "--context", "prod"]);
    expect(badContext.stderr).toContain('--context: no context "prod"');
  });

  it("chooses host or Kubernetes from the flags and the environment", () => {
    expect(proxySourceOf({ admin: "http://x" })).toEqual({ kind: "host", adminUrl: "http://x" });
    expect(proxySourceOf({ context: "c" }, {}, dir)).toEqual({ kind: "kubernetes", context: "c" });
    expect(proxySourceOf({}, { KUBECONFIG: kubeconfig }, dir)).toEqual({ kind: "kubernetes" });
    expect(proxySourceOf({}, {}, dir)).toEqual({ kind: "host", adminUrl: "http://127.0.0.1:19000" });
  });
});
