import { BadRequest } from "./selectors.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isObject = (v: unknown): v is Record<string, Json> => typeof v === "object" && v !== null && !Array.isArray(v);

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return patch;
  const out: Record<string, Json> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k] ?? null, v);
  }
  return out;
}

const unescapePointerToken = (s: string): string => s.replace(/~1/g, "/").replace(/~0/g, "~");

function pointer(path: string): string[] {
  if (path === "") return [];
  if (!path.startsWith("/")) throw new BadRequest(`invalid JSON pointer ${JSON.stringify(path)}`);
  return path.slice(1).split("/").map(unescapePointerToken);
}

function parentOf(doc: Json, tokens: string[]): { parent: Json; key: string } {
  let node: Json = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(node)) node = node[Number(t)] ?? null;
    else if (isObject(node)) node = node[t] ?? null;
    else node = null;
    if (node === null) throw new BadRequest(`path not found: /${tokens.join("/")}`);
  }
  return { parent: node, key: tokens[tokens.length - 1]! };
}

function getAt(doc: Json, path: string): Json {
  let node: Json = doc;
  for (const t of pointer(path)) {
    const next: Json | undefined = Array.isArray(node) ? node[Number(t)] : isObject(node) ? node[t] : undefined;
    if (next === undefined) throw new BadRequest(`path not found: ${path}`);
    node = next;
  }
  return node;
}

function removeAt(doc: Json, path: string): Json {
  const { parent, key } = parentOf(doc, pointer(path));
  if (Array.isArray(parent)) {
    const i = Number(key);
    if (!(i >= 0 && i < parent.length)) throw new BadRequest(`path not found: ${path}`);
    return parent.splice(i, 1)[0]!;
  }
  if (!isObject(parent) || !(key in parent)) throw new BadRequest(`path not found: ${path}`);
  const old = parent[key]!;
  delete parent[key];
  return old;
}

function addAt(doc: Json, path: string, value: Json, replace: boolean): Json {
  const tokens = pointer(path);
  if (tokens.length === 0) return value;
  const { parent, key } = parentOf(doc, tokens);
  if (Array.isArray(parent)) {
    const i = key === "-" ? parent.length : Number(key);
    if (!(i >= 0 && i <= parent.length)) throw new BadRequest(`index out of range: ${path}`);
    if (replace) parent[i] = value;
    else parent.splice(i, 0, value);
  } else if (isObject(parent)) {
    if (replace && !(key in parent)) throw new BadRequest(`path not found: ${path}`);
    parent[key] = value;
  } else throw new BadRequest(`path not found: ${path}`);
  return doc;
}

/** RFC 6902 JSON patch (add, remove, replace, move, copy, test). */
export function jsonPatch(target: Json, operations: unknown): Json {
  if (!Array.isArray(operations)) throw new BadRequest("a JSON patch is an array of operations");
  let doc: Json = structuredClone(target);
  for (const op of operations as Array<Record<string, unknown>>) {
    const path = String(op["path"] ?? "");
    switch (op["op"]) {
      case "add":
        doc = addAt(doc, path, op["value"] as Json, false);
        break;
      case "replace":
        doc = addAt(doc, path, op["value"] as Json, true);
        break;
      case "remove":
        removeAt(doc, path);
        break;
      case "move": {
        const value = removeAt(doc, String(op["from"]));
        doc = addAt(doc, path, value, false);
        break;
      }
      case "copy":
        doc = addAt(doc, path, structuredClone(getAt(doc, String(op["from"]))), false);
        break;
      case "test":
        if (JSON.stringify(getAt(doc, path)) !== JSON.stringify(op["value"])) throw new BadRequest(`test failed at ${path}`);
        break;
      default:
        throw new BadRequest(`unknown JSON patch operation ${JSON.stringify(op["op"])}`);
    }
  }
  return doc;
}
