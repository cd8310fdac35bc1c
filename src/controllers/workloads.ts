/** Starts the workload controllers (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob, TTL-after-finished) and the scheduler. */
import type { Client } from '../client/client.js';
import type { ControllerContext } from './context.js';
import { startDeploymentController } from './deployment/controller.js';
import { startReplicaSetController } from './replicaset/controller.js';
import { startJobController } from './job/controller.js';
import { startCronJobController } from './cronjob/controller.js';
import { startTTLAfterFinishedController } from './ttlafterfinished/controller.js';
import { startScheduler } from './scheduler/scheduler.js';
import { startStatefulSetController } from './statefulset/controller.js';
import { startDaemonSetController } from './daemonset/controller.js';
import { controllerGroup, type ControllerGroup } from './group.js';

/** The running workload controllers. */
export type WorkloadControllers = ControllerGroup;

/** Starts the controllers with clients for `kube-controller-manager` and `default-scheduler`, over the cluster's view and batcher. */
export function startWorkloadControllers(clientFactory: (manager: string) => Client, ctx: ControllerContext): WorkloadControllers {
  const cm = clientFactory('kube-controller-manager');
  const rs = startReplicaSetController(cm, ctx);
  const dc = startDeploymentController(cm, ctx);
  const sts = startStatefulSetController(cm, ctx);
  const ds = startDaemonSetController(cm, ctx);
  const batch = [startJobController(cm, ctx), startCronJobController(cm, ctx), startTTLAfterFinishedController(cm, ctx)];
  const sched = startScheduler(clientFactory('default-scheduler'), ctx.view);
  return controllerGroup([rs, dc, sts, ds, ...batch, sched], ctx.batcher);
}
