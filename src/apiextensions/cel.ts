/**
 * CEL for `x-kubernetes-validations` and webhook matchConditions, on @bufbuild/cel: expressions
 * are parsed and planned once (a rule that does not parse is reported as upstream does at write
 * time, `compilation failed: …`), with a linear-time regex engine (re2js), the strings extension
 * and a part of Kubernetes' CEL libraries (lists, regex, url, ip). Every comprehension iteration
 * is metered (cel-cost.ts), so an expression runs within the per-call limit and the request's budget.
 */
import { celEnv, isCelError, parse, plan, type CelInput, type CelValue } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { RE2JS } from 're2js';
import { kubernetesFuncs } from './cel-lib.js';
import { callCostMessage, instrument, meterFunc, nodeCount, OUT_OF_BUDGET, PER_CALL_LIMIT, type CelBudget, type CostMeter } from './cel-cost.js';

/** A planned expression: evaluates with its variables within `budget` (the request's CEL budget). */
export type CelProgram = (vars: Record<string, CelInput>, budget: CelBudget) => CelValue | Error;

/** An evaluation cut off by a cost limit; `exhausted` when the request's whole budget is used up. */
export class CelCostError extends Error {
  constructor(message: string, readonly exhausted: boolean) { super(message); }
}

const re2 = { compile: (pattern: string) => { const r = RE2JS.compile(pattern); return { test: (s: string) => r.matcher(s).find() }; } };

/**
 * Parses and plans `rule`; `check` sees the parsed expression first and may refuse it (e.g. its
 * estimated cost). Returns the program, or the message of the compilation failure.
 */
export function compileRule(rule: string, check?: (expr: unknown) => string | undefined): { program: CelProgram } | { error: string } {
  let parsed;
  try {
    parsed = parse(rule);
  } catch (e) {
    return { error: `compilation failed: ERROR: ${(e as Error).message}` };
  }
  const refused = check?.(parsed.expr);
  if (refused) return { error: refused };
  const base = nodeCount(parsed.expr);
  instrument(parsed.expr);
  const meter: CostMeter = { budget: undefined as unknown as CelBudget, used: 0, cut: 'ok', perCall: PER_CALL_LIMIT };
  let run: (ctx?: Record<string, CelInput>) => unknown;
  try {
    // One environment per expression: its metering function is bound to this expression's meter.
    run = plan(celEnv({ funcs: [...strings, ...kubernetesFuncs(), meterFunc(meter)], re2 }), parsed) as (ctx?: Record<string, CelInput>) => unknown;
  } catch (e) {
    return { error: `compilation failed: ERROR: ${(e as Error).message}` };
  }
  const program: CelProgram = (vars, budget) => {
    if (budget.exhausted) return new CelCostError(OUT_OF_BUDGET, true);
    Object.assign(meter, { budget, used: base, cut: 'ok' });
    budget.remaining -= base;
    let r: unknown;
    try {
      r = run(vars);
    } catch (e) {
      r = e instanceof Error ? e : new Error(String(e));
    }
    if (meter.cut === 'call-limit') return new CelCostError(callCostMessage(rule), false);
    if (meter.cut === 'budget' || budget.remaining < 0 || performance.now() > budget.deadline) {
      budget.exhausted = true;
      if (meter.cut === 'budget') return new CelCostError(OUT_OF_BUDGET, true);
    }
    if (r instanceof Error) return r;
    if (isCelError(r)) return new Error(r.message);
    return r as CelValue;
  };
  return { program };
}
