import type { HostInfraManager } from "@egts/infra-host";
import type { SnapshotCache, XdsServer } from "@egts/xds-server";
import * as Context from "effect/Context";
import type { ControllerBus } from "./Bus.js";
import type { CertificateStatus } from "./CertificateExpiry.js";
import type { ControllerSettings } from "./Config.js";
import type { Logger } from "./Logger.js";
import type { ControllerMetrics } from "./Metrics.js";
import type { ControlPlaneMetrics } from "./OtelMetrics.js";
import type { PipelineStages } from "./Stages.js";

/** The resolved settings the controller runs with. */
export class Settings extends Context.Service<Settings, ControllerSettings>()("@egts/controller/Settings") {}

/** The controller's logger. */
export class Log extends Context.Service<Log, Logger>()("@egts/controller/Log") {}

/** The message bus connecting the runners. */
export class Bus extends Context.Service<Bus, ControllerBus>()("@egts/controller/Bus") {}

/** The translation stages (ports onto the translator packages). */
export class Stages extends Context.Service<Stages, PipelineStages>()("@egts/controller/Stages") {}

/** The controller's metrics registry. */
export class Metrics extends Context.Service<Metrics, ControllerMetrics>()("@egts/controller/Metrics") {}

/** The control-plane metrics under upstream's names (OpenTelemetry instruments, their pull and push readers). */
export class UpstreamMetrics extends Context.Service<UpstreamMetrics, ControlPlaneMetrics>()("@egts/controller/UpstreamMetrics") {}

/** The running xDS server, its snapshot cache and the port it is bound to. */
export class XdsServing extends Context.Service<
  XdsServing,
  {
    readonly server: XdsServer;
    readonly cache: SnapshotCache;
    readonly port: number;
    readonly tls: boolean;
    /** The xDS certificates checked now (empty in plaintext mode). */
    readonly certificates: () => CertificateStatus[];
  }
>()("@egts/controller/XdsServing") {}

/** The host infrastructure manager (Envoy processes). */
export class HostInfra extends Context.Service<HostInfra, HostInfraManager>()("@egts/controller/HostInfra") {}

/** The running admin server and the port it is bound to. */
export class AdminServing extends Context.Service<AdminServing, { readonly port: number; readonly host: string }>()("@egts/controller/AdminServing") {}

/**
 * Readiness of the components /readyz reports on: resources loaded, xDS server listening, a snapshot set
 * (something to serve), and xDS certificates proxies can still use.
 */
export class Readiness extends Context.Service<Readiness, { provider: boolean; xds: boolean; served: boolean; certificates: boolean }>()(
  "@egts/controller/Readiness",
) {}
