import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { allKinds } from '../../api/kinds/index.js';
import { Registry } from '../../api/registry.js';
import { MemoryStore } from '../../store/memory.js';
import { setRequestUser } from '../authz/request-user.js';
import type { UserInfo } from '../authz/user.js';
import type { AdmissionAttributes } from '../storage/attributes.js';
import { getObject } from '../storage/read.js';
import { parseRequestPath } from './request.js';
import { handleResource } from './resources.js';
import { sendError } from './response.js';
import { parseRequestTarget } from './target.js';

const USER: UserInfo = { username: 'jane', groups: ['system:authenticated'] };
const V1 = '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers';

/** An API server stand-in over a memory store; records the DELETE admissions. */
async function setup() {
  const store = new MemoryStore();
  const registry = new Registry(allKinds);
  const deletes: AdmissionAttributes[] = [];
  const ctx = { store, registry, hooks: { validate: (a: AdmissionAttributes) => { if (a.operation === 'DELETE') deletes.push(a); return undefined; } } };
  const server = http.createServer((req, res) => {
    setRequestUser(req, USER);
    const { path, query } = parseRequestTarget(req.url ?? '/');
    handleResource(ctx, parseRequestPath(path), req, res, query).catch((e: unknown) => sendError(res, e));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const call = async (method: string, path: string, body?: unknown, type = 'application/json') => {
    const r = await fetch(base + path, { method, headers: { 'Content-Type': type }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    return { code: r.status, body: await r.json() as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  const stored = () => getObject(store, registry.lookup('autoscaling', 'v2', 'horizontalpodautoscalers')!, 'default', 'web') as unknown as { spec: { maxReplicas: number; metrics: unknown[] } };
  const created = await call('POST', V1, { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 3, targetCPUUtilizationPercentage: 50 } });
  assert.equal(created.code, 201, JSON.stringify(created.body));
  return { call, stored, deletes, close: () => server.close() };
}

// kube-apiserver serves patch on every version of a built-in, strategic merge included (kubectl apply sends one).
test('autoscaling/v1 HPAs are patched in their v1 form (strategic, merge, JSON patch) over v2 storage; apply is 415', async () => {
  const s = await setup();
  try {
    const sm = await s.call('PATCH', `${V1}/web`, { spec: { maxReplicas: 5, targetCPUUtilizationPercentage: 70 } }, 'application/strategic-merge-patch+json');
    assert.equal(sm.code, 200, JSON.stringify(sm.body));
    assert.equal(sm.body.apiVersion, 'autoscaling/v1');
    assert.deepEqual(sm.body.spec, { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 70 });
    assert.equal(s.stored().spec.maxReplicas, 5);
    assert.deepEqual(s.stored().spec.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }]);
    const merge = await s.call('PATCH', `${V1}/web`, { metadata: { labels: { app: 'web' } }, spec: { minReplicas: 2 } }, 'application/merge-patch+json');
    assert.equal(merge.code, 200, JSON.stringify(merge.body));
    assert.deepEqual([merge.body.metadata.labels, merge.body.spec.minReplicas, merge.body.spec.maxReplicas], [{ app: 'web' }, 2, 5]);
    const json = await s.call('PATCH', `${V1}/web`, [{ op: 'replace', path: '/spec/targetCPUUtilizationPercentage', value: 40 }], 'application/json-patch+json');
    assert.equal(json.code, 200, JSON.stringify(json.body));
    assert.equal(json.body.spec.targetCPUUtilizationPercentage, 40);
    const bad = await s.call('PATCH', `${V1}/web`, { spec: { maxReplicas: 'many' } }, 'application/merge-patch+json');
    assert.equal(bad.code, 400);
    assert.deepEqual((await s.call('GET', `${V1}?labelSelector=app%3Dweb`)).body.items.map((o: { metadata: { name: string } }) => o.metadata.name), ['web']);
    assert.deepEqual((await s.call('GET', `${V1}?labelSelector=app%3Ddb`)).body.items, []);
    const apply = await s.call('PATCH', `${V1}/web?fieldManager=x`, { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler' }, 'application/apply-patch+yaml');
    assert.equal(apply.code, 415);
  } finally { s.close(); }
});

test('deleting an autoscaling/v1 HPA honours its options: dry run, preconditions, the request user', async () => {
  const s = await setup();
  try {
    const dry = await s.call('DELETE', `${V1}/web?dryRun=All`);
    assert.equal(dry.code, 200, JSON.stringify(dry.body));
    assert.equal(s.stored().spec.maxReplicas, 3, 'a dry run keeps the object');
    assert.equal(s.deletes[0]?.dryRun, true);
    const pre = await s.call('DELETE', `${V1}/web`, { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: 'not-the-uid' } });
    assert.equal(pre.code, 409, JSON.stringify(pre.body));
    const gone = await s.call('DELETE', `${V1}/web`, { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Foreground', user: { username: 'forged' } });
    assert.equal(gone.code, 200, JSON.stringify(gone.body));
    assert.deepEqual(s.deletes.at(-1)?.user, USER);
    // Foreground: the object stays, marked, until the garbage collector removes its dependents.
    assert.equal(gone.body.apiVersion, 'autoscaling/v1');
    assert.deepEqual(gone.body.metadata.finalizers, ['foregroundDeletion']);
    assert.ok(gone.body.metadata.deletionTimestamp);
  } finally { s.close(); }
});
