/**
 * The cluster's ingress service (`ctx.cluster.ingress`): the ingress-nginx image's replicas attach
 * to it. Replicas with the same class settings share one IngressRoutes (started by the first,
 * stopped when the last goes), and one of them at a time — the leader, the oldest attached, as
 * `--election-id` elects one — writes `status.loadBalancer.ingress` of the Ingresses served
 * (IN:internal/ingress/status/status.go): the published addresses on served ones, none on those no
 * longer served, and none on all of them when the last replica goes (`--update-status-on-shutdown`).
 */
import type { Ingress } from '../../api/kinds/ingress.js';
import type { KObject } from '../../api/meta.js';
import type { Client } from '../../client/client.js';
import type { ClusterView } from '../../client/view.js';
import type { EventType } from '../../controllers/events.js';
import type { Certificate } from './model.js';
import { startIngressRoutes, type IngressRoutes, type IngressRoutesOptions } from './routes.js';
import { createFakeCertificate, type FakeCertificate } from './certs.js';
import { currentAddresses, formatAddresses, publishedAddresses, sameAddresses, type PublishedAddress } from './publish.js';

const INGRESSES = { resource: 'ingresses', group: 'networking.k8s.io' };

/** The controller flags that decide what a replica serves and publishes. */
export interface IngressControllerConfig {
  controllerClass: string;
  ingressClass: string;
  watchWithoutClass: boolean;
  /** `--configmap` as `namespace/name`. */
  configMap?: string;
  /** `--publish-service` as `namespace/name`. */
  publishService?: string;
  /** `--publish-status-address`, comma-separated. */
  publishStatusAddress?: string;
  updateStatus: boolean;
  updateStatusOnShutdown: boolean;
  electionId: string;
}

/** Log severities of klog. */
export type Severity = 'I' | 'W' | 'E';

/** One controller replica (a running `/nginx-ingress-controller`). */
export interface IngressReplica {
  pod: { namespace: string; name: string };
  config: IngressControllerConfig;
  defaultCertificate: Certificate;
  /** A structured klog line (`"msg" key="value"`); `at` is the Go file:line shown. */
  log(severity: Severity, message: string, kv?: Record<string, string>, at?: string): void;
  /** A plain klog line (client-go's leader election prints these). */
  logText(severity: Severity, text: string, at: string): void;
}

/** A replica's handle on the shared routes. */
export interface IngressAttachment {
  readonly routes: IngressRoutes;
  /** Whether this replica writes the Ingresses' status now. */
  isLeader(): boolean;
  /** Records an event on the replica's pod (source component nginx-ingress-controller). */
  podEvent(type: EventType, reason: string, message: string): void;
  /** Detaches; the last replica of a configuration stops its routes. */
  release(): void;
}

/** The `ingress` member of ClusterServices. */
export interface IngressService {
  attach(replica: IngressReplica): IngressAttachment;
  /**
   * The controller's fake self-signed certificate, made once per cluster on first use (an RSA key
   * takes a while; the cluster asks early when it installs the addon, so a replica turns ready at once).
   */
  fakeCertificate(): Promise<FakeCertificate>;
}

/** Options of the ingress service. */
export interface IngressServiceOptions {
  view: ClusterView;
  /** Writes Ingress status (field manager `nginx-ingress-controller`). */
  client: Client;
  /** Records events with source component `nginx-ingress-controller`. */
  event(obj: KObject, type: EventType, reason: string, message: string): void;
  /** Replaceable in tests. */
  startRoutes?: (o: IngressRoutesOptions) => IngressRoutes;
}

/** A running ingress service. */
export interface RunningIngressService extends IngressService {
  /** Resolves when no status sync is pending. */
  idle(): Promise<void>;
  /** Stops every shared routes (status is left as it is, as when the process is killed). */
  stop(): void;
}

interface Group {
  key: string;
  routes: IngressRoutes;
  replicas: IngressReplica[];
  /** Ingresses this group gave addresses, by `namespace/name`. */
  written: Set<string>;
  stops: (() => void)[];
}

const keyOf = (o: { metadata: { namespace?: string; name?: string } }): string => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;

/** Starts the ingress service of a cluster. */
export function startIngressService(o: IngressServiceOptions): RunningIngressService {
  const groups = new Map<string, Group>();
  const start = o.startRoutes ?? startIngressRoutes;
  let chain: Promise<void> = Promise.resolve();
  const pending = new Set<Group>();
  let stopped = false;

  const enqueue = (work: () => Promise<void>): void => {
    chain = chain.then(work).catch(() => undefined);
  };
  const schedule = (g: Group): void => {
    if (pending.has(g) || stopped) return;
    pending.add(g);
    enqueue(async () => {
      pending.delete(g);
      if (groups.get(g.key) === g) await syncStatus(g);
    });
  };

  /** Writes an Ingress's addresses with a few retries on conflicts. */
  const write = async (leader: IngressReplica, ns: string, name: string, want: PublishedAddress[]): Promise<void> => {
    for (let i = 0; ; i++) {
      const cur = o.client.get(INGRESSES, ns, name) as Ingress | undefined;
      if (!cur || sameAddresses(currentAddresses(cur), want)) return;
      leader.log('I', 'updating Ingress status', { namespace: ns, ingress: name, currentValue: formatAddresses(currentAddresses(cur)), newValue: formatAddresses(want) }, 'status.go:300');
      cur.status = { ...cur.status, loadBalancer: want.length ? { ingress: want.map((a) => ({ ...a })) } : {} };
      try { await o.client.update(INGRESSES, cur as KObject, 'status'); return; } catch (e) {
        const code = (e as { code?: number }).code;
        if (code === 404) return;
        if (code !== 409 || i >= 5) { leader.log('E', 'error updating ingress rule', { err: (e as Error).message }, 'status.go:320'); return; }
      }
    }
  };

  const syncStatus = async (g: Group): Promise<void> => {
    const leader = g.replicas[0];
    if (!leader?.config.updateStatus) return;
    const c = leader.config;
    const want = publishedAddresses(o.view, { statusAddress: c.publishStatusAddress, service: c.publishService, pods: g.replicas.map((r) => `${r.pod.namespace}/${r.pod.name}`) });
    const served = new Set<string>();
    for (const ing of g.routes.served()) {
      const k = keyOf(ing);
      served.add(k);
      g.written.add(k);
      if (!sameAddresses(currentAddresses(ing), want)) await write(leader, ing.metadata.namespace ?? '', ing.metadata.name ?? '', want);
    }
    for (const k of [...g.written]) {
      if (served.has(k)) continue;
      g.written.delete(k);
      const [ns = '', name = ''] = k.split('/');
      await write(leader, ns, name, []);
    }
  };

  const leaderLines = (g: Group, r: IngressReplica): void => {
    const lease = `${r.pod.namespace}/${r.config.electionId}`;
    r.logText('I', `attempting to acquire leader lease ${lease}...`, 'leaderelection.go:257');
    const leader = g.replicas[0];
    if (leader === r) r.logText('I', `successfully acquired lease ${lease}`, 'leaderelection.go:271');
    if (leader) r.log('I', 'New leader elected', { identity: leader.pod.name }, 'status.go:85');
  };

  const release = (g: Group, r: IngressReplica): void => {
    const i = g.replicas.indexOf(r);
    if (i < 0) return;
    g.replicas.splice(i, 1);
    if (g.replicas.length === 0) {
      groups.delete(g.key);
      for (const s of g.stops) s();
      g.routes.stop();
      if (r.config.updateStatus && r.config.updateStatusOnShutdown && !stopped && g.written.size) {
        r.log('I', 'removing value from ingress status', { address: formatAddresses(publishedAddresses(o.view, { statusAddress: r.config.publishStatusAddress, service: r.config.publishService, pods: [] })) }, 'status.go:135');
        const keys = [...g.written];
        enqueue(async () => { for (const k of keys) { const [ns = '', name = ''] = k.split('/'); await write(r, ns, name, []); } });
      }
      return;
    }
    if (i === 0) {
      const next = g.replicas[0]!;
      next.logText('I', `successfully acquired lease ${next.pod.namespace}/${next.config.electionId}`, 'leaderelection.go:271');
      for (const x of g.replicas) x.log('I', 'New leader elected', { identity: next.pod.name }, 'status.go:85');
      schedule(g);
    }
  };

  const attach = (r: IngressReplica): IngressAttachment => {
    const c = r.config;
    const key = JSON.stringify([c.controllerClass, c.ingressClass, c.configMap ?? '', c.watchWithoutClass]);
    let g = groups.get(key);
    if (!g) {
      const created: Group = { key, replicas: [], written: new Set(), stops: [], routes: undefined as unknown as IngressRoutes };
      created.routes = start({
        view: o.view, controllerClass: c.controllerClass, ingressClass: c.ingressClass, watchWithoutClass: c.watchWithoutClass,
        configMap: c.configMap, defaultCertificate: r.defaultCertificate,
        log: (sev, msg, kv) => { for (const x of created.replicas) x.log(sev, msg, kv); },
        event: (obj, type, reason, message) => o.event(obj, type, reason, message),
      });
      const kick = (): void => schedule(created);
      created.stops.push(created.routes.subscribe(kick), o.view.ingresses.subscribe({ add: kick, update: kick, delete: kick }),
        o.view.services.subscribe({ add: kick, update: kick, delete: kick }));
      groups.set(key, (g = created));
    }
    const group = g;
    group.replicas.push(r);
    leaderLines(group, r);
    schedule(group);
    let released = false;
    return {
      routes: group.routes,
      isLeader: () => !released && group.replicas[0] === r,
      podEvent: (type, reason, message) => {
        const pod = o.view.pods.get(r.pod.namespace, r.pod.name);
        if (pod) o.event(pod, type, reason, message);
      },
      release: () => { if (!released) { released = true; release(group, r); } },
    };
  };

  let fake: Promise<FakeCertificate> | undefined;
  return {
    attach,
    fakeCertificate: () => (fake ??= createFakeCertificate()),
    idle: async () => { let c; do { c = chain; await c; } while (c !== chain); },
    stop: () => {
      stopped = true;
      for (const g of groups.values()) { for (const s of g.stops) s(); g.routes.stop(); }
      groups.clear();
    },
  };
}
