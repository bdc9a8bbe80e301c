import { formatViolations, packAny, validateMessage, type Any } from "@egts/envoy-api";
import type { BinaryReader, BinaryWriter } from "@bufbuild/protobuf/wire";
import { parseGoDuration } from "@egts/ir";
import { ApiVersion, type ConfigSource } from "@egts/envoy-api/generated/envoy/config/core/v3/config_source";
import type { Duration } from "@egts/envoy-api/generated/google/protobuf/duration";

/** A generated message codec whose `fromPartial` accepts `P` (its DeepPartial). */
export interface Codec<T, P> {
  readonly $type: string;
  encode(message: T, writer?: BinaryWriter): BinaryWriter;
  decode(input: BinaryReader | Uint8Array, length?: number): T;
  fromPartial(object: P): T;
}

/** Builds a message from the fields given, every other field at its zero value. */
export const msg = <T, P>(type: Codec<T, P>, partial: P): T => type.fromPartial(partial);

/**
 * Builds a message, checks it against Envoy's validation rules (not descending into nested Anys, which were
 * checked when they were packed) and packs it into an Any; throws on a broken rule (upstream's
 * ToAnyWithValidation).
 */
export function anyOf<T, P>(type: Codec<T, P>, partial: P): Any {
  return anyOfMessage(type, type.fromPartial(partial));
}

/** `anyOf` for a complete message (built with `msg` or decoded), which needs no copy through `fromPartial`. */
export function anyOfMessage<T, P>(type: Codec<T, P>, message: T): Any {
  const any = packAny(type, message);
  const violations = validateMessage(type, message, { recurseIntoAny: false });
  if (violations.length > 0) throw new Error(`invalid ${type.$type.slice(type.$type.lastIndexOf(".") + 1)}: ${formatViolations(violations)}`);
  return any;
}

/** Builds a message and packs it into an Any without checking it (upstream's anypb.New call sites). */
export const anyOfUnchecked = <T, P>(type: Codec<T, P>, partial: P): Any => packAny(type, type.fromPartial(partial));

/** A protobuf Duration from nanoseconds. */
export function durationFromNanos(nanos: number): Duration {
  const seconds = Math.trunc(nanos / 1e9);
  return { seconds: String(seconds), nanos: Math.round(nanos - seconds * 1e9) };
}

/** A protobuf Duration from a Go duration string ("10s", "1h30m"); throws on bad syntax. */
export function duration(text: string): Duration {
  const nanos = parseGoDuration(text);
  if (nanos === undefined) throw new Error(`invalid duration ${JSON.stringify(text)}`);
  return durationFromNanos(nanos);
}

/** Nanoseconds of a Go duration string; throws on bad syntax. */
export function nanosOf(text: string): number {
  const nanos = parseGoDuration(text);
  if (nanos === undefined) throw new Error(`invalid duration ${JSON.stringify(text)}`);
  return nanos;
}

/** A protobuf Duration of whole seconds. */
export const seconds = (s: number): Duration => ({ seconds: String(s), nanos: 0 });

/** The ADS config source every dynamically fetched resource uses (V3, no initial fetch timeout). */
export const adsConfigSource = (): ConfigSource =>
  ({
    configSourceSpecifier: { $case: "ads", value: {} },
    resourceApiVersion: ApiVersion.V3,
    initialFetchTimeout: seconds(0),
    authorities: [],
  }) as ConfigSource;

/** Escapes a string for use inside an RE2 regex, as Go's regexp.QuoteMeta does. */
export const quoteMeta = (s: string): string => s.replace(/[\\.+*?()|[\]{}^$]/g, "\\$&");
