/**
 * Envoy Gateway's Gateway API translator (upstream v1.9 `internal/gatewayapi`) in TypeScript: the resources
 * of one GatewayClass in, resource statuses plus xds IR and infra IR per proxy out.
 *
 * @packageDocumentation
 */
import type { Resources } from "@egts/api";
import type { TranslateOptions } from "./internal/Model.js";
import { normalizeResources } from "./internal/Normalize.js";
import { translateResources, translateResourcesToIR, translateResultToJson, type TranslateResultIR, type TranslateResultJson } from "./internal/Translator.js";

export type { TranslateOptions } from "./internal/Model.js";
export type { WasmCache, WasmFetchOptions } from "./internal/policies/EnvoyExtensionPolicy.js";
export type { LuaScriptValidator, LuaValidationLevel } from "./internal/policies/LuaValidation.js";
export type { OIDCDiscovery, OIDCEndpoints } from "./internal/policies/OIDCDiscovery.js";
export { interpretOpenIDConfiguration, isRetryableDiscoveryStatus, openIDConfigurationURL } from "./internal/policies/OIDCDiscovery.js";

/**
 * The translation result in upstream's JSON shape: every reported input list with `status`, and `xdsIR` /
 * `infraIR` maps keyed by IR key (`<namespace>/<gateway>`, or the GatewayClass name when gateways merge).
 */
export type TranslateResult = TranslateResultJson;

/**
 * Translates the resources of one GatewayClass. Pure: the input is not modified, and the same input gives
 * the same output (certificate validity is checked against `now`, by default the current time). Expects
 * objects decoded by `@egts/api` (which validates them as the CRDs and the API server would); on those it never
 * throws. Unchecked objects of the wrong shape are not supported.
 */
export function translate(resources: Resources, options: TranslateOptions, now?: Date): TranslateResult {
  return translateResources(normalizeResources(resources), options, now);
}

/**
 * The same translation with the IR as @egts/ir values: `xdsIR` goes to @egts/xds-translator and `infraIR`
 * to an infrastructure manager as they are, with no JSON encoding and decoding between the two translators.
 * `resources` holds the reported input lists with their statuses, as in {@link translate}'s result.
 */
export function translateToIR(resources: Resources, options: TranslateOptions, now?: Date): TranslateResultIR {
  return translateResourcesToIR(normalizeResources(resources), options, now);
}

export type { TranslateResultIR } from "./internal/Translator.js";

/**
 * {@link translateToIR}'s result in {@link translate}'s JSON shape (byte fields as base64), without translating
 * again. The result handed in is left as it is: its IR is copied before the bytes are written as text.
 */
export function translateResultJson(result: TranslateResultIR): TranslateResult {
  const copy = <V>(map: ReadonlyMap<string, V>): Map<string, V> => new Map([...map].map(([key, value]) => [key, structuredClone(value)]));
  return translateResultToJson({ ...result, xdsIR: copy(result.xdsIR), infraIR: copy(result.infraIR) });
}
export {
  createIncrementalTranslator,
  type IncrementalGatewayApiTranslator,
  type IncrementalRun,
} from "./internal/incremental/IncrementalTranslator.js";
