/** Generic ObjectMeta handling on writes: validation, system fields, generation, name generation. */
import { randomUUID } from 'node:crypto';
import { field, type FieldError } from '../../api/errors.js';
import type { KObject, ObjectMeta } from '../../api/meta.js';
import type { ResourceDef } from '../../api/resource.js';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue, isDNS1035Label } from '../../api/validation/names.js';
import { deepCopy } from '../../store/clone.js';

const alnum = 'bcdfghjklmnpqrstvwxz2456789';

/** The random suffix generateName uses (5 characters, as names.SimpleNameGenerator). */
export function randomSuffix(n = 5): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alnum[Math.floor(Math.random() * alnum.length)];
  return s;
}

/** Validates a name the way the kind's NameFn does. */
export function validateName(def: ResourceDef, name: string): string[] {
  if (def.kind === 'Service') return isDNS1035Label(name);
  switch (def.nameValidation ?? 'subdomain') {
    case 'label': return isDNS1123Label(name);
    case 'path-segment': {
      if (name === '.' || name === '..') return [`may not be '${name}'`];
      return /[/%]/.test(name) ? [`may not contain '${name.includes('/') ? '/' : '%'}'`] : [];
    }
    default: return isDNS1123Subdomain(name);
  }
}

/** ValidateObjectMeta: name, labels, annotations, ownerReferences, finalizers. */
export function validateObjectMeta(def: ResourceDef, meta: ObjectMeta): FieldError[] {
  const errs: FieldError[] = [];
  if (!meta.name && !meta.generateName) errs.push(field.required('metadata.name', 'name or generateName is required'));
  if (meta.name) for (const m of validateName(def, meta.name)) errs.push(field.invalid('metadata.name', meta.name, m));
  for (const [k, v] of Object.entries(meta.labels ?? {})) {
    for (const m of isQualifiedName(k)) errs.push(field.invalid('metadata.labels', k, m));
    for (const m of isValidLabelValue(v)) errs.push(field.invalid('metadata.labels', v, m));
  }
  let total = 0;
  for (const [k, v] of Object.entries(meta.annotations ?? {})) {
    for (const m of isQualifiedName(k.toLowerCase())) errs.push(field.invalid('metadata.annotations', k, m));
    total += k.length + v.length;
  }
  if (total > 256 * 1024) errs.push(field.tooLong('metadata.annotations', '', 256 * 1024));
  (meta.ownerReferences ?? []).forEach((r, i) => {
    if (!r.apiVersion) errs.push(field.invalid(`metadata.ownerReferences[${i}].apiVersion`, r.apiVersion ?? '', 'version must not be empty'));
    if (!r.kind) errs.push(field.invalid(`metadata.ownerReferences[${i}].kind`, r.kind ?? '', 'kind must not be empty'));
    if (!r.name) errs.push(field.invalid(`metadata.ownerReferences[${i}].name`, r.name ?? '', 'name must not be empty'));
    if (!r.uid) errs.push(field.invalid(`metadata.ownerReferences[${i}].uid`, r.uid ?? '', 'uid must not be empty'));
  });
  if ((meta.ownerReferences ?? []).filter((r) => r.controller).length > 1) {
    errs.push(field.invalid('metadata.ownerReferences', meta.ownerReferences, 'Only one reference can have Controller set to true'));
  }
  return errs;
}

/** Sets the server-owned metadata of a new object. */
export function initMeta(def: ResourceDef, obj: KObject, now: Date): void {
  const m = obj.metadata;
  if (!m.name && m.generateName) m.name = m.generateName + randomSuffix();
  m.uid ||= randomUUID();
  m.creationTimestamp = rfc3339(now);
  delete m.deletionTimestamp;
  delete m.deletionGracePeriodSeconds;
  delete m.resourceVersion;
  delete m.selfLink;
  if (def.generation) m.generation = 1; else delete m.generation;
}

/** Copies the server-owned metadata of the stored object onto an update. */
export function keepSystemMeta(obj: KObject, old: KObject): void {
  const m = obj.metadata;
  const o = old.metadata;
  m.uid = o.uid;
  m.creationTimestamp = o.creationTimestamp;
  m.name = o.name;
  if (o.namespace !== undefined) m.namespace = o.namespace;
  if (o.deletionTimestamp) m.deletionTimestamp = o.deletionTimestamp; else delete m.deletionTimestamp;
  if (o.deletionGracePeriodSeconds !== undefined) m.deletionGracePeriodSeconds = o.deletionGracePeriodSeconds;
  else delete m.deletionGracePeriodSeconds;
  if (o.generation !== undefined) m.generation = o.generation; else delete m.generation;
  delete m.selfLink;
}

/** Everything but metadata and status: the part whose change bumps generation. */
export function specPart(o: KObject): string {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = o;
  return JSON.stringify(rest);
}

/** A timestamp in Kubernetes' RFC 3339 seconds form. */
export function rfc3339(d: Date): string {
  const s = Math.floor(d.getTime() / 1000);
  if (s !== lastSecond || !lastStamp) { lastSecond = s; lastStamp = d.toISOString().replace(/\.\d{3}Z$/, 'Z'); }
  return lastStamp;
}
// The last timestamp made, reused within the same second so that objects share one string.
let lastSecond = NaN;
let lastStamp = '';

/** Deep copy of a JSON value. */
export function clone<T>(v: T): T {
  return deepCopy(v);
}
