import { isTransportError, KubeApiError, type KubeClient, type KubeObject } from "./KubeClient.js";
import type { ProviderLog } from "./Reflector.js";
import { desiredStatus, envoyObjectsForGateway, statusChanged, withEnvoyWorkloadStatus, type ReportedStatus } from "./Status.js";
import { watchedKindNamed, type WatchedKind } from "./WatchedKinds.js";

/** The finalizer upstream puts on a GatewayClass while Gateways use it. */
export const GATEWAY_CLASS_FINALIZER = "gateway-exists-finalizer.gateway.networking.k8s.io";

/** Options of {@link createStatusWriter}. */
export interface StatusWriterOptions {
  readonly client: KubeClient;
  /** Checked before every write: only the leader writes. */
  readonly isLeader: () => boolean;
  /** The provider's cached copy of an object, if any (saves a GET). */
  readonly lookup?: (kind: string, namespace: string | undefined, name: string) => KubeObject | undefined;
  /** The Envoy Services, Deployments and DaemonSets: Gateway addresses and `Programmed` are computed from them. */
  readonly envoyWorkloads?: () => ReadonlyArray<KubeObject>;
  /** Whether a GatewayClass's Gateways are merged onto one proxy (EnvoyProxy mergeGateways). */
  readonly mergedGateways?: (gatewayClassName: string) => boolean;
  readonly log?: ProviderLog;
  /** Attempts per object when the API server answers 409 Conflict. Default 5. */
  readonly maxAttempts?: number;
  readonly now?: () => Date;
  /** Hears the outcome of every object's status update (metrics); not called for objects skipped when not leading. */
  readonly onStatusUpdate?: (event: StatusUpdateEvent) => void;
}

/** How one object's status update ended. */
export interface StatusUpdateEvent {
  readonly kind: string;
  readonly namespace: string | undefined;
  readonly name: string;
  /**
   * `written`: the status subresource was replaced; `unchanged`: it already said the same (nothing written);
   * `gone`: the object no longer exists; `error`: the update failed.
   */
  readonly result: "written" | "unchanged" | "gone" | "error";
  /** 409 Conflicts the API server answered for this object (each retried, but the last when attempts ran out). */
  readonly conflicts: number;
  /** Time from the first read of the object to the result. */
  readonly seconds: number;
}

/** What one pass wrote. */
export interface StatusWriteSummary {
  readonly written: number;
  readonly unchanged: number;
  readonly conflicts: number;
  readonly errors: ReadonlyArray<string>;
  /** True when the pass stopped because this replica is not the leader. */
  readonly notLeader: boolean;
}

/** Writes statuses to `/status` subresources (leader only); passes are serialized, a queued pass replaced by a newer one. */
export interface StatusWriter {
  /** Writes every status that differs from the object's in more than `lastTransitionTime`. */
  write(statuses: ReadonlyArray<ReportedStatus>): Promise<StatusWriteSummary>;
  /** Adds the GatewayClass finalizer to classes with Gateways and removes it from classes without. */
  syncFinalizers(classes: ReadonlyArray<KubeObject>, gateways: ReadonlyArray<KubeObject>): Promise<void>;
}

/** Creates a {@link StatusWriter}. */
export function createStatusWriter(options: StatusWriterOptions): StatusWriter {
  const { client } = options;
  const log = options.log ?? (() => undefined);
  const maxAttempts = options.maxAttempts ?? 5;
  const now = options.now ?? (() => new Date());
  let chain: Promise<unknown> = Promise.resolve();
  let queued: { statuses: ReadonlyArray<ReportedStatus>; waiters: Array<(s: StatusWriteSummary) => void> } | undefined;

  const desiredFor = (kind: WatchedKind, current: KubeObject, s: ReportedStatus): unknown => {
    let desired = desiredStatus(current, s);
    if (kind.kind === "Gateway" && options.envoyWorkloads !== undefined) {
      const className = (current["spec"] as { gatewayClassName?: string } | undefined)?.gatewayClassName ?? "";
      const objects = envoyObjectsForGateway(current, options.envoyWorkloads(), options.mergedGateways?.(className) ?? false);
      desired = withEnvoyWorkloadStatus(current, desired, objects, now());
    }
    return desired;
  };

  type Tally = { written: number; unchanged: number; conflicts: number; errors: string[] };

  /** Writes one status; "notLeader" when leadership was lost before the write (nothing reported then). */
  const writeOne = async (
    kind: WatchedKind,
    s: ReportedStatus,
    tally: Tally,
    attempt: { conflicts: number },
  ): Promise<"written" | "unchanged" | "gone" | "notLeader"> => {
    let current = options.lookup?.(s.kind, s.namespace, s.name) ?? (await client.get(kind, s.namespace, s.name));
    for (let n = 1; current !== undefined; n++) {
      if (!options.isLeader()) return "notLeader";
      const desired = desiredFor(kind, current, s);
      if (!statusChanged(current["status"], desired)) {
        tally.unchanged++;
        return "unchanged";
      }
      try {
        await client.replace(kind, { ...current, status: desired }, "status");
        tally.written++;
        return "written";
      } catch (error) {
        if (error instanceof KubeApiError && error.code === 409) attempt.conflicts++;
        if (error instanceof KubeApiError && error.code === 409 && n < maxAttempts) {
          tally.conflicts++;
          current = await client.get(kind, s.namespace, s.name);
          continue;
        }
        if (error instanceof KubeApiError && error.code === 404) return "gone";
        throw error;
      }
    }
    return "gone";
  };

  const pass = async (statuses: ReadonlyArray<ReportedStatus>): Promise<StatusWriteSummary> => {
    const tally: Tally = { written: 0, unchanged: 0, conflicts: 0, errors: [] };
    for (const s of statuses) {
      const kind = watchedKindNamed(s.kind);
      if (!kind || !kind.hasStatus) continue;
      const started = performance.now();
      const attempt = { conflicts: 0 };
      const report = (result: StatusUpdateEvent["result"]): void => {
        try {
          options.onStatusUpdate?.({
            kind: s.kind,
            namespace: s.namespace,
            name: s.name,
            result,
            conflicts: attempt.conflicts,
            seconds: (performance.now() - started) / 1000,
          });
        } catch (error) {
          log("warn", "status update observer threw", { error: error instanceof Error ? error.message : String(error) });
        }
      };
      try {
        const result = await writeOne(kind, s, tally, attempt);
        if (result === "notLeader") return { ...tally, notLeader: true };
        report(result);
      } catch (error) {
        report("error");
        const message = `${s.kind} ${s.namespace !== undefined ? `${s.namespace}/` : ""}${s.name}: ${error instanceof Error ? error.message : String(error)}`;
        tally.errors.push(message);
        log("warn", "status update failed", { error: message });
        // The API server is unreachable: the rest would fail the same way; the caller retries the pass later.
        if (isTransportError(error)) return { ...tally, notLeader: false };
      }
    }
    return { ...tally, notLeader: false };
  };

  return {
    write(statuses) {
      return new Promise((resolve) => {
        if (queued !== undefined) {
          // A newer pass supersedes the queued one: its waiters get the newer pass's result.
          queued.statuses = statuses;
          queued.waiters.push(resolve);
          return;
        }
        const entry = { statuses, waiters: [resolve] };
        queued = entry;
        chain = chain.then(async () => {
          queued = undefined;
          const summary = await pass(entry.statuses);
          for (const w of entry.waiters) w(summary);
        });
      });
    },
    async syncFinalizers(classes, gateways) {
      for (const gc of classes) {
        if (!options.isLeader()) return;
        const used = gateways.some((g) => (g["spec"] as { gatewayClassName?: string } | undefined)?.gatewayClassName === gc.metadata.name);
        const finalizers = gc.metadata.finalizers ?? [];
        const has = finalizers.includes(GATEWAY_CLASS_FINALIZER);
        if (used === has) continue;
        const next = used ? [...finalizers, GATEWAY_CLASS_FINALIZER] : finalizers.filter((f) => f !== GATEWAY_CLASS_FINALIZER);
        try {
          await client.mergePatch(watchedKindNamed("GatewayClass")!, undefined, gc.metadata.name, {
            metadata: { finalizers: next, resourceVersion: gc.metadata.resourceVersion },
          });
        } catch (error) {
          log("warn", used ? "cannot add the GatewayClass finalizer" : "cannot remove the GatewayClass finalizer", {
            gatewayClass: gc.metadata.name,
            error: error instanceof Error ? error.message : String(error),
          });
        }
      }
    },
  };
}
