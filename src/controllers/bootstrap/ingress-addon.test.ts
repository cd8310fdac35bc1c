import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment } from '../../api/kinds/deployment.js';
import { baseEnv } from '../util/testenv.js';
import { INGRESS_NGINX_IMAGE, ingressAddonObjects, installIngressAddon } from './ingress-addon.js';
import { parseControllerFlags } from '../../images/ingress-nginx/flags.js';

const DEPLOY = { resource: 'deployments', group: 'apps' };

test('the addon objects are valid, land in ingress-nginx, and label the first node ingress-ready', async () => {
  const env = await baseEnv(2);
  await installIngressAddon(env.client, 'knet-control-plane', { httpPort: 8080, httpsPort: 8443 });
  const ns = env.client.get({ resource: 'namespaces' }, '', 'ingress-nginx')!;
  assert.deepEqual(ns.metadata.labels?.['app.kubernetes.io/name'], 'ingress-nginx');
  assert.equal(env.client.get({ resource: 'serviceaccounts' }, 'ingress-nginx', 'ingress-nginx')?.metadata.name, 'ingress-nginx');
  assert.deepEqual((env.client.get({ resource: 'configmaps' }, 'ingress-nginx', 'ingress-nginx-controller') as { data?: unknown }).data, { 'allow-snippet-annotations': 'false' });
  const svc = env.client.get({ resource: 'services' }, 'ingress-nginx', 'ingress-nginx-controller') as unknown as { spec: { type: string; ports: { name: string; port: number; targetPort: string }[] } };
  assert.equal(svc.spec.type, 'LoadBalancer');
  assert.deepEqual(svc.spec.ports.map((p) => [p.name, p.port, p.targetPort]), [['http', 80, 'http'], ['https', 443, 'https']]);
  const cls = env.client.get({ resource: 'ingressclasses', group: 'networking.k8s.io' }, '', 'nginx') as { spec: { controller: string }; metadata: { annotations: Record<string, string> } };
  assert.equal(cls.spec.controller, 'k8s.io/ingress-nginx');
  assert.equal(cls.metadata.annotations['ingressclass.kubernetes.io/is-default-class'], 'true');
  const d = env.client.get(DEPLOY, 'ingress-nginx', 'ingress-nginx-controller') as Deployment;
  const c = d.spec!.template!.spec!.containers[0]!;
  assert.equal(c.name, 'controller');
  assert.equal(c.image, INGRESS_NGINX_IMAGE);
  assert.deepEqual(c.ports?.map((p) => [p.name, p.containerPort, p.hostPort]), [['http', 80, 8080], ['https', 443, 8443]]);
  assert.equal(c.readinessProbe?.httpGet?.path, '/healthz');
  assert.equal(c.livenessProbe?.httpGet?.port, 10254);
  assert.deepEqual(d.spec!.template!.spec!.nodeSelector, { 'ingress-ready': 'true', 'kubernetes.io/os': 'linux' });
  assert.deepEqual(d.spec!.selector!.matchLabels, { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/instance': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' });
  // The args are ones the image's own flag parser accepts (after $(POD_NAMESPACE) expansion).
  const parsed = parseControllerFlags(c.args!.slice(1).map((a) => a.replace('$(POD_NAMESPACE)', 'ingress-nginx')));
  assert.ok(parsed.ok && parsed.flags.publishService === 'ingress-nginx/ingress-nginx-controller' && parsed.flags.watchWithoutClass);
  assert.equal(env.client.get({ resource: 'nodes' }, '', 'knet-control-plane')?.metadata.labels?.['ingress-ready'], 'true');
  assert.equal(env.client.get({ resource: 'nodes' }, '', 'knet-worker')?.metadata.labels?.['ingress-ready'], undefined);
  env.view.stop();
  await env.store.close();
});

test("installing again keeps the user's edits and re-creates what the user deleted", async () => {
  const env = await baseEnv(1);
  const opts = { httpPort: 80, httpsPort: 443 };
  await installIngressAddon(env.client, 'knet-control-plane', opts);
  const cm = env.client.get({ resource: 'configmaps' }, 'ingress-nginx', 'ingress-nginx-controller')!;
  await env.client.update({ resource: 'configmaps' }, { ...cm, data: { 'ssl-redirect': 'false' } });
  await env.client.delete({ resource: 'ingressclasses', group: 'networking.k8s.io' }, '', 'nginx');
  await installIngressAddon(env.client, 'knet-control-plane', opts);
  assert.deepEqual((env.client.get({ resource: 'configmaps' }, 'ingress-nginx', 'ingress-nginx-controller') as { data?: unknown }).data, { 'ssl-redirect': 'false' });
  assert.ok(env.client.get({ resource: 'ingressclasses', group: 'networking.k8s.io' }, '', 'nginx'));
  assert.equal(ingressAddonObjects(opts).length, 6);
  env.view.stop();
  await env.store.close();
});
