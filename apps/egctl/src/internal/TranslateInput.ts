// Input side of `egctl x translate`: manifests -> one Resources bundle, as upstream's loader builds it for the
// command (local validation, CRD defaults, namespaces filled in, and with --add-missing-resources the
// services and EnvoyProxy a quick experiment leaves out).
import {
  formatProblem,
  isBuiltinKubernetesApiVersion,
  loadText,
  resourcesFromObjects,
  type KnownObject,
  type LoadProblem,
  type LoadResult,
  type Resources,
  type Service,
} from "@egts/api";

/** Upstream gives services added or completed for the experiment this cluster IP. */
const DUMMY_CLUSTER_IP = "1.2.3.4";
const DEFAULT_ENVOY_PROXY_NAME = "default-envoy-proxy";
/** Upstream's loader gives objects without a namespace the namespace Envoy Gateway itself runs in. */
const DEFAULT_NAMESPACE = "envoy-gateway-system";

/** The reason a manifest set cannot be translated. */
export class TranslateInputError extends Error {}

/** Problems that stop the command: errors, but not warnings nor built-in Kubernetes kinds egts does not model. */
function isFatal(p: LoadProblem): boolean {
  if (p.code === "warning") return false;
  if (p.code === "unknown-kind") return p.identity.apiVersion === undefined || !isBuiltinKubernetesApiVersion(p.identity.apiVersion);
  return true;
}

interface BackendRefLike {
  readonly group?: string;
  readonly kind?: string;
  readonly name: string;
  readonly namespace?: string;
  readonly port?: number;
}
interface RouteLike {
  readonly metadata: { readonly namespace?: string };
  readonly spec: { readonly rules?: ReadonlyArray<{ readonly backendRefs?: ReadonlyArray<BackendRefLike> }> };
}

/** The Service ports each route's Service backends need, keyed `namespace/name` (upstream's addMissingServices). */
function requiredServices(resources: Resources): Map<string, { namespace: string; name: string; ports: { protocol: string; port: number }[] }> {
  const required = new Map<string, { namespace: string; name: string; ports: { protocol: string; port: number }[] }>();
  const visit = (routes: ReadonlyArray<RouteLike>, protocol: string) => {
    for (const route of routes) {
      for (const rule of route.spec.rules ?? []) {
        for (const ref of rule.backendRefs ?? []) {
          if ((ref.kind ?? "Service") !== "Service" || (ref.group ?? "") !== "" || ref.port === undefined) continue;
          const namespace = ref.namespace ?? route.metadata.namespace ?? DEFAULT_NAMESPACE;
          const key = `${namespace}/${ref.name}`;
          const entry = required.get(key) ?? { namespace, name: ref.name, ports: [] };
          if (!entry.ports.some((p) => p.protocol === protocol && p.port === ref.port)) entry.ports.push({ protocol, port: ref.port });
          required.set(key, entry);
        }
      }
    }
  };
  visit(resources.tcpRoutes as unknown as RouteLike[], "TCP");
  visit(resources.udpRoutes as unknown as RouteLike[], "UDP");
  visit(resources.tlsRoutes as unknown as RouteLike[], "TCP");
  visit(resources.httpRoutes as unknown as RouteLike[], "TCP");
  visit(resources.grpcRoutes as unknown as RouteLike[], "TCP");
  return required;
}

function addMissingResources(resources: Resources, defaultBootstrap: () => string): Resources {
  const services = resources.services.map((s) => (s.spec?.clusterIP ? s : ({ ...s, spec: { ...s.spec, clusterIP: DUMMY_CLUSTER_IP } } as Service)));
  const byKey = new Map(services.map((s, i) => [`${s.metadata.namespace ?? DEFAULT_NAMESPACE}/${s.metadata.name}`, i]));
  for (const [key, need] of [...requiredServices(resources)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const portName = (p: { protocol: string; port: number }) => `${p.protocol}-${p.port}`;
    const index = byKey.get(key);
    if (index === undefined) {
      services.push({
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: need.name, namespace: need.namespace },
        spec: { clusterIP: DUMMY_CLUSTER_IP, ports: need.ports.map((p) => ({ name: portName(p), protocol: p.protocol, port: p.port })) },
      } as unknown as Service);
      continue;
    }
    const provided = services[index]!;
    const have = new Set((provided.spec?.ports ?? []).map((p) => `${p.protocol ?? "TCP"}-${p.port}`));
    const extra = need.ports.filter((p) => !have.has(portName(p))).map((p) => ({ name: portName(p), protocol: p.protocol, port: p.port }));
    if (extra.length > 0) services[index] = { ...provided, spec: { ...provided.spec, ports: [...(provided.spec?.ports ?? []), ...extra] } } as Service;
  }
  let out: Resources = { ...resources, services };
  if (out.envoyProxyForGatewayClass === undefined) {
    if (out.gatewayClass === undefined) throw new TranslateInputError("the GatewayClass resource is required");
    out = {
      ...out,
      envoyProxyForGatewayClass: {
        apiVersion: "gateway.envoyproxy.io/v1alpha1",
        kind: "EnvoyProxy",
        metadata: { name: DEFAULT_ENVOY_PROXY_NAME, namespace: DEFAULT_NAMESPACE },
        // Upstream leaves the type unset, which means Replace.
        spec: { bootstrap: { value: defaultBootstrap() } },
      },
      gatewayClass: {
        ...out.gatewayClass,
        spec: {
          ...out.gatewayClass.spec,
          parametersRef: { group: "gateway.envoyproxy.io", kind: "EnvoyProxy", name: DEFAULT_ENVOY_PROXY_NAME, namespace: DEFAULT_NAMESPACE },
        },
      },
    } as Resources;
  }
  if (out.gatewayClass !== undefined && !out.gatewayClass.spec.controllerName) {
    out = {
      ...out,
      gatewayClass: { ...out.gatewayClass, spec: { ...out.gatewayClass.spec, controllerName: "gateway.envoyproxy.io/gatewayclass-controller" } },
    };
  }
  return out;
}

/**
 * Upstream's loader rebuilds each object from its kind, name, namespace and spec (data for Secrets and
 * ConfigMaps): labels, annotations and any status written in the manifest are not carried into translation.
 */
function asUpstreamLoads(object: KnownObject): KnownObject {
  const { apiVersion, kind, metadata } = object;
  const kept: Record<string, unknown> = {
    apiVersion,
    kind,
    metadata:
      metadata.namespace === undefined || kind === "GatewayClass" || kind === "Namespace"
        ? { name: metadata.name }
        : { name: metadata.name, namespace: metadata.namespace },
  };
  for (const field of ["spec", "data", "stringData", "type"]) {
    const value = (object as unknown as Record<string, unknown>)[field];
    if (value !== undefined) kept[field] = value;
  }
  return kept as unknown as KnownObject;
}

/**
 * Loads the manifests of one `egctl x translate` run into a Resources bundle. Throws {@link TranslateInputError}
 * naming the document and field of the first invalid Gateway API or Envoy Gateway object, as upstream refuses
 * to translate input that fails local validation.
 */
export function loadTranslateInput(
  text: string,
  source: string,
  options: { readonly addMissingResources: boolean; readonly defaultBootstrap: () => string },
): Resources {
  const loaded: LoadResult = loadText(text, source, { applyDefaults: true, validate: true, defaultNamespace: DEFAULT_NAMESPACE });
  const fatal = loaded.problems.filter(isFatal);
  if (fatal.length > 0) throw new TranslateInputError(`unable to unmarshal input: local validation error: ${fatal.map(formatProblem).join("; ")}`);
  const resources = resourcesFromObjects({ objects: loaded.objects.map((o) => ({ object: asUpstreamLoads(o.object) })) });
  return options.addMissingResources ? addMissingResources(resources, options.defaultBootstrap) : resources;
}
