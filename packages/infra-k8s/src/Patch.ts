import { jsonMergePatch, strategicMerge, type ListMergeRule, type MergeRules } from "./internal/StrategicMerge.js";

/** An EnvoyProxy/EnvoyGateway `patch` (upstream KubernetesPatchSpec): a merge type and the patch as parsed JSON. */
export interface KubernetesPatchSpec {
  /** `StrategicMerge` (the default) or `JSONMerge`. */
  readonly type?: string;
  readonly value: unknown;
}

/** The kinds whose strategic-merge rules are known (the objects infra-k8s renders). */
export type PatchableKind = "Deployment" | "DaemonSet" | "Service" | "ServiceAccount" | "ConfigMap" | "HorizontalPodAutoscaler" | "PodDisruptionBudget";

// Merging lists of the core/v1 types, from their `patchStrategy:"merge"` / `patchMergeKey` tags.
const objectMeta: [string, ListMergeRule][] = [
  ["metadata.ownerReferences", { mergeKey: "uid" }],
  ["metadata.finalizers", {}],
];
const containerLists: [string, ListMergeRule][] = [
  ["ports", { mergeKey: "containerPort" }],
  ["env", { mergeKey: "name" }],
  ["volumeMounts", { mergeKey: "mountPath" }],
  ["volumeDevices", { mergeKey: "devicePath" }],
];
function podSpec(prefix: string): [string, ListMergeRule][] {
  const rules: [string, ListMergeRule][] = [
    [`${prefix}.volumes`, { mergeKey: "name" }],
    [`${prefix}.imagePullSecrets`, { mergeKey: "name" }],
    [`${prefix}.hostAliases`, { mergeKey: "ip" }],
    [`${prefix}.topologySpreadConstraints`, { mergeKey: "topologyKey" }],
    [`${prefix}.schedulingGates`, { mergeKey: "name" }],
    [`${prefix}.resourceClaims`, { mergeKey: "name" }],
  ];
  for (const list of ["containers", "initContainers", "ephemeralContainers"]) {
    rules.push([`${prefix}.${list}`, { mergeKey: "name" }]);
    for (const [field, rule] of containerLists) rules.push([`${prefix}.${list}.${field}`, rule]);
  }
  return rules;
}
const workload: [string, ListMergeRule][] = [
  ...objectMeta,
  ...objectMeta.map(([path, rule]): [string, ListMergeRule] => [`spec.template.${path}`, rule]),
  ...podSpec("spec.template.spec"),
  ["status.conditions", { mergeKey: "type" }],
];

const rulesByKind: Readonly<Record<PatchableKind, MergeRules>> = {
  Deployment: new Map(workload),
  DaemonSet: new Map(workload),
  Service: new Map([...objectMeta, ["spec.ports", { mergeKey: "port" }], ["status.conditions", { mergeKey: "type" }]]),
  ServiceAccount: new Map([...objectMeta, ["secrets", { mergeKey: "name" }]]),
  ConfigMap: new Map(objectMeta),
  HorizontalPodAutoscaler: new Map(objectMeta),
  PodDisruptionBudget: new Map([...objectMeta, ["status.conditions", { mergeKey: "type" }]]),
};

/** The outcome of applying a patch: the patched object, or why the patch cannot be applied. */
export type PatchResult<T> = { readonly ok: true; readonly object: T } | { readonly ok: false; readonly error: string };

/**
 * Applies a user's patch to a rendered object as upstream does (utils.MergeWithPatch): `StrategicMerge` with the
 * Kubernetes strategic-merge rules of `kind` (containers merge by name, env by name, ports by containerPort,
 * volumes by name, `$patch` directives...), or `JSONMerge` (RFC 7386). No patch: the object as is.
 */
export function applyPatch<T>(object: T, patch: KubernetesPatchSpec | undefined, kind: PatchableKind): PatchResult<T> {
  if (patch === undefined) return { ok: true, object };
  const type = patch.type ?? "StrategicMerge";
  try {
    switch (type) {
      case "StrategicMerge":
        return { ok: true, object: strategicMerge(object, patch.value, rulesByKind[kind]) as T };
      case "JSONMerge":
        return { ok: true, object: jsonMergePatch(object, patch.value) as T };
      default:
        return { ok: false, error: `unsupported merge type: ${type}` };
    }
  } catch (error) {
    return { ok: false, error: `error during ${type === "JSONMerge" ? "JSON merge" : "strategic merge"}: ${(error as Error).message}` };
  }
}
