import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Job, JobStatus } from '../../api/kinds/job.js';
import type { Pod } from '../../api/kinds/pod.js';
import { countReleased, recordFinished } from './tracking.js';
import { JOB_TRACKING_FINALIZER } from './pods.js';

const job: Job = { metadata: { name: 'j', uid: 'J' }, spec: { completions: 3, completionMode: 'Indexed', template: {} } };
const pod = (uid: string, phase: string, index: number, extra: Partial<Pod['metadata']> = {}): Pod => ({
  metadata: { name: uid, uid, finalizers: [JOB_TRACKING_FINALIZER], annotations: { 'batch.kubernetes.io/job-completion-index': String(index) }, ...extra },
  spec: { containers: [] }, status: { phase },
} as Pod);

test('finished pods are recorded as uncounted before release and counted once released', () => {
  const st: JobStatus = {};
  const completed = new Set<number>();
  const pods = [pod('a', 'Succeeded', 0), pod('b', 'Failed', 1), pod('c', 'Running', 2), pod('d', 'Running', 1, { deletionTimestamp: '2026-01-01T00:00:00Z' })];
  const rec = recordFinished(job, st, pods, completed);
  assert.equal(rec.write, true);
  assert.deepEqual(st.uncountedTerminatedPods, { succeeded: ['a'], failed: ['b', 'd'] }, 'a deleted pod that did not succeed counts as failed');
  assert.deepEqual([...completed], [0]);
  assert.deepEqual(rec.release.map((p) => p.metadata.uid), ['a', 'b', 'd']);
  // Only a and b lost the finalizer (d's update failed): d stays uncounted for the next pass.
  assert.deepEqual(countReleased(st, rec.uncounted, new Set(['c', 'd'])), { succeeded: 1, failed: 1 });
  assert.deepEqual(st, { uncountedTerminatedPods: { failed: ['d'] }, succeeded: 1, failed: 1 });
  const again = recordFinished(job, st, [pods[3]!], completed);
  assert.equal(again.write, false, 'already recorded: no second status write');
  assert.deepEqual(countReleased(st, again.uncounted, new Set()), { succeeded: 0, failed: 1 });
  assert.equal(st.failed, 2);
  assert.deepEqual(st.uncountedTerminatedPods, {});
});
