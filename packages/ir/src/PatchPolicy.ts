import type * as gwapiv1 from "./GatewayApi.js";
import type { JsonValue } from "./Json.js";

/** EnvoyPatchPolicy (xds IR type). */
export interface EnvoyPatchPolicy extends EnvoyPatchPolicyStatus {
  readonly jsonPatches?: readonly JSONPatchConfig[];
}

/** EnvoyPatchPolicyStatus (xds IR type). */
export interface EnvoyPatchPolicyStatus {
  readonly name?: string;
  readonly namespace?: string;
  readonly generation?: number;
  readonly status?: gwapiv1.PolicyStatus;
}

/** JSONPatchConfig (xds IR type). */
export interface JSONPatchConfig {
  readonly type: string;
  readonly name: string;
  readonly operation: JSONPatchOperation;
}

/** JSONPatchOp (xds IR type). */
export type JSONPatchOp = "add" | "remove" | "replace" | "copy" | "move" | "test";

/** JSONPatchOperation (xds IR type). */
export interface JSONPatchOperation {
  readonly op: JSONPatchOp;
  readonly path?: string;
  readonly jsonPath?: string;
  readonly from?: string;
  readonly value?: JsonValue;
}
