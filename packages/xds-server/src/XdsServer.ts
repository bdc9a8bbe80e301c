import { Server, ServerCredentials, type ChannelOptions } from "@grpc/grpc-js";
import type { AckNackEvent, AckTracker, NackEvent } from "./AckTracker.js";
import { createAdsService, type AdsService, type StreamClosedEvent, type StreamInfo } from "./AdsService.js";
import type { XdsLimits } from "./Limits.js";
import { silentLogger, type Logger } from "./Logger.js";
import type { SnapshotCache } from "./SnapshotCache.js";
import { RotatingServerCredentials } from "./internal/RotatingCredentials.js";

/**
 * Mutual TLS as upstream's xDS server: the server presents `certificate`/`privateKey` and requires a client
 * certificate issued by `caCertificate`. PEM text or bytes.
 */
export interface XdsServerTls {
  readonly caCertificate: string | Uint8Array;
  readonly certificate: string | Uint8Array;
  readonly privateKey: string | Uint8Array;
}

/** Options of {@link createXdsServer}. */
export interface XdsServerOptions {
  readonly cache: SnapshotCache;
  /** Mutual TLS; plaintext when omitted (local use only). */
  readonly tls?: XdsServerTls;
  readonly logger?: Logger;
  readonly tracker?: AckTracker;
  readonly now?: () => Date;
  readonly controlPlaneId?: string;
  /** Largest request accepted. Default 32 MiB, as upstream. */
  readonly maxReceiveMessageBytes?: number;
  /**
   * Connections are closed after this age so proxies spread over replicas. Default: upstream's pick of
   * 10, 11 or 12 hours (chosen by `random`). Grace period 2 minutes unless set.
   */
  readonly maxConnectionAgeMs?: number;
  readonly maxConnectionAgeGraceMs?: number;
  /** Source of randomness for the connection age pick; defaults to Math.random. */
  readonly random?: () => number;
  /** Also serve the single-type services (CDS, EDS, LDS, RDS, SDS, RTDS) as upstream does. Default true. */
  readonly perTypeServices?: boolean;
  /** Per-stream bounds: send backlog, NACK message length, types per stream, names per request. */
  readonly limits?: XdsLimits;
  /** Extra @grpc/grpc-js server options, applied last. */
  readonly grpcOptions?: ChannelOptions;
}

/** A running (or ready to run) xDS server. */
export interface XdsServer {
  /** Binds `host:port` (port 0 picks a free one) and starts serving; resolves with the bound port. */
  listen(address: string): Promise<number>;
  /**
   * Stops accepting streams, ends open ones with UNAVAILABLE (proxies hold long-lived streams, so waiting
   * for them, as a graceful stop would, never ends) and resolves once the transport is shut down.
   */
  close(): Promise<void>;
  readonly service: AdsService;
  readonly tracker: AckTracker;
  /** Standing NACKs. */
  nacks(): NackEvent[];
  /** Subscribes to every ACK and NACK; returns the unsubscribe function. */
  onAckNack(listener: (event: AckNackEvent) => void): () => void;
  /** Open streams. */
  streams(): StreamInfo[];
  /** Calls `listener` once for every stream that ends; returns the unsubscribe function. */
  onStreamClosed(listener: (event: StreamClosedEvent) => void): () => void;
  /**
   * Replaces the TLS material: new handshakes use it, established connections and their streams continue.
   * Throws (keeping the current material) when it does not parse or the key does not match the certificate,
   * or when the server was created without TLS.
   */
  updateTls(tls: XdsServerTls): void;
}

const CONNECTION_AGES_MS = [10, 11, 12].map((hours) => hours * 60 * 60 * 1000);

/** Creates an xDS server serving the AggregatedDiscoveryService from a snapshot cache. */
export function createXdsServer(options: XdsServerOptions): XdsServer {
  const logger = options.logger ?? silentLogger;
  const service = createAdsService({
    cache: options.cache,
    logger,
    ...(options.tracker !== undefined ? { tracker: options.tracker } : {}),
    ...(options.now !== undefined ? { now: options.now } : {}),
    ...(options.controlPlaneId !== undefined ? { controlPlaneId: options.controlPlaneId } : {}),
    ...(options.limits !== undefined ? { limits: options.limits } : {}),
  });
  const random = options.random ?? Math.random;
  const age = options.maxConnectionAgeMs ?? CONNECTION_AGES_MS[Math.floor(random() * CONNECTION_AGES_MS.length)] ?? CONNECTION_AGES_MS[0]!;
  const server = new Server({
    "grpc.max_receive_message_length": options.maxReceiveMessageBytes ?? 32 * 1024 * 1024,
    "grpc.max_connection_age_ms": age,
    "grpc.max_connection_age_grace_ms": options.maxConnectionAgeGraceMs ?? 2 * 60 * 1000,
    ...options.grpcOptions,
  });
  server.addService(service.definition, service.implementation);
  if (options.perTypeServices ?? true) server.addService(service.perTypeDefinition, service.perTypeImplementation);
  const rotating = options.tls === undefined ? undefined : new RotatingServerCredentials(options.tls);
  const credentials = rotating ?? ServerCredentials.createInsecure();
  let state: "new" | "listening" | "closed" = "new";

  return {
    service,
    tracker: service.tracker,
    nacks: () => service.nacks(),
    onAckNack: (listener) => service.onAckNack(listener),
    streams: () => service.streams(),
    onStreamClosed: (listener) => service.onStreamClosed(listener),
    updateTls(tls) {
      if (rotating === undefined) throw new Error("xds server: updateTls on a server without TLS");
      rotating.update(tls);
      logger.info("xds server certificates updated");
    },
    listen(address) {
      if (state !== "new") return Promise.reject(new Error(`xds server: cannot listen, server is ${state}`));
      state = "listening";
      return new Promise((resolve, reject) => {
        server.bindAsync(address, credentials, (error, port) => {
          if (error !== null) {
            reject(new Error(`xds server: cannot bind ${address}: ${error.message}`));
            return;
          }
          logger.info("xds server listening", { address, port, tls: options.tls !== undefined });
          resolve(port);
        });
      });
    },
    close() {
      if (state === "closed") return Promise.resolve();
      state = "closed";
      service.closeStreams();
      return new Promise((resolve) => {
        server.tryShutdown(() => {
          logger.info("xds server stopped");
          resolve();
        });
        // Streams ended above; anything still open (a half-written handshake) is cut after a moment.
        setTimeout(() => server.forceShutdown(), 1000).unref();
      });
    },
  };
}
