/**
 * A part of Kubernetes' CEL libraries (k8s.io/apiserver/pkg/cel/library) for @bufbuild/cel:
 * lists (isSorted, sum, min, max, indexOf, lastIndexOf), regex (find, findAll, with re2js) and
 * the string predicates isURL, isIP, isCIDR and isQuantity.
 */
import { celFunc, celMethod, CelScalar, listType, type CelFunc, type CelValue } from '@bufbuild/cel';
import { isIP } from 'node:net';
import { RE2JS } from 're2js';
import { quantityError } from '../api/structural.js';

const DYN_LIST = listType(CelScalar.DYN);

function cmp(a: CelValue, b: CelValue): number {
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) {
    return a < b ? -1 : a > b ? 1 : 0;
  }
  throw new Error('no such overload');
}

function items(l: Iterable<CelValue>): CelValue[] {
  return [...l];
}

function extreme(l: Iterable<CelValue>, sign: number): CelValue {
  const xs = items(l);
  if (xs.length === 0) throw new Error(sign < 0 ? 'min called on empty list' : 'max called on empty list');
  return xs.reduce((m, x) => (cmp(x, m) * sign > 0 ? x : m));
}

function isCIDR(s: string): boolean {
  const i = s.indexOf('/');
  if (i < 0) return false;
  const ip = s.slice(0, i), bits = s.slice(i + 1);
  const fam = isIP(ip);
  if (!fam || !/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (fam === 4 ? 32 : 128);
}

function isURL(s: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(s) && !s.startsWith('/')) return false;
  try { new URL(s, 'http://base.invalid'); return true; } catch { return false; }
}

/** The Kubernetes CEL functions knet provides (regexes compile with re2js, linear in time). */
export function kubernetesFuncs(): CelFunc[] {
  const { STRING, INT, BOOL, DYN } = CelScalar;
  const find = (s: string, p: string, limit: number): string[] => {
    const it = RE2JS.compile(p).matcher(s);
    const out: string[] = [];
    while ((limit < 0 || out.length < limit) && it.find()) out.push(it.group() ?? '');
    return out;
  };
  return [
    celMethod('isSorted', DYN_LIST, [], BOOL, function () {
      const xs = items(this);
      for (let i = 1; i < xs.length; i++) if (cmp(xs[i - 1]!, xs[i]!) > 0) return false;
      return true;
    }),
    celMethod('sum', DYN_LIST, [], DYN, function () {
      const xs = items(this);
      if (xs.length === 0) return 0n;
      if (xs.every((x) => typeof x === 'bigint')) return (xs as bigint[]).reduce((a, b) => a + b, 0n);
      return xs.reduce<number>((a, b) => a + Number(b), 0);
    }),
    celMethod('min', DYN_LIST, [], DYN, function () { return extreme(this, -1) as never; }),
    celMethod('max', DYN_LIST, [], DYN, function () { return extreme(this, 1) as never; }),
    celMethod('indexOf', DYN_LIST, [DYN], INT, function (x) { return BigInt(items(this).findIndex((y) => cmpEq(x, y))); }),
    celMethod('lastIndexOf', DYN_LIST, [DYN], INT, function (x) {
      const xs = items(this);
      for (let i = xs.length - 1; i >= 0; i--) if (cmpEq(x, xs[i]!)) return BigInt(i);
      return -1n;
    }),
    celMethod('find', STRING, [STRING], STRING, function (p) { return find(this, p, 1)[0] ?? ''; }),
    // The global form of the standard `matches` (CEL spec: matches(string, string) -> bool), used by e.g. Gateway API's safe-upgrades policy.
    celFunc('matches', [STRING, STRING], BOOL, (s, p) => RE2JS.compile(p).matcher(s).find()),
    celMethod('findAll', STRING, [STRING], listType(STRING), function (p) { return find(this, p, -1); }),
    celMethod('findAll', STRING, [STRING, INT], listType(STRING), function (p, n) { return find(this, p, Number(n)); }),
    celFunc('isURL', [STRING], BOOL, (s) => isURL(s)),
    celFunc('isIP', [STRING], BOOL, (s) => isIP(s) !== 0),
    celFunc('isCIDR', [STRING], BOOL, (s) => isCIDR(s)),
    celFunc('isQuantity', [STRING], BOOL, (s) => quantityError(s) === undefined),
  ];
}

function cmpEq(a: CelValue, b: CelValue): boolean {
  try { return cmp(a, b) === 0; } catch { return a === b; }
}
