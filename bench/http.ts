/** A minimal HTTPS client for the benchmark: kubeconfig client certificate, keep-alive agents, watches. */
import { Agent, request as httpsRequest } from 'node:https';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** One response with its latency in milliseconds. */
export interface Reply { status: number; body: string; ms: number }

/** One event read from a watch stream, with the time it arrived (performance.now()). */
export interface WatchEvent { type: string; object: { metadata?: { name?: string } }; at: number }

interface Kubeconfig {
  clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
  users: { user: { 'client-certificate-data': string; 'client-key-data': string } }[];
}

const unb64 = (s: string) => Buffer.from(s, 'base64');

/** An API client for the single cluster written to a kubeconfig by `knet up --kubeconfig`. */
export class ApiClient {
  private readonly host: string;
  private readonly port: number;
  private readonly tls: { ca: Buffer; cert: Buffer; key: Buffer };
  /** Agent for ordinary requests (kept-alive connections reused). */
  readonly agent: Agent;
  /** Agent for long-lived watches (one connection each). */
  readonly watchAgent: Agent;

  constructor(kubeconfigPath: string) {
    const kc = parse(readFileSync(kubeconfigPath, 'utf8')) as Kubeconfig;
    const cluster = kc.clusters[0]!.cluster;
    const user = kc.users[0]!.user;
    const url = new URL(cluster.server);
    if (url.hostname !== '127.0.0.1') throw new Error(`refusing to benchmark a non-loopback server ${url.host}`);
    this.host = url.hostname;
    this.port = Number(url.port);
    this.tls = { ca: unb64(cluster['certificate-authority-data']), cert: unb64(user['client-certificate-data']), key: unb64(user['client-key-data']) };
    this.agent = new Agent({ keepAlive: true, maxSockets: 8, ...this.tls });
    this.watchAgent = new Agent({ keepAlive: true, maxSockets: Infinity, ...this.tls });
  }

  /** Sends one request; resolves with status, body and latency (never rejects on HTTP errors). */
  request(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<Reply> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers: Record<string, string | number> = { Accept: 'application/json' };
    if (payload) { headers['Content-Type'] = contentType; headers['Content-Length'] = payload.length; }
    return new Promise((ok, fail) => {
      const t0 = performance.now();
      const req = httpsRequest({ host: this.host, port: this.port, method, path, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => ok({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), ms: performance.now() - t0 }));
      });
      req.on('error', fail);
      req.end(payload);
    });
  }

  /** Sends a JSON merge patch. */
  patch(path: string, body: unknown): Promise<Reply> {
    return this.request('PATCH', path, body, 'application/merge-patch+json');
  }

  /** Opens a watch; `ready` resolves once the response headers arrived. */
  watch(path: string, onEvent: (e: WatchEvent) => void): { ready: Promise<void>; close: () => void } {
    let req: ClientRequest | undefined;
    const ready = new Promise<void>((ok, fail) => {
      req = httpsRequest({ host: this.host, port: this.port, method: 'GET', path, headers: { Accept: 'application/json' }, agent: this.watchAgent }, (res) => {
        if (res.statusCode !== 200) { fail(new Error(`watch ${path}: HTTP ${res.statusCode}`)); return; }
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          const at = performance.now();
          buf += chunk;
          let nl: number;
          while ((nl = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, nl);
            buf = buf.slice(nl + 1);
            if (line.trim()) onEvent({ ...(JSON.parse(line) as Omit<WatchEvent, 'at'>), at });
          }
        });
        res.on('error', () => undefined);
        ok();
      });
      req.on('error', (e) => fail(e));
      req.end();
    });
    return { ready, close: () => req?.destroy() };
  }

  /** Sends a GET on its own connection and hands over the response unread (for clients that stall). */
  open(path: string, onResponse: (res: IncomingMessage) => void): ClientRequest {
    const req = httpsRequest({ host: this.host, port: this.port, method: 'GET', path, headers: { Accept: 'application/json' }, agent: this.watchAgent }, onResponse);
    req.end();
    return req;
  }

  /** Closes idle kept-alive connections. */
  close(): void {
    this.agent.destroy();
    this.watchAgent.destroy();
  }
}

/** The q-quantile (0..1) of samples, nearest-rank. */
export function quantile(samples: number[], q: number): number {
  if (samples.length === 0) return NaN;
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}
