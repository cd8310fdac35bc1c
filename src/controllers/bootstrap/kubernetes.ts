/**
 * The `kubernetes` Service in `default` and the API server's endpoint reconciler: the Service
 * (recreated when deleted, ports reset when edited) and its Endpoints and EndpointSlice, which
 * point at the control-plane node and the real API port.
 */
import type { KObject } from '../../api/meta.js';
import type { ResourceDef } from '../../api/resource.js';
import type { Client } from '../../client/client.js';
import { inform, type Informer } from '../../client/informer.js';
import { WorkQueue } from '../../client/workqueue.js';
import { LABEL_SERVICE_NAME, LABEL_SKIP_MIRROR } from '../../api/wellknown.js';

const SVC = { resource: 'services' };
const EP_REF = { resource: 'endpoints' };
const SLICE_REF = { resource: 'endpointslices', group: 'discovery.k8s.io' };
const NAME = 'kubernetes';
const NS = 'default';

/** Where the API server is reached. */
export interface ApiEndpoint {
  apiPort: number;
  controlPlaneNodeIP: string;
  /** ClusterIP of the Service (default 10.96.0.1). */
  serviceIP?: string;
}

/** Key-order-insensitive JSON of a value. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}
const same = (a: unknown, b: unknown) => canonical(a) === canonical(b);
const servicePorts = [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }];

/** The `kubernetes` Service as kube-apiserver creates it. */
export function kubernetesService(ip: string): KObject {
  return {
    apiVersion: 'v1', kind: 'Service',
    metadata: { name: NAME, namespace: NS, labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { clusterIP: ip, ports: structuredClone(servicePorts), sessionAffinity: 'None', type: 'ClusterIP' },
  };
}

async function ignoreExists(p: Promise<unknown>): Promise<void> {
  try { await p; } catch (e) { if ((e as { code?: number }).code !== 409) throw e; }
}

async function syncService(client: Client, ip: string): Promise<void> {
  const cur = client.get(SVC, NS, NAME);
  if (!cur) { await ignoreExists(client.create(SVC, kubernetesService(ip))); return; }
  const spec = (cur.spec ?? {}) as { ports?: unknown[]; type?: string };
  if (spec.type === 'ClusterIP' && same(spec.ports, servicePorts)) return;
  await client.update(SVC, { ...cur, spec: { ...spec, type: 'ClusterIP', ports: structuredClone(servicePorts) } });
}

/**
 * The definition without field validation: like kube-apiserver's own reconciler, this writes the
 * node address, which on knet is a loopback address that user-written endpoints may not use.
 */
function internal(client: Client, ref: { resource: string; group?: string }): ResourceDef {
  return { ...client.def(ref), validate: undefined, validateUpdate: undefined };
}

async function syncEndpoints(client: Client, ep: ApiEndpoint): Promise<void> {
  const EP = internal(client, EP_REF);
  const SLICE = internal(client, SLICE_REF);
  const port = { name: 'https', port: ep.apiPort, protocol: 'TCP' };
  const labels = { [LABEL_SKIP_MIRROR]: 'true' };
  const subsets = [{ addresses: [{ ip: ep.controlPlaneNodeIP }], ports: [port] }];
  const cur = client.get(EP, NS, NAME);
  if (!cur) await ignoreExists(client.create(EP, { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: NAME, namespace: NS, labels }, subsets }));
  else if (!same(cur.subsets, subsets) || !same(cur.metadata.labels, labels)) {
    await client.update(EP, { ...cur, metadata: { ...cur.metadata, labels }, subsets });
  }
  const sliceLabels = { [LABEL_SERVICE_NAME]: NAME };
  const endpoints = [{ addresses: [ep.controlPlaneNodeIP], conditions: { ready: true } }];
  const slice = client.get(SLICE, NS, NAME);
  if (!slice) {
    await ignoreExists(client.create(SLICE, {
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: NAME, namespace: NS, labels: sliceLabels },
      addressType: 'IPv4', endpoints, ports: [port],
    }));
  } else if (!same(slice.endpoints, endpoints) || !same(slice.ports, [port]) || !same(slice.metadata.labels, sliceLabels) || slice.addressType !== 'IPv4') {
    await client.update(SLICE, { ...slice, metadata: { ...slice.metadata, labels: sliceLabels }, addressType: 'IPv4', endpoints, ports: [port] });
  }
}

/** Creates the Service, Endpoints and EndpointSlice and keeps them in shape; resolves after the first sync. */
export async function startKubernetesService(client: Client, ep: ApiEndpoint): Promise<{ stop(): void; queue: WorkQueue }> {
  const ip = ep.serviceIP ?? '10.96.0.1';
  const queue = new WorkQueue(async () => {
    await syncService(client, ip);
    await syncEndpoints(client, ep);
  });
  const mine = (o: KObject) => o.metadata.name === NAME;
  const watch = (ref: { resource: string; group?: string }): Informer => inform(client, ref, {
    update: (o) => { if (mine(o)) queue.add(NAME); },
    delete: (o) => { if (mine(o)) queue.add(NAME); },
  }, NS);
  const informers = [watch(SVC), watch(EP_REF), watch(SLICE_REF)];
  queue.add(NAME);
  await queue.idle();
  return { stop: () => { for (const i of informers) i.stop(); queue.stop(); }, queue };
}
