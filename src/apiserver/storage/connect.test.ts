import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ResourceDef } from '../../api/resource.js';
import type { AdmissionAttributes, UserInfo } from './attributes.js';
import { admitConnect } from './connect.js';

// kube-apiserver's connect admission carries the requester's user info (AdmissionReview request.userInfo),
// so a webhook can allow `kubectl exec` for some users and refuse it for others.
test('CONNECT admission runs as the request user, not the admin', async () => {
  const seen: AdmissionAttributes[] = [];
  const hooks = { mutate: (a: AdmissionAttributes) => { seen.push(a); }, validate: (a: AdmissionAttributes) => { seen.push(a); } };
  const user: UserInfo = { username: 'system:serviceaccount:web:runner', groups: ['system:serviceaccounts', 'system:authenticated'] };
  await admitConnect(hooks as never, { kind: 'Pod' } as ResourceDef, 'web', 'p', 'exec', new URLSearchParams('command=ls&stdout=true'), user);
  assert.equal(seen.length, 2);
  for (const a of seen) {
    assert.deepEqual(a.user, user);
    assert.equal(a.operation, 'CONNECT');
  }
});
