import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/kinds/pod.js';
import type { PodDisruptionBudget } from '../../api/kinds/pdb.js';
import { budgetStatus, podsOfBudget } from './status.js';

const pod = (name: string, ready: boolean, labels = { app: 'web' }): Pod => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels },
  spec: { containers: [] }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
} as Pod);
const pdb = (spec: PodDisruptionBudget['spec']): PodDisruptionBudget => ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace: 'default', generation: 1 }, spec });
const now = Date.parse('2024-01-01T00:00:00Z');

// After pkg/controller/disruption/disruption_test.go: integer minAvailable counts pods, maxUnavailable and percentages use the controllers' scale.
test('budgetStatus: minAvailable, maxUnavailable and percentages', () => {
  const pods = [pod('a', true), pod('b', true), pod('c', false)];
  const s1 = budgetStatus(pdb({ minAvailable: 1, selector: { matchLabels: { app: 'web' } } }), pods, () => 3, now);
  assert.deepEqual([s1.expectedPods, s1.desiredHealthy, s1.currentHealthy, s1.disruptionsAllowed], [3, 1, 2, 1]);
  assert.equal(s1.conditions?.[0]?.reason, 'SufficientPods');
  const s2 = budgetStatus(pdb({ maxUnavailable: '34%', selector: {} }), pods, () => 4, now);
  assert.deepEqual([s2.expectedPods, s2.desiredHealthy, s2.disruptionsAllowed], [4, 2, 0]);
  assert.equal(s2.conditions?.[0]?.reason, 'InsufficientPods');
  const s3 = budgetStatus(pdb({ minAvailable: '50%', selector: {} }), pods, () => 3, now);
  assert.deepEqual([s3.desiredHealthy, s3.disruptionsAllowed], [2, 0]);
});

test('budgetStatus: a recently evicted pod is not counted healthy; selectors pick pods', () => {
  const b = pdb({ minAvailable: 1, selector: { matchLabels: { app: 'web' } } });
  b.status = { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0, disruptedPods: { a: '2023-12-31T23:59:30Z', gone: '2023-12-31T23:59:30Z' } };
  const s = budgetStatus(b, [pod('a', true), pod('b', true)], () => 2, now);
  assert.deepEqual(s.disruptedPods, { a: '2023-12-31T23:59:30Z' });
  assert.equal(s.currentHealthy, 1);
  assert.deepEqual(podsOfBudget(b, [pod('a', true), pod('x', true, { app: 'db' })]).map((p) => p.metadata.name), ['a']);
  assert.deepEqual(podsOfBudget(pdb({ minAvailable: 1 }), [pod('a', true)]), [], 'no selector selects nothing');
});
