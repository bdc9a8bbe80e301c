import type { Resources } from "@egts/api";

/** `?resource=` values of /api/config_dump (upstream's console) and the Resources lists each selects. */
const listsByFilter: Readonly<Record<string, ReadonlyArray<keyof Resources>>> = {
  gatewayclass: ["gatewayClass"],
  gateway: ["gateways"],
  httproute: ["httpRoutes"],
  grpcroute: ["grpcRoutes"],
  tlsroute: ["tlsRoutes"],
  tcproute: ["tcpRoutes"],
  udproute: ["udpRoutes"],
  clienttrafficpolicy: ["clientTrafficPolicies"],
  backendtrafficpolicy: ["backendTrafficPolicies"],
  backendtlspolicy: ["backendTLSPolicies"],
  securitypolicy: ["securityPolicies"],
  envoypatchpolicy: ["envoyPatchPolicies"],
  envoyextensionpolicy: ["envoyExtensionPolicies"],
  service: ["services"],
  secret: ["secrets"],
  configmap: ["configMaps"],
  namespace: ["namespaces"],
  endpointslice: ["endpointSlices"],
  referencegrant: ["referenceGrants"],
  httproutefilter: ["httpFilters"],
  envoyproxy: ["envoyProxyForGatewayClass", "envoyProxiesForGateways"],
  backend: ["backends"],
  serviceimport: ["serviceImports"],
};

/** Every value `?resource=` accepts, sorted. */
export const resourceFilters: ReadonlyArray<string> = ["all", ...Object.keys(listsByFilter)].sort();

// "[redacted]" as upstream writes it in place of every Secret value (bytes, so base64 in JSON).
const REDACTED = Buffer.from("[redacted]").toString("base64");

// kubectl keeps the whole object, values included, in this annotation.
const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

const redactValues = (values: Record<string, unknown> | undefined, placeholder: string) =>
  values === undefined || values === null || typeof values !== "object" ? values : Object.fromEntries(Object.keys(values).map((k) => [k, placeholder]));

/** A Secret with every value replaced: `data`, `stringData` and kubectl's last-applied copy of the object. */
export function redactSecret<T>(secret: T): T {
  const s = secret as { data?: Record<string, unknown>; stringData?: Record<string, unknown>; metadata?: { annotations?: Record<string, string> } };
  const annotations = s.metadata?.annotations;
  return {
    ...secret,
    ...(s.data !== undefined ? { data: redactValues(s.data, REDACTED) } : {}),
    ...(s.stringData !== undefined ? { stringData: redactValues(s.stringData, "[redacted]") } : {}),
    ...(annotations?.[LAST_APPLIED] !== undefined ? { metadata: { ...s.metadata, annotations: { ...annotations, [LAST_APPLIED]: "[redacted]" } } } : {}),
  };
}

function redactSecrets(resources: Resources): Resources {
  return { ...resources, secrets: resources.secrets.map(redactSecret) };
}

/**
 * The provider resources dump of upstream's console (`/api/config_dump?resource=...`): `all` gives every
 * GatewayClass bundle, a kind gives that kind's objects across bundles. Secret values are redacted.
 * Returns undefined for a filter it does not know.
 */
export function dumpResources(
  bundles: ReadonlyArray<Resources>,
  filter: string,
): { readonly resources: ReadonlyArray<unknown>; readonly totalCount: number } | undefined {
  if (filter === "all") {
    const resources = bundles.map(redactSecrets);
    return { resources, totalCount: resources.length };
  }
  const lists = listsByFilter[filter];
  if (lists === undefined) return undefined;
  const resources: unknown[] = [];
  for (const bundle of bundles) {
    const source = filter === "secret" ? redactSecrets(bundle) : bundle;
    for (const list of lists) {
      const value = source[list];
      if (Array.isArray(value)) resources.push(...(value as unknown[]));
      else if (value !== undefined) resources.push(value);
    }
  }
  return { resources, totalCount: resources.length };
}
