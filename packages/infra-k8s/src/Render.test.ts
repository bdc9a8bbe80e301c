import { existsSync, readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { ProxyInfra } from "@egts/ir";
import { describe, expect, it } from "vitest";
import { hashedName, proxyRenderer, rateLimitRenderer, rateLimitServiceURL, type KubeObject, type RenderResult } from "./index.js";

const proxy = (overrides: Partial<ProxyInfra> = {}): ProxyInfra => ({
  name: "default/eg",
  namespace: "default",
  metadata: {
    labels: { "gateway.envoyproxy.io/owning-gateway-name": "eg", "gateway.envoyproxy.io/owning-gateway-namespace": "default" },
    ownerReference: { kind: "GatewayClass", name: "eg" },
  },
  listeners: [
    {
      name: "default/eg/https",
      http3: {},
      ports: [
        { name: "https-443", protocol: "HTTPS", servicePort: 443, containerPort: 10443 },
        { name: "udp-53", protocol: "UDP", servicePort: 53, containerPort: 10053 },
      ],
    },
  ],
  ...overrides,
});
const context = { envoyGateway: {}, controllerNamespace: "envoy-gateway-system", dnsDomain: "cluster.local", ownerReferenceUIDs: { GatewayClass: "uid-1" } };
const object = (result: RenderResult): KubeObject => {
  if (!result.ok) throw new Error(result.error);
  if (result.object === undefined) throw new Error("no object");
  return result.object;
};
const get = (o: unknown, path: string): unknown => path.split(".").reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], o);

describe("proxyRenderer", () => {
  it("names objects envoy-<name cut to 48>-<8 hex of sha256>", () => {
    expect(hashedName("default/eg", 48)).toMatch(/^default-eg-[0-9a-f]{8}$/);
    const long = "a".repeat(47) + "/b";
    expect(hashedName(long, 48)).toMatch(new RegExp(`^${"a".repeat(47)}-[0-9a-f]{8}$`));
    expect(proxyRenderer(proxy(), context).name).toBe(`envoy-${hashedName("default/eg", 48)}`);
  });

  it("gives the Service one port per listener port, UDP kept, plus a UDP twin for HTTP/3 on HTTPS", () => {
    const service = object(proxyRenderer(proxy(), context).service());
    expect(get(service, "spec.ports")).toEqual([
      { name: "https-443", protocol: "TCP", port: 443, targetPort: 10443 },
      { name: "https-443-h3", protocol: "UDP", port: 443, targetPort: 10443 },
      { name: "udp-53", protocol: "UDP", port: 53, targetPort: 10053 },
    ]);
    expect(get(service, "spec.type")).toBe("LoadBalancer");
    expect(service.metadata.ownerReferences).toEqual([{ apiVersion: "gateway.networking.k8s.io/v1", kind: "GatewayClass", name: "eg", uid: "uid-1" }]);
  });

  it("caps Envoy's heap at 80% of the memory limit through the bootstrap's overload manager", () => {
    const config = { spec: { provider: { type: "Kubernetes", kubernetes: { envoyDeployment: { container: { resources: { limits: { memory: "1Gi" } } } } } } } };
    const deployment = object(proxyRenderer(proxy({ config }), context).deployment());
    const args = get(deployment, "spec.template.spec.containers") as { args: string[] }[];
    const bootstrap = args[0]!.args[args[0]!.args.indexOf("--config-yaml") + 1]!;
    expect(bootstrap).toContain(`max_heap_size_bytes: ${Math.floor(2 ** 30 * 0.8)}`);
  });

  it("renders a DaemonSet and no Deployment when the EnvoyProxy asks for one", () => {
    const config = { spec: { provider: { type: "Kubernetes", kubernetes: { envoyDaemonSet: {} } } } };
    const renderer = proxyRenderer(proxy({ config }), context);
    expect(renderer.deployment()).toEqual({ ok: true, object: undefined });
    expect(object(renderer.daemonSet()).kind).toBe("DaemonSet");
  });

  it("places objects in the Gateway's namespace, named after it, owned by it, in gateway-namespace mode", () => {
    const envoyGateway = { provider: { type: "Kubernetes", kubernetes: { deploy: { type: "GatewayNamespace" } } } };
    const renderer = proxyRenderer(proxy({ name: "eg", metadata: { ...proxy().metadata, ownerReference: { kind: "Gateway", name: "eg" } } }), {
      ...context,
      envoyGateway,
      ownerReferenceUIDs: { Gateway: "uid-gw" },
    });
    const account = object(renderer.serviceAccount());
    expect(account.metadata).toMatchObject({ name: "eg", namespace: "default", ownerReferences: [{ kind: "Gateway", uid: "uid-gw" }] });
    expect(object(renderer.configMap()).data).toHaveProperty(["xds_service_account_token.json"]);
  });

  it("reports missing owning-gateway labels and a non-Kubernetes provider as errors", () => {
    expect(proxyRenderer(proxy({ metadata: {} }), context).serviceAccount().ok).toBe(false);
    const config = { spec: { provider: { type: "Host" } } };
    expect(proxyRenderer(proxy({ config }), context).deployment()).toEqual({ ok: false, error: "invalid provider type Host for Kubernetes infra manager" });
  });

  it("renders no HPA or PDB unless configured", () => {
    const renderer = proxyRenderer(proxy(), context);
    expect(renderer.horizontalPodAutoscaler()).toEqual({ ok: true, object: undefined });
    expect(renderer.podDisruptionBudget()).toEqual({ ok: true, object: undefined });
  });
});

describe("rateLimitRenderer", () => {
  it("points the service at the controller's rate-limit xDS and Redis", () => {
    const deployment = object(
      rateLimitRenderer({ envoyGateway: { rateLimit: { backend: { type: "Redis", redis: { url: "redis:6379" } } } }, namespace: "eg" }).deployment(),
    );
    const env = (get(deployment, "spec.template.spec.containers") as { env: { name: string; value?: string }[] }[])[0]!.env;
    expect(env.find((e) => e.name === "CONFIG_GRPC_XDS_SERVER_URL")?.value).toBe("envoy-gateway:18001");
    expect(env.find((e) => e.name === "REDIS_URL")?.value).toBe("redis:6379");
    expect(rateLimitServiceURL("eg", "cluster.local")).toBe("grpc://envoy-ratelimit.eg.svc.cluster.local:8081");
  });
});

// Upstream's own golden objects (the reference corpus beside the repository): every case must render its object.
const corpus = resolve(import.meta.dirname, "../../../../shared/reference/infra");
describe.runIf(existsSync(corpus))("the reference corpus's infra cases", () => {
  for (const name of readdirSync(existsSync(corpus) ? corpus : ".").sort()) {
    it(name, () => {
      const input = JSON.parse(readFileSync(resolve(corpus, name, "input.json"), "utf8"));
      const expected = JSON.parse(readFileSync(resolve(corpus, name, "expected.json"), "utf8"));
      const ctx = { envoyGateway: input.envoyGateway, ownerReferenceUIDs: input.ownerReferenceUIDs };
      const method = {
        Deployment: "deployment",
        DaemonSet: "daemonSet",
        Service: "service",
        ConfigMap: "configMap",
        ServiceAccount: "serviceAccount",
        HorizontalPodAutoscaler: "horizontalPodAutoscaler",
        PodDisruptionBudget: "podDisruptionBudget",
      }[input.object as string]!;
      const renderer: Record<string, () => RenderResult> =
        input.component === "proxy"
          ? (proxyRenderer(input.infra.proxy, { ...ctx, controllerNamespace: input.controllerNamespace, dnsDomain: input.dnsDomain }) as unknown as Record<
              string,
              () => RenderResult
            >)
          : (rateLimitRenderer({ ...ctx, namespace: input.controllerNamespace }) as unknown as Record<string, () => RenderResult>);
      expect(withoutZeroValues(object(renderer[method]!()))).toEqual(withoutZeroValues(expected));
    });
  }
});

/** The goldens are Go objects marshalled to YAML: zero values (status: {}, creationTimestamp: null) carry nothing. */
function withoutZeroValues(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutZeroValues);
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const n = withoutZeroValues(v);
    if (n === null || n === "" || n === 0 || n === false || (typeof n === "object" && Object.keys(n as object).length === 0)) continue;
    out[k] = n;
  }
  return out;
}

describe("the shutdown settings", () => {
  it("drive the drain time, grace period and the shutdown manager's flags (Go's rounding of whole seconds)", () => {
    const config = { spec: { shutdown: { drainTimeout: "2.5s", minDrainDuration: "1s", healthCheckFailureDelay: "1m30s" } } };
    const deployment = object(proxyRenderer(proxy({ config }), context).deployment());
    const [envoy, manager] = get(deployment, "spec.template.spec.containers") as { args: string[]; lifecycle: { preStop: { exec?: { command: string[] } } } }[];
    expect(envoy!.args.slice(-2)).toEqual(["--drain-time-s", "2"]);
    expect(manager!.args).toEqual(["envoy", "shutdown-manager", "--ready-timeout=12s"]);
    expect(manager!.lifecycle.preStop.exec?.command).toEqual([
      "envoy-gateway",
      "envoy",
      "shutdown",
      "--health-check-failure-delay=1m30s",
      "--drain-timeout=2s",
      "--min-drain-duration=1s",
    ]);
    expect(get(deployment, "spec.template.spec.terminationGracePeriodSeconds")).toBe(302);
  });
});
