import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSecureContext } from 'node:tls';
import type { Ingress } from '../../api/kinds/ingress.js';
import type { KObject } from '../../api/meta.js';
import { baseEnv } from '../../controllers/util/testenv.js';
import type { IngressRoutes, IngressRoutesOptions } from './routes.js';
import { startIngressService, type IngressControllerConfig, type IngressReplica } from './service.js';
import type { RouteTable } from './model.js';

const ING = { resource: 'ingresses', group: 'networking.k8s.io' };
const SVC = { resource: 'services' };

/** A routes stand-in serving Ingresses whose ingressClassName is the controller's --ingress-class. */
function fakeRoutes(started: IngressRoutesOptions[], stopped: IngressRoutesOptions[]) {
  return (o: IngressRoutesOptions): IngressRoutes => {
    started.push(o);
    return {
      current: () => ({}) as RouteTable,
      subscribe: () => () => undefined,
      served: () => o.view.ingresses.list().filter((i) => i.spec?.ingressClassName === o.ingressClass),
      synced: async () => undefined,
      check: () => undefined,
      stop: () => { stopped.push(o); },
    };
  };
}

const config = (over: Partial<IngressControllerConfig> = {}): IngressControllerConfig => ({
  controllerClass: 'k8s.io/ingress-nginx', ingressClass: 'nginx', watchWithoutClass: false, configMap: 'ingress-nginx/ingress-nginx-controller',
  publishService: 'default/lb', updateStatus: true, updateStatusOnShutdown: true, electionId: 'ingress-nginx-leader', ...over,
});

function replica(name: string, lines: string[], over: Partial<IngressControllerConfig> = {}): IngressReplica {
  return {
    pod: { namespace: 'ingress-nginx', name }, config: config(over), defaultCertificate: { source: 'default-fake-certificate', context: createSecureContext() },
    log: (s, m, kv) => lines.push(`${name} ${s} ${m} ${Object.entries(kv ?? {}).map(([k, v]) => `${k}=${v}`).join(' ')}`.trim()),
    logText: (s, t) => lines.push(`${name} ${s} ${t}`),
  };
}

async function setup() {
  const env = await baseEnv(1);
  await env.client.create(SVC, { metadata: { name: 'lb', namespace: 'default' }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }] } });
  const lb = env.client.get(SVC, 'default', 'lb')!;
  (lb as KObject & { status: unknown }).status = { loadBalancer: { ingress: [{ ip: '127.240.0.1', ipMode: 'VIP' }] } };
  await env.client.update(SVC, lb, 'status');
  const ing = (name: string, cls: string): KObject => ({ metadata: { name, namespace: 'default' }, spec: { ingressClassName: cls, defaultBackend: { service: { name: 'web', port: { number: 80 } } } } });
  await env.client.create(ING, ing('mine', 'nginx'));
  await env.client.create(ING, ing('other', 'haproxy'));
  const started: IngressRoutesOptions[] = [];
  const stopped: IngressRoutesOptions[] = [];
  const events: string[] = [];
  const svc = startIngressService({ view: env.view, client: env.mk('nginx-ingress-controller'), startRoutes: fakeRoutes(started, stopped), event: (o, t, r, m) => events.push(`${o.metadata.name ?? ''} ${t} ${r} ${m}`) });
  const status = (name: string) => (env.client.get(ING, 'default', name) as Ingress).status?.loadBalancer?.ingress ?? [];
  const settle = async () => { await new Promise((r) => setImmediate(r)); await svc.idle(); };
  return { env, svc, started, stopped, events, status, settle, close: async () => { svc.stop(); env.view.stop(); await env.store.close(); } };
}

test('replicas with the same class settings share one routes, stopped with the last replica', async () => {
  const t = await setup();
  const lines: string[] = [];
  const a = t.svc.attach(replica('a', lines));
  const b = t.svc.attach(replica('b', lines));
  const c = t.svc.attach(replica('c', lines, { ingressClass: 'other' }));
  assert.equal(t.started.length, 2);
  assert.equal(a.routes, b.routes);
  assert.notEqual(a.routes, c.routes);
  a.release();
  assert.equal(t.stopped.length, 0);
  b.release();
  c.release();
  assert.equal(t.stopped.length, 2);
  await t.close();
});

test('the leader publishes the publish-service address on served Ingresses only, logging as ingress-nginx', async () => {
  const t = await setup();
  const lines: string[] = [];
  const a = t.svc.attach(replica('a', lines));
  const b = t.svc.attach(replica('b', lines));
  await t.settle();
  assert.deepEqual(t.status('mine'), [{ ip: '127.240.0.1' }]);
  assert.deepEqual(t.status('other'), []);
  assert.ok(a.isLeader() && !b.isLeader());
  assert.ok(lines.includes('a I successfully acquired lease ingress-nginx/ingress-nginx-leader'));
  assert.ok(lines.includes('b I New leader elected identity=a'));
  const updates = lines.filter((l) => l.includes('updating Ingress status'));
  assert.deepEqual(updates, ['a I updating Ingress status namespace=default ingress=mine currentValue=[] newValue=[{IP:127.240.0.1 Hostname: Ports:[]}]']);
  a.release();
  b.release();
  await t.close();
});

test('status follows the Service, is cleared when an Ingress leaves the class, and when the last replica goes', async () => {
  const t = await setup();
  const lines: string[] = [];
  const a = t.svc.attach(replica('a', lines));
  const b = t.svc.attach(replica('b', lines));
  await t.settle();
  const lb = t.env.client.get(SVC, 'default', 'lb')!;
  (lb as KObject & { status: unknown }).status = { loadBalancer: { ingress: [{ ip: '127.240.0.7', ipMode: 'VIP' }] } };
  await t.env.client.update(SVC, lb, 'status');
  await t.settle();
  assert.deepEqual(t.status('mine'), [{ ip: '127.240.0.7' }]);
  a.release();
  await t.settle();
  assert.ok(b.isLeader());
  assert.ok(lines.includes('b I successfully acquired lease ingress-nginx/ingress-nginx-leader'));
  const mine = t.env.client.get(ING, 'default', 'mine')!;
  (mine as Ingress).spec = { ...(mine as Ingress).spec, ingressClassName: 'haproxy' };
  await t.env.client.update(ING, mine);
  await t.settle();
  assert.deepEqual(t.status('mine'), []);
  (mine as Ingress).spec = { ...(mine as Ingress).spec, ingressClassName: 'nginx' };
  delete mine.metadata.resourceVersion;
  await t.env.client.update(ING, { ...mine, metadata: { ...mine.metadata, resourceVersion: t.env.client.get(ING, 'default', 'mine')!.metadata.resourceVersion } });
  await t.settle();
  assert.deepEqual(t.status('mine'), [{ ip: '127.240.0.7' }]);
  b.release();
  await t.settle();
  assert.deepEqual(t.status('mine'), []);
  assert.ok(lines.some((l) => l.startsWith('b I removing value from ingress status')));
  await t.close();
});

test('--update-status=false writes nothing; --publish-status-address wins over the Service', async () => {
  const t = await setup();
  const off = t.svc.attach(replica('a', [], { updateStatus: false }));
  await t.settle();
  assert.deepEqual(t.status('mine'), []);
  off.release();
  const on = t.svc.attach(replica('b', [], { publishStatusAddress: 'localhost,127.0.0.1' }));
  await t.settle();
  assert.deepEqual(t.status('mine'), [{ ip: '127.0.0.1' }, { hostname: 'localhost' }]);
  on.podEvent('Normal', 'RELOAD', 'x');
  on.release();
  await t.close();
});
