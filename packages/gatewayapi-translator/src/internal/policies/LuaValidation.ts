// Lua validation of EnvoyExtensionPolicies (upstream luavalidator.Validate): a script must define
// envoy_on_request or envoy_on_response, and each defined entry point is checked by calling it on a mock stream
// handle, at the strictness the Gateway's EnvoyProxy asks for. Running Lua needs a VM, which the translator
// does not load itself: it is given one (TranslateOptions.luaValidator), and without one only the entry-point
// check is made.
import type { EnvoyProxy } from "@egts/api";

/** A Lua VM that checks scripts, synchronously (`@egts/lua-validator` provides one). */
export interface LuaScriptValidator {
  /** Parses the script; answers the syntax error, if any. */
  readonly checkSyntax: (code: string) => string | undefined;
  /** Parses and runs the script against mocks of Envoy's stream handle API; answers the error, if any. */
  readonly execute: (code: string) => string | undefined;
}

/** How strictly Lua scripts are validated (EnvoyProxy spec.luaValidation; Strict by default). */
export type LuaValidationLevel = "Strict" | "InsecureSyntax" | "Disabled";

const entryPoints = ["envoy_on_request", "envoy_on_response"] as const;

/** The validation level an EnvoyProxy asks for. */
export function luaValidationLevel(envoyProxy: EnvoyProxy | undefined): LuaValidationLevel {
  const spec = (envoyProxy?.spec ?? {}) as { luaValidation?: unknown; lua?: { validationType?: unknown } };
  const level = spec.lua?.validationType ?? spec.luaValidation;
  return level === "InsecureSyntax" || level === "Disabled" ? level : "Strict";
}

/** Validates a Lua script; answers the error in upstream's words, or undefined when it passes. */
export function validateLua(code: string, level: LuaValidationLevel, validator: LuaScriptValidator | undefined): string | undefined {
  const defined = entryPoints.filter((name) => code.includes(name));
  if (defined.length === 0) return `expected one of ${entryPoints[0]}() or ${entryPoints[1]}() to be defined`;
  if (validator === undefined || level === "Disabled") return undefined;
  for (const name of defined) {
    const withCall = `${code}\n${name}(StreamHandle)`;
    const error = level === "InsecureSyntax" ? validator.checkSyntax(withCall) : validator.execute(withCall);
    if (error !== undefined) return `failed to validate with ${name}: ${error}`;
  }
  return undefined;
}
