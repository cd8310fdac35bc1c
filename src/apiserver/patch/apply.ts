/**
 * Server-side apply (application/apply-patch+yaml) and managedFields tracking for ordinary
 * writes, following structured-merge-diff's Apply/Update and kube's 409 conflict texts.
 */
import type { TSchema } from '../../api/schema.js';
import { badRequest, internal, PatchError, type PatchCause } from './errors.js';
import { FieldSet, pathString } from './fieldpath.js';
import { compare, toFieldSet, TypedError } from './typed.js';
import { mergeApplied, prune } from './ssa-merge.js';
import { STRIP, decodeManagers, encodeManagers, managerId, withManagedFields, withoutManagedFields, type Manager } from './managed.js';
import { isMap, type JMap } from './smp-order.js';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** Options of one apply request. */
export interface ApplyOptions {
  force?: boolean;
  /** RFC 3339 time recorded on the manager's entry. */
  now: string;
  /** The group/version served (e.g. `v1`, `apps/v1`); the applied object must use it. */
  apiVersion: string;
  /** Top-level fields this endpoint resets (e.g. `status` on the main resource): dropped from the applied object. */
  ignore?: string[];
}

/** A field owned by another manager that the apply would change. */
export interface ApplyConflict { manager: string; operation: string; apiVersion: string; subresource?: string; path: string }

/** The applied object (with managedFields) and, when the apply was refused, its conflicts. */
export interface ApplyResult { object: JMap; conflicts: ApplyConflict[] }

function gvknn(obj: JMap): string {
  const md = isMap(obj['metadata']) ? obj['metadata'] : {};
  const av = String(obj['apiVersion'] ?? '');
  const gv = av.includes('/') ? av : '/' + av;
  return `${String(md['namespace'] ?? '')}/${String(md['name'] ?? '')}; ${gv}, Kind=${String(obj['kind'] ?? '')}`;
}

function typedSet(obj: JMap, schema: TSchema | undefined, what: string): FieldSet {
  try {
    return toFieldSet(obj, schema).difference(STRIP);
  } catch (e) {
    if (e instanceof TypedError) throw internal(`failed to create typed ${what} object (${gvknn(obj)}): ${e.message}`);
    throw e;
  }
}

/** JSON with object keys sorted and a trailing newline, as Go's encoder writes unstructured objects. */
function goJSON(v: unknown): string {
  const sort = (x: unknown): unknown => Array.isArray(x) ? x.map(sort)
    : isMap(x) ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, sort(x[k])])) : x;
  return JSON.stringify(sort(v)) + '\n';
}

/** Fields of the live object's last-applied annotation, which apply by "kubectl" may take over. */
function lastAppliedSet(live: JMap | undefined, schema: TSchema | undefined): FieldSet | undefined {
  const ann = isMap(live?.['metadata']) && isMap(live['metadata']['annotations']) ? live['metadata']['annotations'][LAST_APPLIED] : undefined;
  if (typeof ann !== 'string' || !ann) return undefined;
  try {
    return toFieldSet(JSON.parse(ann), schema);
  } catch {
    return undefined;
  }
}

function conflictsOf(others: Manager[], changed: FieldSet): ApplyConflict[] {
  const out: ApplyConflict[] = [];
  for (const m of [...others].sort((a, b) => (managerId(a) < managerId(b) ? -1 : 1))) {
    for (const p of m.set.intersection(changed).paths()) {
      out.push({ manager: m.manager, operation: m.operation, apiVersion: m.apiVersion, ...(m.subresource ? { subresource: m.subresource } : {}), path: pathString(p) });
    }
  }
  return out;
}

/** Applies `applied` for `manager` onto `live` (undefined when creating). */
export function serverSideApply(live: JMap | undefined, applied: JMap, manager: string, schema: TSchema | undefined, opts: ApplyOptions): ApplyResult {
  if (applied['apiVersion'] !== opts.apiVersion) {
    throw badRequest(`Incorrect version specified in apply patch. Specified patch version: ${String(applied['apiVersion'] ?? '')}, expected: ${opts.apiVersion}`);
  }
  if (isMap(applied['metadata']) && applied['metadata']['managedFields'] !== undefined) throw badRequest('metadata.managedFields must be nil');
  if (opts.ignore?.length) applied = Object.fromEntries(Object.entries(applied).filter(([k]) => !opts.ignore?.includes(k)));
  const liveObj = live ? withoutManagedFields(live) : {};
  let managers = decodeManagers(live && isMap(live['metadata']) ? live['metadata']['managedFields'] : undefined);
  if (live && !managers.length) {
    const c = compare({}, liveObj, schema);
    managers = [{ manager: 'before-first-apply', operation: 'Update', apiVersion: opts.apiVersion, set: c.added.union(c.modified).difference(STRIP) }];
  }
  const configSet = typedSet(applied, schema, 'patch');
  typedSet(liveObj, schema, 'live');
  const me = managers.find((m) => m.manager === manager && m.operation === 'Apply' && !m.subresource);
  const others = managers.filter((m) => m !== me);
  let merged = mergeApplied(liveObj, applied, schema) as JMap;
  if (me) merged = prune(merged, schema, me.set, others.reduce((s, m) => s.union(m.set), configSet)) as JMap;
  const cmp = compare(liveObj, merged, schema);
  const changed = cmp.added.union(cmp.modified);
  let force = opts.force === true;
  let conflicts = conflictsOf(others, changed);
  if (conflicts.length && !force && manager === 'kubectl') {
    const allowed = lastAppliedSet(live, schema);
    if (allowed) {
      const rest = conflictsOf(others, changed.difference(allowed));
      if (!rest.length) force = true; else conflicts = rest;
    }
  }
  if (conflicts.length && !force) return { object: live ?? {}, conflicts };
  for (const m of others) m.set = m.set.difference(changed).difference(cmp.removed);
  const objectChanged = !cmp.added.empty() || !cmp.modified.empty() || !cmp.removed.empty();
  const mine: Manager = me ?? { manager, operation: 'Apply', apiVersion: opts.apiVersion, set: new FieldSet() };
  const setChanged = JSON.stringify(mine.set.toFieldsV1()) !== JSON.stringify(configSet.toFieldsV1());
  mine.set = configSet;
  mine.apiVersion = opts.apiVersion;
  if (!me || objectChanged || setChanged || !mine.time) mine.time = opts.now;
  if (!me) managers.push(mine);
  if (manager === 'kubectl') syncLastApplied(merged, applied);
  return { object: withManagedFields(merged, encodeManagers(managers)), conflicts: [] };
}

/** Keeps the client-side-apply annotation in step when kubectl applies server-side. */
function syncLastApplied(merged: JMap, applied: JMap): void {
  const md = merged['metadata'];
  if (!isMap(md) || !isMap(md['annotations']) || !(LAST_APPLIED in md['annotations'])) return;
  const copy = structuredClone(applied);
  const cmd = copy['metadata'];
  if (isMap(cmd) && isMap(cmd['annotations'])) delete cmd['annotations'][LAST_APPLIED];
  merged['metadata'] = { ...md, annotations: { ...md['annotations'], [LAST_APPLIED]: goJSON(copy) } };
}

/**
 * Records a non-apply write (`operation` is normally "Update"): the manager takes ownership of
 * the fields it changed, other managers lose them. Returns `newObj` with updated managedFields.
 */
export function recordUpdate<T>(oldObj: T | undefined, newObj: T, manager: string, operation: string, schema: TSchema | undefined, now: string, apiVersion: string, subresource?: string): T {
  const sent = isMap(newObj) && isMap(newObj['metadata']) ? newObj['metadata']['managedFields'] : undefined;
  const reset = Array.isArray(sent) && sent.length === 1 && isMap(sent[0]) && Object.keys(sent[0]).length === 0;
  const fromNew = reset ? [] : decodeManagers(sent);
  const managers = reset ? [] : fromNew.length && !subresource ? fromNew : decodeManagers(isMap(oldObj) && isMap(oldObj['metadata']) ? oldObj['metadata']['managedFields'] : undefined);
  let cmp;
  try {
    cmp = compare(oldObj === undefined ? {} : withoutManagedFields(oldObj), withoutManagedFields(newObj), schema);
  } catch (e) {
    if (e instanceof TypedError) return newObj;
    throw e;
  }
  const changed = cmp.added.union(cmp.modified).difference(STRIP);
  for (const m of managers) m.set = m.set.difference(changed).difference(cmp.removed);
  const id = managerId({ manager, operation, apiVersion, ...(subresource ? { subresource } : {}) });
  let mine = managers.find((m) => managerId(m) === id);
  if (!changed.empty()) {
    if (!mine) {
      mine = { manager, operation, apiVersion, set: new FieldSet(), ...(subresource ? { subresource } : {}) };
      managers.push(mine);
    }
    mine.set = mine.set.union(changed);
    mine.apiVersion = apiVersion;
    mine.time = now;
  }
  return withManagedFields(newObj, encodeManagers(managers));
}

/** Kube's description of a conflicting manager, e.g. `"kubectl-client-side-apply" using v1`. */
function printManager(c: ApplyConflict): string {
  let s = JSON.stringify(c.manager);
  if (c.subresource) s += ` with subresource ${JSON.stringify(c.subresource)}`;
  return c.operation === 'Update' ? `${s} using ${c.apiVersion}` : s;
}

/** The 409 message, e.g. `Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: .spec.replicas`. */
export function conflictMessage(conflicts: ApplyConflict[]): string {
  const [first] = conflicts;
  if (conflicts.length === 1 && first) return `Apply failed with 1 conflict: conflict with ${printManager(first)}: ${first.path}`;
  const groups = new Map<string, ApplyConflict[]>();
  for (const c of conflicts) {
    const id = managerId(c);
    groups.set(id, [...(groups.get(id) ?? []), c]);
  }
  const lines: string[] = [];
  for (const id of [...groups.keys()].sort()) {
    const cs = groups.get(id) ?? [];
    if (cs[0]) lines.push(`conflicts with ${printManager(cs[0])}:`);
    for (const c of cs) lines.push(`- ${c.path}`);
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}

/** The `details.causes` of the 409 (type FieldManagerConflict, one per field). */
export function conflictCauses(conflicts: ApplyConflict[]): PatchCause[] {
  return conflicts.map((c) => ({ type: 'FieldManagerConflict', message: `conflict with ${printManager(c)}`, field: c.path }));
}

/** The 409 Conflict error for a refused apply. */
export function conflictError(conflicts: ApplyConflict[]): PatchError {
  return new PatchError(409, 'Conflict', conflictMessage(conflicts), { causes: conflictCauses(conflicts) });
}
