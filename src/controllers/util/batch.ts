/** Coalesces bursts of enqueues: keys added during one turn of the event loop reach the queue once, on the next. */
import type { WorkQueue } from '../../client/workqueue.js';

let scheduledBatches = 0;

/** Whether some batch is waiting to reach its queue (for idle checks). */
export function batchesPending(): boolean {
  return scheduledBatches > 0;
}

/** A function that queues keys for `queue` after the current burst of changes. */
export function batched(queue: WorkQueue): (key: string) => void {
  const pending = new Set<string>();
  let scheduled = false;
  return (key) => {
    pending.add(key);
    if (scheduled) return;
    scheduled = true;
    scheduledBatches++;
    setImmediate(() => {
      scheduled = false;
      scheduledBatches--;
      const keys = [...pending];
      pending.clear();
      for (const k of keys) queue.add(k);
    });
  };
}
