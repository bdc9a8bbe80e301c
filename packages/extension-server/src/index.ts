/**
 * Write an Envoy Gateway extension server in TypeScript: implement any of the six hooks of
 * `envoygateway.extension.EnvoyGatewayExtension` on typed Envoy messages and serve them over gRPC (plaintext,
 * TLS or mTLS) with the standard health service. Wire-compatible with upstream Envoy Gateway v1.9's controller.
 *
 * @packageDocumentation
 */
export {
  createExtensionServer,
  parseExtensionResources,
  EXTENSION_SERVICE_NAME,
  type ExtensionServerHandlers,
  type ExtensionServerOptions,
  type ExtensionServerTls,
  type RunningExtensionServer,
} from "./ExtensionServer.js";
export { HealthService, ServingStatus } from "./internal/Health.js";
export type {
  PostClusterModifyRequest,
  PostClusterModifyResponse,
  PostEndpointsModifyRequest,
  PostEndpointsModifyResponse,
  PostHTTPListenerModifyRequest,
  PostHTTPListenerModifyResponse,
  PostRouteModifyRequest,
  PostRouteModifyResponse,
  PostTranslateModifyRequest,
  PostTranslateModifyResponse,
  PostVirtualHostModifyRequest,
  PostVirtualHostModifyResponse,
} from "@egts/envoy-api/generated/envoygateway/extension/service";
export type { ExtensionResource } from "@egts/envoy-api/generated/envoygateway/extension/context";
