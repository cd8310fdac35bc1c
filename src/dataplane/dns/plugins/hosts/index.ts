/**
 * The hosts plugin: answers A, AAAA and PTR from a hosts file (as the serving coredns pod sees it,
 * re-read every `reload` interval, 5s by default) and from inline `IP NAME...` lines. Names found
 * without the asked type get NOERROR; names not found pass on with `fallthrough`, else SERVFAIL
 * (CoreDNS has no SOA for hosts data, so it cannot say NXDOMAIN).
 */
import { isIP } from 'node:net';
import type { Answer } from 'dns-packet';
import { argErr, durationArg, fallthrough, inZone, intArg, NO_FALL, normalizeZone, unknownProperty, zonesOr, type Fall, type Setup } from '../../config/setup.js';
import { reverseToIP } from '../kubernetes/reverse.js';
import { rcodeReply, type DnsReply, type Plugin } from '../../types.js';

/** Names → addresses and addresses → names of one hosts source. */
export interface HostsTable { byName: Map<string, string[]>; byAddr: Map<string, string[]> }

/** Parses hosts-file text (`IP NAME... # comment`) into a table, adding to `into`. */
export function parseHosts(text: string, into: HostsTable = { byName: new Map(), byAddr: new Map() }): HostsTable {
  for (const raw of text.split('\n')) {
    const [ip, ...names] = raw.replace(/#.*/, '').trim().split(/\s+/);
    if (!ip || names.length === 0 || !isIP(ip.replace(/%.*/, ''))) continue;
    const bare = ip.replace(/%.*/, '');
    const addr = isIP(bare) === 6 ? new URL(`http://[${bare}]/`).hostname.slice(1, -1) : bare;
    for (const n of names) {
      const ln = normalizeZone(n);
      const list = into.byName.get(ln) ?? [];
      if (!list.includes(addr)) list.push(addr);
      into.byName.set(ln, list);
      const back = into.byAddr.get(addr) ?? [];
      if (!back.includes(ln)) back.push(ln);
      into.byAddr.set(addr, back);
    }
  }
  return into;
}

/** Options of the hosts plugin. */
export interface HostsOptions {
  zones: string[];
  inline: string;
  /** The file to read (absent: inline entries only) and how to read it. */
  file?: { path: string; read: (path: string) => string | undefined; reloadMs: number };
  ttl: number;
  noReverse: boolean;
  fall: Fall;
  now: () => number;
}

/** Creates the hosts plugin. */
export function hostsPlugin(o: HostsOptions): Plugin {
  let table = parseHosts(o.inline);
  let readAt = -Infinity;
  const current = (): HostsTable => {
    if (!o.file) return table;
    const now = o.now();
    if (readAt !== -Infinity && (o.file.reloadMs === 0 || now - readAt < o.file.reloadMs)) return table;
    readAt = now;
    table = parseHosts(o.file.read(o.file.path) ?? '', parseHosts(o.inline));
    return table;
  };
  const cacheable = o.file === undefined;
  return {
    name: 'hosts',
    async serve(req, next) {
      const inZones = o.zones.some((z) => inZone(req.lname, z));
      if (!inZones && req.type !== 'PTR') return next(req);
      const t = current();
      let answers: Answer[] = [];
      if (req.type === 'PTR') {
        const ip = o.noReverse ? undefined : reverseToIP(req.lname);
        answers = (ip ? t.byAddr.get(ip) ?? [] : []).map((n) => ({ name: req.name, type: 'PTR', ttl: o.ttl, data: n }));
      } else if (req.type === 'A' || req.type === 'AAAA') {
        const fam = req.type === 'A' ? 4 : 6;
        answers = (t.byName.get(req.lname) ?? []).filter((ip) => isIP(ip) === fam).map((ip) => ({ name: req.name, type: req.type as 'A', ttl: o.ttl, data: ip }));
      }
      if (answers.length === 0) {
        if (o.fall.through(req.lname)) return next(req);
        const ip = o.noReverse ? undefined : reverseToIP(req.lname);
        const exists = t.byName.has(req.lname) || (ip !== undefined && t.byAddr.has(ip));
        if (!exists) return rcodeReply('SERVFAIL');
      }
      return { rcode: 'NOERROR', authoritative: true, answers, cacheable } satisfies DnsReply;
    },
  };
}

/** `hosts [FILE [ZONES...]] { [INLINE]; ttl SECONDS; no_reverse; reload DURATION; fallthrough [ZONES...] }`. */
export const setup: Setup = (d, ctx) => {
  const path = d.args[0] ?? '/etc/hosts';
  const zones = zonesOr(d.args.slice(1), ctx);
  let ttl = 3600, noReverse = false, reloadMs = 5000, fall = NO_FALL, inline = '';
  for (const o of d.block) {
    if (isIP(o.name.replace(/%.*/, ''))) {
      if (o.args.length === 0) throw argErr('hosts', o, o.name);
      inline += `${o.name} ${o.args.join(' ')}\n`;
      continue;
    }
    switch (o.name) {
      case 'ttl': if (o.args.length !== 1) throw argErr('hosts', o); ttl = intArg('hosts', o, o.args[0]!, 4294967295); break;
      case 'no_reverse': if (o.args.length) throw argErr('hosts', o); noReverse = true; break;
      case 'reload': if (o.args.length !== 1) throw argErr('hosts', o); reloadMs = durationArg('hosts', o, o.args[0]!); break;
      case 'fallthrough': fall = fallthrough(o.args); break;
      default: throw unknownProperty('hosts', o);
    }
  }
  if (ctx.readFile(path) === undefined) ctx.log(`[WARNING] plugin/hosts: File does not exist: ${path}`);
  return hostsPlugin({ zones, inline, file: { path, read: ctx.readFile, reloadMs }, ttl, noReverse, fall, now: ctx.now });
};
