/** An in-memory stand-in for the API watch, for unit tests of view consumers (DNS cache, proxy tracker). */
import type { KObject } from '../api/meta.js';
import type { ResourceDef } from '../api/resource.js';
import type { WatchEvent } from '../apiserver/storage/read.js';
import type { WatchHandle } from '../store/types.js';
import type { ResourceRef } from './client.js';
import { keyOf } from './informer.js';
import type { WatchSource } from './shared-informer.js';

/** Objects by resource plural; watchers get ADDED for what exists, then every put and remove at once. */
export class FakeWatchSource implements WatchSource {
  private readonly objects = new Map<string, Map<string, KObject>>();
  private readonly watchers = new Map<string, Set<(e: WatchEvent) => void>>();

  /** Watches a resource (all namespaces), as `Client.watch` does without a resourceVersion. */
  watch(ref: ResourceRef | ResourceDef, _ns: string | undefined, _opts: object, onEvent: (e: WatchEvent) => void): WatchHandle {
    const resource = 'kind' in ref ? ref.plural : ref.resource;
    for (const o of this.objects.get(resource)?.values() ?? []) onEvent({ type: 'ADDED', object: o });
    let set = this.watchers.get(resource);
    if (!set) this.watchers.set(resource, (set = new Set()));
    set.add(onEvent);
    return { stop: () => void this.watchers.get(resource)?.delete(onEvent) };
  }

  /** Creates or replaces an object. */
  put(resource: string, o: KObject): void {
    let m = this.objects.get(resource);
    if (!m) this.objects.set(resource, (m = new Map()));
    const type = m.has(keyOf(o)) ? 'MODIFIED' : 'ADDED';
    m.set(keyOf(o), o);
    for (const w of [...(this.watchers.get(resource) ?? [])]) w({ type, object: o });
  }

  /** Deletes an object (a no-op when it does not exist). */
  remove(resource: string, o: KObject): void {
    const last = this.objects.get(resource)?.get(keyOf(o));
    if (!last) return;
    this.objects.get(resource)?.delete(keyOf(o));
    for (const w of [...(this.watchers.get(resource) ?? [])]) w({ type: 'DELETED', object: last });
  }

  /** How many watches are open on a resource. */
  watching(resource: string): number {
    return this.watchers.get(resource)?.size ?? 0;
  }
}
