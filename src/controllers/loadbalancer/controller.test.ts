import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Service } from '../../api/kinds/service.js';
import type { KObject } from '../../api/meta.js';
import { allocEnv, svc } from '../../apiserver/allocation/testenv.js';
import { ClusterView } from '../../client/view.js';
import { LB_FINALIZER, startLoadBalancerController } from './controller.js';

const SVC = { resource: 'services' };

test('LoadBalancer Services get a pool address at once, released on type change and delete', async () => {
  const env = await allocEnv();
  const lbc = startLoadBalancerController(env.mk('service-controller'), new ClusterView(env.mk('view')), { pool: '127.240.0.0/24' });
  const t0 = Date.now();
  await env.client.create(SVC, svc('web', { type: 'LoadBalancer' }));
  await lbc.idle();
  let s = env.client.get(SVC, 'default', 'web') as Service;
  assert.deepEqual(s.status?.loadBalancer?.ingress, [{ ip: '127.240.0.1', ipMode: 'VIP' }]);
  assert.ok(Date.now() - t0 < 1000);
  assert.deepEqual(s.metadata.finalizers, [LB_FINALIZER]);
  assert.deepEqual([...lbc.assignments()], [['default/web', '127.240.0.1']]);
  const reasons = () => env.client.list({ resource: 'events' }, 'default').map((e) => (e as { reason?: string }).reason);
  assert.deepEqual(reasons().sort(), ['EnsuredLoadBalancer', 'EnsuringLoadBalancer']);

  await env.client.create(SVC, svc('fixed', { type: 'LoadBalancer', loadBalancerIP: '127.240.0.50' }));
  await env.client.create(SVC, svc('other', { type: 'LoadBalancer', loadBalancerClass: 'example.com/lb' }));
  await lbc.idle();
  assert.equal((env.client.get(SVC, 'default', 'fixed') as Service).status?.loadBalancer?.ingress?.[0]?.ip, '127.240.0.50');
  assert.equal((env.client.get(SVC, 'default', 'other') as Service).status?.loadBalancer?.ingress, undefined);

  s = env.client.get(SVC, 'default', 'web') as Service;
  await env.client.update(SVC, { ...s, spec: { ...s.spec, type: 'ClusterIP' } } as KObject);
  await lbc.idle();
  s = env.client.get(SVC, 'default', 'web') as Service;
  assert.deepEqual(s.status?.loadBalancer, {});
  assert.equal(s.metadata.finalizers, undefined);
  assert.ok(!lbc.assignments().has('default/web'));
  assert.ok(reasons().includes('Type') && reasons().includes('DeletedLoadBalancer'));

  await env.client.delete(SVC, 'default', 'fixed');
  await lbc.idle();
  assert.equal(env.client.get(SVC, 'default', 'fixed'), undefined);
  assert.ok(!lbc.assignments().has('default/fixed'));
  lbc.stop();
  await env.close();
});

test('a taken loadBalancerIP waits for its address; restarts keep assignments', async () => {
  const env = await allocEnv();
  let lbc = startLoadBalancerController(env.mk('service-controller'), new ClusterView(env.mk('view')));
  await env.client.create(SVC, svc('a', { type: 'LoadBalancer', loadBalancerIP: '127.240.0.9' }));
  await lbc.idle();
  await env.client.create(SVC, svc('b', { type: 'LoadBalancer', loadBalancerIP: '127.240.0.9' }));
  await env.client.create(SVC, svc('c', { type: 'LoadBalancer' }));
  await lbc.idle();
  assert.equal((env.client.get(SVC, 'default', 'b') as Service).status?.loadBalancer?.ingress, undefined);
  const failed = env.client.list({ resource: 'events' }, 'default').find((e) => (e as { reason?: string }).reason === 'SyncLoadBalancerFailed');
  assert.equal((failed as { message?: string } | undefined)?.message,
    'Error syncing load balancer: failed to ensure load balancer: requested IP 127.240.0.9 is already assigned to Service default/a');
  const cIP = (env.client.get(SVC, 'default', 'c') as Service).status?.loadBalancer?.ingress?.[0]?.ip;
  lbc.stop();
  lbc = startLoadBalancerController(env.mk('service-controller'), new ClusterView(env.mk('view')));
  await lbc.idle();
  assert.equal(lbc.assignments().get('default/c'), cIP);
  assert.equal(lbc.assignments().get('default/a'), '127.240.0.9');
  await env.client.delete(SVC, 'default', 'a');
  await lbc.idle();
  await lbc.idle();
  assert.equal((env.client.get(SVC, 'default', 'b') as Service).status?.loadBalancer?.ingress?.[0]?.ip, '127.240.0.9');
  lbc.stop();
  await env.close();
});
