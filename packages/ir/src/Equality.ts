// Structural equality of IR values, for no-op elision in the runners' watchable maps.

/**
 * Deep structural equality of two IR values (or maps of them): plain objects compare by their
 * defined properties (a property set to `undefined` equals an absent one), arrays element-wise in
 * order, `Uint8Array`s byte-wise and `Map`s entry-wise. No serialisation; stops at the first difference.
 */
export function irEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) {
    return typeof a === "number" && typeof b === "number" && Number.isNaN(a) && Number.isNaN(b);
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!irEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    if (!(a instanceof Uint8Array) || !(b instanceof Uint8Array) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  if (a instanceof Map || b instanceof Map) {
    if (!(a instanceof Map) || !(b instanceof Map) || a.size !== b.size) return false;
    for (const [k, v] of a) if (!b.has(k) || !irEqual(v, b.get(k))) return false;
    return true;
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  let definedInA = 0;
  for (const key of Object.keys(ra)) {
    const va = ra[key];
    if (va === undefined) continue;
    definedInA++;
    if (!irEqual(va, rb[key])) return false;
  }
  let definedInB = 0;
  for (const key of Object.keys(rb)) if (rb[key] !== undefined) definedInB++;
  return definedInA === definedInB;
}
