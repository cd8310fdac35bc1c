/**
 * The label selector string parser (labels.Parse): the same grammar, the same error
 * messages, requirements sorted by key.
 */
import type { Operator, Requirement } from './labels.js';
import { formatFieldError, field } from './errors.js';
import { isQualifiedName, isValidLabelValue } from './validation/names.js';

type Tok = 'err' | 'eos' | ')' | ',' | '!' | '==' | '=' | '>' | 'id' | 'in' | '<' | '!=' | 'notin' | '(';
interface Item { tok: Tok; lit: string }

const literalTokens: Record<string, Tok> = {
  ')': ')', ',': ',', '!': '!', '==': '==', '=': '=', '>': '>', in: 'in', '<': '<', '!=': '!=', notin: 'notin', '(': '(',
};
const binaryOperators = 'in, notin, =, ==, !=, gt, lt';
const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isSpecial = (c: string) => '=!(),><'.includes(c);

function lex(s: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  for (;;) {
    while (pos < s.length && isSpace(s[pos] as string)) pos++;
    if (pos >= s.length) { items.push({ tok: 'eos', lit: '' }); return items; }
    if (isSpecial(s[pos] as string)) {
      let buf = '';
      let last: Item | undefined;
      while (pos < s.length && isSpecial(s[pos] as string)) {
        buf += s[pos];
        const t = literalTokens[buf];
        if (t) last = { tok: t, lit: buf };
        else if (last) break;
        pos++;
      }
      items.push(last ?? { tok: 'err', lit: `error expected: keyword found '${buf}'` });
    } else {
      let buf = '';
      while (pos < s.length && !isSpecial(s[pos] as string) && !isSpace(s[pos] as string)) buf += s[pos++];
      items.push({ tok: literalTokens[buf] ?? 'id', lit: buf });
    }
  }
}

class Fail extends Error {}

/** Parses a `labelSelector` query value into requirements; throws Error with Kubernetes' message. */
export function parseLabelSelectorString(selector: string): Requirement[] {
  const items = lex(selector);
  let p = 0;
  // In a values context, `in` and `notin` are plain identifiers.
  const look = (values: boolean): Item => {
    const it = items[Math.min(p, items.length - 1)] as Item;
    return values && (it.tok === 'in' || it.tok === 'notin') ? { tok: 'id', lit: it.lit } : it;
  };
  const next = (values: boolean): Item => { const it = look(values); p++; return it; };

  const keyError = (key: string): string | undefined => {
    const msgs = isQualifiedName(key);
    return msgs.length ? formatFieldError(field.invalid('<nil>', key, msgs.join('; '))) : undefined;
  };

  const parseValues = (): string[] => {
    const open = next(true);
    if (open.tok !== '(') throw new Fail(`found '${open.lit}' expected: '('`);
    const first = look(true);
    if (first.tok === ')') { p++; return ['']; }
    if (first.tok !== 'id' && first.tok !== ',') throw new Fail(`found '${first.lit}', expected: ',', ')' or identifier`);
    const set = new Set<string>();
    for (;;) {
      const it = next(true);
      if (it.tok === 'id') {
        set.add(it.lit);
        const n = look(true);
        if (n.tok === ',') continue;
        if (n.tok === ')') break;
        throw new Fail(`found '${n.lit}', expected: ',' or ')'`);
      } else if (it.tok === ',') {
        if (set.size === 0) set.add('');
        const n = look(true);
        if (n.tok === ')') { set.add(''); break; }
        if (n.tok === ',') set.add('');
      } else {
        throw new Fail(`found '${it.lit}', expected: ',', or identifier`);
      }
    }
    if (next(true).tok !== ')') throw new Fail(`found '${first.lit}', expected: ')'`);
    return [...set];
  };

  const parseRequirement = (): Requirement => {
    let it = next(true);
    let op: Operator | undefined;
    if (it.tok === '!') { op = '!'; it = next(true); }
    if (it.tok !== 'id') throw new Fail(`found '${it.lit}', expected: identifier`);
    const key = it.lit;
    const kerr = keyError(key);
    if (kerr) throw new Fail(kerr);
    const after = look(true).tok;
    if (after === 'eos' || after === ',') return { key, operator: op ?? 'exists', values: [] };
    if (op === '!') return { key, operator: '!', values: [] };
    const o = next(false);
    const ops: Partial<Record<Tok, Operator>> = { in: 'in', '=': '=', '==': '==', '>': 'gt', '<': 'lt', notin: 'notin', '!=': '!=' };
    const operator = ops[o.tok];
    if (!operator) throw new Fail(`found '${o.lit}', expected: ${binaryOperators}`);
    let values: string[];
    if (operator === 'in' || operator === 'notin') values = parseValues();
    else {
      const v = look(true);
      if (v.tok === 'eos' || v.tok === ',') values = [''];
      else { p++; if (v.tok !== 'id') throw new Fail(`found '${v.lit}', expected: identifier`); values = [v.lit]; }
    }
    values.sort();
    return newRequirement(key, operator, values);
  };

  const reqs: Requirement[] = [];
  try {
    for (;;) {
      const it = look(true);
      if (it.tok === 'eos') break;
      if (it.tok !== 'id' && it.tok !== '!') throw new Fail(`found '${it.lit}', expected: !, identifier, or 'end of string'`);
      try { reqs.push(parseRequirement()); } catch (e) {
        if (e instanceof Fail) throw new Fail(`unable to parse requirement: ${e.message}`);
        throw e;
      }
      const t = next(true);
      if (t.tok === 'eos') break;
      if (t.tok !== ',') throw new Fail(`found '${t.lit}', expected: ',' or 'end of string'`);
      const n = look(true);
      if (n.tok !== 'id' && n.tok !== '!') throw new Fail(`found '${n.lit}', expected: identifier after ','`);
    }
  } catch (e) {
    if (e instanceof Fail) throw new Error(e.message);
    throw e;
  }
  return reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** NewRequirement's checks on operator arity and label values (the key is already valid). */
function newRequirement(key: string, operator: Operator, values: string[]): Requirement {
  const errs: string[] = [];
  if (operator === 'gt' || operator === 'lt') {
    values.forEach((v, i) => {
      if (!/^[-+]?\d+$/.test(v)) errs.push(formatFieldError(field.invalid(`values[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer")));
    });
  }
  values.forEach((v, i) => {
    const msgs = isValidLabelValue(v);
    if (msgs.length) errs.push(formatFieldError(field.invalid(`values[${i}][${key}]`, v, msgs.join('; '))));
  });
  if (errs.length === 1) throw new Fail(errs[0]);
  if (errs.length > 1) throw new Fail(`[${errs.join(', ')}]`);
  return { key, operator, values };
}
