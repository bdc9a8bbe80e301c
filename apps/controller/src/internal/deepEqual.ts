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
  // Every counted key of `a` is compared with `b`'s own value (an absent or undefined one differs from a defined
  // one); equal counts then mean the same keys. Loops, not key lists: the bus compares after every edit.
  const rb = b as Record<string, unknown>;
  let counted = 0;
  for (const k in a) {
    const v = (a as Record<string, unknown>)[k];
    if (!Object.hasOwn(a, k) || v === undefined || ignoredKeys?.has(k) === true) continue;
    counted++;
    if (!Object.hasOwn(b, k) || !deepEqual(v, rb[k], ignoredKeys)) return false;
  }
  for (const k in b) if (Object.hasOwn(b, k) && rb[k] !== undefined && ignoredKeys?.has(k) !== true) counted--;
  return counted === 0;
}
