/**
 * Per-namespace defaults: the `default` ServiceAccount (serviceaccounts-controller) and the
 * `kube-root-ca.crt` ConfigMap (root-ca-cert-publisher), recreated when deleted.
 */
import type { KObject } from '../../api/meta.js';
import type { Client } from '../../client/client.js';
import { inform } from '../../client/informer.js';
import { WorkQueue } from '../../client/workqueue.js';

/** Starts the controller with the cluster CA certificate to publish. */
export function startServiceAccountController(client: Client, caCert: string): { stop(): void; queue: WorkQueue } {
  const queue = new WorkQueue((ns) => reconcile(client, ns, caCert));
  const i1 = inform(client, { resource: 'namespaces' }, { add: (o) => queue.add(o.metadata.name!), update: (o) => queue.add(o.metadata.name!) });
  const i2 = inform(client, { resource: 'serviceaccounts' }, { delete: (o) => { if (o.metadata.name === 'default') queue.add(o.metadata.namespace!); } });
  const i3 = inform(client, { resource: 'configmaps' }, { delete: (o) => { if (o.metadata.name === 'kube-root-ca.crt') queue.add(o.metadata.namespace!); } });
  return { stop: () => { i1.stop(); i2.stop(); i3.stop(); queue.stop(); }, queue };
}

async function reconcile(client: Client, name: string, caCert: string): Promise<void> {
  const ns = client.get({ resource: 'namespaces' }, '', name);
  if (!ns || ns.metadata.deletionTimestamp) return;
  if (!client.get({ resource: 'serviceaccounts' }, name, 'default')) {
    await createIgnoringExists(client, 'serviceaccounts', { metadata: { name: 'default', namespace: name } });
  }
  if (!client.get({ resource: 'configmaps' }, name, 'kube-root-ca.crt')) {
    await createIgnoringExists(client, 'configmaps', {
      metadata: { name: 'kube-root-ca.crt', namespace: name, annotations: { 'kubernetes.io/description': 'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.' } },
      data: { 'ca.crt': caCert },
    });
  }
}

async function createIgnoringExists(client: Client, resource: string, obj: KObject): Promise<void> {
  try { await client.create({ resource }, obj); } catch (e) {
    if ((e as { code?: number }).code !== 409 && (e as { code?: number }).code !== 403) throw e;
  }
}
