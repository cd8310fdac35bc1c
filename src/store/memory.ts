/** The in-memory store backend (`--ephemeral`): nothing survives the process. */
import type { KObject } from '../api/meta.js';
import { StoreCore, type StoreOptions } from './core.js';
import type { Store, StoreEvent, WatchHandle } from './types.js';

/** A Store held entirely in memory; writes are acknowledged and published immediately. */
export class MemoryStore implements Store {
  private readonly core: StoreCore;
  private closed = false;

  constructor(opts: StoreOptions = {}) {
    this.core = new StoreCore(opts);
  }

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

  async close(): Promise<void> {
    this.closed = true;
    this.core.stopAll();
  }

  private async write(stage: () => StoreEvent): Promise<KObject> {
    if (this.closed) throw new Error('store is closed');
    const e = stage();
    this.core.publish(e);
    return e.object;
  }
}
