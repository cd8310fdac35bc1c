import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkQueue } from '../../client/workqueue.js';
import { controllerGroup } from '../group.js';
import { Batcher } from './batch.js';

test('a burst of keys reaches the queue once, on the next turn; batchers of two clusters do not see each other', async () => {
  const seen: string[] = [];
  const queue = new WorkQueue(async (k) => { seen.push(k); });
  const a = new Batcher();
  const b = new Batcher();
  const later = a.batched(queue);
  later('ns/x');
  later('ns/y');
  later('ns/x');
  assert.equal(a.pending(), true);
  assert.equal(b.pending(), false, "another cluster's batcher has nothing pending");
  assert.deepEqual(seen, [], 'nothing reaches the queue in the same turn');
  await new Promise((r) => setImmediate(r));
  await queue.idle();
  assert.deepEqual(seen, ['ns/x', 'ns/y']);
  assert.equal(a.pending(), false);
  queue.stop();
});

test("a controller group's idle() waits until its cluster's pending batch has reached the queue and run", async () => {
  const seen: string[] = [];
  const q = new WorkQueue(async (k) => { seen.push(k); });
  const batcher = new Batcher();
  const group = controllerGroup([{ stop: () => undefined, queue: q, recorder: { idle: async () => undefined } }], batcher);
  batcher.batched(q)('ns/late');
  await group.idle();
  assert.deepEqual(seen, ['ns/late']);
  group.stop();
  q.stop();
});
