/**
 * Pruning and defaulting of custom resources by their structural schema, as
 * apiextensions-apiserver does: unknown fields are dropped (and reported for field validation),
 * nulls of non-nullable fields are dropped, then `default`s fill absent fields.
 */
import { childPath, isObject, type JSONSchemaProps } from './types.js';

const META_FIELDS = new Set(['name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp',
  'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields']);

function pruneEmbedded(v: Record<string, unknown>, path: string, unknown: string[]): void {
  const meta = v['metadata'];
  if (!isObject(meta)) return;
  for (const k of Object.keys(meta)) {
    if (!META_FIELDS.has(k)) { unknown.push(childPath(childPath(path, 'metadata'), k)); delete meta[k]; }
  }
}

/** Removes fields the schema does not know, in place; returns their paths (`spec.foo`) for warnings or Strict errors. */
export function pruneObject(v: unknown, s: JSONSchemaProps | undefined, path = '', unknown: string[] = []): string[] {
  if (!s) return unknown;
  if (Array.isArray(v)) {
    v.forEach((item, i) => pruneObject(item, s.items, childPath(path, i), unknown));
    return unknown;
  }
  if (!isObject(v)) return unknown;
  const props = s.properties;
  const add = s.additionalProperties;
  const embedded = s['x-kubernetes-embedded-resource'] === true;
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  for (const k of Object.keys(v)) {
    const sub = childPath(path, k);
    if (v[k] === null && !(props?.[k]?.nullable || (isObject(add) && add.nullable))) {
      if (props?.[k] || isObject(add) || !preserve) { delete v[k]; continue; }
    }
    if (props && Object.hasOwn(props, k)) pruneObject(v[k], props[k], sub, unknown);
    else if (isObject(add)) pruneObject(v[k], add, sub, unknown);
    else if (embedded && (k === 'apiVersion' || k === 'kind' || k === 'metadata')) continue;
    else if (add === true || preserve) continue;
    else { unknown.push(sub); delete v[k]; }
  }
  if (embedded) pruneEmbedded(v, path, unknown);
  return unknown;
}

/** Fills `default`s of absent fields in place (objects, list items and map values). */
export function applyDefaults(v: unknown, s: JSONSchemaProps | undefined): void {
  if (!s) return;
  if (Array.isArray(v)) { for (const item of v) applyDefaults(item, s.items); return; }
  if (!isObject(v)) return;
  for (const [k, p] of Object.entries(s.properties ?? {})) {
    if ((v[k] === undefined || (v[k] === null && !p.nullable)) && p.default !== undefined) v[k] = structuredClone(p.default);
    if (v[k] !== undefined) applyDefaults(v[k], p);
  }
  if (isObject(s.additionalProperties)) for (const x of Object.values(v)) applyDefaults(x, s.additionalProperties);
}
