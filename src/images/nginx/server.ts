/** The nginx program: static files from the container filesystem over HTTP/1.1, logging as the official image does. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import os from 'node:os';
import type { Conn } from '../../net/types.js';
import { NetError } from '../../net/types.js';
import type { ProcessContext } from '../types.js';
import { normalizePath } from '../fs.js';
import { parseImageRef } from '../ref.js';
import { NGINX_IDLE, serveHttp, type VirtualHttpServer } from '../util/http.js';
import { untilAborted } from '../util/proc.js';
import { readSites } from './conf.js';
import { ERR50X_2012, ERR50X_2021, INDEX_2012, INDEX_2021, INDEX_2026 } from './pages.js';
import { builtBy, nginxHtml, nginxVersion } from './version.js';
import { accessLine, errorLogTime, errorPage, etag, mimeType, statusLine, timeLocal } from './util.js';

const STOCK = new Set([INDEX_2012, INDEX_2021, INDEX_2026, ERR50X_2012, ERR50X_2021]);

/** Runs `nginx` (with `-g 'daemon off;'` it stays in the foreground; `-v`, `-t` answer and exit). */
export async function nginxMain(ctx: ProcessContext): Promise<number> {
  const ref = parseImageRef(ctx.pod.image);
  const version = nginxVersion(ref.tag);
  const args = ctx.argv.slice(1);
  if (args.includes('-v')) { ctx.stderr.write(`nginx version: nginx/${version}\n`); return 0; }
  if (args.includes('-t') || args.includes('-T')) {
    ctx.stderr.write('nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\nnginx: configuration file /etc/nginx/nginx.conf test is successful\n');
    return 0;
  }
  const g = args.indexOf('-g');
  const foreground = g >= 0 && /daemon\s+off/.test(args[g + 1] ?? '');
  const html = nginxHtml(version);
  for (const [file, text] of [['index.html', html.index], ['50x.html', html.err50x]] as const) {
    const p = `/usr/share/nginx/html/${file}`;
    const cur = ctx.fs.read(p)?.toString();
    if (cur !== undefined && STOCK.has(cur)) ctx.fs.write(p, text);
  }
  const confs = (ctx.fs.list('/etc/nginx/conf.d') ?? []).filter((n) => n.endsWith('.conf'))
    .map((n) => ctx.fs.read(`/etc/nginx/conf.d/${n}`)?.toString() ?? '');
  const site = readSites(confs);
  const log = (pid: number, msg: string): void => { ctx.stderr.write(`${errorLogTime()} [notice] ${pid}#${pid}: ${msg}\n`); };
  const servers: VirtualHttpServer[] = [];
  const server = `nginx/${version}`;
  for (const port of site.ports) {
    try {
      servers.push(serveHttp(ctx.net, port, (req, res) => handle(ctx, req, res, server, site, html.mtime), (_e, conn) => badRequest(ctx, conn, server), NGINX_IDLE));
    } catch (e) {
      if (!(e instanceof NetError)) throw e;
      for (const s of servers) s.close();
      for (let i = 0; i < 5; i++) ctx.stderr.write(`${errorLogTime()} [emerg] 1#1: bind() to 0.0.0.0:${port} failed (98: Address already in use)\nnginx: [emerg] bind() to 0.0.0.0:${port} failed (98: Address already in use)\n`);
      ctx.stderr.write(`${errorLogTime()} [emerg] 1#1: still could not bind()\nnginx: [emerg] still could not bind()\n`);
      return 1;
    }
  }
  if (!foreground) { for (const s of servers) s.close(); return 0; }
  const workers = Math.max(1, Math.min(os.availableParallelism(), 16));
  log(1, 'using the "epoll" event method');
  log(1, server);
  log(1, `built by ${builtBy(version, (ref.tag ?? '').includes('alpine'))}`);
  log(1, `OS: Linux ${os.release()}`);
  log(1, 'getrlimit(RLIMIT_NOFILE): 1048576:1048576');
  log(1, 'start worker processes');
  for (let i = 0; i < workers; i++) log(1, `start worker process ${29 + i}`);
  await untilAborted(ctx.signal);
  for (const s of servers) s.close();
  if (ctx.signal.reason === 'SIGKILL') return 137;
  log(1, 'signal 3 (SIGQUIT) received, shutting down');
  for (let i = 0; i < workers; i++) { log(29 + i, 'gracefully shutting down'); log(29 + i, 'exiting'); log(29 + i, 'exit'); }
  for (let i = 0; i < workers; i++) {
    log(1, `signal 17 (SIGCHLD) received from ${29 + i}`);
    log(1, `worker process ${29 + i} exited with code 0`);
  }
  log(1, 'exit');
  return 0;
}

function badRequest(ctx: ProcessContext, conn: Conn, server: string): void {
  const body = errorPage(400, server, undefined);
  ctx.stdout.write(`${conn.remote.ip} - - [${timeLocal()}] "-" 400 ${body.length} "-" "-" "-"\n`);
  conn.end(`HTTP/1.1 400 Bad Request\r\nServer: ${server}\r\nDate: ${new Date().toUTCString()}\r\nContent-Type: text/html\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
}

function handle(ctx: ProcessContext, req: IncomingMessage, res: ServerResponse, server: string, site: ReturnType<typeof readSites>, stockMtime: number): void {
  const headers: [string, string][] = [['Server', server], ['Date', new Date().toUTCString()]];
  let status = 200;
  let body: Buffer = Buffer.alloc(0);
  const raw = (req.url ?? '/').split('?')[0] ?? '/';
  let path: string;
  try { path = decodeURIComponent(raw); } catch { path = raw; }
  const fsPath = normalizePath(site.root + normalizePath(path));
  const isDir = ctx.fs.list(fsPath) !== undefined && ctx.fs.read(fsPath) === undefined;
  const indexFile = isDir && path.endsWith('/') ? site.index.map((i) => `${fsPath}/${i}`.replace('//', '/')).find((p) => ctx.fs.read(p)) : undefined;
  const file = indexFile ?? (isDir ? undefined : fsPath);
  const data = file ? ctx.fs.read(file) : undefined;
  const ua = String(req.headers['user-agent'] ?? '');
  if (req.method !== 'GET' && req.method !== 'HEAD' && (data || isDir)) {
    status = 405;
  } else if (isDir && !path.endsWith('/')) {
    status = 301;
    const host = String(req.headers.host ?? ctx.pod.ip).replace(/:\d+$/, '');
    headers.push(['Location', `http://${host}${raw}/`]);
  } else if (!data) {
    status = isDir ? 403 : 404;
  }
  if (status !== 200) {
    body = Buffer.from(errorPage(status, server, ua));
    headers.push(['Content-Type', 'text/html'], ['Content-Length', String(body.length)]);
    const loc = headers.findIndex(([k]) => k === 'Location');
    if (loc >= 0) headers.push(headers.splice(loc, 1)[0] as [string, string]);
  } else if (data && file) {
    const stock = STOCK.has(data.toString());
    const mtime = stock ? stockMtime : Math.floor(startTime / 1000);
    const lastModified = new Date(mtime * 1000).toUTCString();
    const tag = etag(mtime, data.length);
    headers.push(['Content-Type', mimeType(file)], ['Content-Length', String(data.length)], ['Last-Modified', lastModified]);
    if (req.headers['if-none-match'] === tag || req.headers['if-modified-since'] === lastModified) {
      status = 304;
      headers.splice(2, 2);
    } else {
      body = data;
    }
    headers.push(['Connection', '']);
    headers.push(['ETag', tag]);
    if (status === 200) headers.push(['Accept-Ranges', 'bytes']);
  }
  const connection = res.shouldKeepAlive && !/\bclose\b/i.test(String(req.headers.connection ?? '')) ? 'keep-alive' : 'close';
  const ci = headers.findIndex(([k]) => k === 'Connection');
  if (ci >= 0) headers[ci] = ['Connection', connection];
  else headers.push(['Connection', connection]);
  res.sendDate = false;
  res.removeHeader('Connection');
  res.shouldKeepAlive = connection === 'keep-alive';
  res.writeHead(status, statusLine(status), headers.flat());
  const sent = req.method === 'HEAD' ? 0 : body.length;
  res.end(req.method === 'HEAD' ? undefined : body);
  ctx.stdout.write(accessLine(req, status, sent));
}

const startTime = Date.now();
