/** The official `httpd` (Apache) image: "It works!" on port 80, common-format access log on stdout. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { NetError } from '../net/types.js';
import type { ImageDef, ProcessContext } from './types.js';
import { parseImageRef } from './ref.js';
import { normalizePath } from './fs.js';
import { HTTPD_IDLE, serveHttp } from './util/http.js';
import { untilAborted } from './util/proc.js';
import { mimeType, timeLocal } from './nginx/util.js';

const IT_WORKS = '<html><body><h1>It works!</h1></body></html>\n';
const DOCROOT = '/usr/local/apache2/htdocs';
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function errTime(d = new Date()): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  const us = String(d.getUTCMilliseconds() * 1000 + Math.floor(Math.random() * 1000)).padStart(6, '0');
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${us} ${d.getUTCFullYear()}`;
}

function notFound(path: string): string {
  void path;
  return '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n<p>The requested URL was not found on this server.</p>\n</body></html>\n';
}

/** `httpd -DFOREGROUND` (via httpd-foreground). */
export async function httpd(ctx: ProcessContext): Promise<number> {
  const version = /^\d+\.\d+\.\d+/.exec(parseImageRef(ctx.pod.image).tag ?? '')?.[0] ?? '2.4.65';
  const server = `Apache/${version} (Unix)`;
  const log = (mod: string, msg: string): void => { ctx.stderr.write(`[${errTime()}] [${mod}] [pid 1:tid 1] ${msg}\n`); };
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    req.resume();
    const path = normalizePath(decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/'));
    const dir = ctx.fs.list(DOCROOT + path) !== undefined && !ctx.fs.read(DOCROOT + path);
    const file = dir ? `${DOCROOT}${path}/index.html`.replace('//', '/') : DOCROOT + path;
    const data = ctx.fs.read(file);
    const headers: [string, string][] = [['Date', new Date().toUTCString()], ['Server', server]];
    let status = 200;
    let body: Buffer;
    if (data) {
      const stock = data.toString() === IT_WORKS;
      headers.push(['Last-Modified', stock ? 'Mon, 11 Jun 2007 18:53:14 GMT' : new Date(started).toUTCString()]);
      headers.push(['ETag', stock ? '"2d-432a5e4a73a80"' : `"${data.length.toString(16)}-${(started * 1000).toString(16)}"`], ['Accept-Ranges', 'bytes']);
      headers.push(['Content-Length', String(data.length)], ['Content-Type', mimeType(file)]);
      body = data;
    } else {
      status = 404;
      body = Buffer.from(notFound(path));
      headers.push(['Content-Length', String(body.length)], ['Content-Type', 'text/html; charset=iso-8859-1']);
    }
    res.sendDate = false;
    res.removeHeader('Connection');
    if (!res.shouldKeepAlive) headers.push(['Connection', 'close']);
    else if (/keep-alive/i.test(String(req.headers.connection ?? ''))) headers.splice(-2, 0, ['Keep-Alive', 'timeout=5, max=100'], ['Connection', 'Keep-Alive']);
    res.writeHead(status, headers.flat());
    res.end(req.method === 'HEAD' ? undefined : body);
    const size = req.method === 'HEAD' ? '-' : String(body.length);
    ctx.stdout.write(`${req.socket.remoteAddress ?? '-'} - - [${timeLocal()}] "${req.method ?? ''} ${req.url ?? ''} HTTP/${req.httpVersion}" ${status} ${size}\n`);
  };
  let srv;
  try {
    srv = serveHttp(ctx.net, 80, handle, undefined, HTTPD_IDLE);
  } catch (e) {
    if (!(e instanceof NetError)) throw e;
    ctx.stderr.write('(98)Address in use: AH00072: make_sock: could not bind to address 0.0.0.0:80\nno listening sockets available, shutting down\nAH00015: Unable to open logs\n');
    return 1;
  }
  const fqdn = `AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using ${ctx.pod.ip}. Set the 'ServerName' directive globally to suppress this message\n`;
  ctx.stderr.write(fqdn + fqdn);
  log('mpm_event:notice', `AH00489: ${server} configured -- resuming normal operations`);
  log('core:notice', "AH00094: Command line: 'httpd -D FOREGROUND'");
  await untilAborted(ctx.signal);
  srv.close();
  if (ctx.signal.reason === 'SIGKILL') return 137;
  log('mpm_event:notice', 'AH00492: caught SIGWINCH, shutting down gracefully');
  return 0;
}

const started = Date.now();

/** The httpd image (CMD httpd-foreground; STOPSIGNAL SIGWINCH). */
export const httpdImage: ImageDef = {
  repositories: ['httpd', 'library/httpd'],
  entrypoint: [],
  cmd: ['httpd-foreground'],
  workingDir: '/usr/local/apache2',
  env: { HTTPD_PREFIX: '/usr/local/apache2', PATH: '/usr/local/apache2/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' },
  files: { [`${DOCROOT}/index.html`]: IT_WORKS },
  programs: { 'httpd-foreground': httpd, httpd },
};
