/** The EndpointSlices one controller manages, by Service, from the cluster view; changes other than the controller's own writes are reported. */
import type { EndpointSlice } from '../../api/kinds/endpointslice.js';
import { LABEL_MANAGED_BY, LABEL_SERVICE_NAME } from '../../api/wellknown.js';
import { keyOf } from '../../client/informer.js';
import { SLICES_BY_SERVICE, type ClusterView } from '../../client/view.js';

/** Slices whose managed-by label is `manager`, by `namespace/service`. */
export class SliceIndex {
  private readonly written = new Map<string, string>(); // ns/name → resourceVersion written, or 'deleted'
  private readonly unsubscribe: () => void;

  /** Calls `onChange(serviceKey)` when someone else changes one of the slices. */
  constructor(private readonly view: ClusterView, private readonly manager: string, private readonly onChange: (key: string) => void) {
    this.unsubscribe = view.endpointSlices.subscribe({ add: (s) => this.seen(s, false), update: (_, s) => this.seen(s, false), delete: (s) => this.seen(s, true) });
  }

  /** The live slices of a Service (not being deleted). Shared objects: never mutate. */
  forService(key: string): EndpointSlice[] {
    return this.view.endpointSlices.byIndex(SLICES_BY_SERVICE, key)
      .filter((s) => s.metadata.labels?.[LABEL_MANAGED_BY] === this.manager && !s.metadata.deletionTimestamp);
  }

  /** Records a slice this controller just created or updated. */
  wrote(s: EndpointSlice): void {
    this.written.set(keyOf(s), s.metadata.resourceVersion ?? '');
  }

  /** Records a slice this controller is about to delete. */
  deleting(s: EndpointSlice): void {
    this.written.set(keyOf(s), 'deleted');
  }

  /** Records a slice this controller deleted (or found gone). */
  deleted(s: EndpointSlice): void {
    if (this.written.get(keyOf(s)) === 'deleted') this.written.delete(keyOf(s));
  }

  /** Stops following the view. */
  stop(): void {
    this.unsubscribe();
  }

  private seen(s: EndpointSlice, deleted: boolean): void {
    const svcName = s.metadata.labels?.[LABEL_SERVICE_NAME];
    if (!svcName || s.metadata.labels?.[LABEL_MANAGED_BY] !== this.manager) return;
    const k = keyOf(s);
    const mine = this.written.get(k);
    if (deleted) this.written.delete(k);
    if (mine !== undefined && (deleted ? mine === 'deleted' : mine === s.metadata.resourceVersion)) return;
    this.onChange(`${s.metadata.namespace}/${svcName}`);
  }
}
