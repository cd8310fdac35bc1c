/**
 * The pods/binding subresource: assigns an unbound pod to a node (spec.nodeName) and marks it
 * PodScheduled, directly in the store as the registry's BindingREST does.
 */
import { errors } from '../../api/errors.js';
import type { KObject } from '../../api/meta.js';
import type { ResourceDef } from '../../api/resource.js';
import { storeKey } from '../../api/registry.js';
import { StoreConflictError, type Store } from '../../store/types.js';
import { getObject } from './read.js';
import { clone, rfc3339 } from './meta.js';

interface BindablePod extends KObject {
  spec?: { nodeName?: string; schedulingGates?: unknown[] };
  status?: { conditions?: { type: string; status: string; lastTransitionTime?: string; lastProbeTime?: string | null }[] };
}

/** Binds pod ns/name to node; optional uid precondition and annotations to merge. */
export async function bindPod(store: Store, podDef: ResourceDef, ns: string, name: string, node: string,
  opts: { uid?: string; annotations?: Record<string, string> } = {}): Promise<KObject> {
  const fail = (why: string) => errors.conflict('pods/binding', name, why);
  for (let attempt = 0; ; attempt++) {
    const cur = getObject(store, podDef, ns, name) as BindablePod;
    if (opts.uid && cur.metadata.uid !== opts.uid) {
      throw fail(`Precondition failed: UID in precondition: ${opts.uid}, UID in object meta: ${cur.metadata.uid}`);
    }
    if (cur.metadata.deletionTimestamp) throw fail(`pod ${name} is being deleted, cannot be assigned to a host`);
    if (cur.spec?.nodeName) throw fail(`pod ${name} is already assigned to node "${cur.spec.nodeName}"`);
    if (cur.spec?.schedulingGates?.length) throw fail(`pod ${name} has non-empty .spec.schedulingGates`);
    const pod = clone(cur) as BindablePod;
    (pod.spec ??= {}).nodeName = node;
    if (opts.annotations) pod.metadata.annotations = { ...pod.metadata.annotations, ...opts.annotations };
    const status = (pod.status ??= {});
    const conds = (status.conditions ??= []);
    const i = conds.findIndex((c) => c.type === 'PodScheduled');
    const prev = i >= 0 ? conds[i] : undefined;
    const next = { type: 'PodScheduled', status: 'True', lastProbeTime: null,
      lastTransitionTime: prev?.status === 'True' && prev.lastTransitionTime ? prev.lastTransitionTime : rfc3339(new Date()) };
    if (i >= 0) conds[i] = next; else conds.push(next);
    try {
      return await store.update(storeKey(podDef, ns, name), pod, cur.metadata.resourceVersion);
    } catch (e) {
      if (e instanceof StoreConflictError && e.reason === 'rv-mismatch' && attempt < 5) continue;
      if (e instanceof StoreConflictError && e.reason === 'not-found') throw errors.notFound(podDef.plural, name);
      throw e;
    }
  }
}
