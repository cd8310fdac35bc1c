import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkQueue } from './workqueue.js';

test('addAfter beyond the timer range waits instead of firing at once (a yearly CronJob, a long TTL)', async () => {
  let runs = 0;
  const q = new WorkQueue(async () => { runs++; });
  q.addAfter('k', 400 * 86_400_000);
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(runs, 0);
  q.stop();
});
