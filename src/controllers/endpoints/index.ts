/** Starts the three endpoint controllers of kube-controller-manager: EndpointSlice, Endpoints and EndpointSlice mirroring. */
import type { Client } from '../../client/client.js';
import type { ControllerContext } from '../context.js';
import { controllerGroup, type ControllerGroup } from '../group.js';
import { startEndpointSliceController } from '../endpointslice/controller.js';
import { startEndpointSliceMirroringController } from '../endpointslicemirroring/controller.js';
import { startEndpointsController } from './controller.js';

/** The running endpoint controllers. */
export type EndpointControllers = ControllerGroup;

/** Starts the controllers with clients for `endpointslice-controller`, `endpoint-controller` and `endpointslicemirroring-controller`, over the cluster's view and batcher. */
export function startEndpointControllers(clientFactory: (manager: string) => Client, ctx: ControllerContext, opts: { maxEndpointsPerSlice?: number } = {}): EndpointControllers {
  return controllerGroup([
    startEndpointSliceController(clientFactory('endpointslice-controller'), ctx, opts),
    startEndpointsController(clientFactory('endpoint-controller'), ctx),
    startEndpointSliceMirroringController(clientFactory('endpointslicemirroring-controller'), ctx),
  ], ctx.batcher);
}
