import type * as gwapiv1 from "./GatewayApi.js";
import type { JsonValue } from "./Json.js";

/** An EnvoyPatchPolicy's JSON patches for this proxy, with its status slot. */
export interface EnvoyPatchPolicy extends EnvoyPatchPolicyStatus {
  readonly jsonPatches?: readonly JSONPatchConfig[];
}

/** Identity of an EnvoyPatchPolicy and the status the xds translator writes for it. */
export interface EnvoyPatchPolicyStatus {
  readonly name?: string;
  readonly namespace?: string;
  readonly generation?: number;
  /** The policy's status, written by the xds translator. */
  readonly status?: gwapiv1.PolicyStatus;
}

/** A JSON patch against one xDS resource, identified by type and name. */
export interface JSONPatchConfig {
  /** xDS resource type URL the patch applies to. */
  readonly type: string;
  /** Name of the xDS resource to patch. */
  readonly name: string;
  readonly operation: JSONPatchOperation;
}

/** A JSON patch operation (RFC 6902). */
export type JSONPatchOp = "add" | "remove" | "replace" | "copy" | "move" | "test";

/** One RFC 6902 operation; `jsonPath` may select the target instead of `path`. */
export interface JSONPatchOperation {
  readonly op: JSONPatchOp;
  readonly path?: string;
  /** JSONPath selecting the target(s), instead of `path`. */
  readonly jsonPath?: string;
  readonly from?: string;
  readonly value?: JsonValue;
}
