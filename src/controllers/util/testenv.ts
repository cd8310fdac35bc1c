/** An in-process cluster for the workload controller tests: store, clients, nodes and a fake kubelet. */
import { Registry } from '../../api/registry.js';
import { allKinds } from '../../api/kinds/index.js';
import type { KObject } from '../../api/meta.js';
import type { Pod } from '../../api/kinds/pod.js';
import { openStore } from '../../store/index.js';
import type { Store } from '../../store/types.js';
import { namespaceLifecycle } from '../../apiserver/admission.js';
import { Client } from '../../client/client.js';
import { ClusterView } from '../../client/view.js';
import { Batcher } from './batch.js';
import { registerNodes } from '../../node/registrar.js';
import { startGarbageCollector } from '../gc/controller.js';
import { startWorkloadControllers, type WorkloadControllers } from '../workloads.js';
import { rfc3339 } from '../../apiserver/storage/meta.js';

/** A test cluster. */
export interface TestEnv {
  store: Store;
  client: Client;
  controllers: WorkloadControllers;
  /** Pods (name → pod) the fake kubelet should keep unready. */
  unready: Set<string>;
  /** Pods the fake kubelet leaves unready (by default: those named in `unready`). */
  holdBack: (p: Pod) => boolean;
  /** Runs controllers and (unless disabled) the fake kubelet until nothing changes. */
  settle(rounds?: number): Promise<void>;
  /** Runs controllers and the fake kubelet until nothing changes, even when the kubelet is disabled. */
  drive(rounds?: number): Promise<void>;
  /** One kubelet pass: marks bound pods Running/Ready and finishes terminating pods; returns how many changed. */
  kubelet(): Promise<number>;
  pods(ns?: string): Pod[];
  close(): Promise<void>;
}

/**
 * The start every controller test cluster shares: a memory store with the `default` namespace, Ready nodes, clients by field manager and a cluster view.
 * Unless `controlPlaneTaint`, the control plane's NoSchedule taint (set when there are workers) is removed, as
 * `kubectl taint nodes knet-control-plane node-role.kubernetes.io/control-plane-` does, so tests schedule on every node.
 */
export async function baseEnv(nodes: number, opts: { controlPlaneTaint?: boolean } = {}): Promise<{ store: Store; mk: (manager: string) => Client; client: Client; view: ClusterView; batcher: Batcher }> {
  const store = await openStore({ ephemeral: true });
  const registry = new Registry(allKinds);
  const hooks = namespaceLifecycle(store);
  const mk = (m: string) => new Client(store, registry, hooks, m);
  const client = mk('test');
  await client.create({ resource: 'namespaces' }, { metadata: { name: 'default' } });
  await registerNodes(mk('kubelet'), 'knet', nodes);
  const cp = client.get({ resource: 'nodes' }, '', 'knet-control-plane') as (KObject & { spec?: { taints?: unknown[] } }) | undefined;
  if (!opts.controlPlaneTaint && cp?.spec?.taints) {
    delete cp.spec.taints;
    await client.update({ resource: 'nodes' }, cp);
  }
  return { store, mk, client, view: new ClusterView(mk('view')), batcher: new Batcher() };
}

/** Starts a test cluster with `nodes` Ready nodes (knet-control-plane, knet-worker, …). */
export async function testEnv(opts: { nodes?: number; gc?: boolean; kubelet?: boolean; controlPlaneTaint?: boolean } = {}): Promise<TestEnv> {
  const { store, mk, client, view, batcher } = await baseEnv(opts.nodes ?? 2, opts);
  const gc = opts.gc ? startGarbageCollector(mk('kube-controller-manager')) : undefined;
  const controllers = startWorkloadControllers(mk, { view, batcher });
  const kubeletClient = mk('kubelet');
  const unready = new Set<string>();

  const pods = (ns = 'default') => client.list({ resource: 'pods' }, ns) as Pod[];

  async function kubelet(): Promise<number> {
    let changed = 0;
    for (const p of pods()) {
      if (p.metadata.deletionTimestamp) {
        await kubeletClient.delete({ resource: 'pods' }, 'default', p.metadata.name!, { gracePeriodSeconds: 0 });
        changed++;
        continue;
      }
      if (!p.spec?.nodeName || env.holdBack(p)) continue;
      if (p.status?.phase === 'Running' && p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) continue;
      const now = rfc3339(new Date());
      const fresh = client.get({ resource: 'pods' }, 'default', p.metadata.name!) as Pod;
      const cond = (type: string) => ({ type, status: 'True', lastTransitionTime: now });
      fresh.status = {
        ...fresh.status, phase: 'Running', podIP: '10.244.0.1', startTime: now,
        conditions: [cond('Initialized'), cond('Ready'), cond('ContainersReady'), ...(fresh.status?.conditions ?? []).filter((c) => c.type === 'PodScheduled')],
      };
      await kubeletClient.update({ resource: 'pods' }, fresh as KObject, 'status');
      changed++;
    }
    return changed;
  }

  async function settle(rounds = 100, force = false): Promise<void> {
    for (let i = 0; i < rounds; i++) {
      await controllers.idle();
      if (gc) await gc.queue.idle();
      if (opts.kubelet === false && !force) return;
      if (await kubelet() === 0) {
        await controllers.idle();
        return;
      }
    }
  }

  const env: TestEnv = {
    store, client, controllers, unready, settle, kubelet, pods,
    holdBack: (p) => unready.has(p.metadata.name!),
    drive: (rounds) => settle(rounds, true),
    close: async () => { await controllers.idle(); controllers.stop(); gc?.stop(); view.stop(); await store.close(); },
  };
  return env;
}

/** A Deployment manifest for tests. */
export function deployment(name: string, replicas: number, image = 'nginx:1.25', extra: Record<string, unknown> = {}): KObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default' },
    spec: {
      replicas, selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image }] } },
      ...extra,
    },
  };
}
