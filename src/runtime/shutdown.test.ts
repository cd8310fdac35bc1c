import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DOWN_DEADLINE_MS, POD_SHUTDOWN_GRACE_MS, SHUTDOWN_DEADLINE_MS, withDeadline } from './shutdown.js';

test('the bounds nest: pods\' grace < the process\'s own deadline < the time knet down waits before SIGKILL', () => {
  assert.ok(POD_SHUTDOWN_GRACE_MS < SHUTDOWN_DEADLINE_MS && SHUTDOWN_DEADLINE_MS < DOWN_DEADLINE_MS);
  assert.ok(DOWN_DEADLINE_MS - SHUTDOWN_DEADLINE_MS >= 2000, 'room for a loaded machine to exit');
});

test('withDeadline: done when the stop finishes (or fails) in time, timeout when it hangs, and no later than the deadline', async () => {
  assert.equal(await withDeadline(() => new Promise((r) => setTimeout(r, 10)), 1000), 'done');
  assert.equal(await withDeadline(() => Promise.reject(new Error('x')), 1000), 'done');
  const t0 = Date.now();
  assert.equal(await withDeadline(() => new Promise(() => undefined), 100), 'timeout');
  assert.ok(Date.now() - t0 < 1000);
});
