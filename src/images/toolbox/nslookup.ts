/** nslookup in busybox's and BIND 9.20's wording, querying the pod's nameserver over the virtual network. */
import type dnsPacket from 'dns-packet';
import type { ProcessContext, Program } from '../types.js';
import { bindQuery, bindTries, dctx, noServers, rdata, BIND_920, type Ans, type BindFlavour } from './bind.js';
import { candidates, query, readResolvConf, type QueryResult } from './resolver.js';

/** Busybox's own query timeout (networking/nslookup.c INIT_G: 5 s; resolv.conf options are not read). */
const BUSYBOX_TIMEOUT_S = 5;

function printAnswers(ctx: ProcessContext, r: QueryResult): number {
  let n = 0;
  for (const a of r.answers as Ans[]) {
    if (a.type === 'CNAME') { ctx.stdout.write(`${a.name}\tcanonical name = ${rdata(a)}.\n`); continue; }
    if (a.type !== 'A' && a.type !== 'AAAA') continue;
    ctx.stdout.write(`Name:\t${a.name}\nAddress: ${rdata(a)}\n`);
    n++;
  }
  return n;
}

/** The value of a `-name=value` option (the last one given). */
function option(argv: string[], names: RegExp): string | undefined {
  const hits = argv.filter((a) => names.test(a.replace(/=.*/, '')));
  return hits.length ? hits[hits.length - 1]!.split('=')[1] : undefined;
}

/** nslookup; `bind` selects BIND's wording (`Address:\tIP#53`, search list for every name, communications errors), `true` as 9.20. */
export function nslookupProgram(bind: boolean | BindFlavour): Program {
  const flavour = bind === true ? BIND_920 : bind || undefined;
  return async (ctx) => {
    const argv = ctx.argv.slice(1);
    const args = argv.filter((a) => !a.startsWith('-'));
    const typeArg = option(argv, /^-(type|querytype|query|q)$/i);
    const name = args[0];
    if (!name) { ctx.stderr.write(bind ? '' : 'BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n'); return 1; }
    const conf = readResolvConf(ctx.fs);
    const server = args[1] ?? conf.nameservers[0]!;
    const header = bind ? `Server:\t\t${server}\nAddress:\t${server}#53\n\n` : `Server:\t\t${server}\nAddress:\t${server}:53\n\n`;
    const types: dnsPacket.RecordType[] = typeArg ? [typeArg.toUpperCase() as dnsPacket.RecordType] : ['A', 'AAAA'];
    const ptr = /^\d+\.\d+\.\d+\.\d+$/.test(name);
    const timeoutOpt = option(argv, /^-(timeout|t)$/);
    if (bind) {
      const timeout = timeoutOpt ? Number(timeoutOpt) * 1000 : conf.timeoutMs;
      const retry = option(argv, /^-(retry|ret)$/);
      const tries = bindTries(conf, retry ? Math.max(1, Number(retry)) : undefined);
      const names = ptr ? [name.split('.').reverse().join('.') + '.in-addr.arpa'] : candidates(name, conf);
      for (const n of names) {
        const r = await bindQuery(ctx, server, n, ptr ? 'PTR' : types[0]!, timeout, tries, flavour);
        if (r.timedOut) { ctx.stdout.write(noServers(flavour ?? BIND_920)); return 1; }
        if (r.rcode === 'NOERROR' && r.answers.length) {
          ctx.stdout.write(header);
          if (ptr) for (const a of r.answers as Ans[]) ctx.stdout.write(`${n}\tname = ${rdata(a)}.\n`);
          else printAnswers(ctx, r);
          if (!typeArg && !ptr && flavour?.aaaa) printAnswers(ctx, await bindQuery(ctx, server, n, 'AAAA', timeout, tries, flavour));
          ctx.stdout.write('\n');
          return 0;
        }
      }
      ctx.stdout.write(`${header}** server can't find ${name}: NXDOMAIN\n\n`);
      return 1;
    }
    // Busybox sends every query at once; the header comes with the first reply, unanswered queries are listed last.
    const timeout = (timeoutOpt ? Math.max(1, Number(timeoutOpt)) : BUSYBOX_TIMEOUT_S) * 1000;
    const names = ptr ? [name.split('.').reverse().join('.') + '.in-addr.arpa'] : !name.includes('.') && conf.search.length ? conf.search.map((d) => `${name}.${d}`) : [name];
    const qs = ptr ? names.map((n) => [n, 'PTR'] as const) : types.flatMap((t) => names.map((n) => [n, t] as const));
    const results = await Promise.all(qs.map(([n, t]) => query(dctx(ctx), server, n, t, timeout)));
    if (results.every((r) => r.timedOut)) { ctx.stdout.write(';; connection timed out; no servers could be reached\n\n'); return 1; }
    ctx.stdout.write(header);
    let found = 0;
    results.forEach((r, i) => {
      const n = qs[i]![0];
      if (r.timedOut) return;
      if (r.rcode !== 'NOERROR') { ctx.stdout.write(`** server can't find ${n}: ${r.rcode}\n\n`); return; }
      if (ptr) { for (const a of r.answers as Ans[]) ctx.stdout.write(`${n}\tname = ${rdata(a)}\n`); found += r.answers.length; ctx.stdout.write('\n'); return; }
      const k = printAnswers(ctx, r);
      found += k;
      if (!k) ctx.stdout.write(`*** Can't find ${n}: No answer\n`);
      ctx.stdout.write('\n');
    });
    const missing = qs.filter((_, i) => results[i]!.timedOut);
    for (const [n] of missing) ctx.stdout.write(`*** Can't find ${n}: No answer\n`);
    if (missing.length) ctx.stdout.write('\n');
    return found ? 0 : 1;
  };
}
