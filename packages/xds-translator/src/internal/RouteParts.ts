// Route configurations are the largest resources and the ones most often rebuilt (any route edit rebuilds
// its listener's), while most of their virtual hosts and routes are the same objects as last time. These
// encode and check a route configuration part by part, reusing the bytes and checks of parts seen before:
// the bytes are exactly the generated encoder's, and the check finds a violation exactly when checking the
// whole message does (no rule applies to the lists of virtual hosts or routes themselves).
import { BinaryWriter } from "@bufbuild/protobuf/wire";
import { formatViolations, validateMessage, type MessageType } from "@egts/envoy-api";
import { RouteConfiguration } from "@egts/envoy-api/generated/envoy/config/route/v3/route";
import { Route, VirtualHost } from "@egts/envoy-api/generated/envoy/config/route/v3/route_components";

/** Bytes of virtual hosts and routes encoded before, by message object (messages are never changed once built). */
export interface RouteParts {
  readonly bytes: WeakMap<object, Uint8Array>;
  /** The writer parts are encoded with (`finish` copies the bytes out and resets it). */
  readonly writer: BinaryWriter;
  /** The encoding of each element codec's empty message (the element insertion points are found with). */
  readonly empty: WeakMap<object, Uint8Array>;
}

/** A new, empty store of parts. */
export const newRouteParts = (): RouteParts => ({ bytes: new WeakMap(), writer: new BinaryWriter(), empty: new WeakMap() });

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
 * The encoding of `message` whose repeated message field `field` (number `fieldNumber`) holds elements
 * encoded as `elements`: the rest of the message encoded without them, with the elements' fields put where the
 * generated encoder writes them (found by encoding the rest once more with one empty element); undefined when
 * that place cannot be found.
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
  const { writer } = parts;
  const rest = encodeWith(writer, codec, { ...message, [field]: [] });
  let empty = parts.empty.get(elementCodec);
  if (empty === undefined) parts.empty.set(elementCodec, (empty = encodeWith(writer, elementCodec, elementCodec.fromPartial({}))));
  const probe = encodeWith(writer, codec, { ...message, [field]: [elementCodec.fromPartial({})] });
  const tag = fieldNumber * 8 + 2;
  const probeField = varintLength(tag) + varintLength(empty.length) + empty.length;
  let at = 0;
  while (at < rest.length && rest[at] === probe[at]) at++;
  if (probe.length !== rest.length + probeField) return undefined;
  for (let i = at; i < rest.length; i++) if (probe[i + probeField] !== rest[i]) return undefined;
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

const virtualHostBytes = (parts: RouteParts, vhost: VirtualHost): Uint8Array => {
  let bytes = parts.bytes.get(vhost);
  if (bytes === undefined) {
    // A virtual host of one route is rebuilt whenever its route is, so its route's bytes are never reused:
    // one encoding is cheaper than encoding the rest twice (to find where routes go) plus the route.
    bytes =
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
    parts.bytes.set(vhost, bytes);
  }
  return bytes;
};

/** The wire bytes of a route configuration, the same as `RouteConfiguration.encode`'s. */
export function encodeRouteConfiguration(parts: RouteParts, config: RouteConfiguration): Uint8Array {
  const vhosts = config.virtualHosts.map((v) => virtualHostBytes(parts, v));
  return (
    withElements(parts, RouteConfiguration, VirtualHost as Codec<unknown>, config, "virtualHosts", 2, vhosts) ??
    encodeWith(parts.writer, RouteConfiguration, config)
  );
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
