/** `agnhost connect host:port`: tries a TCP or UDP connection and reports the failure class on stderr. */
import { isIP } from 'node:net';
import { NetError } from '../../net/types.js';
import type { ProcessContext } from '../types.js';
import { lookupHost } from '../util/dns.js';
import { udpRequest } from './udp.js';

/** Options of connect. */
export interface ConnectOptions { timeoutMs: number; protocol: string; udpData: string }

function splitHostPort(dest: string): { host: string; port: string } | { error: string } {
  const m = /^\[([^\]]*)\]:(.*)$/.exec(dest) ?? /^([^:]*):([^:]*)$/.exec(dest);
  if (m) return { host: m[1] ?? '', port: m[2] ?? '' };
  if (!dest.includes(':')) return { error: `address ${dest}: missing port in address` };
  return { error: `address ${dest}: too many colons in address` };
}

/** Runs connect: exit 0 when connected (TCP) or answered (UDP), 1 otherwise. */
export async function connect(ctx: ProcessContext, dest: string, o: ConnectOptions): Promise<number> {
  const fail = (msg: string): number => { ctx.stderr.write(msg + '\n'); return 1; };
  if (o.protocol !== '' && o.protocol !== 'tcp' && o.protocol !== 'udp') {
    ctx.stderr.write(`Unsupported protocol\n${o.protocol}`);
    return 1;
  }
  const hp = splitHostPort(dest);
  if ('error' in hp) return fail(o.protocol === 'udp' ? `DNS: ${hp.error}` : `UNKNOWN: ${hp.error}`);
  if (!/^\d+$/.test(hp.port)) return fail(`DNS: lookup ${o.protocol === 'udp' ? 'udp' : 'tcp'}/${hp.port}: unknown port`);
  const addr = isIP(hp.host) ? { ip: hp.host } : await lookupHost(ctx, hp.host);
  if ('error' in addr) return fail(`DNS: ${addr.error}`);
  const port = Number(hp.port);
  if (o.protocol === 'udp') {
    const r = await udpRequest(ctx, addr.ip, port, `${o.udpData}\n`, o.timeoutMs);
    if ('error' in r) return fail(`TIMEOUT: ${r.error}`);
    if (r.data.length === 0) return fail('OTHER: No data received from the server. Cannot guarantee the server received the request.');
    return 0;
  }
  try {
    const conn = await ctx.net.connect({ ip: addr.ip, port }, { timeoutMs: o.timeoutMs > 0 ? o.timeoutMs : 127_000 });
    conn.destroy();
    return 0;
  } catch (e) {
    if (e instanceof NetError) {
      if (e.code === 'ETIMEDOUT') return fail('TIMEOUT');
      if (e.code === 'ECONNREFUSED') return fail('REFUSED');
      const what = e.code === 'ENETUNREACH' ? 'network is unreachable' : e.code === 'ECONNRESET' ? 'connection reset by peer' : 'no route to host';
      return fail(`OTHER: dial tcp ${dest}: connect: ${what}`);
    }
    throw e;
  }
}
