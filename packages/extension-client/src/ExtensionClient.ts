import { credentials as grpcCredentials, Metadata, type ChannelCredentials, type ChannelOptions, type ServiceError } from "@grpc/grpc-js";
import type { EnvoyGatewaySpec, ExtensionManager, ExtensionService, SecretObjectReference } from "@egts/api";
import type { ExtensionResource } from "@egts/envoy-api/generated/envoygateway/extension/context";
import {
  EnvoyGatewayExtensionClient,
  PostClusterModifyRequest,
  PostEndpointsModifyRequest,
  PostHTTPListenerModifyRequest,
  PostRouteModifyRequest,
  PostTranslateModifyRequest,
  PostVirtualHostModifyRequest,
} from "@egts/envoy-api/generated/envoygateway/extension/service";
import { chainExtensionHooks, type ExtensionHookName, type ExtensionHooks, type ExtensionObject, type TranslationHookSelection } from "@egts/xds-translator";
import { grpcServiceConfig, parseQuantity } from "./internal/Config.js";
import { stableJson } from "./internal/StableJson.js";

/** The gRPC service the hooks are called on. */
export const EXTENSION_SERVICE_NAME = "envoygateway.extension.EnvoyGatewayExtension";

/** The data of a Kubernetes Secret, by key (`tls.crt`, `tls.key`, ...). */
export type SecretData = Readonly<Record<string, Uint8Array>>;

/** How extension managers are connected. */
export interface ExtensionClientOptions {
  /** Reads a Secret named by `service.tls.certificateRef` / `clientCertificateRef` (needed for TLS). */
  readonly loadSecret?: (ref: SecretObjectReference, namespace: string) => Promise<SecretData | undefined>;
  /** Namespace of secret references that name none (the controller's namespace). */
  readonly namespace?: string;
  /** Deadline of each hook call in milliseconds (10 s by default), so a hung server fails rather than stalls. */
  readonly callTimeoutMs?: number;
  /** Receives the errors of hooks that failed open, with the manager's name. */
  readonly onFailOpenError?: (manager: string, hook: ExtensionHookName, error: Error) => void;
  /** Address to dial for a manager (by position in the list) instead of its `service`: tests, port forwarding. */
  readonly addressOverride?: (manager: ExtensionManager, index: number) => string | undefined;
}

/** Connected extension managers: the hooks to translate with, and the connections to close. */
export interface ExtensionClient {
  readonly hooks: ExtensionHooks;
  /** Closes every gRPC channel. */
  close(): void;
}

/** Where a manager's service is dialled (upstream's GetExtensionServerAddress). */
export function extensionServiceAddress(service: ExtensionService): string {
  const hostPort = (host: string, port: number | undefined) => `${host.includes(":") ? `[${host}]` : host}:${port ?? 0}`;
  if (service.fqdn !== undefined) return hostPort(service.fqdn.hostname, service.fqdn.port);
  if (service.ip !== undefined) return hostPort(service.ip.address, service.ip.port);
  if (service.unix !== undefined) return `unix:${service.unix.path}`;
  const hostname = (service as { hostname?: string }).hostname;
  if (hostname !== undefined) return hostPort(hostname, service.port);
  if (service.host !== undefined && service.host !== "") return hostPort(service.host, service.port);
  throw new Error("extension manager service: no fqdn, ip, unix or host is set");
}

/** The managers an EnvoyGateway configuration declares: `extensionManagers`, else `extensionManager`. */
export function extensionManagersOf(spec: Pick<EnvoyGatewaySpec, "extensionManager" | "extensionManagers">): readonly ExtensionManager[] {
  if ((spec.extensionManagers?.length ?? 0) > 0) return spec.extensionManagers ?? [];
  return spec.extensionManager !== undefined ? [spec.extensionManager] : [];
}

/** Upstream's TranslationConfig defaults: clusters and secrets unless excluded, listeners and routes only when included. */
export function translationSelectionOf(manager: ExtensionManager): TranslationHookSelection {
  const t = manager.hooks?.xdsTranslator?.translation;
  return {
    clusters: t?.cluster === undefined ? true : (t.cluster.includeAll ?? true),
    secrets: t?.secret === undefined ? true : (t.secret.includeAll ?? true),
    listeners: t?.listener?.includeAll ?? false,
    routes: t?.route?.includeAll ?? false,
  };
}

const CODE_NAMES = [
  "OK",
  "Canceled",
  "Unknown",
  "InvalidArgument",
  "DeadlineExceeded",
  "NotFound",
  "AlreadyExists",
  "PermissionDenied",
  "ResourceExhausted",
  "FailedPrecondition",
  "Aborted",
  "OutOfRange",
  "Unimplemented",
  "Internal",
  "Unavailable",
  "DataLoss",
  "Unauthenticated",
];

/** A failed call as Go's gRPC renders it (`rpc error: code = Unknown desc = ...`), the text upstream reports. */
export function rpcErrorOf(e: ServiceError): Error {
  const name = CODE_NAMES[e.code] ?? `Code(${e.code})`;
  return new Error(`rpc error: code = ${name} desc = ${e.details}`, { cause: e });
}

const resources = (objects: readonly ExtensionObject[]): ExtensionResource[] => objects.map((o) => ({ unstructuredBytes: Buffer.from(stableJson(o), "utf8") }));

async function credentialsOf(manager: ExtensionManager, options: ExtensionClientOptions): Promise<ChannelCredentials> {
  const tls = manager.service?.tls;
  if (tls === undefined) return grpcCredentials.createInsecure();
  const load = options.loadSecret;
  const where = `extension manager ${JSON.stringify(manager.name ?? "")}`;
  if (load === undefined) throw new Error(`${where}: the service has TLS enabled but no secret loader was provided`);
  const namespace = options.namespace ?? "";
  const ca = await load(tls.certificateRef, tls.certificateRef.namespace ?? namespace);
  const caPem = ca?.["tls.crt"];
  if (caPem === undefined) throw new Error(`${where}: no CA certificate (tls.crt) found in Secret ${tls.certificateRef.name}`);
  if (tls.clientCertificateRef === undefined) return grpcCredentials.createSsl(Buffer.from(caPem));
  const client = await load(tls.clientCertificateRef, tls.clientCertificateRef.namespace ?? namespace);
  const cert = client?.["tls.crt"];
  const key = client?.["tls.key"];
  if (cert === undefined) throw new Error(`${where}: no client certificate (tls.crt) found in Secret ${tls.clientCertificateRef.name}`);
  if (key === undefined) throw new Error(`${where}: no client private key (tls.key) found in Secret ${tls.clientCertificateRef.name}`);
  return grpcCredentials.createSsl(Buffer.from(caPem), Buffer.from(key), Buffer.from(cert));
}

type UnaryMethod<Req, Res> = (
  request: Req,
  metadata: Metadata,
  options: { deadline: number },
  callback: (error: ServiceError | null, response: Res) => void,
) => unknown;

/** Connects one manager: a channel to its service and the hooks it subscribes to (`hooks.xdsTranslator.post`). */
export async function connectExtensionManager(manager: ExtensionManager, options: ExtensionClientOptions = {}, index = 0): Promise<ExtensionClient> {
  const where = `extension manager ${JSON.stringify(manager.name ?? "")}`;
  const address = options.addressOverride?.(manager, index) ?? (manager.service !== undefined ? extensionServiceAddress(manager.service) : undefined);
  if (address === undefined) throw new Error(`${where}: no service configured`);
  const channelOptions: ChannelOptions = { "grpc.service_config": grpcServiceConfig(EXTENSION_SERVICE_NAME, manager.service?.retry) };
  if (manager.maxMessageSize !== undefined) {
    const size = parseQuantity(manager.maxMessageSize);
    if (size === undefined || size < 1 || size > 0x7fffffff) throw new Error(`${where}: invalid maxMessageSize ${JSON.stringify(manager.maxMessageSize)}`);
    channelOptions["grpc.max_receive_message_length"] = size;
    channelOptions["grpc.max_send_message_length"] = size;
  }
  const client = new EnvoyGatewayExtensionClient(address, await credentialsOf(manager, options), channelOptions);
  const timeout = options.callTimeoutMs ?? 10_000;
  // Requests go through `fromPartial` so that callers may pass messages with defaults left out.
  const call = <Req, Res>(method: UnaryMethod<Req, Res>, request: Req): Promise<Res> =>
    new Promise<Res>((resolve, reject) => {
      method.call(client, request, new Metadata(), { deadline: Date.now() + timeout }, (error, response) =>
        error ? reject(rpcErrorOf(error)) : resolve(response),
      );
    });
  const post = new Set<string>(manager.hooks?.xdsTranslator?.post ?? []);
  const name = manager.name ?? "";
  const onFailOpen = options.onFailOpenError;
  const hooks: { -readonly [K in keyof ExtensionHooks]: ExtensionHooks[K] } = {
    failOpen: manager.failOpen === true,
    translation: translationSelectionOf(manager),
    ...(onFailOpen !== undefined ? { onFailOpenError: (hook: ExtensionHookName, error: Error) => onFailOpen(name, hook, error) } : {}),
  };
  if (post.has("Route")) {
    hooks.postRouteModify = async (route, context) =>
      (
        await call(
          client.postRouteModify as UnaryMethod<unknown, { route?: typeof route }>,
          PostRouteModifyRequest.fromPartial({
            route,
            postRouteContext: {
              hostnames: [...context.hostnames],
              extensionResources: resources(context.extensionResources),
              extensionPolicies: resources(context.extensionPolicies),
            },
          }),
        )
      ).route;
  }
  if (post.has("VirtualHost")) {
    hooks.postVirtualHostModify = async (virtualHost) =>
      (
        await call(
          client.postVirtualHostModify as UnaryMethod<unknown, { virtualHost?: typeof virtualHost }>,
          PostVirtualHostModifyRequest.fromPartial({ virtualHost, postVirtualHostContext: {} }),
        )
      ).virtualHost;
  }
  if (post.has("HTTPListener")) {
    hooks.postHttpListenerModify = async (listener, context) =>
      (
        await call(
          client.postHttpListenerModify as UnaryMethod<unknown, { listener?: typeof listener }>,
          PostHTTPListenerModifyRequest.fromPartial({ listener, postListenerContext: { extensionResources: resources(context.extensionResources) } }),
        )
      ).listener;
  }
  if (post.has("Cluster")) {
    hooks.postClusterModify = async (cluster, context) =>
      (
        await call(
          client.postClusterModify as UnaryMethod<unknown, { cluster?: typeof cluster }>,
          PostClusterModifyRequest.fromPartial({ cluster, postClusterContext: { backendExtensionResources: resources(context.backendExtensionResources) } }),
        )
      ).cluster;
  }
  if (post.has("Endpoints")) {
    hooks.postEndpointsModify = async (loadAssignment) =>
      (
        await call(
          client.postEndpointsModify as UnaryMethod<unknown, { loadAssignment?: typeof loadAssignment }>,
          PostEndpointsModifyRequest.fromPartial({ loadAssignment, postEndpointsContext: {} }),
        )
      ).loadAssignment;
  }
  if (post.has("Translation")) {
    hooks.postTranslateModify = async (sent, context) => {
      const got = await call(
        client.postTranslateModify as UnaryMethod<
          unknown,
          {
            clusters: NonNullable<typeof sent.clusters>;
            secrets: NonNullable<typeof sent.secrets>;
            listeners: NonNullable<typeof sent.listeners>;
            routes: NonNullable<typeof sent.routes>;
          }
        >,
        PostTranslateModifyRequest.fromPartial({
          postTranslateContext: { extensionResources: resources(context.extensionResources) },
          clusters: [...(sent.clusters ?? [])],
          secrets: [...(sent.secrets ?? [])],
          listeners: [...(sent.listeners ?? [])],
          routes: [...(sent.routes ?? [])],
        }),
      );
      return { clusters: got.clusters, secrets: got.secrets, listeners: got.listeners, routes: got.routes };
    };
  }
  return { hooks, close: () => client.close() };
}

/**
 * Connects the managers of an EnvoyGateway configuration; undefined when it declares none. One manager's hooks
 * are used as they are; several are chained in order, each seeing only the objects of kinds it declares.
 */
export async function connectExtensionManagers(
  spec: Pick<EnvoyGatewaySpec, "extensionManager" | "extensionManagers">,
  options: ExtensionClientOptions = {},
): Promise<ExtensionClient | undefined> {
  const managers = extensionManagersOf(spec);
  if (managers.length === 0) return undefined;
  const clients: ExtensionClient[] = [];
  try {
    for (const [i, m] of managers.entries()) clients.push(await connectExtensionManager(m, options, i));
  } catch (e) {
    for (const c of clients) c.close();
    throw e;
  }
  const close = () => clients.forEach((c) => c.close());
  if (managers.length === 1 && clients[0] !== undefined) return { hooks: clients[0].hooks, close };
  const kinds = (list: ExtensionManager["resources"]) => (list ?? []).map((g) => ({ group: g.group, kind: g.kind }));
  const hooks = chainExtensionHooks(
    managers.map((m, i) => ({
      name: m.name ?? "",
      hooks: (clients[i] as ExtensionClient).hooks,
      resourceKinds: [...kinds(m.resources), ...kinds(m.backendResources)],
      policyKinds: kinds(m.policyResources),
    })),
  );
  return { hooks, close };
}
