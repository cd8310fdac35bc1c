/** The pods and Services the endpoint controllers work from: the cluster view, and the Services a pod change concerns. */
import type { Pod } from '../../api/kinds/pod.js';
import type { Service } from '../../api/kinds/service-schema.js';
import type { Requirement } from '../../api/labels.js';
import { keyOf } from '../../client/informer.js';
import type { ClusterView } from '../../client/view.js';
import { isPodReady } from './podutil.js';
import { indexServicesBySelector, servicesSelecting } from './service-index.js';

/** What about a pod matters to endpoints (labels apart). */
function signature(p: Pod): string {
  const s = p.status;
  const ready = s?.conditions?.find((c) => c.type === 'Ready');
  const ports = [...(p.spec?.containers ?? []), ...(p.spec?.initContainers ?? [])].map((c) => [c.restartPolicy, c.ports]);
  return JSON.stringify([s?.podIP, s?.podIPs, s?.phase, isPodReady(p), ready?.lastTransitionTime, p.metadata.deletionTimestamp,
    p.spec?.nodeName, p.spec?.hostname, p.spec?.subdomain, ports, p.metadata.uid]);
}

/** Calls `onService(key)` for every Service change and every Service whose endpoints a pod change may alter. */
export class ServicePods {
  private readonly unsubscribe: (() => void)[];

  /** Subscribes to the view's Services and Pods. */
  constructor(private readonly view: ClusterView, private readonly onService: (key: string) => void) {
    indexServicesBySelector(view);
    const svc = (o: Service) => onService(keyOf(o));
    this.unsubscribe = [
      view.services.subscribe({ add: svc, update: (_, o) => svc(o), delete: svc }),
      view.pods.subscribe({ add: (p) => this.change(undefined, p), update: (a, b) => this.change(a, b), delete: (p) => this.change(p, undefined) }),
    ];
  }

  /** The pods a Service selects (none without a selector). Shared objects: never mutate. */
  podsFor(svc: Service): Pod[] {
    const sel = svc.spec?.selector;
    if (!sel) return [];
    const reqs: Requirement[] = Object.entries(sel).map(([key, v]) => ({ key, operator: '=', values: [v] }));
    return this.view.pods.select(svc.metadata.namespace ?? '', reqs);
  }

  /** Stops following the view. */
  stop(): void {
    for (const off of this.unsubscribe.splice(0)) off();
  }

  private change(prev: Pod | undefined, next: Pod | undefined): void {
    if (prev && next && signature(prev) === signature(next) && JSON.stringify(prev.metadata.labels) === JSON.stringify(next.metadata.labels)) return;
    const p = (next ?? prev)!;
    const ns = p.metadata.namespace ?? '';
    const keys = servicesSelecting(this.view, ns, p.metadata.labels);
    if (prev && next) servicesSelecting(this.view, ns, prev.metadata.labels, keys);
    for (const k of keys) this.onService(k);
  }
}
