/**
 * Ingress change → served benchmark: with N Ingresses (default 1,000; each its own host, two paths,
 * some with annotations and TLS) compiled by startIngressRoutes over a real ClusterView, patch one
 * Ingress at a time and measure until a swapped-in RouteTable routes the new path. Prints p50/p99/max
 * (goal: p99 under 50 ms). Run: `node dist/bench/ingress-routes.js [ingresses] [changes]`.
 */
import { baseEnv } from '../src/controllers/util/testenv.js';
import { createFakeCertificate } from '../src/dataplane/ingress/certs.js';
import { route } from '../src/dataplane/ingress/match.js';
import { startIngressRoutes } from '../src/dataplane/ingress/routes.js';

const count = Number(process.argv[2] ?? '1000');
const changes = Number(process.argv[3] ?? '200');
const ING = { resource: 'ingresses', group: 'networking.k8s.io' };
const P = 'nginx.ingress.kubernetes.io/';

const backend = (name: string) => ({ service: { name, port: { number: 80 } } });
const spec = (i: number, extra: string) => ({
  ingressClassName: 'nginx',
  ...(i % 10 === 0 ? { tls: [{ hosts: [`h${i}.example`], secretName: 'missing' }] } : {}),
  rules: [{ host: `h${i}.example`, http: { paths: [
    { path: '/', pathType: 'Prefix', backend: backend('web') },
    { path: `/api/${extra}`, pathType: i % 3 === 0 ? 'ImplementationSpecific' : 'Prefix', backend: backend(`svc${i % 50}`) },
  ] } }],
});
const annotations = (i: number): Record<string, string> =>
  i % 4 === 0 ? { [P + 'rewrite-target']: '/$1', [P + 'use-regex']: 'true' } : i % 4 === 1 ? { [P + 'limit-rps']: '10', [P + 'enable-cors']: 'true' } : {};

async function main(): Promise<void> {
  const { client, view } = await baseEnv(1);
  await client.create({ resource: 'ingressclasses', group: 'networking.k8s.io' }, { metadata: { name: 'nginx' }, spec: { controller: 'k8s.io/ingress-nginx' } });
  for (let s = 0; s < 50; s++) {
    await client.create({ resource: 'services' }, { metadata: { name: `svc${s}`, namespace: 'default' }, spec: { ports: [{ port: 80, targetPort: 8080 }] } });
    await client.create({ resource: 'endpointslices', group: 'discovery.k8s.io' }, {
      metadata: { name: `svc${s}-1`, namespace: 'default', labels: { 'kubernetes.io/service-name': `svc${s}` } }, addressType: 'IPv4',
      ports: [{ port: 8080, protocol: 'TCP' }], endpoints: [1, 2, 3].map((n) => ({ addresses: [`10.244.${s}.${n}`] })),
    });
  }
  for (let i = 0; i < count; i++) await client.create(ING, { metadata: { name: `ing${i}`, namespace: 'default', annotations: annotations(i) }, spec: spec(i, 'v0') });
  const { certificate } = await createFakeCertificate();
  const t0 = performance.now();
  const routes = startIngressRoutes({ view, controllerClass: 'k8s.io/ingress-nginx', ingressClass: 'nginx', watchWithoutClass: false, defaultCertificate: certificate, log: () => undefined, event: () => undefined });
  await new Promise((r) => setTimeout(r, 5));
  await routes.synced();
  console.log(`initial compile of ${routes.served().length} Ingresses: ${(performance.now() - t0).toFixed(1)} ms`);
  const times: number[] = [];
  for (let c = 1; c <= changes; c++) {
    const i = (c * 7919) % count;
    const host = `h${i}.example`;
    const path = `/api/v${c}`;
    const start = performance.now();
    const seen = new Promise<void>((resolve) => {
      const off = routes.subscribe((t) => {
        const r = route(t, host, `${path}/x`);
        if (r.kind === 'location' && r.location.path === path) { off(); resolve(); }
      });
    });
    await client.update(ING, { ...(client.get(ING, 'default', `ing${i}`) as object), spec: spec(i, `v${c}`) } as never);
    await seen;
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(1);
  console.log(`Ingress change → served with ${count} Ingresses, ${changes} changes: p50 ${q(0.5)} ms, p99 ${q(0.99)} ms, max ${times[times.length - 1]!.toFixed(1)} ms (goal p99 < 50 ms)`);
  routes.stop();
  view.stop();
}

void main();
