/** What BIND's tools (dig, host, nslookup) share: versions, retries, record text and dig's column layout. */
import type dnsPacket from 'dns-packet';
import type { ProcessContext } from '../types.js';
import { query, type QueryResult, type ResolvConf } from './resolver.js';

/** An answer record with its data. */
export type Ans = dnsPacket.Answer & { data?: unknown };
/** A record's data as text. */
export const rdata = (a: Ans): string => (typeof a.data === 'string' ? a.data : JSON.stringify(a.data));
/** What a query needs from a program. */
export const dctx = (ctx: ProcessContext) => ({ fs: ctx.fs, net: ctx.net, signal: ctx.signal });

/** A BIND release as its tools print themselves. */
export interface BindFlavour {
  /** `DiG 9.20.4`, or Debian jessie's `DiG 9.9.5-9+deb8u19-Debian`. */
  version: string;
  /** The EDNS buffer size dig advertises (4096 before 9.16, 1232 since). */
  udp: number;
  /** Whether `;; SERVER:` names the transport (` (UDP)`, 9.16+). */
  transport: boolean;
  /** Whether nslookup asks for AAAA too (9.11+); 9.9 asks for A only. */
  aaaa: boolean;
  /** Whether each timed-out try prints `;; communications error … timed out` (9.18+); before, only the verdict. */
  perTryErrors: boolean;
}

/** BIND 9.20 (Alpine's bind-tools, Ubuntu 24.04, netshoot). */
export const BIND_920: BindFlavour = { version: '9.20.4', udp: 1232, transport: true, aaaa: true, perTryErrors: true };
/** BIND 9.9.5 as Debian jessie's dnsutils ships it (registry.k8s.io/e2e-test-images/jessie-dnsutils). */
export const BIND_99: BindFlavour = { version: '9.9.5-9+deb8u19-Debian', udp: 4096, transport: false, aaaa: false, perTryErrors: false };

/** BIND's tries per query: the tool's own option, else resolv.conf's `attempts`, else 3 (bin/dig/dighost.c setup_system). */
export function bindTries(conf: ResolvConf, given?: number): number {
  return given ?? (conf.attemptsSet && conf.attempts > 0 ? conf.attempts : 3);
}

/**
 * A query as BIND's tools send it: in 9.18+ every try that times out prints `;; communications error
 * to <server>#53: timed out` (to stdout, even when a later try is answered); 9.9 retries silently.
 * After the last try the result is timed out and the caller prints `noServers(flavour)`.
 */
export async function bindQuery(ctx: ProcessContext, server: string, name: string, type: dnsPacket.RecordType, timeoutMs: number, tries: number, flavour: BindFlavour = BIND_920): Promise<QueryResult> {
  for (let i = 0; i < tries && !ctx.signal.aborted; i++) {
    const r = await query(dctx(ctx), server, name, type, timeoutMs);
    if (!r.timedOut) return r;
    if (flavour.perTryErrors) ctx.stdout.write(`;; communications error to ${server}#53: timed out\n`);
  }
  return { rcode: 'TIMEOUT', answers: [], timedOut: true };
}

/** BIND's verdict when no try was answered: 9.18+ `;; no servers could be reached`, 9.9 `;; connection timed out; no servers could be reached`. */
export function noServers(flavour: BindFlavour): string {
  return flavour.perTryErrors ? ';; no servers could be reached\n' : ';; connection timed out; no servers could be reached\n';
}

/** The reverse-lookup name of an IPv4 address (`10.96.0.1` → `1.0.96.10.in-addr.arpa`), if it is one. */
export function reverseName(ip: string): string | undefined {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(ip) ? `${ip.split('.').reverse().join('.')}.in-addr.arpa` : undefined;
}

/** A name with its final dot. */
export const fq = (s: string): string => (s.endsWith('.') ? s : `${s}.`);

/** A record's data as dig and host print it (names fully qualified, SRV and SOA fields spaced). */
export function recordText(x: Ans): string {
  const d = x.data as Record<string, unknown> | undefined;
  if (x.type === 'SRV' && d && typeof d === 'object') return `${String(d['priority'])} ${String(d['weight'])} ${String(d['port'])} ${fq(String(d['target']))}`;
  if (x.type === 'SOA' && d && typeof d === 'object') return `${fq(String(d['mname']))} ${fq(String(d['rname']))} ${['serial', 'refresh', 'retry', 'expire', 'minimum'].map((k) => String(d[k])).join(' ')}`;
  if (x.type === 'MX' && d && typeof d === 'object') return `${String(d['preference'])} ${fq(String(d['exchange']))}`;
  if (x.type === 'TXT') return (Array.isArray(x.data) ? x.data : [x.data]).map((t) => `"${String(t)}"`).join(' ');
  if (x.type === 'CNAME' || x.type === 'PTR' || x.type === 'NS') return fq(rdata(x));
  return rdata(x);
}

/**
 * Moves from column `from` to column `to` as BIND's master-file printer does (lib/dns/masterdump.c
 * indent(), tab width 8): at least one character; tabs when a tab stop is crossed, else spaces.
 */
export function indent(from: number, to: number): string {
  const target = Math.max(to, from + 1);
  const tabs = Math.floor(target / 8) - Math.floor(from / 8);
  return tabs > 0 ? '\t'.repeat(tabs) + ' '.repeat(target - Math.floor(target / 8) * 8) : ' '.repeat(target - from);
}

/** Joins fields at BIND's columns (owner, TTL at 24, class at 32, type at 40, data at 48). */
export function columns(fields: [string, number][]): string {
  return fields.reduce((line, [text, col]) => placed(line, text, col), '');
}

/** Appends `text` at column `col` of `line` (columns counted with tab stops of 8). */
function placed(line: string, text: string, col: number): string {
  if (!line) return text;
  let c = 0;
  for (const ch of line) c = ch === '\t' ? (Math.floor(c / 8) + 1) * 8 : c + 1;
  return line + indent(c, col) + text;
}

/** A resource record line as dig prints it. */
export function recordLine(x: Ans): string {
  const ttl = (x as { ttl?: number }).ttl ?? 30;
  return columns([[fq(x.name), 0], [String(ttl), 24], ['IN', 32], [x.type, 40], [recordText(x), 48]]);
}

/** A question line as dig prints it (`;name.` then class at 32 and type at 40). */
export function questionLine(name: string, type: string): string {
  return columns([[`;${fq(name)}`, 0], ['IN', 32], [type, 40]]);
}

/** dig's `;; WHEN:` time (`Mon Dec 07 07:30:00 UTC 2026`, strftime "%a %b %d %H:%M:%S %Z %Y"). */
export function whenStamp(d: Date): string {
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const mons = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]} ${mons[d.getUTCMonth()]} ${p(d.getUTCDate())} ${d.toISOString().slice(11, 19)} UTC ${d.getUTCFullYear()}`;
}
