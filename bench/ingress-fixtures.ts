/**
 * The Ingress benchmark's objects (two http-echo Deployments behind Services, a TLS Secret, the
 * routed Ingress) and small HTTP helpers on loopback.
 */
import http from 'node:http';
import net from 'node:net';
import type { Client } from '../src/client/client.js';
import type { KObject } from '../src/api/meta.js';

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = net.createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => ok(port));
    });
  });
}

function status(port: number, host: string, path: string): Promise<number> {
  return new Promise((ok) => {
    const req = http.get({ host: '127.0.0.1', port, path, headers: { Host: host } }, (res) => { res.resume(); res.on('end', () => ok(res.statusCode ?? 0)); });
    req.on('error', () => ok(0));
    req.setTimeout(2000, () => req.destroy());
  });
}

/** Polls `http://127.0.0.1:port/path` with a Host header until it answers `want` (every `pollMs`; 0 = at once again). */
export async function waitForStatus(port: number, host: string, path: string, want: number, timeoutMs: number, pollMs = 50): Promise<void> {
  const end = Date.now() + timeoutMs;
  let last = 0;
  while (Date.now() < end) {
    last = await status(port, host, path);
    if (last === want) return;
    if (pollMs) await new Promise((r) => setTimeout(r, pollMs));
  }
  throw new Error(`${host}${path} on 127.0.0.1:${port} did not answer ${want} (last ${last})`);
}

/** Polls until something accepts TCP connections on 127.0.0.1:port. */
export async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  const open = (): Promise<boolean> => new Promise((ok) => {
    const s = net.connect(port, '127.0.0.1', () => { s.destroy(); ok(true); });
    s.once('error', () => ok(false));
  });
  while (Date.now() < end) {
    if (await open()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listens on 127.0.0.1:${port}`);
}

function echoDeployment(name: string, replicas: number): KObject {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default' },
    spec: {
      replicas, selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'echo', image: 'hashicorp/http-echo', args: [`-text=${name}`], ports: [{ containerPort: 5678 }] }] } },
    },
  };
}

function echoService(name: string): KObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 5678 }] } };
}

/** The Ingress `name` routing `host` `/` to app and `/api` to api (ssl-redirect off, so plain HTTP is served too). */
export function benchIngress(name: string, host: string, tls = false): KObject {
  const path = (p: string, svc: string) => ({ path: p, pathType: 'Prefix', backend: { service: { name: svc, port: { number: 80 } } } });
  return {
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress',
    metadata: { name, namespace: 'default', annotations: { 'nginx.ingress.kubernetes.io/ssl-redirect': 'false' } },
    spec: {
      ingressClassName: 'nginx',
      ...(tls ? { tls: [{ hosts: [host], secretName: 'bench-tls' }] } : {}),
      rules: [{ host, http: { paths: [path('/', 'app'), path('/api', 'api')] } }],
    },
  };
}

/** Creates the backends (two replicas each), the TLS Secret and the routed Ingress for bench.test. */
export async function benchBackends(client: Client, crt: string, key: string): Promise<void> {
  for (const name of ['app', 'api']) {
    await client.create({ resource: 'deployments', group: 'apps' }, echoDeployment(name, 2));
    await client.create({ resource: 'services' }, echoService(name));
  }
  await client.create({ resource: 'secrets' }, {
    apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls', metadata: { name: 'bench-tls', namespace: 'default' },
    data: { 'tls.crt': Buffer.from(crt).toString('base64'), 'tls.key': Buffer.from(key).toString('base64') },
  });
  await client.create({ resource: 'ingresses', group: 'networking.k8s.io' }, benchIngress('bench', 'bench.test', true));
}
