/** The xDS protocol variant a stream speaks. */
export type XdsProtocol = "sotw" | "delta";

/** A proxy accepted a response: the request after it carried its nonce and no error_detail. */
export interface AckEvent {
  readonly kind: "ack";
  readonly nodeId: string;
  readonly cluster: string;
  readonly streamId: number;
  readonly protocol: XdsProtocol;
  readonly typeUrl: string;
  /** The version the proxy accepted (state of the world: its version_info; delta: the response's system version). */
  readonly version: string;
  readonly nonce: string;
  readonly time: Date;
}

/** A proxy rejected a response: the request after it carried its nonce and an error_detail. */
export interface NackEvent {
  readonly kind: "nack";
  readonly nodeId: string;
  readonly cluster: string;
  readonly streamId: number;
  readonly protocol: XdsProtocol;
  readonly typeUrl: string;
  /** The version of the rejected response. */
  readonly rejectedVersion: string;
  /** The nonce of the rejected response. */
  readonly nonce: string;
  /** The names of the resources the rejected response carried. */
  readonly resourceNames: readonly string[];
  /** google.rpc.Status code and message from error_detail. */
  readonly code: number;
  readonly message: string;
  readonly time: Date;
}

/** What the tracker reports to subscribers. */
export type AckNackEvent = AckEvent | NackEvent;

/**
 * Records how proxies answer responses. `nacks()` lists the rejections still standing: one per node and
 * type, cleared when that node later accepts that type or has no stream left.
 */
export interface AckTracker {
  record(event: AckNackEvent): void;
  /** Standing rejections, ordered by node id then type URL. */
  nacks(): NackEvent[];
  /** Drops the standing rejections of a node (the server calls it when the node's last stream closes). */
  forget(nodeId: string): void;
  /** Calls `listener` for every ACK and NACK; returns the unsubscribe function. */
  subscribe(listener: (event: AckNackEvent) => void): () => void;
}

/** Creates an empty tracker; `onListenerError` hears exceptions thrown by subscribers (they never reach a stream). */
export function createAckTracker(onListenerError: (error: unknown) => void = () => {}): AckTracker {
  const standing = new Map<string, NackEvent>();
  const listeners = new Set<(event: AckNackEvent) => void>();
  const keyOf = (event: AckNackEvent): string => `${event.nodeId}\u0000${event.typeUrl}`;
  return {
    record(event) {
      if (event.kind === "nack") standing.set(keyOf(event), event);
      else standing.delete(keyOf(event));
      for (const listener of [...listeners]) {
        try {
          listener(event);
        } catch (error) {
          onListenerError(error);
        }
      }
    },
    nacks: () =>
      [...standing.values()].sort((a, b) =>
        a.nodeId !== b.nodeId ? (a.nodeId < b.nodeId ? -1 : 1) : a.typeUrl < b.typeUrl ? -1 : a.typeUrl > b.typeUrl ? 1 : 0,
      ),
    forget(nodeId) {
      for (const [key, nack] of standing) if (nack.nodeId === nodeId) standing.delete(key);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
