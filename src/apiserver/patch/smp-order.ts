/**
 * List helpers of strategic merge patch: merge-key lookups, partitioning and the element
 * ordering rules ($setElementOrder > patch order > live order) that kube-apiserver applies.
 */
import { PatchError, internal, goValue, goType } from './errors.js';

export type JMap = Record<string, unknown>;
export type ElemKind = 'map' | 'scalar';

/** `$patch`, the directive marker inside maps and list items. */
export const DIRECTIVE = '$patch';

/** True for a JSON object (not an array, not null). */
export function isMap(v: unknown): v is JMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** mergepatch.ErrNoMergeKey. */
export function noMergeKey(m: unknown, key: string): PatchError {
  return internal(`map: ${goValue(m)} does not contain declared merge key: ${key}`);
}

/** mergepatch.ErrBadArgType for an expected Go type name. */
export function badArgType(expected: string, actual: unknown): PatchError {
  return internal(`expected a ${expected}, but received a ${goType(actual)}`);
}

/** The element kind shared by all items of the given lists (sliceElementType). */
export function elementKind(...lists: unknown[][]): ElemKind | undefined {
  let prev: string | undefined;
  for (const l of lists) {
    for (const v of l) {
      const t = goType(v);
      if (prev === undefined) {
        if (Array.isArray(v)) throw new PatchError(422, 'Invalid', 'the server rejected our request due to an error in our request', { detail: 'lists of lists are not supported' });
        prev = t;
      } else if (prev !== t) {
        throw internal(`list element types are not identical: ${goValue(lists)}`);
      }
    }
  }
  if (prev === undefined) return undefined;
  return prev === 'map[string]interface {}' ? 'map' : 'scalar';
}

/** The merge-key value of a list item, or undefined when the item is not a map. */
function keyOf(item: unknown, mergeKey: string, kind: ElemKind): unknown {
  if (kind !== 'map') return item;
  return isMap(item) ? item[mergeKey] : undefined;
}

/** Position of `val` in `l`, comparing merge-key values for maps and values for scalars. */
export function indexIn(l: unknown[], val: unknown, mergeKey: string, kind: ElemKind): number {
  const k = keyOf(val, mergeKey, kind);
  return l.findIndex((v) => keyOf(v, mergeKey, kind) === k);
}

/** Index of the first map in `l` whose `key` equals `value`, or -1. */
export function findByKey(l: unknown[], key: string, value: unknown): number {
  for (let i = 0; i < l.length; i++) {
    const v = l[i];
    if (!isMap(v)) throw internal(`value for key ${i} is not a map`);
    if (key in v && v[key] === value) return i;
  }
  return -1;
}

/** Removes duplicate scalars the way upstream does (swapping in the last element). */
export function dedupeScalars(s: unknown[]): unknown[] {
  s = [...s];
  let length = s.length - 1;
  for (let i = 0; i < length; i++) {
    for (let j = i + 1; j <= length; j++) {
      if (s[i] === s[j]) {
        s[j] = s[length];
        s.length = length;
        length--;
        j--;
      }
    }
  }
  return s;
}

/** Splits `merged` into items present in `by` and the rest (server-only items). */
export function partition(merged: unknown[], by: unknown[], mergeKey: string): [unknown[], unknown[]] {
  const inList: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const v of merged) {
    let found: boolean;
    if (!mergeKey) {
      found = by.includes(v);
    } else {
      if (!isMap(v)) throw badArgType('map[string]interface {}', v);
      if (!(mergeKey in v)) throw noMergeKey(v, mergeKey);
      found = findByKey(by, mergeKey, v[mergeKey]) >= 0;
    }
    (found ? inList : serverOnly).push(v);
  }
  return [inList, serverOnly];
}

function validateMergeKeys(mergeKey: string, ...lists: unknown[][]): void {
  for (const l of lists) {
    for (const item of l) {
      if (!isMap(item)) throw badArgType('map[string]interface {}', item);
      if (!(mergeKey in item)) throw noMergeKey(item, mergeKey);
    }
  }
}

/** Stable-sorts `toSort` by position in `order`; `$patch: delete` items go last. */
function normalizeSliceOrder(toSort: unknown[], order: unknown[], mergeKey: string, kind: ElemKind): unknown[] {
  let keep = toSort;
  let del: unknown[] = [];
  if (kind === 'map') {
    validateMergeKeys(mergeKey, toSort, order);
    keep = toSort.filter((v) => !(isMap(v) && v[DIRECTIVE] === 'delete'));
    del = toSort.filter((v) => isMap(v) && v[DIRECTIVE] === 'delete');
  }
  const pos = keep.map((v, i) => ({ v, i, o: indexIn(order, v, mergeKey, kind) }));
  pos.sort((a, b) => (a.o >= 0 && b.o >= 0 ? a.o - b.o : 0) || a.i - b.i);
  return [...pos.map((p) => p.v), ...del];
}

/** Interleaves server-only items (`left`) into patch items (`right`) using the live order. */
function mergeSorted(left: unknown[], right: unknown[], serverOrder: unknown[], mergeKey: string, kind: ElemKind): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexIn(serverOrder, left[i], mergeKey, kind);
      const ri = indexIn(serverOrder, right[j], mergeKey, kind);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

/** Orders patch items by `patchOrder`, server-only items by `serverOrder`, then merges the two. */
export function normalizeElementOrder(patch: unknown[], serverOnly: unknown[], patchOrder: unknown[], serverOrder: unknown[], mergeKey: string, kind: ElemKind): unknown[] {
  const p = normalizeSliceOrder(patch, patchOrder, mergeKey, kind);
  const s = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
  return mergeSorted(s, p, serverOrder, mergeKey, kind);
}

/** Checks that patch items appear in the same relative order as in the $setElementOrder list. */
export function validateSetOrder(patchList: unknown[], setOrder: unknown[], mergeKey: string): void {
  if (!setOrder.length || !patchList.length) return;
  const nonDelete = mergeKey ? patchList.filter((v) => {
    if (!isMap(v)) throw badArgType('map[string]interface {}', v);
    return v[DIRECTIVE] !== 'delete';
  }) : patchList;
  let pi = 0;
  let si = 0;
  while (pi < nonDelete.length && si < setOrder.length) {
    const item = nonDelete[pi];
    if (isMap(item) && DIRECTIVE in item) { pi++; continue; }
    if (keyEqual(item, setOrder[si], mergeKey)) pi++;
    si++;
  }
  if (pi < nonDelete.length && si >= setOrder.length) {
    throw internal(`The order in patch list:\n${goValue(patchList)}\n doesn't match $setElementOrder list:\n${goValue(setOrder)}\n`);
  }
}

function keyEqual(left: unknown, right: unknown, mergeKey: string): boolean {
  if (!mergeKey) return left === right;
  if (!isMap(left)) throw badArgType('map[string]interface {}', left);
  if (!isMap(right)) throw badArgType('map[string]interface {}', right);
  if (!(mergeKey in left)) throw noMergeKey(left, mergeKey);
  if (!(mergeKey in right)) throw noMergeKey(right, mergeKey);
  return left[mergeKey] === right[mergeKey];
}
