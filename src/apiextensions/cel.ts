/**
 * CEL for `x-kubernetes-validations`, on @bufbuild/cel: rules are parsed and planned once per
 * CRD (a rule that does not parse is reported as upstream does at CRD write time, `compilation
 * failed: …`), with a linear-time regex engine (re2js), the strings extension and a part of
 * Kubernetes' CEL libraries (lists, regex, url, ip). Cost is bounded statically: a rule whose
 * nested comprehensions over lists without `maxItems` could exceed the budget is refused, as
 * apiextensions-apiserver refuses rules whose estimated cost exceeds the per-call limit.
 */
import { celEnv, celFunc, celMethod, CelScalar, isCelError, listType, parse, plan, type CelEnv, type CelInput, type CelValue } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { RE2JS } from 're2js';
import { kubernetesFuncs } from './cel-lib.js';

/** A planned rule: evaluates with `self` (and `oldSelf` for transition rules). */
export type CelProgram = (vars: Record<string, CelInput>) => CelValue | Error;

const re2 = { compile: (pattern: string) => { const r = RE2JS.compile(pattern); return { test: (s: string) => r.matcher(s).find() }; } };

/** One CEL environment per process is safe: it holds only immutable function tables. */
function makeEnv(): CelEnv {
  return celEnv({ funcs: [...strings, ...kubernetesFuncs()], re2 });
}
const ENV = makeEnv();

/** apiextensions' per-expression cost limit (celconfig.PerCallLimit). */
export const PER_CALL_LIMIT = 1_000_000;
/** The largest list a 3 MiB request can hold when its elements are as small as possible (e.g. `1,`). */
export const UNBOUNDED_LIST = Math.floor((3 * 1024 * 1024) / 2);

/** Parses and plans `rule`; returns the program, or the message of the compilation failure. */
export function compileRule(rule: string, listBound: number): { program: CelProgram; depth: number } | { error: string } {
  let parsed;
  try {
    parsed = parse(rule);
  } catch (e) {
    return { error: `compilation failed: ERROR: ${(e as Error).message}` };
  }
  const depth = comprehensionDepth(parsed.expr);
  const cost = Math.pow(Math.max(listBound, 1), depth);
  if (depth > 0 && cost > PER_CALL_LIMIT * 10) {
    return { error: `estimated rule cost exceeds budget by factor of ${(cost / (PER_CALL_LIMIT * 10)).toPrecision(3)}x (try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)` };
  }
  let run: (ctx?: Record<string, CelInput>) => unknown;
  try {
    run = plan(ENV, parsed) as (ctx?: Record<string, CelInput>) => unknown;
  } catch (e) {
    return { error: `compilation failed: ERROR: ${(e as Error).message}` };
  }
  const program: CelProgram = (vars) => {
    try {
      const r = run(vars);
      if (isCelError(r)) return new Error(r.message);
      return r as CelValue;
    } catch (e) {
      return e instanceof Error ? e : new Error(String(e));
    }
  };
  return { program, depth };
}

/** The deepest nesting of comprehensions (all, exists, map, filter …) in a parsed expression. */
function comprehensionDepth(node: unknown): number {
  if (!node || typeof node !== 'object') return 0;
  if (Array.isArray(node)) return Math.max(0, ...node.map(comprehensionDepth));
  const n = node as Record<string, unknown>;
  const kind = n['exprKind'] as { case?: string; value?: unknown } | undefined;
  let own = 0;
  if (kind?.case === 'comprehensionExpr') own = 1;
  let inner = 0;
  for (const [k, v] of Object.entries(n)) {
    if (k === '$typeName' || typeof v !== 'object') continue;
    inner = Math.max(inner, comprehensionDepth(v));
  }
  return own + inner;
}

/** Whether a CEL result is the boolean `true`. */
export function isTrue(v: CelValue | Error): boolean {
  return v === true;
}

export { celFunc, celMethod, CelScalar, listType };
