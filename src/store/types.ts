/**
 * The versioned object store: one global, monotonically increasing resourceVersion over all
 * objects, watch from any retained version, compaction (410 Expired for older versions).
 * Backends: memory (`--ephemeral`) and durable (lmdb, in the data dir).
 *
 * Keys are `/<group or "core">/<resource>/<namespace or "">/<name>`, e.g.
 * `/core/services/default/web`, `/apps/deployments/default/web`, `/core/namespaces//default`.
 * A prefix such as `/core/services/` or `/core/services/default/` selects a collection.
 * Objects are plain JSON; the store sets `metadata.resourceVersion` on every write.
 */
import type { KObject } from '../api/meta.js';

/** A change as delivered to watchers. `object` carries its new resourceVersion (DELETED: the last state, with the deletion's RV). */
export interface StoreEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  key: string;
  object: KObject;
  /** The object before this change (MODIFIED/DELETED), for watchers whose filter it used to match. */
  prevObject?: KObject;
  rv: number;
}

/** Thrown when a watch or list asks for a version older than the retained history. */
export class ExpiredError extends Error {
  constructor(public readonly requested: number, public readonly oldest: number) {
    super(`too old resource version: ${requested} (${oldest})`);
  }
}

/** Thrown when a precondition (expected resourceVersion, existence) fails. */
export class StoreConflictError extends Error {
  constructor(public readonly reason: 'exists' | 'not-found' | 'rv-mismatch', public readonly key: string) {
    super(`${reason}: ${key}`);
  }
}

/**
 * A write the store could not make durable (a full disk, an I/O error): nothing of it was kept.
 * The API answers 500 with the message, as kube-apiserver does when etcd refuses a write
 * (`etcdserver: mvcc: database space exceeded`).
 */
export class StoreWriteError extends Error {}

/** A live watch; call stop() to end it. */
export interface WatchHandle {
  stop(): void;
}

/** The store contract shared by the memory and durable backends. */
export interface Store {
  /** The newest resourceVersion (of the last committed write). */
  currentRV(): number;
  /** The oldest resourceVersion a watch may start from (older ones get ExpiredError). */
  oldestRV(): number;
  /** One object, or undefined. Returns the stored object itself: callers must not mutate it. */
  get(key: string): KObject | undefined;
  /** All objects whose key starts with prefix, in key order, with the RV the list is consistent at. */
  list(prefix: string): { items: KObject[]; rv: number };
  /** Creates; fails with StoreConflictError('exists'). Resolves once the write is durable. */
  create(key: string, obj: KObject): Promise<KObject>;
  /** Replaces; fails with 'not-found', or 'rv-mismatch' when expectedRV is given and differs. */
  update(key: string, obj: KObject, expectedRV?: string): Promise<KObject>;
  /** Removes; fails with 'not-found' or 'rv-mismatch'. Resolves with the last state (carrying the deletion RV). */
  delete(key: string, expectedRV?: string): Promise<KObject>;
  /**
   * Watches keys under prefix. With fromRV, replays every retained event with rv > fromRV first
   * (throws ExpiredError if fromRV < oldestRV()); without it, only live events. Events are delivered
   * synchronously, in RV order, after they are durable.
   */
  watch(prefix: string, fromRV: number | undefined, onEvent: (e: StoreEvent) => void): WatchHandle;
  /** Drops history older than the newest `keep` events (also happens automatically). */
  compact(keep?: number): void;
  /** Flushes and closes. */
  close(): Promise<void>;
}
