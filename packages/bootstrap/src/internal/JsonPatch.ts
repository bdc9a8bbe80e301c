// RFC 6902 JSON Patch over plain JSON values, with missing parents created on `add` (as upstream applies
// EnvoyProxy bootstrap patches). Values are copied, never shared with the input.
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** One patch operation (EnvoyProxy `spec.bootstrap.jsonPatches[]`). */
export interface JsonPatchOperation {
  readonly op: "add" | "remove" | "replace" | "move" | "copy" | "test";
  readonly path?: string;
  readonly jsonPath?: string;
  readonly from?: string;
  readonly value?: unknown;
}

const copy = (value: unknown): Json => (value === undefined ? null : (JSON.parse(JSON.stringify(value)) as Json));

function parsePointer(pointer: string): string[] {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) throw new Error(`invalid JSON pointer ${JSON.stringify(pointer)}: must start with "/"`);
  return pointer.slice(1).split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

const isObject = (v: Json | undefined): v is { [key: string]: Json } => typeof v === "object" && v !== null && !Array.isArray(v);

function index(list: Json[], segment: string, forAdd: boolean): number {
  if (forAdd && segment === "-") return list.length;
  if (!/^(0|[1-9][0-9]*)$/.test(segment)) throw new Error(`invalid array index ${JSON.stringify(segment)}`);
  const i = Number(segment);
  if (i > list.length || (!forAdd && i === list.length)) throw new Error(`array index ${i} out of bounds`);
  return i;
}

function get(doc: Json, segments: string[]): Json {
  let node: Json | undefined = doc;
  for (const segment of segments) {
    if (Array.isArray(node)) node = node[index(node, segment, false)];
    else if (isObject(node) && Object.prototype.hasOwnProperty.call(node, segment)) node = node[segment];
    else throw new Error(`path /${segments.join("/")} does not exist`);
  }
  return node as Json;
}

/** The container holding the last segment; with `create`, missing objects on the way are made. */
function parentOf(doc: Json, segments: string[], create: boolean): Json {
  let node: Json = doc;
  for (let i = 0; i < segments.length - 1; i++) {
    const segment = segments[i]!;
    if (Array.isArray(node)) node = node[index(node, segment, false)] as Json;
    else if (isObject(node)) {
      if (!Object.prototype.hasOwnProperty.call(node, segment)) {
        if (!create) throw new Error(`path /${segments.slice(0, i + 1).join("/")} does not exist`);
        node[segment] = /^(0|-)$/.test(segments[i + 1]!) ? [] : {};
      }
      node = node[segment] as Json;
    } else throw new Error(`path /${segments.slice(0, i + 1).join("/")} is not a container`);
  }
  return node;
}

function add(doc: Json, segments: string[], value: Json): Json {
  if (segments.length === 0) return value;
  const parent = parentOf(doc, segments, true);
  const last = segments.at(-1)!;
  if (Array.isArray(parent)) parent.splice(index(parent, last, true), 0, value);
  else if (isObject(parent)) parent[last] = value;
  else throw new Error(`cannot add to a ${typeof parent}`);
  return doc;
}

function remove(doc: Json, segments: string[]): Json {
  if (segments.length === 0) return null;
  const parent = parentOf(doc, segments, false);
  const last = segments.at(-1)!;
  if (Array.isArray(parent)) parent.splice(index(parent, last, false), 1);
  else if (isObject(parent) && Object.prototype.hasOwnProperty.call(parent, last)) delete parent[last];
  else throw new Error(`path /${segments.join("/")} does not exist`);
  return doc;
}

const equal = (a: Json, b: Json): boolean => JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
const sortKeys = (v: Json): Json =>
  Array.isArray(v) ? v.map(sortKeys) : isObject(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k]!)])) : v;

/** Applies the operations in order to a copy of `document`; throws on the first that cannot be applied. */
export function applyJsonPatch(document: unknown, operations: ReadonlyArray<JsonPatchOperation>): Json {
  let doc = copy(document);
  for (const operation of operations) {
    if (operation.jsonPath !== undefined) throw new Error(`op=${operation.op}: jsonPath is not supported, use path`);
    if (operation.path === undefined) throw new Error(`op=${operation.op}: path is required`);
    const path = parsePointer(operation.path);
    try {
      switch (operation.op) {
        case "add":
          doc = add(doc, path, copy(operation.value));
          break;
        case "remove":
          doc = remove(doc, path);
          break;
        case "replace":
          get(doc, path);
          doc = add(remove(doc, path), path, copy(operation.value));
          break;
        case "move":
        case "copy": {
          if (operation.from === undefined) throw new Error("from is required");
          const from = parsePointer(operation.from);
          const value = copy(get(doc, from));
          if (operation.op === "move") doc = remove(doc, from);
          doc = add(doc, path, value);
          break;
        }
        case "test":
          if (!equal(get(doc, path), copy(operation.value))) throw new Error("test failed: value differs");
          break;
        default:
          throw new Error(`unknown op ${JSON.stringify(operation.op)}`);
      }
    } catch (error) {
      throw new Error(`unable to apply patch: op=${operation.op} path=${operation.path} err: ${(error as Error).message}`);
    }
  }
  return doc;
}
