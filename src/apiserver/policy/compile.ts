/**
 * A ValidatingAdmissionPolicy compiled once per generation: its matchConditions, variables and
 * validations are planned with the CEL environment of CRD validation rules (src/apiextensions/cel.ts:
 * re2js regexes, Kubernetes' libraries). Without the objects' schemas a static estimate would take
 * every list and map at its worst-case size and refuse ordinary policies (Gateway API's
 * safe-upgrades), so cost is bounded at run time only: each evaluation runs within the request's
 * CEL budget (per-call and per-request limits and a time limit, src/apiextensions/cel-cost.ts);
 * running out is an evaluation error, handled by the failurePolicy.
 */
import { compileRule, type CelProgram } from '../../apiextensions/cel.js';
import type { ValidatingAdmissionPolicy } from '../../api/kinds/validatingadmissionpolicy-schema.js';

/** One compiled expression, or why it cannot run. */
export type Compiled = { program: CelProgram } | { error: string };

/** A compiled validation with its failure message and reason. */
export interface CompiledValidation { expression: string; check: Compiled; message?: string; messageExpression?: Compiled; reason?: string }

/** Everything of a policy that runs at admission time. */
export interface CompiledPolicy {
  generation: number;
  failurePolicy: 'Fail' | 'Ignore';
  paramKind: boolean;
  matchConditions: { name: string; check: Compiled }[];
  variables: { name: string; check: Compiled }[];
  validations: CompiledValidation[];
}

/** Compiles one expression (never throws). */
export function compileExpression(expr: string): Compiled {
  const r = compileRule(expr);
  return 'error' in r ? { error: r.error } : { program: r.program };
}

/** Compiles every expression of a policy. */
export function compilePolicy(p: ValidatingAdmissionPolicy): CompiledPolicy {
  const s = p.spec ?? {};
  return {
    generation: p.metadata.generation ?? 0,
    failurePolicy: s.failurePolicy === 'Ignore' ? 'Ignore' : 'Fail',
    paramKind: s.paramKind !== undefined,
    matchConditions: (s.matchConditions ?? []).map((c) => ({ name: c.name, check: compileExpression(c.expression) })),
    variables: (s.variables ?? []).map((v) => ({ name: v.name, check: compileExpression(v.expression) })),
    validations: (s.validations ?? []).map((v) => ({
      expression: v.expression, check: compileExpression(v.expression), message: v.message, reason: v.reason,
      ...(v.messageExpression ? { messageExpression: compileExpression(v.messageExpression) } : {}),
    })),
  };
}
