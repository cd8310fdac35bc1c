import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Job } from '../../api/kinds/job.js';
import type { Pod } from '../../api/kinds/pod.js';
import { applyPodFailurePolicy } from './failure-policy.js';

const job: Job = {
  metadata: { name: 'j' },
  spec: {
    template: {},
    podFailurePolicy: {
      rules: [
        { action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [42] } },
        { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] },
        { action: 'Count', onExitCodes: { operator: 'NotIn', values: [1] } },
      ],
    },
  },
};
const failed = (code: number, conditions: { type: string; status: string }[] = []): Pod => ({
  metadata: { name: 'p', namespace: 'ns' }, spec: { containers: [] },
  status: { phase: 'Failed', conditions, containerStatuses: [{ name: 'main', image: 'busybox', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: code } } }] },
} as Pod);

test('podFailurePolicy: the first matching rule decides, as matchPodFailurePolicy', () => {
  assert.deepEqual(applyPodFailurePolicy(job, failed(42)), { action: 'FailJob', message: 'Container main for pod ns/p failed with exit code 42 matching FailJob rule at index 0' });
  assert.deepEqual(applyPodFailurePolicy(job, failed(1, [{ type: 'DisruptionTarget', status: 'True' }])), { action: 'Ignore' });
  assert.deepEqual(applyPodFailurePolicy(job, failed(1, [{ type: 'DisruptionTarget', status: 'False' }])), { action: 'Count' }, 'condition status must match');
  assert.deepEqual(applyPodFailurePolicy(job, failed(3)), { action: 'Count' });
  assert.deepEqual(applyPodFailurePolicy({ ...job, spec: { template: {} } }, failed(42)), { action: 'Count' }, 'no policy: counted');
});
