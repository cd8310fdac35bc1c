/** The API server's own checks before a streaming request reaches the node (as the pod REST storage does). */
import { errors } from '../../api/errors.js';
import type { KObject } from '../../api/meta.js';
import type { Registry } from '../../api/registry.js';
import type { Store } from '../../store/types.js';
import { getObject } from '../storage/read.js';

interface PodLike extends KObject {
  spec?: { nodeName?: string; containers?: { name: string }[]; initContainers?: { name: string }[]; ephemeralContainers?: { name: string }[] };
}

/** What a check yields: the pod, the resolved container name and whether it is on a node. */
export interface PodTarget {
  pod: KObject;
  container?: string;
  scheduled: boolean;
}

/** Reads the pod (404 if missing). */
export function readPod(store: Store, registry: Registry, ns: string, name: string): PodLike {
  const def = registry.lookup('', 'v1', 'pods');
  if (!def) throw errors.notFound('pods', name);
  return getObject(store, def, ns, name) as PodLike;
}

/** Resolves and validates the container like kube-apiserver's validateContainer (400 on a bad name). */
export function resolveContainer(pod: PodLike, container: string | undefined): string | undefined {
  const name = pod.metadata.name ?? '';
  const spec = pod.spec ?? {};
  const main = (spec.containers ?? []).map((c) => c.name);
  const init = (spec.initContainers ?? []).map((c) => c.name);
  const eph = (spec.ephemeralContainers ?? []).map((c) => c.name);
  if (!container) {
    if (main.length === 1) return main[0];
    if (main.length === 0) throw errors.badRequest(`a container name must be specified for pod ${name}`);
    let msg = `a container name must be specified for pod ${name}, choose one of: [${main.join(' ')}]`;
    if (init.length) msg += ` or one of the init containers: [${init.join(' ')}]`;
    if (eph.length) msg += ` or one of the ephemeral containers: [${eph.join(' ')}]`;
    throw errors.badRequest(msg);
  }
  if (![...main, ...init, ...eph].includes(container)) throw errors.badRequest(`container ${container} is not valid for pod ${name}`);
  return container;
}

/** Checks for exec/attach/portforward/log; `needHost` makes an unscheduled pod a 400. */
export function checkPod(store: Store, registry: Registry, ns: string, name: string, container: string | undefined, opts: { needContainer: boolean; needHost: boolean }): PodTarget {
  const pod = readPod(store, registry, ns, name);
  const c = opts.needContainer ? resolveContainer(pod, container) : container;
  const scheduled = !!pod.spec?.nodeName;
  if (!scheduled && opts.needHost) throw errors.badRequest(`pod ${name} does not have a host assigned`);
  return { pod, container: c, scheduled };
}
