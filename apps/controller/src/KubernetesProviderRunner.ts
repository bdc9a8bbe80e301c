import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import { createResourceGrouper, decodeObject, type KnownObject, type UnstructuredObject } from "@egts/api";
import {
  aggregateStatuses,
  createKubeClient,
  createStatusWriter,
  loadKubeConfig,
  startKubernetesProvider,
  startLeaderElection,
  watchedKindNamed,
  type KubeObject,
  type ProviderSnapshot,
} from "@egts/provider-kubernetes";
import * as Effect from "effect/Effect";
import * as Layer from "effect/Layer";
import type { KubernetesProviderState } from "./Bus.js";
import type { ControllerSettings } from "./Config.js";
import { createKindCounter } from "./internal/KindCounts.js";
import { ensureKubernetesCertificates, serverSecretReader } from "./KubernetesCertificates.js";
import { deepEqual } from "./internal/deepEqual.js";
import { statusUpdateFeed } from "./OtelMetricsFeeds.js";
import { Bus, Log, Readiness, Settings, UpstreamMetrics } from "./Services.js";

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** A Go duration (`15s`, `1m30s`, `500ms`) in milliseconds; undefined when absent or unreadable. */
export function durationMs(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1, us: 0.001, µs: 0.001, ns: 0.000001 };
  let total = 0;
  let rest = text.trim();
  if (rest === "") return undefined;
  while (rest !== "") {
    const m = /^(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/.exec(rest);
    if (!m) return undefined;
    total += Number(m[1]) * units[m[2]!]!;
    rest = rest.slice(m[0].length);
  }
  return total;
}

/** client-node's configuration for the controller: the kubeconfig file given, else in-cluster or KUBECONFIG. */
const kubeConfigOf = (settings: ControllerSettings) =>
  loadKubeConfig(settings.kubeconfig !== undefined ? { kubeconfigText: readFileSync(settings.kubeconfig, "utf8") } : {});

/** The xDS mTLS credentials from (or created as) the controller namespace's Secrets. */
export const kubernetesCertificates = (settings: ControllerSettings) =>
  ensureKubernetesCertificates(createKubeClient(kubeConfigOf(settings)), settings.controllerNamespace);

/** Reads the xDS server's Secret again when it changed (for reloading without a restart). */
export const kubernetesServerSecretReader = (settings: ControllerSettings) =>
  serverSecretReader(createKubeClient(kubeConfigOf(settings)), settings.controllerNamespace);

/**
 * What translation reads of an object, cheaply: for kinds whose status egts writes, the generation (spec
 * changes), labels, annotations and deletion; for others the resourceVersion.
 */
function fingerprintOf(o: KubeObject): string {
  const kind = o.kind !== undefined ? watchedKindNamed(o.kind) : undefined;
  if (kind?.hasStatus !== true || o.metadata.generation === undefined) return `rv:${o.metadata.resourceVersion ?? ""}`;
  return JSON.stringify([o.metadata.generation, o.metadata.labels ?? null, o.metadata["annotations"] ?? null, o.metadata.deletionTimestamp ?? null]);
}

/** An object from the API server, what decides whether it changed for translation, and its translator input. */
interface DecodedInput {
  readonly source: KubeObject;
  readonly fingerprint: string;
  readonly input: { readonly known?: KnownObject; readonly unknown?: UnstructuredObject };
}

/**
 * Turns an object from the API server into what the translator takes: CRD defaults applied (a real API
 * server has applied them already; the call is idempotent) and the stored status dropped for kinds whose
 * status the translator computes afresh.
 */
function toTranslatorInput(o: KubeObject): { known?: KnownObject; unknown?: UnstructuredObject } {
  const kind = o.kind !== undefined ? watchedKindNamed(o.kind) : undefined;
  const input = kind?.hasStatus === true ? { ...o, status: undefined } : o;
  if (kind?.hasStatus === true) delete (input as Record<string, unknown>)["status"];
  const decoded = decodeObject(input, { validate: false, unknownFields: "drop" });
  if (decoded.ok) return { known: decoded.object };
  return { unknown: o as unknown as UnstructuredObject };
}

/**
 * The Kubernetes provider runner: lists and watches the API server (@egts/provider-kubernetes over
 * client-node), publishes one Resources bundle per managed GatewayClass, and, while this replica holds the
 * leader Lease, writes the translator's statuses back (aggregated across GatewayClasses, Gateway addresses
 * and Programmed from the Envoy Service and Deployment) and keeps the GatewayClass finalizer. Every replica
 * translates and serves xDS; when the API server is unreachable the last published resources keep serving
 * and `/api/status` says why.
 */
export const KubernetesProviderRunner = Layer.effectDiscard(
  Effect.gen(function* () {
    const settings = yield* Settings;
    const bus = yield* Bus;
    const log = yield* Log;
    const readiness = yield* Readiness;
    const upstreamMetrics = yield* UpstreamMetrics;
    const eg = settings.envoyGateway;
    const k8s = eg.provider?.kubernetes ?? eg.provider?.custom?.resource.kubernetes;
    const kc = kubeConfigOf(settings);
    const client = createKubeClient(kc);
    const providerLog = (level: "debug" | "info" | "warn" | "error", text: string, fields?: Record<string, unknown>) =>
      log[level](text, { component: "provider", ...fields });
    const identity = `${hostname()}_${randomUUID()}`;
    const electionSettings = k8s?.leaderElection;
    let provider: ReturnType<typeof startKubernetesProvider> | undefined;
    let statusErrors: ReadonlyArray<string> = [];

    // Decoded inputs by object key, reused while what translation reads is unchanged: a status write changes an
    // object's resourceVersion but not its generation, and must not re-translate (upstream's generation predicate).
    let decoded = new Map<string, DecodedInput>();
    let lastInputs: ReadonlyArray<object> = [];
    // Regrouping after an event reuses what the event left alone (lists, bundles, references found).
    const countKinds = createKindCounter();
    const grouper = createResourceGrouper(settings.controllerName, {
      controllerNamespace: settings.controllerNamespace,
      ...(eg.extensionManager?.resources !== undefined ? { extensionFilterKinds: eg.extensionManager.resources } : {}),
      ...(eg.extensionManager?.policyResources !== undefined ? { extensionPolicyKinds: eg.extensionManager.policyResources } : {}),
    });
    let byKey = new Map<string, KubeObject>();
    let lastSnapshot: ProviderSnapshot | undefined;

    const reportHealth = () => {
      if (!provider) return;
      const h = provider.health();
      const state: KubernetesProviderState = {
        synced: h.synced,
        connected: h.connected,
        ...(h.error !== undefined ? { error: h.error } : {}),
        leader: election.isLeader(),
        disabledKinds: lastSnapshot?.disabledKinds ?? [],
        statusErrors,
      };
      const previous = bus.providerHealth.get("kubernetes");
      if (previous === undefined || !deepEqual(previous, state)) {
        if (previous?.connected === true && !state.connected)
          log.warn("API server unreachable; the last good configuration keeps serving", { component: "provider", error: state.error });
        if (previous?.connected === false && state.connected) log.info("API server reachable again", { component: "provider" });
        bus.providerHealth.store("kubernetes", state);
      }
    };

    let retryTimer: NodeJS.Timeout | undefined;
    let writing = false;
    let again = false;
    const writeStatuses = () => {
      if (!election.isLeader()) return;
      if (writing) {
        again = true;
        return;
      }
      writing = true;
      const statuses = aggregateStatuses([...bus.gatewayClasses.snapshot().values()].map((r) => r.statuses));
      const classes = (lastSnapshot?.objects ?? []).filter(
        (o) => o.kind === "GatewayClass" && (o["spec"] as { controllerName?: string } | undefined)?.controllerName === settings.controllerName,
      );
      const gateways = (lastSnapshot?.objects ?? []).filter((o) => o.kind === "Gateway");
      void writer
        .write(statuses)
        .then(async (summary) => {
          statusErrors = summary.errors;
          // Failed writes (the API server away, say) are tried again shortly.
          if (summary.errors.length > 0 && retryTimer === undefined) {
            retryTimer = setTimeout(() => ((retryTimer = undefined), writeStatuses()), 2_000);
            retryTimer.unref();
          }
          if (summary.written > 0) log.debug("statuses written", { component: "provider", written: summary.written, conflicts: summary.conflicts });
          await writer.syncFinalizers(classes, gateways);
        })
        .catch((error: unknown) => log.error("status write-back failed", { component: "provider", error: message(error) }))
        .finally(() => {
          writing = false;
          reportHealth();
          if (again) {
            again = false;
            writeStatuses();
          }
        });
    };

    const election =
      electionSettings?.disable === true
        ? { isLeader: () => true, close: async () => undefined }
        : startLeaderElection({
            client,
            namespace: settings.controllerNamespace,
            identity,
            ...(durationMs(electionSettings?.leaseDuration) !== undefined ? { leaseDurationMs: durationMs(electionSettings?.leaseDuration)! } : {}),
            ...(durationMs(electionSettings?.renewDeadline) !== undefined ? { renewDeadlineMs: durationMs(electionSettings?.renewDeadline)! } : {}),
            ...(durationMs(electionSettings?.retryPeriod) !== undefined ? { retryPeriodMs: durationMs(electionSettings?.retryPeriod)! } : {}),
            log: providerLog,
            // A new leader writes everything: statuses may have changed while nobody led.
            onStartedLeading: () => {
              reportHealth();
              writeStatuses();
            },
            onStoppedLeading: () => reportHealth(),
          });

    const writer = createStatusWriter({
      client,
      isLeader: () => election.isLeader(),
      lookup: (kind, namespace, name) => byKey.get(`${kind}/${namespace ?? ""}/${name}`),
      envoyWorkloads: () => lastSnapshot?.envoyWorkloads ?? [],
      log: providerLog,
      onStatusUpdate: statusUpdateFeed(upstreamMetrics),
    });

    const publish = (snapshot: ProviderSnapshot): void => {
      lastSnapshot = snapshot;
      const known: KnownObject[] = [];
      const unknown: UnstructuredObject[] = [];
      const keys = new Map<string, KubeObject>();
      const nextDecoded = new Map<string, DecodedInput>();
      const inputs: object[] = [];
      for (const o of snapshot.objects) {
        const key = `${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`;
        keys.set(key, o);
        let d = decoded.get(key);
        // The watch cache hands over the same object while it is unchanged: no fingerprint to work out.
        if (d?.source !== o) {
          const fingerprint = fingerprintOf(o);
          d = d === undefined || d.fingerprint !== fingerprint ? { source: o, fingerprint, input: toTranslatorInput(o) } : { ...d, source: o };
        }
        nextDecoded.set(key, d);
        inputs.push(d.input);
        if (d.input.known) known.push(d.input.known);
        else if (d.input.unknown) unknown.push(d.input.unknown);
      }
      byKey = keys;
      decoded = nextDecoded;
      const unchanged = inputs.length === lastInputs.length && inputs.every((x, i) => x === lastInputs[i]);
      lastInputs = inputs;
      if (unchanged && readiness.provider) {
        reportHealth();
        writeStatuses();
        return;
      }
      const groups = grouper.groupObjects(known, unknown);
      bus.resources.replaceAll(new Map(groups.map((g) => [g.gatewayClassName, g.resources])));
      bus.resourceCounts.store("kubernetes", countKinds([snapshot.objects]));
      readiness.provider = true;
      reportHealth();
      // Envoy workloads change Gateway addresses and Programmed even when no translation changes.
      writeStatuses();
    };

    const extensionKinds = [...(eg.extensionManager?.resources ?? []), ...(eg.extensionManager?.policyResources ?? [])];
    provider = yield* Effect.acquireRelease(
      Effect.sync(() =>
        startKubernetesProvider({
          client,
          controllerNamespace: settings.controllerNamespace,
          ...(k8s?.watch !== undefined ? { watch: k8s.watch } : {}),
          extensionKinds,
          onChange: (snapshot) => {
            try {
              publish(snapshot);
            } catch (error) {
              log.error("cannot publish the provider's resources; the previous ones keep serving", { component: "provider", error: message(error) });
            }
          },
          log: providerLog,
        }),
      ),
      (p) =>
        Effect.promise(async () => {
          p.close();
          await election.close();
        }),
    );
    const unsubscribe = bus.gatewayClasses.subscribe(() => writeStatuses());
    yield* Effect.addFinalizer(() => Effect.sync(unsubscribe));
    const healthTimer = setInterval(reportHealth, 500);
    healthTimer.unref();
    yield* Effect.addFinalizer(() => Effect.sync(() => (clearInterval(healthTimer), clearTimeout(retryTimer))));
    log.info("watching the Kubernetes API server", {
      component: "provider",
      server: kc.getCurrentCluster()?.server,
      namespace: settings.controllerNamespace,
      identity,
    });
  }),
);
