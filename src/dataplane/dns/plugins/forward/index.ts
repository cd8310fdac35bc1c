/**
 * The forward plugin's host path: names outside the cluster go to the host's resolver (Node's c-ares Resolver,
 * short timeouts). Not-found maps to NXDOMAIN, no-data to NOERROR; any other failure, or no answer
 * within the deadline, to SERVFAIL — the query never hangs.
 */
import { promises as dnsp } from 'node:dns';
import type { Answer } from 'dns-packet';
import { rcodeReply, type DnsReply, type DnsRequest, type Plugin } from '../../types.js';

/** Options of the forward plugin. */
export interface ForwardOptions {
  /** Upstream servers (`ip` or `ip:port`); the host's resolvers by default. */
  servers?: string[];
  /** Per-try timeout (ms). */
  timeoutMs?: number;
  /** Overall deadline (ms) before answering SERVFAIL. */
  deadlineMs?: number;
  /** Receives a line when an upstream query fails. */
  log?: (line: string) => void;
}

type Lookup = (r: dnsp.Resolver, name: string, owner: string) => Promise<Answer[]>;

const DEFAULT_TTL = 30;

const lookups: Record<string, Lookup> = {
  A: async (r, n, o) => (await r.resolve4(n, { ttl: true })).map((a) => ({ name: o, type: 'A', ttl: a.ttl, data: a.address })),
  AAAA: async (r, n, o) => (await r.resolve6(n, { ttl: true })).map((a) => ({ name: o, type: 'AAAA', ttl: a.ttl, data: a.address })),
  CNAME: async (r, n, o) => (await r.resolveCname(n)).map((d) => ({ name: o, type: 'CNAME', ttl: DEFAULT_TTL, data: d })),
  PTR: async (r, n, o) => (await r.resolvePtr(n)).map((d) => ({ name: o, type: 'PTR', ttl: DEFAULT_TTL, data: d })),
  NS: async (r, n, o) => (await r.resolveNs(n)).map((d) => ({ name: o, type: 'NS', ttl: DEFAULT_TTL, data: d })),
  MX: async (r, n, o) => (await r.resolveMx(n)).map((d) => ({ name: o, type: 'MX', ttl: DEFAULT_TTL, data: { preference: d.priority, exchange: d.exchange } })),
  TXT: async (r, n, o) => (await r.resolveTxt(n)).map((d) => ({ name: o, type: 'TXT', ttl: DEFAULT_TTL, data: d })),
  SRV: async (r, n, o) => (await r.resolveSrv(n)).map((d) => ({
    name: o, type: 'SRV', ttl: DEFAULT_TTL, data: { priority: d.priority, weight: d.weight, port: d.port, target: d.name },
  })),
  SOA: async (r, n, o) => {
    const s = await r.resolveSoa(n);
    return [{ name: o, type: 'SOA', ttl: DEFAULT_TTL, data: { mname: s.nsname, rname: s.hostmaster, serial: s.serial, refresh: s.refresh, retry: s.retry, expire: s.expire, minimum: s.minttl } }];
  },
};

/** c-ares codes in the words of Go's net package, as CoreDNS's errors plugin prints them. */
const GO_ERRORS: Record<string, string> = { ECONNREFUSED: 'read udp: connection refused', ETIMEOUT: 'read udp: i/o timeout', ESERVFAIL: 'upstream answered SERVFAIL' };

/** Maps a c-ares error code to a reply. */
export function errorReply(code: string | undefined): DnsReply {
  if (code === 'ENODATA') return rcodeReply('NOERROR');
  if (code === 'ENOTFOUND') return rcodeReply('NXDOMAIN');
  return rcodeReply('SERVFAIL');
}

/** Asks the host's resolver (Node's c-ares, short timeouts); never rejects, never hangs. */
export function hostResolver(o: ForwardOptions = {}): (req: DnsRequest) => Promise<DnsReply> {
  const resolver = new dnsp.Resolver({ timeout: o.timeoutMs ?? 700, tries: 2 });
  const servers = o.servers ?? dnsp.getServers();
  let usable = servers.length > 0;
  try {
    if (usable) resolver.setServers(servers);
  } catch {
    usable = false;
  }
  const deadline = o.deadlineMs ?? 2000;
  return async (req) => {
    const lookup = lookups[req.type];
    if (!lookup) return rcodeReply('NOTIMP');
    if (!usable || req.lname === '') return rcodeReply('SERVFAIL');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<DnsReply>((resolve) => { timer = setTimeout(() => resolve(rcodeReply('SERVFAIL')), deadline); });
    const ask = lookup(resolver, req.lname, req.name).then((answers): DnsReply => ({ rcode: 'NOERROR', answers, cacheable: false }), (e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOTFOUND' && e.code !== 'ENODATA') (req.log ?? o.log)?.(`[ERROR] plugin/errors: 2 ${req.name}. ${req.type}: ${GO_ERRORS[e.code ?? ''] ?? e.code ?? e.message}`);
      return errorReply(e.code);
    });
    try {
      return await Promise.race([ask, timeout]);
    } finally {
      clearTimeout(timer);
    }
  };
}

/** Creates the forward plugin that asks the host's resolver for every name. */
export function forwardPlugin(o: ForwardOptions = {}): Plugin {
  const ask = hostResolver(o);
  return { name: 'forward', serve: (req) => ask(req) };
}
