/**
 * metadata.managedFields bookkeeping shared by apply and update: decoding entries into
 * field sets, the fields kube never tracks, manager identities and re-encoding in kube's order.
 */
import { FieldSet } from './fieldpath.js';
import { isMap, type JMap } from './smp-order.js';

/** A decoded managedFields entry. */
export interface Manager {
  manager: string;
  operation: string;
  apiVersion: string;
  time?: string;
  subresource?: string;
  set: FieldSet;
}

/** Fields whose ownership is never recorded (apiVersion, kind, name, uid, resourceVersion, …). */
export const STRIP = FieldSet.of(
  ['f:apiVersion'], ['f:kind'], ['f:metadata'],
  ...['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion']
    .map((f) => ['f:metadata', 'f:' + f]),
);

/** Decodes `metadata.managedFields`; entries that are not FieldsV1 are skipped. */
export function decodeManagers(list: unknown): Manager[] {
  if (!Array.isArray(list)) return [];
  const out: Manager[] = [];
  for (const e of list) {
    if (!isMap(e) || typeof e['manager'] !== 'string' && typeof e['operation'] !== 'string') continue;
    if (e['fieldsType'] !== undefined && e['fieldsType'] !== 'FieldsV1') continue;
    const m: Manager = {
      manager: String(e['manager'] ?? ''), operation: String(e['operation'] ?? ''), apiVersion: String(e['apiVersion'] ?? ''),
      set: FieldSet.fromFieldsV1(e['fieldsV1']),
    };
    if (typeof e['time'] === 'string') m.time = e['time'];
    if (typeof e['subresource'] === 'string' && e['subresource']) m.subresource = e['subresource'];
    out.push(m);
  }
  return out;
}

/** The identity kube keys managers by (BuildManagerIdentifier): appliers are version-independent. */
export function managerId(m: { manager: string; operation: string; apiVersion: string; subresource?: string }): string {
  const o: JMap = { manager: m.manager, operation: m.operation };
  if (m.operation !== 'Apply' && m.apiVersion) o['apiVersion'] = m.apiVersion;
  if (m.subresource) o['subresource'] = m.subresource;
  return JSON.stringify(o);
}

function seconds(t: string | undefined): number {
  const v = t ? Date.parse(t) : NaN;
  return Number.isNaN(v) ? 0 : Math.floor(v / 1000);
}

/** Encodes managers back into managedFields entries, dropping empty ones, in kube's sort order. */
export function encodeManagers(managers: Manager[]): JMap[] {
  const live = managers.filter((m) => !m.set.empty());
  live.sort((p, q) => (p.operation < q.operation ? -1 : p.operation > q.operation ? 1 : 0)
    || seconds(p.time) - seconds(q.time)
    || (p.manager < q.manager ? -1 : p.manager > q.manager ? 1 : 0)
    || (p.apiVersion < q.apiVersion ? -1 : p.apiVersion > q.apiVersion ? 1 : 0)
    || ((p.subresource ?? '') < (q.subresource ?? '') ? -1 : (p.subresource ?? '') > (q.subresource ?? '') ? 1 : 0));
  return live.map((m) => {
    const e: JMap = { manager: m.manager, operation: m.operation, apiVersion: m.apiVersion };
    if (m.time) e['time'] = m.time;
    e['fieldsType'] = 'FieldsV1';
    e['fieldsV1'] = m.set.toFieldsV1();
    if (m.subresource) e['subresource'] = m.subresource;
    return e;
  });
}

/** A copy of `obj` whose metadata.managedFields is `entries` (removed when empty). */
export function withManagedFields<T>(obj: T, entries: JMap[]): T {
  const o = { ...(obj as JMap) };
  const md: JMap = isMap(o['metadata']) ? { ...o['metadata'] } : {};
  if (entries.length) md['managedFields'] = entries; else delete md['managedFields'];
  o['metadata'] = md;
  return o as T;
}

/** A copy of `obj` without metadata.managedFields. */
export function withoutManagedFields(obj: unknown): JMap {
  if (!isMap(obj)) return {};
  return withManagedFields(obj, []);
}
