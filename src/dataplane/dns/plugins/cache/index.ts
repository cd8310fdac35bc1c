/**
 * The cache plugin: keeps answers for their TTL (capped by `cache TTL`, success 3600s and denial
 * 1800s by default, at least 5s), counts the TTLs down when serving them, and honours `success` /
 * `denial` capacities and `disable success|denial ZONES` (kubeadm disables both for the cluster
 * zone). `prefetch`, `serve_stale`, `servfail` and `keepttl` are accepted.
 */
import type { Answer } from 'dns-packet';
import { argErr, durationArg, inZone, intArg, normalizeZone, unknownProperty, zonesOr, type Setup } from '../../config/setup.js';
import { ttlOf, type DnsReply, type Plugin } from '../../types.js';

/** One kind of cached answer's limits. */
interface Bucket { capacity: number; maxTtl: number; minTtl: number; disabled: string[] | undefined }

/** Options of the cache plugin (TTLs in seconds). */
export interface CacheOptions {
  zones: string[];
  success: Bucket;
  denial: Bucket;
  now: () => number;
}

interface Entry { reply: DnsReply; stored: number; expires: number }

const SOA_TTL = (r: DnsReply): number | undefined => {
  const soa = r.authorities?.find((a) => a.type === 'SOA');
  return soa ? Math.min(ttlOf(soa), (soa as { data?: { minimum?: number } }).data?.minimum ?? ttlOf(soa)) : undefined;
};

/** The TTL (seconds) to keep a reply for, or undefined when it is not cached. */
export function cacheTtl(r: DnsReply, b: Bucket, denial: boolean): number | undefined {
  const ttls = denial ? [SOA_TTL(r)].filter((t): t is number => t !== undefined) : [...r.answers, ...(r.authorities ?? [])].map(ttlOf);
  const ttl = ttls.length ? Math.min(...ttls) : b.minTtl;
  return Math.max(b.minTtl, Math.min(b.maxTtl, ttl));
}

const age = (rrs: Answer[] | undefined, secs: number, name: string, lname: string): Answer[] | undefined =>
  rrs?.map((a) => ({ ...a, name: a.name.toLowerCase() === lname ? name : a.name, ttl: Math.max(0, ttlOf(a) - secs) }) as Answer);

/** Creates the cache plugin. */
export function cachePlugin(o: CacheOptions): Plugin {
  const store = { success: new Map<string, Entry>(), denial: new Map<string, Entry>() };
  const disabled = (b: Bucket, name: string): boolean => b.disabled !== undefined && (b.disabled.length === 0 || b.disabled.some((z) => inZone(name, z)));
  return {
    name: 'cache',
    async serve(req, next) {
      if (!o.zones.some((z) => inZone(req.lname, z))) return next(req);
      const key = `${req.lname}|${req.type}`;
      const now = o.now();
      for (const m of [store.success, store.denial]) {
        const hit = m.get(key);
        if (!hit) continue;
        if (hit.expires <= now) { m.delete(key); continue; }
        const secs = Math.floor((now - hit.stored) / 1000);
        const r = hit.reply;
        return { ...r, answers: age(r.answers, secs, req.name, req.lname)!, authorities: age(r.authorities, secs, req.name, req.lname), additionals: age(r.additionals, secs, req.name, req.lname), cacheable: false };
      }
      const r = await next(req);
      const denial = r.rcode === 'NXDOMAIN' || (r.rcode === 'NOERROR' && r.answers.length === 0);
      if (r.rcode !== 'NOERROR' && r.rcode !== 'NXDOMAIN') return r;
      const b = denial ? o.denial : o.success;
      if (b.capacity === 0 || disabled(b, req.lname)) return r;
      const ttl = cacheTtl(r, b, denial);
      if (ttl === undefined || ttl <= 0) return r;
      const m = denial ? store.denial : store.success;
      if (m.size >= b.capacity) m.delete(m.keys().next().value!);
      m.set(key, { reply: r, stored: now, expires: now + ttl * 1000 });
      return r;
    },
  };
}

const CAPACITY = 9984;

/** `cache [TTL] [ZONES...] { success|denial CAPACITY [TTL] [MINTTL]; disable success|denial [ZONES...]; prefetch …; serve_stale …; servfail …; keepttl }`. */
export const setup: Setup = (d, ctx) => {
  const args = [...d.args];
  const success: Bucket = { capacity: CAPACITY, maxTtl: 3600, minTtl: 5, disabled: undefined };
  const denial: Bucket = { capacity: CAPACITY, maxTtl: 1800, minTtl: 5, disabled: undefined };
  if (args[0] !== undefined && /^\d+$/.test(args[0])) {
    const ttl = intArg('cache', d, args.shift()!);
    success.maxTtl = denial.maxTtl = ttl;
    if (ttl < success.minTtl) success.minTtl = denial.minTtl = ttl;
  }
  for (const o of d.block) {
    switch (o.name) {
      case 'success': case 'denial': {
        if (o.args.length < 1 || o.args.length > 3) throw argErr('cache', o);
        const b = o.name === 'success' ? success : denial;
        b.capacity = intArg('cache', o, o.args[0]!);
        if (o.args[1] !== undefined) b.maxTtl = intArg('cache', o, o.args[1]);
        if (o.args[2] !== undefined) b.minTtl = intArg('cache', o, o.args[2]);
        break;
      }
      case 'disable': {
        const which = o.args[0];
        if (which !== 'success' && which !== 'denial') throw argErr('cache', o);
        (which === 'success' ? success : denial).disabled = o.args.slice(1).map(normalizeZone);
        break;
      }
      case 'prefetch':
        if (o.args.length < 1 || o.args.length > 3) throw argErr('cache', o);
        intArg('cache', o, o.args[0]!);
        break;
      case 'serve_stale':
        if (o.args.length > 2) throw argErr('cache', o);
        if (o.args[0] !== undefined) durationArg('cache', o, o.args[0]);
        if (o.args[1] !== undefined && o.args[1] !== 'immediate' && o.args[1] !== 'verify') throw argErr('cache', o);
        break;
      case 'servfail':
        if (o.args.length !== 1) throw argErr('cache', o);
        durationArg('cache', o, o.args[0]!);
        break;
      case 'keepttl':
        if (o.args.length) throw argErr('cache', o);
        break;
      default: throw unknownProperty('cache', o);
    }
  }
  return cachePlugin({ zones: zonesOr(args, ctx), success, denial, now: ctx.now });
};
