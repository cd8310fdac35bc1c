/**
 * CEL cost limits shared by CRD validation rules and webhook matchConditions, after
 * k8s.io/apiserver's celconfig: a runtime cost is counted while an expression runs (every
 * comprehension iteration costs the size of its loop body), a call over PerCallLimit fails with
 * `call cost exceeds limit for rule`, and one request's expressions share RuntimeCELCostBudget.
 * knet also caps the wall-clock time one request spends in CEL, so a write never blocks the
 * event loop for long.
 */
import { celFunc, CelScalar, type CelFunc } from '@bufbuild/cel';

/** celconfig.PerCallLimit: the runtime cost one expression may use. */
export const PER_CALL_LIMIT = 1_000_000;
/** celconfig.RuntimeCELCostBudget: the runtime cost all expressions of one request may use. */
export const RUNTIME_CEL_COST_BUDGET = 10_000_000;
/** apiextensions' StaticEstimatedCostLimit: the largest estimated cost of one rule. */
export const STATIC_ESTIMATED_COST_LIMIT = 10_000_000;
/** apiextensions' StaticEstimatedCRDCostLimit: the largest estimated cost of all rules of a schema. */
export const STATIC_ESTIMATED_CRD_COST_LIMIT = 100_000_000;
/** The largest request body (3 MiB), from which unbounded sizes are estimated. */
export const MAX_REQUEST_BYTES = 3 * 1024 * 1024;
/** The wall-clock time one request may spend evaluating CEL (knet's own guard). */
export const CEL_TIME_LIMIT_MS = 100;

/** Upstream's message for a rule over the per-call limit. */
export const callCostMessage = (rule: string): string => `call cost exceeds limit for rule: ${rule}`;
/** Upstream's message once a request's budget is used up. */
export const OUT_OF_BUDGET = 'validation failed due to running out of cost budget, no further validation rules will be run';

/** The CEL budget of one request: its remaining cost and its deadline. */
export class CelBudget {
  /** Remaining runtime cost. */
  remaining = RUNTIME_CEL_COST_BUDGET;
  /** When (performance.now()) the request's CEL time is up. */
  readonly deadline: number;
  /** Set once the budget is used up: later expressions are not run. */
  exhausted = false;
  constructor(timeLimitMs = CEL_TIME_LIMIT_MS) { this.deadline = performance.now() + timeLimitMs; }
}

/** Why an evaluation was cut off. */
export type CostOutcome = 'ok' | 'call-limit' | 'budget';

/** The meter of one compiled expression: the budget of the request it runs in and the cost so far. */
export interface CostMeter { budget: CelBudget; used: number; cut: CostOutcome; perCall: number }

/** The name of the metering function the instrumented expressions call. */
const METER_FN = '__knet_cost';

/** A metering function bound to `meter`: adds `weight` and fails the loop once a limit is passed. */
export function meterFunc(meter: CostMeter): CelFunc {
  return celFunc(METER_FN, [CelScalar.BOOL, CelScalar.INT], CelScalar.BOOL, (cond, weight) => {
    const w = Number(weight);
    meter.used += w;
    meter.budget.remaining -= w;
    if (meter.cut === 'ok') {
      if (meter.used > meter.perCall) meter.cut = 'call-limit';
      else if (meter.budget.remaining < 0 || performance.now() > meter.budget.deadline) meter.cut = 'budget';
    }
    if (meter.cut !== 'ok') throw new Error('cost limit exceeded');
    return cond;
  });
}

type Node = Record<string, unknown>;

/** The number of expression nodes under `node` (the cost of evaluating it once, roughly as upstream counts). */
export function nodeCount(node: unknown): number {
  if (!node || typeof node !== 'object') return 0;
  if (Array.isArray(node)) return node.reduce((n: number, x) => n + nodeCount(x), 0);
  const n = node as Node;
  let own = n['$typeName'] === 'cel.expr.Expr' ? 1 : 0;
  for (const [k, v] of Object.entries(n)) if (k !== '$typeName' && typeof v === 'object') own += nodeCount(v);
  return own;
}

/**
 * Rewrites a parsed expression in place so that every comprehension iteration calls the meter with
 * the cost of its loop body (`loopCondition` becomes `__knet_cost(loopCondition, weight)`).
 */
export function instrument(node: unknown): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) { node.forEach(instrument); return; }
  const n = node as Node;
  for (const [k, v] of Object.entries(n)) if (k !== '$typeName' && typeof v === 'object') instrument(v);
  const kind = n['exprKind'] as { case?: string; value?: Node } | undefined;
  if (kind?.case !== 'comprehensionExpr' || !kind.value) return;
  const c = kind.value;
  const weight = 1 + nodeCount(c['loopCondition']) + nodeCount(c['loopStep']);
  const id = n['id'];
  c['loopCondition'] = {
    $typeName: 'cel.expr.Expr', id,
    exprKind: { case: 'callExpr', value: { $typeName: 'cel.expr.Expr.Call', function: METER_FN, args: [
      c['loopCondition'],
      { $typeName: 'cel.expr.Expr', id, exprKind: { case: 'constExpr', value: { $typeName: 'cel.expr.Constant', constantKind: { case: 'int64Value', value: BigInt(weight) } } } },
    ] } },
  };
}

/** Upstream's cost error at write time (getCostErrorMessage). */
export function costErrorMessage(what: string, cost: number, limit: number): string {
  const f = cost / limit;
  const factor = f > 100 ? 'more than 100x' : f < 1.5 ? `${f.toFixed(6)}x` : `${f.toFixed(1)}x`;
  return `${what} exceeds budget by factor of ${factor} (try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)`;
}
