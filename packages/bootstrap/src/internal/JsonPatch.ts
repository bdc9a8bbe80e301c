// EnvoyProxy bootstrap patches: RFC 6902 operations applied in order with @egts/ir's JSON Patch (the one the
// xDS translator uses for EnvoyPatchPolicy), to a copy of the document, with upstream's error framing.
import { applyJsonPatchOperation, type JSONPatchOperation, type MutableJson } from "@egts/ir";

/** One patch operation (EnvoyProxy `spec.bootstrap.jsonPatches[]`). */
export interface JsonPatchOperation {
  readonly op: "add" | "remove" | "replace" | "move" | "copy" | "test";
  readonly path?: string;
  readonly jsonPath?: string;
  readonly from?: string;
  readonly value?: unknown;
}

const copy = (value: unknown): MutableJson => (value === undefined ? null : (JSON.parse(JSON.stringify(value)) as MutableJson));

/** Applies the operations in order to a copy of `document`; throws on the first that cannot be applied. */
export function applyJsonPatch(document: unknown, operations: ReadonlyArray<JsonPatchOperation>): MutableJson {
  let doc = copy(document);
  for (const operation of operations) {
    if (operation.jsonPath !== undefined) throw new Error(`op=${operation.op}: jsonPath is not supported, use path`);
    if (operation.path === undefined) throw new Error(`op=${operation.op}: path is required`);
    if ((operation.op === "move" || operation.op === "copy") && operation.from === undefined) {
      throw new Error(`unable to apply patch: op=${operation.op} path=${operation.path} err: from is required`);
    }
    try {
      // The EnvoyProxy resource was decoded from JSON, so `value` is a JSON value.
      doc = applyJsonPatchOperation(doc, operation as JSONPatchOperation, operation.path);
    } catch (error) {
      throw new Error(`unable to apply patch: op=${operation.op} path=${operation.path} err: ${(error as Error).message}`);
    }
  }
  return doc;
}
