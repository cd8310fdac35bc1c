/**
 * Raw HTTPS requests to a running knet with the kubeconfig's client certificate (or none), for
 * tests that need exact status codes, headers and bodies.
 */
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** TLS material from a kubeconfig's current cluster and user. */
export interface Creds { ca: Buffer; cert: Buffer; key: Buffer }

/** A response: status code, headers and body (text and, when it parses, JSON). */
export interface RawResponse { status: number; headers: Record<string, string | string[] | undefined>; text: string; json: unknown }

interface KubeconfigDoc {
  clusters: { cluster: Record<string, string> }[];
  users: { user: Record<string, string> }[];
}

/** Reads the CA, client certificate and key of the first cluster and user of a kubeconfig file. */
export function loadCreds(kubeconfig: string): Creds {
  const doc = parse(readFileSync(kubeconfig, 'utf8')) as KubeconfigDoc;
  const cluster = doc.clusters[0]?.cluster ?? {};
  const user = doc.users[0]?.user ?? {};
  const b = (v: string | undefined) => Buffer.from(v ?? '', 'base64');
  return { ca: b(cluster['certificate-authority-data']), cert: b(user['client-certificate-data']), key: b(user['client-key-data']) };
}

/** Options of one raw request. */
export interface RawOptions {
  body?: string | Buffer;
  headers?: Record<string, string>;
  /** Send no client certificate. */
  anonymous?: boolean;
  timeoutMs?: number;
  agent?: https.Agent;
}

/** Sends one request; rejects on connection errors (reset, timeout). */
export function rawRequest(port: number, creds: Creds, method: string, path: string, opts: RawOptions = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...opts.headers };
    if (opts.body !== undefined) headers['Content-Length'] = Buffer.byteLength(opts.body);
    const req = https.request({
      host: '127.0.0.1', port, method, path, headers, ca: creds.ca, agent: opts.agent ?? false,
      ...(opts.anonymous ? {} : { cert: creds.cert, key: creds.key }),
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try { json = JSON.parse(text); } catch { json = undefined; }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.setTimeout(opts.timeoutMs ?? 10_000, () => req.destroy(new Error(`timeout: ${method} ${path}`)));
    req.on('error', reject);
    if (opts.body !== undefined) req.end(opts.body); else req.end();
  });
}

/** A request helper bound to a port and credentials. */
export function client(port: number, creds: Creds) {
  return (method: string, path: string, opts: RawOptions = {}) => rawRequest(port, creds, method, path, opts);
}

/** Shorthand: a JSON body with Content-Type application/json. */
export function jsonBody(v: unknown): RawOptions {
  return { body: JSON.stringify(v), headers: { 'Content-Type': 'application/json' } };
}
