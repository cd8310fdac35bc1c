/**
 * `agnhost connect host:port`: tries a TCP, UDP or SCTP connection and reports the failure class on
 * stderr (UNKNOWN, TIMEOUT, DNS, REFUSED, OTHER), as upstream's test/images/agnhost/connect does.
 */
import { isIP } from 'node:net';
import { NetError } from '../../net/types.js';
import type { ProcessContext } from '../types.js';
import { lookupHost } from '../util/dns.js';
import { untilAborted } from '../util/proc.js';
import { udpRequest } from './udp.js';

/** Options of connect. */
export interface ConnectOptions { timeoutMs: number; protocol: string; udpData: string; sctpData: string }

function splitHostPort(dest: string): { host: string; port: string } | { error: string } {
  const m = /^\[([^\]]*)\]:(.*)$/.exec(dest) ?? /^([^:]*):([^:]*)$/.exec(dest);
  if (m) return { host: m[1] ?? '', port: m[2] ?? '' };
  if (!dest.includes(':')) return { error: `address ${dest}: missing port in address` };
  return { error: `address ${dest}: too many colons in address` };
}

/** Go's text for a socket error (`syscall.Errno`). */
function errnoText(e: NetError): string {
  const texts: Partial<Record<string, string>> = { ECONNREFUSED: 'connection refused', ECONNRESET: 'connection reset by peer', ENETUNREACH: 'network is unreachable', ETIMEDOUT: 'connection timed out' };
  return texts[e.code] ?? 'no route to host';
}

/** Runs connect: exit 0 when connected (TCP), answered (UDP) or written and answered (SCTP), 1 otherwise. */
export async function connect(ctx: ProcessContext, dest: string, o: ConnectOptions): Promise<number> {
  const fail = (msg: string): number => { ctx.stderr.write(msg + '\n'); return 1; };
  const interrupted = (): number => (ctx.signal.reason === 'SIGKILL' ? 137 : 2);
  if (o.protocol !== '' && o.protocol !== 'tcp' && o.protocol !== 'udp' && o.protocol !== 'sctp') {
    ctx.stderr.write(`Unsupported protocol\n${o.protocol}`);
    return 1;
  }
  const tcp = o.protocol === '' || o.protocol === 'tcp';
  // TCP splits host and port first (UNKNOWN); UDP and SCTP (resolved with Go's TCP resolver) only resolve (DNS).
  const hp = splitHostPort(dest);
  if ('error' in hp) return fail(tcp ? `UNKNOWN: ${hp.error}` : `DNS: ${hp.error}`);
  if (!/^\d+$/.test(hp.port)) return fail(`DNS: lookup ${o.protocol === 'udp' ? 'udp' : 'tcp'}/${hp.port}: unknown port`);
  if (Number(hp.port) > 65535) return fail(`DNS: address ${hp.port}: invalid port`);
  const addr = isIP(hp.host) ? { ip: hp.host } : await lookupHost(ctx, hp.host);
  if ('error' in addr) return fail(`DNS: ${addr.error}`);
  const port = Number(hp.port);
  if (o.protocol === 'udp') {
    const r = await udpRequest(ctx, addr.ip, port, `${o.udpData}\n`, o.timeoutMs);
    if ('error' in r) return fail(`${r.refused ? 'REFUSED' : 'TIMEOUT'}: ${r.error}`);
    if (r.data.length === 0) return fail('OTHER: No data received from the server. Cannot guarantee the server received the request.');
    return 0;
  }
  if (o.protocol === 'sctp') {
    const r = await sctpExchange(ctx, addr.ip, port, `${o.sctpData}\n`, o.timeoutMs);
    return r === undefined ? 0 : r === 'interrupted' ? interrupted() : fail(r);
  }
  try {
    // No --timeout: the dial waits as long as the kernel's connect() (the network's default).
    const conn = await ctx.net.connect({ ip: addr.ip, port }, { timeoutMs: o.timeoutMs > 0 ? o.timeoutMs : undefined, signal: ctx.signal });
    conn.destroy();
    return 0;
  } catch (e) {
    if (!(e instanceof NetError)) throw e;
    if (e.code === 'EINTR') return interrupted();
    if (e.code === 'ETIMEDOUT') return fail('TIMEOUT');
    if (e.code === 'ECONNREFUSED') return fail('REFUSED');
    return fail(`OTHER: dial tcp ${dest}: connect: ${errnoText(e)}`);
  }
}

/**
 * Upstream's SCTP probe: dial, write the data, read one message, close, raced against `time.After(timeout)`.
 * A refused dial (the peer's ABORT) and a closed association are OTHER errors; a zero timeout fires at once.
 * Resolves undefined on success, else the stderr line (or 'interrupted' when the program is stopped).
 */
async function sctpExchange(ctx: ProcessContext, ip: string, port: number, data: string, timeoutMs: number): Promise<string | undefined> {
  if (timeoutMs <= 0) return 'TIMEOUT';
  const ac = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const onAbort = (): void => ac.abort();
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  const deadline = new Promise<string>((resolve) => { timer = setTimeout(() => resolve('TIMEOUT'), timeoutMs); });
  const work = (async (): Promise<string | undefined> => {
    let conn;
    try {
      conn = await ctx.net.connect({ ip, port }, { protocol: 'SCTP', signal: ac.signal });
    } catch (e) {
      if (!(e instanceof NetError)) throw e;
      return e.code === 'EINTR' ? 'interrupted' : `OTHER: ${errnoText(e)}`;
    }
    const c = conn;
    ac.signal.addEventListener('abort', () => c.destroy(), { once: true });
    return new Promise<string | undefined>((resolve) => {
      c.once('data', () => { c.end(); resolve(undefined); });
      c.once('end', () => resolve('OTHER: EOF'));
      c.once('error', (e: Error) => resolve(`OTHER: ${e instanceof NetError ? errnoText(e) : e.message}`));
      c.write(data);
    });
  })();
  // A stop ends the wait at once (destroying the association fires none of the events `work` waits for).
  const r = await Promise.race([deadline, work, untilAborted(ctx.signal).then(() => 'interrupted')]);
  clearTimeout(timer);
  ctx.signal.removeEventListener('abort', onAbort);
  ac.abort();
  return ctx.signal.aborted ? 'interrupted' : r;
}
