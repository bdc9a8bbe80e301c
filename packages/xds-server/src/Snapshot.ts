import { createHash } from "node:crypto";
import { xdsResourceCodec } from "@egts/envoy-api";
import { ChunkList } from "./internal/ProtoWire.js";
import { resourceNameOf } from "./ResourceTypes.js";

/**
 * One resource in its wire form, encoded once per version and shared by every stream that sends it:
 * `any` is the encoded google.protobuf.Any (state-of-the-world responses), `deltaResource` the encoded
 * envoy.service.discovery.v3.Resource (delta responses). `version` is a hash of the encoded message.
 * The `...Field` forms are the same bytes framed as field 2 (`resources`) of the response message, which
 * is how responses embed them; the unframed forms are views into the delta one, not copies (`anyField` is
 * framed on first access).
 */
export interface EncodedResource {
  readonly name: string;
  readonly typeUrl: string;
  readonly version: string;
  readonly any: Uint8Array;
  readonly deltaResource: Uint8Array;
  readonly anyField: Uint8Array;
  readonly deltaResourceField: Uint8Array;
}

/** The resources of one type in a snapshot and the type's version (a hash over names and versions). */
export interface ResourceSet {
  readonly typeUrl: string;
  readonly version: string;
  readonly resources: ReadonlyMap<string, EncodedResource>;
}

/** An immutable set of resources per type URL, the unit a proxy is configured with. */
export interface Snapshot {
  /** Marks a value as an encoded snapshot (as opposed to a {@link SnapshotInput}). */
  readonly _tag: "Snapshot";
  readonly types: ReadonlyMap<string, ResourceSet>;
  /** The resources of a type; a type the snapshot does not hold is an empty set with a stable version. */
  resourcesOf(typeUrl: string): ResourceSet;
}

/**
 * A resource already encoded by the caller (its message bytes, not an Any), with its name. Build one with
 * {@link preEncodedResource}; useful for resources produced elsewhere or deliberately malformed in tests.
 */
export interface PreEncodedResource {
  readonly _tag: "PreEncodedResource";
  readonly name: string;
  readonly value: Uint8Array;
}

/** Wraps already-encoded message bytes as a snapshot entry. */
export const preEncodedResource = (name: string, value: Uint8Array): PreEncodedResource => ({
  _tag: "PreEncodedResource",
  name,
  value,
});

/**
 * What a snapshot is made of: per type URL, the resources as ts-proto messages of that type (encoded with
 * @egts/envoy-api's codec for the type URL, which must be an xDS resource type, and named by `name`, or
 * `cluster_name` for endpoints) or as {@link PreEncodedResource}s (any type).
 */
export type SnapshotInput = { readonly [typeUrl: string]: ReadonlyArray<object> };

/**
 * Remembers encodings by message object, so a translator that reuses unchanged message objects between
 * runs pays the encoding once. Owned by a cache (no process-wide state).
 */
export type EncodingMemo = WeakMap<object, EncodedResource>;

/** Creates an empty encoding memo. */
export const makeEncodingMemo = (): EncodingMemo => new WeakMap();

/** A snapshot made by {@link encodeSnapshot}, which remembers the input list each type was encoded from. */
interface EncodedSnapshot extends Snapshot {
  readonly inputs?: ReadonlyMap<string, ReadonlyArray<object>>;
}

/**
 * Encodes a snapshot input. Throws an Error naming the type URL and index of a resource it cannot encode.
 * With a `previous` snapshot, a type whose resources all encode to the previous encodings keeps the
 * previous {@link ResourceSet} object, so streams see at once that the type did not change. A type given the
 * very list (same array) the previous snapshot was encoded from keeps its set without looking at the items:
 * input lists are read-only, so the same array holds the same items.
 */
export function encodeSnapshot(input: SnapshotInput, memo: EncodingMemo = makeEncodingMemo(), previous?: Snapshot): Snapshot {
  const types = new Map<string, ResourceSet>();
  const inputs = new Map<string, ReadonlyArray<object>>();
  const previousInputs = (previous as EncodedSnapshot | undefined)?.inputs;
  for (const [typeUrl, items] of Object.entries(input)) {
    inputs.set(typeUrl, items);
    const unchanged = previousInputs?.get(typeUrl) === items ? previous?.types.get(typeUrl) : undefined;
    if (unchanged !== undefined) {
      types.set(typeUrl, unchanged);
      continue;
    }
    const resources = new Map<string, EncodedResource>();
    items.forEach((item, index) => {
      const encoded = encodeResource(typeUrl, item, index, memo);
      if (resources.has(encoded.name)) {
        throw new Error(`snapshot: duplicate resource name "${encoded.name}" in ${typeUrl} (index ${index})`);
      }
      resources.set(encoded.name, encoded);
    });
    const before = previous?.types.get(typeUrl);
    types.set(typeUrl, before !== undefined && sameEncodings(before.resources, resources) ? before : { typeUrl, version: typeVersion(resources), resources });
  }
  return makeSnapshot(types, inputs);
}

function makeSnapshot(types: ReadonlyMap<string, ResourceSet>, inputs?: ReadonlyMap<string, ReadonlyArray<object>>): EncodedSnapshot {
  const empties = new Map<string, ResourceSet>();
  return {
    _tag: "Snapshot",
    types,
    ...(inputs !== undefined ? { inputs } : {}),
    resourcesOf(typeUrl) {
      const set = types.get(typeUrl) ?? empties.get(typeUrl);
      if (set !== undefined) return set;
      const empty: ResourceSet = { typeUrl, version: EMPTY_VERSION, resources: new Map() };
      empties.set(typeUrl, empty);
      return empty;
    },
  };
}

/** A snapshot with no resources of any type. */
export const emptySnapshot = (): Snapshot => makeSnapshot(new Map());

function encodeResource(typeUrl: string, item: object, index: number, memo: EncodingMemo): EncodedResource {
  const remembered = memo.get(item);
  if (remembered !== undefined && remembered.typeUrl === typeUrl) return remembered;
  let name: string | undefined;
  let value: Uint8Array;
  if ((item as Partial<PreEncodedResource>)._tag === "PreEncodedResource") {
    const pre = item as PreEncodedResource;
    name = pre.name.length > 0 ? pre.name : undefined;
    value = pre.value;
  } else {
    const codec = xdsResourceCodec(typeUrl);
    if (codec === undefined) throw new Error(`snapshot: unknown resource type ${typeUrl} (index ${index})`);
    name = resourceNameOf(typeUrl, item);
    try {
      value = codec.encode(item).finish();
    } catch (cause) {
      throw new Error(`snapshot: cannot encode ${typeUrl} at index ${index} (${name ?? "unnamed"}): ${String(cause)}`);
    }
  }
  if (name === undefined) throw new Error(`snapshot: resource at index ${index} of ${typeUrl} has no name`);
  const encoded = encodeParts(name, typeUrl, value);
  memo.set(item, encoded);
  return encoded;
}

function encodeParts(name: string, typeUrl: string, value: Uint8Array): EncodedResource {
  const version = createHash("sha256").update(value).digest("base64url").slice(0, 22);
  const any = new ChunkList();
  any.string(1, typeUrl);
  any.bytes(2, value);
  // envoy.service.discovery.v3.Resource: version = 1, resource = 2, name = 3.
  const resource = new ChunkList();
  resource.string(1, version);
  resource.message(2, any);
  const anyChunks = resource.chunks.length - any.chunks.length;
  resource.string(3, name);
  const framed = new ChunkList();
  framed.message(2, resource);
  const deltaResourceField = framed.finish();
  // The Any sits inside the delta form: its view is that copy's, and the state-of-the-world form (field 2 of a
  // DiscoveryResponse) is framed from it when a stream first asks, which a proxy on delta xDS never does.
  let anyAt = 0;
  for (let i = 0; i < framed.chunks.length - resource.chunks.length + anyChunks; i++) anyAt += framed.chunks[i]!.length;
  const anyBytes = deltaResourceField.subarray(anyAt, anyAt + any.length);
  let anyField: Buffer | undefined;
  return {
    name,
    typeUrl,
    version,
    any: anyBytes,
    deltaResource: deltaResourceField.subarray(deltaResourceField.length - resource.length),
    get anyField() {
      if (anyField === undefined) {
        const sotw = new ChunkList();
        sotw.bytes(2, anyBytes);
        anyField = sotw.finish();
      }
      return anyField;
    },
    deltaResourceField,
  };
}

const EMPTY_VERSION = hashVersions(new Map());

function sameEncodings(a: ReadonlyMap<string, EncodedResource>, b: ReadonlyMap<string, EncodedResource>): boolean {
  if (a.size !== b.size) return false;
  for (const [name, encoded] of a) if (b.get(name) !== encoded) return false;
  return true;
}

function typeVersion(resources: ReadonlyMap<string, EncodedResource>): string {
  return hashVersions(resources);
}

function hashVersions(resources: ReadonlyMap<string, EncodedResource>): string {
  // One string hashed once: its UTF-8 bytes are those of name, NUL, version, newline per resource in name
  // order, and one update is much cheaper than three small ones per resource.
  let text = "";
  for (const name of [...resources.keys()].sort()) text += `${name}\0${resources.get(name)!.version}\n`;
  return createHash("sha256").update(text, "utf8").digest("base64url").slice(0, 22);
}
