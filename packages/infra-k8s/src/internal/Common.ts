import { applyPatch, type PatchableKind } from "../Patch.js";
import type { KubeObject, RenderResult } from "../KubeObjects.js";
import type { ContainerView, HpaView, JsonObject, PatchView, PdbView, PodView, ServiceView, WorkloadView } from "./Views.js";

/** Upstream's default images and resource requests. */
export const DEFAULT_ENVOY_PROXY_IMAGE = "docker.io/envoyproxy/envoy:distroless-dev";
export const DEFAULT_SHUTDOWN_MANAGER_IMAGE = "docker.io/envoyproxy/gateway-dev:latest";
export const DEFAULT_RATE_LIMIT_IMAGE = "docker.io/envoyproxy/ratelimit:master";

const defaultResources = (): JsonObject => ({ requests: { cpu: "100m", memory: "512Mi" } });

/** A Deployment/DaemonSet spec with upstream's defaults filled in (defaultKubernetesDeploymentSpec). */
export interface ResolvedWorkload extends WorkloadView {
  readonly strategy: JsonObject;
  readonly pod: PodView;
  readonly container: ContainerView & { readonly resources: JsonObject; readonly image: string };
}

/** Fills a workload's missing strategy, pod, container, resources and image with upstream's defaults. */
export function resolveWorkload(workload: WorkloadView, image: string): ResolvedWorkload {
  const container = workload.container ?? {};
  return {
    ...workload,
    strategy: workload.strategy ?? { type: "RollingUpdate" },
    pod: workload.pod ?? {},
    container: { ...container, resources: container.resources ?? defaultResources(), image: container.image ?? image },
  };
}

/** The default HPA metric: CPU at 80% utilization. */
export const defaultHpaMetrics = (): unknown[] => [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 80 } } }];

/** An HPA spec with the default metric when none is given. */
export const resolveHpa = (hpa: HpaView): HpaView => (hpa.metrics !== undefined && hpa.metrics.length > 0 ? hpa : { ...hpa, metrics: defaultHpaMetrics() });

/** Upstream's base container security context: no privileges, non-root, RuntimeDefault seccomp. */
export function defaultSecurityContext(user: number, readOnlyRootFilesystem: boolean): JsonObject {
  return {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ["ALL"] },
    privileged: false,
    ...(readOnlyRootFilesystem ? { readOnlyRootFilesystem: true } : {}),
    runAsGroup: user,
    runAsNonRoot: true,
    runAsUser: user,
    seccompProfile: { type: "RuntimeDefault" },
  };
}

/** Replaces the entries of `base` that share a name with one of `extra`, appends the others (upstream's amend). */
export function amendByName(base: ReadonlyArray<JsonObject>, extra: ReadonlyArray<JsonObject> | undefined): JsonObject[] {
  const result = [...base];
  for (const item of extra ?? []) {
    const at = result.findIndex((existing) => existing["name"] === item["name"]);
    if (at >= 0) result[at] = item;
    else result.push(item);
  }
  return result;
}

/** An HTTP GET probe. */
export function httpProbe(path: string, port: number, periodSeconds: number, failureThreshold: number): JsonObject {
  return { httpGet: { path, port, scheme: "HTTP" }, timeoutSeconds: 1, periodSeconds, successThreshold: 1, failureThreshold };
}

/** The Service spec common to the proxy and rate-limit Services (resource.ExpectedServiceSpec). */
export function expectedServiceSpec(service: ServiceView): JsonObject {
  const type = service.type ?? "LoadBalancer";
  const spec: JsonObject = { type, sessionAffinity: "None" };
  const externalTrafficPolicy = service.externalTrafficPolicy ?? "Local";
  if (type === "LoadBalancer") {
    if (service.loadBalancerClass !== undefined) spec["loadBalancerClass"] = service.loadBalancerClass;
    if (service.allocateLoadBalancerNodePorts !== undefined) spec["allocateLoadBalancerNodePorts"] = service.allocateLoadBalancerNodePorts;
    if (service.loadBalancerSourceRanges !== undefined && service.loadBalancerSourceRanges.length > 0)
      spec["loadBalancerSourceRanges"] = service.loadBalancerSourceRanges;
    if (service.loadBalancerIP !== undefined) spec["loadBalancerIP"] = service.loadBalancerIP;
    spec["externalTrafficPolicy"] = externalTrafficPolicy;
  } else if (type === "NodePort") {
    spec["externalTrafficPolicy"] = externalTrafficPolicy;
  }
  return spec;
}

/** An object type whose possibly-undefined members become optional members without undefined. */
export type Compacted<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
};

/** Removes undefined members, so the object's JSON form is what Go's omitempty fields would give. */
export function compact<T extends object>(object: T): Compacted<T> {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as Compacted<T>;
}

/** Applies the user's patch to a rendered object; a bad patch is an error naming the object. */
export function patched(object: KubeObject, patch: PatchView | undefined, kind: PatchableKind): RenderResult {
  const result = applyPatch(object, patch, kind);
  return result.ok
    ? { ok: true, object: result.object }
    : { ok: false, error: `${kind} ${object.metadata.namespace}/${object.metadata.name}: ${result.error}` };
}

/** The PodDisruptionBudget of a PDB setting (common.GetPodDisruptionBudget): minAvailable, else maxUnavailable, else minAvailable 0. */
export function podDisruptionBudget(
  pdb: PdbView,
  selectorLabels: Readonly<Record<string, string>>,
  name: string,
  namespace: string,
  ownerReferences: KubeObject["metadata"]["ownerReferences"],
): RenderResult {
  const spec: JsonObject = { selector: { matchLabels: selectorLabels } };
  if (pdb.minAvailable !== undefined) spec["minAvailable"] = pdb.minAvailable;
  else if (pdb.maxUnavailable !== undefined) spec["maxUnavailable"] = pdb.maxUnavailable;
  else spec["minAvailable"] = 0;
  const object: KubeObject = {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: compact({
      name,
      namespace,
      labels: selectorLabels,
      ownerReferences: ownerReferences && ownerReferences.length > 0 ? ownerReferences : undefined,
    }),
    spec,
  };
  return patched(object, pdb.patch, "PodDisruptionBudget");
}

/** The HorizontalPodAutoscaler of an HPA setting, scaling the named Deployment. */
export function horizontalPodAutoscaler(hpa: HpaView, meta: KubeObject["metadata"], deploymentName: string): RenderResult {
  const object: KubeObject = {
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: meta,
    spec: compact({
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: deploymentName },
      minReplicas: hpa.minReplicas,
      maxReplicas: hpa.maxReplicas ?? 1,
      metrics: hpa.metrics,
      behavior: hpa.behavior,
    }),
  };
  return patched(object, hpa.patch, "HorizontalPodAutoscaler");
}

/** Go's time.ParseDuration, in seconds; undefined when invalid. */
export function durationSeconds(text: string): number | undefined {
  if (text === "0") return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy;
  const units: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
  let body = text;
  let sign = 1;
  if (body.startsWith("-") || body.startsWith("+")) {
    sign = body.startsWith("-") ? -1 : 1;
    body = body.slice(1);
  }
  if (body === "") return undefined;
  let total = 0;
  let consumed = 0;
  for (let m = re.exec(body); m !== null; m = re.exec(body)) {
    total += Number(m[1]) * units[m[2]!]!;
    consumed = re.lastIndex;
  }
  return consumed === body.length ? sign * total : undefined;
}

/** Go's Duration.String() for a whole or fractional number of seconds ("5s", "1m30s", "1h0m0s", "500ms"). */
export function goDurationString(seconds: number): string {
  if (seconds === 0) return "0s";
  const negative = seconds < 0;
  let s = Math.abs(seconds);
  let out: string;
  if (s < 1) {
    const ms = s * 1e3;
    out = ms >= 1 ? `${trim(ms)}ms` : s * 1e6 >= 1 ? `${trim(s * 1e6)}µs` : `${trim(s * 1e9)}ns`;
  } else {
    const h = Math.floor(s / 3600);
    s -= h * 3600;
    const m = Math.floor(s / 60);
    s -= m * 60;
    out = h > 0 ? `${h}h${m}m${trim(s)}s` : m > 0 ? `${m}m${trim(s)}s` : `${trim(s)}s`;
  }
  return negative ? `-${out}` : out;
}
const trim = (n: number) => String(Number(n.toFixed(9)));

/** A number with no decimals as Go's `%.0f` prints it (exact halves round to even). */
export function formatWhole(value: number): string {
  const floor = Math.floor(value);
  const diff = value - floor;
  const rounded = diff > 0.5 || (diff === 0.5 && floor % 2 !== 0) ? floor + 1 : floor;
  return String(rounded === 0 ? 0 : rounded);
}
