import type { JsonPatchOperation } from "@egts/bootstrap";

/** Loosely typed views of the EnvoyProxy and EnvoyGateway settings the renderers read (JSON as written by users). */

/** Any JSON object. */
export type JsonObject = Record<string, unknown>;

/** A KubernetesPatchSpec. */
export interface PatchView {
  readonly type?: string;
  readonly value: unknown;
}

/** KubernetesPodSpec. */
export interface PodView {
  readonly annotations?: Record<string, string>;
  readonly labels?: Record<string, string>;
  readonly securityContext?: JsonObject;
  readonly affinity?: JsonObject;
  readonly tolerations?: unknown[];
  readonly volumes?: JsonObject[];
  readonly imagePullSecrets?: unknown[];
  readonly nodeSelector?: Record<string, string>;
  readonly topologySpreadConstraints?: unknown[];
  readonly priorityClassName?: string;
}

/** KubernetesContainerSpec. */
export interface ContainerView {
  readonly env?: JsonObject[];
  readonly resources?: JsonObject;
  readonly securityContext?: JsonObject;
  readonly image?: string;
  readonly imageRepository?: string;
  readonly volumeMounts?: JsonObject[];
}

/** KubernetesDeploymentSpec / KubernetesDaemonSetSpec. */
export interface WorkloadView {
  readonly patch?: PatchView;
  readonly replicas?: number;
  readonly strategy?: JsonObject;
  readonly pod?: PodView;
  readonly container?: ContainerView;
  readonly initContainers?: unknown[];
  readonly name?: string;
}

/** KubernetesServiceSpec. */
export interface ServiceView {
  readonly annotations?: Record<string, string>;
  readonly labels?: Record<string, string>;
  readonly type?: string;
  readonly loadBalancerClass?: string;
  readonly allocateLoadBalancerNodePorts?: boolean;
  readonly loadBalancerSourceRanges?: string[];
  readonly loadBalancerIP?: string;
  readonly externalTrafficPolicy?: string;
  readonly patch?: PatchView;
  readonly name?: string;
}

/** KubernetesHorizontalPodAutoscalerSpec. */
export interface HpaView {
  readonly minReplicas?: number;
  readonly maxReplicas?: number;
  readonly metrics?: unknown[];
  readonly behavior?: JsonObject;
  readonly patch?: PatchView;
  readonly name?: string;
}

/** KubernetesPodDisruptionBudgetSpec. */
export interface PdbView {
  readonly minAvailable?: number | string;
  readonly maxUnavailable?: number | string;
  readonly patch?: PatchView;
  readonly name?: string;
}

/** EnvoyProxyKubernetesProvider. */
export interface KubeProviderView {
  readonly envoyDeployment?: WorkloadView;
  readonly envoyDaemonSet?: WorkloadView;
  readonly envoyService?: ServiceView;
  readonly envoyHpa?: HpaView;
  readonly envoyPDB?: PdbView;
  readonly envoyServiceAccount?: { readonly name?: string };
}

/** The EnvoyProxy spec fields the proxy renderer reads. */
export interface EnvoyProxySpecView {
  readonly provider?: { readonly type?: string; readonly kubernetes?: KubeProviderView };
  readonly logging?: { readonly level?: Record<string, string> };
  readonly concurrency?: number;
  readonly extraArgs?: string[];
  readonly shutdown?: { readonly drainTimeout?: string; readonly minDrainDuration?: string; readonly healthCheckFailureDelay?: string };
  readonly ipFamily?: "IPv4" | "IPv6" | "DualStack";
  readonly telemetry?: { readonly metrics?: JsonObject };
  readonly bootstrap?: { readonly type?: string; readonly value?: string; readonly jsonPatches?: JsonPatchOperation[] };
}

/** The EnvoyGateway's rate-limit settings. */
export interface RateLimitView {
  readonly backend?: {
    readonly type?: string;
    readonly redis?: {
      readonly url?: string;
      readonly urlRef?: { readonly secretKeyRef?: JsonObject };
      readonly tls?: { readonly certificateRef?: { readonly name: string } };
    };
  };
  readonly telemetry?: {
    readonly metrics?: { readonly prometheus?: { readonly disable?: boolean } };
    readonly tracing?: { readonly samplingRate?: number; readonly provider?: { readonly url?: string } };
  };
}

/** The EnvoyGateway configuration fields the renderers read. */
export interface EnvoyGatewayView {
  readonly provider?: {
    readonly type?: string;
    readonly custom?: { readonly resource?: { readonly type?: string } };
    readonly kubernetes?: {
      readonly rateLimitDeployment?: WorkloadView;
      readonly rateLimitHpa?: HpaView;
      readonly rateLimitPDB?: PdbView;
      readonly deploy?: { readonly type?: string };
      readonly shutdownManager?: { readonly image?: string };
      readonly proxyTopologyInjector?: { readonly disable?: boolean };
    };
  };
  readonly rateLimit?: RateLimitView;
}
