/** The Store methods both backends share: reads, watch and compaction go straight to the StoreCore. */
import type { KObject } from '../api/meta.js';
import type { StoreCore } from './core.js';
import type { Store, StoreEvent, WatchHandle } from './types.js';

/** A Store over a StoreCore; subclasses decide how a staged write becomes durable and published. */
export abstract class CoreBackedStore implements Store {
  protected constructor(protected readonly core: StoreCore) {}

  currentRV(): number {
    return this.core.currentRV();
  }

  oldestRV(): number {
    return this.core.oldestRV();
  }

  get(key: string): KObject | undefined {
    return this.core.get(key);
  }

  list(prefix: string): { items: KObject[]; rv: number } {
    return this.core.list(prefix);
  }

  create(key: string, obj: KObject): Promise<KObject> {
    return this.write(() => this.core.stageCreate(key, obj));
  }

  update(key: string, obj: KObject, expectedRV?: string): Promise<KObject> {
    return this.write(() => this.core.stageUpdate(key, obj, expectedRV));
  }

  delete(key: string, expectedRV?: string): Promise<KObject> {
    return this.write(() => this.core.stageDelete(key, expectedRV));
  }

  watch(prefix: string, fromRV: number | undefined, onEvent: (e: StoreEvent) => void): WatchHandle {
    return this.core.watch(prefix, fromRV, onEvent);
  }

  compact(keep?: number): void {
    this.core.compact(keep);
  }

  /** Applies a staged change: acknowledges (and publishes) it when the backend has made it durable. */
  protected abstract write(stage: () => StoreEvent): Promise<KObject>;

  abstract close(): Promise<void>;
}
