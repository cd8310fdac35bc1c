/** Writing JSON responses, Status errors and Warning headers. */
import type { ServerResponse } from 'node:http';
import { StatusError, errors } from '../../api/errors.js';
import { StoreWriteError } from '../../store/types.js';

/** Sends a JSON body with a status code and optional `Warning` headers. */
export function sendJSON(res: ServerResponse, code: number, body: unknown, warnings: string[] = [], contentType = 'application/json'): void {
  const data = Buffer.from(JSON.stringify(body));
  const headers: Record<string, string | string[] | number> = {
    'Content-Type': contentType, 'Content-Length': data.length, 'Cache-Control': 'no-cache, private',
  };
  if (warnings.length) headers['Warning'] = warnings.map((w) => `299 - ${JSON.stringify(w)}`);
  res.writeHead(code, headers);
  res.end(data);
}

/** Turns any thrown value into a Status response (500 for non-API errors). */
export function sendError(res: ServerResponse, e: unknown): void {
  if (res.headersSent) { res.destroy(); return; }
  if (e instanceof StoreWriteError) { // as kube-apiserver answers a write etcd refused: 500, no reason, the storage's message
    sendJSON(res, 500, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: e.message, code: 500 });
    return;
  }
  const se = e instanceof StatusError ? e : errors.internal(e instanceof Error ? e.message : String(e));
  if (!(e instanceof StatusError)) console.error('knet: internal error:', e);
  sendJSON(res, se.code, se.status, [], 'application/json');
}
