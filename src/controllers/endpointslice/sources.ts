/** A pod cache for the endpoint controllers: pods by namespace, and the Services a pod change concerns. */
import type { Pod } from '../../api/kinds/pod.js';
import type { Service } from '../../api/kinds/service-schema.js';
import type { KObject } from '../../api/meta.js';
import type { Client } from '../../client/client.js';
import { inform, keyOf, type Informer } from '../../client/informer.js';
import { isPodReady, selectorMatches } from './podutil.js';
import { ServiceIndex } from './service-index.js';

/** What about a pod matters to endpoints (labels apart). */
function signature(p: Pod): string {
  const s = p.status;
  const ready = s?.conditions?.find((c) => c.type === 'Ready');
  const ports = [...(p.spec?.containers ?? []), ...(p.spec?.initContainers ?? [])].map((c) => [c.restartPolicy, c.ports]);
  return JSON.stringify([s?.podIP, s?.podIPs, s?.phase, isPodReady(p), ready?.lastTransitionTime, p.metadata.deletionTimestamp,
    p.spec?.nodeName, p.spec?.hostname, p.spec?.subdomain, ports, p.metadata.uid]);
}

/** Pods indexed by namespace; calls `onService(key)` for every Service change and every Service whose endpoints a pod change may alter. */
export class ServicePods {
  private readonly byNs = new Map<string, Map<string, Pod>>();
  private readonly services = new ServiceIndex();
  private readonly informers: Informer[];

  /** Watches Services too and calls `onService` for their changes as well. */
  constructor(client: Client, private readonly onService: (key: string) => void) {
    const put = (o: KObject) => this.change(o as Pod, false);
    const svc = (o: KObject, gone: boolean) => {
      if (gone) this.services.remove(o as Service);
      else this.services.put(o as Service);
      onService(keyOf(o));
    };
    this.informers = [
      inform(client, { resource: 'services' }, { add: (o) => svc(o, false), update: (o) => svc(o, false), delete: (o) => svc(o, true) }),
      inform(client, { resource: 'pods' }, { add: put, update: put, delete: (o) => this.change(o as Pod, true) }),
    ];
  }

  /** The cached pods a Service selects (none without a selector). Shared objects: never mutate. */
  podsFor(svc: Service): Pod[] {
    const sel = svc.spec?.selector;
    if (!sel) return [];
    const pods = this.byNs.get(svc.metadata.namespace ?? '');
    if (!pods) return [];
    const out: Pod[] = [];
    for (const p of pods.values()) if (selectorMatches(sel, p.metadata.labels)) out.push(p);
    return out;
  }

  /** Stops the informers. */
  stop(): void {
    for (const i of this.informers) i.stop();
  }

  private change(p: Pod, deleted: boolean): void {
    const ns = p.metadata.namespace ?? '';
    let pods = this.byNs.get(ns);
    if (!pods) this.byNs.set(ns, (pods = new Map()));
    const name = p.metadata.name!;
    const prev = pods.get(name);
    if (deleted) pods.delete(name);
    else pods.set(name, p);
    if (pods.size === 0) this.byNs.delete(ns);
    if (prev && !deleted && signature(prev) === signature(p) && JSON.stringify(prev.metadata.labels) === JSON.stringify(p.metadata.labels)) return;
    const keys = this.services.selecting(ns, p.metadata.labels);
    if (prev) this.services.selecting(ns, prev.metadata.labels, keys);
    for (const k of keys) this.onService(k);
  }
}
