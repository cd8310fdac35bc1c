/**
 * A shared informer in the style of client-go's SharedIndexInformer: one list+watch of a resource
 * through the in-process client, an object cache, named indexes and any number of subscribers.
 * Events are delivered synchronously: the cache and indexes are updated first, then every handler
 * runs, so a handler (and anything it calls) already reads the new state.
 */
import type { KObject } from '../api/meta.js';
import { requirementsMatch, type Requirement } from '../api/labels.js';
import type { WatchEvent } from '../apiserver/storage/read.js';
import type { Client, ResourceRef } from './client.js';
import { keyOf } from './informer.js';
import { ObjectIndex, type IndexFunc } from './object-index.js';

export type { IndexFunc } from './object-index.js';

/** What an informer needs of the API: `Client.watch`, which first sends ADDED for every current object. */
export type WatchSource = Pick<Client, 'watch'>;


/** Named index functions (client-go Indexers). */
export type Indexers<T> = Record<string, IndexFunc<T>>;

/** Change handlers (client-go ResourceEventHandler); `update` receives the cached object before and after. */
export interface EventHandlers<T> {
  add?(o: T): void;
  update?(prev: T, next: T): void;
  delete?(o: T): void;
}

/** The built-in index of every informer: objects by namespace ('' for cluster-scoped ones). */
export const NAMESPACE_INDEX = 'namespace';
/** An index (opt-in) of objects by each label as `key=value` and as `key`, used by `select`. */
export const LABELS_INDEX = 'labels';

/** The keys of LABELS_INDEX for an object. */
export function labelIndexKeys(o: KObject): string[] {
  return Object.entries(o.metadata.labels ?? {}).flatMap(([k, v]) => [`${k}=${v}`, k]);
}

const byNamespace = (o: KObject): string[] => [o.metadata.namespace ?? ''];

interface Subscriber<T> { h: EventHandlers<T>; active: boolean }

/** One resource's shared informer; objects are the store's shared objects: never mutate them. */
export class SharedInformer<T extends KObject> {
  private readonly cache = new Map<string, T>();
  private readonly indexes = new Map<string, ObjectIndex<T>>();
  private subscribers: Subscriber<T>[] = [];
  private handle?: { stop(): void };
  private state: 'idle' | 'running' | 'stopped' = 'idle';
  private changeCount = 0;

  constructor(private readonly source: WatchSource, readonly ref: ResourceRef, indexers: Indexers<T> = {}) {
    this.addIndexers({ [NAMESPACE_INDEX]: byNamespace, ...indexers });
  }

  /** A number that grows with every change the informer applies (starts the informer). */
  get changes(): number {
    this.start();
    return this.changeCount;
  }

  /** Whether the list+watch has started (it starts on first use). */
  get started(): boolean {
    return this.state !== 'idle';
  }

  /** Adds indexes; an existing name is accepted only with the same function. Works before and after start. */
  addIndexers(indexers: Indexers<T>): void {
    for (const [name, fn] of Object.entries(indexers)) {
      const have = this.indexes.get(name);
      if (have?.fn === fn) continue;
      if (have) throw new Error(`${this.ref.resource}: index "${name}" already exists with another function`);
      const idx = new ObjectIndex(fn);
      this.indexes.set(name, idx);
      for (const [key, o] of this.cache) idx.file(key, o);
    }
  }

  /** One object by namespace ('' for cluster-scoped) and name. */
  get(namespace: string, name: string): T | undefined {
    this.start();
    return this.cache.get(namespace ? `${namespace}/${name}` : name);
  }

  /** Every object, or those of one namespace. */
  list(namespace?: string): T[] {
    this.start();
    return namespace === undefined ? [...this.cache.values()] : this.byIndex(NAMESPACE_INDEX, namespace);
  }

  /** The objects filed under `key` in the named index (client-go ByIndex); throws for an unknown index. */
  byIndex(index: string, key: string): T[] {
    const out: T[] = [];
    for (const k of this.index(index).keys(key)) {
      const o = this.cache.get(k);
      if (o) out.push(o);
    }
    return out;
  }

  /** The keys that have objects in the named index (client-go ListIndexFuncValues). */
  indexKeys(index: string): string[] {
    return this.index(index).values();
  }

  private index(name: string): ObjectIndex<T> {
    this.start();
    const idx = this.indexes.get(name);
    if (!idx) throw new Error(`${this.ref.resource}: no index "${name}"`);
    return idx;
  }

  /** The objects (of one namespace, or all) whose labels match every requirement; uses LABELS_INDEX when present. */
  select(namespace: string | undefined, selector: readonly Requirement[]): T[] {
    this.start();
    let candidates: Set<string> | undefined;
    const labels = this.indexes.get(LABELS_INDEX);
    if (labels) {
      for (const r of selector) {
        const keys = r.operator === 'exists' ? [r.key] : r.operator === '=' || r.operator === '==' || r.operator === 'in' ? r.values.map((v) => `${r.key}=${v}`) : undefined;
        if (!keys) continue;
        const set = new Set(keys.flatMap((k) => [...labels.keys(k)]));
        if (!candidates || set.size < candidates.size) candidates = set;
      }
    }
    const reqs = selector as Requirement[];
    const out: T[] = [];
    if (!candidates) {
      for (const o of this.list(namespace)) if (requirementsMatch(reqs, o.metadata.labels)) out.push(o);
      return out;
    }
    for (const k of candidates) {
      const o = this.cache.get(k);
      if (o && (namespace === undefined || (o.metadata.namespace ?? '') === namespace) && requirementsMatch(reqs, o.metadata.labels)) out.push(o);
    }
    return out;
  }

  /** Subscribes to changes; the current objects arrive first as adds. Returns the unsubscribe function. */
  subscribe(h: EventHandlers<T>): () => void {
    this.start();
    if (this.state === 'stopped') return () => undefined;
    for (const o of [...this.cache.values()]) h.add?.(o);
    const s: Subscriber<T> = { h, active: true };
    this.subscribers = [...this.subscribers, s];
    return () => {
      s.active = false;
      this.subscribers = this.subscribers.filter((x) => x !== s);
    };
  }

  /** Stops the watch and drops every subscriber; the cache keeps its last state. */
  stop(): void {
    this.state = 'stopped';
    this.handle?.stop();
    this.handle = undefined;
    for (const s of this.subscribers) s.active = false;
    this.subscribers = [];
  }

  private start(): void {
    if (this.state !== 'idle') return;
    this.state = 'running';
    this.handle = this.source.watch(this.ref, undefined, {}, (e) => this.onEvent(e));
  }

  private onEvent(e: WatchEvent): void {
    if (this.state === 'stopped') return;
    const next = e.object as T;
    const key = keyOf(next);
    const prev = this.cache.get(key);
    if (e.type === 'DELETED') {
      if (!prev) return;
      this.changeCount++;
      this.cache.delete(key);
      for (const idx of this.indexes.values()) idx.unfile(key);
      this.dispatch((h) => h.delete?.(next));
      return;
    }
    this.changeCount++;
    this.cache.set(key, next);
    for (const idx of this.indexes.values()) idx.file(key, next);
    if (prev) this.dispatch((h) => h.update?.(prev, next));
    else this.dispatch((h) => h.add?.(next));
  }

  private dispatch(call: (h: EventHandlers<T>) => void): void {
    for (const s of this.subscribers) if (s.active) call(s.h);
  }
}
