// Conversion of IR values to their JSON form: bytes become base64 strings, and Lua scripts take the field
// names upstream's IR prints (its Lua type has no JSON tags, so Go writes the field names capitalized).

// Fields that never hold bytes at any depth; skipping them keeps the walk short on large IRs.
const byteFree = new Set([
  "endpoints",
  "metadata",
  "pathMatch",
  "headerMatches",
  "queryParamMatches",
  "cookieMatches",
  "addRequestHeaders",
  "addResponseHeaders",
  "removeRequestHeaders",
  "removeResponseHeaders",
  "extensionRefs",
  "hostnames",
  "readyListener",
  "path",
]);

/** Upstream's JSON names of the IR Lua fields. */
const luaJsonNames: ReadonlyArray<readonly [string, string]> = [
  ["name", "Name"],
  ["code", "Code"],
  ["filterContext", "FilterContext"],
];

/** Rewrites the Lua scripts of a `luas` list, in place, under upstream's JSON names (an entry already rewritten stays). */
function luasToJsonInPlace(luas: unknown[]): void {
  for (let i = 0; i < luas.length; i++) {
    const lua = luas[i];
    if (lua === null || typeof lua !== "object" || "Name" in lua) continue;
    const fields = lua as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [name, json] of luaJsonNames) if (fields[name] !== undefined) out[json] = fields[name];
    luas[i] = out;
  }
}

/**
 * Converts, in place, every IR value under `value` to its JSON form (Uint8Arrays to base64 text, Lua scripts
 * to upstream's field names) and returns `value`. Only the translator's own freshly built IR objects contain
 * byte arrays and Lua scripts, so inputs shared into the IR are never written to; a subtree shared by several
 * IR objects may be visited more than once, which is harmless.
 */
export function irToJsonInPlace<T>(value: T): T {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (v instanceof Uint8Array) value[i] = Buffer.from(v).toString("base64");
      else if (v !== null && typeof v === "object") irToJsonInPlace(v);
    }
    return value;
  }
  const obj = value as Record<string, unknown>;
  for (const k in obj) {
    if (byteFree.has(k)) continue;
    const v = obj[k];
    if (v instanceof Uint8Array) obj[k] = Buffer.from(v).toString("base64");
    else if (k === "luas" && Array.isArray(v)) luasToJsonInPlace(v);
    else if (v !== null && typeof v === "object") irToJsonInPlace(v);
  }
  return value;
}
