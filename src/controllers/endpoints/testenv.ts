/** An in-process cluster for the endpoint controller tests: store, clients, nodes, GC and helpers to make pods. */
import type { KObject } from '../../api/meta.js';
import type { Pod } from '../../api/kinds/pod.js';
import type { Endpoints } from '../../api/kinds/endpoints.js';
import type { EndpointSlice } from '../../api/kinds/endpointslice.js';
import type { Store } from '../../store/types.js';
import { Client } from '../../client/client.js';
import { rfc3339 } from '../../apiserver/storage/meta.js';
import { startGarbageCollector } from '../gc/controller.js';
import { baseEnv } from '../util/testenv.js';
import { startEndpointControllers, type EndpointControllers } from './index.js';

const PODS = { resource: 'pods' };
const SLICES = { resource: 'endpointslices', group: 'discovery.k8s.io' };

/** How to make a test pod. */
export interface PodOpts {
  labels?: Record<string, string>; ip?: string; ready?: boolean; node?: string;
  hostname?: string; subdomain?: string; ports?: { name: string; containerPort: number; protocol?: string }[];
}

/** A test cluster. */
export interface EndpointsEnv {
  store: Store;
  client: Client;
  controllers: EndpointControllers;
  /** Creates a pod bound to a node, with an IP and (by default) Ready. */
  pod(name: string, o?: PodOpts): Promise<Pod>;
  /** Sets a pod's Ready condition. */
  setReady(name: string, ready: boolean): Promise<void>;
  /** Creates a Service in default (clusterIP 10.96.0.5 unless given). */
  service(name: string, spec: Record<string, unknown>, labels?: Record<string, string>): Promise<KObject>;
  /** The slices of a Service managed by `manager`. */
  slices(svc: string, manager?: string): EndpointSlice[];
  endpoints(name: string): Endpoints | undefined;
  /** Waits until controllers and the GC have nothing left to do. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

let ipSeq = 1;

/** Starts a test cluster with two Ready nodes (knet-control-plane, knet-worker). */
export async function endpointsEnv(opts: { maxEndpointsPerSlice?: number } = {}): Promise<EndpointsEnv> {
  const { store, mk, client, view, batcher } = await baseEnv(2);
  const gc = startGarbageCollector(mk('kube-controller-manager'));
  const controllers = startEndpointControllers(mk, { view, batcher }, opts);

  async function setStatus(name: string, ready: boolean, ip?: string): Promise<void> {
    const p = client.get(PODS, 'default', name) as Pod;
    const now = rfc3339(new Date());
    const conds = (p.status?.conditions ?? []).filter((c) => c.type !== 'Ready');
    const podIP = ip ?? p.status?.podIP;
    p.status = {
      ...p.status, phase: 'Running', ...(podIP ? { podIP, podIPs: [{ ip: podIP }] } : {}),
      conditions: [...conds, { type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: now }],
    };
    await client.update(PODS, p as KObject, 'status');
  }

  const env: EndpointsEnv = {
    store, client, controllers,
    async pod(name, o = {}) {
      const ports = o.ports?.map((p) => ({ ...p, protocol: p.protocol ?? 'TCP' }));
      await client.create(PODS, {
        metadata: { name, namespace: 'default', labels: o.labels ?? { app: 'web' } },
        spec: {
          nodeName: o.node ?? 'knet-worker', containers: [{ name: 'c', image: 'nginx', ...(ports ? { ports } : {}) }],
          ...(o.hostname ? { hostname: o.hostname } : {}), ...(o.subdomain ? { subdomain: o.subdomain } : {}),
        },
      });
      const ip = o.ip === '' ? undefined : o.ip ?? `10.244.1.${ipSeq++ % 250 + 2}`;
      await setStatus(name, o.ready ?? true, ip);
      return client.get(PODS, 'default', name) as Pod;
    },
    setReady: (name, ready) => setStatus(name, ready),
    async service(name, spec, labels) {
      return client.create({ resource: 'services' }, {
        metadata: { name, namespace: 'default', ...(labels ? { labels } : {}) },
        spec: { clusterIP: '10.96.0.5', ...spec },
      });
    },
    slices: (svc, manager = 'endpointslice-controller.k8s.io') => (client.list(SLICES, 'default') as EndpointSlice[]).filter((s) =>
      s.metadata.labels?.['kubernetes.io/service-name'] === svc && s.metadata.labels['endpointslice.kubernetes.io/managed-by'] === manager),
    endpoints: (name) => client.get({ resource: 'endpoints' }, 'default', name) as Endpoints | undefined,
    async settle() {
      for (let i = 0; i < 5; i++) {
        await controllers.idle();
        await gc.queue.idle();
        await new Promise((r) => setImmediate(r));
      }
    },
    async close() { await controllers.idle(); controllers.stop(); gc.stop(); view.stop(); await store.close(); },
  };
  return env;
}
