/** Feature switches (`EnvoyGateway.spec.runtimeFlags`) that change xDS output. */
export interface RuntimeFlags {
  readonly enabled?: readonly string[];
  readonly disabled?: readonly string[];
}

/** Options of one xds translation, as upstream's `Translator` fields (and the corpus's options.json). */
export interface XdsTranslateOptions {
  /** Namespace Envoy Gateway runs in (names the rate limit service and similar in-cluster targets). */
  readonly controllerNamespace?: string;
  /** Cluster DNS domain, `cluster.local` by default. */
  readonly dnsDomain?: string;
  /** URL of the global rate limit service (`grpc://host:port`); global rate limits need it. */
  readonly globalRateLimitServiceURL?: string;
  /** Timeout of calls to the global rate limit service as a Go duration; 20ms when absent. */
  readonly globalRateLimitTimeout?: string;
  /** Whether requests fail when the global rate limit service cannot be reached. */
  readonly globalRateLimitFailClosed?: boolean;
  /**
   * Skip checking emitted resources against Envoy's protoc-gen-validate rules (about a sixth of the
   * translation time). Upstream always checks; only skip for IR you trust, such as in benchmarks.
   */
  readonly skipValidation?: boolean;
  /** Runtime flags such as `XDSNameSchemeV2`. */
  readonly runtimeFlags?: RuntimeFlags;
}
