// The translator's working state: per-Gateway and per-listener contexts that accumulate status while the
// translation runs. Inputs are never mutated; statuses live in fresh objects owned by these contexts.
import type { WasmCache } from "./policies/EnvoyExtensionPolicy.js";
import type { LuaScriptValidator } from "./policies/LuaValidation.js";
import type { OIDCDiscovery } from "./policies/OIDCDiscovery.js";
import type { EnvoyProxy, Gateway, Listener, ListenerSet } from "@egts/api";
import type * as ir from "@egts/ir";
import type { StatusCondition } from "./Conditions.js";
import type { Mutable } from "./Mutable.js";

/** Options of one translation (upstream's Translator fields that are not derived from resources). */
export interface TranslateOptions {
  readonly gatewayControllerName: string;
  readonly gatewayClassName: string;
  readonly controllerNamespace: string;
  readonly globalRateLimitEnabled?: boolean;
  readonly envoyPatchPolicyEnabled?: boolean;
  readonly backendEnabled?: boolean;
  readonly gatewayNamespaceMode?: boolean;
  readonly runningOnHost?: boolean;
  readonly luaEnvoyExtensionPolicyDisabled?: boolean;
  readonly sdsSecretRefEnabled?: boolean;
  readonly perResourceSystemCASecret?: boolean;
  readonly endpointRoutingDisabled?: boolean;
  readonly extensionGroupKinds?: ReadonlyArray<{ readonly group: string; readonly kind: string }>;
  /**
   * Where Wasm modules of EnvoyExtensionPolicies are fetched and served from (upstream's wasm cache). Without
   * one, Wasm extensions are reported as failing, as upstream's are when its cache is not initialized.
   */
  readonly wasmCache?: WasmCache;
  /**
   * The Lua VM that validates EnvoyExtensionPolicy scripts (`@egts/lua-validator`). Without one, scripts are
   * only checked for an envoy_on_request / envoy_on_response entry point.
   */
  readonly luaValidator?: LuaScriptValidator;
  /**
   * Where OIDC providers without explicit endpoints get them (an issuer's discovery document, fetched outside
   * the translation). Without it, such providers fail: the translator does no network I/O.
   */
  readonly oidcDiscovery?: OIDCDiscovery;
}

/** A route group/kind pair as written in listener status. */
export interface RouteGroupKind {
  group?: string;
  kind: string;
}

/** The status of one listener, built up during translation. */
export interface ListenerStatusOut {
  name: string;
  supportedKinds: RouteGroupKind[];
  attachedRoutes: number;
  conditions: StatusCondition[];
}

/** The status of a Gateway, built up during translation. */
export interface GatewayStatusOut {
  conditions: StatusCondition[];
  listeners: ListenerStatusOut[];
  addresses?: Array<{ type: string; value: string }>;
  attachedListenerSets?: number;
}

/** A Gateway of the translated GatewayClass with its merged EnvoyProxy and listeners. */
export interface GatewayContext {
  readonly gateway: Gateway;
  readonly name: string;
  readonly namespace: string;
  readonly status: GatewayStatusOut;
  listeners: ListenerContext[];
  envoyProxy: EnvoyProxy | undefined;
  envoyProxyFromGateway: boolean;
  readonly irKey: string;
  /** Whether spec.tls.backend's client certificate resolved (upstream GatewayContext.backendTLS). */
  backendTLSResolved?: boolean;
}

/** A ListenerSet attached to an accepted Gateway. */
export interface ListenerSetContext {
  readonly listenerSet: ListenerSet;
  readonly status: { conditions: StatusCondition[]; listeners: ListenerStatusOut[] };
}

/** One listener of a Gateway (or of a ListenerSet attached to it). */
export interface ListenerContext {
  readonly listener: Listener;
  readonly gateway: GatewayContext;
  readonly listenerSet?: ListenerSetContext;
  readonly status: ListenerStatusOut;
  specValid: boolean;
  protocolConflicted: boolean;
  certDNSNames: string[];
  /** Client certificate validation from the Gateway's spec.tls.frontend (HTTPS listeners only). */
  frontendValidation?: FrontendValidation;
  httpIR?: Mutable<ir.HTTPListener>;
}

/** A listener's client certificate validation, or why it could not be resolved. */
export type FrontendValidation =
  | { readonly caCertificate: ir.TLSCACertificate; readonly mode: "RequireAndVerify" | "Request" }
  | { readonly error: string; readonly errorKind?: string };

/** Name of the listener's namespace (the ListenerSet's for ListenerSet listeners). */
export function listenerNamespace(l: ListenerContext): string {
  return l.listenerSet !== undefined ? (l.listenerSet.listenerSet.metadata.namespace ?? "") : l.gateway.namespace;
}

/** Whether the listener's Programmed condition is True. */
export function listenerIsReady(l: ListenerContext): boolean {
  return l.status.conditions.some((c) => c.type === "Programmed" && c.status === "True");
}

/** The IR name of a listener: gateway ns/name/listener, with the ListenerSet in between when it has one. */
export function irListenerName(l: ListenerContext): string {
  if (l.listenerSet !== undefined) {
    const ls = l.listenerSet.listenerSet.metadata;
    return `${l.gateway.namespace}/${l.gateway.name}/${ls.namespace ?? ""}/${ls.name}/${l.listener.name}`;
  }
  return `${l.gateway.namespace}/${l.gateway.name}/${l.listener.name}`;
}
