import { Server, ServerCredentials, status, type sendUnaryData, type ServerUnaryCall, type ServiceError } from "@grpc/grpc-js";
import type { ExtensionResource } from "@egts/envoy-api/generated/envoygateway/extension/context";
import {
  EnvoyGatewayExtensionService,
  type EnvoyGatewayExtensionServer,
  type PostClusterModifyRequest,
  PostClusterModifyResponse,
  type PostEndpointsModifyRequest,
  PostEndpointsModifyResponse,
  type PostHTTPListenerModifyRequest,
  PostHTTPListenerModifyResponse,
  type PostRouteModifyRequest,
  PostRouteModifyResponse,
  type PostTranslateModifyRequest,
  PostTranslateModifyResponse,
  type PostVirtualHostModifyRequest,
  PostVirtualHostModifyResponse,
} from "@egts/envoy-api/generated/envoygateway/extension/service";
import { createHealthImplementation, HealthService } from "./internal/Health.js";

/** The full gRPC name of the extension service (also its name in the health service). */
export const EXTENSION_SERVICE_NAME = "envoygateway.extension.EnvoyGatewayExtension";

type Handler<Req, Res> = (request: Req) => Res | Promise<Res>;

/**
 * A vendor's hook implementations, one per method of `envoygateway.extension.EnvoyGatewayExtension`, on the
 * generated (ts-proto) Envoy messages; a response may leave fields at their defaults out (it is completed with
 * `fromPartial`). A hook that is left out answers with the resource it was sent. A hook
 * that throws answers with gRPC status UNKNOWN and the error's message (as a Go server returning a plain error),
 * or with the error's `code` when it carries a gRPC status code.
 */
export interface ExtensionServerHandlers {
  postRouteModify?: Handler<PostRouteModifyRequest, PostRouteModifyResponse>;
  postVirtualHostModify?: Handler<PostVirtualHostModifyRequest, PostVirtualHostModifyResponse>;
  postHttpListenerModify?: Handler<PostHTTPListenerModifyRequest, PostHTTPListenerModifyResponse>;
  postClusterModify?: Handler<PostClusterModifyRequest, PostClusterModifyResponse>;
  postEndpointsModify?: Handler<PostEndpointsModifyRequest, PostEndpointsModifyResponse>;
  postTranslateModify?: Handler<PostTranslateModifyRequest, PostTranslateModifyResponse>;
}

/** TLS for the server: its certificate and key (PEM), and for mTLS the CA that client certificates must chain to. */
export interface ExtensionServerTls {
  readonly certificate: Uint8Array;
  readonly privateKey: Uint8Array;
  /** When set, clients must present a certificate signed by this CA. */
  readonly clientCa?: Uint8Array;
}

/** Where and how the server listens. */
export interface ExtensionServerOptions {
  /** Address to bind; `127.0.0.1` by default. A `unix:` path is accepted too. */
  readonly host?: string;
  /** Port; 5005 by default (upstream's example), 0 for any free port. */
  readonly port?: number;
  /** TLS; plaintext when absent. */
  readonly tls?: ExtensionServerTls;
  /** Largest message accepted or sent, in bytes (gRPC's default of 4 MiB when absent). */
  readonly maxMessageSize?: number;
  /** Called with each hook failure (for logging); the failure is still returned to the caller. */
  readonly onError?: (method: string, error: Error) => void;
}

/** A running extension server. */
export interface RunningExtensionServer {
  /** The port bound (useful with port 0). */
  readonly port: number;
  /** `host:port` as a client would dial it. */
  readonly address: string;
  /** Reports the server as serving or not on the gRPC health service (`grpc.health.v1.Health`). */
  setServing(serving: boolean): void;
  /** Stops accepting calls and waits for calls in flight (forcing them after `graceMs`, 5 s by default). */
  stop(graceMs?: number): Promise<void>;
}

/** The extension objects of a hook call, parsed from their JSON (`ExtensionResource.unstructuredBytes`). */
export function parseExtensionResources(resources: readonly ExtensionResource[]): Record<string, unknown>[] {
  return resources.map((r, i) => {
    let value: unknown;
    try {
      value = JSON.parse(Buffer.from(r.unstructuredBytes).toString("utf8"));
    } catch (e) {
      throw new Error(`extension resource ${i}: invalid JSON: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error(`extension resource ${i}: not a JSON object`);
    return value as Record<string, unknown>;
  });
}

const toServiceError = (e: unknown): Partial<ServiceError> => {
  const error = e instanceof Error ? e : new Error(String(e));
  const code = (error as { code?: unknown }).code;
  return { code: typeof code === "number" && code > 0 && code <= 16 ? code : status.UNKNOWN, details: error.message };
};

/** A handler as a gRPC unary method; responses are completed with `fromPartial`, so handlers may leave defaults out. */
function unary<Req, Res>(
  method: string,
  handler: Handler<Req, Res> | undefined,
  echo: (req: Req) => Res,
  complete: { fromPartial(object: Res): Res },
  onError: ExtensionServerOptions["onError"],
) {
  return (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>): void => {
    Promise.resolve()
      .then(() => (handler === undefined ? echo(call.request) : handler(call.request)))
      .then((response) => complete.fromPartial(response))
      .then(
        (response) => callback(null, response),
        (e: unknown) => {
          onError?.(method, e instanceof Error ? e : new Error(String(e)));
          callback(toServiceError(e));
        },
      );
  };
}

/** Starts an extension server with `handlers` and the gRPC health service. */
export async function createExtensionServer(handlers: ExtensionServerHandlers, options: ExtensionServerOptions = {}): Promise<RunningExtensionServer> {
  const limits =
    options.maxMessageSize !== undefined
      ? { "grpc.max_receive_message_length": options.maxMessageSize, "grpc.max_send_message_length": options.maxMessageSize }
      : {};
  const server = new Server(limits);
  const onError = options.onError;
  const implementation: EnvoyGatewayExtensionServer = {
    postRouteModify: unary<PostRouteModifyRequest, PostRouteModifyResponse>(
      "PostRouteModify",
      handlers.postRouteModify,
      (r) => ({ route: r.route }),
      PostRouteModifyResponse,
      onError,
    ),
    postVirtualHostModify: unary<PostVirtualHostModifyRequest, PostVirtualHostModifyResponse>(
      "PostVirtualHostModify",
      handlers.postVirtualHostModify,
      (r) => ({ virtualHost: r.virtualHost }),
      PostVirtualHostModifyResponse,
      onError,
    ),
    postHttpListenerModify: unary<PostHTTPListenerModifyRequest, PostHTTPListenerModifyResponse>(
      "PostHTTPListenerModify",
      handlers.postHttpListenerModify,
      (r) => ({ listener: r.listener }),
      PostHTTPListenerModifyResponse,
      onError,
    ),
    postClusterModify: unary<PostClusterModifyRequest, PostClusterModifyResponse>(
      "PostClusterModify",
      handlers.postClusterModify,
      (r) => ({ cluster: r.cluster }),
      PostClusterModifyResponse,
      onError,
    ),
    postEndpointsModify: unary<PostEndpointsModifyRequest, PostEndpointsModifyResponse>(
      "PostEndpointsModify",
      handlers.postEndpointsModify,
      (r) => ({ loadAssignment: r.loadAssignment }),
      PostEndpointsModifyResponse,
      onError,
    ),
    postTranslateModify: unary<PostTranslateModifyRequest, PostTranslateModifyResponse>(
      "PostTranslateModify",
      handlers.postTranslateModify,
      (r) => ({ clusters: r.clusters, secrets: r.secrets, listeners: r.listeners, routes: r.routes }),
      PostTranslateModifyResponse,
      onError,
    ),
  };
  server.addService(EnvoyGatewayExtensionService, implementation);
  const health = createHealthImplementation([EXTENSION_SERVICE_NAME]);
  server.addService(HealthService, health.implementation);
  const tls = options.tls;
  const credentials =
    tls === undefined
      ? ServerCredentials.createInsecure()
      : ServerCredentials.createSsl(
          tls.clientCa !== undefined ? Buffer.from(tls.clientCa) : null,
          [{ cert_chain: Buffer.from(tls.certificate), private_key: Buffer.from(tls.privateKey) }],
          tls.clientCa !== undefined,
        );
  const host = options.host ?? "127.0.0.1";
  const target = host.startsWith("unix:") ? host : `${host.includes(":") ? `[${host}]` : host}:${options.port ?? 5005}`;
  const port = await new Promise<number>((resolve, reject) => server.bindAsync(target, credentials, (err, bound) => (err ? reject(err) : resolve(bound))));
  return {
    port,
    address: host.startsWith("unix:") ? host : `${host.includes(":") ? `[${host}]` : host}:${port}`,
    setServing: (serving) => health.setServing(serving),
    stop: (graceMs = 5000) =>
      new Promise<void>((resolve) => {
        health.endWatches();
        const timer = setTimeout(() => server.forceShutdown(), graceMs);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
  };
}
