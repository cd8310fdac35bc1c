/** `agnhost netexec`: the HTTP and UDP test server Kubernetes' network e2e tests talk to. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { PassThrough } from 'node:stream';
import { NetError } from '../../net/types.js';
import type { Listener } from '../../net/types.js';
import type { ProcessContext } from '../types.js';
import { lookupHost } from '../util/dns.js';
import { parseGoDuration, formatGoDuration } from '../util/flags.js';
import { goHttpGet } from '../util/httpclient.js';
import { goBadRequest, goError, goReply, remoteAddr, serveHttp } from '../util/http.js';
import { goLog, goNow, sleep, untilAborted } from '../util/proc.js';
import { udpRequest } from './udp.js';

/** Options of netexec. */
export interface NetexecOptions { httpPort: number; udpPort: number; httpOverride: string }

function formValues(url: string, contentType: string, body: string): URLSearchParams {
  const q = new URLSearchParams(url.split('?')[1] ?? '');
  if (/application\/x-www-form-urlencoded/.test(contentType)) {
    for (const [k, v] of new URLSearchParams(body)) if (!q.has(k)) q.append(k, v);
  }
  return q;
}

/** Runs netexec until stopped or /shutdown, /exit. */
export async function netexec(ctx: ProcessContext, o: NetexecOptions): Promise<number> {
  const log = (m: string): void => goLog(ctx.stderr, m);
  const started = performance.now();
  let ready = false;
  let exit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((r) => { exit = r; });
  const hostname = ctx.pod.hostname;

  const route = async (req: IncomingMessage, res: ServerResponse, body: string): Promise<void> => {
    const url = o.httpOverride || (req.url ?? '/');
    const path = url.split('?')[0] ?? '/';
    const f = formValues(url, String(req.headers['content-type'] ?? ''), body);
    const reply = (status: number, text: string, headers?: Record<string, string>): void => goReply(req, res, status, text, headers);
    switch (path) {
      case '/echo': {
        const msg = f.get('msg') ?? '', code = f.get('code') ?? '';
        log(`GET /echo?msg=${msg}&code=${code}`);
        if (code !== '' && !/^[+-]?\d+$/.test(code)) { reply(200, `argument 'code' must be an integer or empty, got "${code}"\n`); return; }
        reply(code ? Number(code) : 200, msg);
        return;
      }
      case '/clientip': log('GET /clientip'); reply(200, remoteAddr(req)); return;
      case '/hostname': log('GET /hostname'); reply(200, hostname); return;
      case '/hostName': log('GET /hostName'); reply(200, hostname); return;
      case '/healthz': log('GET /healthz'); reply(ready ? 200 : 412, ''); return;
      case '/shutdown': log('GET /shutdown'); req.socket.destroy(); exit(0); return;
      case '/exit': {
        const wait = f.get('wait') ?? '', timeout = f.get('timeout') ?? '', code = f.get('code') ?? '';
        log(`GET /exit?code=${code}&timeout=${timeout}&wait=${wait}`);
        const t = timeout ? parseGoDuration(timeout) : 0, w = wait ? parseGoDuration(wait) : 0;
        if (t === undefined) { reply(200, `argument 'timeout' must be a valid golang duration or empty, got "${timeout}"\n`); return; }
        if (w === undefined) { reply(200, `argument 'wait' must be a valid golang duration or empty, got "${wait}"\n`); return; }
        if (code !== '' && !/^[+-]?\d+$/.test(code)) { reply(200, `argument 'code' must be an integer [0-127] or empty, got "${code}"\n`); return; }
        log(`Will begin shutdown in ${formatGoDuration(w)}, allowing ${formatGoDuration(t)} for connections to close, then will exit with ${Number(code || 0)}`);
        await sleep(w, ctx.signal);
        if (t === 0) { req.socket.destroy(); exit(Number(code || 0)); return; }
        reply(200, '');
        log('Graceful shutdown completed with: <nil>');
        exit(Number(code || 0));
        return;
      }
      case '/redirect': {
        const location = f.get('location') ?? '', code = f.get('code') ?? '';
        log(`${req.method ?? 'GET'} /redirect?msg=${location}&code=${code}`);
        if (code !== '' && !/^[+-]?\d+$/.test(code)) { reply(200, `argument 'code' must be an integer or empty, got "${code}"\n`); return; }
        const status = code ? Number(code) : 302;
        const text = req.method === 'GET' || req.method === 'HEAD' ? `<a href="${location.replace(/&/g, '&amp;').replace(/"/g, '&#34;')}">${statusText(status)}</a>.\n\n` : '';
        reply(status, text, { Location: location, ...(text ? { 'Content-Type': 'text/html; charset=utf-8' } : {}) });
        return;
      }
      case '/shell': return shell(ctx, req, res, f.get('shellCommand') || f.get('cmd') || '', log);
      case '/dial': return dial(ctx, req, res, new URLSearchParams(url.split('?')[1] ?? ''), log);
      case '/upload': log('GET /upload'); reply(200, '{"error":"Unable to upload file."}'); return;
      default: log('GET /'); reply(200, `NOW: ${goNow(started)}`);
    }
  };

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (body += d));
    req.on('end', () => void route(req, res, body).catch(() => res.destroy()));
  };

  let udp: Listener | undefined;
  if (o.udpPort !== -1) {
    try {
      udp = ctx.net.listenUdp(o.udpPort, (data, from, replyTo) => {
        const text = data.toString().trim().toLowerCase();
        const client = `${from.ip}:${from.port}`;
        if (text === 'hostname') { log('Sending udp hostName response'); replyTo(Buffer.from(hostname)); }
        else if (text.startsWith('echo ')) { const resp = text.slice(5); log(`Echoing ${resp} to UDP client ${client}\n`); replyTo(Buffer.from(resp)); }
        else if (text === 'clientip') { log(`Sending clientip back to UDP client ${client}\n`); replyTo(Buffer.from(client)); }
        else if (text.length > 0) log(`Unknown UDP command received from ${client}: ${text}\n`);
      });
      log(`Started UDP server on port  ${o.udpPort}`);
      ready = true;
    } catch (e) {
      if (!(e instanceof NetError)) throw e;
      log(`Error occurred: failed to create listener for UDP address :${o.udpPort}:listen udp :${o.udpPort}: bind: address already in use`);
      return 1;
    }
  }
  log(`Started HTTP server on port ${o.httpPort}`);
  let server;
  try {
    server = serveHttp(ctx.net, o.httpPort, handler, goBadRequest);
  } catch (e) {
    udp?.close();
    if (!(e instanceof NetError)) throw e;
    log(`listen tcp :${o.httpPort}: bind: address already in use`);
    return 1;
  }
  const code = await Promise.race([exited, untilAborted(ctx.signal).then(() => (ctx.signal.reason === 'SIGKILL' ? 137 : 2))]);
  server.close();
  udp?.close();
  return code;
}

function statusText(code: number): string {
  return ({ 301: 'Moved Permanently', 302: 'Found', 303: 'See Other', 307: 'Temporary Redirect', 308: 'Permanent Redirect' } as Record<number, string>)[code] ?? '';
}

async function shell(ctx: ProcessContext, req: IncomingMessage, res: ServerResponse, cmd: string, log: (m: string) => void): Promise<void> {
  log(`GET /shell?cmd=${cmd}`);
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (d: Buffer) => chunks.push(d));
  const code = await ctx.spawn(['/bin/sh', '-c', cmd], { stdin: null, stdout: out, stderr: out, env: ctx.env, cwd: ctx.cwd });
  const output: Record<string, string> = {};
  const text = Buffer.concat(chunks).toString();
  if (text) output.output = text;
  if (code !== 0) output.error = `exit status ${code}`;
  log(`Output: map[${Object.entries(output).map(([k, v]) => `${k}:${v}`).join(' ')}]`);
  goReply(req, res, 200, JSON.stringify(output));
}

async function dial(ctx: ProcessContext, req: IncomingMessage, res: ServerResponse, q: URLSearchParams, log: (m: string) => void): Promise<void> {
  const host = q.get('host') ?? '', port = q.get('port') ?? '', request = q.get('request') ?? '';
  const protocol = q.get('protocol') ?? '', tryParam = q.get('tries') ?? '';
  log(`GET /dial?host=${host}&protocol=${protocol}&port=${port}&request=${request}&tries=${tryParam}`);
  let tries = 1;
  if (tryParam) {
    if (!/^[+-]?\d+$/.test(tryParam)) { goError(req, res, `tries parameter is invalid. strconv.Atoi: parsing "${tryParam}": invalid syntax`, 400); return; }
    tries = Number(tryParam);
  }
  if (!request) { goError(req, res, 'request parameter not specified. <nil>', 400); return; }
  const proto = protocol.toLowerCase();
  if (proto !== '' && proto !== 'http' && proto !== 'udp') { goError(req, res, `unsupported protocol. ${protocol}`, 400); return; }
  if (!/^\d*$/.test(port)) { goError(req, res, `host and/or port param are invalid. lookup ${proto === 'udp' ? 'udp' : 'tcp'}/${port}: unknown port`, 400); return; }
  const addr = isIP(host) ? { ip: host } : await lookupHost(ctx, host);
  if ('error' in addr) { goError(req, res, `host and/or port param are invalid. ${addr.error}`, 400); return; }
  const p = Number(port || 0);
  const responses: string[] = [], errors: string[] = [];
  let last = '';
  for (let i = 0; i < tries; i++) {
    if (proto === 'udp') {
      const r = await udpRequest(ctx, addr.ip, p, request, 5000);
      last = 'error' in r ? '' : r.data;
      if ('error' in r) errors.push(`reading from udp connection failed. err:'${r.error}'`);
      else responses.push(r.data);
    } else {
      const url = `http://${addr.ip}:${p}/${request}`;
      try {
        const r = await goHttpGet(ctx.net, addr.ip, p, `/${request}`, 5000);
        last = r.body;
        responses.push(r.body);
      } catch (e) {
        last = '';
        errors.push(`Get "${url}": ${(e as Error).message}`);
      }
    }
  }
  const output: Record<string, string[]> = {};
  if (last.length > 0) output.responses = responses;
  if (errors.length > 0) output.errors = errors;
  goReply(req, res, 200, JSON.stringify(output));
}
