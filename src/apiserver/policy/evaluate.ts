/**
 * Evaluation of a compiled ValidatingAdmissionPolicy for one request, as k8s.io/apiserver's
 * validating policy evaluator: matchConditions (any false skips the policy), then variables, then
 * each validation with `object`, `oldObject`, `request`, `params`, `namespaceObject` and
 * `variables`. Evaluation errors are failures under failurePolicy Fail and ignored under Ignore.
 */
import type { CelInput } from '@bufbuild/cel';
import type { KObject } from '../../api/meta.js';
import type { AdmissionAttributes } from '../storage/attributes.js';
import type { Compiled, CompiledPolicy } from './compile.js';
import { CelBudget } from '../../apiextensions/cel-cost.js';
import { requestOf, toCel } from '../webhooks/conditions.js';

/** A failed validation: its message and reason (Invalid unless the validation says otherwise). */
export interface PolicyFailure { message: string; reason: string }

/** The outcome: nothing to report, or the failures in validation order. */
export type PolicyResult = { skipped: true } | { failures: PolicyFailure[] };

function run(c: Compiled, vars: Record<string, unknown>, budget: CelBudget): unknown {
  if ('error' in c) return new Error(c.error);
  return c.program(vars as Record<string, CelInput>, budget);
}

/** Evaluates the policy; `namespaceObject` is the request's namespace (undefined for cluster-scoped requests). */
export function evaluatePolicy(p: CompiledPolicy, a: AdmissionAttributes, namespaceObject: KObject | undefined, budget = new CelBudget()): PolicyResult {
  const fail = (message: string): PolicyResult => (p.failurePolicy === 'Fail' ? { failures: [{ message, reason: 'Invalid' }] } : { skipped: true });
  if (p.paramKind) return fail('policy with paramKind: params are not supported by knet');
  const vars: Record<string, unknown> = {
    object: toCel(a.object ?? null), oldObject: toCel(a.oldObject ?? null), request: toCel(requestOf(a)),
    params: null, namespaceObject: toCel(namespaceObject ?? null),
  };
  const condErrors: string[] = [];
  for (const c of p.matchConditions) {
    const v = run(c.check, vars, budget);
    if (v === false) return { skipped: true };
    if (v !== true) condErrors.push(`matchConditions[${c.name}]: ${v instanceof Error ? v.message : 'expression must evaluate to a bool'}`);
  }
  if (condErrors.length) return fail(`failed to evaluate match conditions: ${condErrors.join(', ')}`);
  const variables = new Map<string, unknown>();
  vars['variables'] = variables;
  for (const v of p.variables) {
    const r = run(v.check, vars, budget);
    if (!(r instanceof Error)) variables.set(v.name, r);
  }
  const failures: PolicyFailure[] = [];
  for (const v of p.validations) {
    const r = run(v.check, vars, budget);
    if (r === true) continue;
    if (r !== false) {
      const why = r instanceof Error ? r.message : `expression '${v.expression}' resulted in a non-bool value`;
      if (p.failurePolicy === 'Fail') failures.push({ message: `expression '${v.expression}' resulted in error: ${why}`, reason: 'Invalid' });
      continue;
    }
    failures.push({ message: messageOf(v, vars, budget), reason: v.reason ?? 'Invalid' });
  }
  return { failures };
}

/** The messageExpression's string when it yields a non-empty single line, else the message, else `failed expression: …`. */
function messageOf(v: CompiledPolicy['validations'][number], vars: Record<string, unknown>, budget: CelBudget): string {
  if (v.messageExpression) {
    const m = run(v.messageExpression, vars, budget);
    if (typeof m === 'string' && m.trim() && !m.includes('\n')) return m;
  }
  return v.message?.trim() ? v.message : `failed expression: ${v.expression.trim()}`;
}
