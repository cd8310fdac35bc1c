/** The host listener: real UDP and TCP sockets on 127.0.0.1:<port> (port 0: any free port, the same for both). */
import dgram from 'node:dgram';
import net from 'node:net';
import { once } from 'node:events';
import { describeLimitHit, type ConnectionBudget } from '../../../net/budget.js';
import type { DnsHandler } from '../handler.js';
import { serveStream } from './stream.js';

/** A running host listener. */
export interface HostListener { readonly port: number; close(): Promise<void> }

async function bindUdp(port: number): Promise<dgram.Socket> {
  const sock = dgram.createSocket({ type: 'udp4' });
  const failed = once(sock, 'error').then(([e]) => { throw e; });
  sock.bind(port, '127.0.0.1');
  await Promise.race([once(sock, 'listening'), failed]);
  return sock;
}

async function bindTcp(port: number, onConn: (s: net.Socket) => void): Promise<net.Server> {
  const srv = net.createServer({ allowHalfOpen: true }, onConn);
  const failed = once(srv, 'error').then(([e]) => { throw e; });
  srv.listen(port, '127.0.0.1');
  await Promise.race([once(srv, 'listening'), failed]);
  return srv;
}

/**
 * Listens on 127.0.0.1 for UDP and TCP DNS; rejects with the socket error (EADDRINUSE, EACCES) when
 * the port is taken. With a budget, TCP connections beyond the listener's cap are closed at once.
 */
export async function listenHost(handler: DnsHandler, port: number, log: (line: string) => void = () => undefined, budget?: ConnectionBudget): Promise<HostListener> {
  const conns = new Set<net.Socket>();
  let bound = port;
  const gate = budget?.gate((hit) => log(`[WARNING] dns: ${describeLimitHit(`tcp 127.0.0.1:${bound}`, hit)}`));
  const onConn = (s: net.Socket): void => {
    if (gate && !gate.admit(s)) { s.on('error', () => undefined); s.destroy(); return; }
    conns.add(s);
    s.on('close', () => conns.delete(s));
    serveStream(s, handler, `${s.remoteAddress ?? ''}:${s.remotePort ?? 0}`);
  };
  let udp: dgram.Socket | undefined, tcp: net.Server | undefined;
  for (let attempt = 0; ; attempt++) {
    udp = await bindUdp(port);
    const p = udp.address().port;
    try {
      tcp = await bindTcp(p, onConn);
      break;
    } catch (e) {
      udp.close();
      if (port !== 0 || attempt >= 20) throw e;
    }
  }
  const u = udp;
  bound = u.address().port;
  u.on('error', (e) => log(`[ERROR] dns: udp: ${e.message}`));
  const send = (reply: Buffer | undefined, rport: number, addr: string): void => {
    if (!reply) return;
    try { u.send(reply, rport, addr); } catch { /* socket closed */ }
  };
  u.on('message', (msg, rinfo) => {
    const hit = handler.cached(msg, 'udp');
    if (hit) send(hit, rinfo.port, rinfo.address);
    else void handler.handle(msg, 'udp', `${rinfo.address}:${rinfo.port}`).then((r) => send(r, rinfo.port, rinfo.address));
  });
  const t = tcp;
  return {
    port: u.address().port,
    async close() {
      for (const c of conns) c.destroy();
      await Promise.all([new Promise<void>((r) => u.close(() => r())), new Promise<void>((r) => t.close(() => r()))]);
    },
  };
}
