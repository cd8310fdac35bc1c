/**
 * The CustomResourceDefinition controllers of apiextensions-apiserver, in one: names accepted and
 * established (conditions NamesAccepted and Established, status.acceptedNames), and the cleanup
 * finalizer (a deleted CRD's objects are deleted before the CRD goes).
 */
import type { KObject } from '../../api/meta.js';
import { storeKey } from '../../api/registry.js';
import type { CRD } from '../../api/kinds/crd.js';
import { CRD_CLEANUP_FINALIZER } from '../../api/kinds/crd.js';
import type { Client } from '../../client/client.js';
import { inform } from '../../client/informer.js';
import { WorkQueue } from '../../client/workqueue.js';
import { rfc3339 } from '../../apiserver/storage/meta.js';

type Condition = NonNullable<NonNullable<CRD['status']>['conditions']>[number];

const CRDS = { resource: 'customresourcedefinitions', group: 'apiextensions.k8s.io' };

/** Starts the controller; stop() ends it. */
export function startCRDController(client: Client): { stop(): void; queue: WorkQueue } {
  const queue = new WorkQueue((name) => reconcile(client, name));
  const inf = inform(client, CRDS, { add: (o) => queue.add(o.metadata.name!), update: (o) => queue.add(o.metadata.name!) });
  return { stop: () => { inf.stop(); queue.stop(); }, queue };
}

function condition(type: string, reason: string, message: string, old: Condition[] | undefined, now: string): Condition {
  const prev = old?.find((c) => c.type === type);
  return { type, status: 'True', lastTransitionTime: prev?.status === 'True' ? prev.lastTransitionTime : now, reason, message };
}

async function reconcile(client: Client, name: string): Promise<void> {
  const crd = client.get(CRDS, '', name) as CRD | undefined;
  if (!crd) return;
  if (crd.metadata.deletionTimestamp) return cleanup(client, crd);
  const st = crd.status ?? {};
  const now = rfc3339(new Date());
  const conditions = [
    condition('NamesAccepted', 'NoConflicts', 'no conflicts found', st.conditions, now),
    condition('Established', 'InitialNamesAccepted', 'the initial names have been accepted', st.conditions, now),
  ];
  const next = { ...st, conditions, acceptedNames: crd.spec.names };
  if (JSON.stringify(next) === JSON.stringify(st)) return;
  crd.status = next;
  await client.update(CRDS, crd as KObject, 'status');
}

/** Deletes every object of the CRD, then removes the cleanup finalizer. */
async function cleanup(client: Client, crd: CRD): Promise<void> {
  if (!(crd.metadata.finalizers ?? []).includes(CRD_CLEANUP_FINALIZER)) return;
  const conditions = crd.status?.conditions ?? [];
  if (!conditions.some((c) => c.type === 'Terminating')) {
    const now = rfc3339(new Date());
    crd.status = { ...crd.status, conditions: [...conditions, { type: 'Terminating', status: 'True', lastTransitionTime: now, reason: 'InstanceDeletionInProgress', message: 'CustomResource deletion is in progress' }] };
    crd = (await client.update(CRDS, crd as KObject, 'status')) as CRD;
  }
  const prefix = storeKey({ group: crd.spec.group, plural: crd.spec.names.plural }, undefined);
  for (const o of client.store.list(prefix).items) {
    const key = storeKey({ group: crd.spec.group, plural: crd.spec.names.plural }, o.metadata.namespace ?? '', o.metadata.name);
    try { await client.store.delete(key); } catch { /* already gone */ }
  }
  crd.metadata.finalizers = (crd.metadata.finalizers ?? []).filter((f) => f !== CRD_CLEANUP_FINALIZER);
  await client.update(CRDS, crd as KObject);
}
