import type { EnvoyProxySpec } from "./generated/crdTypes.js";
import type { LabelSelector } from "./meta.js";

/** A group/version/kind triple as written in EnvoyGateway's extension manager configuration. */
export interface GroupVersionKindRef {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

/** A reference to a Secret by name and optional namespace. */
export interface SecretObjectReference {
  readonly group?: string;
  readonly kind?: string;
  readonly name: string;
  readonly namespace?: string;
}

/** Kubernetes settings shared by the Kubernetes and custom resource providers. */
export interface EnvoyGatewayKubernetesConfiguration {
  readonly watch?: {
    readonly type?: "Namespaces" | "NamespaceSelector";
    readonly namespaces?: ReadonlyArray<string>;
    readonly namespaceSelector?: LabelSelector;
  };
  readonly leaderElection?: {
    readonly leaseDuration?: string;
    readonly renewDeadline?: string;
    readonly retryPeriod?: string;
    readonly disable?: boolean;
  };
  readonly client?: { readonly rateLimit?: { readonly qps?: number; readonly burst?: number } };
  readonly cacheSyncPeriod?: string;
}

/** The Kubernetes provider's settings (infrastructure + watch configuration). Deployment details stay loose. */
export interface EnvoyGatewayKubernetesProvider extends EnvoyGatewayKubernetesConfiguration {
  readonly rateLimitDeployment?: { readonly [key: string]: unknown };
  readonly rateLimitHpa?: { readonly [key: string]: unknown };
  readonly rateLimitPDB?: { readonly [key: string]: unknown };
  readonly deploy?: { readonly type?: "ControllerNamespace" | "GatewayNamespace" };
  readonly shutdownManager?: { readonly image?: string };
  readonly proxyTopologyInjector?: { readonly disable?: boolean };
}

/** The custom provider: resources from files or Kubernetes, infrastructure on the host or remote. */
export interface EnvoyGatewayCustomProvider {
  readonly resource: {
    readonly type: "File" | "Kubernetes";
    readonly file?: { readonly paths: ReadonlyArray<string> };
    readonly kubernetes?: EnvoyGatewayKubernetesConfiguration;
  };
  readonly infrastructure?: {
    readonly type: "Host" | "Remote";
    readonly host?: {
      readonly configHome?: string;
      readonly dataHome?: string;
      readonly stateHome?: string;
      readonly runtimeDir?: string;
    };
    readonly remote?: { readonly service?: { readonly [key: string]: unknown } };
  };
}

/** Where and how the extension server is reached. */
export interface ExtensionService {
  readonly fqdn?: { readonly hostname: string; readonly port: number };
  readonly ip?: { readonly address: string; readonly port: number };
  readonly unix?: { readonly path: string };
  readonly host?: string;
  readonly port?: number;
  readonly tls?: { readonly certificateRef: SecretObjectReference; readonly clientCertificateRef?: SecretObjectReference };
  readonly retry?: {
    readonly maxAttempts?: number;
    readonly initialBackoff?: string;
    readonly maxBackoff?: string;
    readonly backoffMultiplier?: { readonly numerator: number; readonly denominator?: number };
    readonly RetryableStatusCodes?: ReadonlyArray<string>;
  };
}

/** One extension manager: the resources it owns, the hooks it wants, and its service. */
export interface ExtensionManager {
  readonly name?: string;
  readonly resources?: ReadonlyArray<GroupVersionKindRef>;
  readonly policyResources?: ReadonlyArray<GroupVersionKindRef>;
  readonly backendResources?: ReadonlyArray<GroupVersionKindRef>;
  readonly hooks?: {
    readonly xdsTranslator?: {
      readonly pre?: ReadonlyArray<"Route" | "VirtualHost" | "HTTPListener" | "Translation" | "Cluster" | "Endpoints">;
      readonly post?: ReadonlyArray<"Route" | "VirtualHost" | "HTTPListener" | "Translation" | "Cluster" | "Endpoints">;
      readonly translation?: {
        readonly listener?: { readonly includeAll?: boolean };
        readonly route?: { readonly includeAll?: boolean };
        readonly cluster?: { readonly includeAll?: boolean };
        readonly secret?: { readonly includeAll?: boolean };
      };
    };
  };
  readonly service?: ExtensionService;
  readonly failOpen?: boolean;
  readonly maxMessageSize?: number | string;
}

/** An OpenTelemetry collector the controller exports its own metrics or traces to. */
export interface EnvoyGatewayOpenTelemetrySink {
  readonly host: string;
  readonly protocol: string;
  readonly port?: number;
  readonly exportInterval?: string;
  readonly exportTimeout?: string;
}

/** The controller's own telemetry: metrics (Prometheus endpoint, OpenTelemetry sinks) and traces. */
export interface EnvoyGatewayTelemetry {
  readonly metrics?: {
    readonly sinks?: ReadonlyArray<{ readonly type: "OpenTelemetry"; readonly openTelemetry?: EnvoyGatewayOpenTelemetrySink }>;
    readonly prometheus?: { readonly disable?: boolean };
  };
  readonly traces?: {
    readonly sink?: { readonly type: "OpenTelemetry"; readonly openTelemetry?: EnvoyGatewayOpenTelemetrySink };
    readonly samplingRate?: { readonly numerator: number; readonly denominator?: number };
  };
}

/** The spec part of the EnvoyGateway configuration (inlined into the object, as upstream). */
export interface EnvoyGatewaySpec {
  readonly gateway?: { readonly controllerName?: string };
  readonly provider?: {
    readonly type: "Kubernetes" | "Custom";
    readonly kubernetes?: EnvoyGatewayKubernetesProvider;
    readonly custom?: EnvoyGatewayCustomProvider;
  };
  readonly logging?: {
    readonly level?: { readonly [component: string]: "debug" | "info" | "error" | "warn" };
    readonly encoder?: "Text" | "JSON";
  };
  readonly admin?: {
    readonly address?: { readonly port?: number; readonly host?: string };
    readonly enableDumpConfig?: boolean;
    readonly enablePprof?: boolean;
  };
  readonly telemetry?: EnvoyGatewayTelemetry;
  readonly xdsServer?: {
    readonly maxConnectionAge?: string;
    readonly maxConnectionAgeGrace?: string;
    readonly maxReceiveMessageSize?: number | string;
  };
  readonly rateLimit?: {
    readonly backend: {
      readonly type: "Redis";
      readonly redis?: {
        readonly url?: string;
        readonly urlRef?: { readonly secretKeyRef: { readonly name: string; readonly key: string } };
        readonly tls?: { readonly certificateRef?: SecretObjectReference };
      };
    };
    readonly timeout?: string;
    readonly failClosed: boolean;
    readonly telemetry?: { readonly [key: string]: unknown };
  };
  readonly extensionManager?: ExtensionManager;
  readonly extensionManagers?: ReadonlyArray<ExtensionManager>;
  readonly extensionApis?: {
    readonly enableEnvoyPatchPolicy?: boolean;
    readonly enableBackend?: boolean;
    readonly disableLua?: boolean;
    readonly enableLua?: boolean;
    readonly enableSDSSecretRef?: boolean;
  };
  readonly gatewayAPI?: { readonly enabled?: ReadonlyArray<string> };
  readonly runtimeFlags?: { readonly enabled?: ReadonlyArray<string>; readonly disabled?: ReadonlyArray<string> };
  readonly envoyProxy?: EnvoyProxySpec;
}

/**
 * The EnvoyGateway configuration file (gateway.envoyproxy.io/v1alpha1, kind EnvoyGateway): the controller's own
 * settings. Not a CRD: it has no metadata and its spec fields sit at the top level.
 */
export interface EnvoyGateway extends EnvoyGatewaySpec {
  readonly apiVersion: "gateway.envoyproxy.io/v1alpha1";
  readonly kind: "EnvoyGateway";
}
