/** STAND-IN for helper "proxy" (dropped at merge): answers every HTTP request with nginx's 404 page; the HTTPS port only accepts. */
import type { NetStack } from '../../../net/types.js';
import type { RouteSource } from '../model.js';
import { serveHttp } from '../../../images/util/http.js';

/** Options of the server (the contract in CONTRACTS.md §2). */
export interface IngressServerOptions {
  net: NetStack;
  routes: RouteSource;
  httpPort: number;
  httpsPort: number;
  accessLog(line: string): void;
  errorLog(line: string): void;
  random?: () => number;
  now?: () => number;
}

/** A running server. */
export interface IngressServer { close(): void }

const PAGE = '<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

/** Serves (stand-in); throws the stack's NetError EADDRINUSE. */
export function serveIngress(o: IngressServerOptions): IngressServer {
  const http = serveHttp(o.net, o.httpPort, (req, res) => {
    res.writeHead(404, { 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(PAGE) });
    res.end(PAGE);
    o.accessLog(`${req.socket.remoteAddress ?? '-'} - - [-] "${req.method ?? ''} ${req.url ?? ''} HTTP/${req.httpVersion}" 404 ${PAGE.length} "-" "${req.headers['user-agent'] ?? '-'}" 0 0.000 [upstream-default-backend] [] - - - - -`);
  });
  let https;
  try {
    https = o.net.listen(o.httpsPort, (c) => c.destroy());
  } catch (e) { http.close(); throw e; }
  return { close: () => { http.close(); https.close(); } };
}
