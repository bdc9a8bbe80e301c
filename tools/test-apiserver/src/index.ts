/**
 * A Kubernetes API server TEST DOUBLE for egts's tests: real HTTP, in-memory state, the API subset
 * `@kubernetes/client-node` and the Kubernetes provider use, and fault injection (dropped watches, 410,
 * restarts, conflicts, slow responses). It is not a kube-apiserver and is never shipped.
 *
 * @packageDocumentation
 */
export type { ServedKind } from "./Kinds.js";
export { allKinds, apiVersionOf, builtinKinds, envoyGatewayKinds, gatewayApiKinds, serviceImportKind } from "./Kinds.js";
export type { ConflictRule, RequestRecord, StoredObject, TestApiServerOptions } from "./TestApiServer.js";
export { TestApiServer } from "./TestApiServer.js";
