/**
 * A minimal client for a Kubernetes API server reached through a kubeconfig: GET requests (and
 * knet's probe POSTs) over HTTPS (or HTTP) with the context's CA, client certificate, bearer token or basic
 * credentials, paged lists, and one-line errors that say what to fix.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import type { ClusterAccess } from './kubeconfig.js';
import { SnapshotError } from './snapshot.js';

/** A non-2xx answer; `status` is the HTTP code, `reason` the Status reason. */
export class ApiStatusError extends SnapshotError {
  constructor(message: string, readonly status: number, readonly reason: string) {
    super(message);
  }
}

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO|ERR_TLS|ERR_SSL|EPROTO|ALTNAME/;

/** The message for a connection that failed before any answer. */
function connectError(access: ClusterAccess, e: NodeJS.ErrnoException): SnapshotError {
  const where = `the server ${new URL(access.server).host} (context "${access.context}")`;
  const code = e.code ?? '';
  if (code === 'ECONNREFUSED') return new SnapshotError(`the connection to ${where} was refused - is the cluster running? did you specify the right --kubeconfig and --context?`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new SnapshotError(`unable to connect to ${where}: no such host - check the server of cluster "${access.cluster}" in the kubeconfig`);
  if (code === 'ETIMEDOUT' || code === 'ECONNRESET' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return new SnapshotError(`unable to connect to ${where}: ${code} - is the cluster running and reachable from here?`);
  if (TLS_CODES.test(code)) return new SnapshotError(`unable to connect to ${where}: TLS: ${e.message} - the kubeconfig's certificate-authority does not match the server (or set insecure-skip-tls-verify: true on the cluster)`);
  return new SnapshotError(`unable to connect to ${where}: ${e.message}`);
}

/** The message for an error answer, as kubectl words them. */
function statusError(access: ClusterAccess, code: number, body: string): ApiStatusError {
  let st: { message?: string; reason?: string } = {};
  try { st = JSON.parse(body) as typeof st; } catch { /* not a Status */ }
  const reason = st.reason ?? (code === 401 ? 'Unauthorized' : code === 403 ? 'Forbidden' : code === 404 ? 'NotFound' : `${code}`);
  if (code === 401) return new ApiStatusError(`You must be logged in to the server (Unauthorized): the credentials of user "${access.user}" (context "${access.context}") were refused`, code, reason);
  const msg = st.message ?? (body.trim().split('\n')[0] || `HTTP ${code}`);
  return new ApiStatusError(`Error from server (${reason}): ${msg}`, code, reason);
}

/** Credentials resolved beyond the kubeconfig (an exec plugin's output). */
export interface ExtraCredentials { token?: string; cert?: Buffer; key?: Buffer }

/** GET `path` (with query) and parse the JSON answer. */
export function apiGet(access: ClusterAccess, path: string, extra: ExtraCredentials = {}, timeoutMs = 30_000): Promise<unknown> {
  return apiRequest(access, 'GET', path, undefined, extra, timeoutMs);
}

/** Sends `method path` with an optional JSON body and parses the JSON answer. */
export function apiRequest(access: ClusterAccess, method: string, path: string, body: unknown, extra: ExtraCredentials = {}, timeoutMs = 30_000): Promise<unknown> {
  const base = new URL(access.server);
  const url = new URL(base.origin + base.pathname.replace(/\/+$/, '') + path);
  const token = extra.token ?? access.token;
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'knet (analysis)' };
  if (token) headers['authorization'] = `Bearer ${token}`;
  else if (access.username !== undefined) headers['authorization'] = `Basic ${Buffer.from(`${access.username}:${access.password ?? ''}`).toString('base64')}`;
  const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  if (data) { headers['content-type'] = 'application/json'; headers['content-length'] = String(data.length); }
  const opts: RequestOptions = {
    method, headers, timeout: timeoutMs,
    ca: access.ca, cert: extra.cert ?? access.cert, key: extra.key ?? access.key,
    rejectUnauthorized: !access.insecureSkipTLSVerify, servername: access.tlsServerName,
  };
  const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise((resolvePromise, reject) => {
    const req = send(url, opts, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d));
      res.on('end', () => {
        const code = res.statusCode ?? 0;
        if (code < 200 || code >= 300) { reject(statusError(access, code, text)); return; }
        try { resolvePromise(JSON.parse(text)); } catch { reject(new SnapshotError(`the server ${url.host} answered ${url.pathname} with something that is not JSON`)); }
      });
      res.on('error', (e) => reject(connectError(access, e)));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    req.on('error', (e) => reject(connectError(access, e)));
    req.end(data);
  });
}

interface ListAnswer { kind?: string; items?: Record<string, unknown>[]; metadata?: { continue?: string } }

/** Lists every object at a collection path, 500 at a time, giving each item the list's kind and apiVersion. */
export async function apiList<T>(access: ClusterAccess, path: string, apiVersion: string, kind: string, extra: ExtraCredentials = {}): Promise<T[]> {
  const out: T[] = [];
  let cont = '';
  do {
    const q = new URLSearchParams({ limit: '500' });
    if (cont) q.set('continue', cont);
    const page = await apiGet(access, `${path}?${q.toString()}`, extra) as ListAnswer;
    for (const it of page.items ?? []) out.push({ apiVersion, kind, ...it } as T);
    cont = page.metadata?.continue ?? '';
  } while (cont);
  return out;
}
