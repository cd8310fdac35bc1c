/** `traefik/whoami`: prints the hostname, the IPs, the remote address and the request it received. */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { NetError } from '../net/types.js';
import type { ImageDef, ProcessContext } from './types.js';
import { canonicalHeader, goBadRequest, goReply, remoteAddr, serveHttp } from './util/http.js';
import { parseGoFlags, parseGoDuration } from './util/flags.js';
import { goLog, sleep, untilAborted } from './util/proc.js';

/** The interface addresses whoami lists for a pod (loopback, the pod IPs, the link-local IPv6). */
export function podIPs(ctx: ProcessContext): string[] {
  const own = ctx.net.ips.filter((ip) => ip !== '127.0.0.1');
  const [, , c = 0, d = 0] = (own[0] ?? ctx.pod.ip).split('.').map(Number);
  return ['127.0.0.1', '::1', ...own, `fe80::${((c << 8) | d).toString(16)}:ff:fe00:1`];
}

/** The request as Go's Request.Write renders it. */
export function requestDump(req: IncomingMessage, body: Buffer): string {
  let s = `${req.method ?? 'GET'} ${req.url ?? '/'} HTTP/1.1\r\nHost: ${req.headers.host ?? ''}\r\n`;
  s += `User-Agent: ${req.headers['user-agent'] ?? 'Go-http-client/1.1'}\r\n`;
  if (body.length > 0) s += `Content-Length: ${body.length}\r\n`;
  const skip = new Set(['host', 'user-agent', 'content-length', 'transfer-encoding', 'trailer']);
  const hs: [string, string][] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const k = req.rawHeaders[i] ?? '';
    if (!skip.has(k.toLowerCase())) hs.push([canonicalHeader(k), req.rawHeaders[i + 1] ?? '']);
  }
  hs.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  for (const [k, v] of hs) s += `${k}: ${v}\r\n`;
  return s + '\r\n' + body.toString();
}

/** The whoami program. */
export async function whoami(ctx: ProcessContext): Promise<number> {
  const parsed = parseGoFlags(ctx.argv.slice(1), { verbose: 'bool', cert: 'string', key: 'string', cacert: 'string', port: 'string', name: 'string' },
    { verbose: false, port: ctx.env.WHOAMI_PORT_NUMBER || '80', name: ctx.env.WHOAMI_NAME ?? '' });
  if (!parsed.ok) { ctx.stderr.write(`${parsed.error}\nUsage of /whoami:\n`); return 2; }
  const { port, name } = parsed.values;
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => void respond(req, res, Buffer.concat(chunks)));
  };
  const respond = async (req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/health') { goReply(req, res, 200, ''); return; }
    const hostname = ctx.pod.hostname;
    if (url.pathname === '/api') {
      const headers: Record<string, string[]> = {};
      for (let i = 0; i < req.rawHeaders.length; i += 2) (headers[canonicalHeader(req.rawHeaders[i] ?? '')] ??= []).push(req.rawHeaders[i + 1] ?? '');
      delete headers.Host;
      const data = { hostname, ip: podIPs(ctx), headers, url: req.url, host: req.headers.host, method: req.method, ...(name ? { name } : {}), remoteAddr: remoteAddr(req) };
      goReply(req, res, 200, JSON.stringify(data) + '\n', { 'Content-Type': 'application/json' });
      return;
    }
    const wait = url.searchParams.get('wait');
    const ms = wait ? parseGoDuration(wait) : undefined;
    if (ms) await sleep(ms, ctx.signal);
    let out = name ? `Name: ${String(name)}\n` : '';
    out += `Hostname: ${hostname}\n`;
    for (const ip of podIPs(ctx)) out += `IP: ${ip}\n`;
    out += `RemoteAddr: ${remoteAddr(req)}\n`;
    out += requestDump(req, body);
    if (/^(1|t|true|TRUE|True)$/.test(url.searchParams.get('env') ?? '')) for (const [k, v] of Object.entries(ctx.env)) out += `${k}=${v}\n`;
    goReply(req, res, 200, out);
  };
  goLog(ctx.stderr, `Starting up on port ${String(port)}`);
  let server;
  try {
    server = serveHttp(ctx.net, Number(port), handler, goBadRequest);
  } catch (e) {
    if (!(e instanceof NetError)) throw e;
    goLog(ctx.stderr, `listen tcp :${String(port)}: bind: address already in use`);
    return 1;
  }
  const echo = echoSockets(server.server);
  await untilAborted(ctx.signal);
  echo.close();
  server.close();
  return ctx.signal.reason === 'SIGKILL' ? 137 : 2;
}

/** whoami's `/echo`: a WebSocket that sends every message back (traefik/whoami's echoHandler). */
function echoSockets(server: Server): WebSocketServer {
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (new URL(req.url ?? '/', 'http://x').pathname !== '/echo') { socket.destroy(); return; }
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('message', (data, binary) => ws.send(data, { binary }));
      ws.on('error', () => ws.terminate());
    });
  });
  return wss;
}

/** The traefik/whoami image (scratch; ENTRYPOINT /whoami; port 80). */
export const whoamiImage: ImageDef = {
  repositories: ['traefik/whoami', 'containous/whoami'],
  entrypoint: ['/whoami'],
  cmd: [],
  programs: { whoami },
};
