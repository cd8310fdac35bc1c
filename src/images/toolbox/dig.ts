/**
 * dig and host as a BIND release prints them, querying the pod's nameserver over the virtual network:
 * `@server`, `-t`/type words, `-x`, `+search`, `+short`, section toggles (`+noall +answer`, `+nocmd`,
 * `+nostats`, …), `+tries`/`+retry`/`+time`; host's `has address`, `domain name pointer`, `not found`.
 */
import dnsPacket from 'dns-packet';
import type { Program } from '../types.js';
import { candidates, readResolvConf, type QueryResult } from './resolver.js';
import { bindQuery, bindTries, fq, noServers, questionLine, recordLine, recordText, reverseName, whenStamp, type Ans, type BindFlavour } from './bind.js';

const TYPES = /^(A|AAAA|SRV|PTR|CNAME|MX|TXT|NS|SOA|ANY)$/i;
const SECTIONS = ['cmd', 'comments', 'question', 'answer', 'authority', 'additional', 'stats'] as const;
type Section = typeof SECTIONS[number];

/** The message size dig reports: the answer re-encoded with its OPT record. */
function msgSize(name: string, type: dnsPacket.RecordType, r: QueryResult, udp: number): number {
  try {
    return dnsPacket.encode({
      type: 'response', questions: [{ name, type, class: 'IN' }], answers: r.answers, authorities: r.authorities ?? [],
      additionals: [{ type: 'OPT', name: '.', udpPayloadSize: udp } as dnsPacket.Answer],
    }).length;
  } catch { return 0; }
}

/** dig of one BIND release. */
export function digProgram(flavour: BindFlavour): Program {
  return async (ctx) => {
    const conf = readResolvConf(ctx.fs);
    let server = conf.nameservers[0]!;
    let explicitServer = false;
    let type: dnsPacket.RecordType | undefined;
    let short = false;
    let name: string | undefined;
    let useSearch = false;
    let tries: number | undefined;
    let timeoutMs = conf.timeoutMs;
    const on = new Set<Section>(SECTIONS);
    const a = ctx.argv.slice(1);
    for (let i = 0; i < a.length; i++) {
      const x = a[i]!;
      const opt = /^\+(tries|retry|time)=(\d+)$/.exec(x);
      const toggle = /^\+(no)?(all|cmd|comments|question|answer|authority|additional|stats)$/.exec(x);
      if (x.startsWith('@')) { server = x.slice(1); explicitServer = true; }
      else if (x === '-t') type = (a[++i] ?? 'A').toUpperCase() as dnsPacket.RecordType;
      else if (x === '-q') name = a[++i];
      else if (x === '-x') { const ip = a[++i] ?? ''; name = reverseName(ip) ?? ip; type ??= 'PTR'; }
      else if (x === '-p' || x === '-c') i++;
      else if (x === '+short') short = true;
      else if (x === '+search') useSearch = true;
      else if (x === '+nosearch') useSearch = false;
      else if (toggle) {
        const which = toggle[2] === 'all' ? [...SECTIONS] : [toggle[2] as Section];
        for (const s of which) if (toggle[1]) on.delete(s); else on.add(s);
      } else if (opt) {
        const n = Number(opt[2]);
        if (opt[1] === 'time') timeoutMs = Math.max(1, n) * 1000; else tries = Math.max(1, opt[1] === 'retry' ? n + 1 : n);
      } else if (x.startsWith('+') || x.startsWith('-') || /^IN$/i.test(x)) continue;
      // As dig does: a word that is a record type is the type, wherever it stands.
      else if (TYPES.test(x) && type === undefined) type = x.toUpperCase() as dnsPacket.RecordType;
      else name ??= x;
    }
    name ??= '.';
    const qtype = type ?? (name === '.' ? 'NS' : 'A');
    const bare = name.replace(/\.$/, '') || '.';
    const names = useSearch && !name.endsWith('.') ? candidates(name, conf) : [bare];
    const n = bare === '.' ? 1 : bindTries(conf, tries);
    const start = Date.now();
    const head = `\n; <<>> DiG ${flavour.version} <<>> ${a.join(' ')}\n${explicitServer ? '; (1 server found)\n' : ''};; global options: +cmd\n`;
    let qname = names[0]!;
    let r: QueryResult | undefined;
    for (const cand of names) {
      qname = cand;
      r = await bindQuery(ctx, server, cand, qtype, timeoutMs, n, flavour);
      if (r.timedOut || r.rcode === 'NOERROR') break;
    }
    if (!r || r.timedOut) { ctx.stdout.write(`${short || !on.has('cmd') ? '' : head}${noServers(flavour)}`); return 9; }
    const ans = r.answers as Ans[];
    const auth = (r.authorities ?? []) as Ans[];
    if (short) { ctx.stdout.write(ans.map((x) => `${recordText(x)}\n`).join('')); return 0; }
    let s = on.has('cmd') ? head : '';
    if (on.has('comments')) {
      s += ';; Got answer:\n';
      s += `;; ->>HEADER<<- opcode: QUERY, status: ${r.rcode}, id: ${Math.floor(Math.random() * 65535)}\n`;
      s += `;; flags: qr aa rd; QUERY: 1, ANSWER: ${ans.length}, AUTHORITY: ${auth.length}, ADDITIONAL: 1\n;; WARNING: recursion requested but not available\n\n`;
      s += `;; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: ${flavour.udp}\n`;
    }
    const section = (key: Section, title: string, body: string) => {
      if (!on.has(key) || !body) return;
      s += `${on.has('comments') ? `;; ${title} SECTION:\n` : ''}${body}${on.has('comments') ? '\n' : ''}`;
    };
    section('question', 'QUESTION', `${questionLine(qname, qtype)}\n`);
    section('answer', 'ANSWER', ans.map((x) => `${recordLine(x)}\n`).join(''));
    section('authority', 'AUTHORITY', auth.map((x) => `${recordLine(x)}\n`).join(''));
    if (on.has('stats')) {
      s += `;; Query time: ${Date.now() - start} msec\n;; SERVER: ${server}#53(${server})${flavour.transport ? ' (UDP)' : ''}\n`;
      s += `;; WHEN: ${whenStamp(new Date())}\n;; MSG SIZE  rcvd: ${msgSize(qname, qtype, r, flavour.udp)}\n\n`;
    }
    ctx.stdout.write(s);
    return 0;
  };
}

/** What host prints for one answer record. */
function hostLine(x: Ans): string {
  switch (x.type) {
    case 'A': return `${x.name} has address ${recordText(x)}`;
    case 'AAAA': return `${x.name} has IPv6 address ${recordText(x)}`;
    case 'CNAME': return `${x.name} is an alias for ${recordText(x)}`;
    case 'PTR': return `${x.name} domain name pointer ${recordText(x)}`;
    case 'MX': return `${x.name} mail is handled by ${recordText(x)}`;
    case 'SRV': return `${x.name} has SRV record ${recordText(x)}`;
    case 'TXT': return `${x.name} descriptive text ${recordText(x)}`;
    case 'NS': return `${x.name} name server ${recordText(x)}`;
    default: return `${x.name} has ${x.type} record ${recordText(x)}`;
  }
}

/** host of one BIND release: A, AAAA and MX for a name (search list per ndots), PTR for an address. */
export function hostProgram(flavour: BindFlavour): Program {
  return async (ctx) => {
    const a = ctx.argv.slice(1);
    let type: dnsPacket.RecordType | undefined;
    const words: string[] = [];
    for (let i = 0; i < a.length; i++) {
      if (a[i] === '-t') type = (a[++i] ?? 'A').toUpperCase() as dnsPacket.RecordType;
      else if (a[i] === '-W' || a[i] === '-N' || a[i] === '-c' || a[i] === '-R') i++;
      else if (!a[i]!.startsWith('-')) words.push(a[i]!);
    }
    const [name, given] = words;
    if (!name) { ctx.stderr.write('Usage: host [-aCdilrTvVw] [-c class] [-N ndots] [-t type] [-W time]\n'); return 1; }
    const conf = readResolvConf(ctx.fs);
    const server = given ?? conf.nameservers[0]!;
    if (given) ctx.stdout.write(`Using domain server:\nName: ${given}\nAddress: ${given}#53\nAliases: \n\n`);
    const rev = reverseName(name);
    const names = rev ? [rev] : candidates(name, conf);
    const types: dnsPacket.RecordType[] = type ? [type] : rev ? ['PTR'] : ['A', 'AAAA', 'MX'];
    for (const n of names) {
      const first = await bindQuery(ctx, server, n, types[0]!, conf.timeoutMs, bindTries(conf), flavour);
      if (first.timedOut) { ctx.stdout.write(`;; connection timed out; no servers could be reached\n`); return 1; }
      if (first.rcode !== 'NOERROR') continue;
      const out: string[] = (first.answers as Ans[]).map(hostLine);
      for (const t of types.slice(1)) {
        const r = await bindQuery(ctx, server, n, t, conf.timeoutMs, bindTries(conf), flavour);
        for (const x of r.answers as Ans[]) if (x.type === t) out.push(hostLine(x));
      }
      if (!out.length && type) out.push(`${n} has no ${type} record`);
      ctx.stdout.write(out.map((l) => `${l}\n`).join(''));
      return 0;
    }
    ctx.stdout.write(`Host ${rev ? fq(rev) : name} not found: 3(NXDOMAIN)\n`);
    return 1;
  };
}
