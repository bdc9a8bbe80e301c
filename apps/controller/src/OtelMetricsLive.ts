// The controller's wiring of ControlPlaneMetrics: the instruments and their OTLP sinks as a scoped resource,
// records upstream-named metrics from the bus and the xDS server, and serves them (with the egts-only metrics)
// on the metrics endpoint. The Kubernetes runners and the Wasm cache feed it through OtelMetricsFeeds.
import * as Context from "effect/Context";
import * as Effect from "effect/Effect";
import * as Layer from "effect/Layer";
import type { ControllerSettings } from "./Config.js";
import type { Logger } from "./Logger.js";
import type { WatchableMap } from "./MessageBus.js";
import { ControlPlaneMetrics, serveMetrics, type EnvoyGatewayMetricsConfig } from "./OtelMetrics.js";
import { xdsStreamFeed } from "./OtelMetricsFeeds.js";
import { Bus, HostInfra, Log, Metrics, Settings, UpstreamMetrics, XdsServing } from "./Services.js";

/** The metrics endpoint, when Prometheus is enabled: where it listens, and the instruments. */
export class MetricsServing extends Context.Service<MetricsServing, { readonly port: number | undefined; readonly metrics: ControlPlaneMetrics }>()(
  "@egts/controller/MetricsServing",
) {}

/** Which runner publishes each bus map (upstream's `runner` label). */
const PUBLISHER: Readonly<Record<string, string>> = {
  "provider-resources": "provider",
  "provider-problems": "provider",
  "provider-stale-files": "provider",
  "provider-resource-counts": "provider",
  "gatewayclass-results": "gateway-api",
  "xds-ir": "gateway-api",
  "infra-ir": "gateway-api",
  xds: "xds-translator",
  "xds-errors": "xds-translator",
};

/** Where the metrics endpoint listens: upstream's 0.0.0.0:19001 unless told otherwise (port 0: a free one). */
export interface MetricsEndpoint {
  readonly host: string;
  readonly port: number;
}

/**
 * The instruments and readers the settings' `telemetry.metrics` asks for, as a scoped resource: closing the
 * scope flushes the OTLP sinks. Fails (naming the field) on a configuration it cannot serve.
 */
export const controlPlaneMetricsResource = (settings: ControllerSettings, log: Logger) =>
  Effect.acquireRelease(
    Effect.try({
      try: () => new ControlPlaneMetrics((settings.envoyGateway.telemetry as { readonly metrics?: EnvoyGatewayMetricsConfig } | undefined)?.metrics),
      catch: (e) => (e instanceof Error ? e : new Error(String(e))),
    }),
    (m) => Effect.promise(() => m.shutdown().catch((e: unknown) => log.warn("cannot flush metrics sinks", { component: "metrics", error: String(e) }))),
  );

/** {@link UpstreamMetrics} made from the settings (see {@link controlPlaneMetricsResource}). */
export const upstreamMetricsLayer = Layer.effect(
  UpstreamMetrics,
  Effect.gen(function* () {
    return yield* controlPlaneMetricsResource(yield* Settings, yield* Log);
  }),
);

/** A layer serving upstream's control-plane metrics. Scope-bound: closing it stops the endpoint. */
export function controlPlaneMetricsLayer(endpoint: MetricsEndpoint) {
  return Layer.effect(
    MetricsServing,
    Effect.gen(function* () {
      const bus = yield* Bus;
      const log = yield* Log;
      const egtsMetrics = yield* Metrics;
      const xds = yield* XdsServing;
      const hostInfra = yield* HostInfra;
      const metrics = yield* UpstreamMetrics;

      // watchable_publish_total: every coalesced update each bus map delivers.
      for (const map of Object.values(bus) as unknown[]) {
        if (!(typeof map === "object" && map !== null && "subscribe" in map && "name" in map)) continue;
        const watchable = map as WatchableMap<unknown>;
        yield* Effect.acquireRelease(
          Effect.sync(() => {
            // a non-empty map first replays its current state to a new subscriber: not a publication
            let replay = watchable.snapshot().size > 0;
            return watchable.subscribe(() => {
              if (replay) return void (replay = false);
              metrics.watchablePublished(PUBLISHER[watchable.name] ?? "controller", watchable.name);
            });
          }),
          (unsubscribe) => Effect.sync(unsubscribe),
        );
      }

      // xds_snapshot_*: one per IR key set in the xDS cache (the cache is keyed by IR key, upstream's node id).
      const seen = new Set<string>();
      yield* Effect.acquireRelease(
        Effect.sync(() =>
          bus.xds.subscribe((update) => {
            for (const [key, translation] of update.changed) {
              if (translation === undefined) {
                seen.delete(key);
                continue;
              }
              metrics.xdsSnapshot(key, !seen.has(key), "success");
              seen.add(key);
            }
          }),
        ),
        (unsubscribe) => Effect.sync(unsubscribe),
      );

      yield* Effect.acquireRelease(
        Effect.sync(() => xds.server.onAckNack((event) => (event.kind === "nack" ? metrics.xdsNack(event.nodeId, event.typeUrl) : undefined))),
        (unsubscribe) => Effect.sync(unsubscribe),
      );
      yield* Effect.acquireRelease(
        Effect.sync(() => xds.server.onStreamClosed(xdsStreamFeed(metrics))),
        (unsubscribe) => Effect.sync(unsubscribe),
      );
      // resource_apply_* / resource_delete_*: Envoy processes started (or restarted) and stopped on this host.
      yield* Effect.acquireRelease(
        Effect.sync(() =>
          hostInfra.onResourceEvent((e) => {
            const slash = e.irKey.indexOf("/");
            const namespace = slash < 0 ? "" : e.irKey.slice(0, slash);
            const record = e.action === "apply" ? metrics.resourceApplied.bind(metrics) : metrics.resourceDeleted.bind(metrics);
            record("Process", e.serviceNode, namespace, e.seconds, e.ok ? "success" : "failure");
          }),
        ),
        (unsubscribe) => Effect.sync(unsubscribe),
      );
      // egts-only, kept alongside: the NACKs still standing (not followed by an ACK), per node and type.
      metrics.observeGauge("egts_xds_standing_nacks_by_node", "xDS rejections not yet followed by an ACK, per node and type.", () => {
        const counts = new Map<string, { nodeID: string; typeURL: string; n: number }>();
        for (const n of xds.server.nacks()) {
          const k = `${n.nodeId}\u0000${n.typeUrl}`;
          counts.set(k, { nodeID: n.nodeId, typeURL: n.typeUrl, n: (counts.get(k)?.n ?? 0) + 1 });
        }
        return [...counts.values()].map((c) => ({ attributes: { nodeID: c.nodeID, typeURL: c.typeURL }, value: c.n }));
      });

      if (!metrics.prometheusEnabled) {
        log.info("metrics pull endpoint disabled (telemetry.metrics.prometheus.disable)", { component: "metrics" });
        return { port: undefined, metrics };
      }
      const server = yield* Effect.acquireRelease(
        Effect.tryPromise({ try: () => serveMetrics(metrics, endpoint.host, endpoint.port, () => egtsMetrics.render()), catch: (e) => e as Error }),
        (s) =>
          Effect.callback<void>((resume) => {
            s.close(() => resume(Effect.void));
            s.closeAllConnections();
          }),
      );
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : endpoint.port;
      log.info("initialized metrics pull endpoint", { component: "metrics", address: endpoint.host, port, endpoint: "/metrics" });
      return { port, metrics };
    }),
  );
}
