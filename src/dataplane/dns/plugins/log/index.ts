/**
 * The log plugin: one line per query in CoreDNS's common log format
 * (`[INFO] 10.244.0.5:41234 - 4242 "A IN web.default.svc.cluster.local. udp 54 false 512" NOERROR qr,aa,rd,ra 106 0.000123s`),
 * optionally only for some names and classes of responses (`class denial|error|success|all`).
 */
import { argErr, inZone, lineErr, normalizeZone, unknownProperty, type Setup } from '../../config/setup.js';
import { encodeReply } from '../../wire.js';
import type { DnsReply, DnsRequest, Plugin } from '../../types.js';

/** CoreDNS's default log format. */
export const COMMON_LOG = '{remote}:{port} - {>id} "{type} {class} {name} {proto} {size} {>do} {>bufsize}" {rcode} {>rflags} {rsize} {duration}';
/** CoreDNS's `{combined}` format. */
const COMBINED = `${COMMON_LOG} "{>opcode}"`;

type LogClass = 'all' | 'denial' | 'error' | 'success';

/** What the log plugin prints. */
export interface LogOptions { zones?: string[]; format?: string; classes?: LogClass[] }

function classOf(r: DnsReply): LogClass {
  if (r.rcode === 'NXDOMAIN' || (r.rcode === 'NOERROR' && r.answers.length === 0)) return 'denial';
  if (r.rcode === 'NOERROR') return 'success';
  return 'error';
}

/** Formats one line for a query and its reply. */
export function formatLine(format: string, req: DnsRequest, r: DnsReply, secs: number): string {
  const client = req.client ?? '-:0';
  const cut = client.lastIndexOf(':');
  const flags = ['qr', ...(r.authoritative ? ['aa'] : []), 'rd', 'ra'].join(',');
  const rsize = (): number => encodeReply({ id: req.id ?? 0, rd: true, question: { name: req.name, type: req.type as 'A', class: 'IN' }, edns: req.bufsize }, r, req.transport).length;
  const values: Record<string, () => string> = {
    remote: () => (cut < 0 ? client : client.slice(0, cut)), port: () => (cut < 0 ? '0' : client.slice(cut + 1)),
    '>id': () => String(req.id ?? 0), type: () => req.type, class: () => 'IN', name: () => `${req.name}.`, proto: () => req.transport,
    size: () => String(req.size ?? 0), '>do': () => 'false', '>bufsize': () => String(req.bufsize ?? 512), rcode: () => r.rcode,
    '>rflags': () => flags, rsize: () => String(rsize()), duration: () => `${secs.toFixed(9).replace(/0+$/, '').replace(/\.$/, '')}s`,
    '>opcode': () => 'QUERY',
  };
  return format.replace(/\{(>?[a-z]+)\}/g, (m, k: string) => values[k]?.() ?? m);
}

/** Creates the log plugin writing to the query's log sink, else `log`. */
export function logPlugin(log: (line: string) => void, o: LogOptions = {}): Plugin {
  const format = o.format ?? COMMON_LOG;
  const classes = o.classes ?? ['all'];
  return {
    name: 'log',
    async serve(req, next) {
      if (o.zones && !o.zones.some((z) => inZone(req.lname, z))) return next(req);
      const t0 = performance.now();
      const r = await next(req);
      if (classes.includes('all') || classes.includes(classOf(r))) (req.log ?? log)(`[INFO] ${formatLine(format, req, r, (performance.now() - t0) / 1000)}`);
      return r;
    },
  };
}

/** `log [NAMES...] [FORMAT] { class CLASSES... }`. */
export const setup: Setup = (d, ctx) => {
  const args = [...d.args];
  let format: string | undefined;
  const last = args[args.length - 1];
  if (last !== undefined && (last.includes('{') || last === '{common}' || last === '{combined}')) {
    args.pop();
    format = last === '{combined}' ? COMBINED : last === '{common}' ? COMMON_LOG : last;
  }
  const classes: LogClass[] = [];
  for (const o of d.block) {
    if (o.name !== 'class') throw unknownProperty('log', o);
    if (o.args.length === 0) throw argErr('log', o);
    for (const c of o.args) {
      if (c !== 'all' && c !== 'denial' && c !== 'error' && c !== 'success') throw lineErr('log', o, `unknown class: ${c}`);
      classes.push(c);
    }
  }
  return logPlugin(ctx.log, { zones: args.length ? args.map(normalizeZone) : undefined, format, classes: classes.length ? classes : undefined });
};
