/** A pod cache fed by an informer, indexed by controller UID and, for orphans, by namespace. */
import type { Pod } from '../../api/kinds/pod.js';
import type { KObject } from '../../api/meta.js';
import type { Client } from '../../client/client.js';
import { inform, keyOf, type Informer } from '../../client/informer.js';
import { controllerOf } from '../util/pods.js';

/** Called with the pod before (undefined when added) and after (undefined when deleted) a change. */
export type PodChange = (prev: Pod | undefined, next: Pod | undefined) => void;

/** The cached pods. Objects are the store's own: never mutate them. */
export class PodIndex {
  private readonly pods = new Map<string, Pod>();
  private readonly byOwner = new Map<string, Set<string>>();
  private readonly orphans = new Map<string, Set<string>>();
  private readonly informer: Informer;

  constructor(client: Client, private readonly onChange: PodChange) {
    const set = (o: KObject) => this.put(o as Pod);
    this.informer = inform(client, { resource: 'pods' }, { add: set, update: set, delete: (o) => this.remove(o as Pod) });
  }

  /** Pods whose controller has this UID. */
  owned(uid: string): Pod[] {
    return [...(this.byOwner.get(uid) ?? [])].map((k) => this.pods.get(k)).filter((p): p is Pod => !!p);
  }

  /** Pods of a namespace without a controller. */
  orphaned(ns: string): Pod[] {
    return [...(this.orphans.get(ns) ?? [])].map((k) => this.pods.get(k)).filter((p): p is Pod => !!p);
  }

  /** Stops the informer. */
  stop(): void {
    this.informer.stop();
  }

  private bucket(p: Pod): [Map<string, Set<string>>, string] {
    const ref = controllerOf(p);
    return ref ? [this.byOwner, ref.uid] : [this.orphans, p.metadata.namespace ?? ''];
  }

  private unindex(key: string, p: Pod): void {
    const [m, k] = this.bucket(p);
    const s = m.get(k);
    s?.delete(key);
    if (s && s.size === 0) m.delete(k);
  }

  private put(p: Pod): void {
    const key = keyOf(p);
    const prev = this.pods.get(key);
    if (prev) this.unindex(key, prev);
    this.pods.set(key, p);
    const [m, k] = this.bucket(p);
    let s = m.get(k);
    if (!s) m.set(k, (s = new Set()));
    s.add(key);
    this.onChange(prev, p);
  }

  private remove(p: Pod): void {
    const key = keyOf(p);
    const prev = this.pods.get(key);
    if (prev) this.unindex(key, prev);
    this.pods.delete(key);
    this.onChange(prev ?? p, undefined);
  }
}
