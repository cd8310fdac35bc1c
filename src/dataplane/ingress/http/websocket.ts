/**
 * WebSocket (HTTP/1.1 `Upgrade`) through the proxy: the upgrade request passes the same checks as
 * any request, then goes upstream on a connection of its own; a `101` answer is relayed and the
 * two connections are joined in both directions with backpressure (pipe), closing together, and
 * closed after `proxy-read-timeout` without traffic either way (nginx's proxy_read_timeout on an
 * upgraded connection). An HTTPS backend gets the TLS server name (upstream-vhost, else the host).
 */
import http, { type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import tls from 'node:tls';
import { closeWithTls } from '../../../net/tls.js';
import { hostName } from '../match.js';
import type { Exchange } from './exchange.js';
import { commonHeaders, sendPage } from './respond.js';
import type { ForwardOptions, ForwardServices } from './upstream.js';
import { forward } from './upstream.js';

/** A ServerResponse for a request Node handed over as an upgrade, so generated pages work unchanged. */
export function upgradeResponse(req: IncomingMessage, socket: Duplex): http.ServerResponse {
  const res = new http.ServerResponse(req);
  res.assignSocket(socket as Socket);
  res.shouldKeepAlive = false;
  res.once('finish', () => socket.end());
  return res;
}

function join(a: Duplex, b: Duplex, idleMs: number): void {
  const idle = idleMs > 0 ? setTimeout(() => close(), idleMs) : undefined;
  idle?.unref();
  const touch = (): void => { idle?.refresh(); };
  a.on('data', touch);
  b.on('data', touch);
  const close = (): void => { clearTimeout(idle); a.destroy(); b.destroy(); };
  a.on('error', close);
  b.on('error', close);
  a.on('close', close);
  b.on('close', close);
  a.pipe(b);
  b.pipe(a);
}

/** Creates the proxier for one upgrade request (`head`: bytes the client sent after its headers). */
export function upgradeProxier(head: Buffer): (ex: Exchange, s: ForwardServices, o: ForwardOptions) => void {
  return (ex, s, o) => {
    if (ex.req.headers.upgrade === undefined) return forward(ex, s, o);
    const cfg = ex.location!.config;
    const ep = o.first;
    ex.upstreamAddr = `${ep.ip}:${ep.port}`;
    const t0 = s.ctx.now();
    s.ctx.net.connect({ ip: ep.ip, port: ep.port }, { timeoutMs: cfg.connectTimeoutMs }).then((conn) => {
      const name = cfg.upstreamVhost ?? hostName(ex.host);
      const servername = name && !/^[0-9.]+$/.test(name) && !name.startsWith('[') ? name : undefined;
      const socket: Duplex = cfg.backendProtocol === 'HTTPS' ? tls.connect({ socket: conn as unknown as Socket, servername, rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] }) : conn;
      if (socket !== conn) closeWithTls(socket, conn);
      const ureq = http.request({ createConnection: () => socket as Socket, method: o.method, path: o.path, headers: o.headers, setHost: false } as http.RequestOptions);
      ureq.on('error', () => { ex.upstreamStatus = '502'; sendPage(ex, 502); });
      ureq.on('response', (ures) => {
        // Not switching protocols: an ordinary answer, relayed as is.
        ex.upstreamStatus = String(ures.statusCode);
        const headers: string[] = [];
        for (let i = 0; i < ures.rawHeaders.length; i += 2) {
          const n = ures.rawHeaders[i]!.toLowerCase();
          if (n !== 'connection' && n !== 'transfer-encoding' && n !== 'keep-alive') headers.push(ures.rawHeaders[i]!, ures.rawHeaders[i + 1]!);
        }
        ex.status = ures.statusCode ?? 502;
        ex.answered = true;
        (ex.res as http.ServerResponse).writeHead(ex.status, commonHeaders(ex, headers));
        ures.pipe(ex.res as http.ServerResponse);
      });
      ureq.on('upgrade', (ures, usock: Duplex, uhead: Buffer) => {
        const client = ex.req.socket as Duplex;
        ex.status = 101;
        ex.answered = true;
        ex.upstreamStatus = '101';
        ex.upstreamTime = ((s.ctx.now() - t0) / 1000).toFixed(3);
        let text = `HTTP/1.1 101 ${ures.statusMessage ?? 'Switching Protocols'}\r\n`;
        const raw = commonHeaders(ex, ures.rawHeaders.slice());
        for (let i = 0; i < raw.length; i += 2) text += `${raw[i]}: ${raw[i + 1]}\r\n`;
        client.write(text + '\r\n');
        if (uhead.length > 0) client.write(uhead);
        if (head.length > 0) usock.write(head);
        join(client, usock, cfg.readTimeoutMs);
      });
      ureq.end();
    }, (err: Error & { code?: string }) => {
      const timedOut = err.code === 'ETIMEDOUT';
      ex.upstreamStatus = timedOut ? '504' : '502';
      sendPage(ex, timedOut ? 504 : 502);
    });
  };
}
