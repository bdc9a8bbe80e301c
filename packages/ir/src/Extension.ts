import type { RouteDestination } from "./Destination.js";
import type { Duration, JsonValue } from "./Json.js";
import type { TrafficFeatures } from "./Traffic.js";

/** ExtProcBodyProcessingMode (xds IR type). */
export type ExtProcBodyProcessingMode = "Streamed" | "Buffered" | "FullDuplexStreamed" | "BufferedPartial";

/** ExtProc (xds IR type). */
export interface ExtProc {
  readonly name: string;
  readonly destination: RouteDestination;
  readonly traffic?: TrafficFeatures;
  readonly authority: string;
  readonly messageTimeout?: Duration;
  readonly shadowMode?: boolean;
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

/** Lua (xds IR type). */
export interface Lua {
  readonly name: string;
  readonly code?: string;
  readonly filterContext?: JsonValue;
}

/** Wasm (xds IR type). */
export interface Wasm {
  readonly name: string;
  readonly rootID?: string;
  readonly wasmName: string;
  readonly config?: JsonValue;
  readonly failOpen: boolean;
  readonly httpWasmCode?: HTTPWasmCode;
  readonly hostKeys?: readonly string[];
}

/** HTTPWasmCode (xds IR type). */
export interface HTTPWasmCode {
  readonly servingURL: string;
  readonly sha256: string;
  readonly originalDownloadingURL: string;
}

/** DynamicModule (xds IR type). */
export interface DynamicModule {
  readonly name: string;
  readonly path?: string;
  readonly remote?: RemoteDynamicModuleSource;
  readonly filterName?: string;
  readonly config?: JsonValue;
  readonly doNotClose: boolean;
  readonly loadGlobally: boolean;
  readonly terminalFilter: boolean;
}

/** RemoteDynamicModuleSource (xds IR type). */
export interface RemoteDynamicModuleSource {
  readonly url: string;
  readonly sha256: string;
}
