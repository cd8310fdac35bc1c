import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ISSUER, ServiceAccountTokens } from './tokens.js';

const spec = { namespace: 'web', serviceAccount: { name: 'builder', uid: 'u-1' }, pod: { name: 'p', uid: 'u-2' }, expirationSeconds: 3600 };

test('a token carries the upstream claims and verifies', () => {
  const t = ServiceAccountTokens.load(undefined);
  const now = Date.parse('2026-01-01T00:00:00Z');
  const { token, exp } = t.issue(spec, now);
  const [h, c] = token.split('.').slice(0, 2).map((p) => JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>);
  assert.deepEqual(h, { alg: 'ES256', kid: t.kid });
  assert.equal(c!['iss'], ISSUER);
  assert.equal(c!['sub'], 'system:serviceaccount:web:builder');
  assert.deepEqual(c!['aud'], [ISSUER]);
  assert.equal(c!['exp'], now / 1000 + 3600);
  assert.equal(exp, now / 1000 + 3600);
  assert.deepEqual(c!['kubernetes.io'], { namespace: 'web', serviceaccount: { name: 'builder', uid: 'u-1' }, pod: { name: 'p', uid: 'u-2' } });
  const v = t.verify(token, now + 1000);
  assert.ok('claims' in v);
});

test('verification refuses expired, tampered, foreign and wrong-audience tokens', () => {
  const t = ServiceAccountTokens.load(undefined);
  const now = Date.now();
  const { token } = t.issue(spec, now);
  assert.deepEqual(t.verify(token, now + 3601_000), { error: 'token has expired' });
  const [h, c, s] = token.split('.');
  const claims = JSON.parse(Buffer.from(c!, 'base64url').toString()) as Record<string, unknown>;
  const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: 'system:serviceaccount:kube-system:admin' })).toString('base64url')}.${s}`;
  assert.deepEqual(t.verify(forged, now), { error: 'invalid signature' });
  assert.deepEqual(ServiceAccountTokens.load(undefined).verify(token, now), { error: 'invalid signature' });
  assert.deepEqual(t.verify(t.issue({ ...spec, audiences: ['vault'] }, now).token, now), { error: 'token audiences is invalid' });
  assert.deepEqual(t.verify('abc', now), { error: 'not a JWT' });
});

test('the signing key is kept in the data dir with mode 0600 and reused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'knet-sa-'));
  const a = ServiceAccountTokens.load(dir);
  assert.equal(statSync(join(dir, 'pki', 'sa.key')).mode & 0o777, 0o600);
  const b = ServiceAccountTokens.load(dir);
  assert.equal(a.kid, b.kid);
  assert.ok('claims' in b.verify(a.issue(spec).token));
});
