/**
 * Bounds on what one xDS client can make the server hold or do. Every limit has a default suited to real
 * proxies; a client that exceeds one is told why (the stream fails with RESOURCE_EXHAUSTED) or, for the NACK
 * message, has its text shortened.
 */
export interface XdsLimits {
  /**
   * Responses a stream may have written but not yet taken by its client (grpc-js reports the backlog
   * through `write()` returning false until 'drain'). A client that stops reading while its requests keep
   * asking for responses is disconnected once its backlog exceeds this or {@link maxQueuedBytes}. Default 32.
   */
  readonly maxQueuedResponses?: number;
  /** Bytes of responses a stream may have waiting for its client (see above). Default 64 MiB. */
  readonly maxQueuedBytes?: number;
  /** Longest NACK `error_detail.message` kept (stored, reported, logged), in characters. Default 4096. */
  readonly maxNackMessageLength?: number;
  /** Distinct type URLs one stream may subscribe to. Default 32 (Envoy uses at most 9). */
  readonly maxTypesPerStream?: number;
  /** Resource names one request may name (subscribe plus unsubscribe). Default 50 000. */
  readonly maxResourceNamesPerRequest?: number;
}

/** {@link XdsLimits} with every default filled in. */
export type ResolvedXdsLimits = Required<XdsLimits>;

/** The defaults of {@link XdsLimits}. */
export const defaultXdsLimits: ResolvedXdsLimits = {
  maxQueuedResponses: 32,
  maxQueuedBytes: 64 * 1024 * 1024,
  maxNackMessageLength: 4096,
  maxTypesPerStream: 32,
  maxResourceNamesPerRequest: 50_000,
};

/** Fills in the defaults; a non-positive or non-integer value is a programming error and throws. */
export function resolveXdsLimits(limits: XdsLimits = {}): ResolvedXdsLimits {
  const resolved = { ...defaultXdsLimits, ...Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined)) } as ResolvedXdsLimits;
  for (const [name, value] of Object.entries(resolved)) {
    if (!Number.isInteger(value) || value <= 0) throw new Error(`xds server: limit ${name} must be a positive integer, got ${String(value)}`);
  }
  return resolved;
}

/** Shortens `text` to `max` characters, saying how much was cut. */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}... (${text.length - max} more characters not shown)`;
}
