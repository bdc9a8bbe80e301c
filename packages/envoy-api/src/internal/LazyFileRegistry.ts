/**
 * A descriptor registry over a serialized FileDescriptorSet that builds descriptors on demand.
 *
 * Building every file of Envoy's API up front costs ~8.6 MiB of heap that a controller keeps for its life, while
 * the resources it serves (listeners, routes, clusters, endpoints, secrets and their filter payloads) reach about
 * a fifth of the files. This registry reads only the names each file declares at creation; the first lookup of a
 * name builds the file that declares it together with its imports, with @bufbuild/protobuf's own
 * `createFileRegistry`, so every descriptor is the one a registry of the whole set would hold.
 */
import {
  createFileRegistry,
  createMutableRegistry,
  fromBinary,
  type DescEnum,
  type DescExtension,
  type DescFile,
  type DescMessage,
  type DescService,
  type FileRegistry,
} from "@bufbuild/protobuf";
import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";

type Desc = DescMessage | DescEnum | DescExtension | DescService;

/** A FileRegistry that builds files on first use, and says how many it has built (for tests and measurements). */
export interface LazyFileRegistry extends FileRegistry {
  /** How many of the set's files have been built so far. */
  readonly builtFileCount: () => number;
}

/** One file of the set as found by the scan: where its bytes are, and what it declares. */
interface FileEntry {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** What a scan of the set finds: the files in set order, and who declares which name. */
interface SetIndex {
  readonly files: readonly FileEntry[];
  readonly fileByName: ReadonlyMap<string, number>;
  /** Fully qualified name of every top-level message, enum, service and extension -> index of its file. */
  readonly ownerOfName: ReadonlyMap<string, number>;
  /** Extended message (fully qualified, no leading dot) -> files that declare extensions of it, anywhere. */
  readonly extendingFiles: ReadonlyMap<string, ReadonlySet<number>>;
}

// Field numbers in descriptor.proto.
const SET_FILE = 1;
const FILE_NAME = 1;
const FILE_PACKAGE = 2;
const FILE_MESSAGE_TYPE = 4;
const FILE_ENUM_TYPE = 5;
const FILE_SERVICE = 6;
const FILE_EXTENSION = 7;
const MESSAGE_NAME = 1;
const MESSAGE_NESTED_TYPE = 3;
const MESSAGE_EXTENSION = 6;
const FIELD_EXTENDEE = 2;

/** The first string field numbered `field` of an encoded message; "" when it has none. */
function stringField(bytes: Uint8Array, field: number): string {
  const reader = new BinaryReader(bytes);
  while (reader.pos < reader.len) {
    const [no, wireType] = reader.tag();
    if (no === field && wireType === WireType.LengthDelimited) return reader.string();
    reader.skip(wireType, no);
  }
  return "";
}

/** The `name` (field 1 in each) of a DescriptorProto, EnumDescriptorProto, ServiceDescriptorProto or FieldDescriptorProto. */
const nameOf = (bytes: Uint8Array): string => stringField(bytes, MESSAGE_NAME);

/** The extendee of a FieldDescriptorProto, without its leading dot; "" when it has none. */
const extendeeOf = (bytes: Uint8Array): string => stringField(bytes, FIELD_EXTENDEE).replace(/^\./, "");

/** Extendees of the extensions declared in a DescriptorProto and the messages nested in it. */
function nestedExtendees(bytes: Uint8Array, into: string[]): void {
  const reader = new BinaryReader(bytes);
  while (reader.pos < reader.len) {
    const [no, wireType] = reader.tag();
    if (no === MESSAGE_EXTENSION && wireType === WireType.LengthDelimited) into.push(extendeeOf(reader.bytes()));
    else if (no === MESSAGE_NESTED_TYPE && wireType === WireType.LengthDelimited) nestedExtendees(reader.bytes(), into);
    else reader.skip(wireType, no);
  }
}

/** Reads the set's file boundaries and each file's top-level names, decoding nothing else. */
function scanSet(setBytes: Uint8Array): SetIndex {
  const files: FileEntry[] = [];
  const fileByName = new Map<string, number>();
  const ownerOfName = new Map<string, number>();
  const extendingFiles = new Map<string, Set<number>>();
  const set = new BinaryReader(setBytes);
  while (set.pos < set.len) {
    const [setNo, setWireType] = set.tag();
    if (setNo !== SET_FILE || setWireType !== WireType.LengthDelimited) {
      set.skip(setWireType, setNo);
      continue;
    }
    const bytes = set.bytes();
    const index = files.length;
    let name = "";
    let pkg = "";
    const topLevel: string[] = [];
    const extendees: string[] = [];
    const file = new BinaryReader(bytes);
    while (file.pos < file.len) {
      const [no, wireType] = file.tag();
      if (wireType !== WireType.LengthDelimited) {
        file.skip(wireType, no);
        continue;
      }
      if (no === FILE_NAME) name = file.string();
      else if (no === FILE_PACKAGE) pkg = file.string();
      else if (no === FILE_MESSAGE_TYPE) {
        const message = file.bytes();
        topLevel.push(nameOf(message));
        nestedExtendees(message, extendees);
      } else if (no === FILE_ENUM_TYPE || no === FILE_SERVICE) topLevel.push(nameOf(file.bytes()));
      else if (no === FILE_EXTENSION) {
        const field = file.bytes();
        topLevel.push(nameOf(field));
        extendees.push(extendeeOf(field));
      } else file.skip(wireType, no);
    }
    files.push({ name, bytes });
    fileByName.set(name, index);
    for (const local of topLevel) ownerOfName.set(pkg === "" ? local : `${pkg}.${local}`, index);
    for (const extendee of extendees) {
      let extending = extendingFiles.get(extendee);
      if (extending === undefined) extendingFiles.set(extendee, (extending = new Set()));
      extending.add(index);
    }
  }
  return { files, fileByName, ownerOfName, extendingFiles };
}

/**
 * A FileRegistry of the files in a serialized FileDescriptorSet (its bytes are kept, not copied), building
 * each file's descriptors when a name it declares, the file itself, or an extension of a message it extends is
 * first asked for. Iterating the registry or its files builds every file, in set order.
 */
export function createLazyFileRegistry(setBytes: Uint8Array): LazyFileRegistry {
  const index = scanSet(setBytes);
  const built: (DescFile | undefined)[] = new Array(index.files.length).fill(undefined);
  // Each built file's types in the order a registry of the whole set lists them.
  const typesOfFile: (readonly Desc[])[] = new Array(index.files.length).fill([]);
  const types = createMutableRegistry();
  let builtCount = 0;

  // Imports first (depth first), so each file is built against descriptors already built and shared.
  const build = (i: number): DescFile => {
    const done = built[i];
    if (done !== undefined) return done;
    const proto = fromBinary(FileDescriptorProtoSchema, (index.files[i] as FileEntry).bytes);
    for (const dependency of proto.dependency) {
      const at = index.fileByName.get(dependency);
      if (at !== undefined) build(at);
    }
    const registry = createFileRegistry(proto, (fileName) => {
      const at = index.fileByName.get(fileName);
      return at === undefined ? undefined : built[at];
    });
    const file = registry.getFile(proto.name) as DescFile;
    built[i] = file;
    builtCount++;
    const own = [...registry].filter((desc) => desc.file === file);
    for (const desc of own) types.add(desc);
    typesOfFile[i] = own;
    return file;
  };

  /** The file declaring a fully qualified name, found through its outermost declared prefix. */
  const ownerOf = (typeName: string): number | undefined => {
    for (let name = typeName; ; ) {
      const owner = index.ownerOfName.get(name);
      if (owner !== undefined) return owner;
      const dot = name.lastIndexOf(".");
      if (dot < 0) return undefined;
      name = name.slice(0, dot);
    }
  };

  const lookup = (typeName: string): Desc | undefined => {
    const found = types.get(typeName);
    if (found !== undefined) return found;
    const owner = ownerOf(typeName);
    if (owner === undefined || built[owner] !== undefined) return undefined;
    build(owner);
    return types.get(typeName);
  };

  /** A lookup that answers descriptors of one kind only. */
  const lookupOf =
    <K extends Desc["kind"]>(kind: K) =>
    (typeName: string): Extract<Desc, { kind: K }> | undefined => {
      const desc = lookup(typeName);
      return desc?.kind === kind ? (desc as Extract<Desc, { kind: K }>) : undefined;
    };

  const allFiles = (): DescFile[] => index.files.map((_, i) => build(i));

  return {
    kind: "registry",
    builtFileCount: () => builtCount,
    [Symbol.iterator]: () => {
      allFiles();
      return typesOfFile.flat().values();
    },
    get files() {
      return allFiles();
    },
    getFile: (fileName) => {
      const at = index.fileByName.get(fileName);
      return at === undefined ? undefined : build(at);
    },
    get: lookup,
    getMessage: lookupOf("message"),
    getEnum: lookupOf("enum"),
    getExtension: lookupOf("extension"),
    getService: lookupOf("service"),
    getExtensionFor: (extendee, no) => {
      for (const at of index.extendingFiles.get(extendee.typeName) ?? []) build(at);
      return types.getExtensionFor(extendee, no);
    },
  };
}
