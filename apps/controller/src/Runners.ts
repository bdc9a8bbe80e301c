import { createResourceGrouper, type KnownObject, type Resources, type UnstructuredObject } from "@egts/api";
import type { Xds } from "@egts/ir";
import { HostInfraManager } from "@egts/infra-host";
import { formatFileProblem, watchFiles, type FileSnapshot } from "@egts/provider-file";
import {
  createSnapshotCache,
  createXdsServer,
  preEncodedResource,
  resourceSetChanges,
  resourceTypeUrls,
  type Snapshot,
  type SnapshotInput,
} from "@egts/xds-server";
import * as Effect from "effect/Effect";
import * as Layer from "effect/Layer";
import { join } from "node:path";
import { ensureCertificates } from "./Certificates.js";
import { reloadCertificatesOnChange, reloadSecretCertificatesOnChange } from "./CertificateReload.js";
import { extensionBundleOptions, extensionGroupKinds, hasExtensionManagers } from "./ExtensionManager.js";
import { certificateWatch } from "./CertificateWatch.js";
import { sameEntries, sameEntry } from "./Bus.js";
import { createKindCounter } from "./internal/KindCounts.js";
import { deepEqual } from "./internal/deepEqual.js";
import { withProviderConditions } from "./ProviderStatus.js";
import { RateLimitHost, withRateLimitUnenforced } from "./RateLimitRunner.js";
import type { MapUpdate, WatchableMap } from "./MessageBus.js";
import { MetricsServing } from "./OtelMetricsLive.js";
import { Bus, HostInfra, Log, Metrics, Readiness, Settings, Stages, XdsServing } from "./Services.js";
import type { GatewayApiSettings, GatewayApiTranslation, XdsResourceEntry, XdsResources, XdsSettings, XdsTranslation } from "./Stages.js";

/** Subscribes for the lifetime of the enclosing scope. */
const subscribe = <V>(map: WatchableMap<V>, listener: (update: MapUpdate<V>) => void) =>
  Effect.acquireRelease(
    Effect.sync(() => map.subscribe(listener)),
    (unsubscribe) => Effect.sync(unsubscribe),
  );

/** Transition times alone do not make a status different. */
const TRANSITION_TIMES: ReadonlySet<string> = new Set(["lastTransitionTime"]);

const milliseconds = (since: number): number => Math.round((performance.now() - since) * 100) / 100;

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * The provider runner: watches the File provider's paths and publishes, per GatewayClass managed by this
 * controller, the Resources bundle (grouped by @egts/api as upstream's provider does), plus the provider's problems.
 * Broken files keep serving their last good objects (the provider's own rule), so a bad edit never empties
 * the configuration.
 */
export const ProviderRunner = Layer.effectDiscard(
  Effect.gen(function* () {
    const settings = yield* Settings;
    const bus = yield* Bus;
    const log = yield* Log;
    const readiness = yield* Readiness;
    let logged = new Set<string>();
    // Regrouping after an edit reuses what the edit left alone (lists, bundles, references found).
    const grouper = createResourceGrouper(settings.controllerName, {
      ...extensionBundleOptions(settings.envoyGateway),
      controllerNamespace: settings.controllerNamespace,
    });
    const countKinds = createKindCounter();
    const publish = (snapshot: FileSnapshot): void => {
      try {
        publishSnapshot(snapshot);
      } catch (error) {
        log.error("cannot publish the provider's resources; the previous ones keep serving", { component: "provider", error: message(error) });
      }
    };
    const publishSnapshot = (snapshot: FileSnapshot): void => {
      const groups = grouper.groupObjects(snapshot.objects as ReadonlyArray<KnownObject>, snapshot.unknown as ReadonlyArray<UnstructuredObject>);
      bus.resources.replaceAll(new Map(groups.map((g) => [g.gatewayClassName, g.resources])));
      bus.providerProblems.store("file", snapshot.problems);
      bus.staleFiles.store("file", snapshot.staleFiles);
      bus.resourceCounts.store("file", countKinds([snapshot.objects, snapshot.unknown]));
      // Each problem is logged when it appears, not again on every later reload while it stands.
      const current = new Set<string>();
      for (const problem of snapshot.problems) {
        const text = formatFileProblem(problem);
        current.add(text);
        if (logged.has(text)) continue;
        if (problem.severity === "warning") log.warn(text, { component: "provider" });
        else log.error(text, { component: "provider" });
      }
      logged = current;
      log.info("resources loaded", {
        component: "provider",
        objects: snapshot.objects.length,
        gatewayClasses: groups.length,
        problems: snapshot.problems.length,
      });
      readiness.provider = true;
    };
    yield* Effect.acquireRelease(
      Effect.promise(() =>
        watchFiles(
          {
            paths: settings.filePaths,
            debounceMs: settings.fileDebounceMs,
            maxDelayMs: settings.fileMaxDelayMs,
            stateFile: settings.fileStateFile,
            onStateError: (problem) => log.warn(problem, { component: "provider" }),
            problemLimits: settings.problemLimits,
          },
          publish,
        ),
      ),
      // The last good texts are on disk before the provider is gone.
      (watch) =>
        Effect.promise(() => {
          watch.close();
          return watch.stateSaved();
        }),
    );
    log.info("watching files", { component: "provider", paths: settings.filePaths });
  }),
);

/**
 * The Gateway API runner: translates each changed GatewayClass bundle into xds IR, infra IR and statuses.
 * IR keys a class no longer produces are deleted. When translation throws, the error is recorded and the IR
 * of the last good translation keeps serving.
 */
export const GatewayApiRunner = Layer.effectDiscard(
  Effect.gen(function* () {
    const settings = yield* Settings;
    const bus = yield* Bus;
    const stages = yield* Stages;
    const metrics = yield* Metrics;
    const otel = (yield* MetricsServing).metrics;
    const log = yield* Log;
    const rateLimitHost = yield* RateLimitHost;
    // Per GatewayClass: the IR keys it produced, and the statuses its translation last returned.
    const owned = new Map<string, { xds: Set<string>; infra: Set<string> }>();
    const lastStatuses = new Map<string, GatewayApiTranslation["statuses"]>();
    const extensionApis = settings.envoyGateway.extensionApis;
    const base: Omit<GatewayApiSettings, "gatewayClassName"> = {
      gatewayControllerName: settings.controllerName,
      controllerNamespace: settings.controllerNamespace,
      runningOnHost: settings.hostInfrastructure,
      envoyPatchPolicyEnabled: extensionApis?.enableEnvoyPatchPolicy ?? false,
      backendEnabled: extensionApis?.enableBackend ?? false,
      luaEnvoyExtensionPolicyDisabled: extensionApis?.disableLua ?? false,
      sdsSecretRefEnabled: extensionApis?.enableSDSSecretRef ?? false,
      globalRateLimitEnabled: settings.envoyGateway.rateLimit !== undefined,
      ...(hasExtensionManagers(settings.envoyGateway) ? { extensionGroupKinds: extensionGroupKinds(settings.envoyGateway) } : {}),
    };
    /** Classes whose translation waits for the stages' preparation; it runs on the resources current then. */
    const preparing = new Set<string>();
    let stopped = false;
    yield* Effect.addFinalizer(() =>
      Effect.sync(() => {
        stopped = true;
      }),
    );
    const translateChanged = (update: Pick<MapUpdate<Resources>, "changed">): void => {
      for (const [className, resources] of update.changed) {
        const before = owned.get(className) ?? { xds: new Set<string>(), infra: new Set<string>() };
        if (resources === undefined) {
          for (const key of before.xds) bus.xdsIR.delete(key);
          for (const key of before.infra) bus.infraIR.delete(key);
          owned.delete(className);
          lastStatuses.delete(className);
          bus.gatewayClasses.delete(className);
          continue;
        }
        if (preparing.has(className)) continue;
        const preparation = stages.prepareGatewayApi?.(resources);
        if (preparation !== undefined) {
          preparing.add(className);
          void preparation
            .catch((error: unknown) =>
              log.error("preparing the gateway api translation failed", { component: "gateway-api", gatewayClass: className, error: message(error) }),
            )
            .then(() => {
              preparing.delete(className);
              if (!stopped) translateChanged({ changed: new Map([[className, bus.resources.snapshot().get(className)]]) });
            });
          continue;
        }
        const started = performance.now();
        try {
          const result = stages.translateGatewayApi(resources, { ...base, gatewayClassName: className });
          const seconds = (performance.now() - started) / 1000;
          const path = result.path ?? "full";
          metrics.observeTranslation("gatewayapi", seconds, true);
          metrics.observeStage("gateway-api", path, seconds);
          otel.watchableHandled("gateway-api", bus.resources.name, seconds, "success");
          log.debug("gateway api translation ran", { component: "pipeline", gatewayClass: className, path, ms: milliseconds(started) });
          const now = { xds: new Set(result.xdsIR.keys()), infra: new Set(result.infraIR.keys()) };
          for (const key of before.xds) if (!now.xds.has(key)) bus.xdsIR.delete(key);
          for (const key of before.infra) if (!now.infra.has(key)) bus.infraIR.delete(key);
          // An unchanged IR object is dropped by the bus at once (identity), so only changed keys go on.
          for (const [key, ir] of result.xdsIR) bus.xdsIR.store(key, ir);
          for (const [key, ir] of result.infraIR) bus.infraIR.store(key, ir);
          owned.set(className, now);
          const previous = bus.gatewayClasses.get(className);
          // The very statuses of the last good translation (an incremental stage returns them again): nothing to redo.
          if (previous !== undefined && previous.errors.length === 0 && lastStatuses.get(className) === result.statuses) continue;
          lastStatuses.set(className, result.statuses);
          const at = new Date();
          const statuses = withRateLimitUnenforced(withProviderConditions(result.statuses, at), resources, rateLimitHost.unenforcedReason, at);
          // Transition times alone do not make a new status: keep the published one when nothing else changed.
          if (previous === undefined || previous.errors.length > 0 || !deepEqual(previous.statuses, statuses, TRANSITION_TIMES)) {
            bus.gatewayClasses.store(className, { statuses, errors: [] });
          }
        } catch (error) {
          metrics.observeTranslation("gatewayapi", (performance.now() - started) / 1000, false);
          otel.watchableHandled("gateway-api", bus.resources.name, (performance.now() - started) / 1000, "failure");
          log.error("gateway api translation failed; the last good translation keeps serving", {
            component: "gateway-api",
            gatewayClass: className,
            error: message(error),
          });
          const previous = bus.gatewayClasses.get(className);
          bus.gatewayClasses.store(className, { statuses: previous?.statuses ?? [], errors: [message(error)] });
        }
      }
    };
    yield* subscribe(bus.resources, translateChanged);
    const onExternalResult = stages.onExternalResult;
    if (onExternalResult !== undefined) {
      yield* Effect.acquireRelease(
        Effect.sync(() =>
          onExternalResult(() => {
            // An external result (an OIDC document, a Wasm module) changes the output without changing the
            // resources: incremental stages must not answer from their previous run.
            stages.invalidate?.();
            translateChanged({ changed: bus.resources.snapshot() });
          }),
        ),
        (unsubscribe) => Effect.sync(unsubscribe),
      );
    }
  }),
);

/**
 * The xDS translation runner: translates each changed xds IR key into Envoy resources. When translation throws,
 * the error is recorded and the last good resources keep serving.
 */
export const XdsTranslationRunner = Layer.effectDiscard(
  Effect.gen(function* () {
    const settings = yield* Settings;
    const bus = yield* Bus;
    const stages = yield* Stages;
    const metrics = yield* Metrics;
    const otel = (yield* MetricsServing).metrics;
    const log = yield* Log;
    const xdsSettings: XdsSettings = {
      controllerNamespace: settings.controllerNamespace,
      dnsDomain: "cluster.local",
      ...(settings.envoyGateway.runtimeFlags !== undefined ? { runtimeFlags: settings.envoyGateway.runtimeFlags } : {}),
    };
    // Per IR key: the IR translated last and its result. The settings above are fixed for the runner's life, so
    // an identical IR object means an identical translation.
    const last = new Map<string, { readonly ir: Xds; readonly translation: XdsTranslation }>();
    yield* subscribe(bus.xdsIR, (update) => {
      for (const [key, ir] of update.changed) {
        if (ir === undefined) {
          last.delete(key);
          bus.xds.delete(key);
          bus.xdsErrors.delete(key);
          continue;
        }
        const started = performance.now();
        const previous = last.get(key);
        if (previous?.ir === ir) {
          metrics.observeStage("xds-translation", "skipped-identical", (performance.now() - started) / 1000);
          log.debug("xds translation skipped: identical IR", { component: "pipeline", irKey: key });
          bus.xds.store(key, previous.translation);
          continue;
        }
        try {
          const { work, ...translation } = stages.translateXds(ir, xdsSettings, key);
          const seconds = (performance.now() - started) / 1000;
          metrics.observeTranslation("xds", seconds, translation.errors.length === 0);
          metrics.observeStage("xds-translation", "translated", seconds);
          otel.watchableHandled("xds-translator", bus.xdsIR.name, seconds, translation.errors.length === 0 ? "success" : "failure");
          log.debug("xds translation ran", {
            component: "pipeline",
            irKey: key,
            ms: milliseconds(started),
            ...(work !== undefined ? work : {}),
            path: work?.path ?? "translated",
          });
          last.set(key, { ir, translation });
          bus.xds.store(key, translation);
          if (translation.errors.length > 0) {
            log.warn("xds translation reported errors", { component: "xds-translator", irKey: key, errors: translation.errors });
            bus.xdsErrors.store(key, translation.errors);
          } else bus.xdsErrors.delete(key);
        } catch (error) {
          last.delete(key);
          metrics.observeTranslation("xds", (performance.now() - started) / 1000, false);
          otel.watchableHandled("xds-translator", bus.xdsIR.name, (performance.now() - started) / 1000, "failure");
          log.error("xds translation failed; the last good resources keep serving", { component: "xds-translator", irKey: key, error: message(error) });
          bus.xdsErrors.store(key, [message(error)]);
        }
      }
    });
  }),
);

/**
 * Remembers the snapshot item made for each translated resource, by its bytes (or message) object, so a
 * resource the translator hands over again is the same item: the snapshot cache then finds its encoding
 * (and version) by identity instead of hashing and framing it again. Per type, it also keeps the last list
 * and its items, so a type whose resources all came back unchanged costs one pass of identity checks.
 */
export interface SnapshotItemMemo {
  readonly items: WeakMap<object, object>;
  readonly lastByType: Map<string, { readonly list: ReadonlyArray<XdsResourceEntry>; readonly items: object[] }>;
}

/** An empty {@link SnapshotItemMemo}. */
export const snapshotItemMemo = (): SnapshotItemMemo => ({ items: new WeakMap(), lastByType: new Map() });

/** The snapshot input of one IR key's resources, by type URL. */
export function snapshotInputOf(resources: XdsResources, memo: SnapshotItemMemo = snapshotItemMemo()): SnapshotInput {
  // Resources the translator already encoded are served from their bytes; others are encoded by the cache.
  // The translator, like upstream's, may emit one name twice (e.g. the CA secret of a Backend two rules use);
  // a snapshot holds one resource per name, the last one, as go-control-plane's snapshot keeps.
  const itemOf = (e: XdsResourceEntry): object => {
    if (e.bytes === undefined) return e.message;
    const remembered = memo.items.get(e.bytes) as { name?: string } | undefined;
    if (remembered !== undefined && remembered.name === e.name) return remembered;
    const item = preEncodedResource(e.name, e.bytes);
    memo.items.set(e.bytes, item);
    return item;
  };
  const entries = (typeUrl: string, list: ReadonlyArray<XdsResourceEntry>): object[] => {
    const last = memo.lastByType.get(typeUrl);
    if (last !== undefined && sameEntries(last.list, list)) return last.items;
    const items = samePlaces(last, list) ?? [...new Map(list.map((e) => [e.name, e] as const)).values()].map(itemOf);
    memo.lastByType.set(typeUrl, { list, items });
    return items;
  };
  // A list whose names are where they were in a last list that named each once (the usual change: some
  // resources' contents) keeps the items of the unchanged places; the others are looked up.
  const samePlaces = (
    last: { readonly list: ReadonlyArray<XdsResourceEntry>; readonly items: object[] } | undefined,
    list: ReadonlyArray<XdsResourceEntry>,
  ) => {
    if (last === undefined || last.list.length !== list.length || last.items.length !== list.length) return undefined;
    const items: object[] = [];
    for (let i = 0; i < list.length; i++) {
      const e = list[i]!;
      const was = last.list[i]!;
      if (e.name !== was.name) return undefined;
      items.push(sameEntry(e, was) ? last.items[i]! : itemOf(e));
    }
    return items;
  };
  return {
    [resourceTypeUrls.clusters]: entries(resourceTypeUrls.clusters, resources.clusters),
    [resourceTypeUrls.endpoints]: entries(resourceTypeUrls.endpoints, resources.endpoints),
    [resourceTypeUrls.listeners]: entries(resourceTypeUrls.listeners, resources.listeners),
    [resourceTypeUrls.routes]: entries(resourceTypeUrls.routes, resources.routes),
    [resourceTypeUrls.secrets]: entries(resourceTypeUrls.secrets, resources.secrets),
  };
}

/** Per resource type (short name, e.g. `RouteConfiguration`): resources added, changed or removed from `before` to `after`. */
export function changedResources(before: Snapshot | undefined, after: Snapshot): Record<string, number> {
  const changed: Record<string, number> = {};
  const typeUrls = new Set([...(before?.types.keys() ?? []), ...after.types.keys()]);
  for (const typeUrl of typeUrls) {
    const was = before?.resourcesOf(typeUrl);
    const now = after.resourcesOf(typeUrl);
    if (was === now || was?.version === now.version) continue;
    const { changed: replaced, removed } = resourceSetChanges(was, now);
    const n = replaced.length + removed.length;
    if (n > 0) changed[typeUrl.split(".").at(-1) ?? typeUrl] = n;
  }
  return changed;
}

/**
 * The xDS server: mTLS with certificates generated on first start (or plaintext on loopback when configured),
 * fed from the `xds` map: a changed key gets a new snapshot, a removed key's snapshot is cleared.
 */
export const XdsServerLive = Layer.effect(
  XdsServing,
  Effect.gen(function* () {
    const settings = yield* Settings;
    const bus = yield* Bus;
    const log = yield* Log;
    const metrics = yield* Metrics;
    const readiness = yield* Readiness;
    const tls = settings.xds.tls
      ? yield* Effect.promise(async () => {
          // Kubernetes mode keeps them in Secrets of the controller namespace, as upstream's certgen.
          const { credentials, generated } =
            settings.providerType === "Kubernetes"
              ? await (await import("./KubernetesProviderRunner.js")).kubernetesCertificates(settings)
              : await ensureCertificates(settings.certDirectory);
          if (generated)
            log.info("generated xDS certificates", {
              component: "xds-server",
              ...(settings.providerType === "Kubernetes" ? { namespace: settings.controllerNamespace } : { directory: settings.certDirectory }),
            });
          return { caCertificate: credentials.caCertificate, certificate: credentials.certificate, privateKey: credentials.privateKey };
        })
      : undefined;
    const certificates = tls === undefined ? () => [] : yield* certificateWatch(settings, tls, log, metrics, readiness);
    const cache = createSnapshotCache();
    const xdsLog = {
      debug: (m: string, f?: Record<string, unknown>) => log.debug(m, { component: "xds-server", ...f }),
      info: (m: string, f?: Record<string, unknown>) => log.info(m, { component: "xds-server", ...f }),
      warn: (m: string, f?: Record<string, unknown>) => log.warn(m, { component: "xds-server", ...f }),
      error: (m: string, f?: Record<string, unknown>) => log.error(m, { component: "xds-server", ...f }),
    };
    const server = createXdsServer({ cache, logger: xdsLog, limits: settings.xdsLimits, ...(tls !== undefined ? { tls } : {}) });
    const port = yield* Effect.acquireRelease(
      Effect.promise(() => server.listen(`${settings.xds.host}:${settings.xds.port}`)),
      () => Effect.promise(() => server.close()),
    );
    readiness.xds = true;
    if (tls !== undefined)
      yield* settings.providerType === "Kubernetes"
        ? Effect.promise(() => import("./KubernetesProviderRunner.js")).pipe(
            Effect.flatMap((k) =>
              reloadSecretCertificatesOnChange(k.kubernetesServerSecretReader(settings), tls, server, xdsLog, `${settings.controllerNamespace}/envoy-gateway`),
            ),
          )
        : reloadCertificatesOnChange(settings.certDirectory, tls, server, xdsLog);
    server.onAckNack((event) => {
      if (event.kind === "nack") {
        metrics.increment("egts_xds_nacks_total", "xDS responses proxies rejected.", { type: event.typeUrl.split(".").at(-1) ?? event.typeUrl });
        log.warn("proxy rejected xDS", { component: "xds-server", node: event.nodeId, cluster: event.cluster, type: event.typeUrl, message: event.message });
      }
    });
    const items = snapshotItemMemo();
    yield* subscribe(bus.xds, (update) => {
      for (const [key, translation] of update.changed) {
        if (translation === undefined) {
          cache.clearSnapshot(key);
          continue;
        }
        try {
          const started = performance.now();
          const before = cache.getSnapshot(key);
          const after = cache.setSnapshot(key, snapshotInputOf(translation.resources, items));
          readiness.served = true;
          metrics.increment("egts_xds_snapshot_updates_total", "Snapshots set in the xDS cache.");
          const changed = changedResources(before, after);
          for (const [type, n] of Object.entries(changed))
            metrics.increment("egts_xds_snapshot_resources_changed_total", "Resources added, changed or removed by snapshot updates, per type.", { type }, n);
          metrics.observeStage("xds-snapshot", "set", (performance.now() - started) / 1000);
          log.debug("xds snapshot set", { component: "pipeline", irKey: key, ms: milliseconds(started), changed });
        } catch (error) {
          log.error("cannot encode xDS snapshot; the previous one keeps serving", { component: "xds-server", irKey: key, error: message(error) });
          bus.xdsErrors.store(key, [...(bus.xdsErrors.get(key) ?? []), `snapshot: ${message(error)}`]);
        }
      }
    });
    return { server, cache, port, tls: tls !== undefined, certificates };
  }),
);

/**
 * The infrastructure runner: one Envoy process per infra IR key on this host (when an Envoy binary is found),
 * bootstrapped to dial this controller's xDS server. Applies are serialized; shutdown stops every proxy.
 */
export const HostInfraLive = Layer.effect(
  HostInfra,
  Effect.gen(function* () {
    const settings = yield* Settings;
    const bus = yield* Bus;
    const log = yield* Log;
    const xds = yield* XdsServing;
    const manager = yield* Effect.acquireRelease(
      Effect.sync(
        () =>
          new HostInfraManager({
            ...(settings.envoyPath !== undefined ? { envoyPath: settings.envoyPath } : {}),
            proxy: {
              // Upstream host mode dials 0.0.0.0 (this host); plaintext mode listens on loopback only.
              xdsServerHost: xds.tls ? "0.0.0.0" : "127.0.0.1",
              xdsServerPort: xds.port,
              xdsTls: xds.tls,
              sdsDirectory: join(settings.certDirectory, "envoy"),
            },
            log: (entry) => log[entry.level](entry.message, { component: "infrastructure", ...(entry.irKey !== undefined ? { irKey: entry.irKey } : {}) }),
          }),
      ),
      (m) => Effect.promise(() => m.close()),
    );
    let chain: Promise<void> = Promise.resolve();
    // Finalizers run in reverse: unsubscribe, then let pending applies finish, then stop every proxy.
    yield* Effect.addFinalizer(() => Effect.promise(() => chain));
    // Kubernetes mode runs no proxies on this host.
    if (!settings.hostInfrastructure) return manager;
    yield* subscribe(bus.infraIR, (update) => {
      chain = chain
        .then(() => manager.apply(update.state))
        .catch((error: unknown) => log.error("infrastructure update failed", { component: "infrastructure", error: message(error) }));
    });
    return manager;
  }),
);
