/**
 * The change tracker: subscriptions to the cluster view's Services, EndpointSlices and Nodes mark
 * Services dirty; a sync scheduled at most every `minSyncMs` compiles every dirty Service from the
 * view at once and hands the whole change set over in one call, so a sync is never half-applied.
 */
import type { EndpointSlice } from '../../api/kinds/endpointslice.js';
import type { Node } from '../../api/kinds/node.js';
import type { Service } from '../../api/kinds/service-schema.js';
import { LABEL_TOPOLOGY_ZONE } from '../../api/wellknown.js';
import { keyOf, splitKey } from '../../client/informer.js';
import { sliceService } from '../../client/indexers.js';
import { SLICES_BY_SERVICE, type ClusterView } from '../../client/view.js';
import { compileService } from './compile.js';
import type { ProxyNode, ServicePort } from './model.js';
import { CoalescedSync } from '../coalesce.js';

/** One sync's changes: Services recompiled (undefined: gone) and, when they changed, the nodes. */
export interface SyncBatch { services: Map<string, readonly ServicePort[] | undefined>; nodes?: ProxyNode[] }

/** Options of the tracker. */
export interface TrackerOptions {
  view: ClusterView;
  nodes: readonly { name: string; ip: string }[];
  apply(batch: SyncBatch): void;
  minSyncMs?: number;
  log?: (line: string) => void;
}

const zoneOf = (n: Node | undefined): string | undefined => n?.metadata.labels?.[LABEL_TOPOLOGY_ZONE];

/** Accumulates API changes and applies them in coalesced syncs. */
export class ChangeTracker {
  private readonly dirty = new Set<string>();
  private nodesDirty = true;
  private unsubscribe: (() => void)[] = [];
  private readonly syncer: CoalescedSync;
  /** Number of syncs done (for tests and benchmarks). */
  syncs = 0;

  constructor(private readonly opts: TrackerOptions) {
    this.syncer = new CoalescedSync(() => this.sync(), opts.minSyncMs ?? 1);
  }

  /** Subscribes to the view; the first sync follows at once. */
  start(): void {
    const v = this.opts.view;
    const node = (before: Node | undefined, after: Node | undefined) => {
      if (zoneOf(before) === zoneOf(after)) return;
      this.nodesDirty = true;
      this.schedule();
    };
    const service = (s: Service) => this.mark(keyOf(s));
    const slice = (s: EndpointSlice) => { for (const k of sliceService(s)) this.mark(k); };
    this.unsubscribe.push(
      v.nodes.subscribe({ add: (n) => node(undefined, n), update: node, delete: (n) => node(n, undefined) }),
      v.services.subscribe({ add: service, update: (_, s) => service(s), delete: service }),
      v.endpointSlices.subscribe({ add: slice, update: (prev, next) => { slice(prev); slice(next); }, delete: slice }),
    );
    this.schedule();
  }

  /** Unsubscribes and stops pending syncs. */
  stop(): void {
    for (const off of this.unsubscribe.splice(0)) off();
    this.syncer.stop();
  }

  /** The Service of a `namespace/name` key, as the view has it. */
  service(key: string): Service | undefined {
    return this.opts.view.services.get(...splitKey(key));
  }

  /** Resolves once every change seen so far has been applied. */
  synced(): Promise<void> {
    return this.syncer.synced(this.dirty.size > 0 || this.nodesDirty);
  }

  private mark(svc: string): void {
    this.dirty.add(svc);
    this.schedule();
  }

  private schedule(): void {
    this.syncer.schedule();
  }

  private sync(): void {
    const { view } = this.opts;
    const services = new Map<string, readonly ServicePort[] | undefined>();
    for (const key of this.dirty) {
      const svc = this.service(key);
      try {
        services.set(key, svc ? compileService(svc, view.endpointSlices.byIndex(SLICES_BY_SERVICE, key)) : undefined);
      } catch (e) {
        this.opts.log?.(`service proxy: cannot compile Service ${key}: ${(e as Error).message}`);
      }
    }
    this.dirty.clear();
    const nodes = this.nodesDirty ? this.opts.nodes.map((n) => ({ name: n.name, ip: n.ip, zone: zoneOf(view.nodes.get('', n.name)) })) : undefined;
    this.nodesDirty = false;
    this.syncs++;
    this.opts.apply({ services, nodes });
  }
}
