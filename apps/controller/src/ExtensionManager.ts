import type { BundleOptions, EnvoyGateway, Resources, SecretObjectReference } from "@egts/api";
import { connectExtensionManagers, extensionManagersOf, type ExtensionClient, type SecretData } from "@egts/extension-client";
import type { Xds } from "@egts/ir";
import * as Effect from "effect/Effect";
import * as Layer from "effect/Layer";
import type { ControllerBus } from "./Bus.js";
import type { MapUpdate, WatchableMap } from "./MessageBus.js";
import { Bus, Log, Metrics, Settings, Stages } from "./Services.js";
import type { XdsSettings } from "./Stages.js";

/** Whether the configuration names any extension manager (`extensionManager` or `extensionManagers`). */
export const hasExtensionManagers = (config: EnvoyGateway): boolean => extensionManagersOf(config).length > 0;

/**
 * How the provider sorts extension-owned objects (upstream's provider watches the managers' kinds): kinds of
 * `resources` and `backendResources` become route filters and backends, kinds of `policyResources` policies.
 */
export function extensionBundleOptions(config: EnvoyGateway): BundleOptions {
  const managers = extensionManagersOf(config);
  if (managers.length === 0) return {};
  return {
    extensionFilterKinds: managers.flatMap((m) => [...(m.resources ?? []), ...(m.backendResources ?? [])]),
    extensionPolicyKinds: managers.flatMap((m) => m.policyResources ?? []),
  };
}

/** The group/kinds the Gateway API translator accepts as extension filters and backends (upstream's ExtensionGroupKinds). */
export function extensionGroupKinds(config: EnvoyGateway): ReadonlyArray<{ readonly group: string; readonly kind: string }> {
  return extensionManagersOf(config).flatMap((m) => [...(m.resources ?? []), ...(m.backendResources ?? [])].map((k) => ({ group: k.group, kind: k.kind })));
}

/** Reads a Secret's data from the objects the provider currently holds (the File provider's secrets). */
export function secretFromResources(bus: ControllerBus, ref: SecretObjectReference, namespace: string): SecretData | undefined {
  for (const resources of bus.resources.snapshot().values()) {
    const secret = (resources as Resources).secrets?.find((s) => s.metadata?.name === ref.name && (s.metadata?.namespace ?? "") === namespace);
    if (secret === undefined) continue;
    const data: Record<string, Uint8Array> = {};
    for (const [key, value] of Object.entries(secret.data ?? {})) data[key] = Buffer.from(String(value), "base64");
    for (const [key, value] of Object.entries((secret as { stringData?: Record<string, string> }).stringData ?? {})) data[key] = Buffer.from(value, "utf8");
    return data;
  }
  return undefined;
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

const subscribe = <V>(map: WatchableMap<V>, listener: (update: MapUpdate<V>) => void) =>
  Effect.acquireRelease(
    Effect.sync(() => map.subscribe(listener)),
    (unsubscribe) => Effect.sync(unsubscribe),
  );

/**
 * The xDS translation runner when extension managers are configured (it replaces `XdsTranslationRunner`):
 * translation calls the extension servers' hooks over gRPC, so it runs asynchronously, one IR key at a time,
 * always on the latest IR of each key. As upstream's xDS runner, a translation that returns an error is not
 * published: the last good resources keep serving and the error is in `/api/status` (under `xds`). With
 * `failOpen`, failing hooks are logged and translation goes on without them. The gRPC channels are opened on
 * the first translation (TLS secrets come from the provider's objects) and closed when the controller stops.
 */
export const ExtensionXdsTranslationRunner = Layer.effectDiscard(
  Effect.gen(function* () {
    const settings = yield* Settings;
    const bus = yield* Bus;
    const stages = yield* Stages;
    const metrics = yield* Metrics;
    const log = yield* Log;
    const config = settings.envoyGateway;
    const managers = extensionManagersOf(config);
    const allFailOpen = managers.every((m) => m.failOpen === true);
    const xdsSettings: XdsSettings = {
      controllerNamespace: settings.controllerNamespace,
      dnsDomain: "cluster.local",
      ...(config.runtimeFlags !== undefined ? { runtimeFlags: config.runtimeFlags } : {}),
    };
    let client: Promise<ExtensionClient | undefined> | undefined;
    const connect = (): Promise<ExtensionClient | undefined> =>
      (client ??= connectExtensionManagers(config, {
        namespace: settings.controllerNamespace,
        loadSecret: async (ref, namespace) => secretFromResources(bus, ref, namespace),
        onFailOpenError: (manager, hook, error) =>
          log.warn("extension hook failed; going on without it (failOpen)", { component: "extension", manager, hook, error: error.message }),
      }).catch((error: unknown) => {
        client = undefined;
        throw error;
      }));

    const translateKey = async (key: string, ir: Xds): Promise<void> => {
      const started = performance.now();
      try {
        let extension: ExtensionClient | undefined;
        try {
          extension = await connect();
        } catch (error) {
          if (!allFailOpen) throw new Error(`extension manager: ${message(error)}`, { cause: error });
          log.warn("cannot connect the extension managers; translating without them (failOpen)", { component: "extension", error: message(error) });
        }
        const result =
          extension === undefined
            ? stages.translateXds(ir, xdsSettings)
            : stages.translateXdsWithExtensions !== undefined
              ? await stages.translateXdsWithExtensions(ir, xdsSettings, extension.hooks)
              : (() => {
                  throw new Error("the translation stages do not support extension hooks");
                })();
        metrics.observeTranslation("xds", (performance.now() - started) / 1000, result.errors.length === 0);
        if (result.errors.length > 0) {
          log.error("xds translation returned errors; the last good resources keep serving", {
            component: "xds-translator",
            irKey: key,
            errors: result.errors,
          });
          bus.xdsErrors.store(key, result.errors);
          return;
        }
        bus.xds.store(key, result);
        bus.xdsErrors.delete(key);
      } catch (error) {
        metrics.observeTranslation("xds", (performance.now() - started) / 1000, false);
        log.error("xds translation failed; the last good resources keep serving", { component: "xds-translator", irKey: key, error: message(error) });
        bus.xdsErrors.store(key, [message(error)]);
      }
    };

    // Latest IR per key not yet translated; bursts coalesce while a translation is under way.
    const pending = new Map<string, Xds | undefined>();
    let running: Promise<void> | undefined;
    const drain = async (): Promise<void> => {
      while (pending.size > 0) {
        const [key, ir] = pending.entries().next().value as [string, Xds | undefined];
        pending.delete(key);
        if (ir === undefined) {
          bus.xds.delete(key);
          bus.xdsErrors.delete(key);
        } else await translateKey(key, ir);
      }
      running = undefined;
    };
    // Finalizers run in reverse: unsubscribe, then let the translation under way finish, then close the channels.
    yield* Effect.addFinalizer(() =>
      Effect.promise(async () => {
        pending.clear();
        await running;
        (await client?.catch(() => undefined))?.close();
      }),
    );
    yield* subscribe(bus.xdsIR, (update) => {
      for (const [key, ir] of update.changed) pending.set(key, ir);
      running ??= Promise.resolve().then(drain);
    });
  }),
);
