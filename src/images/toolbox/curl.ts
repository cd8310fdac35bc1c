/** curl 8.x: HTTP/1.1 over the pod's network with curl's output, verbose lines, progress meter, errors and exit codes. */
import { posix } from 'node:path';
import type { ProcessContext } from '../types.js';
import { NetError, type Conn } from '../../net/types.js';
import { parseCurlArgs, type CurlOpts } from './curl-args.js';
import { exchange, HttpError, type HttpResponse } from './http.js';
import { resolveHost } from './resolver.js';
import { curlTls } from './curl-tls.js';
import { DEFAULT_TLS_TIMEOUT_MS } from './tls.js';

/** The curl version imitated. */
export const CURL_VERSION = '8.11.1';

class CurlFail { constructor(readonly code: number, readonly msg: string) {} }

function max5(n: number): string {
  if (n < 100000) return String(Math.round(n)).padStart(5);
  if (n < 10000 * 1024) return `${Math.floor(n / 1024)}k`.padStart(5);
  if (n < 100 * 1024 * 1024) { const m = n / 1048576; return `${Math.floor(m)}.${Math.floor((m % 1) * 10)}M`.padStart(5); }
  return `${Math.floor(n / 1048576)}M`.padStart(5);
}

/** The final line of curl's progress meter. */
export function progressLine(total: number, got: number, ms: number, sent = 0): string {
  const pct = (a: number, b: number): string => String(b > 0 ? Math.floor((a / b) * 100) : 0).padStart(3);
  const speed = max5(ms > 0 ? (got * 1000) / ms : got * 1000);
  const tp = total || got;
  return `${pct(got, tp)} ${max5(tp)}  ${pct(got, tp)} ${max5(got)}  ${pct(sent, sent)} ${max5(sent)}  ${speed}  ${max5(0)} --:--:-- --:--:-- --:--:-- ${speed}`;
}

const METER_HEAD = '  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n                                 Dload  Upload   Total   Spent    Left  Speed\n';

interface Transfer { res?: HttpResponse; ip: string; port: number; url: URL; redirects: number; start: number; connectAt: number; dnsAt: number }

/** The curl program. */
export async function curl(ctx: ProcessContext): Promise<number> {
  const parsed = parseCurlArgs(ctx.argv.slice(1));
  if ('error' in parsed) { ctx.stderr.write(parsed.error); return parsed.code; }
  const o = parsed;
  if (!o.urls.length) { ctx.stderr.write("curl: no URL specified\ncurl: try 'curl --help' or 'curl --manual' for more information\n"); return 2; }
  let code = 0;
  for (const raw of o.urls) code = await one(ctx, o, raw);
  return code;
}

async function one(ctx: ProcessContext, o: CurlOpts, raw: string): Promise<number> {
  const start = Date.now();
  const t: Transfer = { ip: '', port: 0, url: new URL('http://x'), redirects: 0, start, connectAt: 0, dnsAt: 0 };
  const v = (s: string): void => { if (o.verbose) ctx.stderr.write(s); };
  const meter = !o.silent && !o.verbose && (o.output !== undefined || !ctx.tty || o.remoteName);
  if (meter) ctx.stderr.write(METER_HEAD + '\r' + progressLine(0, 0, 0));
  const deadline = o.maxTimeMs ? start + o.maxTimeMs : undefined;
  let code = 0;
  try {
    let url = toUrl(raw);
    let method = o.method ?? (o.head ? 'HEAD' : o.data !== undefined ? 'POST' : 'GET');
    for (;;) {
      t.url = url;
      const res = await request(ctx, o, t, url, method, deadline, v);
      t.res = res;
      const loc = res.headers.get('location');
      if (o.follow && loc && [301, 302, 303, 307, 308].includes(res.status)) {
        if (++t.redirects > 50) throw new CurlFail(47, 'Maximum (50) redirects followed');
        v(`* Ignoring the response-body\n* Connection #0 to host ${url.hostname} left intact\n* Issue another request to this URL: '${new URL(loc, url).href}'\n`);
        if (o.include) ctx.stdout.write(headText(res));
        if ([301, 302, 303].includes(res.status) && method === 'POST' && !o.method) method = 'GET';
        url = new URL(loc, url);
        continue;
      }
      break;
    }
    const res = t.res!;
    if (o.fail && res.status >= 400) throw new CurlFail(22, `The requested URL returned error: ${res.status}`);
    let out = o.include || o.head ? headText(res) : '';
    const body = o.head ? Buffer.alloc(0) : res.body;
    const target = o.output ?? (o.remoteName ? posix.basename(t.url.pathname) || 'index.html' : undefined);
    if (target && target !== '-') {
      if (target !== '/dev/null') ctx.fs.write(posix.resolve(ctx.cwd || '/', target), Buffer.concat([Buffer.from(out, 'latin1'), body]));
      out = '';
    } else {
      if (out) ctx.stdout.write(Buffer.from(out, 'latin1'));
      ctx.stdout.write(body);
    }
    if (meter) ctx.stderr.write('\r' + progressLine(Number(res.headers.get('content-length') ?? body.length), body.length, Date.now() - start) + '\n');
    v(`* Connection #0 to host ${t.url.hostname} left intact\n`);
  } catch (e) {
    if (!(e instanceof CurlFail)) throw e;
    code = e.code;
    if (meter) ctx.stderr.write('\r' + progressLine(0, 0, Date.now() - start) + '\n');
    if (!o.silent || o.showError) ctx.stderr.write(`curl: (${e.code}) ${e.msg}\n`);
    else if (o.verbose) ctx.stderr.write(`* ${e.msg}\n`);
  }
  if (o.writeOut !== undefined) ctx.stdout.write(writeOut(o.writeOut, t, code));
  return code;
}

function toUrl(raw: string): URL {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
  const scheme = withScheme.slice(0, withScheme.indexOf(':')).toLowerCase();
  if (!['http', 'https'].includes(scheme)) throw new CurlFail(1, `Protocol "${scheme}" not supported`);
  try { return new URL(withScheme); } catch { throw new CurlFail(3, 'URL rejected: Malformed input to a URL function'); }
}

function headText(res: HttpResponse): string {
  return [res.statusLine, ...res.headerLines].join('\r\n') + '\r\n\r\n';
}

async function request(ctx: ProcessContext, o: CurlOpts, t: Transfer, url: URL, method: string, deadline: number | undefined, v: (s: string) => void): Promise<HttpResponse> {
  const startSingle = Date.now();
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  let ip = o.resolve.get(`${host}:${port}`);
  if (!ip) {
    const r = await resolveHost({ fs: ctx.fs, net: ctx.net, signal: ctx.signal }, host);
    if (!r.ok) throw new CurlFail(6, `Could not resolve host: ${host}`);
    ip = r.addrs[0]!;
    if (!/^\d+\.\d+\.\d+\.\d+$/.test(host)) v(`* Host ${host}:${port} was resolved.\n* IPv6: (none)\n* IPv4: ${r.addrs.join(', ')}\n`);
  } else v(`* Added ${host}:${port}:${ip} to DNS cache\n* Hostname ${host} was found in DNS cache\n`);
  t.dnsAt = Date.now();
  t.ip = ip; t.port = port;
  v(`*   Trying ${ip}:${port}...\n`);
  // --connect-timeout counts from the start of this transfer (name resolution included); -m bounds it too.
  // Without either, curl's own 300 s default outlasts the kernel's dial (127 s), so the network's default applies.
  const limits = [o.connectTimeoutMs !== undefined ? startSingle + o.connectTimeoutMs : undefined, deadline].filter((x): x is number => x !== undefined);
  const ct = limits.length ? Math.max(1, Math.min(...limits) - Date.now()) : undefined;
  let conn: Conn;
  try {
    conn = await ctx.net.connect({ ip, port }, { timeoutMs: ct, signal: ctx.signal });
  } catch (e) {
    const failed = `Failed to connect to ${host} port ${port} after ${Date.now() - startSingle} ms`;
    if (!(e instanceof NetError) || e.code === 'ECONNREFUSED') throw new CurlFail(7, `${failed}: Couldn't connect to server`);
    if (e.code === 'EINTR') throw new CurlFail(130, 'Interrupted');
    // curl 8 (lib/connect.c is_connected): its own timer ends the attempt with "Timeout was reached"; a kernel
    // ETIMEDOUT reads "Couldn't connect to server". Both exit 28 (CURLE_OPERATION_TIMEDOUT).
    if (e.code === 'ETIMEDOUT') throw new CurlFail(28, `${failed}: ${ct !== undefined ? 'Timeout was reached' : "Couldn't connect to server"}`);
    throw new CurlFail(7, `${failed}: Couldn't connect to server`);
  }
  t.connectAt = Date.now();
  v(`* Connected to ${host} (${ip}) port ${port}\n`);
  if (url.protocol === 'https:') {
    // The handshake is part of curl's connect phase: --connect-timeout, else its 300 s default, and -m.
    const tlsLimits = o.connectTimeoutMs !== undefined ? limits : [startSingle + DEFAULT_TLS_TIMEOUT_MS, ...limits];
    const left = Math.max(1, Math.min(...tlsLimits) - Date.now());
    const r = await curlTls(conn, { fs: ctx.fs, cwd: ctx.cwd || '/', host, port, insecure: o.insecure, cacert: o.cacert, timeoutMs: left, signal: ctx.signal, verbose: v });
    if ('code' in r) throw new CurlFail(r.code, r.msg);
    conn = r.socket as unknown as Conn;
  }
  v('* using HTTP/1.x\n');
  const hostHeader = port === 80 ? url.host.replace(/:80$/, '') : url.host;
  const defaults: [string, string][] = [['Host', hostHeader]];
  if (o.user !== undefined) defaults.push(['Authorization', `Basic ${Buffer.from(o.user.includes(':') ? o.user : `${o.user}:`).toString('base64')}`]);
  defaults.push(['User-Agent', o.userAgent ?? `curl/${CURL_VERSION}`], ['Accept', '*/*']);
  const custom = o.headers.map((h) => { const c = h.indexOf(':'); return [h.slice(0, c < 0 ? h.length : c).trim(), c < 0 ? '' : h.slice(c + 1).trim()] as [string, string]; });
  const lower = new Set(custom.map(([k]) => k.toLowerCase()));
  const lines = defaults.filter(([k]) => !lower.has(k.toLowerCase())).map(([k, val]) => `${k}: ${val}`);
  for (const [k, val] of custom) if (val) lines.push(`${k}: ${val}`);
  const body = o.data !== undefined && method !== 'GET' && method !== 'HEAD' ? Buffer.from(o.data) : undefined;
  if (body) {
    if (!lower.has('content-length')) lines.push(`Content-Length: ${body.length}`);
    if (!lower.has('content-type')) lines.push('Content-Type: application/x-www-form-urlencoded');
  }
  const reqHead = `${method} ${url.pathname}${url.search} HTTP/1.1\r\n${lines.map((l) => l + '\r\n').join('')}\r\n`;
  v(reqHead.split('\r\n').slice(0, -1).map((l) => `> ${l}\n`).join(''));
  if (body) v(`} [${body.length} bytes data]\n* upload completely sent off: ${body.length} bytes\n`);
  else v('* Request completely sent off\n');
  try {
    const res = await exchange(conn, Buffer.concat([Buffer.from(reqHead, 'latin1'), body ?? Buffer.alloc(0)]), method === 'HEAD', deadline, ctx.signal);
    v([res.statusLine, ...res.headerLines, ''].map((l) => `< ${l}\n`).join(''));
    return res;
  } catch (e) {
    if (!(e instanceof HttpError)) throw e;
    if (e.kind === 'timeout') throw new CurlFail(28, `Operation timed out after ${Date.now() - t.start} milliseconds with ${e.received} bytes received`);
    if (e.kind === 'empty') throw new CurlFail(52, 'Empty reply from server');
    if (e.kind === 'aborted') throw new CurlFail(130, 'Interrupted');
    throw new CurlFail(56, 'Recv failure: Connection reset by peer');
  }
}

function writeOut(fmt: string, t: Transfer, code: number): string {
  const secs = (ms: number): string => (Math.max(0, ms) / 1000).toFixed(6);
  const now = Date.now();
  const vars: Record<string, () => string> = {
    http_code: () => String(t.res?.status ?? 0).padStart(3, '0'), response_code: () => String(t.res?.status ?? 0).padStart(3, '0'),
    time_total: () => secs(now - t.start), time_connect: () => secs(t.connectAt ? t.connectAt - t.start : 0),
    time_namelookup: () => secs(t.dnsAt ? t.dnsAt - t.start : 0), time_starttransfer: () => secs(t.res ? t.res.firstByteAt - t.start : 0),
    time_appconnect: () => secs(0), time_pretransfer: () => secs(t.connectAt ? t.connectAt - t.start : 0), time_redirect: () => secs(0),
    size_download: () => String(t.res?.body.length ?? 0), size_header: () => String(t.res ? headText(t.res).length : 0),
    remote_ip: () => t.ip, remote_port: () => (t.port ? String(t.port) : ''), local_ip: () => '', local_port: () => '',
    content_type: () => t.res?.headers.get('content-type') ?? '', url_effective: () => t.url.href, url: () => t.url.href,
    num_redirects: () => String(t.redirects), exitcode: () => String(code), errormsg: () => '', method: () => 'GET', scheme: () => t.url.protocol.replace(':', '').toUpperCase(),
    speed_download: () => String(Math.round(((t.res?.body.length ?? 0) * 1000) / Math.max(1, now - t.start))),
    http_version: () => (t.res ? '1.1' : '0'),
  };
  return fmt.replace(/%\{([a-z_]+)\}|\\n|\\t|\\r|%%/g, (m, name: string | undefined) => {
    if (m === '\\n') return '\n';
    if (m === '\\t') return '\t';
    if (m === '\\r') return '\r';
    if (m === '%%') return '%';
    if (name?.startsWith('header_')) return '';
    return vars[name ?? '']?.() ?? '';
  });
}
