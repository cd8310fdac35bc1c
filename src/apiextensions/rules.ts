/**
 * `x-kubernetes-validations`: compiling a schema's CEL rules (with upstream's error paths, e.g.
 * `spec.versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule`)
 * and evaluating them over an object, with `oldSelf` bound for transition rules on updates.
 */
import type { CelInput, CelValue } from '@bufbuild/cel';
import { field, type FieldError } from '../api/errors.js';
import { callCostMessage, CelBudget, costErrorMessage, STATIC_ESTIMATED_COST_LIMIT } from './cel-cost.js';
import { estimateCost, sizeBound } from './cel-estimate.js';
import { CelCostError, compileRule, type CelProgram } from './cel.js';
import { childPath, isObject, type JSONSchemaProps, type ValidationRule } from './types.js';

interface Compiled { rule: ValidationRule; program: CelProgram; message?: CelProgram; transition: boolean }

/** The compiled rules of one schema, by schema node. */
export type CompiledRules = WeakMap<JSONSchemaProps, Compiled[]>;

/**
 * A check refusing an expression on `s` whose estimated cost, times how many times it can run in
 * one object (`cardinality`), exceeds StaticEstimatedCostLimit (upstream's estimate and message).
 */
function costCheck(s: JSONSchemaProps, cardinality: number, what: string): (expr: unknown) => string | undefined {
  return (expr) => {
    const cost = estimateCost(expr, { self: s, oldSelf: s }) * cardinality;
    return cost > STATIC_ESTIMATED_COST_LIMIT ? costErrorMessage(what, cost, STATIC_ESTIMATED_COST_LIMIT) : undefined;
  };
}

/**
 * Compiles every rule under `s`; `path` is the field path of `s` inside the CRD (for error
 * messages), `cardinality` how many values of `s` one object can hold (the product of the sizes
 * of the lists and maps above it).
 */
export function compileRules(s: JSONSchemaProps | undefined, path: string, out: CompiledRules, errs: FieldError[], depth = 0, cardinality = 1): void {
  if (!s || typeof s !== 'object' || depth > 64) return;
  const rules = s['x-kubernetes-validations'];
  if (Array.isArray(rules)) {
    const compiled: Compiled[] = [];
    rules.forEach((r, i) => {
      const rp = `${path}.x-kubernetes-validations[${i}]`;
      if (!r || typeof r.rule !== 'string' || !r.rule.trim()) { errs.push(field.required(`${rp}.rule`, '')); return; }
      const c = compileRule(r.rule, costCheck(s, cardinality, 'estimated rule cost'));
      if ('error' in c) { errs.push(costOrInvalid(`${rp}.rule`, r.rule, c.error)); return; }
      let message: CelProgram | undefined;
      if (r.messageExpression) {
        const m = compileRule(r.messageExpression, costCheck(s, cardinality, 'estimated messageExpression cost'));
        if ('error' in m) {
          errs.push(m.error.startsWith('estimated') ? field.forbidden(`${rp}.messageExpression`, m.error) : field.invalid(`${rp}.messageExpression`, r.messageExpression, `messageExpression ${m.error}`));
          return;
        }
        message = m.program;
      }
      if (r.reason && !['FieldValueInvalid', 'FieldValueForbidden', 'FieldValueRequired', 'FieldValueDuplicate'].includes(r.reason)) {
        errs.push(field.notSupported(`${rp}.reason`, r.reason, ['FieldValueDuplicate', 'FieldValueForbidden', 'FieldValueInvalid', 'FieldValueRequired']));
      }
      compiled.push({ rule: r, program: c.program, message, transition: /\boldSelf\b/.test(r.rule) });
    });
    out.set(s, compiled);
  }
  for (const [k, p] of Object.entries(s.properties ?? {})) compileRules(p, `${path}.properties[${k}]`, out, errs, depth + 1, cardinality);
  const many = Math.min(cardinality * sizeBound(s), Number.MAX_SAFE_INTEGER);
  if (s.items) compileRules(s.items, `${path}.items`, out, errs, depth + 1, many);
  if (isObject(s.additionalProperties)) compileRules(s.additionalProperties as JSONSchemaProps, `${path}.additionalProperties`, out, errs, depth + 1, many);
}

/** A cost refusal is Forbidden (as upstream), any other compilation failure Invalid. */
function costOrInvalid(path: string, rule: string, error: string): FieldError {
  return error.startsWith('estimated') ? field.forbidden(path, error) : field.invalid(path, rule, error);
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

function report(c: Compiled, s: JSONSchemaProps, path: string, vars: Record<string, CelInput>, budget: CelBudget): FieldError {
  let msg = c.rule.message || `failed rule: ${c.rule.rule}`;
  if (c.message) {
    const m = c.message(vars, budget);
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

/**
 * Evaluates the rules over `v` (and `old` on updates) within `budget` (one per request); returns
 * the failures. Once the budget is used up no further rule runs (upstream's message, once).
 */
export function evaluateRules(v: unknown, old: unknown, s: JSONSchemaProps | undefined, path: string, rules: CompiledRules, errs: FieldError[] = [], budget = new CelBudget()): FieldError[] {
  if (!s || v === undefined || v === null || budget.exhausted) return errs;
  const own = rules.get(s);
  if (own?.length) {
    const vars: Record<string, CelInput> = { self: toCel(v, s) };
    if (old !== undefined && old !== null) vars['oldSelf'] = toCel(old, s);
    for (const c of own) {
      if (c.transition && !('oldSelf' in vars)) continue;
      const r: CelValue | Error = c.program(vars, budget);
      if (r instanceof CelCostError && r.exhausted) { errs.push(field.invalid(path, s.type || 'object', r.message)); return errs; }
      // Upstream names the rule by its message when it has one (ruleErrorString).
      if (r instanceof CelCostError) { errs.push(field.invalid(path, s.type || 'object', callCostMessage(c.rule.message?.trim() || c.rule.rule.trim()))); continue; }
      if (r instanceof Error) errs.push(field.invalid(path, s.type || 'object', r.message));
      else if (r !== true) errs.push(report(c, s, path, vars, budget));
    }
  }
  if (Array.isArray(v)) v.forEach((x, i) => evaluateRules(x, oldItem(old, x, s, i), s.items, childPath(path, i), rules, errs, budget));
  else if (isObject(v)) {
    for (const [k, x] of Object.entries(v)) {
      const sub = s.properties?.[k] ?? (isObject(s.additionalProperties) ? s.additionalProperties as JSONSchemaProps : undefined);
      evaluateRules(x, isObject(old) ? old[k] : undefined, sub, childPath(path, k), rules, errs, budget);
    }
  }
  return errs;
}
