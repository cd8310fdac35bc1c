/**
 * `x-kubernetes-validations`: compiling a schema's CEL rules (with upstream's error paths, e.g.
 * `spec.versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule`)
 * and evaluating them over an object, with `oldSelf` bound for transition rules on updates.
 */
import type { CelInput, CelValue } from '@bufbuild/cel';
import { field, type FieldError } from '../api/errors.js';
import { compileRule, UNBOUNDED_LIST, type CelProgram } from './cel.js';
import { childPath, isObject, type JSONSchemaProps, type ValidationRule } from './types.js';

interface Compiled { rule: ValidationRule; program: CelProgram; message?: CelProgram; transition: boolean }

/** The compiled rules of one schema, by schema node. */
export type CompiledRules = WeakMap<JSONSchemaProps, Compiled[]>;

/** How many elements a list, map or string node may hold: maxItems/maxProperties/maxLength, or what a request could hold. */
function ownBound(s: JSONSchemaProps): number {
  if (s.type === 'array') return s.maxItems ?? UNBOUNDED_LIST;
  if (s.type === 'string') return s.maxLength ?? UNBOUNDED_LIST; // split() and friends make lists of strings
  if (isObject(s.additionalProperties)) return s.maxProperties ?? UNBOUNDED_LIST;
  return 1;
}

/**
 * The iteration bound of a rule's comprehensions: the node's own size when it is a list or map,
 * else the largest list or map among its fields (rules iterate `self` or `self.field`).
 */
function listBound(s: JSONSchemaProps): number {
  const own = ownBound(s);
  if (own > 1) return own;
  return Math.max(1, ...Object.values(s.properties ?? {}).map(ownBound));
}

/** Compiles every rule under `s`; `path` is the field path of `s` inside the CRD (for error messages). */
export function compileRules(s: JSONSchemaProps | undefined, path: string, out: CompiledRules, errs: FieldError[], depth = 0): void {
  if (!s || typeof s !== 'object' || depth > 64) return;
  const rules = s['x-kubernetes-validations'];
  if (Array.isArray(rules)) {
    const compiled: Compiled[] = [];
    rules.forEach((r, i) => {
      const rp = `${path}.x-kubernetes-validations[${i}]`;
      if (!r || typeof r.rule !== 'string' || !r.rule.trim()) { errs.push(field.required(`${rp}.rule`, '')); return; }
      const c = compileRule(r.rule, listBound(s));
      if ('error' in c) { errs.push(field.invalid(`${rp}.rule`, r.rule, c.error)); return; }
      let message: CelProgram | undefined;
      if (r.messageExpression) {
        const m = compileRule(r.messageExpression, listBound(s));
        if ('error' in m) { errs.push(field.invalid(`${rp}.messageExpression`, r.messageExpression, `messageExpression ${m.error}`)); return; }
        message = m.program;
      }
      if (r.reason && !['FieldValueInvalid', 'FieldValueForbidden', 'FieldValueRequired', 'FieldValueDuplicate'].includes(r.reason)) {
        errs.push(field.notSupported(`${rp}.reason`, r.reason, ['FieldValueDuplicate', 'FieldValueForbidden', 'FieldValueInvalid', 'FieldValueRequired']));
      }
      compiled.push({ rule: r, program: c.program, message, transition: /\boldSelf\b/.test(r.rule) });
    });
    out.set(s, compiled);
  }
  for (const [k, p] of Object.entries(s.properties ?? {})) compileRules(p, `${path}.properties[${k}]`, out, errs, depth + 1);
  if (s.items) compileRules(s.items, `${path}.items`, out, errs, depth + 1);
  if (isObject(s.additionalProperties)) compileRules(s.additionalProperties as JSONSchemaProps, `${path}.additionalProperties`, out, errs, depth + 1);
}

const CEL_RESERVED = new Set(['true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if', 'import',
  'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while']);

/** How a property name is spelled in CEL (Kubernetes' escaping: `__namespace__`, `__dash__`, `__dot__` …). */
export function celPropertyName(k: string): string {
  if (CEL_RESERVED.has(k)) return `__${k}__`;
  return k.replace(/__/g, '__underscores__').replace(/\./g, '__dot__').replace(/-/g, '__dash__').replace(/\//g, '__slash__');
}

/** The CEL form of a JSON value: integers of integer fields as int (bigint), objects as maps. */
export function toCel(v: unknown, s: JSONSchemaProps | undefined): CelInput {
  if (Array.isArray(v)) return v.map((x) => toCel(x, s?.items));
  if (isObject(v)) {
    const m = new Map<string, CelInput>();
    const isMap = !s?.properties && isObject(s?.additionalProperties);
    for (const [k, x] of Object.entries(v)) {
      const sub = s?.properties?.[k] ?? (isObject(s?.additionalProperties) ? s.additionalProperties as JSONSchemaProps : undefined);
      m.set(isMap ? k : celPropertyName(k), toCel(x, sub));
    }
    return m;
  }
  if (typeof v === 'number' && Number.isInteger(v) && (!s || s.type !== 'number')) return BigInt(v);
  return v as CelInput;
}

function report(c: Compiled, s: JSONSchemaProps, path: string, vars: Record<string, CelInput>): FieldError {
  let msg = c.rule.message || `failed rule: ${c.rule.rule}`;
  if (c.message) {
    const m = c.message(vars);
    if (typeof m === 'string' && m.trim()) msg = m;
  }
  const where = c.rule.fieldPath ? `${path}${c.rule.fieldPath.startsWith('.') || c.rule.fieldPath.startsWith('[') ? '' : '.'}${c.rule.fieldPath}` : path;
  const type = s.type || 'object';
  switch (c.rule.reason) {
    case 'FieldValueForbidden': return field.forbidden(where, msg);
    case 'FieldValueRequired': return field.required(where, msg);
    case 'FieldValueDuplicate': return field.duplicate(where, type);
    default: return field.invalid(where, type, msg);
  }
}

function oldItem(old: unknown, item: unknown, s: JSONSchemaProps, i: number): unknown {
  if (!Array.isArray(old) || s['x-kubernetes-list-type'] !== 'map' || !isObject(item)) return undefined;
  const keys = s['x-kubernetes-list-map-keys'] ?? [];
  void i;
  return old.find((o) => isObject(o) && keys.every((k) => JSON.stringify(o[k]) === JSON.stringify(item[k])));
}

/** Evaluates the rules over `v` (and `old` on updates); returns the failures. */
export function evaluateRules(v: unknown, old: unknown, s: JSONSchemaProps | undefined, path: string, rules: CompiledRules, errs: FieldError[] = []): FieldError[] {
  if (!s || v === undefined || v === null) return errs;
  const own = rules.get(s);
  if (own?.length) {
    const vars: Record<string, CelInput> = { self: toCel(v, s) };
    if (old !== undefined && old !== null) vars['oldSelf'] = toCel(old, s);
    for (const c of own) {
      if (c.transition && !('oldSelf' in vars)) continue;
      const r: CelValue | Error = c.program(vars);
      if (r instanceof Error) errs.push(field.invalid(path, s.type || 'object', r.message));
      else if (r !== true) errs.push(report(c, s, path, vars));
    }
  }
  if (Array.isArray(v)) v.forEach((x, i) => evaluateRules(x, oldItem(old, x, s, i), s.items, childPath(path, i), rules, errs));
  else if (isObject(v)) {
    for (const [k, x] of Object.entries(v)) {
      const sub = s.properties?.[k] ?? (isObject(s.additionalProperties) ? s.additionalProperties as JSONSchemaProps : undefined);
      evaluateRules(x, isObject(old) ? old[k] : undefined, sub, childPath(path, k), rules, errs);
    }
  }
  return errs;
}
