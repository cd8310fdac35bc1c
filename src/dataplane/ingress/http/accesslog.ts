/**
 * ingress-nginx's access-log line (`log-format-upstream`, ingress-notes §7.2):
 * `$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer"
 * "$http_user_agent" $request_length $request_time [$proxy_upstream_name]
 * [$proxy_alternative_upstream_name] $upstream_addr $upstream_response_length
 * $upstream_response_time $upstream_status $req_id`.
 */
import type { Exchange } from './exchange.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** nginx's `$time_local` in UTC (`06/Dec/2026:21:42:07 +0000`), cached per second. */
export class TimeLocal {
  private second = -1;
  private text = '';

  format(ms: number): string {
    const s = Math.floor(ms / 1000);
    if (s !== this.second) {
      const d = new Date(s * 1000);
      const p = (n: number): string => (n < 10 ? '0' + n : String(n));
      this.text = `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
      this.second = s;
    }
    return this.text;
  }
}

/** Seconds with millisecond resolution, as nginx prints times (`0.003`). */
export function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

/** `$request_length`: request line, headers and body as received. */
function requestLength(ex: Exchange): number {
  const req = ex.req;
  let n = (req.method?.length ?? 0) + ex.uri.length + 12; // ' ' + ' HTTP/1.1' + CRLF
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i++) n += raw[i]!.length + 2; // ': ' or CRLF
  return n + 2 + ex.requestBodyBytes;
}

function quoted(v: string | string[] | undefined): string {
  if (v === undefined || v === '') return '"-"';
  const s = Array.isArray(v) ? v.join(', ') : v;
  return '"' + s.replace(/["\\\x00-\x1f\x7f-\xff]/g, (c) => '\\x' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')) + '"';
}

/** The access-log line of a finished exchange. */
export function accessLine(ex: Exchange, time: TimeLocal, now: number): string {
  const req = ex.req;
  const request = `${req.method ?? '-'} ${ex.uri} HTTP/${req.httpVersionMajor === 2 ? '2.0' : req.httpVersion}`;
  return `${ex.clientIp} - ${ex.remoteUser} [${time.format(ex.start)}] ${quoted(request)} ${ex.status} ${ex.bodyBytesSent} ` +
    `${quoted(req.headers.referer)} ${quoted(req.headers['user-agent'])} ${requestLength(ex)} ${seconds(now - ex.start)} ` +
    `[${ex.upstreamName}] [${ex.alternativeName}] ${ex.upstreamAddr} ${ex.upstreamLength} ${ex.upstreamTime} ${ex.upstreamStatus} ${ex.requestId}`;
}

/** What is known of a request Node's parser refused (no request object exists). */
export interface RefusedRequest {
  clientIp: string;
  /** The bytes received of it, when known (Node's `rawPacket`). */
  raw: Buffer | undefined;
  /** nginx's `large_client_header_buffers` size: an unfinished request line is logged up to one buffer. */
  maxLine: number;
  status: number;
  bodyBytesSent: number;
  /** When reading it began. */
  start: number;
  requestId: string;
}

/**
 * The access-log line nginx writes for a request it refused while reading it: `$request` is the
 * request line as far as received (up to CR/LF; `-` when unknown, as ngx_http_variable_request_line),
 * no referer, user agent or upstream.
 */
export function refusedLine(r: RefusedRequest, time: TimeLocal, now: number): string {
  let line: string | undefined;
  if (r.raw && r.raw.length > 0) {
    let end = r.raw.indexOf(13);
    const lf = r.raw.indexOf(10);
    if (end < 0 || (lf >= 0 && lf < end)) end = lf;
    line = r.raw.subarray(0, Math.min(end < 0 ? r.raw.length : end, r.maxLine)).toString('latin1');
  }
  return `${r.clientIp} - - [${time.format(r.start)}] ${quoted(line)} ${r.status} ${r.bodyBytesSent} "-" "-" ${r.raw?.length ?? 0} ` +
    `${seconds(now - r.start)} [] [] - - - - ${r.requestId}`;
}
