/**
 * Proxying one request to an upstream endpoint over the pooled connections: the request body
 * streamed with backpressure and counted against `proxy-body-size`, the response streamed back
 * the same way, `proxy-connect/read/send-timeout` → 504, connect refused → 502, another endpoint
 * tried on connect errors (`proxy-next-upstream error timeout`, 3 tries), and the `$upstream_*`
 * log fields recorded.
 */
import http from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { Upstream, UpstreamEndpoint } from '../model.js';
import type { Balancer } from './balancer.js';
import type { ProxyContext } from './context.js';
import type { Exchange } from './exchange.js';
import { isConnectError, type UpstreamPools } from './pool.js';
import { commonHeaders, sendPage, writeHead } from './respond.js';

/** Response headers never passed back as the upstream sent them (hop-by-hop; nginx sets its own Date, hides Server). */
const DROP_RESPONSE = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'date', 'server', 'te', 'trailer']);

const TRIES = 3;

/** One proxied attempt sequence. */
export interface ForwardOptions {
  upstream: Upstream;
  first: UpstreamEndpoint;
  path: string;
  method: string;
  headers: string[];
  /** Called with an upstream response status before it is passed on; returning true means it was handled (custom-http-errors). */
  intercept?: (status: number, res: IncomingMessage) => boolean;
  /** Whether the client request's body is sent (false for internal re-sends to the default backend). */
  body: boolean;
}

/** Services the forwarder needs. */
export interface ForwardServices { ctx: ProxyContext; pools: UpstreamPools; balancer: Balancer }

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);

function appendLog(ex: Exchange, field: 'upstreamAddr' | 'upstreamStatus' | 'upstreamTime' | 'upstreamLength', v: string): void {
  ex[field] = ex[field] === '-' ? v : `${ex[field]}, ${v}`;
}

/** Sends the request upstream and streams the answer to the client. */
export function forward(ex: Exchange, s: ForwardServices, o: ForwardOptions): void {
  const cfg = ex.location!.config;
  const req = ex.req;
  const hasBody = o.body && (req.headers['content-length'] !== undefined ? req.headers['content-length'] !== '0' : req.headers['transfer-encoding'] !== undefined || (req.httpVersionMajor === 2 && !req.readableEnded));
  const tried = new Set<UpstreamEndpoint>();
  const limit = cfg.proxyBodySize;
  let bodyStarted = false;

  const attempt = (ep: UpstreamEndpoint, n: number): void => {
    tried.add(ep);
    const t0 = s.ctx.now();
    let responded = false;
    /** Set when the proxy gave up on the upstream itself (body timeout or limit) and answers the client on its own. */
    let abandoned = false;
    const agent = s.pools.agent(ex.global, cfg.backendProtocol === 'HTTPS' || cfg.backendProtocol === 'GRPCS');
    const ureq = http.request({
      agent, host: ep.ip, port: ep.port, method: o.method, path: o.path, headers: o.headers, setHost: false,
      connectTimeoutMs: cfg.connectTimeoutMs, servername: cfg.upstreamVhost ?? ex.host.replace(/:\d+$/, ''),
    } as http.RequestOptions);
    appendLog(ex, 'upstreamAddr', `${ep.ip}:${ep.port}`);
    const onClientGone = (): void => { if (!ex.res.writableFinished) ureq.destroy(); };
    ex.res.once('close', onClientGone);

    ureq.once('socket', () => {
      ureq.setTimeout(Math.max(cfg.readTimeoutMs, cfg.sendTimeoutMs));
      if (!hasBody) { ureq.end(); return; }
      bodyStarted = true;
      let count = ex.requestBodyBytes;
      // nginx's client_body_timeout: a client silent for that long between two body reads gets 408 and is closed.
      const idle = setTimeout(() => {
        req.removeListener('data', onData);
        abandoned = true;
        ureq.destroy();
        if (ex.answered) ex.res.destroy();
        else sendPage(ex, 408, { close: true });
      }, ex.global.clientBodyTimeoutMs);
      idle.unref();
      req.once('close', () => clearTimeout(idle));
      const onData = (chunk: Buffer): void => {
        idle.refresh();
        count += chunk.length;
        ex.requestBodyBytes = count;
        if (limit > 0 && count > limit) {
          clearTimeout(idle);
          req.removeListener('data', onData);
          abandoned = true;
          ureq.destroy();
          if (ex.answered) ex.res.destroy();
          else sendPage(ex, 413, { close: true });
          return;
        }
        if (!ureq.write(chunk)) req.pause();
      };
      req.on('data', onData);
      ureq.on('drain', () => req.resume());
      req.once('end', () => { clearTimeout(idle); ureq.end(); });
    });

    ureq.once('timeout', () => ureq.destroy(Object.assign(new Error('upstream timed out'), { code: 'ETIMEDOUT' })));

    ureq.once('error', (err: Error & { code?: string }) => {
      ex.res.removeListener('close', onClientGone);
      if (abandoned) return;
      if (responded || ex.answered) { if (!ex.res.writableFinished) ex.res.destroy(); return; }
      const timedOut = err.code === 'ETIMEDOUT';
      appendLog(ex, 'upstreamStatus', timedOut ? '504' : '502');
      appendLog(ex, 'upstreamTime', ((s.ctx.now() - t0) / 1000).toFixed(3));
      appendLog(ex, 'upstreamLength', '0');
      const retry = n + 1 < TRIES && (isConnectError(err) || (!bodyStarted && IDEMPOTENT.has(o.method) && (ureq as { reusedSocket?: boolean }).reusedSocket === true));
      const next = retry ? s.balancer.endpoint(o.upstream, tried) : undefined;
      s.ctx.errorLog(`${timedOut ? 'upstream timed out' : `connect() failed (${err.code ?? err.message})`} while connecting to upstream, client: ${ex.clientIp}, server: ${ex.server?.host ?? '_'}, request: "${o.method} ${ex.uri}", upstream: "http://${ep.ip}:${ep.port}${o.path}"`);
      if (next) return attempt(next, n + 1);
      sendPage(ex, timedOut ? 504 : 502);
    });

    ureq.once('response', (ures: IncomingMessage) => {
      responded = true;
      const status = ures.statusCode ?? 502;
      appendLog(ex, 'upstreamStatus', String(status));
      if (o.intercept && o.intercept(status, ures)) {
        ex.res.removeListener('close', onClientGone);
        ures.resume();
        return;
      }
      const raw = ures.rawHeaders;
      const headers: string[] = [];
      const hsts = ex.https && ex.global.hsts;
      for (let i = 0; i < raw.length; i += 2) {
        const name = raw[i]!;
        const lower = name.toLowerCase();
        if (DROP_RESPONSE.has(lower) || (hsts && lower === 'strict-transport-security')) continue;
        headers.push(name, raw[i + 1]!);
      }
      commonHeaders(ex, headers);
      writeHead(ex, status, headers);
      const res = ex.res;
      let sent = 0;
      ures.on('data', (chunk: Buffer) => {
        sent += chunk.length;
        if (!(res.write as (c: Buffer) => boolean)(chunk)) ures.pause();
      });
      res.on('drain', () => ures.resume());
      ures.once('end', () => {
        ex.bodyBytesSent = sent;
        appendLog(ex, 'upstreamLength', String(sent));
        appendLog(ex, 'upstreamTime', ((s.ctx.now() - t0) / 1000).toFixed(3));
        ex.res.removeListener('close', onClientGone);
        res.end();
      });
      ures.once('aborted', () => res.destroy());
    });
  };
  attempt(o.first, 0);
}
