import { readFileSync } from "node:fs";
import type { Infra, ProxyInfra } from "@egts/ir";
import {
  applyObjects,
  deleteObjects,
  proxyDesiredObjects,
  proxyObjectRefs,
  rateLimitDesiredObjects,
  gatewayNamespaceMode,
  type ApplyOptions,
  type ApplyReport,
  type EnvoyGatewayView,
  type ObjectStore,
  type ProxyRenderContext,
} from "@egts/infra-k8s";
import { clientNodeObjectStore } from "@egts/infra-k8s/client-node";
import { loadKubeConfig } from "@egts/provider-kubernetes";
import * as Effect from "effect/Effect";
import * as Layer from "effect/Layer";
import type { KubernetesInfraState } from "./Bus.js";
import type { Logger } from "./Logger.js";
import { objectOperationFeed } from "./OtelMetricsFeeds.js";
import { Bus, Log, Settings, UpstreamMetrics } from "./Services.js";

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

const emptyReport = (): ApplyReport => ({ created: [], updated: [], unchanged: [], deleted: [], notOwned: [], errors: [] });

const merge = (into: ApplyReport, from: ApplyReport): void => {
  for (const k of ["created", "updated", "unchanged", "deleted", "notOwned", "errors"] as const) into[k].push(...from[k]);
};

/** Options of {@link createKubernetesInfraReconciler}. */
export interface KubernetesInfraOptions {
  readonly store: ObjectStore;
  readonly envoyGateway: EnvoyGatewayView & { readonly rateLimit?: unknown };
  readonly controllerNamespace: string;
  readonly dnsDomain?: string;
  readonly log: Logger;
  /** Receives the outcome of every pass (what /api/status shows). */
  readonly report: (state: KubernetesInfraState) => void;
  /** Hears every object applied or deleted (upstream's resource_apply_* and resource_delete_* metrics). */
  readonly onObject?: ApplyOptions["onObject"];
}

/**
 * Keeps the cluster's Envoy (and rate-limit) objects as the infra IR asks, through an {@link ObjectStore}: every
 * IR change, while leading, renders each proxy fleet and applies it (no write when nothing changed), and
 * deletes the objects of fleets whose IR went away. Passes are serialized. Not leading, it only remembers
 * what changed, and catches up when it starts leading.
 */
export function createKubernetesInfraReconciler(options: KubernetesInfraOptions) {
  const { store, envoyGateway, controllerNamespace, log } = options;
  const applyOptions: ApplyOptions = options.onObject !== undefined ? { onObject: options.onObject } : {};
  const dnsDomain = options.dnsDomain ?? "cluster.local";
  let leader = false;
  let state: ReadonlyMap<string, Infra> = new Map();
  // Fleets whose IR went away, by key, with their last IR (to know their object names), until deleted.
  const gone = new Map<string, ProxyInfra>();
  let lastNotOwned = "";
  let chain: Promise<void> = Promise.resolve();

  const ownerUIDs = async (proxy: ProxyInfra): Promise<Record<string, string>> => {
    const owner = proxy.metadata?.ownerReference;
    if (owner?.kind === undefined || owner.name === undefined) return {};
    const namespaced = gatewayNamespaceMode(envoyGateway);
    const stored = await store.get({
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: owner.kind,
      namespace: namespaced ? (owner.namespace ?? proxy.namespace ?? "") : "",
      name: owner.name,
    });
    const uid = (stored?.["metadata"] as { uid?: string } | undefined)?.uid;
    return uid !== undefined ? { [owner.kind]: uid } : {};
  };

  const contextOf = async (proxy: ProxyInfra): Promise<ProxyRenderContext> => ({
    envoyGateway,
    controllerNamespace,
    dnsDomain,
    ownerReferenceUIDs: await ownerUIDs(proxy),
  });

  const pass = async (): Promise<void> => {
    if (!leader) return;
    const report = emptyReport();
    for (const [key, proxy] of [...gone]) {
      const { refs, ownerLabels } = proxyObjectRefs(proxy, { envoyGateway, controllerNamespace, dnsDomain });
      const r = await deleteObjects(store, refs, ownerLabels, applyOptions);
      merge(report, r);
      if (r.errors.length === 0) gone.delete(key);
    }
    for (const [key, infra] of state) {
      if (infra.proxy === undefined) continue;
      try {
        merge(report, await applyObjects(store, proxyDesiredObjects(infra.proxy, await contextOf(infra.proxy)), applyOptions));
      } catch (error) {
        report.errors.push(`${key}: ${message(error)}`);
      }
    }
    if (envoyGateway.rateLimit !== undefined)
      merge(report, await applyObjects(store, rateLimitDesiredObjects({ envoyGateway, namespace: controllerNamespace }), applyOptions));
    const written = report.created.length + report.updated.length + report.deleted.length;
    if (written > 0)
      log.info("Kubernetes infrastructure applied", { component: "infrastructure", created: report.created, updated: report.updated, deleted: report.deleted });
    const notOwned = JSON.stringify(report.notOwned);
    if (report.notOwned.length > 0 && notOwned !== lastNotOwned)
      log.warn("objects egts does not own are left alone", { component: "infrastructure", objects: report.notOwned });
    lastNotOwned = notOwned;
    for (const error of report.errors) log.error("infrastructure object not applied", { component: "infrastructure", error });
    options.report({
      leader,
      notOwned: report.notOwned,
      errors: report.errors,
      objects: report.created.length + report.updated.length + report.unchanged.length,
    });
  };

  const schedule = () => {
    chain = chain.then(pass).catch((error: unknown) => log.error("infrastructure update failed", { component: "infrastructure", error: message(error) }));
    return chain;
  };

  return {
    /** The infra IR changed: `changed` has the changed keys (undefined for a deleted one), `next` the whole map. */
    update(changed: ReadonlyMap<string, Infra | undefined>, next: ReadonlyMap<string, Infra>): Promise<void> {
      for (const [key, value] of changed) {
        const before = state.get(key)?.proxy;
        if (value === undefined && before !== undefined) gone.set(key, before);
        else if (value !== undefined) gone.delete(key);
      }
      state = next;
      return schedule();
    },
    /** Leadership changed; a new leader applies everything. */
    setLeader(isLeader: boolean): Promise<void> {
      const became = isLeader && !leader;
      leader = isLeader;
      if (!isLeader) options.report({ leader, notOwned: [], errors: [], objects: 0 });
      return became ? schedule() : chain;
    },
    /** Resolves when every scheduled pass has finished. */
    idle: (): Promise<void> => chain,
  };
}

/**
 * The Kubernetes infrastructure runner (Kubernetes provider only): renders each infra IR with @egts/infra-k8s and
 * applies it through client-node while this replica holds the leader Lease (as reported by the provider runner);
 * results, including objects left alone because egts does not own them, go to `bus.kubernetesInfra`.
 */
export const KubernetesInfraRunner = Layer.effectDiscard(
  Effect.gen(function* () {
    const settings = yield* Settings;
    const bus = yield* Bus;
    const log = yield* Log;
    const upstreamMetrics = yield* UpstreamMetrics;
    if (settings.providerType !== "Kubernetes") return;
    const kc = loadKubeConfig(settings.kubeconfig !== undefined ? { kubeconfigText: readFileSync(settings.kubeconfig, "utf8") } : {});
    const reconciler = createKubernetesInfraReconciler({
      store: clientNodeObjectStore(kc),
      envoyGateway: settings.envoyGateway as EnvoyGatewayView & { readonly rateLimit?: unknown },
      controllerNamespace: settings.controllerNamespace,
      log,
      report: (state) => bus.kubernetesInfra.store("kubernetes", state),
      onObject: objectOperationFeed(upstreamMetrics),
    });
    const unsubscribeIR = bus.infraIR.subscribe((update) => void reconciler.update(update.changed, update.state));
    const unsubscribeHealth = bus.providerHealth.subscribe((update) => void reconciler.setLeader(update.state.get("kubernetes")?.leader === true));
    yield* Effect.addFinalizer(() =>
      Effect.promise(async () => {
        unsubscribeIR();
        unsubscribeHealth();
        await reconciler.idle();
      }),
    );
  }),
);
