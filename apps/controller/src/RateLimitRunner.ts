import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Resources } from "@egts/api";
import { startRateLimitService } from "@egts/infra-host";
import type { Xds } from "@egts/ir";
import { createSnapshotCache, createXdsServer, resourceTypeUrls, type SnapshotCache } from "@egts/xds-server";
import { buildRateLimitServiceConfigs } from "@egts/xds-translator";
import * as Context from "effect/Context";
import * as Effect from "effect/Effect";
import * as Layer from "effect/Layer";
import { ensureCertificates } from "./Certificates.js";
import { reloadCertificatesOnChange } from "./CertificateReload.js";
import type { MapUpdate } from "./MessageBus.js";
import { Bus, Log, Metrics, Settings, XdsServing } from "./Services.js";
import type { ResourceStatus } from "./Stages.js";

/** The node id envoyproxy/ratelimit subscribes with (upstream's `envoy-ratelimit`, the infra name). */
export const RATE_LIMIT_NODE_ID = "envoy-ratelimit";
/** Upstream's port of the rate limit xDS server. */
export const DEFAULT_RATE_LIMIT_XDS_PORT = 18001;

/** One `RateLimitConfig` (ratelimit.config.ratelimit.v3) as the snapshot cache takes it. */
type RateLimitConfigMessage = ReturnType<typeof buildRateLimitServiceConfigs>[number];

/**
 * The configs served to the rate limit service, from the configs of every xds IR key: keys in sorted order,
 * and where two keys produce a config of the same name (a shared policy's domain reached from two Gateways)
 * the later one wins, as in upstream's snapshot, which indexes resources by name.
 */
export function mergeRateLimitConfigs(byIrKey: ReadonlyMap<string, readonly RateLimitConfigMessage[]>): RateLimitConfigMessage[] {
  const byName = new Map<string, RateLimitConfigMessage>();
  for (const key of [...byIrKey.keys()].sort()) for (const config of byIrKey.get(key) ?? []) byName.set(config.name, config);
  return [...byName.values()];
}

/**
 * Keeps the rate limit configs of each xds IR key and answers, after each bus update, the list to serve:
 * only changed keys are translated again. Pure apart from its own map.
 */
export function makeRateLimitConfigTracker(): { update(changed: MapUpdate<Xds>["changed"]): RateLimitConfigMessage[] } {
  const byIrKey = new Map<string, readonly RateLimitConfigMessage[]>();
  return {
    update(changed) {
      for (const [key, ir] of changed) {
        if (ir === undefined) byIrKey.delete(key);
        else byIrKey.set(key, buildRateLimitServiceConfigs(ir.http ?? []));
      }
      return mergeRateLimitConfigs(byIrKey);
    },
  };
}

/** The rate limit xDS server when global rate limiting is configured: its cache and bound port. */
export class RateLimitXdsServing extends Context.Service<
  RateLimitXdsServing,
  { readonly cache: SnapshotCache; readonly port: number; readonly tls: boolean } | undefined
>()("@egts/controller/RateLimitXdsServing") {}

/**
 * The global rate limit runner (upstream `internal/globalratelimit/runner`), only when the EnvoyGateway
 * configuration sets `rateLimit`: an ADS server (state of the world, as envoyproxy/ratelimit's
 * `GRPC_XDS_SOTW` config type consumes it) on :18001, serving one snapshot under the rate limit service's
 * node id with a `RateLimitConfig` per domain, rebuilt from the bus whenever an xds IR changes. It presents
 * the controller's xDS server certificate and requires a client certificate from the same CA (the
 * `envoy-rate-limit` set); `--xds-plaintext` serves it without TLS on loopback.
 */
export const RateLimitRunner = Layer.effect(
  RateLimitXdsServing,
  Effect.gen(function* () {
    const settings = yield* Settings;
    if (settings.envoyGateway.rateLimit === undefined) return undefined;
    const bus = yield* Bus;
    const log = yield* Log;
    const metrics = yield* Metrics;
    // Built after the main xDS server, whose start generates the certificates both servers share.
    const xds = yield* XdsServing;
    const tls = xds.tls
      ? yield* Effect.promise(async () => {
          const { credentials } = await ensureCertificates(settings.certDirectory);
          return credentials;
        })
      : undefined;
    const cache = createSnapshotCache();
    const component = "global-ratelimit";
    const server = createXdsServer({
      cache,
      logger: {
        debug: (m, f) => log.debug(m, { component, ...f }),
        info: (m, f) => log.info(m, { component, ...f }),
        warn: (m, f) => log.warn(m, { component, ...f }),
        error: (m, f) => log.error(m, { component, ...f }),
      },
      ...(tls !== undefined ? { tls } : {}),
    });
    const host = xds.tls ? "0.0.0.0" : "127.0.0.1";
    const port = yield* Effect.acquireRelease(
      Effect.promise(() => server.listen(`${host}:${settings.rateLimitXdsPort ?? DEFAULT_RATE_LIMIT_XDS_PORT}`)),
      () => Effect.promise(() => server.close()),
    );
    log.info("rate limit xDS server listening", { component, port, tls: tls !== undefined });
    if (tls !== undefined)
      yield* reloadCertificatesOnChange(settings.certDirectory, tls, server, {
        info: (m, f) => log.info(m, { component, ...f }),
        warn: (m, f) => log.warn(m, { component, ...f }),
      });
    const tracker = makeRateLimitConfigTracker();
    yield* Effect.acquireRelease(
      Effect.sync(() =>
        bus.xdsIR.subscribe((update) => {
          try {
            const configs = tracker.update(update.changed);
            cache.setSnapshot(RATE_LIMIT_NODE_ID, { [resourceTypeUrls.rateLimitConfigs]: configs });
            metrics.increment("egts_ratelimit_snapshot_updates_total", "Snapshots set in the rate limit xDS cache.");
            log.info("rate limit configuration updated", { component, domains: configs.map((c) => c.domain) });
          } catch (error) {
            log.error("cannot build the rate limit configuration; the previous one keeps serving", {
              component,
              error: error instanceof Error ? error.message : String(error),
            });
          }
        }),
      ),
      (unsubscribe) => Effect.sync(unsubscribe),
    );
    return { cache, port, tls: tls !== undefined };
  }),
);

/** Whether this host enforces global rate limits: the reason it does not, when it does not. */
export class RateLimitHost extends Context.Service<RateLimitHost, { readonly unenforcedReason: string | undefined }>()("@egts/controller/RateLimitHost") {}

/**
 * The rate limit service on this host (Host infrastructure), when `rateLimit` is configured: envoyproxy/ratelimit
 * as a supervised process (binary from `--ratelimit-path`, else `ratelimit` on PATH) reading its configuration
 * from the rate limit xDS server. Without one, a single warning, and the reason is kept for the status of the
 * policies whose global rate limits then go unenforced. Stopped when the scope closes.
 */
export const RateLimitHostLive = Layer.effect(
  RateLimitHost,
  Effect.gen(function* () {
    const settings = yield* Settings;
    const rateLimit = settings.envoyGateway.rateLimit;
    const xds = yield* RateLimitXdsServing;
    // In Kubernetes mode the rate-limit service is a Deployment (KubernetesInfraRunner), never a host process.
    if (rateLimit === undefined || xds === undefined || !settings.hostInfrastructure) return { unenforcedReason: undefined };
    const log = yield* Log;
    const runtimeRoot = join(settings.paths.dataHome, "ratelimit");
    yield* Effect.promise(() => mkdir(runtimeRoot, { recursive: true, mode: 0o750 }));
    const handle = yield* Effect.acquireRelease(
      Effect.sync(() =>
        startRateLimitService({
          rateLimit,
          xdsServerAddress: `127.0.0.1:${xds.port}`,
          tls: xds.tls,
          certDirectory: join(settings.certDirectory, "envoy-rate-limit"),
          runtimeRoot,
          ...(settings.rateLimitPath !== undefined ? { binaryPath: settings.rateLimitPath } : {}),
          log: (entry) => log[entry.level](entry.message, { component: "infrastructure" }),
        }),
      ),
      (h) => Effect.promise(() => h.stop()),
    );
    return { unenforcedReason: handle.running ? undefined : handle.reason };
  }),
);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The condition type egts adds to a BackendTrafficPolicy's ancestors when its global rate limits go unenforced. */
export const RATE_LIMIT_UNENFORCED_CONDITION = "GlobalRateLimitEnforced";

/**
 * Marks the BackendTrafficPolicies with global rate limits as not enforced on this host: each ancestor of
 * their status gets a `GlobalRateLimitEnforced` condition, status False, reason `RateLimitServiceNotRunning`,
 * with the reason in its message. Other statuses are returned as they are; without a reason, all of them.
 */
export function withRateLimitUnenforced(statuses: readonly ResourceStatus[], resources: Resources, reason: string | undefined, now: Date): ResourceStatus[] {
  if (reason === undefined) return [...statuses];
  const affected = new Set(
    (resources.backendTrafficPolicies ?? [])
      .filter((p) => p.spec?.rateLimit?.global !== undefined)
      .map((p) => `${p.metadata?.namespace ?? ""}/${p.metadata?.name ?? ""}`),
  );
  if (affected.size === 0) return [...statuses];
  const time = now.toISOString().replace(/\.\d{3}Z$/, "Z");
  return statuses.map((entry) => {
    if (entry.kind !== "BackendTrafficPolicy" || !affected.has(`${entry.namespace ?? ""}/${entry.name}`) || !isRecord(entry.status)) return entry;
    const ancestors = Array.isArray(entry.status["ancestors"]) ? (entry.status["ancestors"] as Record<string, unknown>[]) : [];
    return {
      ...entry,
      status: {
        ...entry.status,
        ancestors: ancestors.map((ancestor) => {
          const conditions = Array.isArray(ancestor["conditions"]) ? (ancestor["conditions"] as Record<string, unknown>[]) : [];
          const generation = conditions.find((c) => c["observedGeneration"] !== undefined)?.["observedGeneration"];
          const condition = {
            type: RATE_LIMIT_UNENFORCED_CONDITION,
            status: "False",
            reason: "RateLimitServiceNotRunning",
            message: `Global rate limits will not be enforced: ${reason}.`,
            ...(generation !== undefined ? { observedGeneration: generation } : {}),
            lastTransitionTime: time,
          };
          return { ...ancestor, conditions: [...conditions.filter((c) => c["type"] !== RATE_LIMIT_UNENFORCED_CONDITION), condition] };
        }),
      },
    };
  });
}
