import type { Metadata } from "@egts/envoy-api/generated/envoy/config/core/v3/base";
import type { MapEntry, PolicyMetadata, ResourceMetadata } from "@egts/ir";

/** The filter metadata namespace under which Envoy Gateway records which resources produced an xDS object. */
export const ENVOY_GATEWAY_METADATA_NAMESPACE = "envoy-gateway";

const entriesToObject = (entries: readonly MapEntry[]): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const e of entries) out[e.key] = e.value;
  return out;
};

function resourceValue(md: ResourceMetadata): Record<string, unknown> {
  const out: Record<string, unknown> = { kind: md.kind ?? "", name: md.name ?? "", namespace: md.namespace ?? "" };
  if (md.annotations !== undefined && md.annotations.length > 0) out["annotations"] = entriesToObject(md.annotations);
  if (md.sectionName !== undefined && md.sectionName !== "") out["sectionName"] = md.sectionName;
  return out;
}

const policyValue = (p: PolicyMetadata): Record<string, unknown> => ({
  kind: p.kind ?? "",
  name: p.name ?? "",
  namespace: p.namespace ?? "",
});

/** The `envoy-gateway` filter metadata of a listener, route, virtual host or cluster; undefined without metadata. */
export function buildXdsMetadata(md: ResourceMetadata | undefined): Metadata | undefined {
  if (md === undefined) return undefined;
  const fields: Record<string, unknown> = { resources: [resourceValue(md)] };
  if (md.policies !== undefined && md.policies.length > 0) fields["policies"] = md.policies.map(policyValue);
  return { filterMetadata: { [ENVOY_GATEWAY_METADATA_NAMESPACE]: fields }, typedFilterMetadata: {} };
}
