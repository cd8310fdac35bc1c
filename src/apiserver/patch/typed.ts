/**
 * Schema-aware walks used by server-side apply: the shape of a value (scalar, atomic,
 * struct, map, set list, associative list), its field set and the comparison of two objects
 * (merging and pruning live in ssa-merge.ts).
 */
import { childSchema, type TSchema } from '../../api/schema.js';
import { FieldSet, keyElement, pathString, type Path, type PathKey } from './fieldpath.js';
import { isMap, type JMap } from './smp-order.js';

/** How server-side apply treats a value: leaf (scalar or atomic), granular object, or granular list. */
export type Shape =
  | { t: 'leaf' }
  | { t: 'struct' | 'map' }
  | { t: 'set' }
  | { t: 'assoc'; keys: string[] };

/** A list item without a usable key (structured-merge-diff's typed-conversion error). */
export class TypedError extends Error {}

function ext(schema: TSchema | undefined, name: string): unknown {
  return schema ? (schema as Record<string, unknown>)[name] : undefined;
}

/** The shape of `value` under `schema` (values without a schema are deduced: maps granular, lists atomic). */
export function shapeOf(schema: TSchema | undefined, value: unknown): Shape {
  const type = ext(schema, 'type');
  if (Array.isArray(value)) {
    if (type !== 'array') return { t: 'leaf' };
    const lt = ext(schema, 'x-kubernetes-list-type');
    const strategy = String(ext(schema, 'x-kubernetes-patch-strategy') ?? '');
    const mergeKey = ext(schema, 'x-kubernetes-patch-merge-key');
    const keys = ext(schema, 'x-kubernetes-list-map-keys');
    if (lt === 'map') return { t: 'assoc', keys: Array.isArray(keys) ? keys as string[] : typeof mergeKey === 'string' ? [mergeKey] : [] };
    if (lt === 'set') return { t: 'set' };
    if (lt === undefined && strategy.split(',').includes('merge')) {
      return typeof mergeKey === 'string' ? { t: 'assoc', keys: [mergeKey] } : { t: 'set' };
    }
    return { t: 'leaf' };
  }
  if (isMap(value)) {
    if (!schema) return { t: 'map' };
    if (ext(schema, 'x-kubernetes-map-type') === 'atomic') return { t: 'leaf' };
    if (ext(schema, 'properties')) return { t: 'struct' };
    if (type === 'object') return { t: 'map' };
    return { t: 'leaf' };
  }
  return { t: 'leaf' };
}

function isStructField(schema: TSchema | undefined, key: string): boolean {
  const props = ext(schema, 'properties') as Record<string, unknown> | undefined;
  return !!props && Object.prototype.hasOwnProperty.call(props, key);
}

/** Defaults kube's OpenAPI declares for list-map key fields, used when a schema here lacks them. */
const KEY_DEFAULTS: Record<string, unknown> = { protocol: 'TCP' };

/** The path element of list item `item` (index `i`) of a set or associative list. */
export function itemKey(shape: Shape, itemSchema: TSchema | undefined, item: unknown, i: number, path: Path): PathKey {
  if (shape.t !== 'assoc') return 'v:' + JSON.stringify(item);
  const fields: Record<string, unknown> = {};
  for (const k of shape.keys) {
    let v = isMap(item) ? item[k] : undefined;
    if (v === undefined) v = ext(childSchema(itemSchema, k), 'default') ?? KEY_DEFAULTS[k];
    if (v === undefined) {
      throw new TypedError(`${pathString(path)}: element ${i}: associative list with keys has an element that omits key field ${JSON.stringify(k)} (and doesn't have default value)`);
    }
    fields[k] = v;
  }
  return keyElement(fields);
}

/** Items of a granular list keyed by path element (first occurrence wins), in list order. */
export function indexItems(shape: Shape, schema: TSchema | undefined, list: unknown, path: Path): Map<PathKey, unknown> {
  const out = new Map<PathKey, unknown>();
  if (!Array.isArray(list)) return out;
  const itemSchema = childSchema(schema, 0);
  list.forEach((item, i) => {
    const k = itemKey(shape, itemSchema, item, i, path);
    if (!out.has(k)) out.set(k, item);
  });
  return out;
}

/** The fields set in `value` (toFieldSet): leaves, list items, map entries and empty struct fields. */
export function toFieldSet(value: unknown, schema: TSchema | undefined): FieldSet {
  const set = new FieldSet();
  const walk = (v: unknown, s: TSchema | undefined, path: Path): void => {
    const shape = shapeOf(s, v);
    if (shape.t === 'leaf') { if (path.length) set.insert(path); return; }
    if (shape.t === 'struct' || shape.t === 'map') {
      for (const [k, c] of Object.entries(v as JMap)) {
        const p = [...path, 'f:' + k];
        walk(c, childSchema(s, k), p);
        if (!isStructField(s, k) || (isMap(c) && Object.keys(c).length === 0)) set.insert(p);
      }
      return;
    }
    const itemSchema = childSchema(s, 0);
    for (const [k, item] of indexItems(shape, s, v, path)) {
      walk(item, itemSchema, [...path, k]);
      set.insert([...path, k]);
    }
  };
  walk(value, schema, []);
  return set;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (!isMap(a) || !isMap(b)) return false;
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
}

/** Paths added, modified and removed between two objects. */
export interface Comparison { added: FieldSet; modified: FieldSet; removed: FieldSet }

/** True for undefined, null, [] and {}. */
export function isEmptyContainer(v: unknown): boolean {
  return v === undefined || v === null || (Array.isArray(v) && v.length === 0) || (isMap(v) && Object.keys(v).length === 0);
}

/** Compares `lhs` (old) with `rhs` (new) like typed.Compare, including added/removed containers. */
export function compare(lhs: unknown, rhs: unknown, schema: TSchema | undefined): Comparison {
  const c: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  const leaf = (l: unknown, r: unknown, path: Path): void => {
    if (!path.length) return;
    if (l === undefined) c.added.insert(path);
    else if (r === undefined) c.removed.insert(path);
    else if (!deepEqual(l, r)) c.modified.insert(path);
  };
  const walk = (l: unknown, r: unknown, s: TSchema | undefined, path: Path, structField: boolean): void => {
    if (l === undefined && r === undefined) return;
    const shape = shapeOf(s, r !== undefined ? r : l);
    const other = shapeOf(s, r !== undefined ? l : r);
    if (shape.t === 'leaf' || (l !== undefined && r !== undefined && other.t !== shape.t) || (isEmptyContainer(l) && isEmptyContainer(r))) {
      leaf(l, r, path);
      return;
    }
    if (shape.t === 'struct' || shape.t === 'map') {
      const lm = isMap(l) ? l : {};
      const rm = isMap(r) ? r : {};
      for (const k of new Set([...Object.keys(lm), ...Object.keys(rm)])) {
        walk(lm[k], rm[k], childSchema(s, k), [...path, 'f:' + k], isStructField(s, k));
      }
      // Non-pointer Go structs always exist in the old object, so only maps and lists get their own entry.
      if (path.length && !(shape.t === 'struct' && structField)) leaf(l === undefined ? undefined : {}, r === undefined ? undefined : {}, path);
      return;
    }
    const li = indexItems(shape, s, l, path);
    const ri = indexItems(shape, s, r, path);
    const itemSchema = childSchema(s, 0);
    for (const k of new Set([...li.keys(), ...ri.keys()])) walk(li.get(k), ri.get(k), itemSchema, [...path, k], false);
    if (path.length) leaf(l === undefined ? undefined : [], r === undefined ? undefined : [], path);
  };
  walk(lhs, rhs, schema, [], false);
  return c;
}
