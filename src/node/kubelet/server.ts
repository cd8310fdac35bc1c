/**
 * The kubelet's HTTPS API on a node's address, port 10250, where kube-apiserver's `nodes/NAME/proxy`
 * goes: `/healthz` answers `ok` and `/pods` lists the node's pods as a PodList, as the kubelet's
 * server does (pkg/kubelet/server/server.go); other paths are Go's `404 page not found`. Served on
 * the node's virtual stack with the API server's certificate (the API server does not verify kubelet
 * certificates unless told to, as kind runs it), with header, idle and silent-connection timeouts.
 */
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Pod } from '../../api/kinds/pod-types.js';
import { closeSilentConnections } from '../../net/idle.js';
import type { NetStack } from '../../net/types.js';

/** The kubelet's secure port. */
export const KUBELET_PORT = 10250;
/** Header, idle and first-request timeout of the kubelet API's connections. */
const TIMEOUT_MS = 30_000;

/** What the kubelet API serves from. */
export interface KubeletApiOptions {
  cert: string;
  key: string;
  /** The pods bound to this node, as of now. */
  pods(): Pod[];
}

function reply(res: ServerResponse, code: number, type: string, body: string): void {
  res.writeHead(code, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), 'X-Content-Type-Options': 'nosniff' });
  res.end(body);
}

function handle(o: KubeletApiOptions, req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  const path = (req.url ?? '/').split('?')[0]!;
  if (path === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) return reply(res, 200, 'text/plain; charset=utf-8', 'ok');
  if (path === '/pods' && req.method === 'GET') {
    return reply(res, 200, 'application/json', JSON.stringify({ kind: 'PodList', apiVersion: 'v1', metadata: {}, items: o.pods() }));
  }
  reply(res, 404, 'text/plain; charset=utf-8', '404 page not found\n');
}

/** Serves the kubelet API on `stack`; the result stops it (the listener and every connection). */
export function serveKubeletApi(stack: NetStack, o: KubeletApiOptions): () => void {
  const server = https.createServer({ cert: o.cert, key: o.key, handshakeTimeout: TIMEOUT_MS }, (req, res) => handle(o, req, res));
  server.headersTimeout = TIMEOUT_MS;
  server.keepAliveTimeout = TIMEOUT_MS;
  closeSilentConnections(server, TIMEOUT_MS, { connectionEvent: 'secureConnection' });
  const listener = stack.listen(KUBELET_PORT, (c) => server.emit('connection', c));
  return () => { listener.close(); server.close(); server.closeAllConnections(); };
}
