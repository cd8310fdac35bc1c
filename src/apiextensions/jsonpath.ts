/**
 * The JSONPath subset of `additionalPrinterColumns` (k8s.io/client-go/util/jsonpath as the API
 * server uses it): `.a.b`, `.a[0]`, `.a[*].b`, `['key']`, and filters `[?(@.type=="Ready")]`.
 */
import { isObject } from './types.js';

type Step = { kind: 'field'; name: string } | { kind: 'index'; index: number } | { kind: 'all' }
  | { kind: 'filter'; path: Step[]; op: '==' | '!=' | 'exists'; value?: unknown };

/** Parses a path; throws on syntax it does not support. */
export function parseJSONPath(expr: string): Step[] {
  let p = expr.trim();
  if (p.startsWith('{') && p.endsWith('}')) p = p.slice(1, -1);
  if (p.startsWith('$')) p = p.slice(1);
  if (p.startsWith('@')) p = p.slice(1);
  const steps: Step[] = [];
  let i = 0;
  while (i < p.length) {
    const c = p[i];
    if (c === '.') {
      let j = i + 1;
      while (j < p.length && p[j] !== '.' && p[j] !== '[') j++;
      const name = p.slice(i + 1, j);
      if (name === '*') steps.push({ kind: 'all' });
      else if (name) steps.push({ kind: 'field', name });
      i = j;
    } else if (c === '[') {
      const end = closing(p, i);
      const inner = p.slice(i + 1, end).trim();
      i = end + 1;
      if (inner === '*') steps.push({ kind: 'all' });
      else if (/^-?\d+$/.test(inner)) steps.push({ kind: 'index', index: Number(inner) });
      else if (/^'.*'$|^".*"$/.test(inner)) steps.push({ kind: 'field', name: inner.slice(1, -1) });
      else if (inner.startsWith('?(') && inner.endsWith(')')) steps.push(parseFilter(inner.slice(2, -1)));
      else throw new Error(`unrecognized character in action: ${inner}`);
    } else throw new Error(`unrecognized identifier ${p.slice(i)}`);
  }
  return steps;
}

function closing(p: string, open: number): number {
  let depth = 0, quote = '';
  for (let i = open; i < p.length; i++) {
    const c = p[i]!;
    if (quote) { if (c === quote) quote = ''; continue; }
    if (c === '"' || c === "'") quote = c;
    else if (c === '[') depth++;
    else if (c === ']' && --depth === 0) return i;
  }
  throw new Error('unclosed array expect ]');
}

function parseFilter(f: string): Step {
  const m = /^(@[^=!]*?)\s*(==|!=)\s*(.+)$/.exec(f.trim());
  if (!m) return { kind: 'filter', path: parseJSONPath(f.trim()), op: 'exists' };
  const raw = m[3]!.trim();
  let value: unknown = raw;
  if (/^".*"$|^'.*'$/.test(raw)) value = raw.slice(1, -1);
  else if (/^-?\d+(\.\d+)?$/.test(raw)) value = Number(raw);
  else if (raw === 'true' || raw === 'false') value = raw === 'true';
  return { kind: 'filter', path: parseJSONPath(m[1]!), op: m[2] as '==' | '!=', value };
}

/** Every value the path selects in `obj`. */
export function evalJSONPath(steps: Step[], obj: unknown): unknown[] {
  let cur: unknown[] = [obj];
  for (const s of steps) {
    const next: unknown[] = [];
    for (const v of cur) {
      if (s.kind === 'field') { if (isObject(v) && v[s.name] !== undefined) next.push(v[s.name]); }
      else if (s.kind === 'index') { if (Array.isArray(v)) { const x = v[s.index < 0 ? v.length + s.index : s.index]; if (x !== undefined) next.push(x); } }
      else if (s.kind === 'all') { if (Array.isArray(v)) next.push(...v); else if (isObject(v)) next.push(...Object.values(v)); }
      else {
        const list = Array.isArray(v) ? v : [v];
        for (const item of list) {
          const found = evalJSONPath(s.path, item);
          if (s.op === 'exists' ? found.length > 0 : found.some((x) => (x === s.value) === (s.op === '=='))) next.push(item);
        }
      }
    }
    cur = next;
  }
  return cur;
}
