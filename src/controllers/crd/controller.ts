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
import { crdResourceDefs } from '../../apiextensions/resource.js';

type Condition = NonNullable<NonNullable<CRD['status']>['conditions']>[number];

const CRDS = { resource: 'customresourcedefinitions', group: 'apiextensions.k8s.io' };
const CLEANUP_RETRY_MS = 1000;

/** Starts the controller; stop() ends it. */
export function startCRDController(client: Client): { stop(): void; queue: WorkQueue } {
  const queue: WorkQueue = new WorkQueue(async (name) => {
    // Custom resources still being deleted (finalizers): look again until none remain.
    if (await reconcile(client, name)) queue.addAfter(name, CLEANUP_RETRY_MS);
  });
  const inf = inform(client, CRDS, { add: (o) => queue.add(o.metadata.name!), update: (o) => queue.add(o.metadata.name!) });
  return { stop: () => { inf.stop(); queue.stop(); }, queue };
}

function condition(type: string, reason: string, message: string, old: Condition[] | undefined, now: string): Condition {
  const prev = old?.find((c) => c.type === type);
  return { type, status: 'True', lastTransitionTime: prev?.status === 'True' ? prev.lastTransitionTime : now, reason, message };
}

/** Reconciles one CRD; true while a deleted CRD still has custom resources to wait for. */
async function reconcile(client: Client, name: string): Promise<boolean> {
  const crd = client.get(CRDS, '', name) as CRD | undefined;
  if (!crd) return false;
  if (crd.metadata.deletionTimestamp) return cleanup(client, crd);
  const st = crd.status ?? {};
  const now = rfc3339(new Date());
  const conditions = [
    condition('NamesAccepted', 'NoConflicts', 'no conflicts found', st.conditions, now),
    condition('Established', 'InitialNamesAccepted', 'the initial names have been accepted', st.conditions, now),
  ];
  const next = { ...st, conditions, acceptedNames: crd.spec.names };
  if (JSON.stringify(next) === JSON.stringify(st)) return false;
  crd.status = next;
  await client.update(CRDS, crd as KObject, 'status');
  return false;
}

/**
 * The customresourcecleanup controller: deletes every object of the CRD through the API's delete
 * (their finalizers and graceful deletion apply), and removes the cleanup finalizer only once none
 * remain; true while some are still there.
 */
async function cleanup(client: Client, crd: CRD): Promise<boolean> {
  if (!(crd.metadata.finalizers ?? []).includes(CRD_CLEANUP_FINALIZER)) return false;
  const conditions = crd.status?.conditions ?? [];
  if (!conditions.some((c) => c.type === 'Terminating')) {
    const now = rfc3339(new Date());
    crd.status = { ...crd.status, conditions: [...conditions, { type: 'Terminating', status: 'True', lastTransitionTime: now, reason: 'InstanceDeletionInProgress', message: 'CustomResource deletion is in progress' }] };
    crd = (await client.update(CRDS, crd as KObject, 'status')) as CRD;
  }
  // No longer served, so the definition is made from the CRD (any version: objects are deleted by key).
  const defs = crdResourceDefs({ ...crd, spec: { ...crd.spec, versions: crd.spec.versions.map((v) => ({ ...v, served: true })) } });
  const def = defs.find((d) => crd.spec.versions.some((v) => v.storage && v.name === d.version)) ?? defs[0];
  const prefix = storeKey({ group: crd.spec.group, plural: crd.spec.names.plural }, undefined);
  const items = client.store.list(prefix).items;
  if (def) {
    for (const o of items) if (!o.metadata.deletionTimestamp) await client.delete(def, o.metadata.namespace ?? '', o.metadata.name ?? '', { preconditions: { uid: o.metadata.uid } }).catch(() => undefined);
  }
  if (client.store.list(prefix).items.length > 0) return true;
  crd.metadata.finalizers = (crd.metadata.finalizers ?? []).filter((f) => f !== CRD_CLEANUP_FINALIZER);
  await client.update(CRDS, crd as KObject);
  return false;
}
