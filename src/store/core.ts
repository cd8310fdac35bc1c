/**
 * The shared machinery of both store backends: sorted objects, the global resourceVersion,
 * event history and prefix-indexed watchers. Writes are split into `stage` (checks preconditions,
 * assigns the next RV and updates the in-memory state) and `publish` (records the event and
 * notifies watchers), so a durable backend can publish only after its commit.
 */
import type { KObject } from '../api/meta.js';
import { copySharing } from './clone.js';
import { EventHistory } from './history.js';
import { SortedMap } from './sorted-map.js';
import { ExpiredError, StoreConflictError, type StoreEvent, type WatchHandle } from './types.js';
import { WatcherIndex, type Watcher } from './watchers.js';

/** Default number of events retained for watch replay. */
export const DEFAULT_HISTORY_SIZE = 10_000;

/** Options shared by the store backends. */
export interface StoreOptions {
  /** Events retained for watch replay (default 10,000). */
  historySize?: number;
  /** Called when a watcher's callback throws (default: logged to stderr). */
  onWatcherError?: (err: unknown, e: StoreEvent) => void;
}

/** A copy of obj carrying resourceVersion rv. */
function withRV(obj: KObject, rv: number): KObject {
  return { ...obj, metadata: { ...obj.metadata, resourceVersion: String(rv) } };
}

/** In-memory state, history and watchers; backends drive it through stage/publish. */
export class StoreCore {
  private readonly objects = new SortedMap<KObject>();
  private readonly history: EventHistory;
  private readonly watchers = new WatcherIndex();
  private readonly onWatcherError: (err: unknown, e: StoreEvent) => void;
  /** RV of the newest staged write (what get/list reflect). */
  private stagedRV: number;
  /** RV of the newest published write. */
  private publishedRV: number;
  /** Events waiting to be published while a publish is delivering. */
  private readonly outbox: StoreEvent[] = [];
  private publishing = false;

  constructor(opts: StoreOptions = {}, startRV = 0) {
    this.history = new EventHistory(opts.historySize ?? DEFAULT_HISTORY_SIZE, startRV);
    this.onWatcherError = opts.onWatcherError ?? ((err, e) => console.error(`store: watcher failed on ${e.type} ${e.key}:`, err));
    this.stagedRV = startRV;
    this.publishedRV = startRV;
  }

  /** Puts an already-stored object into the state without an event (used when loading). */
  load(key: string, obj: KObject): void {
    this.objects.set(key, obj);
  }

  /** The RV of the newest published write. */
  currentRV(): number {
    return this.publishedRV;
  }

  /** The oldest RV a watch may start from. */
  oldestRV(): number {
    return this.history.oldestRV();
  }

  /** The object at key (staged state), or undefined. */
  get(key: string): KObject | undefined {
    return this.objects.get(key);
  }

  /** Objects under prefix in key order, with the RV of the state they reflect. */
  list(prefix: string): { items: KObject[]; rv: number } {
    return { items: this.objects.scan(prefix), rv: this.stagedRV };
  }

  /** Checks that key is free, assigns the next RV and stores a copy of obj. */
  stageCreate(key: string, obj: KObject): StoreEvent {
    if (this.objects.get(key)) throw new StoreConflictError('exists', key);
    const rv = ++this.stagedRV;
    const object = withRV(copySharing(obj, undefined), rv);
    this.objects.set(key, object);
    return { type: 'ADDED', key, object, rv };
  }

  /** Checks existence and expectedRV, assigns the next RV and replaces the object. */
  stageUpdate(key: string, obj: KObject, expectedRV?: string): StoreEvent {
    const prevObject = this.checkExisting(key, expectedRV);
    const rv = ++this.stagedRV;
    const object = withRV(copySharing(obj, prevObject), rv); // unchanged parts are shared with the previous version
    this.objects.set(key, object);
    return { type: 'MODIFIED', key, object, prevObject, rv };
  }

  /** Checks existence and expectedRV, assigns the next RV and removes the object. */
  stageDelete(key: string, expectedRV?: string): StoreEvent {
    const prevObject = this.checkExisting(key, expectedRV);
    const rv = ++this.stagedRV;
    this.objects.delete(key);
    return { type: 'DELETED', key, object: withRV(prevObject, rv), prevObject, rv };
  }

  /**
   * Undoes staged writes that will never be published (their commit failed), newest first, so the
   * state is again the one before the oldest of them. Their RVs stay used: a reader may have seen them.
   */
  unstage(events: StoreEvent[]): void {
    for (let i = events.length - 1; i >= 0; i--) {
      const e = events[i]!;
      if (e.type === 'ADDED' || !e.prevObject) this.objects.delete(e.key);
      else this.objects.set(e.key, e.prevObject);
    }
  }

  /**
   * Records a staged event in the history and delivers it to matching watchers. A write made by a
   * watcher's callback is queued until the current event reached everyone, keeping RV order.
   */
  publish(e: StoreEvent): void {
    this.outbox.push(e);
    if (!this.publishing) this.flushOutbox();
  }

  private flushOutbox(): void {
    this.publishing = true;
    try {
      for (let next = this.outbox.shift(); next; next = this.outbox.shift()) {
        this.publishedRV = next.rv;
        this.history.push(next);
        for (const w of this.watchers.matching(next.key, next.rv)) this.deliver(w, next);
      }
    } finally {
      this.publishing = false;
    }
  }

  /** Registers a watcher; replays retained events after fromRV first (see Store.watch). */
  watch(prefix: string, fromRV: number | undefined, onEvent: (e: StoreEvent) => void): WatchHandle {
    const w: Watcher = { prefix, minRV: fromRV ?? this.publishedRV, active: true, onEvent };
    const oldest = this.history.oldestRV();
    if (fromRV !== undefined && fromRV < oldest) throw new ExpiredError(fromRV, oldest);
    const nested = this.publishing;
    this.publishing = true; // writes made by callbacks during the replay wait for the registration
    try {
      if (fromRV !== undefined) {
        for (const e of this.history.since(fromRV)) {
          if (e.key.startsWith(prefix)) this.deliver(w, e);
        }
        w.minRV = Math.max(fromRV, this.publishedRV);
      }
      if (w.active) this.watchers.add(w);
    } finally {
      this.publishing = nested;
    }
    if (!nested && this.outbox.length) this.flushOutbox();
    return { stop: () => this.watchers.remove(w) };
  }

  /** Drops history older than the newest keep events. */
  compact(keep = 0): void {
    this.history.compact(keep);
  }

  /** Stops every watcher. */
  stopAll(): void {
    for (const w of this.watchers.all()) this.watchers.remove(w);
  }

  private deliver(w: Watcher, e: StoreEvent): void {
    if (!w.active) return;
    try {
      w.onEvent(e);
    } catch (err) {
      this.onWatcherError(err, e);
    }
  }

  private checkExisting(key: string, expectedRV?: string): KObject {
    const prev = this.objects.get(key);
    if (!prev) throw new StoreConflictError('not-found', key);
    if (expectedRV && prev.metadata.resourceVersion !== expectedRV) throw new StoreConflictError('rv-mismatch', key);
    return prev;
  }
}
