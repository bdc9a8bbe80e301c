// Names derived from Gateways (upstream internal/utils/naming).

/** The Envoy service name upstream uses for tracing: "<gateway>.<namespace>". */
export function envoyServiceName(namespace: string, name: string): string {
  return `${name}.${namespace}`;
}
