import { createHash } from "node:crypto";
import { metricSinksOf } from "@egts/bootstrap";
import type { ProxyInfra } from "@egts/ir";
import type { KubeObject, ObjectMeta, OwnerReference, RenderResult } from "./KubeObjects.js";
import {
  DEFAULT_ENVOY_PROXY_IMAGE,
  DEFAULT_SHUTDOWN_MANAGER_IMAGE,
  amendByName,
  compact,
  defaultSecurityContext,
  durationSeconds,
  expectedServiceSpec,
  formatWhole,
  goDurationString,
  horizontalPodAutoscaler,
  httpProbe,
  patched,
  podDisruptionBudget,
  resolveHpa,
  resolveWorkload,
  type ResolvedWorkload,
} from "./internal/Common.js";
import { buildProxyArgs, proxyMetricsOf } from "./internal/ProxyArgs.js";
import { quantityValue } from "./internal/Quantity.js";
import type { EnvoyGatewayView, EnvoyProxySpecView, JsonObject, KubeProviderView, PodView } from "./internal/Views.js";

/** What the proxy renderer needs besides the infra IR: the controller's configuration and where it runs. */
export interface ProxyRenderContext {
  /** The EnvoyGateway configuration (its provider settings: deploy mode, shutdown manager image, topology injector). */
  readonly envoyGateway: EnvoyGatewayView;
  /** Namespace of the controller (and of the proxy objects unless in gateway-namespace mode). */
  readonly controllerNamespace: string;
  /** The cluster's DNS domain, usually `cluster.local`. */
  readonly dnsDomain: string;
  /** UIDs of the owners by kind: `GatewayClass`, or `Gateway` in gateway-namespace mode. */
  readonly ownerReferenceUIDs?: Readonly<Record<string, string>>;
}

/** Renders the Kubernetes objects of one Envoy proxy fleet; each method is a pure function of the IR and context. */
export interface ProxyRenderer {
  /** Name of the objects: `envoy-<hashed IR name>`, or the Gateway's name in gateway-namespace mode. */
  readonly name: string;
  /** Namespace of the objects. */
  readonly namespace: string;
  /** Labels that select the proxy's pods (stable across updates). */
  readonly selectorLabels: Readonly<Record<string, string>>;
  readonly serviceAccount: () => RenderResult;
  /** The SDS ConfigMap; `caCert` adds the CA bundle (gateway-namespace mode). */
  readonly configMap: (caCert?: string) => RenderResult;
  /** The Deployment, or undefined when the EnvoyProxy asks for a DaemonSet. */
  readonly deployment: () => RenderResult;
  readonly daemonSet: () => RenderResult;
  readonly service: () => RenderResult;
  readonly horizontalPodAutoscaler: () => RenderResult;
  readonly podDisruptionBudget: () => RenderResult;
}

const OWNING_GATEWAY_NAME = "gateway.envoyproxy.io/owning-gateway-name";
const OWNING_GATEWAY_NAMESPACE = "gateway.envoyproxy.io/owning-gateway-namespace";
const OWNING_GATEWAY_CLASS = "gateway.envoyproxy.io/owning-gatewayclass";
const GATEWAY_NAME = "gateway.networking.k8s.io/gateway-name";
const SDS_CA = "xds-trusted-ca.json";
const SDS_CERT = "xds-certificate.json";
const SDS_SA_TOKEN = "xds_service_account_token.json";
const STATS_PORT = 19001;
const READINESS_PORT = 19003;
const SHUTDOWN_MANAGER_PORT = 19002;

/**
 * A name with a hash suffix (upstream utils.GetHashedName): `/` becomes `-`, the name is cut to `length`
 * characters (one trailing `-` dropped), then `-` and the first 8 hex digits of its SHA-256.
 */
export function hashedName(name: string, length: number): string {
  const digest = createHash("sha256").update(name).digest("hex").slice(0, 8);
  let base = name.replaceAll("/", "-");
  if (length > 0 && base.length > length) {
    base = base.slice(0, length);
    if (base.endsWith("-")) base = base.slice(0, -1);
  }
  return `${base}-${digest}`;
}

/** Labels every Envoy proxy object carries. */
export const envoyAppLabels = (): Record<string, string> => ({
  "app.kubernetes.io/name": "envoy",
  "app.kubernetes.io/component": "proxy",
  "app.kubernetes.io/managed-by": "envoy-gateway",
});

/** Whether the EnvoyGateway deploys proxies into their Gateways' namespaces. */
export const gatewayNamespaceMode = (eg: EnvoyGatewayView): boolean => eg.provider?.kubernetes?.deploy?.type === "GatewayNamespace";

const specOf = (proxy: ProxyInfra): EnvoyProxySpecView => (proxy.config as { spec?: EnvoyProxySpecView } | undefined)?.spec ?? {};

/** The EnvoyProxy's Kubernetes provider with upstream's defaults (GetEnvoyProxyKubeProvider); undefined for another provider type. */
function kubeProvider(spec: EnvoyProxySpecView): { deployment?: ResolvedWorkload; daemonSet?: ResolvedWorkload; provider: KubeProviderView } | undefined {
  const provider = spec.provider ?? { type: "Kubernetes" };
  if (provider.type !== "Kubernetes") return undefined;
  const kube = provider.kubernetes ?? {};
  const deploymentView = kube.envoyDeployment ?? (kube.envoyDaemonSet === undefined ? {} : undefined);
  const service = kube.envoyService ?? { type: "LoadBalancer", externalTrafficPolicy: "Local" };
  return {
    ...(deploymentView !== undefined ? { deployment: resolveWorkload(deploymentView, DEFAULT_ENVOY_PROXY_IMAGE) } : {}),
    ...(kube.envoyDaemonSet !== undefined ? { daemonSet: resolveWorkload(kube.envoyDaemonSet, DEFAULT_ENVOY_PROXY_IMAGE) } : {}),
    provider: {
      ...kube,
      envoyService: { ...service, type: service.type ?? "LoadBalancer" },
      ...(kube.envoyHpa !== undefined ? { envoyHpa: resolveHpa(kube.envoyHpa) } : {}),
    },
  };
}

/** Creates the renderer of one proxy's objects (upstream proxy.NewResourceRender). */
export function proxyRenderer(proxy: ProxyInfra, context: ProxyRenderContext): ProxyRenderer {
  const eg = context.envoyGateway;
  const namespaceMode = gatewayNamespaceMode(eg);
  const name = namespaceMode ? proxy.name : `envoy-${hashedName(proxy.name, 48)}`;
  const namespace = namespaceMode ? (proxy.namespace ?? "") : context.controllerNamespace;
  const spec = specOf(proxy);
  const metadata = proxy.metadata ?? {};
  const infraLabels = metadata.labels ?? {};
  const annotations = metadata.annotations !== undefined && Object.keys(metadata.annotations).length > 0 ? metadata.annotations : undefined;
  const topologyInjectorDisabled = eg.provider?.kubernetes?.proxyTopologyInjector?.disable === true;
  const shutdownManagerImage = eg.provider?.kubernetes?.shutdownManager?.image ?? DEFAULT_SHUTDOWN_MANAGER_IMAGE;
  const prometheus = spec.telemetry?.metrics?.["prometheus"] as { disable?: boolean } | undefined;
  const prometheusEnabled = prometheus?.disable !== true;

  const envoyLabels = (extra: Readonly<Record<string, string>>): Record<string, string> => ({
    ...envoyAppLabels(),
    ...(namespaceMode ? { [GATEWAY_NAME]: name } : {}),
    ...extra,
  });
  const owningLabelsAbsent = (labels: Readonly<Record<string, string>>) =>
    (!labels[OWNING_GATEWAY_NAME] || !labels[OWNING_GATEWAY_NAMESPACE]) && !labels[OWNING_GATEWAY_CLASS];
  const selectorLabels = envoyLabels(
    Object.fromEntries(Object.entries(infraLabels).filter(([k]) => k === OWNING_GATEWAY_NAME || k === OWNING_GATEWAY_NAMESPACE || k === OWNING_GATEWAY_CLASS)),
  );
  const ownerReferences = (): OwnerReference[] | undefined => {
    const uid = context.ownerReferenceUIDs?.[namespaceMode ? "Gateway" : "GatewayClass"];
    const owner = metadata.ownerReference;
    if (uid === undefined) return undefined;
    return [{ apiVersion: "gateway.networking.k8s.io/v1", kind: owner?.kind ?? "", name: owner?.name ?? "", uid }];
  };
  const meta = (
    objectName: string,
    labels: Readonly<Record<string, string>> | undefined,
    objectAnnotations: Readonly<Record<string, string>> | undefined,
  ): ObjectMeta => compact({ name: objectName, namespace, labels, annotations: objectAnnotations, ownerReferences: ownerReferences() });
  const labelsOrError = (): { labels: Record<string, string> } | { error: string } => {
    const labels = envoyLabels(infraLabels);
    return owningLabelsAbsent(labels) ? { error: `proxy ${proxy.name}: missing owning gateway labels` } : { labels };
  };
  const serviceAccountName = (): string => kubeProvider(spec)?.provider.envoyServiceAccount?.name ?? name;
  const notKubernetes = (): RenderResult => ({ ok: false, error: `invalid provider type ${spec.provider?.type ?? ""} for Kubernetes infra manager` });

  const podAnnotations = (pod: PodView): Record<string, string> | undefined => {
    const result: Record<string, string> = {
      ...(prometheusEnabled ? { "prometheus.io/path": "/stats/prometheus", "prometheus.io/scrape": "true", "prometheus.io/port": String(STATS_PORT) } : {}),
      ...annotations,
      ...pod.annotations,
    };
    return Object.keys(result).length > 0 ? result : undefined;
  };
  const podLabels = (pod: PodView) => envoyLabels({ ...infraLabels, ...pod.labels });

  const volumes = (pod: PodView): JsonObject[] => {
    const list: JsonObject[] = [];
    let certs: JsonObject = { name: "certs", secret: { secretName: "envoy", defaultMode: 420 } };
    if (namespaceMode) {
      certs = { name: "certs", configMap: { name, items: [{ key: "ca.crt", path: "ca.crt" }], defaultMode: 420, optional: false } };
      list.push({
        name: "sa-token",
        projected: {
          sources: [
            {
              serviceAccountToken: {
                path: "sa-token",
                audience: `envoy-gateway.${context.controllerNamespace}.svc.${context.dnsDomain}`,
                expirationSeconds: 3600,
              },
            },
          ],
          defaultMode: 420,
        },
      });
    }
    list.push(certs);
    const items = namespaceMode
      ? [
          { key: SDS_CA, path: SDS_CA },
          { key: SDS_SA_TOKEN, path: SDS_SA_TOKEN },
        ]
      : [
          { key: SDS_CA, path: SDS_CA },
          { key: SDS_CERT, path: SDS_CERT },
        ];
    list.push({ name: "sds", configMap: { name, items, defaultMode: 420, optional: false } });
    return amendByName(list, pod.volumes);
  };

  const containers = (workload: ResolvedWorkload): { ok: true; containers: JsonObject[] } | { ok: false; error: string } => {
    const container = workload.container;
    const limits = container.resources["limits"] as Record<string, string | number> | undefined;
    const memory = limits?.["memory"];
    const memoryBytes = memory !== undefined ? quantityValue(memory) : undefined;
    const maxHeapSizeBytes = memoryBytes !== undefined ? Math.floor(memoryBytes * 0.8) : 0;
    const proxyMetrics = proxyMetricsOf(spec);
    const args = buildProxyArgs(
      proxy,
      spec,
      {
        ...(proxyMetrics !== undefined ? { proxyMetrics } : {}),
        resolvedMetricSinks: metricSinksOf(proxy.resolvedMetricSinks),
        sdsConfig: { certificate: `/sds/${SDS_CERT}`, trustedCA: `/sds/${SDS_CA}`, ...(namespaceMode ? { serviceAccountToken: `/sds/${SDS_SA_TOKEN}` } : {}) },
        maxHeapSizeBytes,
        xdsServerHost: `envoy-gateway.${context.controllerNamespace}.svc.${context.dnsDomain}.`,
        topologyInjectorDisabled,
      },
      "$(ENVOY_POD_NAME)",
      namespaceMode,
    );
    if (!args.ok) return args;
    const image = container.imageRepository ? `${container.imageRepository}:${imageTag(DEFAULT_ENVOY_PROXY_IMAGE)}` : container.image;
    const ports: JsonObject[] = [
      ...(prometheusEnabled ? [{ name: "metrics", containerPort: STATS_PORT, protocol: "TCP" }] : []),
      { name: "readiness", containerPort: READINESS_PORT, protocol: "TCP" },
    ];
    const mounts: JsonObject[] = [
      { name: "certs", mountPath: "/certs", readOnly: true },
      { name: "sds", mountPath: "/sds" },
      ...(namespaceMode ? [{ name: "sa-token", mountPath: "/var/run/secrets/token", readOnly: true }] : []),
    ];
    const shutdown = spec.shutdown;
    const envoy = compact({
      name: "envoy",
      image,
      imagePullPolicy: "IfNotPresent",
      command: ["envoy"],
      args: args.args,
      env: amendByName(podEnv(), container.env),
      resources: container.resources,
      securityContext: container.securityContext ?? defaultSecurityContext(65532, false),
      ports,
      volumeMounts: amendByName(mounts, container.volumeMounts),
      terminationMessagePolicy: "File",
      terminationMessagePath: "/dev/termination-log",
      startupProbe: httpProbe("/ready", READINESS_PORT, 10, 30),
      readinessProbe: httpProbe("/ready", READINESS_PORT, 5, 1),
      livenessProbe: httpProbe("/ready", READINESS_PORT, 10, 3),
      lifecycle: { preStop: { httpGet: { path: "/shutdown/ready", port: SHUTDOWN_MANAGER_PORT, scheme: "HTTP" } } },
    });
    const shutdownManager = compact({
      name: "shutdown-manager",
      image: shutdownManagerImage,
      imagePullPolicy: "IfNotPresent",
      command: ["envoy-gateway"],
      args: shutdownManagerArgs(shutdown),
      env: podEnv(),
      resources: { requests: { cpu: "10m", memory: "32Mi" } },
      terminationMessagePolicy: "File",
      terminationMessagePath: "/dev/termination-log",
      startupProbe: httpProbe("/healthz", SHUTDOWN_MANAGER_PORT, 10, 30),
      readinessProbe: httpProbe("/healthz", SHUTDOWN_MANAGER_PORT, 10, 3),
      livenessProbe: httpProbe("/healthz", SHUTDOWN_MANAGER_PORT, 10, 3),
      lifecycle: { preStop: { exec: { command: shutdownPreStopCommand(shutdown) } } },
      securityContext: container.securityContext ?? defaultSecurityContext(65532, false),
    });
    return { ok: true, containers: [envoy, shutdownManager] };
  };

  const podSpec = (workload: ResolvedWorkload, podContainers: JsonObject[], initContainers: unknown[] | undefined): JsonObject => {
    const pod = workload.pod;
    return compact({
      automountServiceAccountToken: false,
      containers: podContainers,
      initContainers: initContainers !== undefined && initContainers.length > 0 ? initContainers : undefined,
      serviceAccountName: serviceAccountName(),
      terminationGracePeriodSeconds: terminationGracePeriodSeconds(spec.shutdown),
      dnsPolicy: "ClusterFirst",
      restartPolicy: "Always",
      schedulerName: "default-scheduler",
      securityContext: pod.securityContext,
      affinity: pod.affinity,
      tolerations: pod.tolerations,
      volumes: volumes(pod),
      imagePullSecrets: pod.imagePullSecrets,
      nodeSelector: pod.nodeSelector,
      topologySpreadConstraints: pod.topologySpreadConstraints,
      priorityClassName: pod.priorityClassName || undefined,
    });
  };

  const workloadObject = (kind: "Deployment" | "DaemonSet"): RenderResult => {
    const provider = kubeProvider(spec);
    if (provider === undefined) return notKubernetes();
    const workload = kind === "Deployment" ? provider.deployment : provider.daemonSet;
    if (workload === undefined) return { ok: true, object: undefined };
    const built = containers(workload);
    if (!built.ok) return { ok: false, error: `${kind} for proxy ${proxy.name}: ${built.error}` };
    const labels = labelsOrError();
    if ("error" in labels) return { ok: false, error: labels.error };
    const template = {
      metadata: compact({ labels: podLabels(workload.pod), annotations: podAnnotations(workload.pod) }),
      spec: podSpec(workload, built.containers, kind === "Deployment" ? workload.initContainers : undefined),
    };
    const objectSpec: JsonObject =
      kind === "Deployment"
        ? compact({
            replicas: provider.provider.envoyHpa !== undefined ? undefined : workload.replicas,
            strategy: workload.strategy,
            selector: { matchLabels: selectorLabels },
            template,
            revisionHistoryLimit: 10,
            progressDeadlineSeconds: 600,
          })
        : { selector: { matchLabels: selectorLabels }, updateStrategy: workload.strategy, template };
    const object: KubeObject = { apiVersion: "apps/v1", kind, metadata: meta(workload.name ?? name, labels.labels, annotations), spec: objectSpec };
    return patched(object, workload.patch, kind);
  };

  return {
    name,
    namespace,
    selectorLabels,
    serviceAccount: () => {
      const labels = labelsOrError();
      if ("error" in labels) return { ok: false, error: labels.error };
      return {
        ok: true,
        object: {
          apiVersion: "v1",
          kind: "ServiceAccount",
          metadata: meta(serviceAccountName(), labels.labels, annotations),
          automountServiceAccountToken: false,
        },
      };
    },
    configMap: (caCert = "") => {
      const labels = labelsOrError();
      if ("error" in labels) return { ok: false, error: labels.error };
      const data: Record<string, string> = { [SDS_CA]: sdsCaData("/certs/ca.crt"), [SDS_CERT]: sdsCertData("/certs/tls.crt", "/certs/tls.key") };
      if (namespaceMode) data[SDS_SA_TOKEN] = sdsServiceAccountTokenData("/var/run/secrets/token/sa-token");
      if (caCert !== "") data["ca.crt"] = caCert;
      return { ok: true, object: { apiVersion: "v1", kind: "ConfigMap", metadata: meta(name, labels.labels, annotations), data } };
    },
    deployment: () => workloadObject("Deployment"),
    daemonSet: () => workloadObject("DaemonSet"),
    service: () => {
      const provider = kubeProvider(spec);
      if (provider === undefined) return notKubernetes();
      const service = provider.provider.envoyService ?? {};
      const ports: JsonObject[] = [];
      for (const listener of proxy.listeners ?? []) {
        for (const port of listener.ports ?? []) {
          const base = { protocol: port.protocol === "UDP" ? "UDP" : "TCP", port: port.servicePort ?? 0, targetPort: port.containerPort };
          ports.push(compact({ name: port.name || undefined, ...base }));
          if (port.protocol === "HTTPS" && listener.http3 !== undefined) ports.push({ name: `${port.name}-h3`, ...base, protocol: "UDP" });
        }
      }
      const labels = labelsOrError();
      if ("error" in labels) return { ok: false, error: labels.error };
      const serviceAnnotations = { ...annotations, ...service.annotations };
      const serviceSpec = expectedServiceSpec(service);
      serviceSpec["ports"] = ports;
      serviceSpec["selector"] = labels.labels;
      const addresses = proxy.addresses ?? [];
      if (service.type === "ClusterIP") {
        if (addresses.length > 0) {
          serviceSpec["clusterIP"] = addresses[0];
          serviceSpec["clusterIPs"] = addresses.slice(0, 1);
        }
      } else if (addresses.length > 0) serviceSpec["externalIPs"] = addresses;
      if (spec.ipFamily === "IPv6") {
        serviceSpec["ipFamilies"] = ["IPv6"];
        serviceSpec["ipFamilyPolicy"] = "SingleStack";
      } else if (spec.ipFamily === "DualStack") {
        serviceSpec["ipFamilies"] = ["IPv4", "IPv6"];
        serviceSpec["ipFamilyPolicy"] = "RequireDualStack";
      }
      const object: KubeObject = {
        apiVersion: "v1",
        kind: "Service",
        metadata: meta(
          service.name ?? name,
          { ...labels.labels, ...service.labels },
          Object.keys(serviceAnnotations).length > 0 ? serviceAnnotations : undefined,
        ),
        spec: serviceSpec,
      };
      return patched(object, service.patch, "Service");
    },
    horizontalPodAutoscaler: () => {
      const provider = kubeProvider(spec);
      if (provider === undefined) return notKubernetes();
      const hpa = provider.provider.envoyHpa;
      if (hpa === undefined) return { ok: true, object: undefined };
      return horizontalPodAutoscaler(hpa, meta(hpa.name ?? name, selectorLabels, annotations), provider.deployment?.name ?? name);
    },
    podDisruptionBudget: () => {
      const provider = kubeProvider(spec);
      if (provider === undefined) return notKubernetes();
      const pdb = provider.provider.envoyPDB;
      if (pdb === undefined || (pdb.minAvailable === undefined && pdb.maxUnavailable === undefined && pdb.patch === undefined))
        return { ok: true, object: undefined };
      return podDisruptionBudget(pdb, selectorLabels, pdb.name ?? name, namespace, ownerReferences());
    },
  };
}

/** The pod-identity environment both proxy containers get. */
const podEnv = (): Record<string, unknown>[] => [
  { name: "ENVOY_POD_NAMESPACE", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } } },
  { name: "ENVOY_POD_NAME", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "metadata.name" } } },
  { name: "ENVOY_SERVICE_ZONE", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "metadata.annotations['topology.kubernetes.io/zone']" } } },
];

type Shutdown = EnvoyProxySpecView["shutdown"];

function terminationGracePeriodSeconds(shutdown: Shutdown): number | undefined {
  if (shutdown?.drainTimeout === undefined) return 360;
  const seconds = durationSeconds(shutdown.drainTimeout);
  return seconds === undefined ? undefined : Math.trunc(seconds + 300);
}

function shutdownManagerArgs(shutdown: Shutdown): string[] | undefined {
  const args = ["envoy", "shutdown-manager"];
  if (shutdown?.drainTimeout === undefined) return args;
  const seconds = durationSeconds(shutdown.drainTimeout);
  return seconds === undefined ? undefined : [...args, `--ready-timeout=${formatWhole(seconds + 10)}s`];
}

function shutdownPreStopCommand(shutdown: Shutdown): string[] | undefined {
  const command = ["envoy-gateway", "envoy", "shutdown"];
  if (shutdown === undefined) return command;
  const flags: [string | undefined, (s: number) => string][] = [
    [shutdown.healthCheckFailureDelay, (s) => `--health-check-failure-delay=${goDurationString(s)}`],
    [shutdown.drainTimeout, (s) => `--drain-timeout=${formatWhole(s)}s`],
    [shutdown.minDrainDuration, (s) => `--min-drain-duration=${formatWhole(s)}s`],
  ];
  for (const [value, flag] of flags) {
    if (value === undefined) continue;
    const seconds = durationSeconds(value);
    if (seconds === undefined) return undefined;
    command.push(flag(seconds));
  }
  return command;
}

/** The tag of an image reference (`repo:tag`, digest ignored). */
function imageTag(image: string): string {
  const withoutDigest = image.split("@")[0]!;
  const lastSlash = withoutDigest.lastIndexOf("/");
  const colon = withoutDigest.indexOf(":", lastSlash + 1);
  return colon >= 0 ? withoutDigest.slice(colon + 1) : "latest";
}

const SECRET_TYPE = "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret";

/** SDS file contents: the CA that signs the controller's certificate. */
const sdsCaData = (caPath: string): string =>
  JSON.stringify({
    resources: [
      {
        "@type": SECRET_TYPE,
        name: "xds_trusted_ca",
        validation_context: { trusted_ca: { filename: caPath }, match_typed_subject_alt_names: [{ san_type: "DNS", matcher: { exact: "envoy-gateway" } }] },
      },
    ],
  });
/** SDS file contents: the proxy's client certificate and key. */
const sdsCertData = (certPath: string, keyPath: string): string =>
  JSON.stringify({
    resources: [
      { "@type": SECRET_TYPE, name: "xds_certificate", tls_certificate: { certificate_chain: { filename: certPath }, private_key: { filename: keyPath } } },
    ],
  });
/** SDS file contents: the service account token sent as a bearer credential (gateway-namespace mode). */
const sdsServiceAccountTokenData = (tokenPath: string): string =>
  JSON.stringify({ resources: [{ "@type": SECRET_TYPE, name: "jwt-sa-bearer", generic_secret: { secret: { filename: tokenPath } } }] });
