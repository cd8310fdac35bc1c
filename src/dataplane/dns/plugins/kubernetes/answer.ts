/** Resource records the kubernetes plugin answers with: A/AAAA, CNAME, SRV (with additionals), TXT, PTR, SOA and NS. */
import { isIP } from 'node:net';
import type { Answer } from 'dns-packet';
import type { Rec } from './records.js';

/** The dns-version TXT value (Kubernetes DNS schema) and its TTL as CoreDNS serves it. */
export const DNS_SCHEMA_VERSION = '1.1.0';
const TXT_TTL = 28800;

/** The zone's SOA as CoreDNS writes it (`ns.dns.<zone>. hostmaster.<zone>. <serial> 7200 1800 86400 <ttl>`). */
export function soa(zone: string, serial: number, ttl: number): Answer {
  return {
    name: zone, type: 'SOA', ttl,
    data: { mname: `ns.dns.${zone}`, rname: `hostmaster.${zone}`, serial, refresh: 7200, retry: 1800, expire: 86400, minimum: ttl },
  };
}

/** A or AAAA records for the addresses among recs (one per distinct IP). */
export function addressAnswers(owner: string, type: 'A' | 'AAAA', recs: Rec[], ttl: number): Answer[] {
  const family = type === 'A' ? 4 : 6;
  const seen = new Set<string>();
  const out: Answer[] = [];
  for (const r of recs) {
    if (r.cname || isIP(r.host) !== family || seen.has(r.host)) continue;
    seen.add(r.host);
    out.push({ name: owner, type, ttl, data: r.host });
  }
  return out;
}

/** SRV records (priority 0, weight 100/N, duplicates merged) plus the targets' addresses as additionals. */
export function srvAnswers(owner: string, recs: Rec[], ttl: number): { answers: Answer[]; additionals: Answer[] } {
  const eligible = recs.filter((r) => !r.cname && r.port >= 0);
  const weight = eligible.length ? Math.floor(100 / eligible.length) : 0;
  const answers: Answer[] = [];
  const additionals: Answer[] = [];
  const seen = new Set<string>();
  const seenExtra = new Set<string>();
  for (const r of eligible) {
    const k = `${r.target}|${r.port}`;
    if (!seen.has(k)) {
      seen.add(k);
      answers.push({ name: owner, type: 'SRV', ttl, data: { priority: 0, weight, port: r.port, target: r.target } });
    }
    const fam = isIP(r.host);
    const e = `${r.target}|${r.host}`;
    if (fam && !seenExtra.has(e)) {
      seenExtra.add(e);
      additionals.push({ name: r.target, type: fam === 4 ? 'A' : 'AAAA', ttl, data: r.host });
    }
  }
  return { answers, additionals };
}

/** The dns-version TXT record. */
export function versionTxt(owner: string): Answer {
  return { name: owner, type: 'TXT', ttl: TXT_TTL, data: DNS_SCHEMA_VERSION };
}

/** A CNAME record. */
export function cname(owner: string, target: string, ttl: number): Answer {
  return { name: owner, type: 'CNAME', ttl, data: target };
}

/** PTR records. */
export function ptrAnswers(owner: string, targets: string[], ttl: number): Answer[] {
  return targets.map((t) => ({ name: owner, type: 'PTR', ttl, data: t }));
}
