/** An index of the EndpointSlices one controller manages, by Service, that ignores the controller's own writes. */
import type { EndpointSlice } from '../../api/kinds/endpointslice.js';
import type { KObject } from '../../api/meta.js';
import type { Client } from '../../client/client.js';
import { inform, keyOf, type Informer } from '../../client/informer.js';
import { LABEL_MANAGED_BY, LABEL_SERVICE_NAME } from './labels.js';

/** Slices whose managed-by label is `manager`, by `namespace/service`. */
export class SliceIndex {
  private readonly bySvc = new Map<string, Map<string, EndpointSlice>>();
  private readonly owner = new Map<string, string>(); // ns/name → service key
  private readonly written = new Map<string, string>(); // ns/name → resourceVersion written, or 'deleted'
  private readonly informer: Informer;

  /** Calls `onChange(serviceKey)` when someone else changes one of the slices. */
  constructor(client: Client, private readonly manager: string, private readonly onChange: (key: string) => void) {
    const put = (o: KObject) => this.index(o as EndpointSlice, false);
    this.informer = inform(client, { resource: 'endpointslices', group: 'discovery.k8s.io' }, { add: put, update: put, delete: (o) => this.index(o as EndpointSlice, true) });
  }

  /** The live slices of a Service (not being deleted). Shared objects: never mutate. */
  forService(key: string): EndpointSlice[] {
    return [...(this.bySvc.get(key)?.values() ?? [])].filter((s) => !s.metadata.deletionTimestamp);
  }

  /** Records a slice this controller just created or updated. */
  wrote(s: EndpointSlice): void {
    this.written.set(keyOf(s), s.metadata.resourceVersion ?? '');
    this.index(s, false);
  }

  /** Records a slice this controller is about to delete. */
  deleting(s: EndpointSlice): void {
    this.written.set(keyOf(s), 'deleted');
  }

  /** Records a slice this controller deleted. */
  deleted(s: EndpointSlice): void {
    this.index(s, true);
  }

  /** Stops the informer. */
  stop(): void {
    this.informer.stop();
  }

  private index(s: EndpointSlice, deleted: boolean): void {
    const svcName = s.metadata.labels?.[LABEL_SERVICE_NAME];
    const name = s.metadata.name!;
    const k = keyOf(s);
    const was = this.owner.get(k);
    const old = was === undefined ? undefined : this.bySvc.get(was);
    if (old?.delete(name) && old.size === 0) this.bySvc.delete(was!);
    this.owner.delete(k);
    if (!svcName || s.metadata.labels?.[LABEL_MANAGED_BY] !== this.manager) return;
    const key = `${s.metadata.namespace}/${svcName}`;
    if (!deleted) {
      let m = this.bySvc.get(key);
      if (!m) this.bySvc.set(key, (m = new Map()));
      m.set(name, s);
      this.owner.set(k, key);
    }
    const mine = this.written.get(k);
    if (deleted) this.written.delete(k);
    if (mine !== undefined && (deleted ? mine === 'deleted' : mine === s.metadata.resourceVersion)) return;
    this.onChange(key);
  }
}
