// Reaching Envoy proxies' admin interfaces for `egctl config envoy-proxy` and `egctl x stats envoy-proxy`.
// Kubernetes: the Envoy pods, selected as upstream's egctl does (one pod by name, pods by label selectors, or
// every Envoy pod of a namespace or of all namespaces), each through a port-forward to admin port 19000.
// Host: the proxies a running egts controller runs on its host, at the admin address each wrote (/api/proxies).
import { existsSync } from "node:fs";
import { createServer, type AddressInfo, type Server } from "node:net";
import { homedir } from "node:os";
import { join } from "node:path";
import { CoreV1Api, KubeConfig, PortForward, type V1Pod } from "@kubernetes/client-node";
import { DEFAULT_ADMIN_URL, fetchAdminJson } from "./AdminClient.js";

/** Envoy's admin port in Envoy Gateway's pods. */
export const ENVOY_ADMIN_PORT = 19000;

/** Where upstream's egctl looks for Envoy pods unless told otherwise. */
export const DEFAULT_PROXY_NAMESPACE = "envoy-gateway-system";

/** The labels every Envoy pod of Envoy Gateway carries (upstream's EnvoyAppLabelSelector). */
export const ENVOY_POD_SELECTOR = ["app.kubernetes.io/name=envoy", "app.kubernetes.io/component=proxy", "app.kubernetes.io/managed-by=envoy-gateway"];

/** Which proxies a command targets. */
export interface ProxySelection {
  /** A pod name (Kubernetes), or a proxy's service node or IR key (host). */
  readonly name?: string;
  /** Kubernetes: the pods' namespace (default envoy-gateway-system); host: only proxies of Gateways in it. */
  readonly namespace?: string;
  /** `key=value` label selectors; they win over `name`. */
  readonly labels: ReadonlyArray<string>;
  readonly allNamespaces: boolean;
}

/** One proxy to query: its namespace and name (the keys of the output) and a GET on its admin interface. */
export interface ProxyTarget {
  readonly namespace: string;
  readonly name: string;
  /** GETs `path` (e.g. `config_dump?include_eds`) from the proxy's admin interface; resolves to the body. */
  readonly get: (path: string) => Promise<string>;
}

/** Where the proxies are, as the command line says. */
export type ProxySource =
  | { readonly kind: "host"; readonly adminUrl: string }
  | { readonly kind: "kubernetes"; readonly kubeconfig?: string; readonly context?: string };

/**
 * The source the flags ask for: `--admin` means the egts controller's proxies on its host; `--kubeconfig` or
 * `--context` mean Kubernetes; with neither, Kubernetes when a kubeconfig exists ($KUBECONFIG or ~/.kube/config),
 * else the controller at its default admin address.
 */
export function proxySourceOf(
  flags: { readonly admin?: string; readonly kubeconfig?: string; readonly context?: string },
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): ProxySource {
  if (flags.admin !== undefined) return { kind: "host", adminUrl: flags.admin };
  if (flags.kubeconfig !== undefined || flags.context !== undefined || (env["KUBECONFIG"] ?? "") !== "" || existsSync(join(home, ".kube", "config")))
    return {
      kind: "kubernetes",
      ...(flags.kubeconfig !== undefined ? { kubeconfig: flags.kubeconfig } : {}),
      ...(flags.context !== undefined ? { context: flags.context } : {}),
    };
  return { kind: "host", adminUrl: DEFAULT_ADMIN_URL };
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

async function httpGet(url: string, timeoutMs = 10_000): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  const body = await res.text();
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${body.trim()}`);
  return body;
}

/** What the controller's /api/proxies says about one proxy. */
interface HostProxy {
  readonly irKey: string;
  readonly serviceNode: string;
  readonly running: boolean;
  readonly adminAddress?: string;
  readonly error?: string;
}

/** The labels a host proxy answers to: its Gateway's, as upstream puts them on the Envoy pods. */
function hostLabels(irKey: string): Record<string, string> {
  const slash = irKey.indexOf("/");
  return slash < 0
    ? { "gateway.envoyproxy.io/owning-gatewayclass": irKey }
    : { "gateway.envoyproxy.io/owning-gateway-namespace": irKey.slice(0, slash), "gateway.envoyproxy.io/owning-gateway-name": irKey.slice(slash + 1) };
}

function parseSelectors(labels: ReadonlyArray<string>): Array<[string, string]> {
  return labels
    .flatMap((l) => l.split(","))
    .map((term) => {
      const eq = term.indexOf("=");
      if (eq <= 0) throw new Error(`--labels: "${term}" is not key=value (host proxies are selected by equality only)`);
      return [
        term.slice(0, eq).trim(),
        term
          .slice(eq + 1)
          .replace(/^=/, "")
          .trim(),
      ] as [string, string];
    });
}

/** The proxies the egts controller at `adminUrl` runs, filtered by the selection; each must be running. */
export async function hostProxyTargets(adminUrl: string, selection: ProxySelection): Promise<ProxyTarget[]> {
  const answer = (await fetchAdminJson(adminUrl, "api/proxies")) as { proxies?: HostProxy[] };
  let proxies = answer.proxies ?? [];
  const namespaceOf = (p: HostProxy) => (p.irKey.includes("/") ? p.irKey.slice(0, p.irKey.indexOf("/")) : DEFAULT_PROXY_NAMESPACE);
  if (!selection.allNamespaces && selection.namespace !== undefined) proxies = proxies.filter((p) => namespaceOf(p) === selection.namespace);
  if (selection.labels.length > 0) {
    const wanted = parseSelectors(selection.labels);
    proxies = proxies.filter((p) => {
      const labels = hostLabels(p.irKey);
      return wanted.every(([k, v]) => labels[k] === v);
    });
    if (proxies.length === 0) throw new Error(`no proxies found for label selectors [${selection.labels.join(" ")}]`);
  } else if (selection.name !== undefined && !selection.allNamespaces) {
    const name = selection.name;
    proxies = proxies.filter((p) => p.serviceNode === name || p.irKey === name || p.irKey.endsWith(`/${name}`));
    if (proxies.length === 0) throw new Error(`proxy "${name}" not found on the controller at ${adminUrl} (see /api/proxies for service nodes and IR keys)`);
  } else if (proxies.length === 0) {
    throw new Error(`the controller at ${adminUrl} runs no proxies${selection.namespace !== undefined ? ` in namespace ${selection.namespace}` : ""}`);
  }
  return proxies.map((p) => {
    const namespace = namespaceOf(p);
    if (!p.running || p.adminAddress === undefined)
      throw new Error(
        `proxy ${namespace}/${p.serviceNode} is not running${p.error !== undefined ? ` (${p.error})` : " or has not written its admin address yet"}`,
      );
    const base = `http://${p.adminAddress}`;
    return { namespace, name: p.serviceNode, get: (path: string) => httpGet(`${base}/${path}`) };
  });
}

/** Loads the kubeconfig the flags name (else the default chain) and switches context when asked. */
export function loadKubeConfig(source: { readonly kubeconfig?: string; readonly context?: string }): KubeConfig {
  const kc = new KubeConfig();
  try {
    if (source.kubeconfig !== undefined) kc.loadFromFile(source.kubeconfig);
    else kc.loadFromDefault();
  } catch (e) {
    throw new Error(`--kubeconfig ${source.kubeconfig ?? "(default)"}: ${message(e)}`);
  }
  if (source.context !== undefined) {
    if (kc.getContextObject(source.context) === null) throw new Error(`--context: no context "${source.context}" in the kubeconfig`);
    kc.setCurrentContext(source.context);
  }
  return kc;
}

/**
 * The running Envoy pods the selection names, as upstream's egctl picks them: all namespaces (every Envoy pod),
 * label selectors in the namespace, one pod by name, or every Envoy pod of the namespace. A selected pod that is
 * not Running is an error.
 */
export async function selectEnvoyPods(kc: KubeConfig, selection: ProxySelection): Promise<Array<{ namespace: string; name: string }>> {
  const api = kc.makeApiClient(CoreV1Api);
  const namespace = selection.namespace ?? DEFAULT_PROXY_NAMESPACE;
  let pods: V1Pod[];
  if (selection.allNamespaces) {
    pods = (await api.listPodForAllNamespaces({ labelSelector: ENVOY_POD_SELECTOR.join(",") })).items;
  } else if (selection.labels.length > 0) {
    try {
      pods = (await api.listNamespacedPod({ namespace, labelSelector: selection.labels.join(",") })).items;
    } catch (e) {
      throw new Error(`get pod ${namespace}/${selection.name ?? ""} fail: ${message(e)}`);
    }
    if (pods.length === 0) throw new Error(`no Pods found for label selectors [${selection.labels.join(" ")}]`);
  } else if (selection.name !== undefined) {
    try {
      pods = [await api.readNamespacedPod({ namespace, name: selection.name })];
    } catch (e) {
      throw new Error(`get pod ${namespace}/${selection.name} fail: ${message(e)}`);
    }
  } else {
    pods = (await api.listNamespacedPod({ namespace, labelSelector: ENVOY_POD_SELECTOR.join(",") })).items;
    if (pods.length === 0) throw new Error(`no Pods found for label selectors [${ENVOY_POD_SELECTOR.join(" ")}]`);
  }
  return pods.map((pod) => {
    const id = { namespace: pod.metadata?.namespace ?? namespace, name: pod.metadata?.name ?? "" };
    if (pod.status?.phase !== "Running") throw new Error(`pod ${id.namespace}/${id.name} is not running`);
    return id;
  });
}

/**
 * Forwards a local loopback port to `port` of a pod (client-node's PortForward over the API server's
 * websocket), runs `use` with `http://127.0.0.1:<local>`, then closes the listener.
 */
export async function withPortForward<T>(
  kc: KubeConfig,
  pod: { namespace: string; name: string },
  port: number,
  use: (base: string) => Promise<T>,
): Promise<T> {
  const forward = new PortForward(kc);
  const failures: string[] = [];
  const server: Server = createServer((socket) => {
    forward.portForward(pod.namespace, pod.name, [port], socket, null, socket).catch((e: unknown) => {
      failures.push(message(e));
      socket.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  try {
    return await use(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } catch (e) {
    throw new Error(`port-forward to pod ${pod.namespace}/${pod.name}:${port} failed: ${failures[0] ?? message(e)}`);
  } finally {
    server.close();
  }
}

/** The proxies a command queries: host proxies from the controller, or Envoy pods through port-forwards. */
export async function proxyTargets(source: ProxySource, selection: ProxySelection): Promise<ProxyTarget[]> {
  if (source.kind === "host") return hostProxyTargets(source.adminUrl, selection);
  const kc = loadKubeConfig(source);
  const pods = await selectEnvoyPods(kc, selection);
  return pods.map((pod) => ({ ...pod, get: (path: string) => withPortForward(kc, pod, ENVOY_ADMIN_PORT, (base) => httpGet(`${base}/${path}`)) }));
}
