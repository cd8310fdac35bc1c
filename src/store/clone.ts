/**
 * Deep copies of JSON-like values that share string values with the original (strings are
 * immutable), so that stored versions of an object do not each hold their own copy of every string.
 */

/** A deep copy of plain objects and arrays; other objects (Date, Map, …) go through structuredClone. */
export function deepCopy<T>(v: T): T {
  if (v === null || typeof v !== 'object') return typeof v === 'function' ? structuredClone(v) : v;
  if (Array.isArray(v)) return v.map(deepCopy) as T;
  const proto = Object.getPrototypeOf(v) as unknown;
  if (proto !== Object.prototype && proto !== null) return structuredClone(v);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) out[k] = deepCopy((v as Record<string, unknown>)[k]);
  return out as T;
}

/** The one empty object that stored copies use for every `{}` (stored objects are never mutated). */
const EMPTY: Record<string, never> = Object.freeze({}) as Record<string, never>;

/** deepCopy for stored objects: like deepCopy, but every empty plain object is one shared object. */
function storedCopy<T>(v: T): T {
  if (v === null || typeof v !== 'object') return deepCopy(v);
  if (Array.isArray(v)) return v.map(storedCopy) as T;
  const proto = Object.getPrototypeOf(v) as unknown;
  if (proto !== Object.prototype && proto !== null) return structuredClone(v);
  const keys = Object.keys(v);
  if (keys.length === 0) return EMPTY as T;
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = storedCopy((v as Record<string, unknown>)[k]);
  return out as T;
}

/**
 * A copy of v for the store (prev: the stored version it replaces, if any) in which every subtree
 * equal to the same place in prev (same keys in the same order, same values) is prev's own subtree
 * and empty objects are shared; the result must never be mutated (stored versions are not).
 */
export function copySharing<T>(v: T, prev: unknown): T {
  if (v === null || typeof v !== 'object' || prev === null || typeof prev !== 'object') return storedCopy(v);
  if (Array.isArray(v)) {
    if (!Array.isArray(prev) || prev.length !== v.length) return storedCopy(v);
    let same = true;
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) {
      if (!(i in v)) return storedCopy(v);
      out[i] = copySharing(v[i] as unknown, prev[i] as unknown);
      if (out[i] !== prev[i] || !(i in prev)) same = false;
    }
    return (same ? prev : out) as T;
  }
  const proto = Object.getPrototypeOf(v) as unknown;
  if ((proto !== Object.prototype && proto !== null) || Array.isArray(prev) || Object.getPrototypeOf(prev) !== Object.prototype) return storedCopy(v);
  const keys = Object.keys(v);
  if (keys.length === 0) return EMPTY as T;
  const prevKeys = Object.keys(prev);
  let same = keys.length === prevKeys.length;
  const out: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const p = Object.hasOwn(prev, k) ? (prev as Record<string, unknown>)[k] : undefined;
    const c = copySharing((v as Record<string, unknown>)[k], p);
    out[k] = c;
    if (same && (prevKeys[i] !== k || c !== p)) same = false;
  }
  return (same ? prev : out) as T;
}
