/**
 * A webhook's matchConditions, evaluated with CEL over `object`, `oldObject` and `request`, as
 * k8s.io/apiserver's matchconditions matcher: any false skips the webhook; an error (with none
 * false) fails the request under failurePolicy Fail and skips the webhook under Ignore. The
 * expressions are compiled once per configuration generation (`ConditionsCache`), refused at
 * configuration write time when their estimated cost is too high, and run within the request's
 * CEL budget (src/apiextensions/cel-cost.ts). The `authorizer` variable is not provided: an
 * expression using it is an evaluation error.
 */
import { CelBudget } from '../../apiextensions/cel-cost.js';
import { conditionCostCheck } from '../../apiextensions/cel-estimate.js';
import { CelCostError, compileRule, type CelProgram } from '../../apiextensions/cel.js';
import type { CelInput } from '@bufbuild/cel';
import type { MatchCondition } from '../../api/kinds/webhook-schema.js';
import type { KObject } from '../../api/meta.js';
import type { AdmissionAttributes } from '../storage/attributes.js';

/** The outcome: call the webhook, skip it, or an evaluation error. */
export type ConditionsResult = { match: true } | { match: false } | { error: string };

/** One compiled condition (or why it does not compile). */
export type CompiledCondition = { name: string; program: CelProgram } | { name: string; error: string };

/** cel-go's message when an expression's actual cost passes its limit. */
const COST_LIMIT_EXCEEDED = 'operation cancelled: actual cost limit exceeded';

/** Compiles a webhook's conditions. */
export function compileConditions(conds: MatchCondition[] | undefined): CompiledCondition[] {
  return (conds ?? []).map((c) => {
    const r = compileRule(c.expression ?? '', conditionCostCheck);
    return 'error' in r ? { name: c.name, error: r.error } : { name: c.name, program: r.program };
  });
}

/** Compiled conditions by configuration generation (uid and resourceVersion), pruned to the live ones. */
export class ConditionsCache {
  private byGeneration = new Map<string, CompiledCondition[][]>();

  /** The compiled conditions of every webhook of a configuration at one generation. */
  get(generation: string, conds: (MatchCondition[] | undefined)[]): CompiledCondition[][] {
    let c = this.byGeneration.get(generation);
    if (!c) { c = conds.map(compileConditions); this.byGeneration.set(generation, c); }
    return c;
  }

  /** Forgets every generation not in `live`. */
  prune(live: Set<string>): void {
    for (const k of this.byGeneration.keys()) if (!live.has(k)) this.byGeneration.delete(k);
  }
}

/** JSON to CEL values: objects become maps and whole numbers ints. */
export function toCel(v: unknown): CelInput {
  if (Array.isArray(v)) return v.map(toCel);
  if (v && typeof v === 'object') return new Map(Object.entries(v).map(([k, x]) => [k, toCel(x)]));
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  return v as CelInput;
}

/** The `request` variable: admission.k8s.io/v1 AdmissionRequest fields. */
export function requestOf(a: AdmissionAttributes): unknown {
  const gvk = { group: a.def.group, version: a.def.version, kind: a.def.kind };
  const gvr = { group: a.def.group, version: a.def.version, resource: a.def.plural };
  return {
    kind: gvk, resource: gvr, subResource: a.subresource, requestKind: gvk, requestResource: gvr, requestSubResource: a.subresource,
    name: a.name, namespace: a.namespace, operation: a.operation, userInfo: a.user, dryRun: a.dryRun, options: a.options,
  };
}

/** Evaluates every condition against the request (object: the current version of a mutating chain) within `budget`. */
export function evaluateConditions(conds: CompiledCondition[] | undefined, a: AdmissionAttributes, object: KObject | undefined, budget = new CelBudget()): ConditionsResult {
  if (!conds?.length) return { match: true };
  const vars = { object: toCel(object ?? null), oldObject: toCel(a.oldObject ?? null), request: toCel(requestOf(a)) };
  const errs: string[] = [];
  for (const c of conds) {
    if ('error' in c) { errs.push(`matchConditions[${c.name}]: ${c.error}`); continue; }
    const v = c.program(vars, budget);
    if (v === false) return { match: false };
    if (v instanceof CelCostError) errs.push(`matchConditions[${c.name}]: ${v.exhausted ? v.message : COST_LIMIT_EXCEEDED}`);
    else if (v instanceof Error) errs.push(`matchConditions[${c.name}]: ${v.message}`);
    else if (v !== true) errs.push(`matchConditions[${c.name}]: expression must evaluate to a bool`);
  }
  return errs.length ? { error: errs.join(', ') } : { match: true };
}
