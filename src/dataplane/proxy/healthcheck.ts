/**
 * kube-proxy's service health servers: for each Service with externalTrafficPolicy Local and a
 * healthCheckNodePort, every node answers on that port with how many ready endpoints of the
 * Service it holds (200 when some, 503 when none), so a load balancer sends traffic only to nodes
 * that keep the client's address. As kube-proxy (pkg/proxy/healthcheck/service_health.go) does:
 * any path, a JSON body naming the Service, `X-Load-Balancing-Endpoint-Weight`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isLoopback } from '../../net/ip.js';
import type { ProxyNode, ServicePort } from './model.js';
import type { ProxyTable } from './table.js';

/** At most this many connections per health server (load balancers probe with a handful). */
export const HEALTH_SERVER_MAX_CONNECTIONS = 64;

/** The health of one Service on one node: its ready local endpoints (distinct pod addresses). */
export function localEndpoints(ports: readonly ServicePort[], node: string): number {
  const ips = new Set<string>();
  for (const sp of ports) for (const e of sp.ready) if (e.nodeName === node) ips.add(e.ip);
  return ips.size;
}

/** kube-proxy's body: the Service, its local endpoints and whether the proxy is healthy, tab-indented. */
export function healthBody(service: string, count: number, proxyHealthy = true): string {
  const [namespace = '', name = ''] = service.split('/');
  return `{\n\t"service": {\n\t\t"namespace": ${JSON.stringify(namespace)},\n\t\t"name": ${JSON.stringify(name)}\n\t},\n`
    + `\t"localEndpoints": ${count},\n\t"serviceProxyHealthy": ${proxyHealthy}\n}`;
}

interface Want { service: string; node: ProxyNode; port: number }

/** The health servers the proxy keeps open, one per (node, healthCheckNodePort). */
export class HealthCheckServers {
  private readonly live = new Map<string, { want: Want; server: Server }>();
  private table: ProxyTable | undefined;
  private readonly warned = new Set<string>();

  constructor(private readonly log: (line: string) => void) {}

  /** Opens and closes servers to match a table; answers always read the newest table. */
  reconcile(t: ProxyTable): void {
    this.table = t;
    const want = new Map<string, Want>();
    for (const [service, ports] of t.services.entries()) {
      const port = ports.find((p) => p.healthCheckNodePort)?.healthCheckNodePort;
      if (!port) continue;
      for (const node of t.nodes.values()) if (isLoopback(node.ip)) want.set(`${node.ip}:${port}`, { service, node, port });
    }
    for (const [k, l] of this.live) {
      const w = want.get(k);
      if (!w) { l.server.close(); this.live.delete(k); } else l.want = w; // the port may move to another Service
    }
    for (const [k, w] of want) if (!this.live.has(k)) this.open(k, w);
  }

  /** Closes every server. */
  close(): void {
    for (const l of this.live.values()) l.server.close();
    this.live.clear();
  }

  private open(key: string, want: Want): void {
    const entry = { want, server: createServer((req, res) => this.answer(entry.want, req, res)) };
    const { server } = entry;
    server.maxConnections = HEALTH_SERVER_MAX_CONNECTIONS;
    server.headersTimeout = 10_000;
    server.requestTimeout = 10_000;
    server.keepAliveTimeout = 5_000;
    server.on('error', (e: NodeJS.ErrnoException) => {
      if (this.live.get(key) === entry) this.live.delete(key);
      if (this.warned.has(key)) return;
      this.warned.add(key);
      this.log(`service proxy: can't open healthCheckNodePort ${key} for Service ${want.service}, skipping it: ${e.code ?? 'error'}: ${e.message}`);
    });
    server.listen(want.port, want.node.ip, () => this.warned.delete(key));
    this.live.set(key, entry);
  }

  private answer(want: Want, req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    const count = localEndpoints(this.table?.services.get(want.service) ?? [], want.node.name);
    res.writeHead(count > 0 ? 200 : 503, {
      'Content-Type': 'application/json', 'X-Content-Type-Options': 'nosniff', 'X-Load-Balancing-Endpoint-Weight': String(count),
    });
    res.end(req.method === 'HEAD' ? undefined : healthBody(want.service, count));
  }
}
