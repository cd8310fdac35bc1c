import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serviceAccountDef, type ServiceAccount } from './serviceaccount.js';

test('printer counts secrets', () => {
  const sa = { metadata: { name: 'default', creationTimestamp: '2024-01-01T00:00:00Z' } } as ServiceAccount;
  const now = new Date('2024-01-01T05:00:00Z');
  assert.deepEqual(serviceAccountDef.row(sa, now), ['default', 0, '5h']);
  sa.secrets = [{ name: 'a' }, { name: 'b' }];
  assert.deepEqual(serviceAccountDef.row(sa, now), ['default', 2, '5h']);
  assert.deepEqual(serviceAccountDef.shortNames, ['sa']);
});
