// The AdmissionReview contract (k8s.io/api/admission/v1; checks as k8s.io/apiserver's webhook
// request.VerifyAdmissionResponse, refusals as webhookerrors.ToStatusErr).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allKinds } from '../../api/kinds/index.js';
import { buildReview, reviewVersion, verifyResponse } from './review.js';
import { deniedStatus } from './dispatch.js';
import { targetOf } from './call.js';

const pods = allKinds.find((k) => k.plural === 'pods')!;

test('the request carries kind, resource, subresource, names, operation, user, objects, dryRun and options', () => {
  const { uid, body } = buildReview({
    def: pods, operation: 'UPDATE', namespace: 'ns', name: 'p', subresource: 'status', dryRun: true,
    object: { metadata: { name: 'p' } }, oldObject: { metadata: { name: 'p', resourceVersion: '1' } },
    options: { kind: 'UpdateOptions', apiVersion: 'meta.k8s.io/v1', dryRun: ['All'] }, user: { username: 'kubernetes-admin', groups: ['system:masters'] }, warnings: [],
  }, 'v1', { metadata: { name: 'p' } });
  assert.match(uid, /^[0-9a-f-]{36}$/);
  assert.deepEqual(body, {
    kind: 'AdmissionReview', apiVersion: 'admission.k8s.io/v1',
    request: {
      uid, kind: { group: '', version: 'v1', kind: 'Pod' }, resource: { group: '', version: 'v1', resource: 'pods' }, subResource: 'status',
      requestKind: { group: '', version: 'v1', kind: 'Pod' }, requestResource: { group: '', version: 'v1', resource: 'pods' }, requestSubResource: 'status',
      name: 'p', namespace: 'ns', operation: 'UPDATE', userInfo: { username: 'kubernetes-admin', groups: ['system:masters'] },
      object: { metadata: { name: 'p' } }, oldObject: { metadata: { name: 'p', resourceVersion: '1' } }, dryRun: true,
      options: { kind: 'UpdateOptions', apiVersion: 'meta.k8s.io/v1', dryRun: ['All'] },
    },
  });
  assert.equal(reviewVersion(['v2', 'v1beta1', 'v1']), 'v1beta1');
  assert.equal(reviewVersion(['v2']), undefined);
});

test('responses are checked: version, uid, patch type, patches from validating webhooks', () => {
  const ok = (response: Record<string, unknown>, apiVersion = 'admission.k8s.io/v1') => ({ apiVersion, kind: 'AdmissionReview', response: { uid: 'u', ...response } });
  const patch = Buffer.from('[{"op":"add","path":"/metadata/labels","value":{"a":"b"}}]').toString('base64');
  assert.deepEqual(verifyResponse('u', 'v1', true, ok({ allowed: true, patch, patchType: 'JSONPatch', warnings: ['careful'] })),
    { uid: 'u', allowed: true, status: undefined, patch: [{ op: 'add', path: '/metadata/labels', value: { a: 'b' } }], warnings: ['careful'] });
  assert.throws(() => verifyResponse('u', 'v1', true, {}), /^Error: expected webhook response of admission.k8s.io\/v1, Kind=AdmissionReview, got \/, Kind=$/);
  assert.throws(() => verifyResponse('u', 'v1', true, ok({}, 'admission.k8s.io/v1beta1')), /got admission.k8s.io\/v1beta1, Kind=AdmissionReview/);
  assert.throws(() => verifyResponse('u', 'v1', true, { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' }), /webhook response was absent/);
  assert.throws(() => verifyResponse('x', 'v1', true, ok({ allowed: true })), /expected response.uid="x", got "u"/);
  assert.throws(() => verifyResponse('u', 'v1', true, ok({ allowed: true, patch })), /webhook returned response.patch but not response.patchType/);
  assert.throws(() => verifyResponse('u', 'v1', true, ok({ allowed: true, patch, patchType: 'Merge' })), /invalid response.patchType of "Merge"/);
  assert.throws(() => verifyResponse('u', 'v1', false, ok({ allowed: true, patch, patchType: 'JSONPatch' })), /validating webhook may not return response.patch/);
});

test('a refusal is worded as ToStatusErr: message, else reason, else "without explanation"; codes below 400 become 400', () => {
  assert.deepEqual(deniedStatus('w.example.com', { message: 'no', code: 403, reason: 'Forbidden' }).status,
    { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'admission webhook "w.example.com" denied the request: no', code: 403, reason: 'Forbidden' });
  assert.equal(deniedStatus('w.example.com', { reason: 'bad key' }).status.message, 'admission webhook "w.example.com" denied the request: bad key');
  assert.equal(deniedStatus('w.example.com', { code: 200 }).code, 400);
  assert.equal(deniedStatus('w.example.com', undefined).status.message, 'admission webhook "w.example.com" denied the request without explanation');
});

test('the URL in messages is the Service\'s DNS name with the timeout query', () => {
  assert.equal(targetOf({ service: { namespace: 'ns', name: 's', path: '/validate' } }, 10_000).url, 'https://s.ns.svc:443/validate?timeout=10s');
  assert.equal(targetOf({ service: { namespace: 'ns', name: 's', port: 8443 } }, 1500).url, 'https://s.ns.svc:8443?timeout=1.5s');
  assert.equal(targetOf({ url: 'https://127.0.0.1:9443/hook' }, 30_000).url, 'https://127.0.0.1:9443/hook?timeout=30s');
});
