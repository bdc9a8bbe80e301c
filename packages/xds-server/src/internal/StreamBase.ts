import type { AckNackEvent, AckTracker, XdsProtocol } from "../AckTracker.js";
import { truncateText, type ResolvedXdsLimits } from "../Limits.js";
import type { Logger } from "../Logger.js";
import { compareResponseOrder } from "../ResourceTypes.js";
import type { Snapshot } from "../Snapshot.js";
import type { NodeIdentity, SnapshotCache } from "../SnapshotCache.js";
import { ChunkList, utf8 } from "./ProtoWire.js";
import type { SharedParts } from "./SharedParts.js";

/** What every stream needs from the server that owns it. */
export interface StreamDeps {
  readonly cache: SnapshotCache;
  readonly tracker: AckTracker;
  readonly logger: Logger;
  readonly now: () => Date;
  readonly controlPlaneId: string;
  /** What a stream already served sees once its snapshot is cleared. */
  readonly emptySnapshot: Snapshot;
  readonly limits: ResolvedXdsLimits;
}

/** The sink a stream writes encoded responses to and reports failure through (a gRPC call, or a test double). */
export interface ResponseSink {
  write(response: Buffer): void;
  /** Ends the call with a gRPC status. */
  fail(code: number, details: string): void;
}

/** A stream's identity as the server reports it. */
export interface StreamInfo {
  readonly streamId: number;
  readonly protocol: XdsProtocol;
  readonly peer: string;
  readonly openedAt: Date;
  readonly node: NodeIdentity | undefined;
  /** The cache key the stream is currently served from, if any. */
  readonly snapshotKey: string | undefined;
  /** What the proxy subscribes to on this stream, per type, in ADS order. */
  readonly subscriptions: readonly Subscription[];
}

/** A proxy's subscription to one type on a stream. */
export interface Subscription {
  readonly typeUrl: string;
  readonly wildcard: boolean;
  /** Names subscribed explicitly, sorted. */
  readonly names: readonly string[];
}

/**
 * Shared mechanics of an ADS stream: the node binding, the cache watch, coalesced pushes in ADS order and
 * nonces. Subclasses hold per-type subscription state and build responses.
 */
export abstract class StreamBase<TypeState> {
  protected node: NodeIdentity | undefined;
  protected readonly types = new Map<string, TypeState>();
  private nonceCounter = 0;
  private unwatch: (() => void) | undefined;
  private pushScheduled = false;
  private served = false;
  private snapshotKey: string | undefined;
  protected closed = false;
  readonly openedAt: Date;

  /** Which ADS variant the stream speaks. */
  abstract readonly protocol: XdsProtocol;

  constructor(
    readonly streamId: number,
    readonly peer: string,
    protected readonly deps: StreamDeps,
    protected readonly sink: ResponseSink,
    /** Encodings shared by all streams (each resource encoded once per version). */
    protected readonly shared: SharedParts,
  ) {
    this.openedAt = deps.now();
  }

  /** Stops watching the cache; later requests and pushes are ignored. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.unwatch?.();
    this.unwatch = undefined;
  }

  /** The node id bound on the first request, if any. */
  get nodeId(): string | undefined {
    return this.node?.id;
  }

  info(): StreamInfo {
    return {
      streamId: this.streamId,
      protocol: this.protocol,
      peer: this.peer,
      openedAt: this.openedAt,
      node: this.node,
      snapshotKey: this.snapshotKey,
      subscriptions: [...this.types.keys()].sort(compareResponseOrder).map((typeUrl) => this.subscriptionOf(this.types.get(typeUrl)!)),
    };
  }

  /**
   * The prologue of every request: ignored once the stream is closed; the node is bound on the first request;
   * a request must name its type. Returns false (after failing the call where the request is bad) when the
   * request is not to be served.
   */
  protected acceptRequest(request: { readonly node?: { id: string; cluster: string } | undefined; readonly typeUrl: string }, noTypeUrl: string): boolean {
    if (this.closed || !this.bindNode(request.node)) return false;
    if (request.typeUrl.length === 0) {
      this.fail(3, noTypeUrl);
      return false;
    }
    return true;
  }

  /**
   * Records how the proxy answered the response in flight of a type: a NACK (the request carries an error)
   * names the rejected version and resources; an ACK names the version now accepted.
   */
  protected recordAnswer(
    request: { readonly responseNonce: string; readonly errorDetail?: { code: number; message: string } | undefined },
    typeUrl: string,
    sent: { readonly version: string; readonly resourceNames: readonly string[] },
    ackedVersion: string,
  ): void {
    const node = this.node!;
    const base = {
      nodeId: node.id,
      cluster: node.cluster,
      streamId: this.streamId,
      protocol: this.protocol,
      typeUrl,
      nonce: request.responseNonce,
      time: this.deps.now(),
    };
    if (request.errorDetail !== undefined) {
      // Cut before storing or logging: a hostile proxy's NACK message is otherwise unbounded.
      const message = truncateText(request.errorDetail.message, this.deps.limits.maxNackMessageLength);
      this.record({ ...base, kind: "nack", rejectedVersion: sent.version, resourceNames: sent.resourceNames, code: request.errorDetail.code, message });
    } else {
      this.record({ ...base, kind: "ack", version: ackedVersion });
    }
  }

  /** Binds the node on the first request; returns false (after failing the call) when it has no id. */
  protected bindNode(node: { id: string; cluster: string } | undefined): boolean {
    if (this.node !== undefined) return true;
    if (node === undefined || node.id.length === 0) {
      this.fail(3, `the first discovery request on stream ${this.streamId} has no node id`);
      return false;
    }
    this.node = { id: node.id, cluster: node.cluster };
    this.unwatch = this.deps.cache.watch([node.id, node.cluster], () => this.schedulePush());
    this.deps.logger.info("xds stream bound to node", {
      streamId: this.streamId,
      protocol: this.protocol,
      nodeId: node.id,
      cluster: node.cluster,
    });
    return true;
  }

  /**
   * The snapshot this stream serves now. With none stored, a stream that has already been served sees an
   * empty snapshot (so a cleared key removes everything, as upstream's empty snapshot on IR deletion);
   * one never served waits.
   */
  protected currentSnapshot(): Snapshot | undefined {
    if (this.node === undefined) return undefined;
    const resolved = this.deps.cache.resolve(this.node);
    this.snapshotKey = resolved?.key;
    if (resolved !== undefined) return resolved.snapshot;
    return this.served ? this.deps.emptySnapshot : undefined;
  }

  /**
   * Checks a request against the per-stream limits before any state is kept for it: the number of names it
   * carries and, for a type not seen yet on this stream, the number of types. Fails the stream (returns
   * false) when one is exceeded.
   */
  protected admit(typeUrl: string, nameCount: number): boolean {
    const { maxResourceNamesPerRequest, maxTypesPerStream } = this.deps.limits;
    if (nameCount > maxResourceNamesPerRequest) {
      this.fail(8, `a discovery request names ${nameCount} resources, more than the limit of ${maxResourceNamesPerRequest}`);
      return false;
    }
    if (!this.types.has(typeUrl) && this.types.size >= maxTypesPerStream) {
      this.fail(8, `stream ${this.streamId} subscribes to more than ${maxTypesPerStream} type URLs`);
      return false;
    }
    return true;
  }

  /** Appends the response's `control_plane` (ControlPlane.identifier = 1) at `field`, when the server has an id. */
  protected writeControlPlane(body: ChunkList, field: number): void {
    if (this.deps.controlPlaneId.length === 0) return;
    const controlPlane = new ChunkList();
    controlPlane.bytes(1, utf8(this.deps.controlPlaneId));
    body.message(field, controlPlane);
  }

  protected nextNonce(): string {
    this.nonceCounter += 1;
    return String(this.nonceCounter);
  }

  protected send(response: Buffer): void {
    if (this.closed) return;
    this.served = true;
    this.sink.write(response);
  }

  protected fail(code: number, details: string): void {
    this.deps.logger.warn("xds stream failed", { streamId: this.streamId, code, details });
    this.sink.fail(code, details);
    this.close();
  }

  protected record(event: AckNackEvent): void {
    if (event.kind === "nack") {
      this.deps.logger.warn("proxy rejected xds response", {
        nodeId: event.nodeId,
        typeUrl: event.typeUrl,
        version: event.rejectedVersion,
        nonce: event.nonce,
        message: event.message,
      });
    }
    this.deps.tracker.record(event);
  }

  /**
   * Coalesces the cache notifications of one synchronous run (a controller sets the snapshots of all changed
   * keys in one go) into a single push over all subscribed types. A microtask, not a turn of the event loop:
   * the push leaves right after the run that set the snapshots.
   */
  private schedulePush(): void {
    if (this.pushScheduled || this.closed) return;
    this.pushScheduled = true;
    queueMicrotask(() => {
      this.pushScheduled = false;
      if (this.closed) return;
      try {
        this.push();
      } catch (error) {
        this.fail(13, `internal error while pushing an update: ${String(error)}`);
      }
    });
  }

  /**
   * Sends every subscribed type what it lacks, in ADS order. A type with changes held back by a response
   * still awaiting its ACK stops the types after it, so a route never overtakes the cluster it needs:
   * they follow when that ACK (or NACK) arrives, which pushes again.
   */
  protected push(): void {
    for (const typeUrl of [...this.types.keys()].sort(compareResponseOrder)) {
      const state = this.types.get(typeUrl);
      if (state !== undefined && this.respond(state) === "held") return;
    }
  }

  /**
   * Sends what the type's subscription lacks: "sent" when a response went out, "idle" when there was
   * nothing to send, "held" when there is something but a response of the type still awaits its answer.
   */
  protected abstract respond(state: TypeState): "sent" | "idle" | "held";

  protected abstract subscriptionOf(state: TypeState): Subscription;
}
