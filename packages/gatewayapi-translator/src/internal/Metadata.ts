// IR resource metadata (kind/name/namespace, Envoy Gateway annotations, section name).
import type { ObjectMeta } from "@egts/api";
import type * as ir from "@egts/ir";
import type { Mutable } from "./Mutable.js";

const egAnnotationPrefix = "gateway.envoyproxy.io/";

/** Annotations under the gateway.envoyproxy.io/ prefix, prefix stripped, sorted by key. */
export function egAnnotations(annotations: Readonly<Record<string, string>> | undefined): ir.MapEntry[] | undefined {
  if (annotations === undefined) return undefined;
  const out = Object.entries(annotations)
    .filter(([k]) => k.startsWith(egAnnotationPrefix))
    .map(([k, v]) => ({ key: k.slice(egAnnotationPrefix.length), value: v }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return out.length === 0 ? undefined : out;
}

/** Builds the IR metadata of an object, optionally naming a section of it. */
export function resourceMetadata(kind: string, meta: ObjectMeta, sectionName?: string): Mutable<ir.ResourceMetadata> {
  const out: Mutable<ir.ResourceMetadata> = { kind, name: meta.name, namespace: meta.namespace ?? "" };
  const annotations = egAnnotations(meta.annotations);
  if (annotations !== undefined) out.annotations = annotations;
  if (sectionName !== undefined) out.sectionName = sectionName;
  return out;
}
