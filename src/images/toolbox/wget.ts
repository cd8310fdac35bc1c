/** Busybox wget: -q -O -T -S --spider, with its progress line and error texts. */
import { posix } from 'node:path';
import type { ProcessContext } from '../types.js';
import { NetError, type Conn } from '../../net/types.js';
import { exchange, HttpError } from './http.js';
import { resolveHost } from './resolver.js';

/** busybox wget's default network timeout (`-T`, 900 s). */
const WGET_DEFAULT_TIMEOUT_MS = 900_000;
import { wgetTls } from './wget-tls.js';

function bar(name: string, n: number): string {
  const size = n < 100000 ? String(n).padStart(6) : `${Math.floor(n / 1024)}k`.padStart(6);
  return `${name.padEnd(20).slice(0, 20)} 100% |${'*'.repeat(32)}|${size}  0:00:00 ETA\n`;
}

/** The busybox wget program. */
export async function wget(ctx: ProcessContext): Promise<number> {
  let quiet = false; let out: string | undefined; let timeoutMs: number | undefined; let spider = false; let server = false;
  let insecure = false; let caFile: string | undefined;
  const urls: string[] = [];
  const a = ctx.argv.slice(1);
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    if (x === '--spider') spider = true;
    else if (x === '--output-document') out = a[++i];
    else if (x === '--no-check-certificate') insecure = true;
    else if (x === '--ca-certificate' || x.startsWith('--ca-certificate=')) caFile = x.includes('=') ? x.slice(x.indexOf('=') + 1) : a[++i];
    else if (x === '--timeout') timeoutMs = Number(a[++i]) * 1000;
    else if (x.startsWith('--timeout=')) timeoutMs = Number(x.slice(10)) * 1000;
    else if (x === '-U' || x === '--header' || x === '-P' || x === '--user-agent') i++;
    else if (/^-[a-zA-Z]/.test(x) && !x.startsWith('--')) {
      for (let j = 1; j < x.length; j++) {
        const f = x[j]!;
        if (f === 'q') quiet = true; else if (f === 'S') server = true;
        else if (f === 'O' || f === 'T') {
          const v = x.slice(j + 1) || a[++i] || '';
          if (f === 'O') out = v; else timeoutMs = Number(v) * 1000;
          break;
        }
      }
    }
    else if (!x.startsWith('-')) urls.push(x);
  }
  const log = (s: string): void => { if (!quiet) ctx.stderr.write(s); };
  if (!urls.length) { ctx.stderr.write('BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[-P DIR] [-U AGENT] [-T SEC] URL...\n'); return 1; }
  let url: URL;
  try { url = new URL(/^[a-z]+:\/\//i.test(urls[0]!) ? urls[0]! : `http://${urls[0]}`); } catch { ctx.stderr.write(`wget: bad address '${urls[0]}'\n`); return 1; }
  for (let hops = 0; hops < 20; hops++) {
    const host = url.hostname;
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    const r = await resolveHost({ fs: ctx.fs, net: ctx.net, signal: ctx.signal }, host);
    if (!r.ok) { ctx.stderr.write(`wget: bad address '${host}'\n`); return 1; }
    const ip = r.addrs[0]!;
    log(`Connecting to ${url.host} (${ip}:${port})\n`);
    let conn: Conn;
    // Without -T the kernel's dial timeout (127 s) comes before busybox's default 900 s alarm.
    try { conn = await ctx.net.connect({ ip, port }, { timeoutMs: timeoutMs || undefined, signal: ctx.signal }); } catch (e) {
      if (e instanceof NetError && e.code === 'EINTR') return 130;
      const why = e instanceof NetError && e.code === 'ETIMEDOUT' ? 'Connection timed out' : 'Connection refused';
      if (e instanceof NetError && e.code === 'ETIMEDOUT' && timeoutMs) ctx.stderr.write('wget: download timed out\n');
      else ctx.stderr.write(`wget: can't connect to remote host (${ip}): ${why}\n`);
      return 1;
    }
    if (url.protocol === 'https:') {
      // busybox wget's -T defaults to 900 s, which bounds the handshake too.
      const t = await wgetTls(ctx, conn, { host, insecure, caFile, timeoutMs: timeoutMs || WGET_DEFAULT_TIMEOUT_MS });
      if (typeof t === 'number') return t;
      conn = t;
    }
    const req = `${spider ? 'HEAD' : 'GET'} ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nUser-Agent: Wget\r\nConnection: close\r\n\r\n`;
    let res;
    try { res = await exchange(conn, Buffer.from(req), spider, timeoutMs ? Date.now() + timeoutMs : undefined, ctx.signal); } catch (e) {
      if (e instanceof HttpError && e.kind === 'timeout') ctx.stderr.write('wget: download timed out\n');
      else ctx.stderr.write('wget: error getting response: Connection reset by peer\n');
      return 1;
    }
    if (server) log([res.statusLine, ...res.headerLines].map((l) => `  ${l}\n`).join(''));
    const loc = res.headers.get('location');
    if (loc && res.status >= 300 && res.status < 400) { url = new URL(loc, url); continue; }
    if (res.status >= 400 || res.status < 200) { ctx.stderr.write(`wget: server returned error: ${res.statusLine}\n`); return 1; }
    if (spider) { log('remote file exists\n'); return 0; }
    const name = out ?? (posix.basename(url.pathname) || 'index.html');
    if (name === '-') {
      log('writing to stdout\n');
      ctx.stdout.write(res.body);
      log(bar('-', res.body.length));
      log('written to stdout\n');
      return 0;
    }
    const path = posix.resolve(ctx.cwd || '/', name);
    if (out === undefined && ctx.fs.exists(path)) { ctx.stderr.write(`wget: can't open '${name}': File exists\n`); return 1; }
    log(`saving to '${name}'\n`);
    ctx.fs.write(path, res.body);
    log(bar(name, res.body.length));
    log(`'${name}' saved\n`);
    return 0;
  }
  ctx.stderr.write('wget: too many redirections\n');
  return 1;
}
