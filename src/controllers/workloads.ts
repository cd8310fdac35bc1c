/** Starts the workload controllers (Deployment, ReplicaSet) and the scheduler. */
import type { Client } from '../client/client.js';
import { startDeploymentController } from './deployment/controller.js';
import { startReplicaSetController } from './replicaset/controller.js';
import { startScheduler } from './scheduler/scheduler.js';
import { controllerGroup, type ControllerGroup } from './group.js';

/** The running workload controllers. */
export type WorkloadControllers = ControllerGroup;

/** Starts the controllers with clients for `kube-controller-manager` and `default-scheduler`. */
export function startWorkloadControllers(clientFactory: (manager: string) => Client): WorkloadControllers {
  const cm = clientFactory('kube-controller-manager');
  const rs = startReplicaSetController(cm);
  const dc = startDeploymentController(cm);
  const sched = startScheduler(clientFactory('default-scheduler'));
  return controllerGroup([rs, dc, sched]);
}
