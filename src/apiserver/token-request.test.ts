import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { StatusError } from '../api/errors.js';
import type { KObject } from '../api/meta.js';
import type { ResourceDef } from '../api/resource.js';
import { MemoryStore } from '../store/memory.js';
import { sendError } from './http/response.js';
import { parseRequestTarget } from './http/target.js';
import { mintToken, tokenRequestHandler } from './token-request.js';
import { ServiceAccountTokens } from './tokens.js';

async function fixture(): Promise<{ store: MemoryStore; tokens: ServiceAccountTokens }> {
  const store = new MemoryStore();
  for (const sa of ['default', 'runner']) await store.create(`/core/serviceaccounts/web/${sa}`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: sa, namespace: 'web', uid: `sa-${sa}` } } as KObject);
  for (const [pod, sa] of [['as-default', 'default'], ['as-runner', 'runner']] as const) {
    await store.create(`/core/pods/web/${pod}`, { apiVersion: 'v1', kind: 'Pod', metadata: { name: pod, namespace: 'web', uid: `pod-${pod}` }, spec: { serviceAccountName: sa, containers: [] } } as KObject);
  }
  return { store, tokens: ServiceAccountTokens.load(undefined) };
}

// pkg/registry/core/serviceaccount/storage/token.go: the pod of a bound token must run as that service account.
test('a token is bound only to a pod running as its service account (400 otherwise, in upstream words)', async () => {
  const { store, tokens } = await fixture();
  const bind = (pod: string) => ({ boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: pod } });
  assert.throws(() => mintToken(store, tokens, 'web', 'runner', bind('as-default')), (e: unknown) => {
    assert.ok(e instanceof StatusError);
    assert.equal(e.code, 400);
    assert.equal(e.status.message, 'cannot bind token for serviceaccount "runner" to pod running with different serviceaccount name.');
    return true;
  });
  const { token } = mintToken(store, tokens, 'web', 'runner', bind('as-runner'));
  const v = tokens.verify(token);
  assert.ok('claims' in v);
  assert.equal(v.claims['kubernetes.io'].pod?.name, 'as-runner');
});

test('a TokenRequest body of the wrong types is a 400 decoding error, a bad duration a 422, never a 500', async () => {
  const { store, tokens } = await fixture();
  const handler = tokenRequestHandler(store, tokens);
  const server = http.createServer((req, res) => {
    handler({ kind: 'ServiceAccount', plural: 'serviceaccounts' } as ResourceDef, 'web', 'runner', req, res, parseRequestTarget(req.url ?? '/').query).catch((e: unknown) => sendError(res, e));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const post = async (body: unknown) => {
    const r = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    return { code: r.status, body: await r.json() as { message?: string; status?: { token?: string }; spec?: { expirationSeconds?: number } } };
  };
  const tr = (spec: unknown) => ({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec });
  try {
    for (const spec of [{ expirationSeconds: '3600' }, { expirationSeconds: 1.5 }, { audiences: 'api' }, { boundObjectRef: 'as-runner' }]) {
      const r = await post(tr(spec));
      assert.equal(r.code, 400, JSON.stringify(spec));
      assert.match(r.body.message ?? '', /TokenRequest/);
    }
    assert.equal((await post([])).code, 400);
    const short = await post(tr({ expirationSeconds: 60 }));
    assert.equal(short.code, 422);
    assert.match(short.body.message ?? '', /spec\.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes/);
    const ok = await post(tr({ expirationSeconds: 600, unknownField: true }));
    assert.equal(ok.code, 201);
    assert.equal(ok.body.spec?.expirationSeconds, 600);
    assert.ok(ok.body.status?.token);
  } finally { server.close(); }
});
