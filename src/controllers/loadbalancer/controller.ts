/**
 * The load-balancer part of the service controller, for the default loadBalancerClass: each
 * LoadBalancer Service gets an address from a pool of loopback addresses, written to
 * status.loadBalancer.ingress (ipMode VIP), with the cleanup finalizer and the service-controller
 * events. Addresses go back when the Service changes type or is deleted.
 */
import type { KObject } from '../../api/meta.js';
import type { Service } from '../../api/kinds/service.js';
import type { Client } from '../../client/client.js';
import { keyOf, splitKey } from '../../client/informer.js';
import type { ClusterView } from '../../client/view.js';
import { WorkQueue } from '../../client/workqueue.js';
import { EventRecorder } from '../events.js';
import { AddressPool } from './pool.js';

const SVC = { resource: 'services' };
/** The finalizer the service controller puts on Services it made a load balancer for. */
export const LB_FINALIZER = 'service.kubernetes.io/load-balancer-cleanup';
/** The pool of load-balancer addresses of host network block `block` (0: 127.240.0.0/24). */
export function loadBalancerPool(block: number): string {
  return `127.240.${block}.0/24`;
}

/** The default pool of load-balancer addresses. */
export const DEFAULT_LB_POOL = loadBalancerPool(0);

/** Options of the controller. */
export interface LoadBalancerOptions {
  /** CIDR of the addresses handed out (default 127.240.0.0/24). */
  pool?: string;
}

/** A running load-balancer controller. */
export interface LoadBalancerController {
  /** Current assignments, `namespace/name` → address. */
  assignments(): Map<string, string>;
  /** Calls `fn` after every assignment change; returns an unsubscribe function. */
  onChange(fn: (key: string, ip: string | undefined) => void): () => void;
  /** Resolves when no work is queued and every event is written (tests). */
  idle(): Promise<void>;
  stop(): void;
}

/** True when the controller should provide a load balancer (type LoadBalancer, default class). */
export function wantsLoadBalancer(svc: Service): boolean {
  return svc.spec?.type === 'LoadBalancer' && !svc.spec.loadBalancerClass;
}

const signature = (s: Service) => JSON.stringify([s.metadata.uid, s.spec, s.metadata.annotations ?? {}]);

/** Starts the controller. */
export function startLoadBalancerController(client: Client, view: ClusterView, opts: LoadBalancerOptions = {}): LoadBalancerController {
  const pool = new AddressPool(opts.pool ?? DEFAULT_LB_POOL);
  const recorder = new EventRecorder(client, 'service-controller');
  const synced = new Map<string, { sig: string; wants: boolean; type: string }>();
  const waiting = new Set<string>();
  const listeners = new Set<(key: string, ip: string | undefined) => void>();
  const notify = (key: string, ip: string | undefined) => { for (const l of listeners) l(key, ip); };

  const release = (key: string) => {
    const ip = pool.release(key);
    if (ip === undefined) return;
    notify(key, undefined);
    for (const k of waiting) queue.add(k);
  };

  /** Writes status (and finalizers) with a few retries on conflicts. */
  const write = async (key: string, change: (s: Service) => boolean, subresource?: 'status') => {
    const [ns, name] = splitKey(key);
    for (let i = 0; ; i++) {
      const cur = client.get(SVC, ns, name) as Service | undefined;
      if (!cur || !change(cur)) return;
      try { await client.update(SVC, cur as KObject, subresource); return; } catch (e) {
        if ((e as { code?: number }).code === 404) return;
        if ((e as { code?: number }).code !== 409 || i >= 5) throw e;
      }
    }
  };

  const cleanup = async (key: string, svc: Service | undefined) => {
    const had = pool.get(key) !== undefined;
    const fin = svc?.metadata.finalizers?.includes(LB_FINALIZER) ?? false;
    waiting.delete(key);
    if (!svc) { synced.delete(key); release(key); return; }
    if (!had && !fin) { synced.delete(key); return; }
    if (had) recorder.event(svc, 'Normal', 'DeletingLoadBalancer', 'Deleting load balancer');
    release(key);
    await write(key, (s) => {
      const f = s.metadata.finalizers ?? [];
      if (!f.includes(LB_FINALIZER)) return false;
      const rest = f.filter((x) => x !== LB_FINALIZER);
      if (rest.length) s.metadata.finalizers = rest; else delete s.metadata.finalizers;
      return true;
    });
    recorder.event(svc, 'Normal', 'DeletedLoadBalancer', 'Deleted load balancer');
    await write(key, (s) => {
      if (!s.status?.loadBalancer?.ingress?.length) return false;
      s.status = { ...s.status, loadBalancer: {} };
      return true;
    }, 'status');
    synced.delete(key);
  };

  const ensure = async (key: string, svc: Service) => {
    const prev = synced.get(key);
    const sig = signature(svc);
    const ip0 = pool.get(key);
    const shown = svc.status?.loadBalancer?.ingress?.[0]?.ip;
    if (prev?.sig === sig && ip0 && shown === ip0 && svc.metadata.finalizers?.includes(LB_FINALIZER)) return;
    if (prev && !prev.wants) recorder.event(svc, 'Normal', 'Type', `${prev.type} -> ${svc.spec?.type ?? ''}`);
    recorder.event(svc, 'Normal', 'EnsuringLoadBalancer', 'Ensuring load balancer');
    await write(key, (s) => {
      if (s.metadata.finalizers?.includes(LB_FINALIZER)) return false;
      s.metadata.finalizers = [...(s.metadata.finalizers ?? []), LB_FINALIZER];
      return true;
    });
    const requested = svc.spec?.loadBalancerIP || undefined;
    let ip: string;
    try {
      if (requested && !pool.contains(requested)) {
        ip = pool.assign(key, ip0 && ip0 !== requested ? ip0 : undefined);
        if (prev?.sig !== sig) {
          recorder.event(svc, 'Warning', 'LoadBalancerIPNotInPool', `spec.loadBalancerIP ${requested} is outside the load-balancer pool ${pool.cidr}; using ${ip}`);
        }
      } else ip = pool.assign(key, requested);
    } catch (e) {
      waiting.add(key);
      synced.set(key, { sig, wants: true, type: svc.spec?.type ?? '' });
      recorder.event(svc, 'Warning', 'SyncLoadBalancerFailed', `Error syncing load balancer: failed to ensure load balancer: ${(e as Error).message}`);
      return;
    }
    waiting.delete(key);
    if (ip !== ip0) notify(key, ip);
    recorder.event(svc, 'Normal', 'EnsuredLoadBalancer', 'Ensured load balancer');
    await write(key, (s) => {
      const ing = s.status?.loadBalancer?.ingress ?? [];
      if (ing.length === 1 && ing[0]?.ip === ip && ing[0].ipMode === 'VIP' && !ing[0].hostname && !ing[0].ports) return false;
      s.status = { ...s.status, loadBalancer: { ingress: [{ ip, ipMode: 'VIP' }] } };
      return true;
    }, 'status');
    synced.set(key, { sig, wants: true, type: svc.spec?.type ?? '' });
  };

  const reconcile = async (key: string) => {
    const [ns, name] = splitKey(key);
    const svc = view.services.get(ns, name);
    if (!svc || !wantsLoadBalancer(svc) || svc.metadata.deletionTimestamp) {
      const prev = synced.get(key);
      if (svc && prev?.wants && !wantsLoadBalancer(svc)) recorder.event(svc, 'Normal', 'Type', `${prev.type} -> ${svc.spec?.type ?? ''}`);
      await cleanup(key, svc);
      if (svc) synced.set(key, { sig: signature(svc), wants: false, type: svc.spec?.type ?? '' });
      return;
    }
    await ensure(key, svc);
  };

  const queue = new WorkQueue(reconcile);
  // Adopt addresses already shown in status (a restart) before anything new is handed out.
  for (const s of view.services.list()) {
    const ip = s.status?.loadBalancer?.ingress?.[0]?.ip;
    if (!wantsLoadBalancer(s) || !ip || !pool.contains(ip) || pool.holder(ip)) continue;
    pool.assign(keyOf(s), ip);
  }
  const unsubscribe = view.services.subscribe({
    add: (o) => queue.add(keyOf(o)),
    update: (_, o) => queue.add(keyOf(o)),
    delete: (o) => queue.add(keyOf(o)),
  });
  return {
    assignments: () => pool.entries(),
    onChange: (fn) => { listeners.add(fn); return () => listeners.delete(fn); },
    idle: async () => { await queue.idle(); await recorder.idle(); },
    stop: () => { unsubscribe(); queue.stop(); },
  };
}
