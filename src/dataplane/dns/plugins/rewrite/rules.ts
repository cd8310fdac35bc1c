/**
 * The rewrite plugin's rules: name rewrites (exact, prefix, suffix, substring, regex with `{n}`
 * groups, matched on the lower-case FQDN with its trailing dot, as CoreDNS matches them), type
 * rewrites and TTL rewrites, plus the response rules (`answer auto`, `answer name`, `answer value`).
 */
import { RE2JS } from 're2js';
import type { Answer } from 'dns-packet';
import type { Directive } from '../../corefile/parse.js';
import { argErr, lineErr, pluginError } from '../../config/setup.js';

/** How a rule's FROM is matched. */
export type MatchType = 'exact' | 'prefix' | 'suffix' | 'substring' | 'regex';

/** A compiled name matcher: the rewritten FQDN, or undefined when the name does not match. */
export type NameMatcher = (fqdn: string) => string | undefined;

const fq = (s: string): string => (s.endsWith('.') ? s : s + '.').toLowerCase();

/** Compiles a regex, reporting CoreDNS's error for a bad pattern. */
export function regex(pattern: string, d: Directive): RE2JS {
  try { return RE2JS.compile(pattern); } catch (e) { throw lineErr('rewrite', d, `invalid regex pattern in a rule: ${pattern}: ${(e as Error).message}`); }
}

/** Expands `{n}` (and `{name}`) references with a match's groups. */
function expand(to: string, re: RE2JS, input: string): string | undefined {
  const m = re.matcher(input);
  if (!m.find()) return undefined;
  return to.replace(/\{(\w+)\}/g, (_s, g: string) => (/^\d+$/.test(g) ? m.group(Number(g)) : m.group(g)) ?? '');
}

/** Builds a name matcher for a match type. */
export function nameMatcher(type: MatchType, from: string, to: string, d: Directive): NameMatcher {
  switch (type) {
    case 'exact': { const f = fq(from), t = fq(to); return (n) => (n === f ? t : undefined); }
    case 'prefix': { const f = from.toLowerCase(), t = to.toLowerCase(); return (n) => (n.startsWith(f) ? t + n.slice(f.length) : undefined); }
    case 'suffix': { const f = fq(from), t = fq(to); return (n) => (n.endsWith(f) ? n.slice(0, n.length - f.length) + t : undefined); }
    case 'substring': { const f = from.toLowerCase(), t = to.toLowerCase(); return (n) => (f !== '' && n.includes(f) ? n.split(f).join(t) : undefined); }
    case 'regex': { const re = regex(from, d); return (n) => { const r = expand(to, re, n); return r === undefined ? undefined : fq(r); }; }
  }
}

/** Rewrites applied to a reply's records. */
export interface ResponseRule {
  kind: 'auto' | 'name' | 'value';
  re?: RE2JS;
  to?: string;
}

/** Parses the `answer auto | answer name FROM TO | answer value FROM TO` options after a name rule. */
export function responseRules(args: string[], d: Directive): ResponseRule[] {
  const out: ResponseRule[] = [];
  for (let i = 0; i < args.length;) {
    if (args[i] !== 'answer') throw lineErr('rewrite', d, `unknown argument: ${args[i]}`);
    const what = args[i + 1];
    if (what === 'auto') { out.push({ kind: 'auto' }); i += 2; continue; }
    if ((what === 'name' || what === 'value') && args[i + 3] !== undefined) {
      out.push({ kind: what, re: regex(args[i + 2]!, d), to: args[i + 3] });
      i += 4;
      continue;
    }
    throw argErr('rewrite', d, args[i + 1] ?? 'answer');
  }
  return out;
}

const TARGET_TYPES = new Set(['CNAME', 'PTR', 'NS', 'DNAME']);

/** Applies response rules to records: `auto` names the rewritten name back to the asked one. */
export function reverseRecords(rrs: Answer[] | undefined, rules: ResponseRule[], asked: string, rewritten: string): Answer[] | undefined {
  if (!rrs || rules.length === 0) return rrs;
  const lrew = rewritten.toLowerCase().replace(/\.$/, '');
  return rrs.map((a) => {
    let rr = a;
    for (const r of rules) {
      if (r.kind === 'auto' && rr.name.toLowerCase().replace(/\.$/, '') === lrew) rr = { ...rr, name: asked } as Answer;
      else if (r.kind === 'name') {
        const n = expand(r.to!, r.re!, fq(rr.name));
        if (n !== undefined) rr = { ...rr, name: n.replace(/\.$/, '') } as Answer;
      } else if (r.kind === 'value' && TARGET_TYPES.has(rr.type)) {
        const v = expand(r.to!, r.re!, fq(String((rr as { data: string }).data)));
        if (v !== undefined) rr = { ...rr, data: v.replace(/\.$/, '') } as Answer;
      }
    }
    return rr;
  });
}

/** Parses a TTL argument: `N` or `MIN-MAX`. */
export function ttlRange(s: string, d: Directive): [number, number] {
  const m = /^(\d*)(?:-(\d*))?$/.exec(s);
  if (!m || (m[1] === '' && (m[2] ?? '') === '')) throw pluginError('rewrite', `${d.file}:${d.line} - Error during parsing: invalid TTL '${s}'`);
  const lo = m[1] === '' ? 0 : Number(m[1]);
  const hi = m[2] === undefined ? lo : m[2] === '' ? 0x7fffffff : Number(m[2]);
  return [lo, hi];
}
