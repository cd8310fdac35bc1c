/** Coalesces bursts of enqueues: keys added during one turn of the event loop reach the queue once, on the next. */
import type { WorkQueue } from '../../client/workqueue.js';

/** One cluster's batching of enqueues; its controller groups ask it whether batches are still pending. */
export class Batcher {
  private scheduled = 0;

  /** Whether some batch is waiting to reach its queue (for idle checks). */
  pending(): boolean {
    return this.scheduled > 0;
  }

  /** A function that queues keys for `queue` after the current burst of changes. */
  batched(queue: WorkQueue): (key: string) => void {
    const pending = new Set<string>();
    let scheduled = false;
    return (key) => {
      pending.add(key);
      if (scheduled) return;
      scheduled = true;
      this.scheduled++;
      setImmediate(() => {
        scheduled = false;
        this.scheduled--;
        const keys = [...pending];
        pending.clear();
        for (const k of keys) queue.add(k);
      });
    };
  }
}
