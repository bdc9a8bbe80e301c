// Route configurations are the largest resources and the ones most often rebuilt (any route edit rebuilds
// its listener's), while most of their virtual hosts and routes are the same objects as last time. These
// encode and check a route configuration part by part, reusing the bytes and checks of parts seen before:
// the bytes are exactly the generated encoder's, and the check finds a violation exactly when checking the
// whole message does (no rule applies to the lists of virtual hosts or routes themselves).
import { BinaryWriter } from "@bufbuild/protobuf/wire";
import { formatViolations, validateMessage, type MessageType } from "@egts/envoy-api";
import { RouteConfiguration } from "@egts/envoy-api/generated/envoy/config/route/v3/route";
import { Route, VirtualHost } from "@egts/envoy-api/generated/envoy/config/route/v3/route_components";
import { positionNear } from "./RouteScan.js";
import { sameBytes } from "./SameValue.js";

/** Bytes of routes encoded before, by message object (messages are never changed once built). */
export interface RouteParts {
  readonly bytes: WeakMap<object, Uint8Array>;
  /** The writer parts are encoded with (`finish` copies the bytes out and resets it). */
  readonly writer: BinaryWriter;
  /** The encoding of each element codec's empty message (the element insertion points are found with). */
  readonly empty: WeakMap<object, Uint8Array>;
  /**
   * The last encoding of each route configuration, by name: the bytes of its virtual hosts are taken from it
   * (so they are kept once, in the configuration's bytes, not beside them).
   */
  readonly configs: Map<string, EncodedConfig>;
}

/** A route configuration's encoding, with where each virtual host's field (tag, length, bytes) sits in it. */
interface EncodedConfig {
  readonly vhosts: readonly VirtualHost[];
  readonly bytes: Uint8Array;
  /** The start of each virtual host's field in `bytes`, and the end of the last one. */
  readonly offsets: readonly number[];
  /** The configuration's encoding without virtual hosts, and where they go in it. */
  readonly rest: Uint8Array;
  readonly at: number;
}

/** A new, empty store of parts. */
export const newRouteParts = (): RouteParts => ({ bytes: new WeakMap(), writer: new BinaryWriter(), empty: new WeakMap(), configs: new Map() });

interface Codec<T> {
  encode(message: T, writer?: BinaryWriter): BinaryWriter;
  fromPartial(object: object): T;
}

const varintLength = (n: number): number => {
  let length = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    length++;
  }
  return length;
};

function writeVarint(out: Uint8Array, at: number, n: number): number {
  while (n >= 0x80) {
    out[at++] = (n % 128) | 0x80;
    n = Math.floor(n / 128);
  }
  out[at++] = n;
  return at;
}

const encodeWith = <T>(writer: BinaryWriter, codec: Codec<T>, message: T): Uint8Array => codec.encode(message, writer).finish();

/**
 * Where the generated encoder writes the elements of `message`'s repeated message field `field` (number
 * `fieldNumber`) in `rest`, the encoding of `message` without them (found by encoding it once more with one empty
 * element); undefined when that place cannot be found.
 */
function insertionPoint<T>(
  parts: RouteParts,
  codec: Codec<T>,
  elementCodec: Codec<unknown>,
  message: T,
  field: keyof T,
  fieldNumber: number,
  rest: Uint8Array,
): number | undefined {
  const { writer } = parts;
  let empty = parts.empty.get(elementCodec);
  if (empty === undefined) parts.empty.set(elementCodec, (empty = encodeWith(writer, elementCodec, elementCodec.fromPartial({}))));
  const probe = encodeWith(writer, codec, { ...message, [field]: [elementCodec.fromPartial({})] });
  const probeField = varintLength(fieldNumber * 8 + 2) + varintLength(empty.length) + empty.length;
  let at = 0;
  while (at < rest.length && rest[at] === probe[at]) at++;
  if (probe.length !== rest.length + probeField) return undefined;
  for (let i = at; i < rest.length; i++) if (probe[i + probeField] !== rest[i]) return undefined;
  return at;
}

/**
 * The encoding of `message` whose repeated message field `field` (number `fieldNumber`) holds elements
 * encoded as `elements`: the rest of the message encoded without them, with the elements' fields put where the
 * generated encoder writes them; undefined when that place cannot be found.
 */
function withElements<T>(
  parts: RouteParts,
  codec: Codec<T>,
  elementCodec: Codec<unknown>,
  message: T,
  field: keyof T,
  fieldNumber: number,
  elements: readonly Uint8Array[],
): Uint8Array | undefined {
  const rest = encodeWith(parts.writer, codec, { ...message, [field]: [] });
  const at = insertionPoint(parts, codec, elementCodec, message, field, fieldNumber, rest);
  if (at === undefined) return undefined;
  const tag = fieldNumber * 8 + 2;
  let length = rest.length;
  for (const e of elements) length += varintLength(tag) + varintLength(e.length) + e.length;
  const out = new Uint8Array(length);
  out.set(rest.subarray(0, at), 0);
  let pos = at;
  for (const e of elements) {
    pos = writeVarint(out, pos, tag);
    pos = writeVarint(out, pos, e.length);
    out.set(e, pos);
    pos += e.length;
  }
  out.set(rest.subarray(at), pos);
  return out;
}

const routeBytes = (parts: RouteParts, route: Route): Uint8Array => {
  let bytes = parts.bytes.get(route);
  if (bytes === undefined) {
    bytes = encodeWith(parts.writer, Route, route);
    parts.bytes.set(route, bytes);
  }
  return bytes;
};

/** The bytes of a virtual host (not kept: a configuration's encoding keeps them, see `RouteParts.configs`). */
const virtualHostBytes = (parts: RouteParts, vhost: VirtualHost): Uint8Array =>
  // A virtual host of one route is rebuilt whenever its route is, so its route's bytes are never reused:
  // one encoding is cheaper than encoding the rest twice (to find where routes go) plus the route.
  (vhost.routes.length <= 1 ? encodeWith(parts.writer, VirtualHost, vhost) : undefined) ??
  withElements(
    parts,
    VirtualHost,
    Route as Codec<unknown>,
    vhost,
    "routes",
    3,
    vhost.routes.map((r) => routeBytes(parts, r)),
  ) ??
  encodeWith(parts.writer, VirtualHost, vhost);

const VHOST_TAG = 2 * 8 + 2;

/** A byte array of `length` bytes of its own (not a pooled slice), not zeroed. */
const uninitialised = (length: number): Uint8Array => {
  const buffer = Buffer.allocUnsafeSlow(length);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, length);
};

/**
 * The wire bytes of a route configuration, the same as `RouteConfiguration.encode`'s: the rest of the
 * configuration encoded without its virtual hosts, with their fields put where the generated encoder writes
 * them. A virtual host that was in the last encoding of a configuration of this name (the same object, at about
 * the same position) is copied from there, runs of them at once; the others are encoded.
 */
export function encodeRouteConfiguration(parts: RouteParts, config: RouteConfiguration): Uint8Array {
  const { writer } = parts;
  const before = parts.configs.get(config.name);
  const rest = encodeWith(writer, RouteConfiguration, { ...config, virtualHosts: [] });
  const at =
    before !== undefined && sameBytes(before.rest, rest)
      ? before.at
      : insertionPoint(parts, RouteConfiguration, VirtualHost as Codec<unknown>, config, "virtualHosts", 2, rest);
  if (at === undefined) {
    parts.configs.delete(config.name);
    return encodeWith(writer, RouteConfiguration, config);
  }
  const vhosts = config.virtualHosts;
  // Each virtual host's position in the last encoding, or its bytes.
  const from: number[] = [];
  const fresh: (Uint8Array | undefined)[] = [];
  let length = rest.length;
  let next = 0;
  for (const vhost of vhosts) {
    const p = positionNear(before?.vhosts, next, vhost);
    if (before !== undefined && p >= 0) {
      next = p + 1;
      from.push(p);
      fresh.push(undefined);
      length += (before.offsets[p + 1] as number) - (before.offsets[p] as number);
    } else {
      const bytes = virtualHostBytes(parts, vhost);
      from.push(-1);
      fresh.push(bytes);
      length += varintLength(VHOST_TAG) + varintLength(bytes.length) + bytes.length;
    }
  }
  // Every byte is written below: no need to zero the memory first.
  const out = uninitialised(length);
  out.set(rest.subarray(0, at), 0);
  const offsets: number[] = [];
  let pos = at;
  for (let i = 0; i < vhosts.length; ) {
    const p = from[i] as number;
    if (before === undefined || p < 0) {
      const bytes = fresh[i] as Uint8Array;
      offsets.push(pos);
      pos = writeVarint(out, pos, VHOST_TAG);
      pos = writeVarint(out, pos, bytes.length);
      out.set(bytes, pos);
      pos += bytes.length;
      i++;
      continue;
    }
    // A run of virtual hosts that were next to each other last time: one copy.
    let j = i + 1;
    while (j < vhosts.length && from[j] === (from[j - 1] as number) + 1) j++;
    const start = before.offsets[p] as number;
    const end = before.offsets[(from[j - 1] as number) + 1] as number;
    for (let k = i; k < j; k++) offsets.push(pos + (before.offsets[from[k] as number] as number) - start);
    out.set(before.bytes.subarray(start, end), pos);
    pos += end - start;
    i = j;
  }
  offsets.push(pos);
  // The memory was not zeroed: every byte must have been written.
  if (pos + rest.length - at !== out.length) throw new Error("internal: route configuration encoded to the wrong length");
  out.set(rest.subarray(at), pos);
  parts.configs.set(config.name, { vhosts, bytes: out, offsets, rest, at });
  return out;
}

/**
 * Checks a route configuration against Envoy's validation rules, skipping virtual hosts and routes in
 * `validated` (and adding those that pass); throws an Error listing the violations found.
 */
export function validateRouteConfiguration(config: RouteConfiguration, validated: WeakSet<object>): void {
  // Nothing seen before (a first translation): one check of the whole, which passes exactly when every part does.
  if (config.virtualHosts.every((v) => !validated.has(v) && v.routes.every((r) => !validated.has(r)))) {
    if (validateMessage(RouteConfiguration, config, { recurseIntoAny: false }).length === 0) {
      for (const vhost of config.virtualHosts) {
        validated.add(vhost);
        for (const route of vhost.routes) validated.add(route);
      }
      return;
    }
  }
  const problems: string[] = [];
  const check = <T>(type: MessageType<T>, message: T, what: string) => {
    const violations = validateMessage(type, message, { recurseIntoAny: false });
    if (violations.length > 0) problems.push(`${what}: ${formatViolations(violations)}`);
    return violations.length === 0;
  };
  check(RouteConfiguration, { ...config, virtualHosts: [] }, "route configuration");
  for (const vhost of config.virtualHosts) {
    if (validated.has(vhost)) continue;
    let valid = check(VirtualHost, { ...vhost, routes: [] }, `virtual host ${JSON.stringify(vhost.name)}`);
    for (const route of vhost.routes) {
      if (validated.has(route)) continue;
      if (check(Route, route, `route ${JSON.stringify(route.name)}`)) validated.add(route);
      else valid = false;
    }
    if (valid) validated.add(vhost);
  }
  if (problems.length > 0) throw new Error(`validation failed for xds resource routes ${JSON.stringify(config.name)}, err: ${problems.join("\n")}`);
}
