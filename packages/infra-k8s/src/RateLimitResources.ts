import type { KubeObject, OwnerReference, RenderResult } from "./KubeObjects.js";
import {
  DEFAULT_RATE_LIMIT_IMAGE,
  amendByName,
  compact,
  defaultSecurityContext,
  expectedServiceSpec,
  horizontalPodAutoscaler,
  httpProbe,
  patched,
  podDisruptionBudget,
  resolveHpa,
  resolveWorkload,
  type ResolvedWorkload,
} from "./internal/Common.js";
import { statsdMappingYaml } from "./internal/StatsdMapping.js";
import type { EnvoyGatewayView, HpaView, JsonObject, PdbView, RateLimitView } from "./internal/Views.js";

/** Name of the rate-limit objects. */
export const RATE_LIMIT_NAME = "envoy-ratelimit";
/** gRPC port of the rate-limit service. */
export const RATE_LIMIT_GRPC_PORT = 8081;
const PROMETHEUS_PORT = 19001;
const READINESS_PORT = 8080;

/** What the rate-limit renderer needs: the EnvoyGateway configuration, the namespace, the owners' UIDs by kind. */
export interface RateLimitRenderContext {
  readonly envoyGateway: EnvoyGatewayView;
  /** The controller's namespace, where the rate-limit service runs. */
  readonly namespace: string;
  /** UIDs of the controller's own `Deployment`, `Service` and `ServiceAccount`, the rate-limit objects' owners. */
  readonly ownerReferenceUIDs?: Readonly<Record<string, string>>;
}

/** Renders the global rate-limit service's objects (upstream ratelimit.ResourceRender). */
export interface RateLimitRenderer {
  readonly name: string;
  readonly namespace: string;
  readonly selectorLabels: Readonly<Record<string, string>>;
  readonly serviceAccount: () => RenderResult;
  /** The statsd-exporter mapping ConfigMap, or undefined when Prometheus metrics are disabled. */
  readonly configMap: () => RenderResult;
  readonly deployment: () => RenderResult;
  readonly service: () => RenderResult;
  readonly horizontalPodAutoscaler: () => RenderResult;
  readonly podDisruptionBudget: () => RenderResult;
}

/** Labels every rate-limit object carries. */
export const rateLimitLabels = (): Record<string, string> => ({
  "app.kubernetes.io/name": RATE_LIMIT_NAME,
  "app.kubernetes.io/component": "ratelimit",
  "app.kubernetes.io/managed-by": "envoy-gateway",
});

/** The URL the proxies' rate-limit filter dials: `grpc://envoy-ratelimit.<ns>.svc.<domain>:8081`. */
export const rateLimitServiceURL = (namespace: string, dnsDomain: string): string =>
  `grpc://${RATE_LIMIT_NAME}.${namespace}.svc.${dnsDomain}:${RATE_LIMIT_GRPC_PORT}`;

const prometheusEnabled = (rateLimit: RateLimitView | undefined): boolean => rateLimit?.telemetry?.metrics?.prometheus?.disable !== true;

/** Creates the rate-limit renderer; the EnvoyGateway must configure `rateLimit`. */
export function rateLimitRenderer(context: RateLimitRenderContext): RateLimitRenderer {
  const eg = context.envoyGateway;
  const rateLimit: RateLimitView = eg.rateLimit ?? {};
  const kube = eg.provider?.kubernetes ?? {};
  const workload = resolveWorkload(kube.rateLimitDeployment ?? {}, DEFAULT_RATE_LIMIT_IMAGE);
  const hpa: HpaView | undefined = kube.rateLimitHpa !== undefined ? resolveHpa(kube.rateLimitHpa) : undefined;
  const pdb: PdbView | undefined = kube.rateLimitPDB;
  const namespace = context.namespace;
  const owner = (kind: string, apiVersion: string): OwnerReference[] | undefined => {
    const uid = context.ownerReferenceUIDs?.[kind];
    return uid === undefined ? undefined : [{ kind, apiVersion, name: "envoy-gateway", uid }];
  };
  const deploymentOwner = () => owner("Deployment", "apps/v1");
  const metrics = prometheusEnabled(rateLimit);

  return {
    name: RATE_LIMIT_NAME,
    namespace,
    selectorLabels: rateLimitLabels(),
    serviceAccount: () => ({
      ok: true,
      object: {
        apiVersion: "v1",
        kind: "ServiceAccount",
        metadata: compact({ name: RATE_LIMIT_NAME, namespace, labels: rateLimitLabels(), ownerReferences: owner("ServiceAccount", "v1") }),
        automountServiceAccountToken: false,
      },
    }),
    configMap: () =>
      metrics
        ? {
            ok: true,
            object: {
              apiVersion: "v1",
              kind: "ConfigMap",
              metadata: compact({ name: "statsd-exporter-config", namespace, labels: rateLimitLabels(), ownerReferences: deploymentOwner() }),
              data: { "conf.yaml": statsdMappingYaml() },
            },
          }
        : { ok: true, object: undefined },
    service: () => {
      const spec = expectedServiceSpec({ type: "ClusterIP" });
      spec["ports"] = [
        { name: "http", protocol: "TCP", port: RATE_LIMIT_GRPC_PORT, targetPort: RATE_LIMIT_GRPC_PORT },
        ...(metrics ? [{ name: "metrics", protocol: "TCP", port: PROMETHEUS_PORT, targetPort: PROMETHEUS_PORT }] : []),
      ];
      spec["selector"] = rateLimitLabels();
      return {
        ok: true,
        object: {
          apiVersion: "v1",
          kind: "Service",
          metadata: compact({ name: RATE_LIMIT_NAME, namespace, labels: rateLimitLabels(), ownerReferences: owner("Service", "v1") }),
          spec,
        },
      };
    },
    deployment: () => {
      const pod = workload.pod;
      const podLabels = pod.labels !== undefined ? { ...rateLimitLabels(), ...pod.labels, ...rateLimitLabels() } : rateLimitLabels();
      let podAnnotations: Record<string, string> | undefined = metrics
        ? { "prometheus.io/path": "/metrics", "prometheus.io/port": String(PROMETHEUS_PORT), "prometheus.io/scrape": "true" }
        : undefined;
      if (pod.annotations !== undefined) podAnnotations = { ...podAnnotations, ...pod.annotations };
      const object: KubeObject = {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: compact({ name: workload.name ?? RATE_LIMIT_NAME, namespace, labels: rateLimitLabels(), ownerReferences: deploymentOwner() }),
        spec: compact({
          replicas: hpa !== undefined ? undefined : workload.replicas,
          strategy: workload.strategy,
          selector: { matchLabels: rateLimitLabels() },
          template: {
            metadata: compact({ labels: podLabels, annotations: podAnnotations }),
            spec: compact({
              containers: [container(rateLimit, workload, namespace)],
              serviceAccountName: RATE_LIMIT_NAME,
              automountServiceAccountToken: false,
              terminationGracePeriodSeconds: 300,
              dnsPolicy: "ClusterFirst",
              restartPolicy: "Always",
              schedulerName: "default-scheduler",
              securityContext: pod.securityContext,
              volumes: volumes(rateLimit, workload),
              affinity: pod.affinity,
              tolerations: pod.tolerations,
              imagePullSecrets: pod.imagePullSecrets,
              nodeSelector: pod.nodeSelector,
              topologySpreadConstraints: pod.topologySpreadConstraints,
            }),
          },
          revisionHistoryLimit: 10,
          progressDeadlineSeconds: 600,
        }),
      };
      return patched(object, workload.patch, "Deployment");
    },
    horizontalPodAutoscaler: () => {
      if (hpa === undefined) return { ok: true, object: undefined };
      const meta = compact({ name: hpa.name ?? RATE_LIMIT_NAME, namespace, labels: rateLimitLabels(), ownerReferences: deploymentOwner() });
      return horizontalPodAutoscaler(hpa, meta, workload.name ?? RATE_LIMIT_NAME);
    },
    podDisruptionBudget: () => {
      if (pdb === undefined) return { ok: true, object: undefined };
      return podDisruptionBudget(pdb, rateLimitLabels(), pdb.name ?? RATE_LIMIT_NAME, namespace, deploymentOwner());
    },
  };
}

function container(rateLimit: RateLimitView, workload: ResolvedWorkload, namespace: string): JsonObject {
  const metrics = prometheusEnabled(rateLimit);
  const redisTls = rateLimit.backend?.redis?.tls;
  const mounts: JsonObject[] = [
    { name: "certs", mountPath: "/certs", readOnly: true },
    ...(metrics ? [{ name: "statsd-exporter-config", mountPath: "/etc/statsd-exporter", readOnly: true }] : []),
    ...(redisTls !== undefined ? [{ name: "redis-certs", mountPath: "/redis-certs", readOnly: true }] : []),
  ];
  return compact({
    name: RATE_LIMIT_NAME,
    image: workload.container.image,
    imagePullPolicy: "IfNotPresent",
    command: ["/bin/ratelimit"],
    env: amendByName(environment(rateLimit, namespace), workload.container.env),
    ports: [
      { name: "grpc", containerPort: RATE_LIMIT_GRPC_PORT, protocol: "TCP" },
      ...(metrics ? [{ name: "metrics", containerPort: PROMETHEUS_PORT, protocol: "TCP" }] : []),
    ],
    resources: workload.container.resources,
    securityContext: workload.container.securityContext ?? defaultSecurityContext(65534, true),
    volumeMounts: amendByName(mounts, workload.container.volumeMounts),
    terminationMessagePolicy: "File",
    terminationMessagePath: "/dev/termination-log",
    startupProbe: httpProbe("/healthcheck", READINESS_PORT, 10, 30),
    readinessProbe: httpProbe("/healthcheck", READINESS_PORT, 5, 1),
    livenessProbe: httpProbe("/healthcheck", READINESS_PORT, 10, 3),
  });
}

function volumes(rateLimit: RateLimitView, workload: ResolvedWorkload): JsonObject[] {
  const certificateRef = rateLimit.backend?.redis?.tls?.certificateRef;
  const list: JsonObject[] = [
    ...(certificateRef !== undefined ? [{ name: "redis-certs", secret: { secretName: certificateRef.name, defaultMode: 420 } }] : []),
    { name: "certs", secret: { secretName: "envoy-rate-limit", defaultMode: 420 } },
    ...(prometheusEnabled(rateLimit)
      ? [{ name: "statsd-exporter-config", configMap: { name: "statsd-exporter-config", optional: true, defaultMode: 420 } }]
      : []),
  ];
  return amendByName(list, workload.pod.volumes);
}

const value = (name: string, v: string) => ({ name, value: v });

function environment(rateLimit: RateLimitView, namespace: string): JsonObject[] {
  const env: JsonObject[] = [
    value("RUNTIME_ROOT", "/data"),
    value("RUNTIME_SUBDIRECTORY", "ratelimit"),
    value("RUNTIME_IGNOREDOTFILES", "true"),
    value("RUNTIME_WATCH_ROOT", "false"),
    value("LOG_LEVEL", "info"),
    value("USE_STATSD", "false"),
    value("CONFIG_TYPE", "GRPC_XDS_SOTW"),
    value("CONFIG_GRPC_XDS_SERVER_URL", "envoy-gateway:18001"),
    value("CONFIG_GRPC_XDS_NODE_ID", RATE_LIMIT_NAME),
    value("GRPC_SERVER_USE_TLS", "true"),
    value("GRPC_SERVER_TLS_CERT", "/certs/tls.crt"),
    value("GRPC_SERVER_TLS_KEY", "/certs/tls.key"),
    value("GRPC_SERVER_TLS_CA_CERT", "/certs/ca.crt"),
    value("CONFIG_GRPC_XDS_SERVER_USE_TLS", "true"),
    value("CONFIG_GRPC_XDS_CLIENT_TLS_CERT", "/certs/tls.crt"),
    value("CONFIG_GRPC_XDS_CLIENT_TLS_KEY", "/certs/tls.key"),
    value("CONFIG_GRPC_XDS_SERVER_TLS_CACERT", "/certs/ca.crt"),
    value("FORCE_START_WITHOUT_INITIAL_CONFIG", "true"),
  ];
  const redis = rateLimit.backend?.redis;
  if (redis !== undefined) {
    const url: JsonObject = { name: "REDIS_URL" };
    if (redis.urlRef !== undefined) url["valueFrom"] = { secretKeyRef: redis.urlRef.secretKeyRef };
    else if (redis.url !== undefined) url["value"] = redis.url;
    env.push(value("REDIS_SOCKET_TYPE", "tcp"), url);
    if (redis.tls !== undefined) {
      env.push(value("REDIS_TLS", "true"));
      if (redis.tls.certificateRef !== undefined)
        env.push(value("REDIS_TLS_CLIENT_CERT", "/redis-certs/tls.crt"), value("REDIS_TLS_CLIENT_KEY", "/redis-certs/tls.key"));
    }
  }
  if (prometheusEnabled(rateLimit)) {
    env.push(value("USE_PROMETHEUS", "true"), value("PROMETHEUS_ADDR", ":19001"), value("PROMETHEUS_MAPPER_YAML", "/etc/statsd-exporter/conf.yaml"));
  }
  const tracing = rateLimit.telemetry?.tracing;
  const url = tracing?.provider?.url;
  if (url !== undefined && url.length > 0) {
    const rate = tracing?.samplingRate !== undefined ? tracing.samplingRate / 100 : 1;
    env.push(
      value("TRACING_ENABLED", "true"),
      value("TRACING_SERVICE_NAME", RATE_LIMIT_NAME),
      value("TRACING_SERVICE_NAMESPACE", namespace),
      { name: "TRACING_SERVICE_INSTANCE_ID", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "metadata.name" } } },
      value("TRACING_SAMPLING_RATE", rate.toFixed(1)),
      value("OTEL_EXPORTER_OTLP_ENDPOINT", url.startsWith("http://") ? url : `http://${url}`),
    );
  }
  return env;
}
