/**
 * The template plugin: answers names in its zones that match its regexes (re2js) with records
 * rendered from templates, an rcode, and `fallthrough` for names its regexes do not match.
 */
import type { RE2JS } from 're2js';
import { argErr, fallthrough, inZone, lineErr, NO_FALL, unknownProperty, zonesOr, type Fall, type Setup } from '../../config/setup.js';
import { regex } from '../rewrite/rules.js';
import type { DnsReply, Plugin, Rcode } from '../../types.js';
import { compileTemplate, parseRecord, type Render, type TemplateData } from './render.js';

/** A compiled template directive. */
export interface TemplateOptions {
  qclass: string;
  qtype: string;
  zones: string[];
  match: RE2JS[];
  answer: Render[];
  additional: Render[];
  authority: Render[];
  rcode: Rcode;
  fall: Fall;
}

const RCODES = new Set<Rcode>(['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED']);

function groupsOf(re: RE2JS, fqdn: string): { match: string[]; group: Record<string, string> } | undefined {
  const m = re.matcher(fqdn);
  if (!m.find()) return undefined;
  const match = Array.from({ length: m.groupCount() + 1 }, (_v, i) => m.group(i) ?? '');
  const group: Record<string, string> = Object.fromEntries(match.map((g, i) => [String(i), g]));
  for (const [k, v] of Object.entries(m.getNamedGroups())) group[k] = v ?? '';
  return { match, group };
}

/** Creates the template plugin. */
export function templatePlugin(o: TemplateOptions): Plugin {
  return {
    name: 'template',
    async serve(req, next) {
      const zone = o.zones.filter((z) => inZone(req.lname, z)).sort((a, b) => b.length - a.length)[0];
      if (zone === undefined) return next(req);
      if ((o.qclass !== 'ANY' && o.qclass !== 'IN') || (o.qtype !== 'ANY' && o.qtype !== req.type)) return next(req);
      const fqdn = `${req.lname}.`;
      let hit: ReturnType<typeof groupsOf>;
      for (const re of o.match) { hit = groupsOf(re, fqdn); if (hit) break; }
      if (!hit) return o.fall.through(req.lname) ? next(req) : { rcode: 'NXDOMAIN', authoritative: true, answers: [] };
      // A reply that read the client's address differs per client: it must not be reused for another.
      let perClient = false;
      const remote = (req.client ?? '').replace(/:\d+$/, '');
      const data: TemplateData = { Name: fqdn, Zone: zone ? `${zone}.` : '.', Class: 'IN', Type: req.type, get Remote() { perClient = true; return remote; }, Match: hit.match, Group: hit.group };
      const render = (list: Render[]) => list.map((t) => parseRecord(t(data)));
      const answers = render(o.answer), authorities = render(o.authority), additionals = render(o.additional);
      return { rcode: o.rcode, authoritative: true, answers, authorities, additionals, cacheable: !perClient } satisfies DnsReply;
    },
  };
}

/** `template CLASS TYPE [ZONE...] { match REGEX...; answer RR; additional RR; authority RR; rcode CODE; fallthrough [ZONE...] }`. */
export const setup: Setup = (d, ctx) => {
  const [qclass, qtype, ...zoneArgs] = d.args;
  if (!qclass || !qtype) throw argErr('template', d);
  const o: TemplateOptions = {
    qclass: qclass.toUpperCase(), qtype: qtype.toUpperCase(), zones: zonesOr(zoneArgs, ctx),
    match: [], answer: [], additional: [], authority: [], rcode: 'NOERROR', fall: NO_FALL,
  };
  const tmpl = (line: typeof d, what: string): Render => {
    if (line.args.length !== 1) throw argErr('template', line);
    try { return compileTemplate(line.args[0]!, what); } catch (e) { throw lineErr('template', line, (e as Error).message); }
  };
  for (const l of d.block) {
    switch (l.name) {
      case 'match': if (!l.args.length) throw argErr('template', l); o.match.push(...l.args.map((a) => regex(a, l))); break;
      case 'answer': o.answer.push(tmpl(l, 'answer')); break;
      case 'additional': o.additional.push(tmpl(l, 'additional')); break;
      case 'authority': o.authority.push(tmpl(l, 'authority')); break;
      case 'rcode':
        if (l.args.length !== 1 || !RCODES.has(l.args[0]!.toUpperCase() as Rcode)) throw lineErr('template', l, `unknown rcode ${l.args[0] ?? ''}`);
        o.rcode = l.args[0]!.toUpperCase() as Rcode;
        break;
      case 'fallthrough': o.fall = fallthrough(l.args); break;
      default: throw unknownProperty('template', l);
    }
  }
  if (o.match.length === 0) o.match.push(regex('.*', d));
  return templatePlugin(o);
};
