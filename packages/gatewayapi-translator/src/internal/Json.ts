// Conversion of IR values to their JSON form: bytes as base64, absent fields dropped.

/** A deep copy of an IR value in JSON form (Uint8Array -> base64 string, undefined fields dropped). */
export function toJson(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  if (Array.isArray(value)) return value.map(toJson);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toJson(v);
    return out;
  }
  return value;
}
