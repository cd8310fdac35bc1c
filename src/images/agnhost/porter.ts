/** `agnhost porter`: serves the value of each SERVE_PORT_x / SERVE_TCP_PORT_x / SERVE_UDP_PORT_x / SERVE_SCTP_PORT_x variable on port x. */
import { NetError } from '../../net/types.js';
import type { Listener } from '../../net/types.js';
import type { ProcessContext } from '../types.js';
import { goBadRequest, goReply, serveHttp, type VirtualHttpServer } from '../util/http.js';
import { goLog, untilAborted } from '../util/proc.js';

/** Runs porter until stopped (Go's default SIGTERM exit, 2). */
export async function porter(ctx: ProcessContext, jsonResponse: boolean): Promise<number> {
  const log = (m: string): void => goLog(ctx.stderr, m);
  const https: VirtualHttpServer[] = [];
  const listeners: Listener[] = [];
  const stop = (code: number): number => { for (const s of https) s.close(); for (const l of listeners) l.close(); return code; };
  for (const [key, value] of Object.entries(ctx.env)) {
    const m = /^SERVE_(PORT|TCP_PORT|UDP_PORT|TLS_PORT|SCTP_PORT)_(.*)$/.exec(key);
    if (!m) continue;
    const [, kind, port = ''] = m;
    const n = Number(port);
    if (!/^\d+$/.test(port) || n > 65535) {
      if (kind === 'UDP_PORT') { log(`UDP: failed to resolve address: address 0.0.0.0:${port}: invalid port`); return stop(1); }
      // Upstream resolves the SCTP address with Go's TCP resolver and log.Fatal's the error (Print-style: no space after "error:").
      if (kind === 'SCTP_PORT') { log(`Sctp: failed to resolve address. error:${/^\d+$/.test(port) ? `address ${port}: invalid port` : `lookup tcp/${port}: unknown port`}`); return stop(1); }
      log(`server on port "${port}" failed: listen tcp: address ${port}: invalid port`);
      continue;
    }
    try {
      if (kind === 'UDP_PORT') {
        listeners.push(ctx.net.listenUdp(n, (_d, _from, reply) => reply(Buffer.from(value))));
        log(`Started UDP server on port ${port}`);
      } else if (kind === 'SCTP_PORT') {
        // As upstream: every association gets the value written, then a graceful close.
        listeners.push(ctx.net.listenSctp(n, (conn) => {
          conn.on('error', () => undefined);
          log('Sending response');
          conn.end(value, () => log('Response sent'));
        }));
        log('Started SCTP server');
      } else if (kind === 'PORT' || kind === 'TCP_PORT') {
        https.push(serveHttp(ctx.net, n, (req, res) => {
          req.resume();
          if (jsonResponse) goReply(req, res, 200, JSON.stringify({ Method: req.method, Body: value }), { 'Content-Type': 'application/json' });
          else goReply(req, res, 200, value);
        }, goBadRequest));
      } else {
        log(`tls server on port "${port}" is not emulated by knet`);
      }
    } catch (e) {
      if (!(e instanceof NetError)) throw e;
      if (kind === 'UDP_PORT') { log(`UDP: failed to listen on port ${port}: listen udp 0.0.0.0:${port}: bind: address already in use`); return stop(1); }
      if (kind === 'SCTP_PORT') { log('Failed to listen SCTP. error:address already in use'); return stop(1); }
      log(`server on port "${port}" failed: listen tcp 0.0.0.0:${port}: bind: address already in use`);
    }
  }
  await untilAborted(ctx.signal);
  return stop(ctx.signal.reason === 'SIGKILL' ? 137 : 2);
}
