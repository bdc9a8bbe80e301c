// Structural schemas for the core Kubernetes kinds egts reads, written by hand from the Kubernetes API
// (the fields Envoy Gateway uses are typed; rarely used sub-objects are kept as-is). Upstream's loader does
// not validate these kinds beyond decoding them into Go structs, so only types are checked here.
import type { SchemaNode } from "./schemaTypes.js";

const str: SchemaNode = { type: "string" };
const int: SchemaNode = { type: "integer" };
const bool: SchemaNode = { type: "boolean" };
const loose: SchemaNode = { type: "object", "x-kubernetes-preserve-unknown-fields": true };
const strings: SchemaNode = { type: "array", items: str };
const stringMap: SchemaNode = { type: "object", additionalProperties: str };
const obj = (properties: Record<string, SchemaNode>, required?: string[]): SchemaNode =>
  required ? { type: "object", properties, required } : { type: "object", properties };
const arr = (items: SchemaNode): SchemaNode => ({ type: "array", items });

/** metav1.ObjectMeta as a schema (shared by every kind, CRDs included). */
export const objectMetaSchema: SchemaNode = obj({
  name: str,
  generateName: str,
  namespace: str,
  selfLink: str,
  uid: str,
  resourceVersion: str,
  generation: int,
  creationTimestamp: { type: "string", nullable: true },
  deletionTimestamp: { type: "string", nullable: true },
  deletionGracePeriodSeconds: int,
  labels: stringMap,
  annotations: stringMap,
  ownerReferences: arr(loose),
  finalizers: strings,
  managedFields: arr(loose),
});

const protocol: SchemaNode = { type: "string" };
const top = (properties: Record<string, SchemaNode>, required?: string[]): SchemaNode =>
  obj({ apiVersion: str, kind: str, metadata: objectMetaSchema, ...properties }, required);

const servicePort = obj({ name: str, protocol, appProtocol: str, port: int, targetPort: { "x-kubernetes-int-or-string": true }, nodePort: int }, ["port"]);

/** Schemas of the core kinds, keyed by `apiVersion/kind`. */
export const coreSchemas: ReadonlyMap<string, SchemaNode> = new Map<string, SchemaNode>([
  ["v1/Namespace", top({ spec: obj({ finalizers: strings }), status: loose })],
  [
    "v1/Service",
    top({
      spec: obj({
        type: str,
        clusterIP: str,
        clusterIPs: strings,
        ports: arr(servicePort),
        selector: stringMap,
        externalName: str,
        externalIPs: strings,
        ipFamilies: strings,
        ipFamilyPolicy: str,
        sessionAffinity: str,
        sessionAffinityConfig: loose,
        externalTrafficPolicy: str,
        internalTrafficPolicy: str,
        loadBalancerIP: str,
        loadBalancerClass: str,
        loadBalancerSourceRanges: strings,
        allocateLoadBalancerNodePorts: bool,
        publishNotReadyAddresses: bool,
        healthCheckNodePort: int,
        trafficDistribution: str,
      }),
      status: loose,
    }),
  ],
  [
    "discovery.k8s.io/v1/EndpointSlice",
    top(
      {
        addressType: str,
        endpoints: arr(
          obj(
            {
              addresses: strings,
              conditions: obj({ ready: bool, serving: bool, terminating: bool }),
              hostname: str,
              nodeName: str,
              zone: str,
              hints: loose,
              targetRef: loose,
              deprecatedTopology: stringMap,
            },
            ["addresses"],
          ),
        ),
        ports: arr(obj({ name: str, protocol, port: int, appProtocol: str })),
      },
      ["addressType"],
    ),
  ],
  ["v1/Secret", top({ type: str, data: { type: "object", additionalProperties: { type: "string", format: "byte" } }, stringData: stringMap, immutable: bool })],
  ["v1/ConfigMap", top({ data: stringMap, binaryData: { type: "object", additionalProperties: { type: "string", format: "byte" } }, immutable: bool })],
  [
    "multicluster.x-k8s.io/v1alpha1/ServiceImport",
    top({
      spec: obj({
        ports: arr(obj({ name: str, protocol, appProtocol: str, port: int }, ["port"])),
        ips: strings,
        type: str,
        sessionAffinity: str,
        sessionAffinityConfig: loose,
      }),
      status: loose,
    }),
  ],
  ["certificates.k8s.io/v1beta1/ClusterTrustBundle", top({ spec: obj({ signerName: str, trustBundle: str }, ["trustBundle"]) }, ["spec"])],
  ["certificates.k8s.io/v1alpha1/ClusterTrustBundle", top({ spec: obj({ signerName: str, trustBundle: str }, ["trustBundle"]) }, ["spec"])],
]);

/** Core kinds that are cluster-scoped (their objects carry no namespace). */
export const clusterScopedCoreKinds: ReadonlySet<string> = new Set(["Namespace", "ClusterTrustBundle"]);

/**
 * The EnvoyGateway configuration file's schema: its top-level structure only (nested settings are kept as
 * written). It has no metadata.
 */
export const envoyGatewaySchema: SchemaNode = obj({
  apiVersion: str,
  kind: str,
  gateway: obj({ controllerName: str }),
  provider: loose,
  logging: obj({ level: stringMap, encoder: str }),
  admin: loose,
  telemetry: loose,
  xdsServer: loose,
  rateLimit: loose,
  extensionManager: loose,
  extensionManagers: arr(loose),
  extensionApis: obj({ enableEnvoyPatchPolicy: bool, enableBackend: bool, disableLua: bool, enableLua: bool, enableSDSSecretRef: bool }),
  gatewayAPI: loose,
  runtimeFlags: obj({ enabled: strings, disabled: strings }),
  envoyProxy: loose,
});
