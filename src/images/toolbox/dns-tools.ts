/** nslookup (busybox and BIND wording), dig and host, querying the pod's nameserver over the virtual network. */
import type dnsPacket from 'dns-packet';
import type { ProcessContext, Program } from '../types.js';
import { candidates, query, readResolvConf, type QueryResult } from './resolver.js';

type Ans = dnsPacket.Answer & { data?: unknown };
const rdata = (a: Ans): string => (typeof a.data === 'string' ? a.data : JSON.stringify(a.data));
const dctx = (ctx: ProcessContext) => ({ fs: ctx.fs, net: ctx.net, signal: ctx.signal });

function printAnswers(ctx: ProcessContext, r: QueryResult, bind: boolean): number {
  let n = 0;
  for (const a of r.answers as Ans[]) {
    if (a.type === 'CNAME') { ctx.stdout.write(`${a.name}\tcanonical name = ${rdata(a)}.\n`); continue; }
    if (a.type !== 'A' && a.type !== 'AAAA') continue;
    ctx.stdout.write(`Name:\t${a.name}\nAddress: ${rdata(a)}\n`);
    n++;
  }
  void bind;
  return n;
}

/** nslookup; `bind` selects BIND's wording (`Address:\tIP#53`, search list for every name). */
export function nslookupProgram(bind: boolean): Program {
  return async (ctx) => {
    const args = ctx.argv.slice(1).filter((a) => !a.startsWith('-'));
    const typeArg = ctx.argv.slice(1).find((a) => /^-(type|query|q)=/i.test(a));
    const name = args[0];
    if (!name) { ctx.stderr.write(bind ? '' : 'BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n'); return 1; }
    const conf = readResolvConf(ctx.fs);
    const server = args[1] ?? conf.nameservers[0]!;
    const header = bind ? `Server:\t\t${server}\nAddress:\t${server}#53\n\n` : `Server:\t\t${server}\nAddress:\t${server}:53\n\n`;
    const types: dnsPacket.RecordType[] = typeArg ? [typeArg.split('=')[1]!.toUpperCase() as dnsPacket.RecordType] : ['A', 'AAAA'];
    const ptr = /^\d+\.\d+\.\d+\.\d+$/.test(name);
    const timeout = conf.timeoutMs;
    if (bind) {
      const names = ptr ? [name.split('.').reverse().join('.') + '.in-addr.arpa'] : candidates(name, conf);
      for (const n of names) {
        const r = await query(dctx(ctx), server, n, ptr ? 'PTR' : types[0]!, timeout);
        if (r.timedOut) { ctx.stdout.write(`;; connection timed out; no servers could be reached\n\n`); return 1; }
        if (r.rcode === 'NOERROR' && r.answers.length) {
          ctx.stdout.write(header);
          if (ptr) for (const a of r.answers as Ans[]) ctx.stdout.write(`${n}\tname = ${rdata(a)}.\n`);
          else printAnswers(ctx, r, true);
          if (!typeArg && !ptr) {
            const r6 = await query(dctx(ctx), server, n, 'AAAA', timeout);
            printAnswers(ctx, r6, true);
          }
          ctx.stdout.write('\n');
          return 0;
        }
      }
      ctx.stdout.write(`${header}** server can't find ${name}: NXDOMAIN\n\n`);
      return 1;
    }
    ctx.stdout.write(header);
    const names = ptr ? [name.split('.').reverse().join('.') + '.in-addr.arpa'] : !name.includes('.') && conf.search.length ? conf.search.map((d) => `${name}.${d}`) : [name];
    let found = 0;
    let timedOut = 0;
    const qs = ptr ? names.map((n) => [n, 'PTR'] as const) : types.flatMap((t) => names.map((n) => [n, t] as const));
    const results = await Promise.all(qs.map(([n, t]) => query(dctx(ctx), server, n, t, timeout)));
    results.forEach((r, i) => {
      const n = qs[i]![0];
      if (r.timedOut) { timedOut++; return; }
      if (r.rcode !== 'NOERROR') { ctx.stdout.write(`** server can't find ${n}: ${r.rcode}\n\n`); return; }
      if (ptr) { for (const a of r.answers as Ans[]) ctx.stdout.write(`${n}\tname = ${rdata(a)}\n`); found += r.answers.length; ctx.stdout.write('\n'); return; }
      const k = printAnswers(ctx, r, false);
      found += k;
      if (!k) ctx.stdout.write(`*** Can't find ${n}: No answer\n`);
      ctx.stdout.write('\n');
    });
    if (timedOut === results.length) { ctx.stdout.write(';; connection timed out; no servers could be reached\n\n'); return 1; }
    return found ? 0 : 1;
  };
}

/** dig: `@server`, `-t`/type, `+short`, standard sections. */
export const dig: Program = async (ctx) => {
  const conf = readResolvConf(ctx.fs);
  let server = conf.nameservers[0]!;
  let type: dnsPacket.RecordType = 'A';
  let short = false;
  let name: string | undefined;
  let useSearch = false;
  let onlyAnswer = false;
  const a = ctx.argv.slice(1);
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    if (x.startsWith('@')) server = x.slice(1);
    else if (x === '-t') type = (a[++i] ?? 'A').toUpperCase() as dnsPacket.RecordType;
    else if (x === '+short') short = true;
    else if (x === '+search') useSearch = true;
    else if (x === '+noall') onlyAnswer = true;
    else if (x.startsWith('+')) continue;
    // As dig does: a word that is a record type is the type, wherever it stands.
    else if (/^(A|AAAA|SRV|PTR|CNAME|MX|TXT|NS|SOA|ANY)$/i.test(x)) type = x.toUpperCase() as dnsPacket.RecordType;
    else name ??= x;
  }
  name ??= '.';
  const qname = useSearch ? candidates(name, conf)[0]! : name.replace(/\.$/, '');
  const start = Date.now();
  const r = await query(dctx(ctx), server, qname, type, conf.timeoutMs);
  if (r.timedOut) {
    ctx.stdout.write(short ? `;; communications error to ${server}#53: timed out\n` : `;; communications error to ${server}#53: timed out\n;; communications error to ${server}#53: timed out\n\n; <<>> DiG 9.20.4 <<>> ${a.join(' ')}\n;; global options: +cmd\n;; no servers could be reached\n`);
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
  let s = `\n; <<>> DiG 9.20.4 <<>> ${a.join(' ')}\n;; global options: +cmd\n;; Got answer:\n`;
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
