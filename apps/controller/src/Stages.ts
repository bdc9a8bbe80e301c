import type { Resources } from "@egts/api";
import type { Infra, Xds } from "@egts/ir";
import type { ExtensionHooks } from "@egts/xds-translator";

/** The status the translator wrote for one resource (as upstream's status updater would write it back). */
export interface ResourceStatus {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly status: unknown;
}

/**
 * How a Gateway API translation was done: `full` (everything translated), `endpoints` (only endpoints changed
 * and only they were translated again), `routes` (only HTTPRoutes/GRPCRoutes were edited and only they were
 * translated again), `unchanged` (nothing relevant changed: the previous result reused).
 */
export type GatewayApiPath = "unchanged" | "endpoints" | "routes" | "full";

/** What the Gateway API translation of one GatewayClass produces. */
export interface GatewayApiTranslation {
  /** How the translation was done; default `full`. Reported in metrics and logs, not published. */
  readonly path?: GatewayApiPath;
  /** xds IR per IR key (`namespace/name` of the Gateway, or the GatewayClass name when Gateways are merged). */
  readonly xdsIR: ReadonlyMap<string, Xds>;
  /** infra IR per IR key. */
  readonly infraIR: ReadonlyMap<string, Infra>;
  /** Every resource the translator reported on, with the status it wrote. */
  readonly statuses: ReadonlyArray<ResourceStatus>;
}

/** Settings of the Gateway API translation that come from the controller's configuration. */
export interface GatewayApiSettings {
  readonly gatewayControllerName: string;
  readonly gatewayClassName: string;
  readonly controllerNamespace: string;
  readonly runningOnHost: boolean;
  readonly envoyPatchPolicyEnabled: boolean;
  readonly backendEnabled: boolean;
  readonly luaEnvoyExtensionPolicyDisabled: boolean;
  readonly sdsSecretRefEnabled: boolean;
  readonly globalRateLimitEnabled: boolean;
  /** Group/kinds extension managers own as route filters and backends. */
  readonly extensionGroupKinds?: ReadonlyArray<{ readonly group: string; readonly kind: string }>;
}

/** One Envoy resource: its xDS name, the generated (ts-proto) message, and its encoding when already known. */
export interface XdsResourceEntry {
  readonly name: string;
  readonly message: object;
  /** The message's protobuf bytes (served as is, not encoded again). */
  readonly bytes?: Uint8Array;
}

/** The Envoy resources one IR key receives, per resource type. */
export interface XdsResources {
  readonly listeners: ReadonlyArray<XdsResourceEntry>;
  readonly routes: ReadonlyArray<XdsResourceEntry>;
  readonly clusters: ReadonlyArray<XdsResourceEntry>;
  readonly endpoints: ReadonlyArray<XdsResourceEntry>;
  readonly secrets: ReadonlyArray<XdsResourceEntry>;
}

/** What the xDS translation of one IR key produces: resources, and errors (resources may still be usable). */
export interface XdsTranslation {
  readonly resources: XdsResources;
  readonly errors: ReadonlyArray<string>;
  /**
   * How much an incremental translator built afresh and reused from its previous run (units are the
   * translator's own, e.g. IR subobjects). Reported in metrics and logs, not published.
   */
  readonly work?: { readonly built: number; readonly reused: number; readonly path?: string };
}

/** Settings of the xDS translation that come from the controller's configuration. */
export interface XdsSettings {
  readonly controllerNamespace: string;
  readonly dnsDomain: string;
  readonly runtimeFlags?: { readonly enabled?: ReadonlyArray<string>; readonly disabled?: ReadonlyArray<string> };
}

/**
 * The two pure translation stages the controller runs (ports): Resources -> IR + statuses, and IR -> Envoy
 * resources. The defaults wire @egts/gatewayapi-translator and @egts/xds-translator; embedders and tests may
 * substitute their own.
 */
export interface PipelineStages {
  readonly translateGatewayApi: (resources: Resources, settings: GatewayApiSettings) => GatewayApiTranslation;
  /** IR -> Envoy resources; `irKey` lets an incremental stage keep its previous run per key. */
  readonly translateXds: (ir: Xds, settings: XdsSettings, irKey?: string) => XdsTranslation;
  /** IR -> Envoy resources calling extension servers' hooks (used when extension managers are configured). */
  readonly translateXdsWithExtensions?: (ir: Xds, settings: XdsSettings, hooks: ExtensionHooks) => Promise<XdsTranslation>;
  /**
   * Subscribes to results that arrive beside the resources (an OIDC discovery document fetched in the
   * background); each one makes every GatewayClass translate again. Returns the unsubscribe.
   */
  readonly onExternalResult?: (listener: () => void) => () => void;
  /**
   * Forgets what incremental stages remember of previous runs, so the next translation of every GatewayClass
   * and IR key is a full one. Called before the re-translation an external result causes (the result changes
   * the output without changing the resources an incremental stage compares).
   */
  readonly invalidate?: () => void;
  /**
   * Work the Gateway API translation of these resources needs done first (loading the Lua VM when a policy
   * carries a Lua script): a promise the translation waits for, or undefined when there is none.
   */
  readonly prepareGatewayApi?: (resources: Resources) => Promise<void> | undefined;
}
