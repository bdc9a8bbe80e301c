import { knownKinds, openAPISchemaOf } from "./Kinds.js";

/** Lower-case plural of a kind, as the Gateway API and Envoy Gateway CRDs name their resources. */
export function pluralOf(kind: string): string {
  const lower = kind.toLowerCase();
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  if (lower.endsWith("s")) return `${lower}es`;
  return `${lower}s`;
}

/**
 * CustomResourceDefinitions (apiextensions.k8s.io/v1) for every Gateway API and gateway.envoyproxy.io kind
 * egts knows, generated from the same schemas the loader validates with, so what an API server admits and what
 * egts accepts cannot drift. Every version is served; the storage version is the one the schemas mark.
 */
export function customResourceDefinitions(): ReadonlyArray<Record<string, unknown>> {
  const byKind = new Map<string, ReturnType<typeof knownKinds>[number][]>();
  for (const k of knownKinds()) {
    if (k.origin === "core" || !k.hasMetadata) continue;
    const key = `${k.group}/${k.kind}`;
    byKind.set(key, [...(byKind.get(key) ?? []), k]);
  }
  return [...byKind.values()].map((versions) => {
    const first = versions[0]!;
    const plural = pluralOf(first.kind);
    const hasStatus = versions.some((v) => {
      const schema = openAPISchemaOf(v.apiVersion, v.kind) as { properties?: Record<string, unknown> } | undefined;
      return schema?.properties?.["status"] !== undefined;
    });
    return {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: `${plural}.${first.group}` },
      spec: {
        group: first.group,
        names: { kind: first.kind, listKind: `${first.kind}List`, plural, singular: first.kind.toLowerCase() },
        scope: first.namespaced ? "Namespaced" : "Cluster",
        versions: versions.map((v) => ({
          name: v.version,
          served: true,
          storage: v.storage,
          schema: { openAPIV3Schema: openAPISchemaOf(v.apiVersion, v.kind) },
          ...(hasStatus ? { subresources: { status: {} } } : {}),
        })),
      },
    };
  });
}
