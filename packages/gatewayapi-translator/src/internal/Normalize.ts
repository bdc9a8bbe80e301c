// Input normalization: YAML/JSON nulls mean "unset" in Kubernetes objects, as Go's decoder treats them.

/** A deep copy of a parsed object with every null-valued field removed (array elements kept). */
export function withoutNulls<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => withoutNulls(v)) as T;
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) out[k] = withoutNulls(v);
    return out as T;
  }
  return value;
}
