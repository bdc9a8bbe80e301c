import { KubeApiError, type KubeClient, type KubeObject } from "./KubeClient.js";
import type { ProviderLog } from "./Reflector.js";
import type { WatchedKind } from "./WatchedKinds.js";

/** Upstream's leader election Lease name (controller-runtime's LeaderElectionID). */
export const LEADER_ELECTION_LEASE_NAME = "5b9825d2.gateway.envoyproxy.io";

/** The Lease kind (coordination.k8s.io/v1). */
export const leaseKind: WatchedKind = {
  group: "coordination.k8s.io",
  version: "v1",
  kind: "Lease",
  plural: "leases",
  namespaced: true,
  optional: false,
  hasStatus: false,
};

/** Options of {@link startLeaderElection}; durations as upstream's EnvoyGateway `leaderElection` (defaults 15 s / 10 s / 2 s). */
export interface LeaderElectionOptions {
  readonly client: KubeClient;
  /** The Lease's namespace (the controller namespace). */
  readonly namespace: string;
  /** The Lease's name; default {@link LEADER_ELECTION_LEASE_NAME}. */
  readonly name?: string;
  /** This replica's identity (unique per process). */
  readonly identity: string;
  readonly leaseDurationMs?: number;
  readonly renewDeadlineMs?: number;
  readonly retryPeriodMs?: number;
  readonly onStartedLeading?: () => void;
  readonly onStoppedLeading?: () => void;
  readonly log?: ProviderLog;
  /** The clock; default Date.now. */
  readonly now?: () => number;
}

/** A running election. */
export interface LeaderElection {
  /** Whether this replica holds the Lease now (checked before every write). */
  isLeader(): boolean;
  /** Stops campaigning; a leader releases the Lease so another replica takes over at once. */
  close(): Promise<void>;
}

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

const microTime = (ms: number): string => new Date(ms).toISOString().replace("Z", "000Z");

/**
 * Leader election on a coordination.k8s.io/v1 Lease, as client-go's leaderelection does: try to acquire or
 * renew every retry period; another holder's Lease counts as expired only when its record has not changed
 * for a lease duration as observed locally (clock skew between replicas does not matter); a leader that
 * cannot renew within the renew deadline, or finds another holder, stops leading at once.
 */
export function startLeaderElection(options: LeaderElectionOptions): LeaderElection {
  const { client, identity } = options;
  const name = options.name ?? LEADER_ELECTION_LEASE_NAME;
  const leaseDurationMs = options.leaseDurationMs ?? 15_000;
  const renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
  const retryPeriodMs = options.retryPeriodMs ?? 2_000;
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => undefined);
  let leader = false;
  let closed = false;
  let lastRenew = 0;
  let observed: { record: string; at: number } | undefined;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();

  const setLeader = (value: boolean) => {
    if (leader === value) return;
    leader = value;
    log("info", value ? "became leader" : "stopped leading", { lease: `${options.namespace}/${name}`, identity });
    if (value) options.onStartedLeading?.();
    else options.onStoppedLeading?.();
  };

  const tryAcquireOrRenew = async (): Promise<boolean> => {
    const t = now();
    const current = await client.get(leaseKind, options.namespace, name);
    const desired = (previous: LeaseSpec | undefined): LeaseSpec => ({
      holderIdentity: identity,
      leaseDurationSeconds: Math.ceil(leaseDurationMs / 1000),
      acquireTime: previous?.holderIdentity === identity && previous.acquireTime !== undefined ? previous.acquireTime : microTime(t),
      renewTime: microTime(t),
      leaseTransitions: (previous?.leaseTransitions ?? 0) + (previous?.holderIdentity === identity ? 0 : 1),
    });
    if (current === undefined) {
      const lease: KubeObject = {
        apiVersion: "coordination.k8s.io/v1",
        kind: "Lease",
        metadata: { name, namespace: options.namespace },
        spec: { ...desired(undefined), leaseTransitions: 0 },
      };
      await client.create(leaseKind, lease);
      return true;
    }
    const spec = (current["spec"] ?? {}) as LeaseSpec;
    const record = JSON.stringify(spec);
    if (observed?.record !== record) observed = { record, at: t };
    const holder = spec.holderIdentity ?? "";
    const duration = (spec.leaseDurationSeconds ?? Math.ceil(leaseDurationMs / 1000)) * 1000;
    if (holder !== "" && holder !== identity && observed.at + duration > t) return false;
    await client.replace(leaseKind, { ...current, spec: desired(spec) });
    return true;
  };

  const tick = async () => {
    if (closed) return;
    try {
      const held = await tryAcquireOrRenew();
      if (closed) return;
      if (held) {
        lastRenew = now();
        setLeader(true);
      } else setLeader(false);
    } catch (error) {
      // A conflict means somebody else wrote the Lease first; anything else is a failed renewal.
      if (!(error instanceof KubeApiError && error.code === 409))
        log("debug", "lease update failed", { error: error instanceof Error ? error.message : String(error) });
      if (leader && now() - lastRenew > renewDeadlineMs) setLeader(false);
      if (error instanceof KubeApiError && error.code === 409 && leader) setLeader(false);
    }
  };

  const loop = () => {
    if (closed) return;
    inFlight = tick().finally(() => {
      if (!closed) timer = setTimeout(loop, retryPeriodMs);
    });
  };
  // A leader whose renewals stall (a hung request) stops leading once the deadline passes, not when the call returns.
  const deadlineWatch = setInterval(
    () => {
      if (leader && now() - lastRenew > renewDeadlineMs) setLeader(false);
    },
    Math.max(50, Math.min(retryPeriodMs, 1000)),
  );
  deadlineWatch.unref();
  loop();

  return {
    isLeader: () => leader && now() - lastRenew <= renewDeadlineMs,
    async close() {
      closed = true;
      clearTimeout(timer);
      clearInterval(deadlineWatch);
      await inFlight.catch(() => undefined);
      if (!leader) return;
      setLeader(false);
      try {
        const current = await client.get(leaseKind, options.namespace, name);
        const spec = (current?.["spec"] ?? {}) as LeaseSpec;
        if (current && spec.holderIdentity === identity) {
          await client.replace(leaseKind, { ...current, spec: { ...spec, holderIdentity: "", leaseDurationSeconds: 1, renewTime: microTime(now()) } });
        }
      } catch {
        // Releasing is a courtesy: the Lease expires anyway.
      }
    },
  };
}
