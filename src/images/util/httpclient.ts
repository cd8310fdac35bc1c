/** A minimal HTTP/1.1 GET over the pod's network stack, as Go's http.Client sends it. */
import http from 'node:http';
import type { Socket } from 'node:net';
import type { NetStack } from '../../net/types.js';
import { NetError } from '../../net/types.js';

/** A response: status and body. */
export interface HttpResult { status: number; body: string }

/** Why a request failed: the dial was refused/unreachable, timed out, or the exchange broke. */
export class HttpClientError extends Error {
  constructor(readonly kind: 'refused' | 'timeout' | 'unreachable' | 'reset', message: string) { super(message); }
}

/** GETs `path` from ip:port with Go's default headers, failing after `timeoutMs`. */
export async function goHttpGet(net: NetStack, ip: string, port: number, path: string, timeoutMs: number): Promise<HttpResult> {
  const deadline = Date.now() + timeoutMs;
  let conn;
  try {
    conn = await net.connect({ ip, port }, { timeoutMs });
  } catch (e) {
    if (e instanceof NetError) {
      if (e.code === 'ECONNREFUSED') throw new HttpClientError('refused', `dial tcp ${ip}:${port}: connect: connection refused`);
      if (e.code === 'ETIMEDOUT') throw new HttpClientError('timeout', `dial tcp ${ip}:${port}: i/o timeout (Client.Timeout exceeded while awaiting headers)`);
      throw new HttpClientError('unreachable', `dial tcp ${ip}:${port}: connect: no route to host`);
    }
    throw e;
  }
  const c = conn;
  return new Promise<HttpResult>((resolve, reject) => {
    const timer = setTimeout(() => {
      c.destroy();
      reject(new HttpClientError('timeout', 'context deadline exceeded (Client.Timeout exceeded while awaiting headers)'));
    }, Math.max(0, deadline - Date.now()));
    const req = http.request({
      method: 'GET', path, createConnection: () => c as unknown as Socket,
      headers: { Host: `${ip}:${port}`, 'User-Agent': 'Go-http-client/1.1', 'Accept-Encoding': 'gzip' },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => { clearTimeout(timer); c.end(); resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }); });
      res.on('error', () => { clearTimeout(timer); reject(new HttpClientError('reset', 'unexpected EOF')); });
    });
    req.removeHeader('Connection');
    req.on('error', () => { clearTimeout(timer); reject(new HttpClientError('reset', 'EOF')); });
    req.end();
  });
}
