/** Starts the three endpoint controllers of kube-controller-manager: EndpointSlice, Endpoints and EndpointSlice mirroring. */
import type { Client } from '../../client/client.js';
import { controllerGroup, type ControllerGroup } from '../group.js';
import { startEndpointSliceController } from '../endpointslice/controller.js';
import { startEndpointSliceMirroringController } from '../endpointslicemirroring/controller.js';
import { startEndpointsController } from './controller.js';

/** The running endpoint controllers. */
export type EndpointControllers = ControllerGroup;

/** Starts the controllers with clients for `endpointslice-controller`, `endpoint-controller` and `endpointslicemirroring-controller`. */
export function startEndpointControllers(clientFactory: (manager: string) => Client, opts: { maxEndpointsPerSlice?: number } = {}): EndpointControllers {
  return controllerGroup([
    startEndpointSliceController(clientFactory('endpointslice-controller'), opts),
    startEndpointsController(clientFactory('endpoint-controller')),
    startEndpointSliceMirroringController(clientFactory('endpointslicemirroring-controller')),
  ]);
}
