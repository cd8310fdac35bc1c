/**
 * The stand-in for images knet cannot run: it serves every declared containerPort — HTTP requests get
 * the pod's identity, other TCP streams are echoed, UDP datagrams are echoed — and runs until stopped.
 */
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Conn, Listener } from '../net/types.js';
import { NetError } from '../net/types.js';
import type { ProcessContext } from './types.js';
import { decorateConn } from './util/http.js';
import { untilAborted } from './util/proc.js';

const HTTP_START = /^(GET|HEAD|POST|PUT|DELETE|PATCH|OPTIONS|CONNECT|TRACE|PRI) /;

/** The identity the stand-in reports. */
export function identity(ctx: ProcessContext, port: number, req?: IncomingMessage): Record<string, string | number> {
  return {
    message: `image ${ctx.pod.image} is not runnable here; knet runs a stand-in`,
    pod: ctx.pod.name, namespace: ctx.pod.namespace, ip: ctx.pod.ip, node: ctx.pod.nodeName,
    container: ctx.pod.containerName, image: ctx.pod.image, port,
    ...(req ? { request: `${req.method ?? ''} ${req.url ?? ''} HTTP/${req.httpVersion}`, client: `${req.socket.remoteAddress ?? ''}:${req.socket.remotePort ?? 0}` } : {}),
  };
}

function respond(ctx: ProcessContext, port: number, req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  const id = identity(ctx, port, req);
  const json = /json/.test(String(req.headers.accept ?? ''));
  const body = json ? JSON.stringify(id, null, 2) + '\n' : Object.entries(id).map(([k, v]) => `${k}: ${v}`).join('\n') + '\n';
  res.setHeader('Content-Type', json ? 'application/json' : 'text/plain; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.setHeader('X-Knet-Stand-In', ctx.pod.image);
  res.end(req.method === 'HEAD' ? undefined : body);
  ctx.stdout.write(`${new Date().toISOString()} ${id.client} "${id.request}" 200 ${Buffer.byteLength(body)}\n`);
}

/** The stand-in program: serves ctx.ports until stopped (exit 143 on SIGTERM). */
export async function standIn(ctx: ProcessContext): Promise<number> {
  const ports = ctx.ports ?? [];
  const listeners: Listener[] = [];
  const conns = new Set<Conn>();
  for (const p of ports) {
    try {
      if (p.protocol === 'UDP') {
        listeners.push(ctx.net.listenUdp(p.containerPort, (data, _from, reply) => reply(data)));
        continue;
      }
      if (p.protocol !== 'TCP' && p.protocol !== '') continue;
      const server = http.createServer({ keepAliveTimeout: 0, requestTimeout: 0, headersTimeout: 0 } as http.ServerOptions, (req, res) => respond(ctx, p.containerPort, req, res));
      listeners.push(ctx.net.listen(p.containerPort, (conn) => {
        decorateConn(conn);
        conns.add(conn);
        conn.on('close', () => conns.delete(conn));
        conn.on('error', () => conns.delete(conn));
        conn.once('data', (first: Buffer) => {
          if (HTTP_START.test(first.subarray(0, 8).toString('latin1'))) {
            conn.pause();
            conn.unshift(first);
            server.emit('connection', conn);
            conn.resume();
          } else {
            conn.write(first);
            conn.pipe(conn);
          }
        });
      }));
    } catch (e) {
      if (!(e instanceof NetError)) throw e;
      ctx.stderr.write(`knet stand-in: port ${p.containerPort}/${p.protocol}: address already in use\n`);
    }
  }
  const served = ports.map((p) => `${p.containerPort}/${p.protocol || 'TCP'}`).join(', ');
  ctx.stdout.write(`knet: image ${ctx.pod.image} is not runnable here; knet runs a stand-in${served ? ` serving ${served}` : ''}\n`);
  await untilAborted(ctx.signal);
  for (const l of listeners) l.close();
  for (const c of conns) c.destroy();
  return ctx.signal.reason === 'SIGKILL' ? 137 : 143;
}
