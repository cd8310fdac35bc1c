/** A set of controllers started together: one stop, and one idle() that waits until all are quiet. */
import type { WorkQueue } from '../client/workqueue.js';
import type { Batcher } from './util/batch.js';

/** What a controller exposes to its group. */
export interface GroupMember { stop(): void; queue: WorkQueue; recorder: { idle(): Promise<void> } }

/** The running group. */
export interface ControllerGroup {
  stop(): void;
  /** Resolves when no controller has work queued or running and every event was written (for tests). */
  idle(): Promise<void>;
}

/** Whether a queue is idle right now (its idle() promise is already settled). */
async function idleNow(q: WorkQueue): Promise<boolean> {
  return Promise.race([q.idle().then(() => true), Promise.resolve().then(() => false)]);
}

/** Groups controllers; idle() repeats until a pass finds all quiet (and `batcher` has nothing pending), since one controller's work queues another's. */
export function controllerGroup(parts: GroupMember[], batcher: Batcher): ControllerGroup {
  return {
    stop: () => { for (const p of parts) p.stop(); },
    idle: async () => {
      for (let i = 0; i < 10_000; i++) {
        await Promise.all(parts.map((p) => p.queue.idle()));
        await Promise.all(parts.map((p) => p.recorder.idle()));
        await new Promise((r) => setImmediate(r));
        if (batcher.pending()) continue;
        if ((await Promise.all(parts.map((p) => idleNow(p.queue)))).every(Boolean) && !batcher.pending()) return;
      }
    },
  };
}
