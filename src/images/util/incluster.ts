/**
 * An in-cluster API client for built-in images, as client-go's `rest.InClusterConfig` sets one up:
 * the API server at `https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT` over the pod network,
 * TLS verified against the service account's `ca.crt`, and its `token` as the bearer credential.
 */
import http from 'node:http';
import type { Socket } from 'node:net';
import type { ProcessContext } from '../types.js';
import { NetError } from '../../net/types.js';
import { startTls } from '../toolbox/tls.js';

/** Where the kubelet projects the service account's token, CA and namespace. */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
/** Largest response body read (bytes). */
const MAX_BODY = 4 << 20;

/** An API response: HTTP status and the parsed JSON body (a Status on errors). */
export interface ApiResponse { status: number; body: Record<string, unknown> }

/** Requests against the API server. */
export interface ApiClient {
  /** Sends `method path` with an optional JSON body; rejects with an Error worded as client-go's transport errors. */
  request(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<ApiResponse>;
}

/** The error client-go returns when in-cluster configuration is missing (rest.ErrNotInCluster). */
export const NOT_IN_CLUSTER = 'unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined';

/** The in-cluster client of a process, or client-go's error text when the pod has no service-account files or env. */
export function inClusterClient(ctx: ProcessContext, timeoutMs = 30_000): ApiClient | { error: string } {
  const host = ctx.env.KUBERNETES_SERVICE_HOST;
  const port = Number(ctx.env.KUBERNETES_SERVICE_PORT);
  if (!host || !port) return { error: NOT_IN_CLUSTER };
  const token = ctx.fs.read(`${SERVICE_ACCOUNT_DIR}/token`)?.toString('utf8').trim();
  if (token === undefined) return { error: `open ${SERVICE_ACCOUNT_DIR}/token: no such file or directory` };
  const ca = ctx.fs.read(`${SERVICE_ACCOUNT_DIR}/ca.crt`)?.toString('utf8');
  const url = `https://${host}:${port}`;
  return {
    async request(method, path, body) {
      const fail = (why: string): Error => new Error(`${method[0]}${method.slice(1).toLowerCase()} "${url}${path}": ${why}`);
      let conn;
      try {
        conn = await ctx.net.connect({ ip: host, port }, { timeoutMs });
      } catch (e) {
        if (!(e instanceof NetError)) throw e;
        throw fail(e.code === 'ECONNREFUSED' ? `dial tcp ${host}:${port}: connect: connection refused` : `dial tcp ${host}:${port}: i/o timeout`);
      }
      const session = await startTls(conn, { host, ca, insecure: false, timeoutMs, signal: ctx.signal });
      if (!('socket' in session)) {
        const why = session.kind === 'verify' ? `tls: failed to verify certificate: x509: ${session.message}`
          : session.kind === 'name' ? `tls: failed to verify certificate: x509: certificate is valid for other names, not ${host}`
            : session.kind === 'timeout' ? 'net/http: TLS handshake timeout' : session.kind === 'handshake' ? `remote error: ${session.message}` : 'EOF';
        throw fail(why);
      }
      const socket = session.socket;
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      return new Promise<ApiResponse>((resolve, reject) => {
        const timer = setTimeout(() => { socket.destroy(); reject(fail('context deadline exceeded')); }, timeoutMs);
        const req = http.request({
          method, path, createConnection: () => socket as unknown as Socket,
          headers: {
            Host: `${host}:${port}`, Authorization: `Bearer ${token}`, Accept: 'application/json', 'User-Agent': 'kube-webhook-certgen/v0.0.0 (linux/amd64) kubernetes/$Format',
            ...(payload ? { 'Content-Type': method === 'PATCH' ? 'application/merge-patch+json' : 'application/json', 'Content-Length': String(payload.length) } : {}),
          },
        }, (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (d: Buffer) => { size += d.length; if (size > MAX_BODY) { socket.destroy(); return; } chunks.push(d); });
          res.on('end', () => {
            clearTimeout(timer);
            socket.end();
            try {
              resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> });
            } catch {
              reject(fail(`unexpected response (HTTP ${res.statusCode ?? 0})`));
            }
          });
          res.on('error', () => { clearTimeout(timer); reject(fail('unexpected EOF')); });
        });
        req.on('error', () => { clearTimeout(timer); reject(fail('EOF')); });
        req.end(payload);
      });
    },
  };
}

/** The message of a Status body (`secrets "x" not found`), or the HTTP status when there is none. */
export function statusMessage(r: ApiResponse): string {
  return typeof r.body.message === 'string' ? r.body.message : `the server responded with HTTP ${r.status}`;
}
