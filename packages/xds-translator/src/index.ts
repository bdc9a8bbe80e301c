/**
 * Translates Envoy Gateway's xds IR into the Envoy resources a proxy needs (upstream v1.9
 * `internal/xds/translator`).
 *
 * @packageDocumentation
 */
export type { XdsTranslateOptions, RuntimeFlags } from "./internal/Options.js";
