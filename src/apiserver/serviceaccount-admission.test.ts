import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStore } from '../store/memory.js';
import { podDef } from '../api/kinds/pod.js';
import type { KObject } from '../api/meta.js';
import { serviceAccountAdmission } from './serviceaccount-admission.js';

const pod = (spec: Record<string, unknown>): KObject => {
  const p: KObject = { metadata: { name: 'p', namespace: 'web' }, spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec } };
  podDef.prepareForCreate!(p as never);
  return p;
};

test('a service account with automountServiceAccountToken: false takes the token volume back unless the pod asks for it', async () => {
  const store = new MemoryStore();
  await store.create('/core/serviceaccounts/web/quiet', { metadata: { name: 'quiet', namespace: 'web' }, automountServiceAccountToken: false });
  await store.create('/core/serviceaccounts/web/default', { metadata: { name: 'default', namespace: 'web' } });
  const hook = serviceAccountAdmission(store);
  const quiet = pod({ serviceAccountName: 'quiet' });
  assert.ok(((quiet['spec'] as { volumes?: unknown[] }).volumes ?? []).length === 1);
  hook.mutateCreate!(podDef as never, quiet)!(quiet);
  assert.deepEqual([(quiet['spec'] as { volumes?: unknown }).volumes, (quiet['spec'] as { containers: { volumeMounts?: unknown }[] }).containers[0]!.volumeMounts], [undefined, undefined]);
  assert.equal(hook.mutateCreate!(podDef as never, pod({ serviceAccountName: 'quiet', automountServiceAccountToken: true })), undefined);
  assert.equal(hook.mutateCreate!(podDef as never, pod({})), undefined);
});
