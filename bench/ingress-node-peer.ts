/**
 * The Ingress benchmark's third peer: the smallest reverse proxy Node.js itself makes — one
 * process, one event loop, `http.createServer` (and `https`) forwarding over a keep-alive
 * `http.Agent` to two `return 200` backends on loopback in the same process, with nginx's proxy
 * headers set and no routing table, policy or access log. It measures what the runtime allows a
 * proxy with its backends on one event loop, the shape knet has. With a process count over 1 it
 * forks that many such processes sharing the listening ports (node:cluster, each accepting for
 * itself: SCHED_NONE), each with its own backends: Node's proxy spread over every core.
 * Run by bench/ingress: `node dist/bench/ingress-node-peer.js <http-port> <https-port> <tls.crt> <tls.key> [processes=1]`.
 */
import cluster from 'node:cluster';
import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';

const [httpPort, httpsPort, crt, key, processes] = process.argv.slice(2);

function backend(text: string): Promise<number> {
  const s = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(`${text}\n`);
  });
  // exclusive: a cluster worker's own port, not one shared through the primary.
  return new Promise((resolve) => s.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => resolve((s.address() as AddressInfo).port)));
}

async function serve(): Promise<void> {
  const ports = { app: await backend('app'), api: await backend('api') };
  const agent = new http.Agent({ keepAlive: true, maxSockets: 320 });

  function proxy(scheme: string) {
    return (req: http.IncomingMessage, res: http.ServerResponse): void => {
      const port = req.url?.startsWith('/api') ? ports.api : ports.app;
      const headers: http.OutgoingHttpHeaders = {
        ...req.headers, 'x-real-ip': req.socket.remoteAddress, 'x-forwarded-for': req.socket.remoteAddress,
        'x-forwarded-proto': scheme, 'x-request-id': Math.random().toString(16).slice(2),
      };
      delete headers.connection;
      const up = http.request({ host: '127.0.0.1', port, path: req.url, method: req.method, headers, agent }, (ures) => {
        res.writeHead(ures.statusCode ?? 502, ures.headers);
        ures.pipe(res);
      });
      up.on('error', () => { res.writeHead(502); res.end(); });
      req.pipe(up);
    };
  }

  http.createServer(proxy('http')).listen(Number(httpPort), '127.0.0.1');
  https.createServer({ cert: readFileSync(crt!), key: readFileSync(key!) }, proxy('https')).listen(Number(httpsPort), '127.0.0.1');
}

// The bench holds our stdin open: when it ends (the bench exited or was killed), so do we.
process.stdin.on('end', () => process.exit(0)).resume();

const forks = Number(processes ?? '1');
if (forks > 1 && cluster.isPrimary) {
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  for (let i = 0; i < forks; i++) cluster.fork();
} else {
  await serve();
}
