// CoalescedSync: many schedules, one run; synced waits for pending runs (and for unscheduled work).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CoalescedSync } from './coalesce.js';

test('schedules within the delay give one run; synced resolves after it; stop releases and ends', async () => {
  let runs = 0;
  const s = new CoalescedSync(() => { runs++; }, 5);
  await s.synced();
  for (let i = 0; i < 10; i++) s.schedule();
  await s.synced();
  assert.equal(runs, 1);
  let released = false;
  const waiting = s.synced(true).then(() => { released = true; });
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(released, false, 'unscheduled work waits for the next run');
  s.schedule();
  await waiting;
  assert.equal(runs, 2);
  s.schedule();
  s.stop();
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(runs, 2);
});
