/**
 * The kubernetes plugin: authoritative answers for the cluster zone and for reverse lookups of
 * cluster IPs (Kubernetes DNS specification 1.1.0, CoreDNS semantics: NXDOMAIN for names that do not
 * exist, NOERROR without answers for names that exist with other types, the SOA in the authority
 * section of negative answers). Before the first sync, zone queries get SERVFAIL.
 */
import type { Answer } from 'dns-packet';
import type { DnsReply, DnsRequest, Next, Plugin } from '../../types.js';
import { rcodeReply } from '../../types.js';
import type { ClusterCache } from './cache.js';
import { records, type PodsMode, type Rec, type ZoneView } from './records.js';
import { inClusterRanges, isReverse, ptrTargets, reverseToIP } from './reverse.js';
import { addressAnswers, cname, ptrAnswers, soa, srvAnswers, versionTxt } from './answer.js';
import type { Fall } from '../../config/setup.js';

/** Options of the kubernetes plugin. */
export interface KubernetesOptions {
  cache: ClusterCache;
  /** Whether the informers have listed everything. */
  synced: () => boolean;
  zone?: string;
  ttl?: number;
  pods?: PodsMode;
  /** Service and pod ranges: unknown reverse names in them are NXDOMAIN instead of forwarded. */
  cidrs?: string[];
  /** Whether reverse zones are served (default true). */
  reverse?: boolean;
  /** `fallthrough [ZONES]`: names it would deny pass on (absent: reverse names outside the ranges do). */
  fall?: Fall;
}

const MAX_CHASE = 8;

/** Creates the kubernetes plugin. */
export function kubernetesPlugin(o: KubernetesOptions): Plugin {
  const zone = (o.zone ?? 'cluster.local').toLowerCase().replace(/\.$/, '');
  const ttl = o.ttl ?? 30;
  const view: ZoneView = { cache: o.cache, zone, pods: o.pods ?? 'insecure' };
  const cidrs = o.cidrs ?? ['10.96.0.0/12', '10.244.0.0/16'];
  const negative = (rcode: 'NXDOMAIN' | 'NOERROR', soaZone = zone): DnsReply =>
    ({ rcode, authoritative: true, answers: [], authorities: [soa(soaZone, o.cache.modified, ttl)], cacheable: true });

  async function zoneAnswer(req: DnsRequest, segs: string[], recs: Rec[]): Promise<DnsReply> {
    const apex = segs.length === 0;
    let answers: Answer[] = [];
    let additionals: Answer[] = [];
    let cacheable = true;
    let rcode: DnsReply['rcode'] = 'NOERROR';
    const t = req.type;
    if (t === 'A' || t === 'AAAA') {
      answers = addressAnswers(req.name, t, recs, ttl);
      const c = recs.find((r) => r.cname);
      if (c) {
        answers = [cname(req.name, c.host, ttl)];
        if (req.depth < MAX_CHASE) {
          const sub = await req.resolve(c.host, t);
          answers.push(...sub.answers);
          cacheable = sub.cacheable !== false;
          if (sub.rcode === 'NXDOMAIN') rcode = 'NXDOMAIN';
        }
      }
    } else if (t === 'CNAME') {
      const c = recs.find((r) => r.cname);
      if (c) answers = [cname(req.name, c.host, ttl)];
    } else if (t === 'SRV') {
      ({ answers, additionals } = srvAnswers(req.name, recs, ttl));
    } else if (t === 'TXT' && segs.length === 1 && segs[0] === 'dns-version') {
      answers = [versionTxt(req.name)];
    } else if (t === 'SOA' && apex) {
      answers = [soa(zone, o.cache.modified, ttl)];
    } else if (t === 'NS' && apex) {
      answers = [{ name: req.name, type: 'NS', ttl, data: `ns.dns.${zone}` }];
      additionals = addressAnswers(`ns.dns.${zone}`, 'A', records(view, ['ns', 'dns']) ?? [], ttl);
    }
    if (answers.length === 0) return negative('NOERROR');
    return { rcode, authoritative: true, answers, additionals, cacheable };
  }

  function reverseAnswer(req: DnsRequest, next: Next): Promise<DnsReply> | DnsReply {
    const ip = reverseToIP(req.lname);
    if (!ip) return next(req);
    const targets = ptrTargets(view, ip);
    const soaZone = req.lname.endsWith('.ip6.arpa') ? 'ip6.arpa' : 'in-addr.arpa';
    if (targets.length === 0) return inClusterRanges(ip, cidrs) || (o.fall && !o.fall.through(req.lname)) ? negative('NXDOMAIN', soaZone) : next(req);
    if (req.type !== 'PTR') return negative('NOERROR', soaZone);
    return { rcode: 'NOERROR', authoritative: true, answers: ptrAnswers(req.name, targets, ttl), cacheable: true };
  }

  return {
    name: 'kubernetes',
    async serve(req, next) {
      const n = req.lname;
      const inZone = n === zone || n.endsWith('.' + zone);
      if (!inZone && (o.reverse === false || !isReverse(n))) return next(req);
      if (!o.synced()) {
        const ip = inZone ? undefined : reverseToIP(n);
        return inZone || (ip && inClusterRanges(ip, cidrs)) ? rcodeReply('SERVFAIL') : next(req);
      }
      if (!inZone) return reverseAnswer(req, next);
      const segs = n === zone ? [] : n.slice(0, -(zone.length + 1)).split('.');
      const recs = records(view, segs);
      if (!recs) return o.fall?.through(n) ? next(req) : negative('NXDOMAIN');
      return zoneAnswer(req, segs, recs);
    },
  };
}
