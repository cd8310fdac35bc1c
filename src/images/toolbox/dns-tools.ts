/** dig and host (BIND 9.20 wording), querying the pod's nameserver over the virtual network; the BIND tools' retries. */
import type dnsPacket from 'dns-packet';
import type { ProcessContext, Program } from '../types.js';
import { candidates, query, readResolvConf, type QueryResult, type ResolvConf } from './resolver.js';

/** An answer record with its data. */
export type Ans = dnsPacket.Answer & { data?: unknown };
/** A record's data as text. */
export const rdata = (a: Ans): string => (typeof a.data === 'string' ? a.data : JSON.stringify(a.data));
/** What a query needs from a program. */
export const dctx = (ctx: ProcessContext) => ({ fs: ctx.fs, net: ctx.net, signal: ctx.signal });

/** BIND's tries per query: the tool's own option, else resolv.conf's `attempts`, else 3 (bin/dig/dighost.c setup_system). */
export function bindTries(conf: ResolvConf, given?: number): number {
  return given ?? (conf.attemptsSet && conf.attempts > 0 ? conf.attempts : 3);
}

/**
 * A query as BIND 9.18+ tools send it: every try that times out prints `;; communications error to
 * <server>#53: timed out` (to stdout, even when a later try is answered); after the last one the
 * result is timed out and the caller prints `;; no servers could be reached`.
 */
export async function bindQuery(ctx: ProcessContext, server: string, name: string, type: dnsPacket.RecordType, timeoutMs: number, tries: number): Promise<QueryResult> {
  for (let i = 0; i < tries && !ctx.signal.aborted; i++) {
    const r = await query(dctx(ctx), server, name, type, timeoutMs);
    if (!r.timedOut) return r;
    ctx.stdout.write(`;; communications error to ${server}#53: timed out\n`);
  }
  return { rcode: 'TIMEOUT', answers: [], timedOut: true };
}

/** dig: `@server`, `-t`/type, `+short`, standard sections. */
export const dig: Program = async (ctx) => {
  const conf = readResolvConf(ctx.fs);
  let server = conf.nameservers[0]!;
  let explicitServer = false;
  let type: dnsPacket.RecordType = 'A';
  let short = false;
  let name: string | undefined;
  let useSearch = false;
  let onlyAnswer = false;
  let tries: number | undefined;
  let timeoutMs = conf.timeoutMs;
  const a = ctx.argv.slice(1);
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const opt = /^\+(tries|retry|time)=(\d+)$/.exec(x);
    if (x.startsWith('@')) { server = x.slice(1); explicitServer = true; }
    else if (x === '-t') type = (a[++i] ?? 'A').toUpperCase() as dnsPacket.RecordType;
    else if (x === '+short') short = true;
    else if (x === '+search') useSearch = true;
    else if (x === '+noall') onlyAnswer = true;
    else if (opt) {
      const n = Number(opt[2]);
      if (opt[1] === 'time') timeoutMs = Math.max(1, n) * 1000; else tries = Math.max(1, opt[1] === 'retry' ? n + 1 : n);
    } else if (x.startsWith('+')) continue;
    // As dig does: a word that is a record type is the type, wherever it stands.
    else if (/^(A|AAAA|SRV|PTR|CNAME|MX|TXT|NS|SOA|ANY)$/i.test(x)) type = x.toUpperCase() as dnsPacket.RecordType;
    else name ??= x;
  }
  name ??= '.';
  const qname = useSearch ? candidates(name, conf)[0]! : name.replace(/\.$/, '');
  const start = Date.now();
  const head = `\n; <<>> DiG 9.20.4 <<>> ${a.join(' ')}\n${explicitServer ? '; (1 server found)\n' : ''};; global options: +cmd\n`;
  const r = await bindQuery(ctx, server, qname, type, timeoutMs, bindTries(conf, tries));
  if (r.timedOut) {
    ctx.stdout.write(`${short ? '' : head};; no servers could be reached\n`);
    return 9;
  }
  const fq = (s: string): string => (s.endsWith('.') ? s : s + '.');
  const fmt = (x: Ans): string => {
    const d = x.type === 'SRV' && x.data && typeof x.data === 'object' ? (() => { const s = x.data as { priority: number; weight: number; port: number; target: string }; return `${s.priority} ${s.weight} ${s.port} ${fq(s.target)}`; })()
      : x.type === 'CNAME' || x.type === 'PTR' || x.type === 'NS' ? fq(rdata(x)) : rdata(x);
    return d;
  };
  if (short) { for (const x of r.answers as Ans[]) ctx.stdout.write(fmt(x) + '\n'); return 0; }
  const ans = r.answers as Ans[];
  const line = (x: Ans) => `${fq(x.name)}\t${(x as { ttl?: number }).ttl ?? 30}\tIN\t${x.type}\t${fmt(x)}\n`;
  if (onlyAnswer) { ctx.stdout.write(a.includes('+answer') ? ans.map(line).join('') : ''); return 0; }
  let s = `${head};; Got answer:\n`;
  s += `;; ->>HEADER<<- opcode: QUERY, status: ${r.rcode}, id: ${Math.floor(Math.random() * 65535)}\n`;
  s += `;; flags: qr aa rd; QUERY: 1, ANSWER: ${ans.length}, AUTHORITY: 0, ADDITIONAL: 1\n;; WARNING: recursion requested but not available\n\n`;
  s += `;; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: 1232\n;; QUESTION SECTION:\n;${fq(qname)}\t\t\tIN\t${type}\n\n`;
  if (ans.length) s += ';; ANSWER SECTION:\n' + ans.map(line).join('') + '\n';
  s += `;; Query time: ${Date.now() - start} msec\n;; SERVER: ${server}#53(${server}) (UDP)\n;; WHEN: ${new Date().toUTCString().replace('GMT', 'UTC')}\n;; MSG SIZE  rcvd: ${60 + ans.length * 16}\n\n`;
  ctx.stdout.write(s);
  return 0;
};

/** host: `name has address ip` lines. */
export const host: Program = async (ctx) => {
  const name = ctx.argv.slice(1).find((x) => !x.startsWith('-'));
  if (!name) { ctx.stderr.write('Usage: host [-aCdilrTvVw] [-c class] [-N ndots] [-t type] [-W time]\n'); return 1; }
  const conf = readResolvConf(ctx.fs);
  for (const n of candidates(name, conf)) {
    const r = await query(dctx(ctx), conf.nameservers[0]!, n, 'A', conf.timeoutMs);
    if (r.timedOut) { ctx.stdout.write(`;; connection timed out; no servers could be reached\n`); return 1; }
    if (r.rcode === 'NOERROR' && r.answers.length) { for (const a of r.answers as Ans[]) if (a.type === 'A') ctx.stdout.write(`${a.name} has address ${rdata(a)}\n`); return 0; }
  }
  ctx.stdout.write(`Host ${name} not found: 3(NXDOMAIN)\n`);
  return 1;
};
