/**
 * A static cost estimate of a parsed CEL expression, after apiextensions' estimator: a
 * comprehension costs the size of what it iterates times the cost of its body; sizes come from
 * maxItems / maxProperties / maxLength, or, where unbounded or unknown (no schema,
 * `x-kubernetes-preserve-unknown-fields`), from the most elements a 3 MiB request could hold.
 */
import { costErrorMessage, MAX_REQUEST_BYTES, STATIC_ESTIMATED_COST_LIMIT } from './cel-cost.js';
import { isObject, type JSONSchemaProps } from './types.js';

type Node = Record<string, unknown>;
/** What an estimated subexpression is: its cost, its schema when known, and its size bound. */
interface Est { cost: number; schema?: JSONSchemaProps; size?: number }

/** The variables in scope: their schema (undefined when unknown). */
export type EstimateScope = Record<string, JSONSchemaProps | undefined>;

/** The fewest bytes one JSON value of schema `s` takes. */
function minSize(s: JSONSchemaProps | undefined): number {
  switch (s?.type) {
    case 'string': return 2 + (s.minLength ?? 0);
    case 'boolean': return 4;
    case 'array': case 'object': return 2;
    default: return 1;
  }
}

/** The worst-case number of elements of an unknown list. */
export const WORST_SIZE = Math.floor((MAX_REQUEST_BYTES - 2) / 2);

/** How many elements (items, entries, characters) a value of schema `s` may hold. */
export function sizeBound(s: JSONSchemaProps | undefined): number {
  if (!s || s['x-kubernetes-preserve-unknown-fields'] || !s.type) return WORST_SIZE;
  if (s.type === 'array') return s.maxItems ?? Math.floor((MAX_REQUEST_BYTES - 2) / (minSize(s.items) + 1));
  if (s.type === 'string') return s.maxLength ?? MAX_REQUEST_BYTES - 2;
  if (s.type === 'object' && isObject(s.additionalProperties)) {
    return s.maxProperties ?? Math.floor((MAX_REQUEST_BYTES - 2) / (minSize(s.additionalProperties as JSONSchemaProps) + 4));
  }
  if (s.type === 'object') return Object.keys(s.properties ?? {}).length;
  return 1;
}

function child(s: JSONSchemaProps | undefined, name: string): JSONSchemaProps | undefined {
  if (!s) return undefined;
  const p = s.properties?.[name];
  if (p) return p;
  return isObject(s.additionalProperties) ? s.additionalProperties as JSONSchemaProps : undefined;
}

function elem(s: JSONSchemaProps | undefined): JSONSchemaProps | undefined {
  if (s?.type === 'array') return s.items;
  if (s?.type === 'object' && isObject(s.additionalProperties)) return { type: 'string' }; // a map's keys
  if (s?.type === 'object' && s.properties) return { type: 'string' };
  return undefined;
}

function est(node: unknown, scope: EstimateScope): Est {
  const n = (node ?? {}) as Node;
  const kind = n['exprKind'] as { case?: string; value?: Node } | undefined;
  const v = kind?.value ?? {};
  switch (kind?.case) {
    case 'identExpr': {
      const name = v['name'] as string;
      return { cost: 1, schema: scope[name] };
    }
    case 'selectExpr': {
      const o = est(v['operand'], scope);
      return { cost: o.cost + 1, schema: child(o.schema, v['field'] as string) };
    }
    case 'callExpr': {
      const args = (v['args'] as unknown[] | undefined) ?? [];
      const ests = args.map((a) => est(a, scope));
      const target = v['target'] ? est(v['target'], scope) : undefined;
      const cost = 1 + (target?.cost ?? 0) + ests.reduce((c, e) => c + e.cost, 0);
      if (v['function'] === '_[_]' && ests[0]) return { cost, schema: elem(ests[0].schema) ?? child(ests[0].schema, '') };
      return { cost };
    }
    case 'listExpr': {
      const els = (v['elements'] as unknown[] | undefined) ?? [];
      return { cost: 1 + els.reduce((c: number, e) => c + est(e, scope).cost, 0), size: els.length };
    }
    case 'comprehensionExpr': {
      const range = est(v['iterRange'], scope);
      const size = range.size ?? sizeBound(range.schema);
      const inner: EstimateScope = { ...scope, [v['iterVar'] as string]: elem(range.schema) };
      inner[v['accuVar'] as string] = undefined;
      // The loop condition is the macro's own bookkeeping; the step holds the user's expression.
      const body = est(v['loopStep'], inner).cost + 1;
      const cost = range.cost + est(v['accuInit'], scope).cost + size * body + est(v['result'], inner).cost;
      return { cost, size };
    }
    case 'constExpr': return { cost: 0 };
    default: {
      let cost = 1;
      for (const [k, x] of Object.entries(v)) if (k !== '$typeName' && x && typeof x === 'object' && '$typeName' in x) cost += est(x, scope).cost;
      return { cost };
    }
  }
}

/** The estimated worst-case cost of one evaluation of a parsed expression (`expr`: its root Expr). */
export function estimateCost(expr: unknown, scope: EstimateScope): number {
  return est(expr, scope).cost;
}

/**
 * The write-time cost check of a webhook matchCondition: nothing about object, oldObject or
 * request is bounded, so every list is as large as a request could make it (upstream's worst case).
 */
export function conditionCostCheck(expr: unknown): string | undefined {
  const cost = estimateCost(expr, {});
  return cost > STATIC_ESTIMATED_COST_LIMIT ? costErrorMessage('estimated expression cost', cost, STATIC_ESTIMATED_COST_LIMIT) : undefined;
}
