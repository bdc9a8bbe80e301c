/**
 * A reference Envoy Gateway extension server built on `@egts/extension-server`: the behaviour of upstream's
 * examples/extension-server, as handlers you can run (`egts-extension-server`) or compose into your own server.
 *
 * @packageDocumentation
 */
export { exampleHandlers, htpasswd, inferencePoolClusterName, EXAMPLE_GROUP, INFERENCE_POOL_API_VERSION, type ExampleLog } from "./ExampleHandlers.js";
export { parseServerArgs, type ServerArgs } from "./Args.js";
