/** Starts the workload controllers (Deployment, ReplicaSet) and the scheduler. */
import type { Client } from '../client/client.js';
import type { WorkQueue } from '../client/workqueue.js';
import { startDeploymentController } from './deployment/controller.js';
import { startReplicaSetController } from './replicaset/controller.js';
import { startScheduler } from './scheduler/scheduler.js';
import { batchesPending } from './replicaset/batch.js';

/** The running workload controllers. */
export interface WorkloadControllers {
  stop(): void;
  /** Resolves when no controller has work queued or running and every event was written (for tests). */
  idle(): Promise<void>;
}

/** Whether a queue is idle right now (its idle() promise is already settled). */
async function idleNow(q: WorkQueue): Promise<boolean> {
  return Promise.race([q.idle().then(() => true), Promise.resolve().then(() => false)]);
}

/** Starts the controllers with clients for `kube-controller-manager` and `default-scheduler`. */
export function startWorkloadControllers(clientFactory: (manager: string) => Client): WorkloadControllers {
  const cm = clientFactory('kube-controller-manager');
  const rs = startReplicaSetController(cm);
  const dc = startDeploymentController(cm);
  const sched = startScheduler(clientFactory('default-scheduler'));
  const parts = [rs, dc, sched];
  return {
    stop: () => { for (const p of parts) p.stop(); },
    idle: async () => {
      // Work in one controller queues work in another: repeat until a pass finds all quiet.
      for (let i = 0; i < 10_000; i++) {
        await Promise.all(parts.map((p) => p.queue.idle()));
        await Promise.all(parts.map((p) => p.recorder.idle()));
        await new Promise((r) => setImmediate(r));
        if (batchesPending()) continue;
        if ((await Promise.all(parts.map((p) => idleNow(p.queue)))).every(Boolean) && !batchesPending()) return;
      }
    },
  };
}
