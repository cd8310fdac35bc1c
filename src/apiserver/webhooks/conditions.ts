/**
 * A webhook's matchConditions, evaluated with CEL (@bufbuild/cel) over `object`, `oldObject` and
 * `request`, as k8s.io/apiserver's matchconditions matcher: any false skips the webhook; an error
 * (with none false) fails the request under failurePolicy Fail and skips the webhook under Ignore.
 * The `authorizer` variable is not provided: an expression using it is an evaluation error.
 */
import { isCelError, run } from '@bufbuild/cel';
import type { MatchCondition } from '../../api/kinds/webhook-schema.js';
import type { KObject } from '../../api/meta.js';
import type { AdmissionAttributes } from '../storage/attributes.js';

/** The outcome: call the webhook, skip it, or an evaluation error. */
export type ConditionsResult = { match: true } | { match: false } | { error: string };

/** JSON to CEL values: objects become maps and whole numbers ints. */
function toCel(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(toCel);
  if (v && typeof v === 'object') return new Map(Object.entries(v).map(([k, x]) => [k, toCel(x)]));
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  return v;
}

function requestOf(a: AdmissionAttributes): unknown {
  const gvk = { group: a.def.group, version: a.def.version, kind: a.def.kind };
  const gvr = { group: a.def.group, version: a.def.version, resource: a.def.plural };
  return {
    kind: gvk, resource: gvr, subResource: a.subresource, requestKind: gvk, requestResource: gvr, requestSubResource: a.subresource,
    name: a.name, namespace: a.namespace, operation: a.operation, userInfo: a.user, dryRun: a.dryRun, options: a.options,
  };
}

/** Evaluates every condition against the request (object: the current version of a mutating chain). */
export function evaluateConditions(conds: MatchCondition[] | undefined, a: AdmissionAttributes, object: KObject | undefined): ConditionsResult {
  if (!conds?.length) return { match: true };
  const vars = { object: toCel(object ?? null), oldObject: toCel(a.oldObject ?? null), request: toCel(requestOf(a)) };
  const errs: string[] = [];
  for (const c of conds) {
    try {
      const v = run(c.expression, vars as never);
      if (v === false) return { match: false };
      if (isCelError(v)) errs.push(`matchConditions[${c.name}]: ${v.message}`);
      else if (v !== true) errs.push(`matchConditions[${c.name}]: expression must evaluate to a bool`);
    } catch (e) {
      errs.push(`matchConditions[${c.name}]: ${(e as Error).message}`);
    }
  }
  return errs.length ? { error: errs.join(', ') } : { match: true };
}
