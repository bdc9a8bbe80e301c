/**
 * The controller's side of Envoy Gateway's extension server protocol: connects the extension managers of an
 * EnvoyGateway configuration (`extensionManager` / `extensionManagers`) over gRPC (plaintext, TLS or mTLS,
 * with upstream's retry policy and `maxMessageSize`) and exposes them as `@egts/xds-translator` extension hooks
 * for `translateXdsWithExtensions`.
 *
 * @packageDocumentation
 */
export {
  connectExtensionManager,
  connectExtensionManagers,
  extensionManagersOf,
  extensionServiceAddress,
  rpcErrorOf,
  translationSelectionOf,
  EXTENSION_SERVICE_NAME,
  type ExtensionClient,
  type ExtensionClientOptions,
  type SecretData,
} from "./ExtensionClient.js";
export { goDurationSeconds, grpcServiceConfig, parseQuantity } from "./internal/Config.js";
export { stableJson } from "./internal/StableJson.js";
