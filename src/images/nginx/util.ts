/** nginx's error pages, log formats, ETags and MIME types. */
import type { IncomingMessage } from 'node:http';

const REASONS: Record<number, string> = {
  301: '301 Moved Permanently', 302: '302 Found', 400: '400 Bad Request', 403: '403 Forbidden',
  404: '404 Not Found', 405: '405 Not Allowed', 500: '500 Internal Server Error', 502: '502 Bad Gateway', 503: '503 Service Temporarily Unavailable',
};
/** nginx's own reason phrases for status lines. */
export function statusLine(status: number): string {
  return ({ 200: 'OK', 301: 'Moved Permanently', 302: 'Moved Temporarily', 304: 'Not Modified', 400: 'Bad Request', 403: 'Forbidden',
    404: 'Not Found', 405: 'Not Allowed', 500: 'Internal Server Error', 503: 'Service Temporarily Unavailable' } as Record<number, string>)[status] ?? '';
}

const PADDING = '<!-- a padding to disable MSIE and Chrome friendly error page -->\r\n'.repeat(6);

/** The page nginx renders for an error status (with the MSIE/Chrome padding for those browsers). */
export function errorPage(status: number, server: string, userAgent: string | undefined): string {
  const title = REASONS[status] ?? `${status}`;
  let page = `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>${server}</center>\r\n</body>\r\n</html>\r\n`;
  const browser = !!userAgent && ((/MSIE /.test(userAgent) && !/Opera/.test(userAgent)) || /Chrome\//.test(userAgent));
  if (status >= 400 && browser) page += PADDING;
  return page;
}

/** nginx's ETag: hex mtime and hex size. */
export function etag(mtimeSec: number, size: number): string {
  return `"${mtimeSec.toString(16)}-${size.toString(16)}"`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number): string => String(n).padStart(2, '0');

/** `$time_local` in UTC: `24/Nov/2026:02:30:00 +0000`. */
export function timeLocal(d = new Date()): string {
  return `${p2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`;
}

/** The error log's timestamp: `2026/11/24 02:30:00`. */
export function errorLogTime(d = new Date()): string {
  return `${d.getUTCFullYear()}/${p2(d.getUTCMonth() + 1)}/${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
}

/** One line of the `main` (combined plus X-Forwarded-For) access log. */
export function accessLine(req: IncomingMessage, status: number, bytes: number): string {
  const h = (name: string): string => {
    const v = req.headers[name];
    return v === undefined || v === '' ? '-' : Array.isArray(v) ? v.join(', ') : v;
  };
  const request = `${req.method ?? ''} ${req.url ?? ''} HTTP/${req.httpVersion}`;
  return `${req.socket.remoteAddress ?? '-'} - - [${timeLocal()}] "${request}" ${status} ${bytes} "${h('referer')}" "${h('user-agent')}" "${h('x-forwarded-for')}"\n`;
}

const MIME: Record<string, string> = {
  html: 'text/html', htm: 'text/html', shtml: 'text/html', css: 'text/css', xml: 'text/xml', txt: 'text/plain',
  js: 'application/javascript', json: 'application/json', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg',
  gif: 'image/gif', svg: 'image/svg+xml', ico: 'image/x-icon', webp: 'image/webp', pdf: 'application/pdf', wasm: 'application/wasm',
};

/** The Content-Type nginx's mime.types gives a file name (application/octet-stream by default). */
export function mimeType(path: string): string {
  const ext = /\.([^./]+)$/.exec(path)?.[1]?.toLowerCase() ?? '';
  return MIME[ext] ?? 'application/octet-stream';
}
