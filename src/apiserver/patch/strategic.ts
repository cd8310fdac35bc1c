/**
 * Strategic merge patch (application/strategic-merge-patch+json), applied the way
 * kube-apiserver applies it, with list strategies and merge keys read from the schema.
 */
import { childSchema, type TSchema } from '../../api/schema.js';
import { badRequest, internal, goValue } from './errors.js';
import {
  DIRECTIVE, isMap, noMergeKey, badArgType, elementKind, findByKey, dedupeScalars, partition,
  normalizeElementOrder, validateSetOrder, type JMap,
} from './smp-order.js';

export { PatchError } from './errors.js';

const DELETE_PREFIX = '$deleteFromPrimitiveList';
const ORDER_PREFIX = '$setElementOrder';
const RETAIN_KEYS = '$retainKeys';

interface FieldMeta { schema: TSchema | undefined; strategy: string; mergeKey: string }

/** Patch metadata (strategy, merge key) of field `key` of an object with schema `schema`. */
function fieldMeta(schema: TSchema | undefined, key: string): FieldMeta {
  const sub = childSchema(schema, key);
  const s = (sub ?? {}) as Record<string, unknown>;
  const raw = typeof s['x-kubernetes-patch-strategy'] === 'string' ? s['x-kubernetes-patch-strategy'] : '';
  const parts = raw ? raw.split(',') : [];
  let strategy = '';
  if (parts.length === 1) strategy = parts[0] === 'retainKeys' ? '' : parts[0] ?? '';
  else if (parts.length === 2 && parts[0] === 'retainKeys') strategy = parts[1] ?? '';
  else if (parts.length === 2 && parts[1] === 'retainKeys') strategy = parts[0] ?? '';
  else if (parts.length) throw internal(`unexpected patch strategy: [${parts.join(' ')}]`);
  const mergeKey = typeof s['x-kubernetes-patch-merge-key'] === 'string' ? s['x-kubernetes-patch-merge-key'] : '';
  return { schema: sub, strategy, mergeKey };
}

/** Splits `$prefix/field` into `field`, failing like upstream when the key is malformed. */
function extractKey(s: string, prefix: string): string {
  const i = s.indexOf('/');
  if (i < 0 || s.slice(0, i) !== prefix) {
    if (prefix === DELETE_PREFIX) throw badRequest('invalid patch format of primitive list');
    throw badRequest('invalid patch format of setElementOrder list');
  }
  return s.slice(i + 1);
}

/** True when a non-empty list lost all its items to directive removal. */
function emptied(before: unknown, after: unknown): boolean {
  return Array.isArray(before) && before.length > 0 && Array.isArray(after) && after.length === 0;
}

/** Drops nulls, maps carrying `$patch` and parallel-list directives from a value taken verbatim. */
function clean(v: unknown): { keep: boolean; value: unknown } {
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (const x of v) { const c = clean(x); if (c.keep) out.push(c.value); }
    return { keep: true, value: out };
  }
  if (!isMap(v)) return { keep: true, value: v };
  if (DIRECTIVE in v) return { keep: false, value: undefined };
  const out: JMap = {};
  for (const [k, x] of Object.entries(v)) {
    if (x === null || k === RETAIN_KEYS || k.startsWith(ORDER_PREFIX) || k.startsWith(DELETE_PREFIX)) continue;
    const c = clean(x);
    if (c.keep && !emptied(x, c.value)) out[k] = c.value;
  }
  return { keep: true, value: out };
}

function applyRetainKeys(original: JMap, patch: JMap): void {
  if (!(RETAIN_KEYS in patch)) return;
  const list = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(list)) throw badRequest('invalid patch format of retainKeys');
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_PREFIX) || k.startsWith(ORDER_PREFIX)) continue;
    if (!list.includes(k)) throw badRequest('invalid patch format of retainKeys');
  }
  for (const k of Object.keys(original)) if (!list.includes(k)) delete original[k];
}

/** Handles every `$setElementOrder/<field>` of `patch`, merging and reordering that field. */
function applySetElementOrder(original: JMap, patch: JMap, schema: TSchema | undefined): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(ORDER_PREFIX)) continue;
    const order = patch[key];
    delete patch[key];
    if (!Array.isArray(order)) throw badArgType('[]interface {}', order);
    const field = extractKey(key, ORDER_PREFIX);
    const foundOrig = field in original;
    const foundPatch = field in patch;
    const origList = original[field];
    const patchList = patch[field];
    if (foundOrig && !Array.isArray(origList)) throw badArgType('[]interface {}', origList);
    if (foundPatch && !Array.isArray(patchList)) throw badArgType('[]interface {}', patchList);
    const ol = (origList ?? []) as unknown[];
    const pl = (patchList ?? []) as unknown[];
    const meta = fieldMeta(schema, field);
    validateSetOrder(pl, order, meta.mergeKey);
    let merged: unknown[];
    if (foundOrig && !foundPatch) merged = ol;
    else if (!foundOrig && foundPatch) merged = clean(pl).value as unknown[];
    else if (foundOrig && foundPatch) merged = mergeListField(ol, pl, meta, false);
    else continue;
    const [inOrder, serverOnly] = partition(merged, order, meta.mergeKey);
    const kind = elementKind(ol, pl);
    original[field] = kind ? normalizeElementOrder(inOrder, serverOnly, order, ol, meta.mergeKey, kind) : merged;
    delete patch[field];
  }
}

/** mergeSliceHandler: merge-strategy lists (and deletion lists) merge, the rest are replaced. */
function mergeListField(original: unknown[], patch: unknown[], meta: FieldMeta, isDeleteList: boolean): unknown[] {
  if (meta.strategy === 'merge' || isDeleteList) return mergeList(original, patch, meta, isDeleteList);
  return patch;
}

function mergeList(original: unknown[], patch: unknown[], meta: FieldMeta, isDeleteList: boolean): unknown[] {
  if (!original.length && !patch.length) return original;
  const kind = elementKind(original, patch);
  const { mergeKey } = meta;
  const itemSchema = childSchema(meta.schema, 0);
  let merged: unknown[];
  let base = [...original];
  let rest = patch;
  if (kind !== 'map') {
    if (isDeleteList) return original.filter((v) => !patch.includes(v));
    merged = dedupeScalars([...original, ...patch]);
  } else {
    if (!mergeKey) {
      const id = (itemSchema as Record<string, unknown> | undefined)?.['$id'];
      throw internal(`cannot merge lists without merge key for ${typeof id === 'string' ? id : 'type'}`);
    }
    rest = [];
    let replace = false;
    for (const v of patch) {
      const m = v as JMap;
      if (!(DIRECTIVE in m)) { rest.push(v); continue; }
      const d = m[DIRECTIVE];
      if (d === 'delete') {
        if (!(mergeKey in m)) throw noMergeKey(m, mergeKey);
        for (let i = findByKey(base, mergeKey, m[mergeKey]); i >= 0; i = findByKey(base, mergeKey, m[mergeKey])) base.splice(i, 1);
      } else if (d === 'replace') {
        replace = true;
      } else if (d === 'merge') {
        throw internal('merging lists cannot yet be specified in the patch');
      } else {
        throw internal(`unknown patch type: ${goValue(d)} in map: ${goValue(m)}`);
      }
    }
    if (replace) { base = rest.map((v) => clean(v).value); rest = []; }
    merged = [...base];
    for (const v of rest) {
      const m = v as JMap;
      if (!(mergeKey in m)) throw noMergeKey(m, mergeKey);
      const i = findByKey(merged, mergeKey, m[mergeKey]);
      if (i >= 0) merged[i] = mergeMap(merged[i] as JMap, m, itemSchema);
      else merged.push(mergeMap({}, m, itemSchema));
    }
  }
  const [inPatch, serverOnly] = partition(merged, rest, mergeKey);
  return normalizeElementOrder(inPatch, serverOnly, rest, base, mergeKey, kind ?? 'scalar');
}

/** Merges `patch` into `original` (both already private copies; `original` is modified). */
function mergeMap(original: JMap, patch: JMap, schema: TSchema | undefined): JMap {
  if (DIRECTIVE in patch) {
    const d = patch[DIRECTIVE];
    if (d === 'replace') { delete patch[DIRECTIVE]; return patch; }
    if (d === 'delete') return {};
    throw internal(`unknown patch type: ${goValue(d)} in map: ${goValue(patch)}`);
  }
  applyRetainKeys(original, patch);
  applySetElementOrder(original, patch, schema);
  for (const [key, pv] of Object.entries(patch)) {
    let k = key;
    let isDeleteList = false;
    if (key.startsWith(DELETE_PREFIX)) { k = extractKey(key, DELETE_PREFIX); isDeleteList = true; }
    if (pv === null) { delete original[k]; continue; }
    const ov = original[k];
    const sameType = k in original && ov !== null && (Array.isArray(ov) === Array.isArray(pv)) && typeof ov === typeof pv;
    if (!sameType) {
      if (isDeleteList) continue;
      const c = clean(pv);
      if (c.keep && !emptied(pv, c.value)) original[k] = c.value; else delete original[k];
      continue;
    }
    const meta = fieldMeta(schema, k);
    if (isMap(ov)) {
      original[k] = meta.strategy === 'replace' ? pv : mergeMap(ov, pv as JMap, meta.schema);
    } else if (Array.isArray(ov)) {
      original[k] = mergeListField(ov, pv as unknown[], meta, isDeleteList);
    } else {
      original[k] = pv;
    }
  }
  return original;
}

/** Applies a strategic merge patch to `original` and returns the result; inputs are not modified. */
export function strategicMergePatch(original: unknown, patch: unknown, schema?: TSchema): JMap {
  if (!isMap(patch)) throw badRequest('invalid JSON document');
  const orig = isMap(original) ? structuredClone(original) : {};
  return mergeMap(orig, structuredClone(patch), schema);
}
