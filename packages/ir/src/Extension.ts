import type { RouteDestination } from "./Destination.js";
import type { Duration, JsonValue } from "./Json.js";
import type { TrafficFeatures } from "./Traffic.js";

/** How a request/response body is sent to an external processor. */
export type ExtProcBodyProcessingMode = "Streamed" | "Buffered" | "FullDuplexStreamed" | "BufferedPartial";

/** An external processing (ext_proc) service attached to a route. */
export interface ExtProc {
  readonly name: string;
  readonly destination: RouteDestination;
  readonly traffic?: TrafficFeatures;
  readonly authority: string;
  /** Time allowed for each message exchange with the processor. */
  readonly messageTimeout?: Duration;
  readonly shadowMode?: boolean;
  /** Continue when the processor fails. */
  readonly failOpen?: boolean;
  readonly requestHeaderProcessing?: boolean;
  readonly requestBodyProcessingMode?: ExtProcBodyProcessingMode;
  readonly responseHeaderProcessing?: boolean;
  readonly responseBodyProcessingMode?: ExtProcBodyProcessingMode;
  readonly requestAttributes?: readonly string[];
  readonly responseAttributes?: readonly string[];
  readonly forwardingMetadataNamespaces?: readonly string[];
  readonly receivingMetadataNamespaces?: readonly string[];
  readonly allowModeOverride?: boolean;
  readonly statusOnError?: number;
}

/** A Lua script attached to a route. */
export interface Lua {
  /** Filter name. */
  readonly name: string;
  /** The Lua source. */
  readonly code?: string;
  /** Configuration passed to the script. */
  readonly filterContext?: JsonValue;
}

/** A Wasm extension attached to a route. */
export interface Wasm {
  readonly name: string;
  /** Root ID of the Wasm VM context. */
  readonly rootID?: string;
  /** Name the Wasm extension is known by in logs and stats. */
  readonly wasmName: string;
  /** Configuration passed to the extension. */
  readonly config?: JsonValue;
  readonly failOpen: boolean;
  readonly httpWasmCode?: HTTPWasmCode;
  readonly hostKeys?: readonly string[];
}

/** Wasm code the control plane serves over HTTP to the proxy. */
export interface HTTPWasmCode {
  /** URL the control plane serves the cached module from. */
  readonly servingURL: string;
  /** SHA-256 of the module (hex). */
  readonly sha256: string;
  readonly originalDownloadingURL: string;
}

/** A dynamic module (shared library) filter attached to a route. */
export interface DynamicModule {
  readonly name: string;
  /** Path of the shared library on the proxy. */
  readonly path?: string;
  readonly remote?: RemoteDynamicModuleSource;
  /** Filter name inside the module. */
  readonly filterName?: string;
  readonly config?: JsonValue;
  readonly doNotClose: boolean;
  readonly loadGlobally: boolean;
  readonly terminalFilter: boolean;
}

/** A dynamic module fetched from a URL. */
export interface RemoteDynamicModuleSource {
  readonly url: string;
  readonly sha256: string;
}
