/**
 * The namespace controller: a namespace marked for deletion is Terminating until everything in
 * it is gone; then its `kubernetes` finalizer is removed and the namespace disappears.
 */
import type { KObject } from '../../api/meta.js';
import type { Client } from '../../client/client.js';
import { inform, type Informer } from '../../client/informer.js';
import { WorkQueue } from '../../client/workqueue.js';

const NS = { resource: 'namespaces' };

/** Starts the controller; returns a stop function. */
export function startNamespaceController(client: Client): { stop(): void; queue: WorkQueue } {
  const queue: WorkQueue = new WorkQueue((name) => reconcile(client, name, queue));
  const inf: Informer = inform(client, NS, {
    add: (o) => { if (o.metadata.deletionTimestamp) queue.add(o.metadata.name!); },
    update: (o) => { if (o.metadata.deletionTimestamp) queue.add(o.metadata.name!); },
  });
  return { stop: () => { inf.stop(); queue.stop(); }, queue };
}

async function reconcile(client: Client, name: string, queue: WorkQueue): Promise<void> {
  const ns = client.get(NS, '', name);
  if (!ns || !ns.metadata.deletionTimestamp) return;
  const status = (ns.status ?? {}) as { phase?: string };
  if (status.phase !== 'Terminating') {
    ns.status = { ...status, phase: 'Terminating' };
    await client.update(NS, ns, 'status');
  }
  let remaining = 0;
  for (const def of client.registry.defs.filter((d) => d.namespaced)) {
    const items = client.list(def, name);
    remaining += items.length;
    for (const o of items) {
      if (!o.metadata.deletionTimestamp) await client.delete(def, name, o.metadata.name!, { propagationPolicy: 'Background' });
    }
  }
  if (remaining > 0) {
    // Objects with finalizers or grace periods take a while: look again shortly.
    queue.addAfter(name, remaining > 0 && someLeft(client, name) ? 50 : 0);
    return;
  }
  const fresh = client.get(NS, '', name);
  if (!fresh) return;
  const spec = (fresh.spec ?? {}) as { finalizers?: string[] };
  spec.finalizers = (spec.finalizers ?? []).filter((f) => f !== 'kubernetes');
  fresh.spec = spec;
  await client.update(NS, fresh as KObject, 'finalize');
}

function someLeft(client: Client, ns: string): boolean {
  return client.registry.defs.some((d) => d.namespaced && client.list(d, ns).length > 0);
}
