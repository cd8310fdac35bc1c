/**
 * The responses nginx generates itself (ingress-notes §7.3): its HTML error page with the `nginx`
 * footer (server tokens off), and nginx's status-line reason phrases, which differ from Node's.
 */

/** nginx's reason phrases (ngx_http_status_lines), where they differ from or add to Node's. */
const REASONS: Record<number, string> = {
  200: 'OK', 204: 'No Content', 301: 'Moved Permanently', 302: 'Moved Temporarily', 303: 'See Other',
  304: 'Not Modified', 307: 'Temporary Redirect', 308: 'Permanent Redirect', 400: 'Bad Request',
  401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Not Allowed', 408: 'Request Time-out',
  413: 'Request Entity Too Large', 414: 'Request-URI Too Large', 429: 'Too Many Requests',
  500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Temporarily Unavailable',
  504: 'Gateway Time-out',
};

/** Page titles where they differ from the reason phrase. */
const TITLES: Record<number, string> = { 302: 'Found', 401: 'Authorization Required' };

/** nginx's reason phrase for a status. */
export function reason(status: number): string {
  return REASONS[status] ?? 'Unknown';
}

function renderPage(status: number, detail?: string): Buffer {
  const heading = `${status} ${TITLES[status] ?? reason(status)}`;
  const title = detail ? `${status} ${detail}` : heading;
  const body = detail ? `<center><h1>${heading}</h1></center>\r\n<center>${detail}</center>\r\n` : `<center><h1>${heading}</h1></center>\r\n`;
  return Buffer.from(`<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n${body}<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`);
}

/** The pages of nginx's own statuses, rendered once (immutable; other statuses and details are rendered per use). */
const PAGES: ReadonlyMap<number, Buffer> = new Map(Object.keys(REASONS).map(Number).filter((s) => s >= 300 && s !== 304).map((s) => [s, renderPage(s)]));

/**
 * nginx's HTML page for a status, e.g. `<title>404 Not Found</title>`; `detail` is nginx's
 * special 400 variants (`Request Header Or Cookie Too Large`), shown under the heading.
 */
export function errorPage(status: number, detail?: string): Buffer {
  return (detail ? undefined : PAGES.get(status)) ?? renderPage(status, detail);
}

/** Whether nginx sends its HTML page with a generated response of this status (not for 1xx/204/304, nor 2xx). */
export function hasPage(status: number): boolean {
  return status >= 300 && status !== 304;
}

/** A complete raw HTTP/1.1 error response, for connections Node's parser refused (no request object exists). */
export function rawErrorResponse(status: number, detail?: string): string {
  const page = errorPage(status, detail);
  return `HTTP/1.1 ${status} ${reason(status)}\r\nDate: ${new Date().toUTCString()}\r\nContent-Type: text/html\r\n` +
    `Content-Length: ${page.length}\r\nConnection: close\r\n\r\n${page.toString('latin1')}`;
}
