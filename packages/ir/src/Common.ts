import type * as egv1a1 from "./EnvoyGatewayApi.js";
import type { JsonObject } from "./Json.js";

/** Secret bytes (private keys): encoded as "[redacted]" so that IR dumps never leak key material. */
export type PrivateBytes = Uint8Array;

/** One key/value pair of a map kept as a sorted list, so the IR stays deterministic. */
export interface MapEntry {
  /** Map key. */
  readonly key: string;
  /** Map value. */
  readonly value: string;
}

/** One named custom tracing tag, kept in a sorted list. */
export interface CustomTagMapEntry {
  readonly key: string;
  readonly value: egv1a1.CustomTag;
}

/** A resource introduced by an extension (for example an extension filter), carried unparsed. */
export interface UnstructuredRef {
  /** The resource as unstructured JSON (apiVersion, kind, metadata, spec, ...). */
  readonly object?: JsonObject;
}

/** Identifies the Gateway API resource (and policies) an IR element was built from; ends up in Envoy metadata. */
export interface ResourceMetadata {
  readonly kind?: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly annotations?: readonly MapEntry[];
  /** Section (for example a listener or rule name) of the resource, when the element comes from one. */
  readonly sectionName?: string;
  /** Policies that contributed to this element. */
  readonly policies?: readonly PolicyMetadata[];
}

/** Identifies one policy resource by kind, namespace and name. */
export interface PolicyMetadata {
  readonly kind?: string;
  readonly name?: string;
  readonly namespace?: string;
}
