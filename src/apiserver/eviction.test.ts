import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { allKinds } from '../api/kinds/index.js';
import type { KObject } from '../api/meta.js';
import type { PodDisruptionBudget } from '../api/kinds/pdb.js';
import { Registry, storeKey } from '../api/registry.js';
import { MemoryStore } from '../store/memory.js';
import { setRequestUser } from './authz/request-user.js';
import type { UserInfo } from './authz/user.js';
import { evictionHandler } from './eviction.js';
import { parseRequestTarget } from './http/target.js';
import { sendError } from './http/response.js';
import { getObject } from './storage/read.js';
import type { AdmissionAttributes } from './storage/attributes.js';

const USER: UserInfo = { username: 'system:serviceaccount:ops:drainer', groups: ['system:serviceaccounts', 'system:authenticated'] };

/** A store with one ready pod covered by a budget that allows one disruption, and a server for its eviction subresource. */
async function setup(): Promise<{ url: string; store: MemoryStore; registry: Registry; seen: AdmissionAttributes[]; close(): void }> {
  const store = new MemoryStore();
  const registry = new Registry(allKinds);
  const podDef = registry.lookup('', 'v1', 'pods')!;
  const pdbDef = registry.lookup('policy', 'v1', 'poddisruptionbudgets')!;
  await store.create(storeKey(podDef, 'default', 'web-1'), {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1', namespace: 'default', uid: 'u1', labels: { app: 'web' } },
    spec: { containers: [{ name: 'c', image: 'nginx' }] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
  } as KObject);
  await store.create(storeKey(pdbDef, 'default', 'web'), {
    apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace: 'default', generation: 1 },
    spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } },
    status: { observedGeneration: 1, disruptionsAllowed: 1, currentHealthy: 2, desiredHealthy: 1, expectedPods: 2 },
  } as KObject);
  const seen: AdmissionAttributes[] = [];
  const handler = evictionHandler({ store, registry, hooks: { validate: (a) => { if (a.def.kind === 'Pod') seen.push(a); return undefined; } } });
  const server = http.createServer((req, res) => {
    setRequestUser(req, USER);
    const { query } = parseRequestTarget(req.url ?? '/');
    handler(podDef, 'default', 'web-1', req, res, query).catch((e: unknown) => sendError(res, e));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/namespaces/default/pods/web-1/eviction`, store, registry, seen, close: () => server.close() };
}

const eviction = (deleteOptions?: Record<string, unknown>) => JSON.stringify({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'web-1', namespace: 'default' }, ...(deleteOptions ? { deleteOptions } : {}) });

// pkg/registry/core/pod/storage/eviction.go: checkAndDecrement returns before updating the budget on a dry run.
test('a dry-run eviction neither spends the budget nor deletes the pod (body dryRun and ?dryRun=All)', async () => {
  const s = await setup();
  try {
    for (const [query, opts] of [['', { dryRun: ['All'] }], ['?dryRun=All', undefined]] as const) {
      const r = await fetch(s.url + query, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: eviction(opts) });
      assert.equal(r.status, 201, await r.text());
      const pdb = getObject(s.store, s.registry.lookup('policy', 'v1', 'poddisruptionbudgets')!, 'default', 'web') as PodDisruptionBudget;
      assert.equal(pdb.status?.disruptionsAllowed, 1);
      assert.equal(pdb.status?.disruptedPods, undefined);
      assert.ok(getObject(s.store, s.registry.lookup('', 'v1', 'pods')!, 'default', 'web-1'));
    }
  } finally { s.close(); }
});

test('an eviction deletes as the request user: a user in deleteOptions is not a DeleteOptions field and is ignored', async () => {
  const s = await setup();
  try {
    const forged = { username: 'kubernetes-admin', groups: ['system:masters'] };
    const r = await fetch(s.url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: eviction({ user: forged, gracePeriodSeconds: 0 }) });
    assert.equal(r.status, 201, await r.text());
    assert.equal(s.seen.length, 1);
    assert.deepEqual(s.seen[0]!.user, USER);
    assert.equal(s.seen[0]!.operation, 'DELETE');
    assert.equal(s.seen[0]!.dryRun, false);
    const pdb = getObject(s.store, s.registry.lookup('policy', 'v1', 'poddisruptionbudgets')!, 'default', 'web') as PodDisruptionBudget;
    assert.equal(pdb.status?.disruptionsAllowed, 0);
  } finally { s.close(); }
});
