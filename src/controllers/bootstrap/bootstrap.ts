/**
 * The Services every cluster starts with: `kubernetes` in `default` (kept in sync with the API
 * server's address) and cluster DNS in `kube-system` (kube-dns Service plus the coredns objects
 * kubeadm installs). Creating is idempotent: existing objects are left alone on restart.
 */
import type { KObject } from '../../api/meta.js';
import type { Client, ResourceRef } from '../../client/client.js';
import { corednsConfigMap, corednsDeployment, corednsServiceAccount, kubeDnsService } from './coredns.js';
import { startKubernetesService } from './kubernetes.js';
import { standardStorageClass } from './storage.js';

/** Where the API server listens and how cluster DNS is set up. */
export interface BootstrapOptions {
  apiPort: number;
  controlPlaneNodeIP: string;
  /** ClusterIP of `kubernetes` (default 10.96.0.1). */
  kubernetesIP?: string;
  /** ClusterIP of `kube-dns` (default 10.96.0.10). */
  dnsIP?: string;
  clusterDomain?: string;
  /** Replicas of the coredns Deployment (default 2). */
  dnsReplicas?: number;
}

/** Creates an object unless it exists (a user's version is kept). */
export async function ensure(client: Client, ref: ResourceRef, obj: KObject): Promise<void> {
  if (client.get(ref, obj.metadata.namespace ?? '', obj.metadata.name ?? '')) return;
  try { await client.create(ref, obj); } catch (e) { if ((e as { code?: number }).code !== 409) throw e; }
}

/** Creates the cluster Services and starts the `kubernetes` endpoint reconciler; resolves when all exist. */
export async function bootstrapClusterServices(client: Client, opts: BootstrapOptions): Promise<{ stop(): void }> {
  const api = await startKubernetesService(client, { apiPort: opts.apiPort, controlPlaneNodeIP: opts.controlPlaneNodeIP, serviceIP: opts.kubernetesIP });
  await ensure(client, { resource: 'serviceaccounts' }, corednsServiceAccount());
  await ensure(client, { resource: 'configmaps' }, corednsConfigMap(opts.clusterDomain ?? 'cluster.local'));
  await ensure(client, { resource: 'services' }, kubeDnsService(opts.dnsIP ?? '10.96.0.10'));
  await ensure(client, { resource: 'deployments', group: 'apps' }, corednsDeployment(opts.dnsReplicas ?? 2));
  await ensure(client, { resource: 'storageclasses', group: 'storage.k8s.io' }, standardStorageClass());
  return { stop: () => api.stop() };
}
