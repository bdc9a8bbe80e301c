import { parseDocument, stringify } from "yaml";
import type { Infra } from "./Infra.js";
import type { IRTypeMap } from "./IRTypeMap.js";
import type { Codec, EncodeOptions } from "./internal/codec.js";
import { irCodecs } from "./internal/descriptors.js";
import type { Xds } from "./Xds.js";

export type { EncodeOptions } from "./internal/codec.js";

/** A decode that failed: every problem found, each prefixed with the path of the offending field. */
export class IRDecodeError extends Error {
  override readonly name = "IRDecodeError";
  constructor(readonly issues: readonly string[]) {
    super(issues.length === 1 ? (issues[0] ?? "") : `${issues.length} problems:\n  ${issues.join("\n  ")}`);
  }
}

/** How YAML text is parsed into an IR. */
export interface ParseOptions {
  /**
   * Skip fields the IR does not declare, as Go's non-strict `yaml.Unmarshal` does (upstream reads some test
   * inputs that way); by default an unknown field is an error.
   */
  readonly ignoreUnknownFields?: boolean;
}

/** The outcome of a decode that does not throw. */
export type DecodeResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: readonly string[] };

function safeDecode<T>(codec: Codec<T>, value: unknown, path: string, yamlScalars = false, ignoreUnknownFields = false): DecodeResult<T> {
  const issues: string[] = [];
  const decoded = codec.decode(value, path, { issues, yamlScalars, ignoreUnknownFields });
  return issues.length === 0 ? { ok: true, value: decoded } : { ok: false, issues };
}

function orThrow<T>(result: DecodeResult<T>): T {
  if (result.ok) return result.value;
  throw new IRDecodeError(result.issues);
}

const noOptions: EncodeOptions = {};

/** Decodes parsed JSON/YAML into an xds IR; `path` prefixes every issue. Never throws. */
export const safeDecodeXds = (value: unknown, path = ""): DecodeResult<Xds> => safeDecode(irCodecs.Xds, value, path);
/** Decodes parsed JSON/YAML into an xds IR; throws {@link IRDecodeError} listing every bad field. */
export const decodeXds = (value: unknown, path = ""): Xds => orThrow(safeDecodeXds(value, path));
/** Encodes an xds IR to plain JSON with upstream's field names and omission rules. */
export const encodeXds = (ir: Xds, options: EncodeOptions = noOptions): Record<string, unknown> => irCodecs.Xds.encode(ir, options) as Record<string, unknown>;

/** Decodes parsed JSON/YAML into an infra IR; `path` prefixes every issue. Never throws. */
export const safeDecodeInfra = (value: unknown, path = ""): DecodeResult<Infra> => safeDecode(irCodecs.Infra, value, path);
/** Decodes parsed JSON/YAML into an infra IR; throws {@link IRDecodeError} listing every bad field. */
export const decodeInfra = (value: unknown, path = ""): Infra => orThrow(safeDecodeInfra(value, path));
/** Encodes an infra IR to plain JSON with upstream's field names and omission rules. */
export const encodeInfra = (ir: Infra, options: EncodeOptions = noOptions): Record<string, unknown> =>
  irCodecs.Infra.encode(ir, options) as Record<string, unknown>;

/** Name of an IR type (as upstream spells it: "HTTPRoute", "RouteDestination", ...). */
export type IRTypeName = keyof IRTypeMap;

/** Decodes any IR type by name, such as one `HTTPRoute`; never throws. */
export const safeDecodeIRValue = <K extends IRTypeName>(type: K, value: unknown, path = ""): DecodeResult<IRTypeMap[K]> =>
  safeDecode(irCodecs[type] as Codec<IRTypeMap[K]>, value, path);
/** Decodes any IR type by name; throws {@link IRDecodeError}. */
export const decodeIRValue = <K extends IRTypeName>(type: K, value: unknown, path = ""): IRTypeMap[K] => orThrow(safeDecodeIRValue(type, value, path));
/** Encodes any IR type by name to plain JSON. */
export const encodeIRValue = <K extends IRTypeName>(type: K, value: IRTypeMap[K], options: EncodeOptions = noOptions): unknown =>
  (irCodecs[type] as Codec<IRTypeMap[K]>).encode(value, options);
/**
 * The zero value of an IR type, as Go would have it: required fields set to "", 0, false or
 * their own zero value, optional ones absent. A starting point for building IR by hand.
 */
export const zeroIRValue = <K extends IRTypeName>(type: K): IRTypeMap[K] => (irCodecs[type] as Codec<IRTypeMap[K]>).zero();

/** The xds IR of every proxy, by IR key (for example "envoy-gateway/gateway-1"). */
export type XdsIRMap = ReadonlyMap<string, Xds>;
/** The infra IR of every proxy, by IR key. */
export type InfraIRMap = ReadonlyMap<string, Infra>;

function safeDecodeMap<T>(codec: Codec<T>, value: unknown, path: string): DecodeResult<ReadonlyMap<string, T>> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, issues: [`${path || "IR map"}: expected map of IR key to IR, got ${Array.isArray(value) ? "array" : String(value)}`] };
  }
  const issues: string[] = [];
  const ctx = { issues, yamlScalars: false };
  const out = new Map<string, T>();
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    out.set(key, codec.decode(v, { up: path, key }, ctx));
  }
  return issues.length === 0 ? { ok: true, value: out } : { ok: false, issues };
}

function encodeMap<T>(codec: Codec<T>, map: ReadonlyMap<string, T> | Readonly<Record<string, T>>, options: EncodeOptions) {
  const out: Record<string, unknown> = {};
  const entries = map instanceof Map ? [...map.entries()] : Object.entries(map as Record<string, T>);
  for (const [k, v] of entries) out[k] = codec.encode(v, options);
  return out;
}

/** Decodes a `{ irKey: Xds }` map (as in a translate result's `xdsIR`). Never throws. */
export const safeDecodeXdsIRMap = (value: unknown, path = ""): DecodeResult<XdsIRMap> => safeDecodeMap(irCodecs.Xds, value, path);
/** Decodes a `{ irKey: Xds }` map; throws {@link IRDecodeError}. */
export const decodeXdsIRMap = (value: unknown, path = ""): XdsIRMap => orThrow(safeDecodeXdsIRMap(value, path));
/** Encodes a map of IR key to xds IR as a plain JSON object, keys in the map's order. */
export const encodeXdsIRMap = (map: ReadonlyMap<string, Xds> | Readonly<Record<string, Xds>>, options: EncodeOptions = noOptions): Record<string, unknown> =>
  encodeMap(irCodecs.Xds, map, options);

/** Decodes a `{ irKey: Infra }` map (as in a translate result's `infraIR`). Never throws. */
export const safeDecodeInfraIRMap = (value: unknown, path = ""): DecodeResult<InfraIRMap> => safeDecodeMap(irCodecs.Infra, value, path);
/** Decodes a `{ irKey: Infra }` map; throws {@link IRDecodeError}. */
export const decodeInfraIRMap = (value: unknown, path = ""): InfraIRMap => orThrow(safeDecodeInfraIRMap(value, path));
/** Encodes a map of IR key to infra IR as a plain JSON object. */
export const encodeInfraIRMap = (
  map: ReadonlyMap<string, Infra> | Readonly<Record<string, Infra>>,
  options: EncodeOptions = noOptions,
): Record<string, unknown> => encodeMap(irCodecs.Infra, map, options);

/** Bounds for untrusted YAML: no alias bombs, no huge documents. */
const YAML_MAX_BYTES = 64 * 1024 * 1024;

function parseYaml(text: string, what: string): unknown {
  if (text.length > YAML_MAX_BYTES) throw new IRDecodeError([`${what}: document larger than ${YAML_MAX_BYTES} bytes`]);
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) throw new IRDecodeError(doc.errors.map((e) => `${what}: YAML: ${e.message}`));
  // An empty document is the zero IR, as for upstream's YAML loader.
  return doc.toJS({ maxAliasCount: 100 }) ?? {};
}

/** Parses YAML text holding one xds IR (as upstream's `ir.yaml` test inputs); throws {@link IRDecodeError}. */
export const parseXdsYaml = (text: string, options: ParseOptions = {}): Xds =>
  orThrow(safeDecode(irCodecs.Xds, parseYaml(text, "xds IR"), "", true, options.ignoreUnknownFields === true));
/** Parses YAML text holding one infra IR; throws {@link IRDecodeError}. */
export const parseInfraYaml = (text: string): Infra => orThrow(safeDecode(irCodecs.Infra, parseYaml(text, "infra IR"), "", true));

const yamlOut = (value: unknown): string => stringify(value, { indentSeq: false, lineWidth: 0, aliasDuplicateObjects: false });

/** Writes an xds IR as YAML in upstream's layout: keys sorted, private keys redacted unless asked otherwise. */
export const stringifyXdsYaml = (ir: Xds, options: EncodeOptions = noOptions): string => yamlOut(encodeXds(ir, { ...options, sortKeys: true }));
/** Writes an infra IR as YAML in upstream's layout (keys sorted). */
export const stringifyInfraYaml = (ir: Infra, options: EncodeOptions = noOptions): string => yamlOut(encodeInfra(ir, { ...options, sortKeys: true }));
