import { createHash, hash } from "node:crypto";
import { xdsResourceCodec } from "@egts/envoy-api";
import { ChunkList } from "./internal/ProtoWire.js";
import { resourceNameOf } from "./ResourceTypes.js";

/**
 * One resource in its wire form, encoded once per version and shared by every stream that sends it:
 * `any` is the encoded google.protobuf.Any (state-of-the-world responses), `deltaResource` the encoded
 * envoy.service.discovery.v3.Resource (delta responses). `version` is a hash of the encoded message.
 * The `...Field` forms are the same bytes framed as field 2 (`resources`) of the response message, which
 * is how responses embed them. The byte forms are assembled on each access: the server itself writes
 * responses from the resource's header bytes and its message bytes, which it keeps without copying.
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

/**
 * The resources of one type in a snapshot and the type's version: a 128-bit sum, over the resources, of a hash
 * of each one's name and version, so it does not depend on order and an edit of k resources updates it in O(k).
 */
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

/** Wraps already-encoded message bytes as a snapshot entry. The snapshot keeps the bytes, not a copy: leave them unchanged. */
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
    const before = previous?.types.get(typeUrl);
    const edited = before instanceof TypeSet ? editedInPlace(before, previousInputs?.get(typeUrl), items, typeUrl, memo) : undefined;
    if (edited !== undefined) {
      types.set(typeUrl, edited);
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
    types.set(typeUrl, before !== undefined && sameEncodings(before.resources, resources) ? before : TypeSet.of(typeUrl, resources));
  }
  return makeSnapshot(types, inputs);
}

/** Lists with more changed positions than this share of their length are encoded whole. */
const IN_PLACE_SHARE = 0.25;

/**
 * The set for `items` when they are `previousItems` with some positions holding other objects that encode to
 * resources of the same names (the usual edit: some resources' contents): the previous set with those resources
 * replaced, in place, so the set iterates in the order a fresh encoding would give. The previous set itself when
 * every replacement encodes to the resource it replaces. Undefined for any other change (encoded whole).
 */
function editedInPlace(
  before: TypeSet,
  previousItems: ReadonlyArray<object> | undefined,
  items: ReadonlyArray<object>,
  typeUrl: string,
  memo: EncodingMemo,
): TypeSet | undefined {
  if (previousItems === undefined || previousItems.length !== items.length || before.resources.size !== items.length) return undefined;
  const changed: number[] = [];
  for (let i = 0; i < items.length; i++) {
    if (items[i] === previousItems[i]) continue;
    if (changed.length >= IN_PLACE_SHARE * items.length) return undefined;
    changed.push(i);
  }
  const replacements: Array<readonly [EncodedResource, EncodedResource]> = [];
  for (const i of changed) {
    const was = before.resources.get(encodeResource(typeUrl, previousItems[i]!, i, memo).name);
    const now = encodeResource(typeUrl, items[i]!, i, memo);
    if (was === undefined || was.name !== now.name) return undefined;
    if (was !== now) replacements.push([was, now]);
  }
  return replacements.length === 0 ? before : before.replaced(replacements);
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
      const empty = TypeSet.of(typeUrl, new Map());
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
  // The message bytes are never copied: every form is a few header bytes, the caller's bytes, and (delta)
  // the name after them. The headers of every form are written once, into one small buffer:
  //   [delta field header | Resource head: version, Any header, Any head] [Resource tail: name]
  //   [state-of-the-world field header | Any head: type URL, value header]
  const anyHead = new ChunkList();
  anyHead.string(1, typeUrl);
  anyHead.lengthPrefix(2, value.length);
  const anyLength = anyHead.length + value.length;
  // envoy.service.discovery.v3.Resource: version = 1, resource = 2, name = 3.
  const resourceHead = new ChunkList();
  resourceHead.string(1, version);
  resourceHead.lengthPrefix(2, anyLength);
  resourceHead.append(anyHead);
  const tail = new ChunkList();
  tail.string(3, name);
  const head = new ChunkList();
  head.lengthPrefix(2, resourceHead.length + value.length + tail.length);
  const resourceAt = head.length;
  head.append(resourceHead);
  const tailAt = head.length;
  head.append(tail);
  const sotwAt = head.length;
  head.lengthPrefix(2, anyLength);
  const anyAt = head.length;
  head.append(anyHead);
  return new FramedResource(name, typeUrl, version, head.finish(), value, resourceAt, tailAt, sotwAt, anyAt);
}

/** An encoded resource kept as its header bytes and the message bytes it was given (see encodeParts). */
class FramedResource implements EncodedResource {
  #deltaField: readonly Uint8Array[] | undefined;
  #versionShare: VersionShare | undefined;
  #sotwField: readonly Uint8Array[] | undefined;

  constructor(
    readonly name: string,
    readonly typeUrl: string,
    readonly version: string,
    private readonly head: Uint8Array,
    private readonly value: Uint8Array,
    private readonly resourceAt: number,
    private readonly tailAt: number,
    private readonly sotwAt: number,
    private readonly anyAt: number,
  ) {}

  /** Field 2 of a DeltaDiscoveryResponse, as chunks. */
  deltaFieldChunks(): readonly Uint8Array[] {
    this.#deltaField ??= [this.head.subarray(0, this.tailAt), this.value, this.head.subarray(this.tailAt, this.sotwAt)];
    return this.#deltaField;
  }

  /** This resource's part of its type's version (see versionShare), worked out once. */
  versionShare(): VersionShare {
    this.#versionShare ??= versionShareOf(this);
    return this.#versionShare;
  }

  /** Field 2 of a DiscoveryResponse, as chunks (made when a state-of-the-world stream first sends it). */
  sotwFieldChunks(): readonly Uint8Array[] {
    this.#sotwField ??= [this.head.subarray(this.sotwAt), this.value];
    return this.#sotwField;
  }

  get any(): Uint8Array {
    return Buffer.concat([this.head.subarray(this.anyAt), this.value]);
  }

  get deltaResource(): Uint8Array {
    return Buffer.concat([this.head.subarray(this.resourceAt, this.tailAt), this.value, this.head.subarray(this.tailAt, this.sotwAt)]);
  }

  get deltaResourceField(): Uint8Array {
    return Buffer.concat(this.deltaFieldChunks());
  }

  get anyField(): Uint8Array {
    return Buffer.concat(this.sotwFieldChunks());
  }
}

/** Field 2 of a DeltaDiscoveryResponse holding a resource, as chunks (no copy for encodeSnapshot's own). */
export const deltaFieldChunks = (resource: EncodedResource): readonly Uint8Array[] =>
  resource instanceof FramedResource ? resource.deltaFieldChunks() : [resource.deltaResourceField];

/** Field 2 of a DiscoveryResponse holding a resource, as chunks (no copy for encodeSnapshot's own). */
export const sotwFieldChunks = (resource: EncodedResource): readonly Uint8Array[] =>
  resource instanceof FramedResource ? resource.sotwFieldChunks() : [resource.anyField];

function sameEncodings(a: ReadonlyMap<string, EncodedResource>, b: ReadonlyMap<string, EncodedResource>): boolean {
  if (a.size !== b.size) return false;
  for (const [name, encoded] of a) if (b.get(name) !== encoded) return false;
  return true;
}

/** 128 bits, as a non-negative bigint (one small heap object per resource). */
type VersionShare = bigint;

const MOD_128 = 1n << 128n;

/**
 * A resource's part of its type's version: the first 128 bits of SHA-256 over its UTF-8 name, NUL and version, read
 * little-endian. Hashing name and version together makes two resources that swap contents change the sum.
 */
function versionShareOf(resource: EncodedResource): VersionShare {
  const digest = hash("sha256", `${resource.name}\0${resource.version}`, "buffer");
  return digest.readBigUInt64LE(0) | (digest.readBigUInt64LE(8) << 64n);
}

const versionShare = (resource: EncodedResource): VersionShare => (resource instanceof FramedResource ? resource.versionShare() : versionShareOf(resource));

/**
 * A {@link ResourceSet} that keeps the sum its version is written from, so an edited copy updates it, and, for an
 * edited copy, which set it was made from (held weakly) and the resources put in.
 */
class TypeSet implements ResourceSet {
  readonly version: string;

  private constructor(
    readonly typeUrl: string,
    readonly resources: ReadonlyMap<string, EncodedResource>,
    private readonly sum: bigint,
    readonly edit?: { readonly from: WeakRef<ResourceSet>; readonly replacements: readonly EncodedResource[] },
  ) {
    const bytes = Buffer.alloc(16);
    bytes.writeBigUInt64LE(sum & 0xffffffffffffffffn, 0);
    bytes.writeBigUInt64LE(sum >> 64n, 8);
    this.version = bytes.toString("base64url");
  }

  static of(typeUrl: string, resources: ReadonlyMap<string, EncodedResource>): TypeSet {
    let sum = 0n;
    for (const resource of resources.values()) sum += versionShare(resource);
    return new TypeSet(typeUrl, resources, sum % MOD_128);
  }

  /** This set with each `[was, now]` pair's resource replaced (same name, so the same place in the map). */
  replaced(replacements: ReadonlyArray<readonly [EncodedResource, EncodedResource]>): TypeSet {
    // Copied with forEach: the Map constructor would walk the map through an iterator, an entry array per resource.
    const resources = new Map<string, EncodedResource>();
    this.resources.forEach((resource, name) => resources.set(name, resource));
    let sum = this.sum;
    for (const [was, now] of replacements) {
      resources.set(now.name, now);
      sum += MOD_128 - versionShare(was) + versionShare(now);
    }
    return new TypeSet(this.typeUrl, resources, sum % MOD_128, { from: new WeakRef(this), replacements: replacements.map(([, now]) => now) });
  }
}

/** What changed from one resource set of a type to another. */
export interface ResourceSetChanges {
  /** Resources of the newer set the older one lacks or holds at another version. */
  readonly changed: EncodedResource[];
  /** Names only the older set has. */
  readonly removed: string[];
}

/**
 * What changed from `older` to `newer`, each list in the order `listOf` gives a set's resources (the map's order
 * unless told otherwise). For a set edited in place from `older`, only the replacements are looked at (in their
 * own order), and no name is removed.
 */
export function resourceSetChanges(
  older: ResourceSet | undefined,
  newer: ResourceSet,
  listOf: (set: ResourceSet) => Iterable<EncodedResource> = (set) => set.resources.values(),
): ResourceSetChanges {
  if (older === newer) return { changed: [], removed: [] };
  const isNew = (resource: EncodedResource) => older?.resources.get(resource.name)?.version !== resource.version;
  const replacements = older === undefined ? undefined : replacementsSince(older, newer);
  if (replacements !== undefined) return { changed: replacements.filter(isNew), removed: [] };
  const changed: EncodedResource[] = [];
  for (const resource of listOf(newer)) if (isNew(resource)) changed.push(resource);
  const removed: string[] = [];
  if (older !== undefined) for (const resource of listOf(older)) if (!newer.resources.has(resource.name)) removed.push(resource.name);
  return { changed, removed };
}

/**
 * When `newer` was made from `older` by putting resources in the places of others of the same names (an edit
 * encodeSnapshot applied in place), those resources; undefined otherwise. Lets a stream in line with `older`
 * learn what changed without comparing every resource.
 */
export function replacementsSince(older: ResourceSet, newer: ResourceSet): readonly EncodedResource[] | undefined {
  return newer instanceof TypeSet && newer.edit?.from.deref() === older ? newer.edit.replacements : undefined;
}
