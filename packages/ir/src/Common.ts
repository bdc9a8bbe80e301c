import type * as egv1a1 from "./EnvoyGatewayApi.js";
import type { JsonObject } from "./Json.js";

/** PrivateBytes (xds IR type). */
export type PrivateBytes = Uint8Array;

/** MapEntry (xds IR type). */
export interface MapEntry {
  readonly key: string;
  readonly value: string;
}

/** CustomTagMapEntry (xds IR type). */
export interface CustomTagMapEntry {
  readonly key: string;
  readonly value: egv1a1.CustomTag;
}

/** UnstructuredRef (xds IR type). */
export interface UnstructuredRef {
  readonly object?: JsonObject;
}

/** ResourceMetadata (xds IR type). */
export interface ResourceMetadata {
  readonly kind?: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly annotations?: readonly MapEntry[];
  readonly sectionName?: string;
  readonly policies?: readonly PolicyMetadata[];
}

/** PolicyMetadata (xds IR type). */
export interface PolicyMetadata {
  readonly kind?: string;
  readonly name?: string;
  readonly namespace?: string;
}
