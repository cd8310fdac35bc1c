/** A minimal HTTP/1.1 client over a virtual connection: writes a request, parses status, headers and body. */
import type { Conn } from '../../net/types.js';

/** A parsed response. */
export interface HttpResponse {
  statusLine: string;
  status: number;
  /** Header lines as received (without CRLF). */
  headerLines: string[];
  headers: Map<string, string>;
  body: Buffer;
  /** When the first byte arrived (ms since epoch). */
  firstByteAt: number;
}

/** Why a response could not be read. */
export class HttpError extends Error {
  constructor(readonly kind: 'empty' | 'reset' | 'timeout' | 'aborted', readonly received = 0) { super(kind); }
}

/** Sends a request and reads the response; rejects with HttpError. */
export function exchange(conn: Conn, request: Buffer, head: boolean, deadline?: number, signal?: AbortSignal): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    let res: HttpResponse | undefined;
    let bodyStart = 0;
    let firstByteAt = 0;
    let timer: NodeJS.Timeout | undefined;
    const finish = (err?: HttpError): void => {
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      conn.off('data', onData); conn.off('end', onEnd); conn.off('error', onError); conn.off('close', onEnd);
      conn.destroy();
      if (err) reject(err);
      else resolve(res!);
    };
    const tryComplete = (ended: boolean): void => {
      if (!res) {
        const idx = buf.indexOf('\r\n\r\n');
        if (idx < 0) { if (ended) finish(new HttpError(buf.length ? 'reset' : 'empty')); return; }
        const lines = buf.subarray(0, idx).toString('latin1').split('\r\n');
        const statusLine = lines.shift() ?? '';
        const headers = new Map<string, string>();
        for (const l of lines) { const c = l.indexOf(':'); if (c > 0) headers.set(l.slice(0, c).trim().toLowerCase(), l.slice(c + 1).trim()); }
        res = { statusLine, status: Number(statusLine.split(' ')[1] ?? 0), headerLines: lines, headers, body: Buffer.alloc(0), firstByteAt };
        bodyStart = idx + 4;
        if (res.status === 100) { buf = buf.subarray(bodyStart); res = undefined; tryComplete(ended); return; }
      }
      const body = buf.subarray(bodyStart);
      const noBody = head || res.status === 204 || res.status === 304 || (res.status >= 100 && res.status < 200);
      if (noBody) { finish(); return; }
      const te = res.headers.get('transfer-encoding');
      const cl = res.headers.get('content-length');
      if (te && /chunked/i.test(te)) {
        const out = dechunk(body);
        if (out) { res.body = out; finish(); } else if (ended) finish(new HttpError('reset', body.length));
        return;
      }
      if (cl !== undefined) {
        const n = Number(cl);
        if (body.length >= n) { res.body = body.subarray(0, n); finish(); } else if (ended) finish(new HttpError('reset', body.length));
        return;
      }
      if (ended) { res.body = body; finish(); }
    };
    const onData = (d: Buffer): void => { if (!firstByteAt) firstByteAt = Date.now(); buf = Buffer.concat([buf, d]); tryComplete(false); };
    const onEnd = (): void => tryComplete(true);
    const onError = (): void => { if (res) tryComplete(true); else finish(new HttpError(buf.length ? 'reset' : 'reset')); };
    const onAbort = (): void => finish(new HttpError('aborted', buf.length));
    conn.on('data', onData); conn.on('end', onEnd); conn.on('close', onEnd); conn.on('error', onError);
    signal?.addEventListener('abort', onAbort, { once: true });
    if (deadline !== undefined) timer = setTimeout(() => finish(new HttpError('timeout', Math.max(0, buf.length - bodyStart))), Math.max(0, deadline - Date.now()));
    conn.write(request);
  });
}

/** Decodes a complete chunked body, or undefined while incomplete. */
function dechunk(b: Buffer): Buffer | undefined {
  const parts: Buffer[] = [];
  let i = 0;
  for (;;) {
    const nl = b.indexOf('\r\n', i);
    if (nl < 0) return undefined;
    const size = parseInt(b.subarray(i, nl).toString().split(';')[0] ?? '', 16);
    if (Number.isNaN(size)) return Buffer.concat(parts);
    if (size === 0) return Buffer.concat(parts);
    if (b.length < nl + 2 + size + 2) return undefined;
    parts.push(b.subarray(nl + 2, nl + 2 + size));
    i = nl + 2 + size + 2;
  }
}
