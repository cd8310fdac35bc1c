import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { MemoryStore } from '../store/memory.js';
import { generatePki } from './pki.js';
import { ClientCertAuthenticator } from './authn.js';
import { certificateUser, RequestAuthenticator } from './authenticate.js';
import { ServiceAccountTokens } from './tokens.js';
import { mintToken } from './token-request.js';

const req = (authorization?: string) => ({ socket: {}, headers: authorization ? { authorization } : {} }) as unknown as IncomingMessage;

test('a certificate names the user by CN and the groups by O', () => {
  assert.deepEqual(certificateUser('CN=kubernetes-admin\nO=system:masters'), { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] });
  assert.deepEqual(certificateUser('O=a\nO=b\nCN=jane'), { username: 'jane', groups: ['a', 'b', 'system:authenticated'] });
});

test('bearer tokens: the admin token, service-account tokens while their objects exist, and nothing else', async () => {
  const pki = await generatePki();
  const store = new MemoryStore();
  const tokens = ServiceAccountTokens.load(undefined);
  const authn = new RequestAuthenticator({ certs: new ClientCertAuthenticator(pki.caCert), adminToken: pki.token, tokens, store });
  assert.deepEqual(authn.authenticate(req()), { anonymous: true });
  assert.deepEqual(authn.authenticate(req(`Bearer ${pki.token}`)), { user: { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] } });
  assert.ok('invalid' in authn.authenticate(req('Basic YTpi')));
  assert.ok('invalid' in authn.authenticate(req('Bearer nope')));
  await store.create('/core/serviceaccounts/web/builder', { metadata: { name: 'builder', namespace: 'web', uid: 'sa-1' } });
  await store.create('/core/pods/web/p', { metadata: { name: 'p', namespace: 'web', uid: 'pod-1' }, spec: { serviceAccountName: 'builder' } });
  const bound = mintToken(store, tokens, 'web', 'builder', { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p', uid: 'pod-1' }, expirationSeconds: 3607 });
  const r = authn.authenticate(req(`Bearer ${bound.token}`));
  assert.ok('user' in r);
  assert.equal(r.user.username, 'system:serviceaccount:web:builder');
  assert.deepEqual(r.user.groups, ['system:serviceaccounts', 'system:serviceaccounts:web', 'system:authenticated']);
  assert.deepEqual(r.user.extra?.['authentication.kubernetes.io/pod-name'], ['p']);
  assert.ok(bound.exp - Date.now() / 1000 > 364 * 86400, 'a projected token (3607 s) is extended to a year');
  await store.delete('/core/pods/web/p');
  assert.deepEqual(authn.authenticate(req(`Bearer ${bound.token}`)), { invalid: 'pods web/p has been deleted' });
  const plain = mintToken(store, tokens, 'web', 'builder', { expirationSeconds: 600 });
  await store.delete('/core/serviceaccounts/web/builder');
  await store.create('/core/serviceaccounts/web/builder', { metadata: { name: 'builder', namespace: 'web', uid: 'sa-2' } });
  assert.deepEqual(authn.authenticate(req(`Bearer ${plain.token}`)), { invalid: 'service account UID (sa-2) does not match claim (sa-1)' });
  assert.throws(() => mintToken(store, tokens, 'web', 'builder', { expirationSeconds: 599 }),
    /TokenRequest\.authentication\.k8s\.io "builder" is invalid: spec\.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes/);
  assert.throws(() => mintToken(store, tokens, 'web', 'nobody', {}), /serviceaccounts "nobody" not found/);
});
