/** The 'upgrade' dispatcher: authenticates, checks the pod, and serves exec/attach/portforward over WebSocket or SPDY. */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import { STATUS_CODES } from 'node:http';
import { WebSocketServer } from 'ws';
import { StatusError, errors } from '../../api/errors.js';
import type { Registry } from '../../api/registry.js';
import type { Store } from '../../store/types.js';
import { requestUser } from '../authz/request-user.js';
import type { UserInfo } from '../authz/user.js';
import { parseRequestPath } from '../http/request.js';
import { parseRequestTarget } from '../http/target.js';
import type { PodStreamBackend } from './backend.js';
import { checkPod } from './checks.js';
import { startSession, type SessionRequest } from './session.js';
import { STREAM_CREATION_GRACE_MS, V5_PROTOCOL, createsStreamsBeforeReading, serveExecWebSocket } from './exec-ws.js';
import { chooseRemoteCommandProtocol, serveExecSpdy } from './exec-spdy.js';
import { PORT_FORWARD_PROTOCOL, PORT_FORWARD_WS_PROTOCOL, servePortForward } from './portforward.js';
import { SpdySession } from './spdy-session.js';
import { WsByteStream, websocketHandshake } from './ws-raw.js';

/** What the dispatcher needs from the API server. */
export interface UpgradeServer { authenticated(req: IncomingMessage): boolean }

/** Dependencies of the upgrade dispatcher. */
export interface UpgradeDeps {
  backend: PodStreamBackend; store: Store; registry: Registry;
  /** CONNECT admission (webhooks) of pods/exec, attach and portforward as the request's user; rejects to refuse. */
  admit?(ns: string, name: string, sub: string, q: URLSearchParams, user: UserInfo): Promise<void>;
}

/** Writes a Status error as a plain HTTP response on a not-upgraded socket and closes it. */
export function rejectUpgrade(socket: Duplex, e: unknown): void {
  const se = e instanceof StatusError ? e : errors.internal(e instanceof Error ? e.message : String(e));
  const body = Buffer.from(JSON.stringify(se.status));
  socket.end(`HTTP/1.1 ${se.code} ${STATUS_CODES[se.code] ?? 'Error'}\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${body.length}\r\nCache-Control: no-cache, private\r\nConnection: close\r\n\r\n${body.toString()}`);
}

function list(h: string | string[] | undefined): string[] {
  return (Array.isArray(h) ? h.join(',') : h ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

/** The exec/attach request from query parameters (`command` repeats). */
export function sessionRequest(kind: 'exec' | 'attach', ns: string, pod: string, q: URLSearchParams): SessionRequest {
  const b = (n: string) => q.get(n) === 'true' || q.get(n) === '1';
  const r = { kind, ns, pod, container: q.get('container') || undefined, command: q.getAll('command'), stdin: b('stdin'), stdout: b('stdout'), stderr: b('stderr'), tty: b('tty') };
  if (!r.stdin && !r.stdout && !r.stderr) throw errors.badRequest('you must specify at least 1 of stdin, stdout, stderr');
  return r;
}

/** The upgrade handler: call it from the server's 'upgrade' event; closeAll() drops upgraded connections. */
export type UpgradeHandler = ((server: UpgradeServer, req: IncomingMessage, socket: Duplex, head: Buffer) => void) & { closeAll(): void };

/** Builds the handler for the HTTPS server's 'upgrade' event. */
export function createUpgradeHandler(deps: UpgradeDeps): UpgradeHandler {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, handleProtocols: (p) => (p.has(V5_PROTOCOL) ? V5_PROTOCOL : false) });
  const open = new Set<Duplex>();
  const handle = (server: UpgradeServer, req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => undefined);
    open.add(socket);
    socket.once('close', () => open.delete(socket));
    void dispatch(deps, wss, server, req, socket, head).catch((e: unknown) => {
      if (socket.writable) rejectUpgrade(socket, e); else socket.destroy();
    });
  };
  return Object.assign(handle, { closeAll: () => { for (const s of open) s.destroy(); open.clear(); } });
}

async function dispatch(deps: UpgradeDeps, wss: WebSocketServer, server: UpgradeServer, req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
  if (!server.authenticated(req)) throw errors.unauthorized();
  const url = parseRequestTarget(req.url ?? '/');
  const info = parseRequestPath(url.path.replace(/\/+$/, ''));
  const sub = info.subresource ?? '';
  if (!info.isResource || info.group !== '' || info.version !== 'v1' || info.resource !== 'pods' || !info.namespace || !info.name || !['exec', 'attach', 'portforward'].includes(sub)) {
    throw new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', details: {}, code: 404 });
  }
  const ns = info.namespace;
  const name = info.name;
  const upgrade = (req.headers.upgrade ?? '').toLowerCase();
  const isWs = upgrade === 'websocket';
  if (!isWs && upgrade !== 'spdy/3.1') throw errors.badRequest(`unsupported upgrade protocol: ${req.headers.upgrade ?? ''}`);
  await deps.admit?.(ns, name, sub, url.query, requestUser(req));
  (socket as Partial<Socket>).setNoDelay?.(true);

  if (sub === 'portforward') {
    checkPod(deps.store, deps.registry, ns, name, undefined, { needContainer: false, needHost: true });
    let transport: Duplex;
    if (isWs) {
      if (!list(req.headers['sec-websocket-protocol']).includes(PORT_FORWARD_WS_PROTOCOL)) throw errors.badRequest('unable to upgrade: no supported WebSocket subprotocol requested');
      const key = req.headers['sec-websocket-key'];
      if (typeof key !== 'string' || !key) throw errors.badRequest('missing Sec-WebSocket-Key');
      socket.write(websocketHandshake(key, PORT_FORWARD_WS_PROTOCOL));
      transport = new WsByteStream(socket, head);
    } else {
      if (!list(req.headers['x-stream-protocol-version']).includes(PORT_FORWARD_PROTOCOL)) throw errors.forbidden('unable to upgrade: unable to negotiate protocol');
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: ${PORT_FORWARD_PROTOCOL}\r\n\r\n`);
      if (head.length) socket.unshift(head);
      transport = socket;
    }
    servePortForward(new SpdySession(transport), deps.backend, ns, name);
    return;
  }

  const r = sessionRequest(sub as 'exec' | 'attach', ns, name, url.query);
  const target = checkPod(deps.store, deps.registry, ns, name, r.container, { needContainer: true, needHost: true });
  r.container = target.container;
  let proto: string | undefined;
  if (isWs) {
    if (!list(req.headers['sec-websocket-protocol']).includes(V5_PROTOCOL)) throw errors.badRequest('unable to upgrade: no supported WebSocket subprotocol requested');
  } else {
    proto = chooseRemoteCommandProtocol(list(req.headers['x-stream-protocol-version']));
    if (!proto) throw errors.forbidden('unable to upgrade: unable to negotiate protocol');
  }
  const s = startSession(deps.backend, r);
  const early = await s.early;
  if (early) throw early;
  if (isWs) {
    const holdMs = createsStreamsBeforeReading(req.headers['user-agent']) ? 0 : STREAM_CREATION_GRACE_MS;
    wss.handleUpgrade(req, socket, head, (ws) => serveExecWebSocket(ws, s, { holdMs }));
    return;
  }
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: ${proto}\r\n\r\n`);
  if (head.length) socket.unshift(head);
  serveExecSpdy(new SpdySession(socket), s, r);
}
