import type { ProxyInfra } from "@egts/ir";
import { desiredObjects, type DesiredObjects, type ObjectRef } from "./Applier.js";
import { proxyRenderer, type ProxyRenderContext } from "./ProxyResources.js";
import { rateLimitRenderer, type RateLimitRenderContext } from "./RateLimitResources.js";

/**
 * Everything one proxy fleet should have in the cluster (ServiceAccount, SDS ConfigMap, Deployment or DaemonSet,
 * Service, HPA, PDB) and what it should not (the workload kind not in use, an HPA or PDB no longer configured).
 * `caCert` goes into the ConfigMap in gateway-namespace mode.
 */
export function proxyDesiredObjects(proxy: ProxyInfra, context: ProxyRenderContext, caCert = ""): DesiredObjects {
  const r = proxyRenderer(proxy, context);
  return desiredObjects(
    [
      ["ServiceAccount", "v1", r.serviceAccount()],
      ["ConfigMap", "v1", r.configMap(caCert)],
      ["Deployment", "apps/v1", r.deployment()],
      ["DaemonSet", "apps/v1", r.daemonSet()],
      ["Service", "v1", r.service()],
      ["HorizontalPodAutoscaler", "autoscaling/v2", r.horizontalPodAutoscaler()],
      ["PodDisruptionBudget", "policy/v1", r.podDisruptionBudget()],
    ],
    r.namespace,
    r.name,
    r.selectorLabels,
  );
}

/** Every object of a proxy fleet by its default names: what to delete when its Gateway goes away. */
export function proxyObjectRefs(
  proxy: ProxyInfra,
  context: ProxyRenderContext,
): { readonly refs: ObjectRef[]; readonly ownerLabels: Readonly<Record<string, string>> } {
  const desired = proxyDesiredObjects(proxy, context);
  const refs = [
    ...desired.objects.map((o) => ({ apiVersion: o.apiVersion, kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name })),
    ...desired.unwanted,
  ];
  return { refs, ownerLabels: desired.ownerLabels };
}

/** Everything the global rate-limit service should have (statsd ConfigMap unless metrics are off, HPA/PDB if set). */
export function rateLimitDesiredObjects(context: RateLimitRenderContext): DesiredObjects {
  const r = rateLimitRenderer(context);
  return desiredObjects(
    [
      ["ServiceAccount", "v1", r.serviceAccount()],
      ["ConfigMap", "v1", r.configMap()],
      ["Deployment", "apps/v1", r.deployment()],
      ["Service", "v1", r.service()],
      ["HorizontalPodAutoscaler", "autoscaling/v2", r.horizontalPodAutoscaler()],
      ["PodDisruptionBudget", "policy/v1", r.podDisruptionBudget()],
    ],
    r.namespace,
    r.name,
    r.selectorLabels,
  );
}
