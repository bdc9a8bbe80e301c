/**
 * Structural equality of plain data (objects, arrays, Maps, Sets, typed arrays, primitives). Used by the message
 * bus to drop updates that change nothing. Key order of objects does not matter; `undefined`-valued keys count
 * as absent. Identical values (at any depth) are equal without being looked into, so comparing two versions of
 * a structure that share their unchanged parts costs only the changed parts. Keys in `ignoredKeys` are
 * skipped at every depth.
 */
export function deepEqual(a: unknown, b: unknown, ignoredKeys?: ReadonlySet<string>): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i], ignoredKeys)) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) {
    if (!ArrayBuffer.isView(a) || !ArrayBuffer.isView(b) || a.byteLength !== b.byteLength) return false;
    const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
    return true;
  }
  if (a instanceof Map || b instanceof Map) {
    if (!(a instanceof Map) || !(b instanceof Map) || a.size !== b.size) return false;
    for (const [k, v] of a) if (!b.has(k) || !deepEqual(v, b.get(k), ignoredKeys)) return false;
    return true;
  }
  if (a instanceof Set || b instanceof Set) {
    if (!(a instanceof Set) || !(b instanceof Set) || a.size !== b.size) return false;
    for (const v of a) if (!b.has(v)) return false;
    return true;
  }
  const kept = (o: object) => (k: string) => (o as Record<string, unknown>)[k] !== undefined && ignoredKeys?.has(k) !== true;
  const ka = Object.keys(a).filter(kept(a));
  const kb = Object.keys(b).filter(kept(b));
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!Object.hasOwn(b, k)) return false;
    if (!deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], ignoredKeys)) return false;
  }
  return true;
}
