/**
 * The merge of an applied configuration into the live object and the pruning of fields
 * a manager stopped applying, as structured-merge-diff does them.
 */
import { childSchema, type TSchema } from '../../api/schema.js';
import type { FieldSet, Path, PathKey } from './fieldpath.js';
import { shapeOf, indexItems, itemKey, isEmptyContainer } from './typed.js';
import { isMap, type JMap } from './smp-order.js';

/** Interleaves two keyed lists like structured-merge-diff: live-only items stay put, applied items keep their order. */
function zipKeys(lhs: PathKey[], rhs: PathKey[]): PathKey[] {
  const rset = new Set(rhs);
  const lset = new Set(lhs);
  const shared = rhs.filter((k) => lset.has(k));
  const out: PathKey[] = [];
  const done = new Set<PathKey>();
  let si = 0;
  let li = 0;
  let ri = 0;
  while (li < lhs.length || ri < rhs.length) {
    if (li < lhs.length && ri < rhs.length) {
      const k = lhs[li] as PathKey;
      if (k === rhs[ri]) { out.push(k); done.add(k); li++; ri++; si++; continue; }
      if (rset.has(k) && si < shared.length && shared[si] !== k) { li++; continue; }
    }
    if (li < lhs.length) {
      const k = lhs[li] as PathKey;
      if (!rset.has(k)) { out.push(k); li++; continue; }
      if (done.has(k)) { li++; continue; }
    }
    if (ri < rhs.length) {
      const k = rhs[ri] as PathKey;
      if (!done.has(k)) { out.push(k); done.add(k); }
      ri++;
      if (si < shared.length && shared[si] === k) si++;
    }
  }
  return out;
}

/** Merges an applied configuration into the live object (granular maps, keyed lists, atomic leaves). */
export function mergeApplied(live: unknown, applied: unknown, schema: TSchema | undefined): unknown {
  const walk = (l: unknown, r: unknown, s: TSchema | undefined, path: Path): unknown => {
    if (r === undefined) return l;
    if (r === null) return undefined;
    const shape = shapeOf(s, r);
    if (shape.t === 'leaf') return structuredClone(r);
    if (shape.t === 'struct' || shape.t === 'map') {
      const out: JMap = isMap(l) ? { ...l } : {};
      for (const [k, v] of Object.entries(r as JMap)) {
        const m = walk(out[k], v, childSchema(s, k), [...path, 'f:' + k]);
        if (m === undefined) delete out[k]; else out[k] = m;
      }
      return out;
    }
    const li = shapeOf(s, l).t === shape.t ? indexItems(shape, s, l, path) : new Map<PathKey, unknown>();
    const ri = indexItems(shape, s, r, path);
    const itemSchema = childSchema(s, 0);
    const out: unknown[] = [];
    for (const k of zipKeys([...li.keys()], [...ri.keys()])) {
      const m = ri.has(k) ? walk(li.get(k), ri.get(k), itemSchema, [...path, k]) : li.get(k);
      if (m !== undefined) out.push(m);
    }
    return out;
  };
  return walk(live, applied, schema, []);
}

/**
 * Removes from `obj` the fields in `last` (what a manager applied before) that nobody keeps:
 * a field goes when neither it nor anything below it is in `keep`. Emptied containers go too.
 */
export function prune(obj: unknown, schema: TSchema | undefined, last: FieldSet, keep: FieldSet): unknown {
  const walk = (v: unknown, s: TSchema | undefined, ln: FieldSet, kn: FieldSet | undefined, path: Path): unknown => {
    const shape = shapeOf(s, v);
    const drop = (k: PathKey): 'drop' | 'walk' | 'keep' => {
      const lc = ln.children.get(k);
      if (!lc) return 'keep';
      const kc = kn?.children.get(k);
      if (lc.member && !kc?.member && (!kc || kc.empty())) return 'drop';
      return lc.children.size ? 'walk' : 'keep';
    };
    if (shape.t === 'struct' || shape.t === 'map') {
      const out: JMap = { ...(v as JMap) };
      for (const [k, c] of Object.entries(out)) {
        const pk = 'f:' + k;
        const d = drop(pk);
        if (d === 'drop') delete out[k];
        else if (d === 'walk') {
          const n = walk(c, childSchema(s, k), ln.children.get(pk) as FieldSet, kn?.children.get(pk), [...path, pk]);
          if (isEmptyContainer(n) && !isEmptyContainer(c)) delete out[k]; else out[k] = n;
        }
      }
      return out;
    }
    if (shape.t === 'leaf') return v;
    const itemSchema = childSchema(s, 0);
    const out: unknown[] = [];
    (v as unknown[]).forEach((item, i) => {
      const k = itemKey(shape, itemSchema, item, i, path);
      const d = drop(k);
      if (d === 'keep') out.push(item);
      else if (d === 'walk') out.push(walk(item, itemSchema, ln.children.get(k) as FieldSet, kn?.children.get(k), [...path, k]));
    });
    return out;
  };
  return walk(obj, schema, last, keep, []);
}
