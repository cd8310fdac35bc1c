/**
 * Validation of custom resources by their structural schema, with the messages
 * apiextensions-apiserver reports (kube-openapi's validator, converted to field errors):
 * `spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"`.
 */
import { RE2JS } from 're2js';
import { isIP } from 'node:net';
import { field, type FieldError } from '../api/errors.js';
import { childPath, isObject, type JSONSchemaProps } from './types.js';

/** The JSON type name of a value as the validator names it. */
export function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v === 'object' ? 'object' : typeof v;
}

function typeMatches(v: unknown, s: JSONSchemaProps): boolean {
  if (s['x-kubernetes-int-or-string']) return typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v));
  switch (s.type) {
    case undefined: case '': return true;
    case 'integer': return typeof v === 'number' && Number.isInteger(v);
    case 'number': return typeof v === 'number';
    case 'array': return Array.isArray(v);
    case 'object': return isObject(v);
    default: return typeof v === s.type;
  }
}

const FORMATS: Record<string, (s: string) => boolean> = {
  'date-time': (s) => /^\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)$/.test(s),
  date: (s) => /^\d{4}-\d\d-\d\d$/.test(s),
  byte: (s) => /^[A-Za-z0-9+/]*={0,2}$/.test(s) && s.length % 4 === 0,
  uuid: (s) => /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(s),
  ipv4: (s) => isIP(s) === 4,
  ipv6: (s) => isIP(s) === 6,
  cidr: (s) => { const [ip, bits, extra] = s.split('/'); return extra === undefined && !!ip && isIP(ip) !== 0 && /^\d+$/.test(bits ?? '') && Number(bits) <= (isIP(ip) === 4 ? 32 : 128); },
  hostname: (s) => s.length <= 255 && /^[a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?)*$/.test(s),
};

const patterns = new WeakMap<JSONSchemaProps, RE2JS | null>();
function pattern(s: JSONSchemaProps): RE2JS | null {
  let re = patterns.get(s);
  if (re === undefined) {
    try { re = RE2JS.compile(s.pattern ?? ''); } catch { re = null; }
    patterns.set(s, re);
  }
  return re;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Checks the value's own constraints (no children); appends to `errs`. */
function checkScalar(v: unknown, s: JSONSchemaProps, path: string, errs: FieldError[]): void {
  const where = `${path} in body`;
  if (s.enum && !s.enum.some((e) => same(e, v))) errs.push(field.notSupported(path, v, s.enum.map((e) => (typeof e === 'string' ? e : JSON.stringify(e)))));
  if (typeof v === 'number') {
    if (s.maximum !== undefined && (s.exclusiveMaximum ? v >= s.maximum : v > s.maximum)) {
      errs.push(field.invalid(path, v, `${where} should be less than ${s.exclusiveMaximum ? '' : 'or equal to '}${s.maximum}`));
    }
    if (s.minimum !== undefined && (s.exclusiveMinimum ? v <= s.minimum : v < s.minimum)) {
      errs.push(field.invalid(path, v, `${where} should be greater than ${s.exclusiveMinimum ? '' : 'or equal to '}${s.minimum}`));
    }
    if (s.multipleOf && Math.abs(v / s.multipleOf - Math.round(v / s.multipleOf)) > 1e-9) errs.push(field.invalid(path, v, `${where} should be a multiple of ${s.multipleOf}`));
  }
  if (typeof v === 'string') {
    const len = [...v].length;
    if (s.maxLength !== undefined && len > s.maxLength) errs.push(field.tooLong(path, v, s.maxLength));
    if (s.minLength !== undefined && len < s.minLength) errs.push(field.invalid(path, v, `${where} should be at least ${s.minLength} chars long`));
    if (s.pattern !== undefined) {
      const re = pattern(s);
      if (re && !re.matcher(v).find()) errs.push(field.invalid(path, v, `${where} should match '${s.pattern}'`));
    }
    const f = s.format ? FORMATS[s.format] : undefined;
    if (f && !f(v)) errs.push(field.invalid(path, v, `${where} must be of type ${s.format}: ${JSON.stringify(v)}`));
  }
}

function checkList(v: unknown[], s: JSONSchemaProps, path: string, errs: FieldError[]): void {
  if (s.maxItems !== undefined && v.length > s.maxItems) errs.push({ type: 'FieldValueTooMany', field: path, value: v.length, detail: `${v.length}: must have at most ${s.maxItems} items` });
  if (s.minItems !== undefined && v.length < s.minItems) errs.push(field.invalid(path, v.length, `${path} in body should have at least ${s.minItems} items`));
  const lt = s['x-kubernetes-list-type'];
  const keys = s['x-kubernetes-list-map-keys'] ?? [];
  if (lt === 'set' || s.uniqueItems) {
    const seen = new Set<string>();
    v.forEach((x, i) => { const k = JSON.stringify(x); if (seen.has(k)) errs.push(field.duplicate(childPath(path, i), x)); seen.add(k); });
  } else if (lt === 'map' && keys.length) {
    const seen = new Set<string>();
    v.forEach((x, i) => {
      if (!isObject(x)) return;
      const k = JSON.stringify(keys.map((key) => x[key] ?? (s.items?.properties?.[key]?.default ?? null)));
      if (seen.has(k)) errs.push(field.duplicate(childPath(path, i), Object.fromEntries(keys.map((key) => [key, x[key]]))));
      seen.add(k);
    });
  }
}

/** All errors of `v` against `s` at `path`. */
export function validateValue(v: unknown, s: JSONSchemaProps | undefined, path: string, errs: FieldError[] = []): FieldError[] {
  if (!s || v === undefined) return errs;
  if (v === null) {
    if (!s.nullable && s.type) errs.push(field.invalid(path, 'null', `${path} in body must be of type ${s.type}: "null"`));
    return errs;
  }
  if (!typeMatches(v, s)) {
    errs.push(field.invalid(path, jsonType(v), `${path} in body must be of type ${s['x-kubernetes-int-or-string'] ? 'integer,string' : s.type}: ${JSON.stringify(jsonType(v))}`));
    return errs;
  }
  checkScalar(v, s, path, errs);
  for (const sub of s.allOf ?? []) validateValue(v, sub, path, errs);
  if (s.anyOf && !s.anyOf.some((sub) => validateValue(v, sub, path).length === 0)) errs.push(field.invalid(path, v, `${path} in body must validate at least one schema (anyOf)`));
  if (s.oneOf && s.oneOf.filter((sub) => validateValue(v, sub, path).length === 0).length !== 1) {
    errs.push(field.invalid(path, v, `${path} in body must validate one and only one schema (oneOf)`));
  }
  if (s.not && validateValue(v, s.not, path).length === 0) errs.push(field.invalid(path, v, `${path} in body must not validate the schema (not)`));
  if (Array.isArray(v)) {
    checkList(v, s, path, errs);
    v.forEach((x, i) => validateValue(x, s.items, childPath(path, i), errs));
  } else if (isObject(v)) {
    const n = Object.keys(v).length;
    if (s.maxProperties !== undefined && n > s.maxProperties) errs.push({ type: 'FieldValueTooMany', field: path, value: n, detail: `${n}: must have at most ${s.maxProperties} items` });
    if (s.minProperties !== undefined && n < s.minProperties) errs.push(field.invalid(path, n, `${path} in body should have at least ${s.minProperties} properties`));
    for (const r of s.required ?? []) if (v[r] === undefined) errs.push(field.required(childPath(path, r), ''));
    if (s['x-kubernetes-embedded-resource']) {
      if (!v['apiVersion']) errs.push(field.required(childPath(path, 'apiVersion'), 'must not be empty'));
      if (!v['kind']) errs.push(field.required(childPath(path, 'kind'), 'must not be empty'));
    }
    for (const [k, x] of Object.entries(v)) {
      const sub = s.properties?.[k] ?? (isObject(s.additionalProperties) ? s.additionalProperties : undefined);
      validateValue(x, sub, childPath(path, k), errs);
    }
  }
  return errs;
}
