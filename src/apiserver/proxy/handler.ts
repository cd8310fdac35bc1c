/**
 * The `services/proxy`, `pods/proxy` and `nodes/proxy` subresources: requests to
 * `/api/v1/namespaces/NS/services/[scheme:]NAME[:PORT]/proxy/PATH` (and pods, nodes) go to the
 * backend over the virtual network, dialled from the control-plane node's stack as kube-apiserver
 * dials from its host; WebSocket and other upgrades are relayed byte for byte once the request is sent.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { errors } from '../../api/errors.js';
import type { Node } from '../../api/kinds/node.js';
import { rejectUpgrade, type UpgradeHandler, type UpgradeServer } from '../streams/upgrade.js';
import { parseRequestTarget } from '../http/target.js';
import { podLocation, serviceLocation, serviceUnavailable, splitSchemeNamePort, type ProxyLocation, type ProxyLookup } from './location.js';
import { backendHeaders, dialBackend, forward, IDLE_TIMEOUT_MS, type Dialer } from './forward.js';
import { escapePath, parseProxyPath, type ProxyRequest } from './paths.js';

/** What the proxy needs from the cluster. */
export interface ProxyDeps extends ProxyLookup {
  node(name: string): Node | undefined;
  /** Dials from the API server's node. */
  dial: Dialer;
}

/** Where a node proxy goes: the node's InternalIP at the given port (the kubelet's 10250 by default, over https). */
function nodeLocation(deps: ProxyDeps, id: string): ProxyLocation {
  const p = splitSchemeNamePort(id);
  if (!p) throw errors.badRequest(`invalid node request "${id}"`);
  const node = deps.node(p.name);
  if (!node) throw errors.notFound('nodes', p.name);
  const ip = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? '';
  if (!ip) throw errors.badRequest('address not allowed');
  // No port, or the kubelet's: the kubelet's connection (https); another port: the requested scheme (http by default).
  if (p.port === '' || p.port === '10250') return { scheme: 'https', ip, port: 10250 };
  const port = Number(p.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw serviceUnavailable(`error trying to reach service: dial tcp: lookup tcp/${p.port}: unknown port`);
  return { scheme: p.scheme === 'https' ? 'https' : 'http', ip, port };
}

function locate(deps: ProxyDeps, pr: ProxyRequest): ProxyLocation {
  if (pr.resource === 'services') return serviceLocation(deps, pr.namespace, pr.id);
  if (pr.resource === 'pods') return podLocation(deps, pr.namespace, pr.id);
  return nodeLocation(deps, pr.id);
}

function rawQuery(url: string): string {
  const noFragment = url.split('#', 1)[0]!;
  const q = noFragment.indexOf('?');
  return q < 0 ? '' : noFragment.slice(q + 1);
}

/** The proxy subresources of one API server. */
export class ProxySubresources {
  private readonly upgraded = new Set<Duplex>();

  constructor(private readonly deps: ProxyDeps) {}

  /** Serves `req` when its path is a proxy path (authenticated already); undefined otherwise. */
  serve(path: string, req: IncomingMessage, res: ServerResponse): Promise<void> | undefined {
    const pr = parseProxyPath(path);
    if (!pr) return undefined;
    return this.serveHttp(pr, req, res);
  }

  private async serveHttp(pr: ProxyRequest, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const loc = locate(this.deps, pr);
    const query = rawQuery(req.url ?? '');
    const method = req.method ?? 'GET';
    // An empty path redirects to the trailing slash (kubernetes issue 4958), after the location is known.
    if (pr.path === '' && (method === 'GET' || method === 'HEAD')) {
      req.resume();
      res.writeHead(301, { Location: `${pr.prefix}/${query ? `?${query}` : ''}`, 'Content-Length': 0 });
      res.end();
      return;
    }
    const conn = await dialBackend(this.deps.dial, loc);
    conn.on('error', () => undefined);
    await forward(conn, { loc, path: pr.path, prefix: pr.prefix, rawQuery: query, escapedPath: escapePath(pr.path) }, req, res);
  }

  /** Whether an upgrade request is for a proxy path. */
  handlesUpgrade(req: IncomingMessage): boolean {
    try {
      return parseProxyPath(parseRequestTarget(req.url ?? '/').path) !== undefined;
    } catch {
      return false;
    }
  }

  /** Relays an upgrade request (authenticated already): the request goes to the backend as sent, then bytes flow both ways. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => undefined);
    this.upgraded.add(socket);
    socket.once('close', () => this.upgraded.delete(socket));
    void this.relay(req, socket, head).catch((e: unknown) => { if (socket.writable) rejectUpgrade(socket, e); else socket.destroy(); });
  }

  private async relay(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const pr = parseProxyPath(parseRequestTarget(req.url ?? '/').path);
    if (!pr) throw errors.notFound('', req.url ?? '');
    const loc = locate(this.deps, pr);
    const conn = await dialBackend(this.deps.dial, loc);
    conn.on('error', () => undefined);
    if (socket.destroyed) { conn.destroy(); return; }
    const query = rawQuery(req.url ?? '');
    const lines = [`${req.method ?? 'GET'} ${escapePath(pr.path) || '/'}${query ? `?${query}` : ''} HTTP/1.1`];
    for (const [k, v] of Object.entries(backendHeaders(req, true))) for (const x of Array.isArray(v) ? v : [v]) lines.push(`${k}: ${x}`);
    conn.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (head.length) conn.write(head);
    join(socket, conn);
  }

  /** Closes every relayed upgrade. */
  closeAll(): void {
    for (const s of this.upgraded) s.destroy();
    this.upgraded.clear();
  }
}

/** Joins two streams both ways with backpressure; both close together, or after IDLE_TIMEOUT_MS without traffic. */
function join(a: Duplex, b: Duplex): void {
  const idle = setTimeout(() => close(), IDLE_TIMEOUT_MS);
  idle.unref();
  const touch = (): void => { idle.refresh(); };
  const close = (): void => { clearTimeout(idle); a.destroy(); b.destroy(); };
  for (const s of [a, b]) { s.on('data', touch); s.on('error', close); s.on('close', close); }
  a.pipe(b);
  b.pipe(a);
}

/** The API server's upgrade handler with proxy upgrades taken first (the others go to `inner`). */
export function withProxyUpgrades(proxy: ProxySubresources, inner: UpgradeHandler): UpgradeHandler {
  const handle = (server: UpgradeServer, req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (!proxy.handlesUpgrade(req)) return inner(server, req, socket, head);
    socket.on('error', () => undefined);
    // Impersonation checks throw (403, 500, a bad %-escape): inside the 'upgrade' event that must become a Status, never an uncaught exception.
    let ok: boolean;
    try { ok = server.authenticated(req); } catch (e) { rejectUpgrade(socket, e); return; }
    if (!ok) { rejectUpgrade(socket, errors.unauthorized()); return; }
    proxy.upgrade(req, socket, head);
  };
  return Object.assign(handle, { closeAll: () => { proxy.closeAll(); inner.closeAll(); } });
}
