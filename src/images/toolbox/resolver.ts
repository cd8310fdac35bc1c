/** A stub resolver over the pod's network: /etc/hosts, then DNS per /etc/resolv.conf (search list, ndots), UDP with TCP fallback. */
import { randomInt } from 'node:crypto';
import dnsPacket from 'dns-packet';
import type { FileSystem } from '../types.js';
import type { NetStack } from '../../net/types.js';

/** The parsed /etc/resolv.conf. */
export interface ResolvConf {
  nameservers: string[]; search: string[]; ndots: number; timeoutMs: number; attempts: number;
  /** Whether `options attempts:` was given (BIND's tools then use it; else their own 3 tries). */
  attemptsSet: boolean;
}

/** What a lookup needs. */
export interface ResolveCtx { fs: FileSystem; net: NetStack; signal?: AbortSignal }

/** The answer to one DNS query. */
export interface QueryResult { rcode: string; answers: dnsPacket.Answer[]; timedOut?: boolean; authorities?: dnsPacket.Answer[] }

/** Reads /etc/resolv.conf (defaults as the C libraries apply them). */
export function readResolvConf(fs: FileSystem): ResolvConf {
  const c: ResolvConf = { nameservers: [], search: [], ndots: 1, timeoutMs: 5000, attempts: 2, attemptsSet: false };
  for (const line of (fs.read('/etc/resolv.conf')?.toString() ?? '').split('\n')) {
    const [k, ...rest] = line.trim().split(/\s+/);
    if (k === 'nameserver' && rest[0]) c.nameservers.push(rest[0]);
    else if (k === 'search' || k === 'domain') c.search = rest;
    else if (k === 'options') {
      for (const o of rest) {
        const [n, v] = o.split(':');
        if (n === 'ndots') c.ndots = Math.min(15, Number(v));
        if (n === 'timeout') c.timeoutMs = Number(v) * 1000;
        if (n === 'attempts') { c.attempts = Number(v); c.attemptsSet = true; }
      }
    }
  }
  if (!c.nameservers.length) c.nameservers.push('127.0.0.1');
  return c;
}

/** Looks a name up in /etc/hosts. */
export function hostsLookup(fs: FileSystem, name: string): string | undefined {
  const n = name.toLowerCase().replace(/\.$/, '');
  for (const line of (fs.read('/etc/hosts')?.toString() ?? '127.0.0.1\tlocalhost\n').split('\n')) {
    const [ip, ...names] = line.replace(/#.*/, '').trim().split(/\s+/);
    if (ip && !ip.includes(':') && names.some((x) => x.toLowerCase() === n)) return ip;
  }
  return undefined;
}

/** The names to try, in order, for a name under the search list and ndots. */
export function candidates(name: string, conf: ResolvConf): string[] {
  if (name.endsWith('.')) return [name.slice(0, -1)];
  const dots = name.split('.').length - 1;
  const searched = conf.search.map((d) => `${name}.${d}`);
  return dots >= conf.ndots ? [name, ...searched] : [...searched, name];
}

/** Sends one query to a server (UDP, then TCP when truncated); resolves with the rcode and answers. */
export async function query(ctx: ResolveCtx, server: string, name: string, type: dnsPacket.RecordType, timeoutMs: number, tcp = false, port = 53): Promise<QueryResult> {
  const id = randomInt(1, 0x10000); // a random ID per query, as glibc and musl resolvers pick
  const packet = { type: 'query' as const, id, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type, name, class: 'IN' as const }] };
  const res = tcp ? await tcpQuery(ctx, server, port, dnsPacket.streamEncode(packet), timeoutMs) : await udpQuery(ctx, server, port, dnsPacket.encode(packet), id, timeoutMs);
  if (!res) return { rcode: 'TIMEOUT', answers: [], timedOut: true };
  const r = res as dnsPacket.Packet & { rcode?: string; flag_tc?: boolean };
  if (!tcp && r.flag_tc) return query(ctx, server, name, type, timeoutMs, true, port);
  return { rcode: r.rcode ?? 'NOERROR', answers: res.answers ?? [], authorities: res.authorities ?? [] };
}

function udpQuery(ctx: ResolveCtx, server: string, port: number, buf: Buffer, id: number, timeoutMs: number): Promise<dnsPacket.Packet | undefined> {
  return new Promise((resolve) => {
    const sock = ctx.net.udp();
    const done = (v?: dnsPacket.Packet): void => { clearTimeout(t); ctx.signal?.removeEventListener('abort', onAbort); sock.close(); resolve(v); };
    const onAbort = (): void => done();
    const t = setTimeout(() => done(), timeoutMs);
    ctx.signal?.addEventListener('abort', onAbort, { once: true });
    sock.onMessage((data) => {
      try { const p = dnsPacket.decode(data); if (p.id === id) done(p); } catch { /* garbage */ }
    });
    sock.send(buf, { ip: server, port });
  });
}

async function tcpQuery(ctx: ResolveCtx, server: string, port: number, buf: Buffer, timeoutMs: number): Promise<dnsPacket.Packet | undefined> {
  let conn;
  try { conn = await ctx.net.connect({ ip: server, port }, { timeoutMs }); } catch { return undefined; }
  const c = conn;
  return new Promise((resolve) => {
    let acc = Buffer.alloc(0);
    const done = (v?: dnsPacket.Packet): void => { clearTimeout(t); c.destroy(); resolve(v); };
    const t = setTimeout(() => done(), timeoutMs);
    c.on('data', (d: Buffer) => {
      acc = Buffer.concat([acc, d]);
      if (acc.length >= 2 && acc.length >= 2 + acc.readUInt16BE(0)) { try { done(dnsPacket.streamDecode(acc)); } catch { done(); } }
    });
    c.on('error', () => done());
    c.on('end', () => done());
    c.write(buf);
  });
}

/** The outcome of resolving a host name to IPv4 addresses. */
export type Resolution = { ok: true; addrs: string[]; name: string } | { ok: false; reason: 'NXDOMAIN' | 'TIMEOUT' | 'SERVFAIL' };

/** Resolves a host name as getaddrinfo would in the pod (IPv4). */
export async function resolveHost(ctx: ResolveCtx, host: string): Promise<Resolution> {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) return { ok: true, addrs: [host], name: host };
  const fromHosts = hostsLookup(ctx.fs, host);
  if (fromHosts) return { ok: true, addrs: [fromHosts], name: host };
  const conf = readResolvConf(ctx.fs);
  const deadline = Date.now() + conf.timeoutMs * conf.attempts;
  let sawTimeout = false;
  let servfail = false;
  for (const name of candidates(host, conf)) {
    for (const server of conf.nameservers) {
      const left = deadline - Date.now();
      if (left <= 0 || ctx.signal?.aborted) return { ok: false, reason: 'TIMEOUT' };
      const r = await query(ctx, server, name, 'A', Math.min(conf.timeoutMs, left));
      if (r.timedOut) { sawTimeout = true; continue; }
      const addrs = r.answers.filter((a) => a.type === 'A').map((a) => String((a as { data: unknown }).data));
      if (r.rcode === 'NOERROR' && addrs.length) return { ok: true, addrs, name };
      if (r.rcode === 'SERVFAIL' || r.rcode === 'REFUSED') { servfail = true; continue; }
      break;
    }
  }
  return { ok: false, reason: sawTimeout ? 'TIMEOUT' : servfail ? 'SERVFAIL' : 'NXDOMAIN' };
}
