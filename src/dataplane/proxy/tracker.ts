/**
 * The change tracker: informers on Services, EndpointSlices and Nodes mark Services dirty; a sync
 * scheduled at most every `minSyncMs` compiles every dirty Service at once and hands the whole
 * change set over in one call, so a sync is never half-applied.
 */
import type { KObject } from '../../api/meta.js';
import type { Client } from '../../client/client.js';
import { inform, keyOf, type Informer } from '../../client/informer.js';
import { compileService } from './compile.js';
import type { ProxyNode, ServicePort } from './model.js';

/** The label naming an EndpointSlice's Service. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
/** The node label carrying its zone. */
export const ZONE_LABEL = 'topology.kubernetes.io/zone';

/** One sync's changes: Services recompiled (undefined: gone) and, when they changed, the nodes. */
export interface SyncBatch { services: Map<string, readonly ServicePort[] | undefined>; nodes?: ProxyNode[] }

/** Options of the tracker. */
export interface TrackerOptions {
  client: Client;
  nodes: readonly { name: string; ip: string }[];
  apply(batch: SyncBatch): void;
  minSyncMs?: number;
  log?: (line: string) => void;
}

/** Accumulates API changes and applies them in coalesced syncs. */
export class ChangeTracker {
  private readonly services = new Map<string, KObject>();
  private readonly slices = new Map<string, Map<string, KObject>>();
  private readonly sliceOwner = new Map<string, string>();
  private readonly zones = new Map<string, string>();
  private readonly dirty = new Set<string>();
  private nodesDirty = true;
  private timer?: NodeJS.Timeout;
  private informers: Informer[] = [];
  private waiters: (() => void)[] = [];
  private stopped = false;
  /** Number of syncs done (for tests and benchmarks). */
  syncs = 0;

  constructor(private readonly opts: TrackerOptions) {}

  /** Starts the informers; the first sync follows at once. */
  start(): void {
    const c = this.opts.client;
    this.informers.push(
      inform(c, { resource: 'nodes' }, { add: (o) => this.onNode(o), update: (o) => this.onNode(o), delete: (o) => this.onNode(o, true) }),
      inform(c, { resource: 'services' }, { add: (o) => this.onService(o), update: (o) => this.onService(o), delete: (o) => this.onService(o, true) }),
      inform(c, { resource: 'endpointslices', group: 'discovery.k8s.io' }, { add: (o) => this.onSlice(o), update: (o) => this.onSlice(o), delete: (o) => this.onSlice(o, true) }),
    );
    this.schedule();
  }

  /** Stops the informers and pending syncs. */
  stop(): void {
    this.stopped = true;
    for (const i of this.informers.splice(0)) i.stop();
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const w of this.waiters.splice(0)) w();
  }

  /** The last seen Service object of a key. */
  service(key: string): KObject | undefined {
    return this.services.get(key);
  }

  /** Resolves once every change seen so far has been applied. */
  synced(): Promise<void> {
    if (!this.timer && !this.dirty.size && !this.nodesDirty) return Promise.resolve();
    return new Promise((r) => this.waiters.push(r));
  }

  private onNode(o: KObject, gone = false): void {
    const name = o.metadata.name ?? '';
    const zone = gone ? undefined : o.metadata.labels?.[ZONE_LABEL];
    if (this.zones.get(name) === zone) return;
    if (zone === undefined) this.zones.delete(name); else this.zones.set(name, zone);
    this.nodesDirty = true;
    this.schedule();
  }

  private onService(o: KObject, gone = false): void {
    const key = keyOf(o);
    if (gone) this.services.delete(key); else this.services.set(key, o);
    this.mark(key);
  }

  private onSlice(o: KObject, gone = false): void {
    const key = keyOf(o);
    const svcName = o.metadata.labels?.[SERVICE_NAME_LABEL];
    const owner = svcName && !gone ? `${o.metadata.namespace ?? ''}/${svcName}` : undefined;
    const before = this.sliceOwner.get(key);
    if (before && before !== owner) {
      this.slices.get(before)?.delete(key);
      if (this.slices.get(before)?.size === 0) this.slices.delete(before);
      this.sliceOwner.delete(key);
      this.mark(before);
    }
    if (!owner) return;
    let m = this.slices.get(owner);
    if (!m) this.slices.set(owner, (m = new Map()));
    m.set(key, o);
    this.sliceOwner.set(key, owner);
    this.mark(owner);
  }

  private mark(svc: string): void {
    this.dirty.add(svc);
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => this.sync(), this.opts.minSyncMs ?? 1);
  }

  private sync(): void {
    this.timer = undefined;
    if (this.stopped) return;
    const services = new Map<string, readonly ServicePort[] | undefined>();
    for (const key of this.dirty) {
      const svc = this.services.get(key);
      try {
        services.set(key, svc ? compileService(svc, [...(this.slices.get(key)?.values() ?? [])]) : undefined);
      } catch (e) {
        this.opts.log?.(`service proxy: cannot compile Service ${key}: ${(e as Error).message}`);
      }
    }
    this.dirty.clear();
    const nodes = this.nodesDirty ? this.opts.nodes.map((n) => ({ name: n.name, ip: n.ip, zone: this.zones.get(n.name) })) : undefined;
    this.nodesDirty = false;
    this.syncs++;
    this.opts.apply({ services, nodes });
    if (!this.timer) for (const w of this.waiters.splice(0)) w();
  }
}
