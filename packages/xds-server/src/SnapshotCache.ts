import { encodeSnapshot, makeEncodingMemo, type Snapshot, type SnapshotInput } from "./Snapshot.js";

/** The node fields a snapshot is looked up by. */
export interface NodeIdentity {
  readonly id: string;
  readonly cluster: string;
}

/** A snapshot found for a node, with the key it was found under. */
export interface ResolvedSnapshot {
  readonly key: string;
  readonly snapshot: Snapshot;
}

/**
 * Snapshots keyed like upstream Envoy Gateway: a proxy is served the snapshot stored under its node id
 * if there is one, else the one stored under its node cluster (the xds IR key upstream's bootstrap puts
 * there). Watchers of a key hear every set and clear of it.
 */
export interface SnapshotCache {
  /** Stores a snapshot (encoding an input first) and notifies the key's watchers. Returns the snapshot. */
  setSnapshot(key: string, snapshot: Snapshot | SnapshotInput): Snapshot;
  /** Removes a key's snapshot and notifies its watchers; returns whether there was one. */
  clearSnapshot(key: string): boolean;
  /** The snapshot stored under a key. */
  getSnapshot(key: string): Snapshot | undefined;
  /** Keys with a snapshot, sorted. */
  keys(): string[];
  /** The snapshot a node is served: by node id first, then by node cluster. */
  resolve(node: NodeIdentity): ResolvedSnapshot | undefined;
  /** Calls `listener(key)` after every set or clear of one of `keys`; returns the unsubscribe function. */
  watch(keys: readonly string[], listener: (key: string) => void): () => void;
}

/** Creates an empty snapshot cache. Encodings are remembered per message object across snapshots. */
export function createSnapshotCache(): SnapshotCache {
  const snapshots = new Map<string, Snapshot>();
  const watchers = new Map<string, Set<(key: string) => void>>();
  const memo = makeEncodingMemo();

  const notify = (key: string): void => {
    const listeners = watchers.get(key);
    if (listeners === undefined) return;
    for (const listener of [...listeners]) listener(key);
  };

  return {
    setSnapshot(key, snapshot) {
      const encoded = isSnapshot(snapshot) ? snapshot : encodeSnapshot(snapshot, memo, snapshots.get(key));
      snapshots.set(key, encoded);
      notify(key);
      return encoded;
    },
    clearSnapshot(key) {
      const existed = snapshots.delete(key);
      if (existed) notify(key);
      return existed;
    },
    getSnapshot: (key) => snapshots.get(key),
    keys: () => [...snapshots.keys()].sort(),
    resolve(node) {
      for (const key of [node.id, node.cluster]) {
        if (key.length === 0) continue;
        const snapshot = snapshots.get(key);
        if (snapshot !== undefined) return { key, snapshot };
      }
      return undefined;
    },
    watch(keys, listener) {
      const unique = [...new Set(keys.filter((key) => key.length > 0))];
      for (const key of unique) {
        let set = watchers.get(key);
        if (set === undefined) watchers.set(key, (set = new Set()));
        set.add(listener);
      }
      return () => {
        for (const key of unique) {
          const set = watchers.get(key);
          set?.delete(listener);
          if (set?.size === 0) watchers.delete(key);
        }
      };
    },
  };
}

const isSnapshot = (value: Snapshot | SnapshotInput): value is Snapshot =>
  (value as Partial<Snapshot>)._tag === "Snapshot" && (value as Partial<Snapshot>).types instanceof Map;
