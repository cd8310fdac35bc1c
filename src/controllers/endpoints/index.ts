/** Starts the three endpoint controllers of kube-controller-manager: EndpointSlice, Endpoints and EndpointSlice mirroring. */
import type { Client } from '../../client/client.js';
import type { WorkQueue } from '../../client/workqueue.js';
import { batchesPending } from '../replicaset/batch.js';
import { startEndpointSliceController } from '../endpointslice/controller.js';
import { startEndpointSliceMirroringController } from '../endpointslicemirroring/controller.js';
import { startEndpointsController } from './controller.js';

/** The running endpoint controllers. */
export interface EndpointControllers {
  stop(): void;
  /** Resolves when no controller has work queued or running and every event was written (for tests). */
  idle(): Promise<void>;
}

async function idleNow(q: WorkQueue): Promise<boolean> {
  return Promise.race([q.idle().then(() => true), Promise.resolve().then(() => false)]);
}

/** Starts the controllers with clients for `endpointslice-controller`, `endpoint-controller` and `endpointslicemirroring-controller`. */
export function startEndpointControllers(clientFactory: (manager: string) => Client, opts: { maxEndpointsPerSlice?: number } = {}): EndpointControllers {
  const parts = [
    startEndpointSliceController(clientFactory('endpointslice-controller'), opts),
    startEndpointsController(clientFactory('endpoint-controller')),
    startEndpointSliceMirroringController(clientFactory('endpointslicemirroring-controller')),
  ];
  return {
    stop: () => { for (const p of parts) p.stop(); },
    idle: async () => {
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
