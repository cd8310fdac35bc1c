import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkQueue } from './workqueue.js';

test('a reconcile that fails after the queue stopped (shutdown closed the store) is not reported', async () => {
  const reported: string[] = [];
  let fail!: (e: Error) => void;
  const q = new WorkQueue(() => new Promise<void>((_, reject) => { fail = reject; }), 1, (k) => { reported.push(k); });
  q.add('a');
  q.stop();
  fail(new Error('store is closed'));
  await new Promise((r) => setImmediate(r));
  const live = new WorkQueue(() => Promise.reject(new Error('boom')), 1, (k) => { reported.push(k); });
  live.add('b');
  await new Promise((r) => setImmediate(r));
  live.stop();
  assert.deepEqual(reported, ['b'], 'only the failure while running is reported');
});
