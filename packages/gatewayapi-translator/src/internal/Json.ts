// Conversion of IR values to their JSON form: bytes become base64 strings.

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

/**
 * Replaces, in place, every Uint8Array under `value` with its base64 text and returns `value`. Only the
 * translator's own freshly built IR objects contain byte arrays, so inputs shared into the IR are never
 * written to; a subtree shared by several IR objects may be visited more than once, which is harmless.
 */
export function bytesToBase64InPlace<T>(value: T): T {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (v instanceof Uint8Array) value[i] = Buffer.from(v).toString("base64");
      else if (v !== null && typeof v === "object") bytesToBase64InPlace(v);
    }
    return value;
  }
  const obj = value as Record<string, unknown>;
  for (const k in obj) {
    if (byteFree.has(k)) continue;
    const v = obj[k];
    if (v instanceof Uint8Array) obj[k] = Buffer.from(v).toString("base64");
    else if (v !== null && typeof v === "object") bytesToBase64InPlace(v);
  }
  return value;
}
