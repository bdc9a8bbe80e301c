/**
 * The applier's store over @kubernetes/client-node, as a separate entry point (`@egts/infra-k8s/client-node`) so
 * that the renderers can be imported without the Kubernetes client.
 *
 * @packageDocumentation
 */
export { clientNodeObjectStore } from "./ClientNodeStore.js";
