/**
 * The rewrite plugin: rewrites the query (name, type) before the plugins after it answer, and the
 * reply's records back with `answer auto|name|value`; `ttl` rules set answer TTLs. Rules run in
 * order; a matching rule stops the rest unless it says `continue`. The client sees its question.
 */
import type { Directive } from '../../corefile/parse.js';
import { argErr, lineErr, type Setup, type SetupContext } from '../../config/setup.js';
import { ttlOf, type DnsReply, type DnsRequest, type Plugin } from '../../types.js';
import { nameMatcher, responseRules, reverseRecords, ttlRange, type MatchType, type NameMatcher, type ResponseRule } from './rules.js';

/** One compiled rule. */
export interface RewriteRule {
  mode: 'stop' | 'continue';
  field: 'name' | 'type' | 'ttl';
  match?: NameMatcher;
  responses: ResponseRule[];
  fromType?: string;
  toType?: string;
  ttl?: [number, number];
}

const MATCH_TYPES = new Set(['exact', 'prefix', 'suffix', 'substring', 'regex']);

/** Parses one rule's words (`[continue|stop] FIELD ...`); undefined for fields knet does not rewrite. */
export function parseRule(words: string[], d: Directive, ctx: Pick<SetupContext, 'log'>): RewriteRule | undefined {
  const w = [...words];
  let mode: RewriteRule['mode'] = 'stop';
  if (w[0] === 'stop' || w[0] === 'continue') mode = w.shift() as RewriteRule['mode'];
  const field = w.shift();
  if (field === 'name' || field === 'ttl') {
    let type: MatchType = 'exact';
    if (w[0] && MATCH_TYPES.has(w[0]) && w.length >= 3) type = w.shift() as MatchType;
    const [from, to, ...rest] = w;
    if (from === undefined || to === undefined) throw argErr('rewrite', d, field);
    if (field === 'ttl') {
      if (rest.length) throw argErr('rewrite', d, to);
      return { mode, field, match: nameMatcher(type, from, from, d), responses: [], ttl: ttlRange(to, d) };
    }
    return { mode, field, match: nameMatcher(type, from, to, d), responses: responseRules(rest, d) };
  }
  if (field === 'type') {
    if (w.length !== 2) throw argErr('rewrite', d, field);
    return { mode, field, fromType: w[0]!.toUpperCase(), toType: w[1]!.toUpperCase(), responses: [] };
  }
  if (field === 'class' || field === 'edns0' || field === 'cname' || field === 'rcode') {
    ctx.log(`[WARNING] plugin/rewrite: rewriting ${field} is not supported by knet; rule ignored`);
    return undefined;
  }
  throw lineErr('rewrite', d, `invalid field: '${field ?? ''}'`);
}

function applyTtl(r: DnsReply, [lo, hi]: [number, number]): DnsReply {
  const clamp = (t: number): number => Math.min(hi, Math.max(lo, t));
  return { ...r, answers: r.answers.map((a) => ({ ...a, ttl: clamp(ttlOf(a)) }) as typeof a), cacheable: false };
}

/** Creates the rewrite plugin over compiled rules. */
export function rewritePlugin(rules: RewriteRule[]): Plugin & { rules: RewriteRule[] } {
  return {
    name: 'rewrite',
    rules,
    absorb(later) {
      if (later.name !== 'rewrite' || !('rules' in later)) return false;
      rules.push(...(later as { rules: RewriteRule[] }).rules);
      return true;
    },
    async serve(req, next) {
      let cur: DnsRequest = req;
      const responses: ResponseRule[] = [];
      let ttl: [number, number] | undefined;
      for (const rule of rules) {
        let matched = false;
        if (rule.field === 'type') {
          if (cur.type === rule.fromType) { cur = { ...cur, type: rule.toType! }; matched = true; }
        } else {
          const out = rule.match!(`${cur.lname}.`);
          if (out !== undefined) {
            matched = true;
            if (rule.field === 'ttl') ttl = rule.ttl;
            else {
              const n = out.replace(/\.$/, '');
              cur = { ...cur, name: n, lname: n };
              responses.push(...rule.responses);
            }
          }
        }
        if (matched && rule.mode === 'stop') break;
      }
      if (cur === req && !ttl) return next(req);
      let r = await next(cur);
      if (responses.length) {
        r = { ...r, answers: reverseRecords(r.answers, responses, req.name, cur.name)!, authorities: reverseRecords(r.authorities, responses, req.name, cur.name), additionals: reverseRecords(r.additionals, responses, req.name, cur.name) };
      }
      return ttl ? applyTtl(r, ttl) : r;
    },
  };
}

/** `rewrite [continue|stop] FIELD [TYPE] FROM TO [answer …]`, or a block of such lines (`name …` with `answer name …` after it). */
export const setup: Setup = (d, ctx) => {
  const rules: RewriteRule[] = [];
  if (d.block.length) {
    const mode = d.args[0] === 'continue' ? 'continue' : 'stop';
    for (const o of d.block) {
      const words = [o.name, ...o.args];
      if (o.name === 'answer') {
        const last = rules[rules.length - 1];
        if (!last || last.field !== 'name') throw lineErr('rewrite', o, 'an answer rule must follow a name rule');
        last.responses.push(...responseRules(words, o));
        continue;
      }
      const r = parseRule([mode, ...words], o, ctx);
      if (r) rules.push(r);
    }
  } else {
    if (d.args.length < 3) throw argErr('rewrite', d);
    const r = parseRule(d.args, d, ctx);
    if (r) rules.push(r);
  }
  return rules.length ? rewritePlugin(rules) : undefined;
};
