/** A reference from an object to the object that owns it (metadata.ownerReferences[]). */
export interface OwnerReference {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly uid: string;
}

/** The metadata of a rendered object. */
export interface ObjectMeta {
  readonly name: string;
  readonly namespace: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly ownerReferences?: ReadonlyArray<OwnerReference>;
}

/**
 * A Kubernetes object as infra-k8s renders it: its JSON form, ready to send to the API server (field names as in
 * the API; fields other than the metadata stay loosely typed, since users' patches may set any of them).
 */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: ObjectMeta;
  readonly [field: string]: unknown;
}

/** The kinds of objects infra-k8s renders. */
export type InfraObjectKind = "ServiceAccount" | "ConfigMap" | "Deployment" | "DaemonSet" | "Service" | "HorizontalPodAutoscaler" | "PodDisruptionBudget";

/**
 * One render: the object, `undefined` when the configuration asks for none (no HPA, a DaemonSet instead of a
 * Deployment...), or an error naming what is wrong.
 */
export type RenderResult = { readonly ok: true; readonly object: KubeObject | undefined } | { readonly ok: false; readonly error: string };
