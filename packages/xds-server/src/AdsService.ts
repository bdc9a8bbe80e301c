import { constants as http2constants } from "node:http2";
import type { ServerDuplexStream, ServiceDefinition, UntypedServiceImplementation } from "@grpc/grpc-js";
import { DeltaDiscoveryRequest, DiscoveryRequest } from "@egts/envoy-api/generated/envoy/service/discovery/v3/discovery";
import { createAckTracker, type AckNackEvent, type AckTracker, type NackEvent } from "./AckTracker.js";
import { DeltaStream } from "./internal/DeltaStream.js";
import { SharedParts } from "./internal/SharedParts.js";
import { SotwStream } from "./internal/SotwStream.js";
import type { ResponseSink, StreamBase, StreamDeps, StreamInfo } from "./internal/StreamBase.js";
import { resolveXdsLimits, type XdsLimits } from "./Limits.js";
import { silentLogger, type Logger } from "./Logger.js";
import { resourceTypeUrls } from "./ResourceTypes.js";
import type { SnapshotCache } from "./SnapshotCache.js";
import { emptySnapshot } from "./Snapshot.js";

export type { StreamInfo, Subscription } from "./internal/StreamBase.js";

/** A stream that ended: what it was (its last state), when and why it ended. */
export interface StreamClosedEvent {
  readonly stream: StreamInfo;
  readonly closedAt: Date;
  readonly reason: string;
}

/** Options of {@link createAdsService}. */
export interface AdsServiceOptions {
  readonly cache: SnapshotCache;
  readonly logger?: Logger;
  /** Records ACKs and NACKs; one is created when omitted. */
  readonly tracker?: AckTracker;
  /** Clock for event and stream timestamps. */
  readonly now?: () => Date;
  /** Sent as control_plane.identifier in every response when non-empty. */
  readonly controlPlaneId?: string;
  /** Per-stream bounds (send backlog, NACK message, types, names); see {@link XdsLimits}. */
  readonly limits?: XdsLimits;
}

/**
 * envoy.service.discovery.v3.AggregatedDiscoveryService for a @grpc/grpc-js server: requests decode with
 * the generated codecs; responses are written as bytes the streams assemble from resources encoded once
 * per version, so the response serializer passes them through.
 */
export interface AdsService {
  readonly definition: ServiceDefinition;
  readonly implementation: UntypedServiceImplementation;
  /**
   * The single-type discovery services upstream registers beside ADS (CDS, EDS, LDS, RDS, SDS, RTDS; their
   * Stream and Delta methods, served by the same streams restricted to the service's type), as one
   * definition/implementation pair for `grpc.Server.addService`.
   */
  readonly perTypeDefinition: ServiceDefinition;
  readonly perTypeImplementation: UntypedServiceImplementation;
  readonly tracker: AckTracker;
  /** Standing NACKs (see {@link AckTracker.nacks}). */
  nacks(): NackEvent[];
  /** Subscribes to every ACK and NACK; returns the unsubscribe function. */
  onAckNack(listener: (event: AckNackEvent) => void): () => void;
  /** Open streams, by stream id. */
  streams(): StreamInfo[];
  /** Calls `listener` once for every stream that ends (metrics, audit); returns the unsubscribe function. */
  onStreamClosed(listener: (event: StreamClosedEvent) => void): () => void;
  /** Ends every open stream with UNAVAILABLE (used on shutdown). */
  closeStreams(): void;
}

const passThrough = (value: Buffer): Buffer => value;

/** The AggregatedDiscoveryService definition with pass-through response serialization. */
export const aggregatedDiscoveryServiceDefinition: ServiceDefinition = {
  streamAggregatedResources: {
    path: "/envoy.service.discovery.v3.AggregatedDiscoveryService/StreamAggregatedResources",
    requestStream: true,
    responseStream: true,
    requestSerialize: (value: DiscoveryRequest): Buffer => Buffer.from(DiscoveryRequest.encode(value).finish()),
    requestDeserialize: (value: Buffer): DiscoveryRequest => DiscoveryRequest.decode(value),
    responseSerialize: passThrough,
    responseDeserialize: passThrough,
    originalName: "streamAggregatedResources",
  },
  deltaAggregatedResources: {
    path: "/envoy.service.discovery.v3.AggregatedDiscoveryService/DeltaAggregatedResources",
    requestStream: true,
    responseStream: true,
    requestSerialize: (value: DeltaDiscoveryRequest): Buffer => Buffer.from(DeltaDiscoveryRequest.encode(value).finish()),
    requestDeserialize: (value: Buffer): DeltaDiscoveryRequest => DeltaDiscoveryRequest.decode(value),
    responseSerialize: passThrough,
    responseDeserialize: passThrough,
    originalName: "deltaAggregatedResources",
  },
};

/** The single-type discovery services: gRPC service, method suffix, the one type they serve. */
const perTypeServices = [
  { service: "envoy.service.cluster.v3.ClusterDiscoveryService", suffix: "Clusters", typeUrl: resourceTypeUrls.clusters },
  { service: "envoy.service.endpoint.v3.EndpointDiscoveryService", suffix: "Endpoints", typeUrl: resourceTypeUrls.endpoints },
  { service: "envoy.service.listener.v3.ListenerDiscoveryService", suffix: "Listeners", typeUrl: resourceTypeUrls.listeners },
  { service: "envoy.service.route.v3.RouteDiscoveryService", suffix: "Routes", typeUrl: resourceTypeUrls.routes },
  { service: "envoy.service.secret.v3.SecretDiscoveryService", suffix: "Secrets", typeUrl: resourceTypeUrls.secrets },
  { service: "envoy.service.runtime.v3.RuntimeDiscoveryService", suffix: "Runtime", typeUrl: resourceTypeUrls.runtimes },
] as const;

/** Definitions of the Stream* and Delta* methods of the single-type discovery services. */
export const perTypeDiscoveryServiceDefinition: ServiceDefinition = Object.fromEntries(
  perTypeServices.flatMap(({ service, suffix }) => [
    [
      `stream${suffix}`,
      { ...aggregatedDiscoveryServiceDefinition["streamAggregatedResources"]!, path: `/${service}/Stream${suffix}`, originalName: `stream${suffix}` },
    ],
    [
      `delta${suffix}`,
      { ...aggregatedDiscoveryServiceDefinition["deltaAggregatedResources"]!, path: `/${service}/Delta${suffix}`, originalName: `delta${suffix}` },
    ],
  ]),
);

/** Creates the ADS handlers over a snapshot cache. Streams are independent: one failing never touches another. */
export function createAdsService(options: AdsServiceOptions): AdsService {
  const logger = options.logger ?? silentLogger;
  const tracker = options.tracker ?? createAckTracker((error) => logger.error("ACK/NACK listener threw", { error: String(error) }));
  const deps: StreamDeps = {
    cache: options.cache,
    tracker,
    logger,
    now: options.now ?? (() => new Date()),
    controlPlaneId: options.controlPlaneId ?? "",
    emptySnapshot: emptySnapshot(),
    limits: resolveXdsLimits(options.limits),
  };
  const { maxQueuedResponses, maxQueuedBytes } = deps.limits;
  const open = new Map<number, { stream: StreamBase<unknown>; call: ServerDuplexStream<unknown, Buffer> }>();
  let nextStreamId = 0;
  const shared = new SharedParts();
  const closedListeners = new Set<(event: StreamClosedEvent) => void>();
  const announceClosed = (stream: StreamBase<unknown>, reason: string): void => {
    if (closedListeners.size === 0) return;
    const event: StreamClosedEvent = { stream: stream.info(), closedAt: deps.now(), reason };
    for (const listener of [...closedListeners]) {
      try {
        listener(event);
      } catch (error) {
        logger.error("stream-closed listener threw", { error: String(error) });
      }
    }
  };

  function serve<Request extends { typeUrl: string }>(
    call: ServerDuplexStream<Request, Buffer>,
    make: (streamId: number, peer: string, sink: ResponseSink) => StreamBase<unknown> & { onRequest(request: Request): void },
    onlyType?: string,
  ): void {
    nextStreamId += 1;
    const streamId = nextStreamId;
    let ended = false;
    // The backlog since grpc-js last said its buffer was full: a client that does not read is cut off
    // rather than buffered for without bound.
    let congested = false;
    let queuedResponses = 0;
    let queuedBytes = 0;
    call.on("drain", () => {
      congested = false;
      queuedResponses = 0;
      queuedBytes = 0;
    });
    const sink: ResponseSink = {
      write(response) {
        if (ended) return;
        if (congested) {
          queuedResponses += 1;
          queuedBytes += response.length;
          if (queuedResponses > maxQueuedResponses || queuedBytes > maxQueuedBytes) {
            logger.warn("xds client does not read its responses; disconnecting it", {
              streamId,
              peer: stream.peer,
              nodeId: stream.nodeId,
              queuedResponses,
              queuedBytes,
            });
            ended = true;
            stream.close();
            finish("slow consumer");
            abortCall(call);
            return;
          }
        }
        if (!call.write(response)) congested = true;
      },
      fail(code, details) {
        if (ended) return;
        ended = true;
        call.emit("error", { code, details });
      },
    };
    const stream = make(streamId, safePeer(call), sink);
    open.set(streamId, { stream, call: call as ServerDuplexStream<unknown, Buffer> });
    logger.debug("xds stream opened", { streamId, protocol: stream.protocol, peer: stream.peer });
    const finish = (reason: string): void => {
      if (!open.has(streamId)) return;
      open.delete(streamId);
      stream.close();
      logger.debug("xds stream closed", { streamId, reason });
      announceClosed(stream, reason);
      // A proxy gone for good leaves no standing NACK behind; one that reconnects reports again.
      const nodeId = stream.nodeId;
      if (nodeId !== undefined && ![...open.values()].some((other) => other.stream.nodeId === nodeId)) {
        tracker.forget(nodeId);
      }
    };
    call.on("data", (request: Request) => {
      try {
        if (onlyType !== undefined) {
          // A single-type service: the type URL may be left out, and no other type may be asked for.
          if (request.typeUrl.length === 0) request.typeUrl = onlyType;
          else if (request.typeUrl !== onlyType) {
            sink.fail(3, `type_url ${request.typeUrl} cannot be requested on the service for ${onlyType}`);
            finish("wrong type");
            return;
          }
        }
        stream.onRequest(request);
      } catch (error) {
        logger.error("xds stream request failed", { streamId, error: String(error) });
        sink.fail(13, `internal error: ${String(error)}`);
        finish("internal error");
      }
    });
    call.on("end", () => {
      finish("client closed");
      if (!ended) {
        ended = true;
        call.end();
      }
    });
    call.on("cancelled", () => {
      ended = true;
      finish("cancelled");
    });
    call.on("error", (error: unknown) => {
      ended = true;
      finish(`error: ${String(error)}`);
    });
    call.on("close", () => finish("closed"));
  }

  const implementation: UntypedServiceImplementation = {
    streamAggregatedResources: (call: ServerDuplexStream<DiscoveryRequest, Buffer>) =>
      serve(call, (streamId, peer, sink) => new SotwStream(streamId, peer, deps, sink, shared)),
    deltaAggregatedResources: (call: ServerDuplexStream<DeltaDiscoveryRequest, Buffer>) =>
      serve(call, (streamId, peer, sink) => new DeltaStream(streamId, peer, deps, sink, shared)),
  };
  const perTypeImplementation: UntypedServiceImplementation = Object.fromEntries(
    perTypeServices.flatMap(({ suffix, typeUrl }) => [
      [
        `stream${suffix}`,
        (call: ServerDuplexStream<DiscoveryRequest, Buffer>) =>
          serve(call, (streamId, peer, sink) => new SotwStream(streamId, peer, deps, sink, shared), typeUrl),
      ],
      [
        `delta${suffix}`,
        (call: ServerDuplexStream<DeltaDiscoveryRequest, Buffer>) =>
          serve(call, (streamId, peer, sink) => new DeltaStream(streamId, peer, deps, sink, shared), typeUrl),
      ],
    ]),
  );

  return {
    definition: aggregatedDiscoveryServiceDefinition,
    implementation,
    perTypeDefinition: perTypeDiscoveryServiceDefinition,
    perTypeImplementation,
    tracker,
    nacks: () => tracker.nacks(),
    onAckNack: (listener) => tracker.subscribe(listener),
    streams: () => [...open.values()].map(({ stream }) => stream.info()).sort((a, b) => a.streamId - b.streamId),
    onStreamClosed(listener) {
      closedListeners.add(listener);
      return () => closedListeners.delete(listener);
    },
    closeStreams() {
      for (const [streamId, { stream, call }] of [...open]) {
        open.delete(streamId);
        stream.close();
        announceClosed(stream, "server shutting down");
        try {
          call.emit("error", { code: 14, details: "xds server shutting down" });
        } catch {
          // The call may already be gone; nothing else depends on it.
        }
      }
    },
  };
}

/**
 * Ends a call whose client stopped reading, dropping what is queued for it. A gRPC status cannot reach such
 * a client (it would wait behind the unread responses), so the HTTP/2 stream is reset (RST_STREAM CANCEL);
 * grpc-js exposes no public way to do that, so the reset goes through its call object, with ending the
 * call as the fallback.
 */
function abortCall(call: ServerDuplexStream<unknown, Buffer>): void {
  const http2Stream = (call as unknown as { call?: { stream?: { close?: (code: number) => void; destroyed?: boolean } } }).call?.stream;
  try {
    if (http2Stream?.close !== undefined && http2Stream.destroyed !== true) http2Stream.close(http2constants.NGHTTP2_CANCEL);
  } catch {
    // Fall through to destroying the call below.
  }
  call.destroy();
}

function safePeer(call: ServerDuplexStream<unknown, Buffer>): string {
  try {
    return call.getPeer();
  } catch {
    return "unknown";
  }
}
