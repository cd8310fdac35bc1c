/**
 * Test fixtures for the ingress proxy: RouteTables built by hand, a virtual network with echoing
 * backends, the proxy on a controller stack, and clients dialling from the host stack.
 */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import http from 'node:http';
import type { Socket } from 'node:net';
import tls from 'node:tls';
import * as x509 from '@peculiar/x509';
import { RE2JS } from 're2js';
import { createNetwork } from '../../../net/network.js';
import type { Conn, Network, NetStack } from '../../../net/types.js';
import { defaultGlobalConfig, defaultLocationConfig } from '../defaults.js';
import type { Certificate, GlobalConfig, Location, LocationConfig, RouteSource, RouteTable, Server, Upstream } from '../model.js';
import { serveIngress, type IngressServer } from './server.js';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

/** A self-signed certificate for the given DNS names. */
export async function selfSigned(cn: string, names: string[]): Promise<{ cert: string; key: string; certificate: Certificate }> {
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
  const keys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01', name: `CN=${cn}`, notBefore: new Date(Date.now() - 60_000), notAfter: new Date(Date.now() + 86400_000),
    signingAlgorithm: alg, keys,
    extensions: [new x509.SubjectAlternativeNameExtension(names.map((value) => ({ type: 'dns' as const, value })))],
  });
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const key = `-----BEGIN PRIVATE KEY-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END PRIVATE KEY-----\n`;
  const pem = cert.toString('pem') + '\n';
  return { cert: pem, key, certificate: { source: cn, context: tls.createSecureContext({ cert: pem, key }) } };
}

/** An Upstream named `<ns>-<svc>-<port>` over the given endpoints. */
export function upstream(service: string, endpoints: { ip: string; port: number }[], port: number | string = 80, namespace = 'default'): Upstream {
  return { name: `${namespace}-${service}-${port}`, namespace, service, port, endpoints };
}

/** A location; `kind` defaults to a prefix match. */
export function location(path: string, up: Upstream | undefined, config: Partial<LocationConfig> = {},
  kind: 'prefix' | 'exact' | 'regex' = 'prefix', ingress = 'web'): Location {
  let match: Location['match'];
  if (kind === 'regex') {
    const re = RE2JS.compile(path, RE2JS.CASE_INSENSITIVE);
    match = {
      kind, path, test: (uri) => {
        const m = re.matcher(uri);
        if (!m.lookingAt()) return undefined;
        return Array.from({ length: m.groupCount() + 1 }, (_, i) => m.group(i) ?? '');
      },
    };
  } else match = { kind, path };
  return {
    match, path, pathType: kind === 'exact' ? 'Exact' : kind === 'prefix' ? 'Prefix' : 'ImplementationSpecific',
    ingress: { namespace: 'default', name: ingress }, upstream: up, config: { ...defaultLocationConfig(), ...config },
  };
}

/** A server for a host with its locations. */
export function server(host: string, locations: Location[], extra: Partial<Server> = {}): Server {
  return { host, locations, regexMode: locations.some((l) => l.match.kind === 'regex'), ...extra };
}

/** A RouteTable of servers (the host `_` becomes the catch-all). */
export function table(servers: Server[], defaultCertificate: Certificate, global: Partial<GlobalConfig> = {}): RouteTable {
  const map = new Map<string, Server>();
  const wild = new Map<string, Server>();
  let catchAll: Server = { host: '_', locations: [], regexMode: false };
  for (const s of servers) {
    if (s.host === '_') catchAll = s;
    else if (s.host.startsWith('*.')) wild.set(s.host.slice(2), s);
    else map.set(s.host, s);
  }
  return { servers: map, wildcards: wild, catchAll, defaultCertificate, global: { ...defaultGlobalConfig(), ...global }, generation: 1 };
}

/** A RouteSource whose table the test replaces. */
export class TestRoutes implements RouteSource {
  private subs = new Set<(t: RouteTable) => void>();
  constructor(public t: RouteTable) {}
  current(): RouteTable { return this.t; }
  set(t: RouteTable): void { this.t = t; for (const s of this.subs) s(t); }
  subscribe(fn: (t: RouteTable) => void): () => void { this.subs.add(fn); return () => this.subs.delete(fn); }
}

/** A backend HTTP server answering with JSON `{ name, method, url, headers, body }`; counts its connections. */
export interface Backend { name: string; ip: string; port: number; stack: NetStack; connections: number; requests: number; server: http.Server }

/** Starts an echo backend on a new pod stack. */
export function echoBackend(network: Network, ip: string, name: string, port = 8080,
  handler?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean): Backend {
  const stack = network.addStack([ip], { kind: 'pod', namespace: 'default', name });
  const server = http.createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    b.requests++;
    if (handler && handler(req, res)) return;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.stringify({ name, method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString() });
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), Server: 'echo', 'X-Backend': name });
      res.end(body);
    });
  });
  const b: Backend = { name, ip, port, stack, connections: 0, requests: 0, server };
  stack.listen(port, (c) => { b.connections++; server.emit('connection', c); });
  return b;
}

/** The test bed: a network, the proxy on a controller stack at 10.244.0.10 (ports 80/443), and its logs. */
export interface Bed {
  network: Network;
  routes: TestRoutes;
  ingress: IngressServer;
  access: string[];
  errors: string[];
  ip: string;
  close(): void;
}

/** Starts the proxy over a table on a fresh network. */
export function bed(t: RouteTable, opts: { random?: () => number; now?: () => number; network?: Network; maxConnections?: number } = {}): Bed {
  const network = opts.network ?? createNetwork();
  const ip = '10.244.0.10';
  const stack = network.addStack([ip], { kind: 'pod', namespace: 'ingress-nginx', name: 'ingress-nginx-controller' });
  const routes = new TestRoutes(t);
  const access: string[] = [];
  const errors: string[] = [];
  const ingress = serveIngress({
    net: stack, routes, httpPort: 80, httpsPort: 443, accessLog: (l) => access.push(l), errorLog: (l) => errors.push(l),
    random: opts.random, now: opts.now, maxConnections: opts.maxConnections,
  });
  // Virtual connections' idle timers are unref'd: keep the test's event loop alive while the proxy runs.
  const alive = setInterval(() => undefined, 1000);
  return { network, routes, ingress, access, errors, ip, close: () => { clearInterval(alive); ingress.close(); } };
}

/** A response as a client saw it. */
export interface Reply { status: number; headers: http.IncomingHttpHeaders; body: string; json(): Record<string, unknown> }

/** One request over a new connection from the host stack (or over `conn`, e.g. a TLS socket). */
export async function get(b: Bed, path: string, o: { method?: string; headers?: Record<string, string>; body?: string; port?: number; conn?: Conn | Socket } = {}): Promise<Reply> {
  const conn = o.conn ?? await b.network.host.connect({ ip: b.ip, port: o.port ?? 80 });
  return new Promise((resolve, reject) => {
    const req = http.request({ method: o.method ?? 'GET', path, headers: { Host: 'example.com', ...o.headers }, createConnection: () => conn as Socket }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) as Record<string, unknown> });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(o.body);
  });
}

/** Sends raw bytes on a new connection and collects everything until the proxy closes it (or `waitMs` passes). */
export async function raw(b: Bed, data: string | Buffer, waitMs = 2000, port = 80): Promise<string> {
  const conn = await b.network.host.connect({ ip: b.ip, port });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const done = (): void => { clearTimeout(t); resolve(Buffer.concat(chunks).toString('latin1')); };
    const t = setTimeout(() => { conn.destroy(); done(); }, waitMs);
    conn.on('data', (c: Buffer) => chunks.push(c));
    conn.on('end', done);
    conn.on('close', done);
    conn.on('error', () => undefined);
    conn.write(data);
  });
}
